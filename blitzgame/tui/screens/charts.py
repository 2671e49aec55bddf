"""Charts (`c`): the GPU race, cash and runway, share, and the revenue gap against sentiment.

Rivals appear only with public figures (GPUs online, share); cash and runway are the lab's
own. The series come from ``blitzgame.session.series`` and draw from the first quarter on.
"""

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from blitzgame.session.campaign import DEATH_ZONE_HIGH, DEATH_ZONE_LOW
from blitzgame.session.series import Series, game_series
from blitzgame.tui.screens.view import ViewScreen
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header
from blitzgame.tui.widgets.race_chart import LAB_COLOURS, Guide, Line, QuarterChart

RUNWAY_CAP = 20.0  # quarters; "cash-flow positive" (99) is drawn at the cap so the chart stays readable


def lab_colours(n_labs: int, lab: int) -> list[str]:
    """The player's lab in the primary colour, the others in the rest, in seat order."""
    others = iter(LAB_COLOURS[1:] * 2)
    return [LAB_COLOURS[0] if k == lab else next(others) for k in range(n_labs)]


def race_lines(series: Series, lab: int, field: str) -> list[Line]:
    """A public figure (``gpus`` or ``share``) of every lab, the player's first."""
    colours = lab_colours(len(series.labs), lab)
    order = [lab] + [k for k in range(len(series.labs)) if k != lab]
    lines = []
    for k in order:
        s = series.labs[k]
        values = getattr(s, field)
        # a lab that is out draws to the quarter it left, then stops
        shown = [v if k_status == "alive" or j == 0 or s.status[j - 1] == "alive" else None
                 for j, (v, k_status) in enumerate(zip(values, s.status))]
        lines.append(Line(s.name + (" (you)" if k == lab else ""), shown, colours[k]))
    return lines


def mount_race(chart: QuarterChart, series: Series, lab: int, music: list[tuple[int, str]]) -> None:
    """The GPU race on a log scale, with the death zone's edges (M7) marked."""
    guides = [Guide(DEATH_ZONE_LOW, "death zone 1k-10k"), Guide(DEATH_ZONE_HIGH, "")]
    chart.show(series.labels, race_lines(series, lab, "gpus"), guides, music)


def mount_money(cash: QuarterChart, runway: QuarterChart, series: Series, lab: int,
                music: list[tuple[int, str]]) -> None:
    """The lab's own cash and runway (runway drawn up to RUNWAY_CAP quarters)."""
    me = series.lab(lab)
    cash.show(series.labels, [Line("cash", me.cash, "success")], marks=music)
    capped = [min(r, RUNWAY_CAP) for r in me.runway]
    top = f"{RUNWAY_CAP:.0f}"
    runway.show(series.labels, [Line(f"runway, quarters ({top}: {top} or more, or cash-flow positive)", capped,
                                     "warning")], marks=music)


def music_marks(series: Series) -> list[tuple[int, str]]:
    return [(series.music_point, "the music stops")] if series.music_point is not None else []


class ChartsScreen(ViewScreen):
    """Four charts of the campaign so far, one per tab (keys 1-4)."""

    TABS = ("race", "money", "share", "gap")
    DEFAULT_CSS = """
    ChartsScreen TabbedContent { height: 1fr; }
    ChartsScreen TabPane { padding: 0 1; height: 1fr; }
    ChartsScreen .caption { color: $text-muted; height: auto; }
    ChartsScreen .pane { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="race"):
            with TabPane("GPU race", id="race"), Vertical(classes="pane"):
                yield Static("GPUs online, log scale: each 10x band is a stage (M1). Between the guide lines is "
                             "the death zone (M7).", classes="caption")
                yield QuarterChart("GPUs online", log_scale=True, id="race-chart")
            with TabPane("Cash & runway", id="money"), Vertical(classes="pane"):
                yield Static("Your cash, and the quarters it lasts at each quarter's burn (M8).", classes="caption")
                yield QuarterChart("cash", unit="money", id="cash-chart")
                yield QuarterChart("runway", id="runway-chart")
            with TabPane("Share", id="share"), Vertical(classes="pane"):
                yield Static("Share of the AI revenue pool: customers follow the best models, with lock-in (M2, M3).",
                             classes="caption")
                yield QuarterChart("share", unit="share", id="share-chart")
            with TabPane("Revenue gap & sentiment", id="gap"), Vertical(classes="pane"):
                yield Static("The leading indicators of a crash (M8): the industry's capex over its AI revenue "
                             "(4 quarters) against investors' mood.", classes="caption")
                yield QuarterChart("x", id="gap-chart")
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = f"Charts · {self.game.names[self.lab]} · {self.game.progress}"
        self.redraw()

    def on_screen_resume(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Read the series again and draw every chart."""
        series = game_series(self.game)
        music = music_marks(series)
        mount_race(self.query_one("#race-chart", QuarterChart), series, self.lab, music)
        mount_money(self.query_one("#cash-chart", QuarterChart), self.query_one("#runway-chart", QuarterChart),
                    series, self.lab, music)
        self.query_one("#share-chart", QuarterChart).show(series.labels, race_lines(series, self.lab, "share"),
                                                          marks=music)
        market = self.game.observe(self.lab).market
        self.query_one("#gap-chart", QuarterChart).show(
            series.labels,
            [Line("revenue gap (x)", series.revenue_gap, "error"), Line("sentiment (1 = normal)", series.sentiment, "primary")],
            [Guide(market.gap_comfort, "investors' comfort"), Guide(market.music_gap, "danger line", "warning")],
            music)


__all__ = ["ChartsScreen", "lab_colours", "mount_money", "mount_race", "race_lines"]
