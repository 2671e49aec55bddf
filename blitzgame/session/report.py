"""The quarter's report: a news line per phase and lab, and every lab's cash flows.

Every number a player sees can be traced to a line here (docs/design.md §2). Lines are
written from the state before and after the quarter; no rule is re-implemented.
"""

from dataclasses import dataclass, field

import numpy as np

from blitzgame.bots.policies import GRID_SCARCE_QUARTERS, grid_scarce
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.markets import blocked, heat_slices, sovereign_backing
from blitzgame.engine.metrics import quarters_to_escape, running_costs, runway
from blitzgame.engine.people import attrition_parts, hire_quality, market_pay, talent_density, tech_debt_moves
from blitzgame.engine.rng import STREAM_HEAT, quarter_key, uniform
from blitzgame.engine.turn import (
    crash_pressure_parts,
    fire_price,
    full_run,
    interest_rate,
    kept_revenue,
    mood_pulls,
    run_scale,
    schedule_row,
    stage,
    tier_ceiling,
)
from blitzgame.formats import (
    apart,
    count,
    ledger,
    ledger_step,
    ledger_values,
    listed,
    money,
    money_apart,
    quarters,
    researchers,
)
from blitzgame.session.crash import opening_world, pressure_sources, round_mood, scheduled_stop
from blitzgame.session.race import contender_line, contenders
from blitzgame.session.standings import CAMPAIGN_END, ESCAPE, NO_LAB_LEFT, ending
from blitzgame.session.views import RUNWAY_SHORT, idle_shown
from blitzgame.session.world import supply_events

PHASES = (  # the race first: a lab about to win (or the campaign's end) is the quarter's first news
    "victory", "financing", "gpu market", "power", "talent", "training", "customers", "costs",
    "organisation", "valuation", "events", "music", "bankruptcy",
)
INFLOW_NAMES = {
    F.IN_EQUITY: "equity", F.IN_DEBT: "debt", F.IN_PARENT: "parent", F.IN_SUBSIDY: "subsidy",
    F.IN_REVENUE: "revenue", F.IN_FIRE_SALE: "fire sale", F.IN_RESCUE: "rescue", F.IN_WRITE_OFF: "write-off",
    F.IN_SALE: "sale of the lab",
}
OUTFLOW_NAMES = {
    F.OUT_REPAY: "debt repaid", F.OUT_GPUS: "GPUs", F.OUT_RENTAL: "cloud rental",
    F.OUT_POWER_BUILD: "power build", F.OUT_HIRING: "hiring and severance", F.OUT_PARTNER: "partner share",
    F.OUT_POWER: "energy", F.OUT_PAYROLL: "payroll", F.OUT_OVERHEAD: "overhead",
    F.OUT_INTEREST: "interest", F.OUT_EFFICIENCY_RND: "efficiency R&D",
    F.OUT_SILICON_RND: "silicon R&D", F.OUT_EVENTS: "events", F.OUT_ACQUISITION: "acquisition",
}


def stake_after(a) -> str:
    """What else diluted the founders in the quarter a round was sold (``a``: the lab's row after
    it), so the stake a financing line gives, the quarter's end, is not read as the round's alone."""
    others = [what for what, field in (("the parent company's funding", F.IN_PARENT),
                                       ("the strategic backer's rescue", F.IN_RESCUE)) if a[field] > 0.0]
    return f" at the quarter's end, after {' and '.join(others)} too" if others else ""


@dataclass(frozen=True)
class News:
    phase: str
    lab: int | None  # None for world news
    text: str
    headline: bool = False  # the quarter's big turns (sim's key news): a lab wound up, the market's turns


@dataclass(frozen=True)
class CashFlow:
    """A lab's cash over the quarter: start + sum(inflows) - sum(outflows) == end."""

    start: float
    end: float
    inflows: dict[str, float]
    outflows: dict[str, float]


@dataclass(frozen=True)
class Account:
    """One of a lab's figures over the quarter and what moved it: start + sum of terms == end.
    ``terms`` are (what, amount) in the order they happened; ``kind`` says how to read the
    amounts ("gpus", "people" or "quality")."""

    name: str
    kind: str
    start: float
    end: float
    terms: list[tuple[str, float]]
    pinned: tuple[str, ...] = ()  # terms another account wrote first: written as they are there

    def ledger(self) -> tuple[str, list[str | None], str, str]:
        """The account as its ledger writes it (``formats.ledger``)."""
        return ledger(self.kind, self.start, [amount for _, amount in self.terms], self.end, pinned=self._pinned())

    def shown(self) -> dict[str, float]:
        """Each term by what it is, as the account's ledger writes it (rounded so the terms add up;
        0 for one it leaves out): what a report line quoting a term says, so the two agree."""
        _, values, _ = ledger_values(self.kind, self.start, [amount for _, amount in self.terms], self.end,
                                     pinned=self._pinned())
        return {what: value for (what, _), value in zip(self.terms, values)}

    def _pinned(self) -> tuple[int, ...]:
        return tuple(k for k, (what, _) in enumerate(self.terms) if what in self.pinned)


@dataclass
class QuarterReport:
    quarter: int  # index of the quarter played
    label: str
    news: list[News] = field(default_factory=list)
    cash: list[CashFlow] = field(default_factory=list)
    accounts: list[list[Account]] = field(default_factory=list)  # per lab (empty for a lab already out)

    def for_lab(self, lab: int) -> list[News]:
        """World news and this lab's own lines, in phase order."""
        return [n for n in self.news if n.lab is None or n.lab == lab]


def build_report(game, before, after, orders) -> QuarterReport:
    """The report of the quarter that took the game from ``before`` to ``after``."""
    quarter = int(before.world[F.QUARTER])
    report = QuarterReport(quarter, game.world.label(quarter))
    for i in range(game.n_labs):
        row = after.labs[i]
        report.cash.append(CashFlow(
            float(row[F.CASH_START]), float(row[F.CASH]),
            {name: float(row[f]) for f, name in INFLOW_NAMES.items()},
            {name: float(row[f]) for f, name in OUTFLOW_NAMES.items()},
        ))
    lines: list[News] = []
    for i in range(game.n_labs):
        alive = before.labs[i, F.STATUS] == F.ALIVE
        report.accounts.append(lab_accounts(before, after, i, orders[i], game.world.params) if alive else [])
        if alive:
            lines.extend(_lab_lines(game, i, before, after, orders[i], report.accounts[i]))
    lines.extend(_world_lines(game, before, after, report.accounts))
    order = {phase: k for k, phase in enumerate(PHASES)}
    report.news = sorted(lines, key=lambda n: (order[n.phase], -1 if n.lab is None else n.lab))
    return report


VALUE_PARTS = (  # what investors price (M8), as the report names each part
    ("customers: a year of the revenue you keep (after a compute partner's share) x the multiple x the mood", F.VALUE_CUSTOMERS),
    ("running GPUs (a heatwave's dark ones too) at what installing them costs", F.VALUE_RUNNING),
    ("GPUs idle for want of power at a fire-sale price", F.VALUE_IDLE),
    ("cash less debt", F.VALUE_NET_CASH),
)
# terms of the researchers' and the model's accounts that report lines quote (``Account.shown``)
LEFT, LAID_OFF, HIRED = "left", "laid off", "hired"
TRAINED, COPIED, AGED = ("the training run", "copied from the best model: rivals' progress spreads (M3)",
                         "lost to a new paradigm (M9)")
VENDORS = "delivered by vendors"  # a term of the GPUs owned account
OWN_SILICON = "own silicon"  # another
OWNED_NET = "GPUs owned, net (the account above)"  # the GPUs running account's first term, as that account writes it
IDLE = "GPUs idle for lack of power: fewer (+) or more (-) than last quarter (M5)"  # GPUs running's terms
# terms of the GPUs running account: a heatwave's dark GPUs, each quarter's apart (the same count two quarters
# running is two heatwaves, not none)
DARK = "went dark in this quarter's heatwave (M11)"
DARK_BACK = "back from last quarter's heatwave (M11)"
BOUGHT = "came with a lab you bought"  # the term a lab bought in distress adds to the GPUs', people's and share's accounts
AFTER_PRICING = "events (an outage, a fine, a heatwave), sales and rescues"  # what comes after investors price a lab


def _bought(accounts: list[Account], before, after, i: int) -> dict[int, tuple[float, float, float]]:
    """The labs lab ``i`` bought in distress this quarter: GPUs, researchers and market share that came
    with each, as ``i``'s accounts write them when it bought one (the accounts' term is then that
    lab's alone), else as the sale moved them."""
    bought = [k for k, buyer in _sales(before, after) if buyer == i]
    out = {k: (after.labs[k, F.SALE_GPUS], after.labs[k, F.SALE_RESEARCHERS], after.labs[k, F.SALE_SHARE])
           for k in bought}
    if len(bought) == 1:
        account = {acc.name: acc for acc in accounts}
        gpus, people, share = out[bought[0]]
        out[bought[0]] = (account["GPUs owned"].shown().get(BOUGHT, gpus),
                          account["Researchers"].shown().get(BOUGHT, people),
                          account["Market share"].shown().get(f"{BOUGHT} (M9)", share))
    return out


def _cheaper(game, before, after, i: int) -> str:
    """Why a point of lab ``i``'s market share earned less this quarter than last: what changed in
    the price it was paid (M9 commoditization, M10 open weights) or the market it was a share of."""
    q = int(before.world[F.QUARTER])
    last = game.history[q - 1] if q >= 1 else before  # the state last quarter's revenue was priced on
    b, a = before.labs[i], after.labs[i]
    params, causes = game.world.params, []
    if before.world[F.REGIME] == F.REGIME_COMMODITIZATION != last.world[F.REGIME]:
        causes.append(f"models are now a commodity, so every customer pays {params[P.COMMODITY_PRICE]:.0%} of the "
                      "price (M9, the endgame the music's stop revealed)")
    if a[F.OPEN_SOURCE] > b[F.OPEN_SOURCE]:
        causes.append(f"open weights earn {params[P.OPEN_PRICE]:.0%} of the price per customer (M10)")
    pool, was = before.world[F.REVENUE_POOL], last.world[F.REVENUE_POOL]
    if pool < 0.97 * was:
        causes.append(f"the market shrank to {money(pool)} from {money(was)} (M2)")
    return " and ".join(causes) or "your hubs' customers and your price weighed less than last quarter (M2)"


