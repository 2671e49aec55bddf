"""The debrief of a lab's campaign: how it ended, what it did, what happened, what to learn.

Everything is read from the record the game keeps (``Game.history`` snapshots, the orders
log and the quarter reports); no rule is re-implemented. Lessons name the mechanic (M1-M13,
docs/design.md §3) behind each number, so a player or a class can look it up in the encyclopedia.
"""

from dataclasses import dataclass, field

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.markets import blocked
from blitzgame.engine.metrics import NO_BURN_RUNWAY, burn, quality_rank, runway
from blitzgame.engine.people import DEATH_ZONE_HIGH, DEATH_ZONE_LOW
from blitzgame.engine.turn import SCORE_PER_MUSD, fair_value, stage, value_parts
from blitzgame.formats import count, ledger_values, listed, money, money_apart, with_article
from blitzgame.session.crash import crash_rule
from blitzgame.session.order_words import order_phrases
from blitzgame.session.report import (
    AGED,
    COPIED,
    TRAINED,
    VENDORS,
    attrition_parts_seen,
    cancelled_gpus,
    controlled_backlog,
    controlled_hubs,
    grid_shortfall,
    heat_dark_shown,
    heat_hub,
    sales,
    stake_after,
)
from blitzgame.session.series import Series, game_series
from blitzgame.session.views import idle_shown

OUTCOMES = ("dominance win", "ranked finish", "survival", "bankruptcy", "acquisition")


@dataclass(frozen=True)
class Moment:
    """A line of the timeline: a decision the lab took or an event that hit it or the world."""

    quarter: int  # index of the quarter played
    label: str  # e.g. 2025Q3
    kind: str  # "decision" or "event"
    mechanic: str  # "M4", or "" when none applies
    text: str


@dataclass(frozen=True)
class Lesson:
    """What the record says about one mechanic, with the number it is based on."""

    key: str  # stable id, e.g. "death_zone"
    mechanic: str  # "M7"
    title: str
    value: float | None  # the number the lesson counts (quarters, GPUs, runway...); None if none applies
    text: str


@dataclass(frozen=True)
class Standing:
    """A lab's public figures at the end (what the press and the class see)."""

    rank: int
    name: str
    status: str  # alive, bankrupt, acquired, or "EV reached" for the lab that won the race
    gpus: float
    share: float
    valuation: float
    score: float


