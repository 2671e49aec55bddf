"""The lab at a glance: cash and runway, GPUs online / in the pipeline / stranded, share, rank."""

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Digits, Static

from blitzgame.formats import apart, count, listed, money, quarters, with_article
from blitzgame.session.views import RUNWAY_SHORT
from blitzgame.tui.fleet import idle_split

RUNWAY_CAP = 99.0  # the session reports at most this many quarters of runway


CASH_UNITS = {"M": "million", "B": "billion"}  # the last letter of ``formats.money``


class LabSummary(Vertical):
    """Cash as big digits, then the figures a CEO reads first."""

    DEFAULT_CSS = """
    LabSummary {
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    LabSummary #cash-row { height: auto; }
    LabSummary #cash-label { width: auto; height: 3; content-align: left middle; padding-right: 1; }
    LabSummary Digits, LabSummary #cash-unit { width: auto; color: $success; }
    LabSummary #cash-unit { height: 3; content-align: left middle; padding-left: 1; text-style: bold; }
    LabSummary.-short Digits, LabSummary.-short #cash-unit { color: $error; }
    LabSummary #runway { color: $foreground-muted; }
    LabSummary.-short #runway { color: $error; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="cash-row"):
            yield Static("Cash", id="cash-label")
            yield Digits(id="cash")
            yield Static(id="cash-unit")  # (Digits draws no M: the unit in words beside them)
        yield Static(id="runway")
        yield Static(id="figures")

    def show(self, me, quarter: str, quarters_left: int | None, played: bool = True, frontier: float | None = None) -> None:
        """Draw the observing lab's ``LabView`` (``played``: a quarter has been, so there is a burn;
        ``quarters_left`` None once the campaign is over; ``frontier``: the best model's quality)."""
        self.border_title = escape(me.name)
        self.border_subtitle = f"{me.stage_name} · started as {with_article(me.position)}"
        cash = money(me.cash)  # "$877M", "$1.2B"
        self.query_one("#cash", Digits).update(cash[:-1])
        self.query_one("#cash-unit", Static).update(CASH_UNITS[cash[-1]])
        short = me.runway < RUNWAY_SHORT
        if me.status != "alive":
            runway = f"The lab is {me.status}."
        elif not played:
            runway = "Runway: measured from the first quarter's burn."
            short = False
        elif me.burn <= 0:
            runway = "Cash-flow positive last quarter: no runway limit."
        else:
            left = f"{RUNWAY_CAP:.0f}+" if me.runway >= RUNWAY_CAP else f"{me.runway:.1f}"
            runway = f"Runway {left} quarters at last quarter's net burn ({burn_words(me)})."
        self.set_class(short, "-short")
        self.query_one("#runway", Static).update(runway)
        self.query_one("#figures", Static).update("\n".join([
            f"[b]{quarter}[/]" + ("" if quarters_left is None else f", {quarters(quarters_left)} left"),
            f"GPUs online [b]{count(me.online)}[/] · pipeline {count(me.backlog)} · " + stranded_words(me),
            f"Market share [b]{me.share:.1%}[/] · revenue {money(me.revenue)}/qtr",
            quality_words(me, frontier),
            f"Researchers {count(me.researchers)} at quality {me.talent_quality:.2f} "
            f"({density_words(me.talent_density)}) · "
            f"GPUs {me.utilization:.0%} utilized · culture {me.culture:.2f} · "
            f"tech debt {me.tech_debt:.2f} · efficiency ×{me.efficiency:.2f}",
            f"Valuation {money(me.valuation)} · debt {money(me.debt)} · founders {me.stake:.0%}",
            (f"Rank [b]#{me.rank}[/] · score {me.score:,.1f}" if played
             else "Rank: none yet (every lab starts at score 0)"),
        ]))


def quality_words(me, frontier: float | None) -> str:
    """The model's quality and rank; behind the best model by less than its two decimals show
    (5.00, #4 beside a frontier of 5.00), both with the decimals that tell them apart."""
    text = f"Model quality {me.quality:.2f}, [b]#{me.quality_rank}[/] of the labs"
    if frontier is not None and me.quality_rank > 1 and f"{me.quality:.2f}" == f"{frontier:.2f}":
        mine, best = apart(me.quality, frontier, decimals=3, most=3)
        text = f"Model quality {mine}, [b]#{me.quality_rank}[/] of the labs (the best {best})"
    return text


def burn_words(me) -> str:
    """What last quarter's burn is, for a runway line: "$78M/qtr: costs less revenue, before GPUs and
    power; the costs held $48M of hiring and severance pay, R&D and cloud rental" (the choices and one-off
    losses in it, named when they are a tenth of it or more, as a runway at the burn assumes they go on)."""
    last = me.last_quarter
    parts = [("hiring and severance pay", last.out_hiring), ("R&D", last.out_efficiency_rnd + last.out_silicon_rnd),
             ("cloud rental", last.out_rental), ("a one-off outage or fine", last.out_events)]
    held = [what for what, amount in parts if amount > 0.0]
    once = sum(amount for _, amount in parts)
    of_it = (f"; the costs held {money(once)} of {listed(held)}, which the runway counts as going on"
             if once >= 0.1 * me.burn and held else "")
    return f"{money(me.burn)}/qtr: costs less revenue, before GPUs and power{of_it}"


def density_words(density: float) -> str:
    """Talent density as HQ says it, marked where it holds the lab back (M6)."""
    text = f"talent density {density:.0%}"
    return f"[b $warning]{text}[/]" if round(density, 2) < 0.8 else text  # (as written: 79.7% reads 80%, unmarked)


def stranded_words(me) -> str:
    """GPUs idle, split as the report splits them: without power (M5), dark in a heatwave (M11);
    whole, as the hubs view adds them up."""
    unpowered, dark = idle_split(me)
    text = f"[b $error]stranded {count(unpowered)}[/]" if unpowered else "stranded 0"
    return text + (f" · [b $warning]{count(dark)} dark in a heatwave[/]" if dark else "")