def _count_people(value: float) -> str:
    """A count of researchers as their account writes it: whole, or to a tenth ("2.5")."""
    return count(value) if value == round(value) else f"{value:.1f}"


def _people(value: float) -> str:
    """Researchers as the researchers' account writes them: whole, or to a tenth ("2.5 researchers")."""
    return researchers(value) if value == round(value) else f"{_count_people(value)} researchers"


# the accounts' terms for what a lab that left the race (bought or wound up) handed on at the quarter's end
TO_BUYER = "went with the lab to its buyer"
LET_GO = "let go when the lab left the race"
LEFT_RACE = "the lab left the race"


def lab_accounts(before, after, i: int, orders, params=None) -> list[Account]:
    """Lab ``i``'s valuation, GPUs owned, GPUs running, GPUs on order, researchers, model quality, market share
    and revenue over the quarter, each with every term that moved it (a lab bought or wound up
    hands its fleet, people and customers on)."""
    b, a = before.labs[i], after.labs[i]
    bought = [k for k, buyer in _sales(before, after) if buyer == i]
    left = a[F.STATUS] != F.ALIVE  # sold to a rival or wound up: what is left goes with it
    gone = TO_BUYER if a[F.STATUS] == F.ACQUIRED else "disposed of when the lab was wound up"
    gpus = [(VENDORS, a[F.GPUS_DELIVERED]), (OWN_SILICON, a[F.GPUS_CUSTOM]),
            (BOUGHT, sum(after.labs[k, F.SALE_GPUS] for k in bought)),
            ("sold in a fire sale", -a[F.FIRE_SOLD])]
    # running = owned - stranded (idle without power, or dark in a heatwave, which is counted in stranded)
    # (the net as "GPUs owned" writes it: the idle term takes up the fraction of a GPU its rounding moved)
    owned_start, _, owned_end = ledger_values("gpus", b[F.GPUS], [], a[F.GPUS])
    # (the dark ones whole, as HQ writes them: the idle term takes up their fraction of a GPU too)
    dark, back = -heat_dark_shown(a), heat_dark_shown(b)
    running = [(OWNED_NET, owned_end - owned_start),
               (IDLE, a[F.ONLINE] - b[F.ONLINE] - (owned_end - owned_start) - dark - back), (DARK_BACK, back), (DARK, dark)]
    backlog = [("ordered", a[F.GPUS_ORDERED]), ("cancelled", -cancelled_gpus(b, orders)),
               ("delivered", -a[F.GPUS_DELIVERED] - a[F.GPUS_CUSTOM])]
    people = [(HIRED, a[F.HIRES_WON]), (BOUGHT, sum(after.labs[k, F.SALE_RESEARCHERS] for k in bought)),
              (LEFT, -a[F.ATTRITION]), (LAID_OFF, -a[F.LAID_OFF])]
    if left:
        gpus.append((gone, -(b[F.GPUS] + sum(v for _, v in gpus))))
        running = [("the lab left the race: its fleet was sold or went to its buyer", a[F.ONLINE] - b[F.ONLINE])]
        backlog.append(("orders void: the lab left the race", -(b[F.BACKLOG] + sum(v for _, v in backlog))))
        moved = a[F.SALE_RESEARCHERS] if a[F.STATUS] == F.ACQUIRED else 0.0
        people.append((TO_BUYER, -moved))
        people.append((LET_GO, -(b[F.RESEARCHERS] + sum(v for _, v in people))))
    quality = [(TRAINED, a[F.QUALITY_TRAINED]), (COPIED, a[F.QUALITY_DIFFUSED]), (AGED, -a[F.QUALITY_LOST])]
    share = [("shopped around: customers that lock-in did not keep (M2)", -a[F.SHARE_CHURNED]),
             ("won by your model's appeal against the rivals' (M2, M3)", a[F.SHARE_WON]),
             ("defected: the death zone drives customers away (M7)", -a[F.SHARE_DEFECTED]),
             ("drifted away unserved: too little serving compute (M2)", -a[F.SHARE_UNSERVED]),
             ("sent away by an outage (M6: tech debt)", -a[F.SHARE_OUTAGE]),
             (f"{BOUGHT} (M9)", sum(after.labs[k, F.SALE_SHARE] for k in bought))]
    chosen = b[F.SHARE] + sum(v for _, v in share[:3])  # the share this quarter's demand was priced on
    unserved = a[F.DEMAND] - a[F.REVENUE] if a[F.DEMAND] > 0.0 else 0.0
    pool = before.world[F.REVENUE_POOL]
    factor = a[F.DEMAND] / (chosen * pool) if chosen * pool > 0.0 else 1.0  # its price and its hubs' customers
    priced = f", x{factor:.2f} for your price and your hubs' customers" if abs(factor - 1.0) > 0.005 else ""
    revenue = [(f"customers wanted {money(a[F.DEMAND])} ({chosen:.1%} of a {money(pool)} market chose you{priced}), "
                "against last quarter's revenue", a[F.DEMAND] - b[F.REVENUE]),
               ("wanted but not served: too little serving compute (M2)", -unserved)]
    if left:
        share.append((LEFT_RACE, -(b[F.SHARE] + sum(v for _, v in share))))
        revenue.append((LEFT_RACE, -(b[F.REVENUE] + sum(v for _, v in revenue))))
    if not left:  # how investors' price moved, part by part (M8); a lab that left is worth what it kept
        value = value_terms(before, after, i, params)
    else:
        value = [("the lab left the race: what its shareholders kept", a[F.VALUATION] - b[F.VALUATION])]
    return [
        Account("Valuation", "money", float(b[F.VALUATION]), float(a[F.VALUATION]), _nonzero(value)),
        Account("GPUs owned", "gpus", float(b[F.GPUS]), float(a[F.GPUS]), _nonzero(gpus)),
        Account("GPUs running", "gpus", float(b[F.ONLINE]), float(a[F.ONLINE]), _nonzero(running, keep=IDLE),
                (OWNED_NET, DARK_BACK, DARK)),
        Account("GPUs on order", "gpus", float(b[F.BACKLOG]), float(a[F.BACKLOG]), _nonzero(backlog)),
        Account("Researchers", "people", float(b[F.RESEARCHERS]), float(a[F.RESEARCHERS]), _nonzero(people)),
        Account("Model quality", "quality", float(b[F.QUALITY]), float(a[F.QUALITY]), _nonzero(quality, 1e-9)),
        Account("Market share", "share", float(b[F.SHARE]), float(a[F.SHARE]), _nonzero(share, 1e-9)),
        Account("Revenue per quarter", "money", float(b[F.REVENUE]), float(a[F.REVENUE]), _nonzero(revenue)),
    ]


def value_terms(before, after, i: int, params=None) -> list[tuple[str, float]]:
    """What moved lab ``i``'s valuation (M8), part by part; they add up to the change. With the
    balance's ``params``, the customers' part names the mood investors priced it at."""
    b, a = before.labs[i], after.labs[i]
    terms = [(what, float(a[f] - b[f])) for what, f in VALUE_PARTS[:-1]]
    terms[1:2] = _running_terms(b, a)
    if params is not None:
        def mood(labs) -> str:  # the mood of the price: its customers' part over a year of kept revenue at the multiple
            year = 4.0 * kept_revenue(labs, i) * params[P.REVENUE_MULTIPLE]
            return f"{labs[i, F.VALUE_CUSTOMERS] / year:.2f}" if year > 0.0 else "-"
        terms[0] = (f"{terms[0][0]} (the mood as investors priced the lab: {mood(before.labs)} -> {mood(after.labs)})",
                    terms[0][1])
    # investors price the cash less debt before the quarter's events, sales and rescues (which come
    # after): the cash flow's change, then what came after the pricing, last quarter's and this one's
    net_b, net_a = float(b[F.CASH] - b[F.DEBT]), float(a[F.CASH] - a[F.DEBT])
    terms += [("cash less debt: the net change of the cash flow above, less new loans, plus repayments", net_a - net_b),
              (f"last quarter's {AFTER_PRICING}: they came after investors priced the lab then",
               -float(b[F.VALUE_NET_CASH] - net_b)),
              (f"this quarter's {AFTER_PRICING}, given back: the cash line above counts them, this price does "
               "not yet (investors priced the lab before them; next quarter's price counts them)",
               float(a[F.VALUE_NET_CASH] - net_a))]
    # the price is the sum of its parts, never below zero: last quarter's floor is lifted as the
    # parts are priced again, this quarter's added
    terms.append(("last quarter's floor at zero lifted: its parts are priced as they are again", -_price_gap(b)))
    terms.append(("no lower than zero: debts exceed the rest", _price_gap(a)))
    return terms


def _running_terms(b, a) -> list[tuple[str, float]]:
    """The running GPUs' part of a valuation's move, in two: the GPUs running more or fewer, at the
    price one was worth at the start, and what each is worth now (spot and list price move it: a
    lab can run more GPUs and be worth less for them)."""
    count_b, count_a = (float(row[F.ONLINE] + row[F.HEAT_DARK]) for row in (b, a))
    each_b = b[F.VALUE_RUNNING] / count_b if count_b > 0.0 else 0.0
    each_a = a[F.VALUE_RUNNING] / count_a if count_a > 0.0 else each_b
    if count_b <= 0.0:
        each_b = each_a
    was, now = _thousands(each_b, each_a)
    dark = " (a heatwave's dark ones too)" if b[F.HEAT_DARK] > 0.0 or a[F.HEAT_DARK] > 0.0 else ""
    shown_b, shown_a = (round(row[F.ONLINE]) + heat_dark_shown(row) for row in (b, a))  # as the GPU ledgers write them
    more = "more" if shown_a >= shown_b else "fewer"
    return [(f"running GPUs{dark}: {count(abs(shown_a - shown_b))} {more}, at "
             f"{was} each as installing one cost at the start", float((count_a - count_b) * each_b)),
            (f"what a running GPU is worth, as installing one costs: {was} -> {now} (spot and list price)",
             float(count_a * (each_a - each_b)))]


def _thousands(was: float, now: float) -> tuple[str, str]:
    """Two prices ($M) in $k, to whole thousands unless that would show a move as none ($30k -> $30k):
    then to the first decimal that tells them apart ($10 at most; ``formats.apart``)."""
    a, b = apart(was * 1000, now * 1000, 0, most=2)
    return f"${a}k", f"${b}k"