@dataclass
class Debrief:
    """A lab's campaign, summed up; ``to_markdown`` writes it for a class or a player's notes."""

    lab: int
    name: str
    scenario: str
    seed: int
    outcome: str  # one of OUTCOMES
    summary: str  # one sentence on how it ended
    score: float
    rank: int
    n_labs: int
    quarters_played: int
    over: bool
    standings: list[Standing]
    timeline: list[Moment]
    lessons: list[Lesson]
    series: Series
    rivals: dict[str, str] = field(default_factory=dict)  # rival name -> who played it

    @property
    def last_point(self) -> int:
        """The last point of the series the lab was in: the quarter it left, or the latest."""
        status = self.series.lab(self.lab).status
        return next((k for k, s in enumerate(status) if s != "alive"), len(status) - 1)

    @property
    def finished(self) -> bool:
        """The campaign is over for this lab: the game ended, or the lab left the race."""
        return self.over or self.outcome in ("bankruptcy", "acquisition")

    def lesson(self, key: str) -> Lesson | None:
        """The lesson with ``key`` (e.g. "death_zone"), if the record gave one."""
        return next((lesson for lesson in self.lessons if lesson.key == key), None)

    def to_markdown(self) -> str:
        """The debrief as a Markdown document: outcome, standings, timeline, lessons, figures."""
        out = [f"# Debrief: {self.name}", "",
               f"Scenario `{self.scenario}`, seed {self.seed}, {self.quarters_played} quarters played"
               + ("." if self.finished else " (campaign still running)."), "",
               "## Outcome", "", f"**{self.outcome.capitalize()}.** {self.summary}", "",
               f"Score {self.score:,.1f}, rank {self.rank} of {self.n_labs}.", "",
               "## Final standings", "", "| Rank | Lab | Status | GPUs online | Share | Valuation | Score |",
               "|---:|---|---|---:|---:|---:|---:|"]
        for s in self.standings:
            out.append(f"| {s.rank} | {s.name} | {s.status} | {count(s.gpus)} | {s.share:.1%} "
                       f"| {money(s.valuation)} | {s.score:,.1f} |")
        if self.rivals:
            out += ["", "Rivals: " + "; ".join(f"{name} ({who})" for name, who in self.rivals.items()) + "."]
        out += ["", "## Timeline", ""]
        if not self.timeline:
            out.append("Nothing of note yet.")
        for m in self.timeline:
            tag = f" ({m.mechanic})" if m.mechanic else ""
            out.append(f"- **{m.label}** {m.kind}: {m.text}{tag}")
        out += ["", "## Lessons", ""]
        for lesson in self.lessons:
            out.append(f"- **{lesson.title} ({lesson.mechanic}).** {lesson.text}")
        out += ["", "## Quarter by quarter", "",
                "Runway is cash over the quarter's operating burn (running costs, hiring, R&D, cloud rental and "
                "events, less revenue): GPUs and power bought are left out, so cash can fall while runway holds.", "",
                "| Quarter | GPUs online | Cash | Runway | Share | Revenue | Sentiment | Revenue gap |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        me = self.series.lab(self.lab)
        for k, label in enumerate(self.series.labels[:self.last_point + 1]):
            runway = "-" if k == 0 else _runway_text(me.runway[k])  # no burn measured before the first quarter
            out.append(f"| {label} | {count(me.gpus[k])} | {money(me.cash[k])} | {runway} "
                       f"| {me.share[k]:.1%} | {money(me.revenue[k])} | {self.series.sentiment[k]:.2f} "
                       f"| {self.series.revenue_gap[k]:.1f}x |")
        return "\n".join(out) + "\n"


def _runway_text(quarters: float) -> str:
    return f"{NO_BURN_RUNWAY:.0f}+ q or cash-flow positive" if quarters >= NO_BURN_RUNWAY else f"{quarters:.1f} q"


def _runway_words(labs, lab: int) -> str:
    """Lab ``lab``'s runway in words, as HQ gives it: cash-flow positive only with no net burn."""
    if burn(labs, lab) <= 0.0:
        return "cash-flow positive"
    left = float(runway(labs, lab))
    return f"{NO_BURN_RUNWAY:.0f}+ quarters of runway" if left >= NO_BURN_RUNWAY else f"{left:.1f} quarters of runway"


NO_ORDERS = "no orders"  # in ``played_by``: a quarter no one gave the lab's orders (a class's team not in time)


def debrief(game, lab: int, seats: list[str | None] | None = None, played_by: dict[int, str] | None = None) -> Debrief:
    """The debrief of ``lab`` in ``game`` (a ``Game``); ``seats`` names who played each lab;
    ``played_by`` who gave the lab's orders in quarters a bot did, or ``NO_ORDERS`` where no one did
    (``timeline``)."""
    last = game.history[-1]
    row = last.labs[lab]
    outcome, summary = _outcome(game, lab)
    winner = int(last.world[F.WINNER])  # its status: how it ended, as the race tables say it
    standings = sorted(
        (Standing(int(r[F.RANK]), game.names[i], "EV reached" if i == winner else F.STATUS_NAMES[float(r[F.STATUS])],
                  float(r[F.ONLINE]), float(r[F.SHARE]), float(r[F.VALUATION]), float(r[F.SCORE]))
         for i, r in enumerate(last.labs)),
        key=lambda s: s.rank)
    rivals = {}
    if seats is not None:
        rivals = {game.names[i]: seat or "human player" for i, seat in enumerate(seats) if i != lab}
    played = {q: who for q, who in (played_by or {}).items() if q < game.quarter and who != NO_ORDERS}
    if played:  # what follows is partly their doing: say so first
        summary += (f" Orders by {listed(sorted(set(played.values())))} in {len(played)} of the "
                    f"{game.quarter} quarters played, not the player's (the timeline marks them).")
    missed = sum(1 for q, who in (played_by or {}).items() if q < game.quarter and who == NO_ORDERS)
    if missed:
        summary += (f" No orders were in for {missed} of the {game.quarter} quarters when they closed: the lab did "
                    "nothing then (the timeline marks them).")
    return Debrief(
        lab=lab, name=game.names[lab], scenario=game.world.scenario.id, seed=game.seed,
        outcome=outcome, summary=summary, score=float(row[F.SCORE]), rank=int(row[F.RANK]),
        n_labs=game.n_labs, quarters_played=game.quarter, over=game.over, standings=standings,
        timeline=timeline(game, lab, played_by), lessons=lessons(game, lab), series=game_series(game), rivals=rivals,
    )


def _outcome(game, lab: int) -> tuple[str, str]:
    last = game.history[-1]
    row, world = last.labs[lab], last.world
    winner = int(world[F.WINNER])
    died = _quarter_of_exit(game, lab)
    if winner == lab:
        return "dominance win", (f"{game.names[lab]} reached escape velocity in {game.reports[-1].label}: "
                                 f"{count(row[F.ONLINE])} GPUs online and {row[F.SHARE]:.0%} of the market.")
    if row[F.STATUS] == F.BANKRUPT:
        return "bankruptcy", f"The lab ran out of cash in {game.world.label(died)} and was wound up."
    if row[F.STATUS] == F.ACQUIRED:
        sale = game.history[died + 1].labs[lab]  # the quarter it was sold
        buyer = game.names[int(sale[F.BOUGHT_BY]) - 1]
        return "acquisition", (f"The lab ran out of cash in {game.world.label(died)}; {buyer} bought it for "
                               f"{money(sale[F.IN_SALE])}, its creditors were paid first and "
                               f"{money(row[F.CASH])} was left for the shareholders.")
    if winner >= 0:
        return "survival", (f"{game.names[winner]} reached escape velocity; {game.names[lab]} survived it, "
                            f"ranked {int(row[F.RANK])} of {game.n_labs}.")
    if game.over:
        return "ranked finish", (f"The campaign ran to its end; ranked {int(row[F.RANK])} of {game.n_labs} by what "
                                 f"the founders built (score {row[F.SCORE]:,.1f}).")
    if game.quarter == 0:
        return "survival", "No quarter played yet: the race is about to start."
    return "survival", (f"Still in the race after {game.quarter} quarters, ranked {int(row[F.RANK])} "
                        f"of {game.n_labs} so far.")


def _quarter_of_exit(game, lab: int) -> int:
    """The quarter a lab went bankrupt or was bought (the last quarter if it did not)."""
    for k in range(1, len(game.history)):
        if game.history[k].labs[lab, F.STATUS] != F.ALIVE:
            return k - 1
    return max(game.quarter - 1, 0)


# --- the timeline ------------------------------------------------------------------------

def timeline(game, lab: int, played_by: dict[int, str] | None = None) -> list[Moment]:
    """Key decisions of ``lab`` and the events that hit it or the whole race, quarter by quarter;
    ``played_by``: who gave the lab's orders in the quarters a bot did (a class's autopilot), said
    beside those decisions."""
    moments: list[Moment] = []
    for q, report in enumerate(game.reports):
        before, after = game.history[q], game.history[q + 1]
        if before.labs[lab, F.STATUS] == F.ALIVE:
            previous = game.orders_log[q - 1][lab] if q > 0 else None
            who = (played_by or {}).get(q)
            if who == NO_ORDERS:  # no one's decisions: the quarter is marked, whatever the empty orders changed
                moments.append(Moment(q, report.label, "decision", "",
                                      "No orders were in when the quarter closed: the lab did nothing."))
            else:
                by = "" if who is None else f" (orders by {who})"
                for mechanic, text in _decisions(game, lab, q, previous, before.labs[lab], after.labs[lab]):
                    moments.append(Moment(q, report.label, "decision", mechanic, text + by))
            for mechanic, text in _lab_events(game, lab, before, after, report):
                moments.append(Moment(q, report.label, "event", mechanic, text))
        for mechanic, text in _world_events(game, lab, before, after):
            moments.append(Moment(q, report.label, "event", mechanic, text))
    return moments


def _ledger(report, lab: int, account: str) -> dict[str, float]:
    """Each term of ``lab``'s ``account`` as ``report``'s ledger writes it (rounded so its terms add
    up), so the debrief quotes what the report said; empty for a lab without accounts that quarter."""
    accounts = report.accounts[lab] if lab < len(report.accounts) else []
    return next((acc.shown() for acc in accounts if acc.name == account), {})


def _delivered(report, lab: int, a) -> float:
    """GPUs vendors delivered to ``lab`` in ``report``'s quarter (row ``a`` after it), as the report's
    GPU ledger writes them."""
    return _ledger(report, lab, "GPUs owned").get(VENDORS, a[F.GPUS_DELIVERED])


def _big_gpus(b) -> float:
    """GPUs that make a big order or a big delivery for lab row ``b``: at least 1,000, or half its fleet."""
    return max(1000.0, 0.5 * b[F.GPUS])


def _decisions(game, lab, q, previous, b, a):
    """Quarter ``q``'s key decisions with what came of them, then one line with the rest of what
    the lab ordered (so the timeline leaves no order out)."""
    orders = game.orders_log[q][lab]
    hub_names = dict(zip(game.world.hub_ids, game.world.hub_names))
    said: set[str] = set()  # orders fields a key line has covered

    def key(fields: str, mechanic: str, text: str):
        said.update(fields.split())
        return mechanic, text

    ordered = sum(orders.gpus.values())
    if ordered >= _big_gpus(b):
        hubs = [(h, n) for h, n in orders.gpus.items() if n > 0]
        where = (f"in {hub_names[hubs[0][0]]}" if len(hubs) == 1
                 else "(" + ", ".join(f"{count(n)} in {hub_names[h]}" for h, n in hubs) + ")")
        premium = f" at {with_article(f'{orders.premium:.0%}')} premium" if orders.premium > 0 else ""
        own = f" and your own silicon made {count(a[F.GPUS_CUSTOM])} (M13)" if a[F.GPUS_CUSTOM] >= 0.5 else ""
        yield key("gpus premium", "M4", f"Ordered {count(ordered)} GPUs {where}{premium}; "
                                         f"{count(_delivered(game.reports[q], lab, a))} arrived from vendors that "
                                         "quarter, at every "
                                         f"hub and against earlier orders too{own}.")
    if orders.cancel > 0:
        yield key("cancel", "M4", f"Cancelled {orders.cancel:.0%} of the GPU backlog.")
    mw = sum(orders.power_mw.values())
    cut = a[F.MW_GRANTED] < mw - 0.05  # the grid connected less than asked: a key line, however small
    if mw >= 20.0 or cut:
        digits = 0 if mw >= 20.0 else 1
        yield key("power_mw", "M5", f"Started building {a[F.MW_GRANTED]:,.{digits}f} of {mw:,.{digits}f} MW of power "
                                    "asked" + (f": {grid_shortfall(game, game.history[q], game.history[q + 1], orders)}."
                                               if cut else "."))
    if orders.equity > 0:
        if a[F.IN_EQUITY] >= 0.05:
            raised, asked = money_apart(a[F.IN_EQUITY], orders.equity)
            yield key("equity", "M8", f"Raised {raised} of equity ({asked} asked); "
                                      f"founders hold {a[F.STAKE]:.0%}{stake_after(a)}.")
        else:
            yield key("equity", "M8", f"Asked investors for {money(orders.equity)} of equity and raised nothing.")
    if orders.debt > 0:
        yield key("debt", "M8", "Borrowed {} ({} asked); debt {}.".format(*money_apart(a[F.IN_DEBT], orders.debt),
                                                                          money(a[F.DEBT]))
                  if a[F.IN_DEBT] >= 0.05 else f"Asked lenders for {money(orders.debt)} and borrowed nothing.")
    if orders.hire >= max(20.0, 0.5 * b[F.RESEARCHERS]):
        yield key("hire package", "M3", f"Went on a hiring drive: {count(a[F.HIRES_WON])} of {count(orders.hire)} "
                                        "researchers hired.")
    if orders.layoff > 0:
        yield key("layoff", "M6", f"Laid off {count(a[F.LAID_OFF])} researchers.")
    was_open = previous.open_source if previous is not None else False
    if orders.open_source != was_open:
        yield key("open_source", "M10", ("Released the model's weights (open source)" if orders.open_source
                                         else "Stopped releasing weights") + ": " + _open_weights_effect(game, b, a) + ".")
    was_partner = previous.partnership if previous is not None else 0.0
    if orders.partnership > 0 and was_partner == 0:
        yield key("partnership", "M13", f"Signed a compute partnership ({orders.partnership:.0%} deep).")
    elif orders.partnership == 0 and was_partner > 0:
        yield key("partnership", "M13", "Ended the compute partnership.")
    if orders.rent > 0 and (previous is None or previous.rent == 0):
        yield key("rent", "M13", f"Started renting cloud GPUs ({count(a[F.RENTED])} this quarter).")
    if orders.silicon_rnd > 0 and b[F.SILICON] == 0:
        yield key("silicon_rnd", "M13", f"Started a custom-silicon programme ({money(a[F.OUT_SILICON_RND])}).")
    if orders.efficiency_rnd > 0 and (previous is None or previous.efficiency_rnd == 0):
        again = any(o[lab].efficiency_rnd > 0 for o in game.orders_log[:q])
        yield key("efficiency_rnd", "M12", f"{'Resumed' if again else 'Started'} spending on efficiency R&D "
                                           f"({money(a[F.OUT_EFFICIENCY_RND])} this quarter).")
    # the rest; a standing choice (open weights, the partnership, the pay, the compute split) only when it changed
    standing = ("open_source", "partnership", "package", "train_split")
    rest = [phrase for field, phrase in order_phrases(orders, hub_names)
            if field not in said and (field not in standing or previous is None
                                      or getattr(previous, field) != getattr(orders, field))]
    if rest:
        yield "", ("Other orders: " if said else "Orders: ") + "; ".join(p[0].lower() + p[1:] for p in rest) + "."


def _revenue_and_share(b, a) -> str:
    """A lab's revenue and share of the customers before (row ``b``) and after (row ``a``) a quarter."""
    return (f"revenue {money(b[F.REVENUE])} -> {money(a[F.REVENUE])} a quarter, with a share of the customers of "
            f"{b[F.SHARE]:.1%} -> {a[F.SHARE]:.1%}")


def _open_weights_effect(game, b, a) -> str:
    """What a quarter's change of the open-weights switch came with: revenue and share before and
    after, and the rule (open weights earn ``open_source_price`` of the price per customer served)."""
    price = game.world.params[P.OPEN_PRICE]
    return f"{_revenue_and_share(b, a)} (open weights earn {price:.0%} of the price per customer served)"


def _lab_events(game, lab, before, after, report):
    b, a = before.labs[lab], after.labs[lab]
    # the model's gains as the quarter's report wrote them (its ledger rounds them to add up)
    model = _ledger(report, lab, "Model quality")
    trained_run, copied, aged = (model.get(TRAINED, a[F.QUALITY_TRAINED]), model.get(COPIED, a[F.QUALITY_DIFFUSED]),
                                 -model.get(AGED, -a[F.QUALITY_LOST]))
    q = int(before.world[F.QUARTER])
    ordered_now = sum(game.orders_log[q][lab].gpus.values())
    big = _big_gpus(b)
    if a[F.GPUS_DELIVERED] >= big and ordered_now < big:  # a big order's GPUs, ordered in earlier quarters
        also = f" and this quarter's {count(ordered_now)}" if ordered_now >= 0.5 else ""
        yield "M4", (f"{count(_delivered(report, lab, a))} GPUs arrived from vendors against the backlog of earlier "
                     f"quarters' orders{also}; {count(a[F.BACKLOG])} still on order.")
    was, now = stage(b[F.ONLINE]), stage(a[F.ONLINE])
    if now != was and a[F.STATUS] == F.ALIVE:  # a lab that is wound up just leaves
        text = f"Stage {F.STAGE_NAMES[was]} -> {F.STAGE_NAMES[now]} ({count(a[F.ONLINE])} GPUs online)"
        if now == 2 and was < 2:
            text += ": into the death zone"
        elif was == 2:
            text += ": out of the death zone"
        yield ("M7" if 2 in (was, now) else "M1"), text + "."
    if a[F.TRAIN_RUN] < 0:
        yield "M6", "A training run failed: the compute was spent and the run added nothing."
    elif a[F.TRAIN_RUN] > 0 and a[F.QUALITY_TRAINED] >= 0.25:
        text = f"A training run lifted model quality by {trained_run:.2f}"
        if copied > 0.005:
            text += f" and rivals' progress spread another {copied:.2f} (M3)"
        yield "M2", text + f": {b[F.QUALITY]:.2f} -> {a[F.QUALITY]:.2f}."
    elif a[F.TRAIN_RUN] > 0 and trained_run >= 0.005 and a[F.QUALITY_DIFFUSED] < 0.25:  # the small gains told too,
        yield "M6", f"A training run succeeded: model quality +{trained_run:.2f}."  # as every failure is
    if a[F.QUALITY_DIFFUSED] >= 0.25 and not (a[F.TRAIN_RUN] > 0 and a[F.QUALITY_TRAINED] >= 0.25):
        trained = trained_run if a[F.TRAIN_RUN] > 0 else 0.0
        also = f" and +{trained:.2f} from a training run" if trained > 0.005 else ""
        also += f", less {aged:.2f} lost to a new paradigm (M9)" if aged > 0.005 else ""
        yield "M3", (f"Rivals' progress spread to the lab: model quality +{copied:.2f} copied from the "
                     f"best model{also}, {b[F.QUALITY]:.2f} -> {a[F.QUALITY]:.2f}.")
    leaders = _gpu_leaders(before.labs), _gpu_leaders(after.labs)
    if leaders[1] == {lab} and leaders[0] != {lab}:
        yield "M3", "Took the lead in GPUs online."
    elif lab in leaders[1] and lab not in leaders[0]:  # level with others at the top: a shared lead
        yield "M3", f"Shared the lead in GPUs online: {len(leaders[1])} labs level at {count(a[F.ONLINE])}."
    elif lab in leaders[0] and lab not in leaders[1] and a[F.STATUS] == F.ALIVE:
        yield "M3", "Lost the lead in GPUs online."
    if a[F.SILICON] >= 1.0 > b[F.SILICON]:
        yield "M13", "Custom silicon is ready: own chips now skip the vendor queue."
    event = int(a[F.EVENT])
    if event == F.EV_OUTAGE:
        yield "M6", f"An outage from tech debt cost {money(a[F.OUT_EVENTS])} and some customers."
    elif event == F.EV_FINE:
        yield "M11", f"A regulator fined the lab {money(a[F.OUT_EVENTS])}."
    elif event == F.EV_EXPORT_SEIZED:
        yield "M11", (f"Export controls caught {count(controlled_backlog(game, a))} GPUs on order in "
                      f"{controlled_hubs(game, a)}: vendors ship none there now.")
    if a[F.HEAT_DARK] > 0.0:  # (its own field: the event code may name export controls, which came later)
        dark = heat_dark_shown(a)  # as the report says
        yield "M11", (f"A heatwave took {count(dark)} GPUs offline in "
                      f"{game.world.hub_names[heat_hub(game, before, lab)]} for the quarter.")
    if a[F.IN_RESCUE] > 0.0:
        yield "M8", (f"Rescued by a strategic backer: {money(a[F.IN_RESCUE])} for a stake; "
                     f"founders hold {a[F.STAKE]:.0%}. A backer does this only once.")
    if a[F.FIRE_SOLD] > 0.5:
        yield "M8", f"Fire sale: {count(a[F.FIRE_SOLD])} GPUs sold for {money(a[F.IN_FIRE_SALE])}."
    if a[F.STATUS] == F.BANKRUPT:
        yield "M8", "Out of cash: the lab went bankrupt."
    elif a[F.STATUS] == F.ACQUIRED:
        yield "M8", "Out of cash: a rival bought the lab for its customers."


def _world_events(game, lab, before, after):
    bw, aw = before.world, after.world
    if aw[F.MUSIC_STOPPED] > 0 and bw[F.MUSIC_STOPPED] == 0:
        if game.world.params[P.MUSIC_HAZARD] > 0.0:
            yield "M8", f"The music stopped at a {aw[F.REVENUE_GAP]:.1f}x revenue gap: funding froze, valuations crashed."
        else:
            yield "M8", (f"The music stopped on the scenario's schedule (the revenue gap stood at "
                         f"{aw[F.REVENUE_GAP]:.1f}x): funding froze, valuations crashed.")
    if aw[F.REGIME] != bw[F.REGIME]:
        yield "M9", f"The endgame showed itself: {F.REGIME_NAMES[int(aw[F.REGIME])]}."
    if aw[F.EXPORT_CONTROLS] > 0 and bw[F.EXPORT_CONTROLS] == 0:
        yield "M11", "Export controls began: vendors stopped shipping to controlled hubs."
    for k, name in enumerate(game.names):
        if k != lab and before.labs[k, F.STATUS] == F.ALIVE and after.labs[k, F.STATUS] != F.ALIVE:
            how = "went bankrupt" if after.labs[k, F.STATUS] == F.BANKRUPT else "was bought by a rival"
            yield "M8", f"{name} ran out of cash and {how}."
    if aw[F.WINNER] >= 0 and bw[F.WINNER] < 0:
        yield "", f"{game.names[int(aw[F.WINNER])]} reached escape velocity."


def _gpu_leaders(labs: np.ndarray) -> set[int]:
    alive = labs[:, F.STATUS] == F.ALIVE
    if not alive.any():
        return set()
    top = labs[alive, F.ONLINE].max()
    # labs level to rounding lead together (6,299.999... and 6,300 GPUs); when every lab is level (equal labs
    # starting a classroom world) nobody leads
    leaders = {i for i in range(labs.shape[0]) if alive[i] and top > 0 and labs[i, F.ONLINE] >= top * (1.0 - 1e-9)}
    return leaders if len(leaders) < alive.sum() or len(leaders) == 1 else set()


# --- lessons ------------------------------------------------------------------------------

def lessons(game, lab: int) -> list[Lesson]:
    """What the record of ``lab`` says about each mechanic it touched, with the numbers."""
    after = [snap.labs[lab] for snap in game.history[1:]]  # the lab at the end of each quarter played
    alive = [game.history[k].labs[lab, F.STATUS] == F.ALIVE for k in range(len(after))]  # alive going in
    played = [a for a, was_alive in zip(after, alive) if was_alive]
    params = game.world.params
    final = game.history[-1].labs[lab]
    out: list[Lesson] = [_score_lesson(game, lab, played)]
    if game.quarter:
        out.append(_winner_lesson(game, lab))

    # M1: stages
    peak = float(final[F.PEAK_GPUS])
    top_stage = F.STAGE_NAMES[stage(peak)]
    out.append(Lesson("peak_stage", "M1", "Scaling stages", peak,
                      f"You peaked at {count(peak)} GPUs online: the {top_stage} stage. Each 10x of GPUs raises the "
                      "ceiling on the model quality you can train to (a tier); customers follow model quality, so "
                      "GPUs win customers through the models they train."))
    # M3: leadership
    leads = sum(1 for k in range(1, len(game.history)) if lab in _gpu_leaders(game.history[k].labs))
    best = sum(1 for k in range(1, len(game.history))
               if game.history[k].labs[lab, F.STATUS] == F.ALIVE and quality_rank(game.history[k].labs, lab) == 1)
    out.append(Lesson("gpu_leader", "M3", "Leadership windows", float(leads),
                      f"You led the race in GPUs online for {_quarters(leads)} and had the best model (alone or "
                      f"tied) in {_quarters(best)}. "
                      + ("A bigger cluster raises your model's ceiling, but rivals copy the best model, closing part "
                         "of their gap to it every quarter." if leads else
                         "Without the biggest cluster, customers come through your model's quality, their lock-in "
                         "and your ecosystem.")))
    # M7: the death zone
    zone = int(final[F.DEATH_ZONE_QUARTERS])
    grants = sum(float(a[F.RETENTION]) for a in played)
    kept = (f" Keeping the researchers who stayed cost {money(grants)} of retention grants on top of their pay."
            if grants >= 0.5 else "")
    pulled = [attrition_parts_seen(game.history[k], game.history[k + 1], lab, params)[1]
              for k in range(len(after)) if alive[k]]  # the zone's part of each quarter's attrition
    pulled = [rate for rate in pulled if rate >= 0.0005]
    worst = (f" (an extra {max(pulled):.0%} of researchers in your worst quarter there)"
             if pulled and max(pulled) >= params[P.ATTRITION_DEATH_ZONE] + 0.005 else "")
    band = f"the death zone ({count(DEATH_ZONE_LOW)}-{count(DEATH_ZONE_HIGH - 1)} GPUs online)"
    toll = (f"an extra {params[P.ATTRITION_DEATH_ZONE]:.0%} of researchers and {params[P.DEATH_ZONE_DEFECTION]:.0%} "
            "of customers on a first quarter there")
    out.append(Lesson("death_zone", "M7", "Death zone", float(zone),
                      f"You spent {_quarters(zone)} in {band}, losing {toll}, more for every quarter you lingered"
                      f"{worst}.{kept} Cross it fast or stay below it." if zone else
                      f"You stayed clear of {band}, where a lab loses {toll}, more for every quarter it lingers."
                      f"{kept}"))
    # M5: stranded GPUs
    # stranded for lack of power, not a heatwave; a quarter counts when at least 1% of the fleet sat idle
    # (each quarter's as its report and HQ write it: ``views.idle_shown``)
    unpowered = [(idle_shown(a[F.GPUS], a[F.ONLINE], a[F.STRANDED], a[F.HEAT_DARK])[0], float(a[F.GPUS])) for a in played]
    idle = [gpus for gpus, owned in unpowered if gpus > max(0.5, IDLE_SHARE * owned)]
    every = sum(gpus for gpus, _ in unpowered)
    worst = max(idle, default=0.0)
    began = float(game.history[0].labs[lab, F.STRANDED])  # the scenario's start: GPUs bought ahead of their power
    start = (f" The campaign began with {count(began)} of your GPUs waiting for power, as the scenario set it up."
             if began >= 0.5 and idle else "")
    out.append(Lesson("stranded", "M5", "Power caps", float(len(idle)),
                      f"GPUs sat idle for lack of power (at least {IDLE_SHARE:.0%} of the fleet) in {_quarters(len(idle))}"
                      + (f" (at worst {count(worst)}; {every:,.0f} GPU-quarters idle in all). Idle GPUs still pay "
                         "overhead; order power a build lead time ahead of the GPUs it will run." if idle
                         else ". Your power kept up with your GPUs.") + start + _grid_gone(game)))
    # M4: the shortage
    # (each quarter's "could pay for" includes the backlog carried over, so quarters are compared, not summed)
    fills = [a[F.GPUS_DELIVERED] / a[F.GPUS_WANTED] for a in played if a[F.GPUS_WANTED] >= 1.0]
    short = [f for f in fills if f < 0.995]
    began, ordered, cancelled, got, custom, void, still = order_book(game, lab)
    text = f"You started with {count(game.history[0].labs[lab, F.GPUS])} GPUs"
    if ordered >= 0.5 or began >= 0.5:
        text += (f" and ordered {count(ordered)}"
                 + (f" (besides the {count(began)} on order when the campaign began)" if began >= 0.5 else "")
                 + (f", cancelled {count(cancelled)}" if cancelled >= 0.5 else "")
                 + f"; vendors delivered {count(got)}"
                 + (f" and your own custom silicon made {count(custom)} (M13)" if custom >= 0.5 else "")
                 + (f"; {count(void)} on order went void when the lab left the race" if void >= 0.5 else "")
                 + (f"; {count(still)} were still on order at the end" if still >= 0.5 else ""))
    text += _bought_gpus(game, lab) + ". "
    if short:
        text += (f"In {_quarters(len(short))} of the {len(fills)} you waited on vendors they shipped less than you "
                 f"could pay for (at worst {min(short):.0%} of it). Premiums and a purchase history move you up "
                 "the queue. ")
    elif fills:
        text += "Vendors shipped all you could pay for each quarter: you never felt the shortage. "
    else:
        text += "You never competed for vendor supply. "
    out.append(Lesson("shortage", "M4", "GPU shortage", sum(float(a[F.GPUS_DELIVERED]) for a in played), text.strip()))
    # M6: hidden costs
    runs = [a for a in played if a[F.TRAIN_RUN] != 0]
    failed = sum(1 for a in runs if a[F.TRAIN_RUN] < 0)
    chance = f" (their chance of success averaged {np.mean([a[F.TRAIN_CHANCE] for a in runs]):.0%})" if runs else ""
    util = float(np.mean([a[F.UTILIZATION] for a in played])) if played else float(final[F.UTILIZATION])
    debt = float(np.mean([a[F.TECH_DEBT] for a in played])) if played else float(final[F.TECH_DEBT])
    out.append(Lesson("failed_runs", "M6", "Hidden costs", float(failed),
                      f"{failed} of {len(runs)} training runs failed{chance}; your utilization averaged {util:.0%}, "
                      f"so {1 - util:.0%} of your running GPUs' work was wasted (powered, but doing nothing useful). "
                      "Talent density raises both; tech debt lowers "
                      f"both (yours averaged {debt:.2f}, {final[F.TECH_DEBT]:.2f} at the end)."))
    # M8: the music stops
    out.append(_music_lesson(game, lab))
    # M12: efficiency
    spent = sum(a[F.OUT_EFFICIENCY_RND] for a in played)
    out.append(Lesson("efficiency", "M12", "Efficiency", float(final[F.EFFICIENCY]),
                      f"Efficiency R&D of {money(spent)} left your effective compute x{final[F.EFFICIENCY]:.2f}. "
                      "It multiplies every GPU and counts for more once the music stops."))
    # M13: alternatives
    rented = sum(1 for a in played if a[F.RENTED] > 0)
    partnered = sum(1 for a in played if a[F.PARTNER_GPUS] > 0)
    custom = sum(a[F.GPUS_CUSTOM] for a in played)
    used = [f"cloud rental in {_quarters(rented)}"] if rented else []
    used += [f"a compute partnership in {_quarters(partnered)}"] if partnered else []
    used += [f"custom silicon ({final[F.SILICON]:.0%} done, {count(custom)} own chips)"] if final[F.SILICON] > 0 else []
    either = sum(1 for a in played if a[F.RENTED] > 0 or a[F.PARTNER_GPUS] > 0)  # quarters with either, once
    out.append(Lesson("alternatives", "M13", "Alternatives", float(either),
                      ("You used " + ", ".join(used) + "." if used else
                       "You never rented, partnered or built your own chips.")
                      + " They are how a lab grows when vendors ration GPUs."))
    # M10: open weights
    weights = _open_weights_lesson(game, lab)
    if weights is not None:
        out.append(weights)
    # M2: the flywheel
    drivers = [int(a[F.DRIVER]) for a in played]
    if drivers:
        link = max(range(5), key=drivers.count)
        out.append(Lesson("flywheel", "M2", "Flywheel", float(drivers.count(link)),
                          f"The {F.LINK_NAMES[link]} link moved most in {_quarters(drivers.count(link))} of "
                          f"{len(drivers)}: compute -> talent -> models -> customers -> revenue -> compute."))
    # M9: the endgame
    if int(game.history[-1].world[F.REGIME]):
        out.append(_endgame_lesson(game, lab))
    return out


def order_book(game, lab: int) -> tuple[float, ...]:
    """The lab's GPU orders over the campaign, rounded as a ledger writes them, so that what was on
    order at the start + ordered - cancelled - delivered - made - void = what is on order at the end,
    as written: (began, ordered, cancelled, delivered, custom, void, still)."""
    history = game.history
    kept = [k for k in range(len(history) - 1) if history[k].labs[lab, F.STATUS] == F.ALIVE]
    began, still = float(history[0].labs[lab, F.BACKLOG]), float(history[-1].labs[lab, F.BACKLOG])
    ordered = sum(float(history[k + 1].labs[lab, F.GPUS_ORDERED]) for k in kept)
    cancelled = sum(cancelled_gpus(history[k].labs[lab], game.orders_log[k][lab]) for k in kept)
    got = sum(float(history[k + 1].labs[lab, F.GPUS_DELIVERED]) for k in kept)
    custom = sum(float(history[k + 1].labs[lab, F.GPUS_CUSTOM]) for k in kept)  # the lab's own silicon, first
    void = began + ordered - cancelled - got - custom - still  # a lab that left the race: its orders lapse
    start, terms, end = ledger_values("gpus", began, [ordered, -cancelled, -got, -custom, -void], still)
    return start, terms[0], -terms[1], -terms[2], -terms[3], -terms[4], end


def _bought_gpus(game, lab: int) -> str:
    """The GPUs of the rivals the lab bought in distress (M9), as a clause; "" if it bought none."""
    history = game.history
    bought = sum(float(history[k].labs[j, F.SALE_GPUS]) for k in range(1, len(history))
                 for j, buyer in sales(history[k - 1].labs, history[k].labs) if buyer == lab)
    return f"; the rivals you bought brought {count(bought)} (M9)" if bought >= 0.5 else ""


def _open_weights_lesson(game, lab: int) -> Lesson | None:
    """The quarters the lab released its weights, the rule's price and appeal, and, when the
    biggest move of its score came the quarter it flipped the switch, that quarter's revenue."""
    history = game.history
    points = [k for k in range(1, len(history)) if history[k - 1].labs[lab, F.STATUS] == F.ALIVE]
    opened = [k for k in points if history[k].labs[lab, F.OPEN_SOURCE] > 0.0]
    if not opened:
        return None
    params = game.world.params
    text = (f"You released the model's weights in {len(opened)} of {_quarters(len(points))}. Open weights make a "
            f"model {params[P.OPEN_APPEAL]:.0%} as appealing to customers but earn {params[P.OPEN_PRICE]:.0%} of the "
            "price per customer served.")
    k = max(points, key=lambda j: abs(history[j].labs[lab, F.SCORE] - history[j - 1].labs[lab, F.SCORE]))
    b, a = history[k - 1].labs[lab], history[k].labs[lab]
    if (a[F.OPEN_SOURCE] > 0.0) != (b[F.OPEN_SOURCE] > 0.0):
        did = "released" if a[F.OPEN_SOURCE] > 0.0 else "stopped releasing"
        text += (f" Your score's biggest move, {b[F.SCORE]:,.1f} -> {a[F.SCORE]:,.1f} in {game.world.label(k - 1)}, "
                 f"came the quarter you {did} them: {_revenue_and_share(b, a)}.")
    return Lesson("open_weights", "M10", "Open weights", float(len(opened)), text)


# what each endgame does (docs/design.md M9), and the figure of the labs it favours
_REGIME_RULES = {
    F.REGIME_CONSOLIDATION: "customers chase the best model harder",
    F.REGIME_COMMODITIZATION: "prices fall to {price:.0%} and customers favour the labs cheapest to serve (appeal "
                              "grows with efficiency)",
    F.REGIME_DISRUPTION: "a new paradigm erodes every model each quarter and training gains grow with efficiency",
}


def _endgame_lesson(game, lab: int) -> Lesson:
    """What the endgame does, then what happened in this game: where the lab it favours (the
    biggest cluster in a consolidation, else the most efficient lab) finished, and who was first."""
    last = game.history[-1]
    labs, regime = last.labs, int(last.world[F.REGIME])
    since = next(k for k in range(1, len(game.history)) if game.history[k].world[F.REGIME] == regime)
    rule = _REGIME_RULES[regime].format(price=game.world.params[P.COMMODITY_PRICE])
    alive = [i for i in range(game.n_labs) if labs[i, F.STATUS] == F.ALIVE] or list(range(game.n_labs))
    first = int(np.argmin(labs[:, F.RANK]))

    def named(i: int) -> str:
        return "yours" if i == lab else game.names[i]

    if regime == F.REGIME_CONSOLIDATION:
        top = max(alive, key=lambda i: labs[i, F.ONLINE])
        which = (f"the lab with the most GPUs online, {named(top)} ({count(labs[top, F.ONLINE])} GPUs, "
                 f"{labs[top, F.SHARE]:.1%} of the customers)")
        figure = f"{count(labs[first, F.ONLINE])} GPUs online"
    else:
        top = max(alive, key=lambda i: labs[i, F.EFFICIENCY])
        which = f"the most efficient lab, {named(top)} (efficiency x{labs[top, F.EFFICIENCY]:.2f})"
        figure = f"efficiency x{labs[first, F.EFFICIENCY]:.2f}"
    if top == first:
        happened = f"{which}, finished first."
    else:
        leader = "you were" if first == lab else f"{game.names[first]} was"
        happened = (f"{which}, ranked {int(labs[top, F.RANK])} of {game.n_labs}; {leader} first, with {figure}.")
    return Lesson("endgame", "M9", "Endgame", float(regime),
                  f"The endgame was {F.REGIME_NAMES[regime]} (from {game.world.label(since - 1)}): {rule}. "
                  f"In this game {happened}")


def _score_lesson(game, lab: int, played) -> Lesson:
    """Where the score comes from (docs/design.md §4): the founders' stake of the lab's fair
    value, now and at the start, and what the rounds did to the stake."""
    last = game.history[-1]
    row = last.labs[lab]
    fair = fair_value(last.labs, lab, last.world, game.world.params)
    start_stake = float(game.history[0].labs[lab, F.STAKE])
    raised = sum(float(a[F.IN_EQUITY]) for a in played)
    bonus = (f" x{game.world.params[P.DOMINANCE_BONUS]:g} for escape velocity"
             if last.world[F.WINNER] == lab and row[F.SCORE] > 0 else "")
    rescued = sum(float(a[F.IN_RESCUE]) for a in played)
    went = f"the founders went from {start_stake:.0%} to {row[F.STAKE]:.0%}."
    if raised > 0 and rescued > 0:
        rounds = f"You raised {money(raised)} of equity and a strategic rescue put in {money(rescued)}: {went}"
    elif raised > 0:
        rounds = f"You raised {money(raised)} of equity: {went}"
    elif rescued > 0:
        rounds = f"You sold no equity yourself, but a strategic rescue put in {money(rescued)} for a stake: {went}"
    elif abs(row[F.STAKE] - start_stake) > 0.005:
        rounds = f"You sold no equity, yet {went}"
    else:
        rounds = f"You sold no equity: the founders kept {row[F.STAKE]:.0%}."
    return Lesson("score", "M8", "What the founders built", float(row[F.SCORE]),
                  f"The founders hold {row[F.STAKE]:.1%} of a lab worth {money(fair)} in a normal market "
                  f"(its fair value): ${row[F.STAKE] * fair:,.0f}M, against ${row[F.START_VALUE]:,.0f}M at the start "
                  f"({start_stake:.1%} of the ${row[F.START_VALUE] / max(start_stake, 1e-9):,.0f}M it was worth then in "
                  "a normal market, not at that day's mood). "
                  f"At a point per ${1 / SCORE_PER_MUSD:,.0f}M of the difference, that is a score of "
                  f"{(row[F.STAKE] * fair - row[F.START_VALUE]) * SCORE_PER_MUSD:,.1f}"
                  f"{bonus}. {rounds} A round at a fair price leaves the score as it was; building raises it.")


def _grid_gone(game) -> str:
    """The power lesson's word on the grid, when every grid vendors ship to filled up: the quarter it did."""
    hubs = game.world.hubs
    for k, snap in enumerate(game.history[1:], 1):
        open_hubs = [h for h in range(len(hubs)) if not blocked(snap.world, hubs, h)]
        if open_hubs and all(snap.world[F.HEADROOM + h] < 0.5 for h in open_hubs):
            return (f" By the end of {game.world.label(k - 1)} every grid vendors ship to was full: from then on power "
                    "came only from what labs had claimed (or a grid that grew later).")
    return ""


IDLE_SHARE = 0.01  # the power lesson counts a quarter when at least this share of the fleet sat idle for want of power
FAIR_PARTS = (("customers (a year of the revenue it kept, after a compute partner's share, at the normal multiple)", "M2"),
              ("running GPUs", "M1"), ("idle GPUs at a fire-sale price", "M5"), ("cash less debt", "M8"))


def _winner_lesson(game, lab: int) -> Lesson:
    """Who is first by score, what its founders own that the lab's do not, and from which quarter
    its lead was visible (the first quarter from which it ranked first to the end)."""
    last = game.history[-1]
    params = game.world.params
    ranks = [snap.labs[:, F.RANK] for snap in game.history[1:]]  # at the end of each quarter played
    first = int(np.argmin(last.labs[:, F.RANK]))
    since = len(ranks) - 1
    while since > 0 and ranks[since - 1][first] == 1.0:
        since -= 1

    def parts(i: int, stake: bool = True) -> list[float]:
        customers, running, idle, cash, debt = value_parts(last.labs, i, last.world, params, 1.0, 1.0)
        share = float(last.labs[i, F.STAKE]) if stake else 1.0
        return [share * customers, share * running, share * idle, share * (cash - debt)]

    mine, theirs = parts(lab), parts(first)
    gaps = [t - m for t, m in zip(theirs, mine)]
    k = max(range(len(gaps)), key=lambda j: gaps[j])
    name, mechanic = FAIR_PARTS[k]
    held = "the whole campaign" if since == 0 else f"{game.world.label(since)} on"
    w = last.labs[first]
    escaped = int(last.world[F.WINNER]) == first  # first by escape velocity, whatever the scores (docs/design.md §4)
    if first == lab:
        most, mechanic = FAIR_PARTS[max(range(len(mine)), key=lambda j: mine[j])]
        how = "reached escape velocity, first whatever the scores," if escaped else "are first by score"
        text = (f"You {how} and held the lead from {held}: your founders own {w[F.STAKE]:.0%} of "
                f"{count(w[F.ONLINE])} GPUs online, {w[F.SHARE]:.0%} of the market and {money(w[F.REVENUE])} of "
                f"revenue a quarter. Most of what they built is {most}.")
        return Lesson("winner", mechanic, "Why the winner won", float(since), text)
    bonus = f", x{params[P.DOMINANCE_BONUS]:g} for escape velocity," if escaped and w[F.SCORE] > 0 else ""
    how = (f"reached escape velocity, which ends the game and puts it first whatever the scores (its {w[F.SCORE]:,.1f}"
           f"{bonus} against your {last.labs[lab, F.SCORE]:,.1f})" if escaped else
           f"is first by score ({w[F.SCORE]:,.1f} against your {last.labs[lab, F.SCORE]:,.1f})")
    text = (f"{game.names[first]} {how} "
            f"and led from {held}: it ran {count(w[F.ONLINE])} GPUs online to your {count(last.labs[lab, F.ONLINE])}, "
            f"held {w[F.SHARE]:.1%} of the market to your {last.labs[lab, F.SHARE]:.1%}, and its founders kept "
            f"{w[F.STAKE]:.0%} of it (yours {last.labs[lab, F.STAKE]:.0%}). The biggest gap is in {name}: "
            f"{money(theirs[k])} of its founders' value against {money(mine[k])} of yours.")
    whole_mine, whole_theirs = parts(lab, stake=False)[k], parts(first, stake=False)[k]
    if whole_mine >= whole_theirs:  # the lab had more of it; its founders own less of what it had
        text = text[:-1] + (f": your lab had more of it ({money(whole_mine)} against {money(whole_theirs)}), but its "
                            "founders kept more of their lab.")
    return Lesson("winner", mechanic, "Why the winner won", float(since), text)


def _music_lesson(game, lab: int) -> Lesson:
    world = game.history[-1].world
    music = int(world[F.MUSIC_QUARTER])
    gap = max(float(s.world[F.REVENUE_GAP]) for s in game.history)
    if music < 0:
        end = game.history[-1].labs[lab]
        if end[F.STATUS] != F.ALIVE:
            when = f"Your lab left the race in {game.world.label(_quarter_of_exit(game, lab))}, before the music stopped"
        elif not game.over:
            when = f"The music has not stopped yet ({game.quarter} quarters played)"
        else:
            when = "The music never stopped"
        return Lesson("music", "M8", "The music stops", None,
                      f"{when}: {crash_rule(game, gap)}. Runway is what you live on if it does.")
    if game.history[music].labs[lab, F.STATUS] != F.ALIVE:
        return Lesson("music", "M8", "The music stops", 0.0,
                      f"The music stopped in {game.world.label(music)}, after your lab was already gone.")
    when = game.world.label(music)
    before = game.history[music].labs  # as the quarter began: what HQ showed the team while it gave its orders
    if music == 0:  # no quarter's burn to measure a runway by (HQ says so too)
        left, said = None, "no runway yet (HQ measures it from the first quarter's burn)"
    else:
        left = float(runway(before, lab))
        said = ("no runway limit (cash-flow positive before GPUs and power)" if burn(before, lab) <= 0.0 else
                f"{_runway_words(before, lab)} at your operating burn (GPUs and power bought come out of the same "
                "cash)")
    head = (f"The music stopped in {when}. As that quarter began, when you gave its orders, you had "
            f"{money(before[lab, F.CASH])} in cash and {said}, as HQ showed them. ")
    return Lesson("music", "M8", "The music stops", left, head + _after_the_crash(game, lab, music, left))


def _after_the_crash(game, lab: int, music: int, runway_then: float | None) -> str:
    """What the lab's runway (``runway_then`` quarters as the crash quarter began) did for it
    after the music stopped in quarter ``music``: it ran out, it ran short, or it carried the lab."""
    end = game.history[-1].labs[lab]
    if end[F.STATUS] != F.ALIVE:
        out = _quarter_of_exit(game, lab)
        after = "the quarter the music stopped" if out == music else f"{_quarters(out - music)} after the music stopped"
        if runway_then is not None and runway_then >= 8:
            return (f"That runway did not last: your lab ran out of cash in {game.world.label(out)}, {after}. Funding "
                    "stays scarce after a crash; spend as if it will not return.")
        return (f"Your lab ran out of cash in {game.world.label(out)}, {after}: less than two years of runway when "
                "funding freezes is how labs die; raise while sentiment is high.")
    last = game.world.label(game.quarter - 1)
    left = float(runway(game.history[-1].labs, lab))
    if left < 2:
        return (f"The lab lived through the crash, but by {last} it had {money(end[F.CASH])} and only {left:.1f} "
                "quarters of runway left: funding stays scarce after a crash; spend as if it will not return.")
    rest = _runway_words(game.history[-1].labs, lab)
    through = "to the end of the campaign" if game.over else "so far"
    return (f"The lab lived through the crash {through}: in {last} it had {money(end[F.CASH])} and {rest}.")


def _quarters(n: int) -> str:
    return f"{n} quarter" + ("" if n == 1 else "s")


__all__ = ["OUTCOMES", "Debrief", "Lesson", "Moment", "Standing", "debrief", "lessons", "timeline"]
