"""Figures derived from a lab's state that players, bots and reports all read the same way."""

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.markets import clamp, debt_limit

NO_BURN_RUNWAY = 99.0  # shown as "cash-flow positive"


@kernel
def burn(lab, i):
    """Net operating cash out per quarter: running costs minus operating income.

    Capex (GPUs, power builds) and debt repayment are choices, so they are left out.
    """
    spend = (lab[i, F.OUT_RENTAL] + lab[i, F.OUT_HIRING] + lab[i, F.OUT_PARTNER] + lab[i, F.OUT_POWER]
             + lab[i, F.OUT_PAYROLL] + lab[i, F.OUT_OVERHEAD] + lab[i, F.OUT_INTEREST]
             + lab[i, F.OUT_EFFICIENCY_RND] + lab[i, F.OUT_SILICON_RND] + lab[i, F.OUT_EVENTS])
    return spend - (lab[i, F.IN_REVENUE] + lab[i, F.IN_PARENT] + lab[i, F.IN_SUBSIDY])


@kernel
def customers_pay(lab, i):
    """What customers pay for lab ``i``'s compute against the hubs' par (M2): the revenue factor of
    the hubs its GPUs run in, averaged over them by GPUs online (1 with none running)."""
    return lab[i, F.ONLINE_REVENUE] / lab[i, F.ONLINE] if lab[i, F.ONLINE] > 0.0 else 1.0


@kernel
def running_costs(lab, i):
    """$M it cost last quarter to keep lab ``i`` running, whatever it chose to grow: energy,
    payroll, overhead and interest (what a rescue cushions and the report itemises)."""
    return lab[i, F.OUT_POWER] + lab[i, F.OUT_PAYROLL] + lab[i, F.OUT_OVERHEAD] + lab[i, F.OUT_INTEREST]


@kernel
def standing(lab, i, world):
    """docs/design.md §4: lab ``i``'s place in the final table as one number, higher first: the lab
    that reached escape velocity, then labs still in the race, then labs bought, then labs
    wound up; within each, by score (points, far below the steps between them)."""
    status = lab[i, F.STATUS]
    bonus = 1e6 if status == F.ALIVE else (5e5 if status == F.ACQUIRED else 0.0)
    return lab[i, F.SCORE] + bonus + (2e6 if world[F.WINNER] == i else 0.0)


@inline_kernel
def quality_rank(lab, i):
    """Lab ``i``'s model among the labs: 1 = the best among living labs, labs out of the race
    last; equal models share a rank, as at the start of a classroom world (what observations
    show as ``quality_rank``)."""
    key = lab[i, F.QUALITY] if lab[i, F.STATUS] == F.ALIVE else -1.0
    rank = 1
    for k in range(lab.shape[0]):
        other = lab[k, F.QUALITY] if lab[k, F.STATUS] == F.ALIVE else -1.0
        if other > key:
            rank += 1
    return rank


@kernel
def mw_building(lab, i, h):
    """MW of power lab ``i`` has under construction at hub ``h`` (every quarter of its pipe)."""
    building = 0.0
    for s in range(F.PIPE):
        building += lab[i, F.HUB_MW_PIPE + h * F.PIPE + s]
    return building


@kernel
def runway(lab, i):
    """Quarters until cash runs out at last quarter's burn (NO_BURN_RUNWAY if none)."""
    b = burn(lab, i)
    if b <= 0.0:
        return NO_BURN_RUNWAY
    return min(NO_BURN_RUNWAY, max(lab[i, F.CASH], 0.0) / b)


@kernel
def quarters_to_escape(lab, i, params):
    """docs/design.md §4: quarters lab ``i`` must stay dominant to reach escape velocity; -1 while it is not dominant."""
    if lab[i, F.STATUS] != F.ALIVE or lab[i, F.DOMINANT_QUARTERS] <= 0.0:
        return -1.0
    return max(params[P.DOMINANCE_QUARTERS] - lab[i, F.DOMINANT_QUARTERS], 0.0)


@inline_kernel
def biggest_rival(lab, i):
    """GPUs online of lab ``i``'s biggest living rival (0 if it has none): what escape velocity's lead
    is measured against (docs/design.md §4)."""
    best = 0.0
    for k in range(lab.shape[0]):
        if k != i and lab[k, F.STATUS] == F.ALIVE:
            best = max(best, lab[k, F.ONLINE])
    return best


@kernel
def dominance_reach(lab, i, params):
    """docs/design.md §4: how close lab ``i`` is to dominance, as the least met of its three tests, each a share
    of what it needs (GPUs online of ``dominance_gpus``, share of ``dominance_share``, GPUs online of
    ``dominance_lead`` times the next lab's): 1 or more is dominant, 0 for a lab out of the race."""
    if lab[i, F.STATUS] != F.ALIVE:
        return 0.0
    online = lab[i, F.ONLINE]
    reach = min(online / params[P.DOMINANCE_GPUS], lab[i, F.SHARE] / params[P.DOMINANCE_SHARE])
    rival = biggest_rival(lab, i)
    if rival > 0.0:
        reach = min(reach, online / (params[P.DOMINANCE_LEAD] * rival))
    return reach


@kernel
def dominance_break(lab, i, params):
    """GPUs online a rival of lab ``i`` must pass to end its dominance (docs/design.md §4: ``dominance_lead``
    times the next lab's GPUs), at lab ``i``'s size now."""
    return lab[i, F.ONLINE] / params[P.DOMINANCE_LEAD]


COVENANT_WARNING = 0.25  # HQ warns a lab whose covenant headroom is below this (a fall of a quarter in what lenders lend)


@kernel
def covenant_line(lab, i, world, params):
    """M8: the debt past which lab ``i`` breaches its covenant and must repay the excess at once:
    ``covenant`` times what lenders would lend it today (``markets.debt_limit``)."""
    return params[P.COVENANT] * debt_limit(lab, i, world, params)


@kernel
def covenant_headroom(lab, i, world, params):
    """How far what lenders would lend lab ``i`` may fall before its debt breaches the covenant:
    1 - debt / covenant line (1 with no debt, 0 or less once in breach)."""
    debt = lab[i, F.DEBT]
    if debt <= 0.0:
        return 1.0
    line = covenant_line(lab, i, world, params)
    if line <= 0.0:
        return -1.0
    return 1.0 - debt / line


@inline_kernel
def serving_capacity(lab, i, world, params, train_split):
    """$M of revenue lab ``i``'s compute can serve in a quarter with ``train_split`` of it training
    (M2): the rest serves customers, at its own price (open weights and a commodity market earn
    less for every customer served); after the music stops efficiency stretches it further."""
    price = params[P.OPEN_PRICE] if lab[i, F.OPEN_SOURCE] > 0.0 else 1.0
    if world[F.REGIME] == F.REGIME_COMMODITIZATION:
        price *= params[P.COMMODITY_PRICE]
    capacity = lab[i, F.COMPUTE] * (1.0 - clamp(train_split, 0.0, 1.0)) * params[P.REVENUE_PER_GPU] * price
    if world[F.MUSIC_STOPPED] > 0.0:
        capacity *= 1.0 + params[P.EFFICIENCY_AFTER_MUSIC] * (lab[i, F.EFFICIENCY] - 1.0)
    return capacity