def cloud_ran_out(world_before, world_after) -> bool:
    """M13: the labs' rentals took the cloud pool (as it was when they rented: it grows at the quarter's
    end), so a rental cut short was cut by the pool, not by the lab's cash."""
    return world_after[F.CLOUD_RENTED] >= 0.98 * world_before[F.CLOUD_POOL]


def _price_gap(row) -> float:
    """How far a lab's valuation is above the sum of its priced parts (``VALUE_PARTS``): what the
    floor at zero added, for a lab whose debts exceed the rest."""
    return float(row[F.VALUATION] - sum(row[f] for _, f in VALUE_PARTS))


def _nonzero(terms, tiny: float = 1e-6, keep: str = "") -> list[tuple[str, float]]:
    """The terms that moved the account (``keep``: a term kept whatever its size, to take up the
    rounding of a term pinned to another account's: written only if it does)."""
    return [(what, float(amount)) for what, amount in terms if abs(amount) > tiny or what == keep]


def heat_hub(game, before, i: int) -> int:
    """The hub a heatwave hit lab ``i`` in the quarter after ``before`` (M11): where its one heat
    draw of the quarter landed among the hubs' slices (``markets.heat_slices``, the rule the
    engine applies)."""
    draw = uniform(quarter_key(game.key, int(before.world[F.QUARTER])), i, STREAM_HEAT)
    slices = heat_slices(game.world.hubs)
    return next((h for h, (low, high) in enumerate(slices) if low <= draw < high), len(slices) - 1)


def heat_dark_shown(row) -> int:
    """The GPUs a heatwave has dark in a lab's state ``row``, whole, as HQ, the hubs view, the
    report and the debrief write them (``views.idle_shown``)."""
    return idle_shown(row[F.GPUS], row[F.ONLINE], row[F.STRANDED], row[F.HEAT_DARK])[1]


def cancelled_gpus(b, orders) -> float:
    """GPUs a lab (row ``b`` as the quarter began) took off its order book with ``orders.cancel``:
    that share of the backlog it had (``markets.gpu_market`` cancels before this quarter's orders)."""
    return float(b[F.BACKLOG] * min(max(orders.cancel, 0.0), 1.0))


def _controlled(game, a) -> list[int]:
    """The export-controlled hubs where lab row ``a`` has GPUs on order."""
    return [h for h in range(len(game.world.hub_ids)) if game.world.export_controlled(h) and a[F.HUB_BACKLOG + h] > 0.0]


def controlled_backlog(game, a) -> float:
    """GPUs lab row ``a`` has on order in export-controlled hubs (vendors ship none there under controls)."""
    return float(sum(a[F.HUB_BACKLOG + h] for h in _controlled(game, a)))


def controlled_hubs(game, a) -> str:
    """Those hubs by name ("a controlled hub" if none)."""
    return " and ".join(game.world.hub_names[h] for h in _controlled(game, a)) or "a controlled hub"


def _mw(x: float) -> str:
    """MW as the report says them: to the tenth below 100 MW, so 8.8 of 9 never reads "9 of 9"."""
    return f"{x:,.1f}" if abs(x) < 100 else f"{x:,.0f}"


def powered_up(game, before, i: int) -> list[tuple[int, float]]:
    """(hub, MW) of lab ``i``'s power that came online in the quarter that began at ``before``:
    its construction's slot for that quarter (``markets.power``)."""
    quarter, pipe = int(before.world[F.QUARTER]), F.HUB_MW_PIPE
    came = [(h, float(before.labs[i, pipe + h * F.PIPE + quarter % F.PIPE])) for h in range(len(game.world.hub_ids))]
    return [(h, mw) for h, mw in came if mw >= 0.05]


def grid_shortfall(game, before, after, orders) -> str:
    """Why the grid connected less than a lab asked: at a hub whose free headroom ran out (all of
    it taken, after a scheduled scenario cut or by the labs building there), or, where headroom
    was left, the lab's cash (it starts no more building than it can pay for)."""
    w, quarter = game.world, int(before.world[F.QUARTER])
    row = w.sched[schedule_row(w.sched, quarter)]
    why, roomy = [], []
    for h, hub in enumerate(w.hub_ids):
        if orders.power_mw.get(hub, 0.0) <= 0.0:
            continue  # not asked for
        if after.world[F.HEADROOM + h] >= 0.5:
            roomy.append(w.hub_names[h])  # not short here: the grid had room to spare
            continue
        if row[F.S_HEADROOM_DELTA + h] < 0.0:
            left = max(0.0, before.world[F.HEADROOM + h] + row[F.S_HEADROOM_DELTA + h])
            why.append(f"in {w.hub_names[h]} a scheduled scenario event cut the grid's free headroom to {left:,.0f} MW "
                       "(see the events), shared by every lab building there")
        else:
            why.append(f"the grid headroom in {w.hub_names[h]} is shared by every lab building there and ran out")
    if not why:
        return "you start no more building than your cash can pay for"
    spare = f" ({' and '.join(roomy)} had grid to spare)" if roomy else ""
    return "; ".join(why) + spare


def sales(before, after) -> list[tuple[int, int]]:
    """(lab, buyer) for every lab a rival bought in distress over a quarter (M9); ``before``,
    ``after``: the labs' state arrays as it began and ended."""
    return [(k, int(after[k, F.BOUGHT_BY]) - 1) for k in range(len(after))
            if before[k, F.STATUS] == F.ALIVE and after[k, F.STATUS] == F.ACQUIRED]


def _sales(before, after) -> list[tuple[int, int]]:
    """``sales`` between two snapshots."""
    return sales(before.labs, after.labs)


TECH_DEBT_NOTED = 0.05  # growth adding this much tech debt is said even when R&D paid it down again (M6)


def _tech_debt_line(b, a, params, owned: dict, bought: float) -> str:
    """Lab row ``a``'s tech debt over the quarter (``b`` before), its parts written so they add up
    (``engine.people.tech_debt_moves``, M6): what the fleet's growth added, what efficiency R&D paid
    down and what engineers chipped away; '' when it did not move and growth added little.
    ``owned``: the GPUs owned account's terms, whose arrivals it quotes; ``bought``: the GPUs that
    came with labs it bought in distress this quarter (after the phase that counts tech debt)."""
    if b[F.STATUS] != F.ALIVE:
        return ""  # (out of the race before the quarter: no phase counted its debt)
    arrived = a[F.GPUS_DELIVERED] + a[F.GPUS_CUSTOM]
    fleet = a[F.GPUS] + a[F.FIRE_SOLD] - bought  # as the organisation phase measured it (before sales)
    added, paid = (float(x) for x in tech_debt_moves(arrived, fleet, a[F.OUT_EFFICIENCY_RND], params))
    if abs(a[F.TECH_DEBT] - b[F.TECH_DEBT]) < 0.005 and added < TECH_DEBT_NOTED:
        return ""
    terms = [added, -paid, -float(params[P.DEBT_DECAY])]
    bound = a[F.TECH_DEBT] - (b[F.TECH_DEBT] + sum(terms))  # what the 0..1 bounds held back
    clamped = abs(bound) > 1e-9 and float(a[F.TECH_DEBT]) in (0.0, 1.0)
    start, shown, end, _ = ledger("quality", b[F.TECH_DEBT], terms + ([bound] if clamped else []), a[F.TECH_DEBT],
                                  pinned=(0, 1, 2) if clamped else ())
    parts = []
    if shown[0]:
        simple = params[P.DEBT_SIMPLE_FLEET]
        before_arrivals = fleet - arrived
        against = (f"on a fleet of {count(before_arrivals)}" if before_arrivals >= simple else
                   f"against the {count(simple)} a small team runs without strain")
        n = owned.get(VENDORS, round(a[F.GPUS_DELIVERED])) + owned.get(OWN_SILICON, round(a[F.GPUS_CUSTOM]))
        parts.append(f"growth added {shown[0]} ({count(n)} GPUs arrived {against}, powered or not: each doubling "
                     f"of the fleet in a quarter adds {params[P.DEBT_GROWTH]:.2f})")
    if shown[1]:
        parts.append(f"efficiency R&D ({money(a[F.OUT_EFFICIENCY_RND])}) paid {shown[1]} down")
    if shown[2]:
        parts.append(f"engineers chipped {shown[2]} away")
    if clamped and shown[3]:
        parts.append(f"it cannot {'fall below 0' if bound > 0 else 'rise above 1'}")
    start, end = (figure if figure != "0" else "0.00" for figure in (start, end))  # (as HQ writes tech debt)
    head = f"Tech debt held at {end}" if start == end else f"Tech debt {start} -> {end}"
    return f"{head}: {listed(parts)} (M6)."


def _mood_moves(bw, aw, w) -> str:
    """Why investors' mood moved over a quarter (M8, ``engine.turn.mood_pulls``): the mood it heads
    for and what set it, a cap while the market recovers from a crash, a scenario's mood shift;
    '' where the world's figures do not give back the mood the quarter reached."""
    params, q = w.params, int(bw[F.QUARTER])
    slot = q % 4
    year_ago, revenue = bw[F.REVENUE_4Q + slot], aw[F.REVENUE_4Q + slot]
    growth = revenue / year_ago - 1.0 if year_ago > 0.0 else 0.0
    pulls = [float(x) for x in mood_pulls(growth, aw[F.FRONTIER] - bw[F.FRONTIER], aw[F.REVENUE_GAP], params)]
    target = free = 1.0 + pulls[0] + pulls[1] - pulls[2]
    if bw[F.MUSIC_STOPPED] > 0.0:
        target = min(target, params[P.CRASH_SENTIMENT] + params[P.CRASH_RECOVERY] * (q - bw[F.MUSIC_QUARTER]))
    shock = float(w.sched[schedule_row(w.sched, q), F.S_SENTIMENT_SHOCK])
    mood = bw[F.SENTIMENT] + params[P.SENTIMENT_SPEED] * (target - bw[F.SENTIMENT])
    if min(max(mood + shock, params[P.SENTIMENT_MIN]), params[P.SENTIMENT_MAX]) != aw[F.SENTIMENT]:
        return ""  # (the figures do not give it back: say nothing rather than something untrue)
    terms = [pulls[0], pulls[1], -pulls[2]]  # (no revenue a year ago: no growth, and its term is 0)
    words = [f"AI revenue {'up' if growth >= 0 else 'down'} {abs(growth):.0%} on a year ago",
             "the frontier model's progress", f"the revenue gap past {params[P.GAP_COMFORT]:g}x"]
    _, shown, total, _ = ledger("quality", 1.0, terms, free)  # (rounded so that they add up as written)
    why = "1" + "".join(f" {'+' if x > 0 else '-'} {size} for {said}" for x, size, said in zip(terms, shown, words)
                        if size)
    toward = f"{total}: {why}"
    if target < free:
        since = q - int(bw[F.MUSIC_QUARTER])
        toward = (f"{target:.2f}, as high as the mood may be {quarters(since)} after the crash of "
                  f"{w.label(int(bw[F.MUSIC_QUARTER]))}, not {toward}")
    shift = f", and the scenario's mood shift {shock:+.2f}" if abs(shock) >= 0.005 else ""
    return f" (it moves {params[P.SENTIMENT_SPEED]:.0%} of the way each quarter toward {toward}{shift}; M8)"


def sovereign_words(labs, i: int, w) -> str:
    """How much more a round of lab ``i`` may sell for the sovereign funds behind its hubs (M11,
    ``markets.sovereign_backing``) and why: each such hub's funding, by the share of the lab's power
    built there ('' with none). ``w``: the game's ``World``."""
    backing = float(sovereign_backing(labs, i, w.hubs))
    if backing < 0.005:
        return ""
    mw = sum(labs[i, F.HUB_MW + h] for h in range(len(w.hub_ids)))
    parts = [f"+{w.hubs[h, F.HP_SOVEREIGN_FUNDING]:.0%} in {w.hub_names[h]}, where {labs[i, F.HUB_MW + h] / mw:.0%} "
             f"of your power is built" for h in range(len(w.hub_ids))
             if w.hubs[h, F.HP_SOVEREIGN_FUNDING] > 0.0 and labs[i, F.HUB_MW + h] > 0.0]
    return f"{backing:.0%} more for the sovereign funds behind your hubs ({'; '.join(parts)})"


def financing_lines(b, a, wb, wa, debt_order: float, params, mood: float, sovereign: str) -> list[str]:
    """What investors and lenders gave lab row ``a`` (``b`` before the quarter; ``wb``, ``wa`` the
    world before and after; ``mood``: the sentiment rounds were sold at, ``crash.round_mood``;
    ``sovereign``: the lab's ``sovereign_words``) and, where they gave less than asked, why."""
    out = []
    asked, got, cap, plan = a[F.EQUITY_ASKED], a[F.IN_EQUITY], a[F.EQUITY_CAP], a[F.EQUITY_PLAN]
    pool = wa[F.EQUITY_POOL]
    crashed = " (the music stopped as the quarter opened)" if mood < wb[F.SENTIMENT] else ""
    plan_shown = money_apart(got, plan)[1] if got > 0 else money(plan)  # (as the amount raised is written beside it)
    plan_reason = (f"investors fund a plan, not a pile: they top cash up to {params[P.EQUITY_PLAN_QUARTERS]:.0f} "
                   f"quarters of what you have been spending ({money(b[F.SPENDING])} a quarter: every "
                   f"outlay but debt repaid, GPUs and power included, smoothed; not the net burn, which revenue offsets) "
                   f"and you hold "
                   f"{money(b[F.CASH])}, so {f'at most {plan_shown}' if plan > 0 else 'nothing more'} this quarter; "
                   f"spend on GPUs, power or people and the next round can be bigger")
    if asked > 0:
        if got >= asked - 1e-6:
            out.append(f"Raised {money_apart(got, asked)[0]} of equity; founders now hold {a[F.STAKE]:.0%}{stake_after(a)}.")
        elif mood <= params[P.EQUITY_MIN_SENTIMENT]:
            out.append(f"No investor would fund the {money(asked)} round: equity markets are shut "
                       f"at sentiment {mood:.2f}{crashed}.")
        elif cap <= 0:
            out.append(f"No investor would fund the {money(asked)} round: {plan_reason}.")
        else:
            why = []
            if cap < asked - 1e-6 and plan <= cap + 1e-6:
                why.append(plan_reason)
            elif cap < asked - 1e-6:
                backed = f", {sovereign}" if sovereign else ""
                why.append(f"a round sells at most {params[P.EQUITY_MAX_DILUTION]:.0%} of the company's valuation at "
                           f"sentiment 1.00 or above, less as the mood sours, nothing at "
                           f"{params[P.EQUITY_MIN_SENTIMENT]:.2f}{backed}: {money_apart(cap, asked)[0]} at sentiment "
                           f"{mood:.2f}{crashed}")
            put, of = money_apart(got, asked)
            if got < min(asked, cap) - 1e-6:
                came = f", so {put} of the {money_apart(got, min(asked, cap))[1]} on offer came to you" if why else ""
                why.append(f"this quarter's venture money for AI labs, {money(pool)}, went to the leaders and fast "
                           f"growers first{came}")
            out.append(f"Investors put in {put} of the {of} asked: {'; '.join(why)}. "
                       f"Founders now hold {a[F.STAKE]:.0%}{stake_after(a)}.")
    if debt_order > 0:
        got, room = a[F.IN_DEBT], a[F.DEBT_CAP]
        if got >= debt_order - 1e-6:
            out.append(f"Borrowed {money_apart(got, debt_order)[0]}; debt now {money(a[F.DEBT])}.")
        else:
            why = []
            if room < debt_order - 1e-6:
                why.append(f"lenders lend you at most {money(room)} more against your revenue and GPUs")
            if got < min(debt_order, room) - 1e-6:
                why.append(f"this quarter's {money(wa[F.LOAN_POOL])} of loans was shared pro rata among the borrowers")
            gave, of = money_apart(got, debt_order)
            out.append(f"Lenders gave {gave} of the {of} asked: {'; '.join(why)}.")
    repaid = a[F.OUT_REPAY] - (min(a[F.COVENANT_CALLED], a[F.OUT_REPAY]) if a[F.COVENANT_CALLED] > 0 else 0.0)
    if debt_order < 0 and repaid > 1e-6:  # the repayment ordered (a called covenant has its own line)
        out.append(f"Repaid {money(repaid)} of debt" + (f" of the {money(-debt_order)} ordered (all you owed)"
                                                         if repaid < -debt_order - 1e-6 else "")
                   + f"; debt now {money(a[F.DEBT])}.")
    return out


def _valuation_movers(valuation: Account, net: float) -> str:
    """What moved a valuation most, in words: the biggest part that moved it the way it went
    and, if a bigger one pulled against it, that one too (each as the account writes it)."""
    shown = valuation.shown()
    terms = [(what, shown[what]) for what, _ in valuation.terms]
    def said(part: tuple[str, float]) -> str:
        what, change = part
        return f"{what.split(':')[0]} ({'+' if change >= 0 else '-'}{money(abs(change))})"

    biggest = max(terms, key=lambda part: abs(part[1]))
    along = [part for part in terms if part[1] * net > 0]
    if not along:
        return f"most of the move is {said(biggest)}"
    main = max(along, key=lambda part: abs(part[1]))
    against = f", against {said(biggest)}" if biggest[1] * net < 0 and abs(biggest[1]) > abs(main[1]) else ""
    return f"{'up' if net > 0 else 'down'} most from {said(main)}{against}"


def tier_lift(ceiling: int) -> str:
    """What raises a tier ceiling (M1): running the next stage's GPUs (rented and partner GPUs
    count), or nothing at the Dominator's, the top."""
    if ceiling >= len(F.STAGE_NAMES):
        return "the highest tier there is"
    return f"running {F.STAGE_FLOORS[ceiling]:,.0f} GPUs lifts it, rented and partner ones too"


def _pay(package: float, average: float) -> str:
    """"$2.5M a year against $2.6M", with the digits more that tell the two apart when they
    would read the same ("$2.40M a year against $2.44M"; ``formats.apart``)."""
    mine, theirs = money(package), money(average)
    if mine == theirs and package != average and max(package, average) < 1000.0:
        a, b = apart(package, average, 1 if max(package, average) < 10.0 else 0, most=2)
        mine, theirs = f"${a}M", f"${b}M"
    return f"{mine} a year against {theirs}"


def attrition_parts_seen(before, after, i: int, params) -> tuple[list[tuple[float, str]], float]:
    """The quarter's attrition rate of lab ``i``, part by part, as the talent phase set it: a base
    rate, more for a culture below full and for pay under the market's average (M6, the labs'
    packages that quarter), each with its words, and the rest, the death zone's pull (M7)."""
    b, a = before.labs[i], after.labs[i]
    seen = before.labs.copy()  # the labs as the talent phase saw them: as the quarter began, with its packages
    seen[:, F.PACKAGE] = after.labs[:, F.PACKAGE]
    # the death zone's part rests on the fleet at mid-quarter, which neither row holds: it is the rest of the rate
    average = market_pay(seen)
    base, culture, underpaid, _ = attrition_parts(seen, i, params, average)
    parts = [(base, "of a lab's researchers leave every quarter"),
             (culture, f"more as culture is below full ({b[F.CULTURE]:.2f} of 1)"),
             (underpaid, f"more for pay under the labs' average this quarter, with the packages their orders set "
                         f"({_pay(a[F.PACKAGE], average)})")]
    rate = (a[F.ATTRITION] - a[F.RAIDED]) / b[F.RESEARCHERS] if b[F.RESEARCHERS] > 0 else 0.0
    return parts, max(rate - sum(part for part, _ in parts), 0.0)


def _why_people_leave(before, after, i: int, params) -> str:
    """The quarter's attrition in words (``attrition_parts_seen``); raids are said apart."""
    parts, zone = attrition_parts_seen(before, after, i, params)
    said = ", ".join(f"{part:.1%} {what}" for part, what in parts if part >= 0.0005) + " (M6)"
    if zone >= 0.0005:
        said += f", {zone:.1%} more in the death zone, which bleeds talent to bigger clusters (M7)"
    return f": {said}"


def lapsed(b, orders, alive: bool = True, coming: bool = False) -> list[str]:
    """What ends as ``orders`` do not renew it, for a lab whose last quarter left ``b``: a compute
    partnership and rented cloud GPUs run a quarter at a time (M13). As the report says it, or,
    ``coming``, as the forecast warns of it."""
    if not alive:
        return []
    out = []
    if b[F.PARTNER_GPUS] > 0.5 and orders.partnership <= 0.0:
        ended, did, stop = ("ends this quarter", "do", "stop working") if coming else ("ended", "did", "no longer work")
        out.append(f"Your compute partnership {ended}: a partnership runs a quarter at a time and these orders {did} "
                   f"not renew it, so its {count(b[F.PARTNER_GPUS])} GPU-equivalents {stop} for you (M13).")
    if b[F.RENTED] > 0.5 and orders.rent <= 0.0:
        went = "go back this quarter" if coming else "went back"
        out.append(f"The {count(b[F.RENTED])} cloud GPUs rented last quarter {went}: rental runs a quarter at a "
                   "time, so rent again to keep them (M13).")
    return out


def _as_it_played(row, account: dict[str, Account]) -> np.ndarray:
    """A copy of the ``row`` of a lab that left the race at the quarter's end (bought or wound up),
    the figures leaving set to 0 put back as the quarter's phases saw them: the researchers and
    market share it had (its accounts' terms before the leaving ones) and the revenue it earned."""
    seen = row.copy()
    seen[F.REVENUE] = seen[F.IN_REVENUE]
    for name, index in (("Researchers", F.RESEARCHERS), ("Market share", F.SHARE)):
        kept = account[name]
        seen[index] = kept.start + sum(v for what, v in kept.terms if what not in (TO_BUYER, LET_GO, LEFT_RACE))
    return seen


def _lab_lines(game, i, before, after, orders, accounts: list[Account]) -> list[News]:
    b = before.labs[i]
    account = {acc.name: acc for acc in accounts}  # the lines that quote one say its terms as it writes them
    left = b[F.STATUS] == F.ALIVE and after.labs[i, F.STATUS] != F.ALIVE  # it left the race at the quarter's end
    a = _as_it_played(after.labs[i], account) if left else after.labs[i]  # the quarter's lines tell it as it played
    hub_names = game.world.hub_names
    out: list[News] = []

    def say(phase: str, text: str, headline: bool = False) -> None:
        out.append(News(phase, i, text, headline))

    # financing (M8, M11)
    mood = round_mood(before.labs, before.world, game.world.params, game.world.sched)
    backing = sovereign_words(before.labs, i, game.world)
    for text in financing_lines(b, a, before.world, after.world, orders.debt, game.world.params, mood, backing):
        say("financing", text)
    if a[F.IN_PARENT] > 0:
        say("financing", f"The parent company sent {money(a[F.IN_PARENT])}.")
    # GPU market (M4, M13)
    cancelled = cancelled_gpus(b, orders)
    if cancelled >= 0.5:
        say("gpu market", f"Cancelled {count(cancelled)} GPUs on order ({orders.cancel:.0%} of the backlog, at every "
                          "hub alike): GPUs are paid on delivery, so cancelling costs nothing (M4).")
    asked = a[F.GPUS_WANTED]
    got = a[F.GPUS_DELIVERED]
    if a[F.GPUS_ORDERED] > 0 or asked > 0 or got > 0:
        got_w = account["GPUs owned"].shown().get(VENDORS, round(got))  # as the accounts write them
        still = round(a[F.BACKLOG])
        if abs(asked - (got + a[F.BACKLOG])) < 1.0:  # all it had on order it could pay for: they add up as written
            asked = got_w + still
        text = f"You got {count(got_w)} of the {count(asked)} GPUs you could pay for"
        if got > 0:
            text += f", at {money(a[F.UNIT_PRICE] * 1000).replace('M', 'k')} each installed"
        text += f"; {count(still)} still on order."
        if got < asked - 0.5:
            text += " Vendors are short: buyers who pay a premium or bought before go first."
        say("gpu market", text)
    if a[F.GPUS_CUSTOM] > 0:
        say("gpu market", f"Your own silicon delivered {count(a[F.GPUS_CUSTOM])} accelerators outside the vendor queue.")
    if a[F.EVENT] == F.EV_EXPORT_SEIZED:
        say("gpu market", f"Export controls came in at the quarter's end: from next quarter vendors ship nothing to "
                          f"your {count(controlled_backlog(game, a))} GPUs on order in {controlled_hubs(game, a)} "
                          "(your own chips still arrive; cancelling cuts every hub's backlog alike).")
    if orders.rent > 0:
        text = f"Rented {count(a[F.RENTED])} of {count(orders.rent)} cloud GPUs asked for {money(a[F.OUT_RENTAL])}"
        if a[F.RENTED] > 0.5:
            text += (f" (${a[F.OUT_RENTAL] / a[F.RENTED] * 1000:,.1f}k each: the cloud's price moves with the GPU "
                     "spot price, as this quarter's GPU market left it)")
        if a[F.RENTED] < orders.rent - 0.5:  # the pool as it was when the labs rented (it grows at the quarter's end)
            full = cloud_ran_out(before.world, after.world)
            text += ("; the cloud pool ran out and was shared among the labs that asked (M13)" if full else
                     "; your cash covered no more")
        say("gpu market", text + ".")
    for text in lapsed(b, orders, a[F.STATUS] == F.ALIVE):
        say("gpu market", text)
    if a[F.PARTNER_GPUS] > 0:
        take = a[F.OUT_PARTNER] / a[F.REVENUE] if a[F.REVENUE] > 0 else 0.0
        say("gpu market", f"Your compute partner supplies {count(a[F.PARTNER_GPUS])} GPU-equivalents (a partnership "
                          f"{orders.partnership:.0%} deep) for {take:.0%} of your revenue ({money(a[F.OUT_PARTNER])}).")
    # power (M5)
    if a[F.MW_ASKED] > 0:
        if a[F.MW_GRANTED] < a[F.MW_ASKED] - 1e-6:
            say("power", f"The grid connected {_mw(a[F.MW_GRANTED])} of the {_mw(a[F.MW_ASKED])} MW you asked to build: "
                         f"{grid_shortfall(game, before, after, orders)}.")
        else:
            say("power", f"Started building {_mw(a[F.MW_GRANTED])} MW ({money(a[F.OUT_POWER_BUILD])}).")
    came = powered_up(game, before, i)
    if came:
        per_mw = game.world.hubs[:, F.HP_GPUS_PER_MW]
        runs = sum(mw * per_mw[h] for h, mw in came)
        say("power", f"Power came online: {listed([f'{_mw(mw)} MW in {hub_names[h]}' for h, mw in came])}, "
                     f"enough to run {count(runs)} more GPUs (M5).")
    unpowered, dark_shown = idle_shown(a[F.GPUS], a[F.ONLINE], a[F.STRANDED], a[F.HEAT_DARK])  # (as HQ says them)
    if unpowered > 0:
        idle = a[F.HUB_STRANDED:F.HUB_STRANDED + len(hub_names)].copy()
        if a[F.HEAT_DARK] > 0.0:  # a heatwave's dark GPUs are stranded too, but at its one hub and not for power
            idle[heat_hub(game, before, i)] -= a[F.HEAT_DARK]
        worst = int(np.argmax(idle))
        share = unpowered / max(a[F.GPUS], 1)
        said = f"{share:.0%}" if share >= 0.005 else "under 1%"
        say("power", f"{count(unpowered)} GPUs sit idle for lack of power "
                     f"({said} of your fleet; most in {hub_names[worst]}).")
    if a[F.HEAT_DARK] > 0.0:  # (its own field: the quarter's event code may name a later event, export controls)
        where = f"in {hub_names[heat_hub(game, before, i)]}"
        say("power", f"A heatwave overwhelmed cooling: {count(dark_shown)} GPUs went dark this quarter "
                     f"({game.world.params[P.HEATWAVE_LOSS]:.0%} of those running {where}; M11).")
    # talent (M3, M6, M7)
    if a[F.HIRES_ASKED] > 0:
        hired = account["Researchers"].shown().get(HIRED, a[F.HIRES_WON])  # as the researchers' account writes it
        text = f"Hired {_count_people(hired)} of {researchers(a[F.HIRES_ASKED])} sought"
        if a[F.POACHED] > 0.5:
            text += f", {count(a[F.POACHED])} of them poached from rivals"
        if a[F.HIRES_WON] < a[F.HIRES_ASKED] - 0.5:
            text += (" (the free talent ran out: it went to the labs hiring by what each asked times its pull, which "
                     "pay, culture and its hubs' talent make; a lab short of people poaches from less magnetic rivals, "
                     "M6)")
        if a[F.HIRES_WON] > 0.5:
            worth = hire_quality(after.labs, i, game.world.params)
            top = worth >= game.world.params[P.HIRE_QUALITY_MAX] - 1e-9
            text += (f", each of quality {worth:.2f} at your package (a researcher hired at the market's reference "
                     "pay is 1.00: pay buys quality"
                     + ("; no package buys more: pay above this buys loyalty and poaching power" if top else "")
                     + "; M6)")
        say("talent", text + ".")
    gone = -account["Researchers"].shown().get(LEFT, 0.0)  # as the researchers' account writes it (a tenth, under 100)
    if a[F.ATTRITION] > 0.5 and gone > 0.0:
        text = f"{_people(gone)} left"
        if a[F.RAIDED] > 0.5:
            text += f" ({count(a[F.RAIDED])} raided by more magnetic rivals)"
        say("talent", text + _why_people_leave(before, after, i, game.world.params) + ".")
    if a[F.LAID_OFF] > 0:
        p = game.world.params
        staff = (f" Engineering and operations staff follow the team and the fleet ({p[P.STAFF_PER_RESEARCHER]:g} a "
                 f"researcher, {p[P.STAFF_PER_KGPU]:g} per 1,000 GPUs online, {p[P.STAFF_BASE]:g} any lab needs; M6): "
                 f"{count(b[F.STAFF])} -> {count(a[F.STAFF])}." if a[F.STAFF] < b[F.STAFF] - 0.5 else "")
        say("talent", f"Laid off {researchers(a[F.LAID_OFF])}; culture took the hit.{staff}")
    # training (M1, M2)
    quality = account["Model quality"].shown()
    trained, copied, lost = quality.get(TRAINED, 0.0), quality.get(COPIED, 0.0), quality.get(AGED, 0.0)
    if a[F.TRAIN_RUN] > 0:
        ceiling = None if left else int(tier_ceiling(after.labs, i))  # (a lab that left took its fleet: no stage)
        if ceiling is not None and a[F.QUALITY_TRAINED] <= 1e-9 and a[F.QUALITY] >= ceiling - 1e-9:
            above = (f", above your tier ceiling of {ceiling} (the ceiling of the stage you are at now; the model "
                     "got there earlier or was copied up from the frontier)" if a[F.QUALITY] > ceiling + 0.005 else
                     f": your tier ceiling is {ceiling}")
            say("training", f"A training run succeeded ({a[F.TRAIN_CHANCE]:.0%} chance; M6) but the model stays at "
                            f"quality {a[F.QUALITY]:.2f}{above} "
                            f"({tier_lift(ceiling)}), so more compute on training buys nothing until it rises.")
        else:  # the parts as the model's account writes them, so that they add up as written
            start, _, end = ledger_values("quality", b[F.QUALITY], [], a[F.QUALITY])
            also = f" with +{copied:.2f} copied from the frontier (below)" if copied > 0.0 else ""
            also += f", less {-lost:.2f} lost to a new paradigm (M9)" if lost < 0.0 else ""
            gain = (f"+{trained:.2f} from the run" if trained > 0.0 else "nothing from the run" if left else
                    "under +0.01 from the run (the model is all but at your tier ceiling)")
            said = "."
            if ceiling is not None:
                params = game.world.params
                train = a[F.COMPUTE] * min(max(orders.train_split, 0.0), 1.0)
                scale = run_scale(train, float(ceiling), params)
                said = f" (your tier ceiling is {ceiling}; {tier_lift(ceiling)})."
                if scale < 1.0:
                    said += (f" A run on {count(train)} effective GPUs gets {scale:.0%} of a full run's gain; "
                             f"{count(full_run(float(ceiling), params))} would get all of it (M1).")
            if trained > 0.0 and before.world[F.REGIME] == F.REGIME_DISRUPTION:  # (the regime the run met)
                paradigm = game.world.params[P.PARADIGM_EFFICIENCY]
                said += (f" The new paradigm scales a run's gain by your efficiency over {paradigm:g} (x"
                         f"{a[F.EFFICIENCY] / paradigm:.2f} for you; M9 disruption).")
            say("training", f"A training run succeeded ({a[F.TRAIN_CHANCE]:.0%} chance; M6): model quality {gain}, "
                            f"{start:.2f} -> {end:.2f} over the quarter{also}{said}")
    elif a[F.TRAIN_RUN] < 0 and left:  # (the chance's parts need the fleet it ran, which went as it left)
        say("training", f"The training run failed: the compute is spent, the run added nothing (its chance was "
                        f"{a[F.TRAIN_CHANCE]:.0%}; M6).")
    elif a[F.TRAIN_RUN] < 0:
        params = game.world.params
        density = talent_density(after.labs, i, params)
        talent = params[P.TRAIN_TALENT] * density * a[F.TALENT_QUALITY]
        debt = params[P.TRAIN_DEBT] * b[F.TECH_DEBT]
        bounded = ""
        if abs(params[P.TRAIN_BASE] + talent - debt - a[F.TRAIN_CHANCE]) > 0.005:
            bounded = (f", kept within {params[P.TRAIN_MIN]:.0%}-{params[P.TRAIN_MAX]:.0%} (even the best lab fails "
                       "some runs; even the worst succeeds now and then)")
        ceiling = int(tier_ceiling(after.labs, i))
        against = "at" if b[F.QUALITY] < ceiling + 0.005 else f"at {b[F.QUALITY]:.2f}, above"  # (a ceiling that fell)
        capped = (f" It could have added nothing anyway: the model was already {against} your tier ceiling of {ceiling} "
                  f"({tier_lift(ceiling)}), so compute on training buys nothing until it rises (M1)."
                  if b[F.QUALITY] >= ceiling - 1e-9 else "")
        say("training", f"The training run failed: the compute is spent, the run added nothing (M6). Its chance was "
                        f"{a[F.TRAIN_CHANCE]:.0%}: every run starts at {params[P.TRAIN_BASE]:.0%}, talent density "
                        f"{density:.2f} x quality {a[F.TALENT_QUALITY]:.2f} added {talent:.0%}, tech debt "
                        f"{b[F.TECH_DEBT]:.2f} took {debt:.0%}{bounded}.{capped}")
    if copied > 0.0:
        say("training", f"Rivals' progress spread to you: model quality +{copied:.2f} copied from the best "
                        f"model (M3: a lab behind closes part of its gap each quarter, more with talent and open weights).")
    if lost < 0.0:
        say("training", f"A new paradigm made models age: quality −{-lost:.2f} (M9 disruption).")
    was, now = stage(b[F.ONLINE]), stage(a[F.ONLINE])
    if now != was and a[F.STATUS] == F.ALIVE:  # (a lab that left the race has no stage: its GPUs went with it)
        line = F.STAGE_FLOORS[now if now > was else now + 1]  # the line it crossed last
        heat = (f" A heatwave took {count(dark_shown)} dark this quarter (M11): they run again next quarter, but "
                "the stage and your tier ceiling count only the GPUs running." if now < was and a[F.HEAT_DARK] >= 0.5
                else "")
        say("training", f"Stage: {F.STAGE_NAMES[was]} -> {F.STAGE_NAMES[now]}: your running GPUs went from "
                        f"{count(b[F.ONLINE])} to {count(a[F.ONLINE])}, {'past' if now > was else 'back below'} "
                        f"{line:,.0f} (M1: the stage is the size of the fleet you run).{heat}")
    # customers (M2, M3)
    if a[F.DEMAND] > 0:
        text = f"Revenue {money(a[F.REVENUE])} (was {money(b[F.REVENUE])}), share {b[F.SHARE]:.1%} -> {a[F.SHARE]:.1%}"
        serving = 1.0 - min(max(orders.train_split, 0.0), 1.0)
        shrank, grew = a[F.SHARE] < 0.95 * b[F.SHARE], a[F.SHARE] > 1.05 * b[F.SHARE]
        share_said = False  # whether the revenue's reasons name the share's move
        if a[F.REVENUE] < a[F.DEMAND] - 1e-6:
            text += (f"; customers wanted {money(a[F.DEMAND])} and you could serve {a[F.REVENUE] / a[F.DEMAND]:.1%} of "
                     f"it: you lacked serving compute ({serving:.0%} of yours served them after the training split), "
                     "and customers you cannot serve drift away (M2)")
        elif a[F.REVENUE] < 0.9 * b[F.REVENUE]:
            why = []  # (how much of the fall it explains, the reason): the bigger first
            if shrank:
                why.append((1.0 - a[F.SHARE] / b[F.SHARE],
                            "your share fell (customers follow model quality against the rivals', M2, M3)"))
                share_said = True
            each = (a[F.REVENUE] / a[F.SHARE]) / (b[F.REVENUE] / b[F.SHARE]) if a[F.SHARE] > 0.0 < b[F.SHARE] else 1.0
            if each < 0.95:
                why.append((1.0 - each, f"a point of share earned {1.0 - each:.0%} less: "
                                        + _cheaper(game, before, after, i)))
            text += "; it fell because " + " and ".join(
                [reason for _, reason in sorted(why, key=lambda w: -w[0])] or ["customers spent less with you"])
        elif a[F.REVENUE] > 1.1 * max(b[F.REVENUE], 1e-9):
            why = []
            if grew:
                why.append("your share grew (customers follow model quality against the rivals', M2, M3)")
                share_said = True
            if a[F.OPEN_SOURCE] < b[F.OPEN_SOURCE]:
                why.append("your weights are closed again, so each customer pays the full price (M10)")
            if b[F.REVENUE] < b[F.DEMAND] - 1e-6 and a[F.REVENUE] >= a[F.DEMAND] - 1e-6:
                why.append("you now had the serving compute for every customer")
            why.append("the market grew (the revenue pool grows every quarter, faster as the frontier advances; M2)")
            text += "; it rose because " + " and ".join(why)
        if abs(a[F.SHARE] - b[F.SHARE]) >= 0.002 and not share_said:  # the share moved: say what moved it
            bought = sum(after.labs[k, F.SALE_SHARE] for k, buyer in _sales(before, after) if buyer == i)
            moves = [(-a[F.SHARE_CHURNED], "customers shopping around"), (a[F.SHARE_WON], "your model's appeal"),
                     (-a[F.SHARE_DEFECTED], "death-zone defections"), (-a[F.SHARE_UNSERVED], "customers you could not serve"),
                     (-a[F.SHARE_OUTAGE], "an outage"), (bought, "the customers of a lab you bought (M9)")]
            text += "; the share moved by " + ", ".join(f"{100 * v:+.1f} points from {what}" for v, what in moves
                                                        if abs(v) >= 0.0005) + " (M2, M3)"
        say("customers", text + ".")
    if not left:  # (a lab that left the race has no flywheel: leaving took its links)
        k = int(a[F.DRIVER])
        base = max(abs(b[F.LINK_FIELDS[k]]), F.LINK_FLOORS[k])
        say("customers", f"Flywheel: {F.LINK_NAMES[k]} moved most this quarter ({a[F.FLYWHEEL + k] / base:+.0%}).")
    # costs
    running = running_costs(after.labs, i)
    staff = a[F.STAFF] * game.world.params[P.STAFF_COST]
    # written to one precision, rounded so that the parts add up to the totals as written
    step = ledger_step("money", running)
    parts = [a[F.OUT_POWER], a[F.OUT_PAYROLL], a[F.OUT_OVERHEAD], a[F.OUT_INTEREST]]
    _, (energy, payroll, overhead, interest), total, _ = ledger("money", 0.0, parts, running, step)
    written = ledger_values("money", 0.0, parts, running, step)[1][1]  # the payroll as written above, split below
    _, (scientists, engineers), _, _ = ledger("money", 0.0, [a[F.OUT_PAYROLL] - staff, staff], written, step)
    nothing = "$0M" if step == 1.0 else "$0.0M"
    per_gpu = game.world.params[P.OVERHEAD_PER_GPU]
    upkeep = (f" (${per_gpu * 1000:,.3g}k a quarter for each of the {count(a[F.OUT_OVERHEAD] / per_gpu)} GPUs you "
              "owned, idle ones too)" if overhead and per_gpu > 0.0 else "")
    rate = ""
    if interest:  # the quarter's rate, on the whole debt: it floats with the mood as the quarter opened (M8)
        opened = opening_world(before.labs, before.world, game.world.params, game.world.sched)
        rate = (f" ({float(interest_rate(opened, game.world.params)):.1%} a year on your debt at this quarter's "
                "rate, which floats with investors' mood)")
    say("costs", f"Running costs {total}: energy {energy or nothing}, payroll {payroll or nothing} (researchers "
                 f"{scientists or nothing}, {count(a[F.STAFF])} engineering and operations staff "
                 f"{engineers or nothing}), overhead {overhead or nothing}{upkeep}, interest {interest or nothing}"
                 f"{rate}.")
    if a[F.IN_SUBSIDY] > 0.005:
        paying = [name for h, name in enumerate(game.world.hub_names)
                  if game.world.hubs[h, F.HP_SUBSIDY_PER_GPU] > 0 and a[F.HUB_ONLINE + h] > 0.5]
        per = [f"${game.world.hubs[h, F.HP_SUBSIDY_PER_GPU] * 1e6:,.0f}" for h, name in enumerate(game.world.hub_names)
               if name in paying]
        say("costs", f"Subsidy {money(a[F.IN_SUBSIDY])}: {' and '.join(paying)} pay{'s' if len(paying) == 1 else ''} "
                     f"{' and '.join(per)} a quarter for each GPU running there (a state subsidy for AI labs: "
                     "regulatory capture, M3).")
    if a[F.OUT_SILICON_RND] > 0.0:
        say("costs", f"Custom-silicon R&D {money(a[F.OUT_SILICON_RND])}: your own chips {b[F.SILICON]:.0%} -> "
                     f"{a[F.SILICON]:.0%} of the way (at 100% they ship outside the vendor queue; M13).")
    if a[F.RETENTION] > 0.0:
        params = game.world.params
        premium = a[F.RETENTION] / max(a[F.RESEARCHERS] * a[F.PACKAGE] / 4.0, 1e-9)  # as paid: on the base pay
        say("costs", f"Retention grants {money(a[F.RETENTION])} of that payroll: in the death zone bigger clusters "
                     f"court your researchers, and keeping them costs {premium:.0%} on top of pay "
                     f"({params[P.RETENTION_DEATH_ZONE]:.0%} on a first quarter there, more for each quarter a lab "
                     f"lingers; M7).")
    # organisation (M6, M12)
    if a[F.CULTURE] < b[F.CULTURE] - 0.02:
        cause = ("layoffs hit it" if a[F.LAID_OFF] > 0.5 and a[F.HIRES_WON] < 0.5 else
                 "layoffs and fast hiring hit it" if a[F.LAID_OFF] > 0.5 else "fast hiring and overwork dilute it")
        say("organisation", f"Culture {b[F.CULTURE]:.2f} -> {a[F.CULTURE]:.2f}: {cause}.")
    elif a[F.CULTURE] > b[F.CULTURE] + 0.02:
        say("organisation", f"Culture {b[F.CULTURE]:.2f} -> {a[F.CULTURE]:.2f}: it recovers "
                            f"{game.world.params[P.CULTURE_RECOVERY]:.0%} of the way back to full each quarter, less what "
                            "fast hiring, overwork and layoffs take (M6).")
    bought = sum(after.labs[k, F.SALE_GPUS] for k, buyer in _sales(before, after) if buyer == i)
    debt_line = _tech_debt_line(b, a, game.world.params, account["GPUs owned"].shown(), bought)
    if debt_line:
        say("organisation", debt_line)
    if a[F.STATUS] == F.ALIVE and abs(a[F.UTILIZATION] - b[F.UTILIZATION]) >= 0.005:
        params = game.world.params
        target = b[F.UTILIZATION] + (a[F.UTILIZATION] - b[F.UTILIZATION]) / params[P.UTIL_ADJUST]  # what it heads for
        say("organisation", f"Utilization {b[F.UTILIZATION]:.0%} -> {a[F.UTILIZATION]:.0%} (the share of your running "
                            f"GPUs doing useful work): it moves {params[P.UTIL_ADJUST]:.0%} of the way each quarter "
                            f"toward {target:.0%}, which talent density ({talent_density(after.labs, i, params):.2f}) "
                            f"raises and tech debt lowers (M6).")
    if a[F.EFFICIENCY] > b[F.EFFICIENCY] + 1e-3:
        say("organisation", f"Efficiency R&D: effective compute x{a[F.EFFICIENCY]:.2f} (M12).")
    # valuation (M8)
    if a[F.STATUS] == F.ALIVE and abs(a[F.VALUATION] - b[F.VALUATION]) > 0.005 * max(b[F.VALUATION], 1.0):
        built = (f"; the {money(a[F.OUT_POWER_BUILD])} spent building power is in no part of the price until GPUs "
                 "run on it (investors price running GPUs, not the sites for them)"
                 if a[F.VALUATION] < b[F.VALUATION] and a[F.OUT_POWER_BUILD] >= 0.05 else "")
        say("valuation", f"Valuation {money(b[F.VALUATION])} -> {money(a[F.VALUATION])}: "
                         f"{_valuation_movers(account['Valuation'], a[F.VALUATION] - b[F.VALUATION])}{built}; "
                         f"the report's accounts give every part (M8).")
    # events
    if a[F.EVENT] == F.EV_OUTAGE:
        say("events", f"An outage hit your service: {money(a[F.OUT_EVENTS])} lost and some customers left (tech debt).")
    elif a[F.EVENT] == F.EV_FINE:
        hubs = game.world.hubs
        risky = [f"{name} ({hubs[h, F.HP_REGULATORY_RISK]:.0%} a quarter)" for h, name in enumerate(hub_names)
                 if hubs[h, F.HP_REGULATORY_RISK] > 0.0 and a[F.HUB_ONLINE + h] >= 0.5]
        where = (f": your GPUs running in {listed(risky)} carry a risk of fines, each hub's odds counted by the "
                 "share of your running GPUs there")
        say("events", f"A regulator fined you {money(a[F.OUT_EVENTS])}{where if risky else ''} (M11).")
    # bankruptcy
    if a[F.COVENANT_CALLED] > 0.0:
        met = a[F.IN_RESCUE] <= 0.0 and a[F.IN_FIRE_SALE] <= 0.0 and a[F.STATUS] == F.ALIVE
        say("bankruptcy", f"Debt covenant (M8): your debt passed {game.world.params[P.COVENANT]:.0%} of what lenders "
                          f"would lend you today, and they called the {money(a[F.COVENANT_CALLED])} past the line: "
                          + ("repaid at once from your cash." if met else
                             "due at once, and what your cash could not meet came from a rescue, a fire sale or a sale."))
    if a[F.IN_RESCUE] > 0.0:
        cause = "with the covenant called" if a[F.COVENANT_CALLED] > 0.0 else "out of cash"
        say("bankruptcy", f"Rescued: {cause}, a strategic backer put in {money(a[F.IN_RESCUE])} to keep a fleet of "
                          f"{count(a[F.GPUS])} GPUs running, buying in at {game.world.params[P.RESCUE_PRICE]:.0%} of your "
                          f"valuation; founders now hold {a[F.STAKE]:.0%}. "
                          "A backer does this once (M8).")
    if a[F.FIRE_SOLD] > 0.5:
        say("bankruptcy", f"Fire sale: {count(a[F.FIRE_SOLD])} GPUs sold for {money(a[F.IN_FIRE_SALE])} to meet cash calls.")
    bought = _bought(accounts, before, after, i)
    for k, (gpus, people, share) in bought.items():
        say("bankruptcy", f"You bought {game.names[k]} in distress for {money(after.labs[k, F.IN_SALE])}: "
                          f"{count(gpus)} GPUs with their power, {_people(people)} "
                          f"and {share:.1%} of the market (M9).")
    if orders.bid > 0.0 and not bought and a[F.STATUS] == F.ALIVE:
        say("bankruptcy", f"Your bid of {money(orders.bid)} for a rival in distress bought nothing: "
                          f"{_why_no_buy(game, before, after, i, orders.bid)}. A bid is paid only when it wins, and "
                          "stands for the quarter it is ordered in (M9).")
    if a[F.STATUS] == F.ACQUIRED:  # (a lab wound up is the world's news: every player reads it, ``_world_lines``)
        buyer = game.names[int(a[F.BOUGHT_BY]) - 1]
        say("bankruptcy", f"In distress, the lab is sold to {buyer} for {money(a[F.IN_SALE])}, the best bid above its "
                          "fire-sale value: the price pays the quarter's unpaid bills, then its lenders as far as it "
                          f"goes (what it does not cover is written off), and the founders keep {money(a[F.CASH])} (M9).")
    elif a[F.STATUS] == F.ALIVE and runway(after.labs, i) < RUNWAY_SHORT:  # (a lab wound up has no runway to warn of)
        say("bankruptcy", f"Warning: {runway(after.labs, i):.1f} quarters of runway left.")
    return out


def _why_no_buy(game, before, after, i: int, bid: float) -> str:
    """Why lab ``i``'s bid bought no rival this quarter: none fell into distress, another bid
    more, or no bid beat a fire sale of its GPUs."""
    left = [k for k in range(game.n_labs)
            if k != i and before.labs[k, F.STATUS] == F.ALIVE and after.labs[k, F.STATUS] != F.ALIVE]
    if not left:
        return "no rival fell into distress this quarter"
    parts = []
    for k in left:
        if after.labs[k, F.STATUS] == F.ACQUIRED:
            parts.append(f"{game.names[k]} went to {game.names[int(after.labs[k, F.BOUGHT_BY]) - 1]}, which bid more")
        else:
            parts.append(f"{game.names[k]} was wound up: no bid beat what a fire sale of its GPUs fetched")
    cash = max(float(after.labs[i, F.CASH]), 0.0)  # (what it bought nothing with is what it held at the sale)
    short = (f" (a bid counts only up to the cash you hold when the sale is made, at the quarter's end: {money(cash)})"
             if bid > cash else "")
    return "; ".join(parts) + short


SHOCK_NAMES = {"gpu_supply": "GPU supply", "power_cap": "power cap", "export_controls": "export controls",
               "music_stops": "the music stops", "sentiment": "investor mood"}


def _why_over(game, after) -> str:
    """Why the game ended (``standings.ending``)."""
    world, labs = after.world, after.labs
    why = int(ending(world, labs))
    if why == ESCAPE:
        return f"{game.names[int(world[F.WINNER])]} reached escape velocity"
    if why == CAMPAIGN_END:
        return f"all {int(world[F.N_QUARTERS])} of its quarters are played"
    if why == NO_LAB_LEFT:
        return "no lab is left in the race"
    return f"{game.names[int(np.argmax(labs[:, F.STATUS] == F.ALIVE))]} is the last lab in the race"


def _world_lines(game, before, after, accounts: list[list[Account]]) -> list[News]:
    bw, aw = before.world, after.world
    w = game.world
    paid = opening_world(before.labs, bw, w.params, w.sched)[F.SPOT]  # after a crash that opened the quarter
    crashed = f", the music stopping as the quarter opened: x{bw[F.SPOT]:.2f} before" if paid != bw[F.SPOT] else ""
    out: list[News] = []
    cut = w.sched[schedule_row(w.sched, int(bw[F.QUARTER])), F.S_SUPPLY_MULT]
    why = (f" (vendors' output at {cut:.0%}: {supply_events(w, int(bw[F.QUARTER]))})"
           if abs(cut - 1.0) > 0.0005 else "")
    resold = f" ({count(bw[F.SECONDARY])} of them fire-sold GPUs for resale)" if bw[F.SECONDARY] >= 0.5 else ""
    out.append(News("gpu market", None,
                    f"Vendors shipped {count(aw[F.DELIVERED])} of the {count(aw[F.SUPPLY])} GPUs available{why}{resold}; "
                    f"labs could pay for {count(aw[F.DEMAND_GPUS])}; spot x{paid:.2f} (this quarter's orders paid it{crashed}) "
                    f"-> x{aw[F.SPOT]:.2f} for the next, "
                    f"lead time {aw[F.LEAD_TIME]:.1f} quarters."))
    crash = ""
    if aw[F.MUSIC_STOPPED] > 0 and bw[F.MUSIC_STOPPED] == 0:  # the mood moved, then the crash capped it (M8)
        crash = (f" (it climbed to a new peak of {aw[F.SENTIMENT_PEAK]:.2f} as investors priced the quarter, then "
                 if aw[F.SENTIMENT_PEAK] > bw[F.SENTIMENT_PEAK] else " (") + (
                 f"the music stopped and cut it to {aw[F.SENTIMENT]:.2f}, M8)")
    why = "" if crash else _mood_moves(bw, aw, w)
    out.append(News("valuation", None,
                    f"Sentiment {bw[F.SENTIMENT]:.2f} -> {aw[F.SENTIMENT]:.2f}{crash}{why}; revenue gap (capex / AI "
                    f"revenue, 4 quarters) {aw[F.REVENUE_GAP]:.1f}x."))
    out.append(News("financing", None,
                    f"Investors had {money(aw[F.EQUITY_POOL])} for AI labs this quarter and put in "
                    f"{money(aw[F.EQUITY_RAISED] - bw[F.EQUITY_RAISED])}; lenders had {money(aw[F.LOAN_POOL])} "
                    f"and lent {money(aw[F.LOANS_RAISED] - bw[F.LOANS_RAISED])} (M8)."))
    params = game.world.params
    row = w.sched[schedule_row(w.sched, int(bw[F.QUARTER]))]
    for h, name in enumerate(w.hub_names):  # a grid the labs filled: its free MW gone, whoever took them
        free = max(0.0, bw[F.HEADROOM + h] + row[F.S_HEADROOM_DELTA + h])  # as the quarter's building met it
        if aw[F.HEADROOM + h] < 0.5 <= free - aw[F.HEADROOM + h]:
            out.append(News("power", None, f"The {name} grid is full: the labs building there took its last "
                                           f"{_mw(free - aw[F.HEADROOM + h])} MW free; no more power connects there "
                                           "until the grid grows (M5)."))
    if grid_scarce(aw, w.hubs) and (bw[F.QUARTER] == 0 or not grid_scarce(bw, w.hubs)):
        left = sum(aw[F.HEADROOM + h] for h in range(len(w.hub_names)) if not blocked(aw, w.hubs, h))
        out.append(News("power", None, f"Power crunch: the grid left where vendors can ship ({_mw(left)} MW free) could "
                                       f"not power {GRID_SCARCE_QUARTERS:.0f} quarters of their shipments; rival "
                                       "labs the game plays now build power before GPUs: what is free goes to the labs that "
                                       "claim it soonest, and may be gone within a quarter or two (M5, M10)."))

    def headline(phase: str, text: str) -> None:
        out.append(News(phase, None, text, headline=True))

    racing = aw[F.WINNER] < 0 and aw[F.GAME_OVER] == 0  # (a campaign just over warns no one)
    for k in range(game.n_labs):
        left = quarters_to_escape(after.labs, k, params)
        if left > 0 and racing:
            when = "next quarter" if left == 1 else f"in {left:.0f} quarters"
            headline("victory", f"WARNING: {game.names[k]} dominates the race ({count(after.labs[k, F.ONLINE])} GPUs, "
                                f"at least {params[P.DOMINANCE_LEAD]:g}x the next lab's, {after.labs[k, F.SHARE]:.0%} of "
                                f"the market): held {when}, it reaches escape velocity and the game ends.")
    if racing:
        for c in contenders(after.labs, game.names, params):
            headline("victory", f"WATCH: {contender_line(c)}")
    played = game.world.label(int(bw[F.QUARTER]))
    for shock in game.world.scenario.shocks:  # the scenario's own events, in its author's words
        if shock.quarter == played and not (shock.kind == "music_stops" and bw[F.MUSIC_STOPPED] > 0):  # (stopped sooner)
            headline("events", f"SCENARIO EVENT ({SHOCK_NAMES[shock.kind]}): {shock.why}")
    if aw[F.EXPORT_CONTROLS] > 0 and bw[F.EXPORT_CONTROLS] == 0:
        hubs = [name for h, name in enumerate(game.world.hub_names) if game.world.export_controlled(h)]
        headline("events", f"Export controls: vendors stop shipping GPUs to {' and '.join(hubs) or 'controlled hubs'} "
                           "(your own chips still arrive there).")
    if aw[F.MUSIC_STOPPED] > 0 and bw[F.MUSIC_STOPPED] == 0:
        scheduled = scheduled_stop(bw, game.world.sched)
        if scheduled and aw[F.REVENUE_GAP] <= params[P.MUSIC_GAP]:
            cause = "the scenario's crash came on schedule"
        elif scheduled:
            cause = (f"the scenario's crash came on schedule, with the revenue gap at {aw[F.REVENUE_GAP]:.1f}x, past "
                     f"the {params[P.MUSIC_GAP]:g}x danger line")
        else:  # by chance: the pressure the quarter ended with (the crash has since cut the mood it counted)
            probe = aw.copy()  # the quarter's gap, with the pressure it began with
            probe[F.MUSIC_PRESSURE] = bw[F.MUSIC_PRESSURE]
            carried, gap, _ = crash_pressure_parts(probe, params)
            euphoria = max(0.0, aw[F.MUSIC_PRESSURE] - carried - gap)  # the rest: the mood before the crash cut it
            cause = f"the market broke under {pressure_sources(carried, gap, euphoria, aw, params)}"
        headline("music", f"THE MUSIC STOPS: {cause}. Funding freezes, valuations crash, and GPU spot prices "
                          f"drop at once to {params[P.GLUT_DEMAND]:.0%} of list or less: a glut, while labs stop "
                          "buying (M8).")
    for k in range(game.n_labs):
        if after.labs[k, F.IN_RESCUE] > 0.0:
            out.append(News("bankruptcy", None, f"{game.names[k]} ran out of cash; a strategic backer rescued it with "
                                                f"{money(after.labs[k, F.IN_RESCUE])} for a big stake (M8)."))
    for k in range(game.n_labs):
        if after.labs[k, F.FIRE_SOLD] > 0.5:
            out.append(News("bankruptcy", None, f"{game.names[k]} sold {count(after.labs[k, F.FIRE_SOLD])} GPUs in a fire "
                                                f"sale for {money(after.labs[k, F.IN_FIRE_SALE])} to meet cash calls (M8)."))
    for k in range(game.n_labs):
        if after.labs[k, F.STATUS] == F.BANKRUPT and before.labs[k, F.STATUS] == F.ALIVE:
            out.append(News("bankruptcy", None, f"{game.names[k]} is wound up: out of cash, and no rival bid more "
                                                "than a fire sale of its GPUs would fetch; its founders lose all (M9).",
                            headline=True))
    for k, buyer in _sales(before, after):
        sold = after.labs[k]
        floor = sold[F.SALE_GPUS] * fire_price(aw, params)
        gpus = _bought(accounts[buyer], before, after, buyer)[k][0]  # as the buyer's report writes them
        # the price: the runner-up's bid when one was above the fire-sale value, else that value (a second price)
        price = (f"the next-best offer, above the fire-sale value of its {count(gpus)} GPUs ({money(floor)})"
                 if sold[F.IN_SALE] > floor * (1.0 + 1e-9) + 1e-9 else
                 f"the fire-sale value of its {count(gpus)} GPUs: no other offer was above it")
        out.append(News("bankruptcy", None, f"Acquisition: {game.names[buyer]} buys {game.names[k]} in distress "
                                            f"for {money(sold[F.IN_SALE])}, {price}; the highest bidder pays the "
                                            "higher of the two (M9)."))
    if aw[F.REGIME] != bw[F.REGIME]:
        regime = int(aw[F.REGIME])
        effect = {F.REGIME_CONSOLIDATION: f"customers chase the best model {params[P.CONSOLIDATION_BETA]:g}x harder",
                  F.REGIME_COMMODITIZATION: f"models are interchangeable and every customer pays "
                                            f"{params[P.COMMODITY_PRICE]:.0%} of the price, so revenue falls with it",
                  F.REGIME_DISRUPTION: f"a new paradigm erodes existing models {params[P.DISRUPTION_DECAY]:.0%} a quarter"}
        said = f": {effect[regime]}" if regime in effect else ""
        headline("music", f"The endgame shows itself: {F.REGIME_NAMES[regime]}{said} (M9).")
    if aw[F.WINNER] >= 0 and bw[F.WINNER] < 0:
        headline("victory", f"{game.names[int(aw[F.WINNER])]} reaches escape velocity and dominates the market.")
    if aw[F.GAME_OVER] > 0 and bw[F.GAME_OVER] == 0:
        headline("victory", f"The campaign is over: {_why_over(game, after)}.")
    return out
