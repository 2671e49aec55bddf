"""One quarter of one game: ``resolve_quarter`` and phases 5–7 and 9–13 (docs/design.md §2).

Phases run in a fixed order, each for every lab before the next starts, so moves are
simultaneous. The kernel allocates nothing: working values live in the state arrays.
"""

import math

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.markets import clamp, dilute, financing, gpu_market, installed_price, power
from blitzgame.engine.metrics import biggest_rival, covenant_line, customers_pay, running_costs, serving_capacity, standing
from blitzgame.engine.people import (
    in_death_zone,
    organisation,
    research_spending,
    talent,
    talent_density,
    zone_pressure,
)
from blitzgame.engine.rng import (
    STREAM_EVENT,
    STREAM_EXPORT,
    STREAM_MUSIC,
    STREAM_REGIME,
    STREAM_TRAIN,
    STREAM_TRAIN_GAIN,
    WORLD_LAB,
    quarter_key,
    uniform,
)

SCORE_PER_MUSD = 0.01  # a point per $100M of equity value


@kernel
def stage(gpus):
    """M1: the stage a lab running ``gpus`` is in (``layout.STAGE_NAMES``): 0 Experiment (<100),
    1 Startup, 2 Competitor, 3 Leader (10k+), 4 Dominator (100k+), from ``layout.STAGE_FLOORS``."""
    now = 0
    for k in range(1, len(F.STAGE_FLOORS)):
        if gpus >= F.STAGE_FLOORS[k]:
            now = k
    return now


# 100 * 10 ** (ceiling - 2) for each tier ceiling (``tier_ceiling``: 1..5): worked out once here with the
# same pow a quarter would call (a library call in the hot path otherwise, ~1.5% of a learning step)
_RUN_TIERS = tuple(100.0 * 10.0 ** (ceiling - 2.0) for ceiling in range(len(F.STAGE_FLOORS) + 1))


@kernel
def full_run(ceiling, params):
    """M2: the effective GPUs a run needs for a good run's full gain toward tier ``ceiling``:
    ``train_run_floors`` times the first GPU count of the stage the lab is in (100, 1,000, 10,000...)."""
    return params[P.TRAIN_RUN_FLOORS] * _RUN_TIERS[int(ceiling)]


@kernel
def run_scale(train, ceiling, params):
    """M2: the share of a good run's gain a run on ``train`` effective GPUs gets: all of it from
    ``full_run`` up, less in proportion below. Within a tier, a bigger run closes more of the gap."""
    return min(1.0, train / full_run(ceiling, params))


@kernel
def tier_ceiling(lab, i):
    """M1: the best model quality a lab can train to: its stage (GPUs it trains on, rented
    and partner compute included) plus one. Each 10x of GPUs lifts it a tier."""
    return stage(lab[i, F.ONLINE] + lab[i, F.RENTED] + lab[i, F.PARTNER_GPUS]) + 1.0


@inline_kernel
def _begin(lab, world):
    for i in range(lab.shape[0]):
        lab[i, F.CASH_START] = lab[i, F.CASH]
        for f in range(F.FIRST_OUTCOME + 1, F.LAB_FIELDS):
            lab[i, f] = 0.0
        for k in range(5):
            lab[i, F.FLYWHEEL + k] = lab[i, F.COMPUTE + k]
    world[F.DELIVERED] = 0.0
    world[F.DEMAND_GPUS] = 0.0
    world[F.CLOUD_RENTED] = 0.0
    world[F.OPEN_MODELS] = 0.0


@inline_kernel
def training(lab, world, orders, params, qkey):
    """Phase 5 (M1–M3, M6): stochastic runs, lumpy gains up to the stage's tier, diffusion.

    Most runs fail; a success closes part of the gap to the tier ceiling, which only
    rises with each 10x of GPUs. Leads decay as the field copies the frontier.
    Returns how much the frontier moved.
    """
    n = lab.shape[0]
    disruption = world[F.REGIME] == F.REGIME_DISRUPTION
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        compute = (lab[i, F.ONLINE] * lab[i, F.UTILIZATION] + lab[i, F.RENTED] + lab[i, F.PARTNER_GPUS]) * lab[i, F.EFFICIENCY]
        lab[i, F.COMPUTE] = compute
        train = compute * clamp(orders[i, F.O_TRAIN_SPLIT], 0.0, 1.0)
        lab[i, F.OPEN_SOURCE] = 1.0 if orders[i, F.O_OPEN_SOURCE] > 0.5 else 0.0
        world[F.OPEN_MODELS] += lab[i, F.OPEN_SOURCE]
        if train < 1.0:
            continue
        chance = clamp(params[P.TRAIN_BASE]
                       + params[P.TRAIN_TALENT] * talent_density(lab, i, params) * lab[i, F.TALENT_QUALITY]
                       - params[P.TRAIN_DEBT] * lab[i, F.TECH_DEBT], params[P.TRAIN_MIN], params[P.TRAIN_MAX])
        lab[i, F.TRAIN_CHANCE] = chance
        if uniform(qkey, i, STREAM_TRAIN) >= chance:
            lab[i, F.TRAIN_RUN] = -1.0
            continue
        lab[i, F.TRAIN_RUN] = 1.0
        ceiling = tier_ceiling(lab, i)
        gap = ceiling - lab[i, F.QUALITY]
        if gap > 0.0:
            gain = params[P.TRAIN_GAIN] * gap * (params[P.TRAIN_GAIN_LOW] + uniform(qkey, i, STREAM_TRAIN_GAIN))
            gain *= run_scale(train, ceiling, params)
            if disruption:
                gain *= lab[i, F.EFFICIENCY] / params[P.PARADIGM_EFFICIENCY]  # the new paradigm rewards efficient labs
            gain = min(gain, gap)
            lab[i, F.QUALITY] += gain
            lab[i, F.QUALITY_GAIN] = gain
            lab[i, F.QUALITY_TRAINED] = gain
    frontier = world[F.FRONTIER]
    spread = params[P.DIFFUSION] + (params[P.DIFFUSION_OPEN] if world[F.OPEN_MODELS] > 0.0 else 0.0)
    best = 0.0
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        ceiling = tier_ceiling(lab, i)
        quality = lab[i, F.QUALITY]
        if quality < frontier:  # copying the frontier takes researchers to read and rebuild it
            catch = min(spread * talent_density(lab, i, params) * (frontier - quality), max(0.0, ceiling - quality))
            quality += catch
            lab[i, F.QUALITY_GAIN] += catch
            lab[i, F.QUALITY_DIFFUSED] = catch
        if disruption:
            lost = params[P.DISRUPTION_DECAY] * quality
            quality -= lost
            lab[i, F.QUALITY_GAIN] -= lost
            lab[i, F.QUALITY_LOST] = lost
        lab[i, F.QUALITY] = quality
        best = max(best, quality)
    world[F.FRONTIER] = best
    return best - frontier


@inline_kernel
def customers(lab, world, orders, params, hubs, frontier_gain):
    """Phase 6 (M2, M3, M7): customers follow quality with lock-in; revenue is capped by serving capacity."""
    n = lab.shape[0]
    frontier = world[F.FRONTIER]
    regime = world[F.REGIME]
    beta = params[P.SHARE_BETA]
    if regime == F.REGIME_CONSOLIDATION:
        beta *= params[P.CONSOLIDATION_BETA]
    appeal = 0.0
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        a = math.exp(beta * (lab[i, F.QUALITY] - frontier)) * (1.0 + lab[i, F.ECOSYSTEM])
        if lab[i, F.OPEN_SOURCE] > 0.0:
            a *= params[P.OPEN_APPEAL]
        if regime == F.REGIME_COMMODITIZATION:  # when models are alike, the cheapest to serve wins customers
            # (x ** 1.0 is x exactly, pow being within an ulp: the balance's exponent needs no library call)
            power = params[P.COMMODITY_EFFICIENCY]
            a *= lab[i, F.EFFICIENCY] if power == 1.0 else lab[i, F.EFFICIENCY] ** power
        lab[i, F.WEIGHT] = a
        appeal += a
    pool = world[F.REVENUE_POOL]
    lock = params[P.LOCK_IN]
    pull = (1.0 - lock) / max(appeal, 1e-300)  # share each unit of appeal wins this quarter
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        held = lock * lab[i, F.SHARE]
        won = pull * lab[i, F.WEIGHT]
        lab[i, F.SHARE_CHURNED] = lab[i, F.SHARE] - held
        lab[i, F.SHARE_WON] = won
        share = held + won
        before = share
        share *= 1.0 - min(params[P.DEATH_ZONE_DEFECTION] * zone_pressure(lab, i, params), 1.0)
        lab[i, F.SHARE_DEFECTED] = before - share
        price = params[P.OPEN_PRICE] if lab[i, F.OPEN_SOURCE] > 0.0 else 1.0
        if regime == F.REGIME_COMMODITIZATION:
            price *= params[P.COMMODITY_PRICE]
        demand = share * pool * price * customers_pay(lab, i)
        revenue = min(demand, serving_capacity(lab, i, world, params, orders[i, F.O_TRAIN_SPLIT]))
        if demand > 0.0:
            before = share
            share *= params[P.UNSERVED_KEEP] + params[P.UNSERVED_SERVED] * revenue / demand  # unserved customers drift away
            lab[i, F.SHARE_UNSERVED] = before - share
        lab[i, F.SHARE] = share
        lab[i, F.DEMAND] = demand
        lab[i, F.REVENUE] = revenue
        lab[i, F.IN_REVENUE] = revenue
        lab[i, F.CASH] += revenue
        partner = revenue * clamp(orders[i, F.O_PARTNERSHIP], 0.0, 1.0) * params[P.PARTNER_REVENUE_TAKE]
        lab[i, F.OUT_PARTNER] = partner
        lab[i, F.CASH] -= partner
        lab[i, F.ECOSYSTEM] = clamp(lab[i, F.ECOSYSTEM]
                                  + params[P.ECOSYSTEM_GAIN] * (lab[i, F.OPEN_SOURCE] + share)
                                  - params[P.ECOSYSTEM_DECAY] * lab[i, F.ECOSYSTEM], 0.0, 1.0)
    world[F.REVENUE_POOL] = pool * (1.0 + params[P.REVENUE_GROWTH] + params[P.REVENUE_FRONTIER] * max(frontier_gain, 0.0))


@kernel
def interest_rate(world, params):
    """M8: the interest lenders charge a year on a lab's debt: a base rate, more as the mood sours."""
    return params[P.INTEREST_BASE] + params[P.INTEREST_STRESS] * max(0.0, 1.0 - world[F.SENTIMENT])


@inline_kernel
def costs(lab, world, orders, params, hubs):
    """Phase 7 (M5, M6): power, payroll, overhead on every GPU owned (idle ones too), interest, subsidies, R&D."""
    rate = interest_rate(world, params)
    for i in range(lab.shape[0]):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        energy = lab[i, F.ONLINE_ENERGY]
        subsidy = lab[i, F.ONLINE_SUBSIDY]
        base_pay = lab[i, F.PACKAGE] / 4.0
        pay = base_pay
        pay *= 1.0 + params[P.RETENTION_DEATH_ZONE] * zone_pressure(lab, i, params)  # M7: retention grants
        lab[i, F.RETENTION] = lab[i, F.RESEARCHERS] * (pay - base_pay)
        payroll = lab[i, F.RESEARCHERS] * pay + lab[i, F.STAFF] * params[P.STAFF_COST]
        overhead = lab[i, F.GPUS] * params[P.OVERHEAD_PER_GPU]
        interest = lab[i, F.DEBT] * rate / 4.0
        lab[i, F.OUT_POWER] = energy
        lab[i, F.IN_SUBSIDY] = subsidy
        lab[i, F.OUT_PAYROLL] = payroll
        lab[i, F.OUT_OVERHEAD] = overhead
        lab[i, F.OUT_INTEREST] = interest
        lab[i, F.CASH] += subsidy - energy - payroll - overhead - interest
    research_spending(lab, world, orders, params)


@kernel
def kept_revenue(lab, i):
    """M8, M13: lab ``i``'s revenue of the quarter less its compute partner's share of it (what
    investors value: revenue a partner takes is not the lab's)."""
    return max(lab[i, F.REVENUE] - lab[i, F.OUT_PARTNER], 0.0)


@kernel
def value_parts(lab, i, world, params, mood, spot):
    """The parts of what lab ``i`` is worth at a given mood and GPU spot price, $M: a multiple of
    the annual revenue it keeps (``kept_revenue``) times the mood (its customers), its running GPUs at what buying and
    installing them costs (those a heatwave took dark count as running: powered, and back next
    quarter), its idle ones (for want of power) at what they would fetch in a fire sale; then its
    cash and its debt."""
    price = world[F.LIST_PRICE] * spot
    customers = 4.0 * kept_revenue(lab, i) * params[P.REVENUE_MULTIPLE] * mood
    dark = lab[i, F.HEAT_DARK]
    running = (lab[i, F.ONLINE] + dark) * installed_price(world, params, spot, 0.0) * params[P.GPU_OPTION_VALUE]
    idle = (lab[i, F.STRANDED] - dark) * price * params[P.FIRE_SALE_PRICE]
    return customers, running, idle, lab[i, F.CASH], lab[i, F.DEBT]


@kernel
def _worth(customers, running, idle, cash, debt):
    """The sum of a lab's ``value_parts`` (cash counts, debt is taken off), never below 0."""
    return max(customers + running + idle + cash - debt, 0.0)


@kernel
def _value(lab, i, world, params, mood, spot):
    """$M lab ``i`` is worth at a given mood and GPU spot price."""
    customers, running, idle, cash, debt = value_parts(lab, i, world, params, mood, spot)
    return _worth(customers, running, idle, cash, debt)


@kernel
def valuation(lab, i, world, params):
    """M8: what investors think lab ``i`` is worth today, $M: its value at today's mood and
    GPU prices. Rounds sell at it."""
    return _value(lab, i, world, params, world[F.SENTIMENT], world[F.SPOT])


@kernel
def price_lab(lab, i, world, params):
    """M8: investors price lab ``i`` (``valuation``) and the parts of the price are kept (VALUE_*),
    so the report can say what moved it."""
    customers, running, idle, cash, debt = value_parts(lab, i, world, params, world[F.SENTIMENT], world[F.SPOT])
    lab[i, F.VALUE_CUSTOMERS] = customers
    lab[i, F.VALUE_RUNNING] = running
    lab[i, F.VALUE_IDLE] = idle
    lab[i, F.VALUE_NET_CASH] = cash - debt
    lab[i, F.VALUATION] = _worth(customers, running, idle, cash, debt)  # ``valuation``, its parts computed once


@kernel
def fair_value(lab, i, world, params):
    """docs/design.md §4: what lab ``i`` is worth in a normal market (mood 1, GPUs at list), $M: the value the
    score counts, so that a bubble or a crash at the end does not decide who built most."""
    return _value(lab, i, world, params, 1.0, 1.0)


@kernel
def founders_value(lab, i, world, params):
    """$M of the lab that its founders own: their stake of its fair value."""
    return lab[i, F.STAKE] * fair_value(lab, i, world, params)


@kernel
def score(lab, i, world, params):
    """docs/design.md §4: what the founders built, in points ($100M each): the founders' stake of the lab's fair
    value now less what it was at the start. Money raised at a fair price adds nothing; a round
    sold in a hot market (above fair value) adds a little, one sold in a slump costs."""
    return (founders_value(lab, i, world, params) - lab[i, F.START_VALUE]) * SCORE_PER_MUSD


@inline_kernel
def mood_pulls(growth, frontier_gain, gap, params):
    """M8: what sets the mood investors head for this quarter, 1 plus the first two less the third:
    AI revenue's ``growth`` on a year ago, the frontier model's progress, and the revenue gap past
    the comfort line."""
    return (params[P.SENTIMENT_GROWTH] * clamp(growth, -1.0, params[P.SENTIMENT_GROWTH_CAP]),
            params[P.SENTIMENT_FRONTIER] * frontier_gain,
            params[P.GAP_PRESSURE] * max(0.0, gap - params[P.GAP_COMFORT]))


@inline_kernel
def valuation_and_sentiment(lab, world, params, sched, t, quarter, frontier_gain):
    """Phase 9 (M8): the revenue gap and revenue growth move sentiment; sentiment prices labs."""
    n = lab.shape[0]
    capex = 0.0
    revenue = 0.0
    for i in range(n):
        if lab[i, F.STATUS] == F.ALIVE:
            capex += lab[i, F.OUT_GPUS] + lab[i, F.OUT_POWER_BUILD] + lab[i, F.OUT_RENTAL]
            revenue += lab[i, F.REVENUE]
    slot = quarter % 4
    year_ago = world[F.REVENUE_4Q + slot]
    world[F.CAPEX_4Q + slot] = capex
    world[F.REVENUE_4Q + slot] = revenue
    capex_year = 0.0
    revenue_year = 0.0
    for k in range(4):
        capex_year += world[F.CAPEX_4Q + k]
        revenue_year += world[F.REVENUE_4Q + k]
    gap = capex_year / max(revenue_year, 1.0)
    world[F.REVENUE_GAP] = gap
    growth = revenue / year_ago - 1.0 if year_ago > 0.0 else 0.0
    growth_pull, frontier_pull, gap_pull = mood_pulls(growth, frontier_gain, gap, params)
    target = 1.0 + growth_pull + frontier_pull - gap_pull
    if world[F.MUSIC_STOPPED] > 0.0:
        target = min(target, params[P.CRASH_SENTIMENT] + params[P.CRASH_RECOVERY] * (quarter - world[F.MUSIC_QUARTER]))
    sentiment = world[F.SENTIMENT] + params[P.SENTIMENT_SPEED] * (target - world[F.SENTIMENT])
    world[F.SENTIMENT] = clamp(sentiment + sched[t, F.S_SENTIMENT_SHOCK], params[P.SENTIMENT_MIN], params[P.SENTIMENT_MAX])
    world[F.SENTIMENT_PEAK] = max(world[F.SENTIMENT_PEAK], world[F.SENTIMENT])
    for i in range(n):
        if lab[i, F.STATUS] == F.ALIVE:
            price_lab(lab, i, world, params)


@inline_kernel
def events(lab, world, params, hubs, sched, t, qkey):
    """Phase 10 (M6, M11): export controls, outages from tech debt, regulatory fines."""
    n = lab.shape[0]
    n_hubs = hubs.shape[0]
    if world[F.EXPORT_CONTROLS] == 0.0:
        start = sched[t, F.S_EXPORT_CONTROLS] > 0.0
        if not start:
            risk = 0.0
            for h in range(n_hubs):
                risk = max(risk, hubs[h, F.HP_EXPORT_RISK])
            start = uniform(qkey, WORLD_LAB, STREAM_EXPORT) < risk
        if start:
            world[F.EXPORT_CONTROLS] = 1.0
            for i in range(n):
                for h in range(n_hubs):
                    if hubs[h, F.HP_EXPORT_CONTROLLED] > 0.0 and lab[i, F.HUB_BACKLOG + h] > 0.0:
                        lab[i, F.EVENT] = F.EV_EXPORT_SEIZED
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE or lab[i, F.EVENT] != F.EV_NONE:
            continue
        draw = uniform(qkey, i, STREAM_EVENT)
        outage = params[P.OUTAGE_RATE] * lab[i, F.TECH_DEBT]
        cost = 0.0
        if draw < outage:
            lab[i, F.EVENT] = F.EV_OUTAGE
            cost = params[P.OUTAGE_COST] * lab[i, F.REVENUE]
            before = lab[i, F.SHARE]
            lab[i, F.SHARE] *= params[P.OUTAGE_SHARE_KEPT]
            lab[i, F.SHARE_OUTAGE] = before - lab[i, F.SHARE]
        elif draw < outage + lab[i, F.ONLINE_RISK] / max(lab[i, F.ONLINE], 1.0):
            lab[i, F.EVENT] = F.EV_FINE
            cost = lab[i, F.ONLINE_FINE]
        lab[i, F.OUT_EVENTS] = cost
        lab[i, F.CASH] -= cost


def regime_slices(params) -> list[tuple[float, float]]:
    """Where the endgame draw (``STREAM_REGIME``) picks consolidation, commoditization and
    disruption when the music stops (the rule ``music_stops`` applies)."""
    consolidation = float(params[P.REGIME_CONSOLIDATION])
    commoditization = consolidation + float(params[P.REGIME_COMMODITIZATION])
    return [(0.0, consolidation), (consolidation, commoditization), (commoditization, 1.0)]


@kernel
def crash_pressure_parts(world, params):
    """M8: the parts of the pressure the quarter ends with: what is left of last quarter's, the
    revenue gap past the danger line, and the euphoria above normal sentiment."""
    return (params[P.MUSIC_PRESSURE_DECAY] * world[F.MUSIC_PRESSURE],
            max(0.0, world[F.REVENUE_GAP] - params[P.MUSIC_GAP]),
            params[P.MUSIC_EUPHORIA] * max(0.0, world[F.SENTIMENT] - 1.0))


@kernel
def crash_pressure(world, params):
    """M8: the pressure the quarter ends with (``crash_pressure_parts``, added up). Each unit of it
    is ``music_hazard`` of a chance that the music stops that quarter."""
    carried, gap, euphoria = crash_pressure_parts(world, params)
    return carried + gap + euphoria


@kernel
def crash_mood(world, params):
    """M8: the mood the music stopping leaves: today's, at most ``crash_sentiment``."""
    return min(world[F.SENTIMENT], params[P.CRASH_SENTIMENT])


@inline_kernel
def _crash(lab, world, params, quarter):
    """M8: the music stops: sentiment collapses and GPUs glut, and investors price every lab
    again at once at the mood and GPU prices the crash leaves: its customers and GPUs (``value_parts``),
    with its cash less debt as they last priced it. A valuation stays the sum of its parts."""
    world[F.MUSIC_STOPPED] = 1.0
    world[F.MUSIC_QUARTER] = quarter
    world[F.SENTIMENT] = crash_mood(world, params)
    world[F.SPOT] = min(world[F.SPOT], 1.0) * params[P.GLUT_DEMAND]
    for i in range(lab.shape[0]):
        if lab[i, F.STATUS] == F.ALIVE:
            customers, running, idle, _, _ = value_parts(lab, i, world, params, world[F.SENTIMENT], world[F.SPOT])
            lab[i, F.VALUE_CUSTOMERS] = customers
            lab[i, F.VALUE_RUNNING] = running
            lab[i, F.VALUE_IDLE] = idle
            lab[i, F.VALUATION] = _worth(customers, running, idle, lab[i, F.VALUE_NET_CASH], 0.0)


@inline_kernel
def scheduled_crash(lab, world, params, sched, t, quarter):
    """Phase 0 (M8): a scenario's scheduled stop comes as its quarter opens, before any round is
    sold: the schedule is public, so a crash announced for a quarter must not let the labs that
    read it raise into it. (A stop by chance comes at the quarter's end, in ``music_stops``.)"""
    if world[F.MUSIC_STOPPED] == 0.0 and sched[t, F.S_MUSIC_STOPS] > 0.0:
        _crash(lab, world, params, quarter)


@inline_kernel
def music_stops(lab, world, params, sched, t, qkey, quarter):
    """Phase 11 (M8, M9): a wide revenue gap makes a crash likely; then the endgame regime."""
    if world[F.MUSIC_STOPPED] == 0.0:
        # a gap past the danger line and a euphoric market pile up pressure; sustained, a crash is likely
        pressure = crash_pressure(world, params)
        world[F.MUSIC_PRESSURE] = pressure
        if uniform(qkey, WORLD_LAB, STREAM_MUSIC) < params[P.MUSIC_HAZARD] * pressure:
            _crash(lab, world, params, quarter)
    if world[F.REGIME] == 0.0 and (world[F.MUSIC_STOPPED] > 0.0 or quarter + 1 >= world[F.REGIME_QUARTER]):
        if world[F.REGIME_FIXED] > 0.0:
            world[F.REGIME] = world[F.REGIME_FIXED]
        else:
            draw = uniform(qkey, WORLD_LAB, STREAM_REGIME)
            if draw < params[P.REGIME_CONSOLIDATION]:
                world[F.REGIME] = F.REGIME_CONSOLIDATION
            elif draw < params[P.REGIME_CONSOLIDATION] + params[P.REGIME_COMMODITIZATION]:
                world[F.REGIME] = F.REGIME_COMMODITIZATION
            else:
                world[F.REGIME] = F.REGIME_DISRUPTION


@inline_kernel
def _sell_gpus(lab, i, world, hubs, units):
    """Sell ``units`` of the lab's GPUs, stranded ones first; they flood next quarter's market."""
    units = min(units, lab[i, F.GPUS])
    if units <= 0.0:
        return 0.0
    stranded = lab[i, F.STRANDED]
    from_stranded = min(units, stranded)
    from_online = units - from_stranded
    for h in range(hubs.shape[0]):
        cut_stranded = from_stranded * lab[i, F.HUB_STRANDED + h] / stranded if stranded > 0.0 else 0.0
        cut_online = from_online * lab[i, F.HUB_ONLINE + h] / lab[i, F.ONLINE] if lab[i, F.ONLINE] > 0.0 else 0.0
        lab[i, F.HUB_STRANDED + h] = max(0.0, lab[i, F.HUB_STRANDED + h] - cut_stranded)
        lab[i, F.HUB_ONLINE + h] = max(0.0, lab[i, F.HUB_ONLINE + h] - cut_online)
        lab[i, F.HUB_GPUS + h] = lab[i, F.HUB_STRANDED + h] + lab[i, F.HUB_ONLINE + h]
    lab[i, F.GPUS] -= units
    lab[i, F.STRANDED] -= from_stranded
    lab[i, F.ONLINE] -= from_online
    world[F.SECONDARY] += units
    return units


@inline_kernel
def _rescue(lab, i, params, need, quarter):
    """M7/M8: a lab past the death zone is worth saving. Once, a strategic backer covers the
    shortfall and a cushion of running costs, buying in at a distressed price."""
    raised = need + params[P.RESCUE_CUSHION] * running_costs(lab, i)
    dilute(lab, i, raised, max(lab[i, F.VALUATION], 1.0) * params[P.RESCUE_PRICE])
    lab[i, F.CASH] += raised
    lab[i, F.IN_RESCUE] = raised
    lab[i, F.RESCUED] = quarter + 1.0


@inline_kernel
def _best_bid(lab, orders, i, floor):
    """M9: the rival that bids most for lab ``i`` above ``floor`` (its fire-sale value) and can
    pay it, and the price: the higher of the floor and the runner-up's bid. Ties go to the
    lower index. Returns (-1, floor) when no rival bids above the floor."""
    buyer = -1
    top = floor
    runner_up = floor
    for k in range(lab.shape[0]):
        if k == i or lab[k, F.STATUS] != F.ALIVE:
            continue
        bid = min(max(orders[k, F.O_BID], 0.0), max(lab[k, F.CASH], 0.0))
        if bid > top:
            runner_up = top
            top = bid
            buyer = k
        elif bid > runner_up:
            runner_up = bid
    return buyer, runner_up


@inline_kernel
def _sell_lab(lab, i, k, price, params, hubs):
    """M9 consolidation: rival ``k`` buys lab ``i`` for ``price``. Its GPUs, power and power
    under construction move to ``k`` hub by hub; part of its researchers and customers follow."""
    lab[k, F.CASH] -= price
    lab[k, F.OUT_ACQUISITION] += price
    lab[i, F.CASH] += price
    lab[i, F.IN_SALE] = price
    lab[i, F.BOUGHT_BY] = k + 1.0
    for h in range(hubs.shape[0]):
        for f in (F.HUB_GPUS, F.HUB_ONLINE, F.HUB_STRANDED, F.HUB_MW):
            lab[k, f + h] += lab[i, f + h]
            lab[i, f + h] = 0.0
        for slot in range(F.PIPE):
            lab[k, F.HUB_MW_PIPE + h * F.PIPE + slot] += lab[i, F.HUB_MW_PIPE + h * F.PIPE + slot]
            lab[i, F.HUB_MW_PIPE + h * F.PIPE + slot] = 0.0
        lab[i, F.HUB_BACKLOG + h] = 0.0  # its GPU orders are cancelled
    for f in (F.GPUS, F.ONLINE, F.STRANDED, F.RELATIONSHIP):
        lab[k, f] += lab[i, f]
    lab[i, F.SALE_GPUS] = lab[i, F.GPUS]
    people = params[P.ACQUIRE_RESEARCHERS] * lab[i, F.RESEARCHERS]
    total = lab[k, F.RESEARCHERS] + people
    if total > 0.0:
        lab[k, F.TALENT_QUALITY] = (lab[k, F.TALENT_QUALITY] * lab[k, F.RESEARCHERS]
                                    + lab[i, F.TALENT_QUALITY] * people) / total
    lab[k, F.RESEARCHERS] = total
    lab[i, F.SALE_RESEARCHERS] = people
    customers = params[P.ACQUIRE_CUSTOMERS] * lab[i, F.SHARE]
    lab[k, F.SHARE] += customers
    lab[i, F.SALE_SHARE] = customers
    for f in (F.GPUS, F.ONLINE, F.STRANDED, F.BACKLOG):
        lab[i, f] = 0.0


@kernel
def fire_price(world, params):
    """M7-M9: $M a GPU fetches in a fire sale: list price at today's spot, at ``fire_sale_price``. A lab in
    distress is worth its GPUs at this price to a buyer (its fire-sale value)."""
    return world[F.LIST_PRICE] * world[F.SPOT] * params[P.FIRE_SALE_PRICE]


@inline_kernel
def bankruptcy(lab, world, orders, params, hubs, quarter):
    """Phase 12 (M7-M9): covenants; a lab in distress is rescued (once, if big) or sells GPUs at
    fire-sale prices; one that even selling every GPU cannot save is bought by the rival that bids
    most above its fire-sale value, or wound up."""
    fire = fire_price(world, params)
    for i in range(lab.shape[0]):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        excess = max(0.0, lab[i, F.DEBT] - covenant_line(lab, i, world, params))
        lab[i, F.COVENANT_CALLED] = excess
        need = max(0.0, excess - lab[i, F.CASH])  # what cash cannot meet: a deficit, and called debt beyond the cash
        if need > 0.0 and lab[i, F.RESCUED] == 0.0 and lab[i, F.GPUS] >= params[P.RESCUE_GPUS]:
            _rescue(lab, i, params, need, quarter)
            need = 0.0
        sold_to = -1
        if need > lab[i, F.GPUS] * fire:  # a fire sale cannot save it: acquisition or death
            sold_to, price = _best_bid(lab, orders, i, lab[i, F.GPUS] * fire)
            if sold_to >= 0:
                _sell_lab(lab, i, sold_to, price, params, hubs)
        if sold_to < 0 and need > 0.0 and lab[i, F.GPUS] > 0.0:
            wanted = need / fire
            sold = _sell_gpus(lab, i, world, hubs, wanted)
            # a sale that covers the need raises exactly the need, so rounding cannot sink the lab
            proceeds = need if sold >= wanted else sold * fire
            lab[i, F.FIRE_SOLD] = sold
            lab[i, F.IN_FIRE_SALE] = proceeds
            lab[i, F.CASH] += proceeds
        if excess > 0.0 or sold_to >= 0:  # a sold lab's creditors are paid first, from the price
            repay = min(lab[i, F.DEBT] if sold_to >= 0 else excess, max(lab[i, F.CASH], 0.0))
            lab[i, F.DEBT] -= repay
            lab[i, F.OUT_REPAY] += repay
            lab[i, F.CASH] -= repay
        if lab[i, F.CASH] >= 0.0 and sold_to < 0:
            continue
        # bought, or out of money with no buyer: either way the lab leaves the race
        lab[i, F.STATUS] = F.ACQUIRED if sold_to >= 0 else F.BANKRUPT
        lab[i, F.IN_WRITE_OFF] = max(0.0, -lab[i, F.CASH])  # creditors absorb what is left unpaid
        lab[i, F.CASH] = max(lab[i, F.CASH], 0.0)  # what a sale left the shareholders
        lab[i, F.DEBT] = 0.0
        _sell_gpus(lab, i, world, hubs, lab[i, F.GPUS])
        for h in range(hubs.shape[0]):
            lab[i, F.HUB_BACKLOG + h] = 0.0
        lab[i, F.BACKLOG] = 0.0
        lab[i, F.RESEARCHERS] = 0.0
        lab[i, F.SHARE] = 0.0
        lab[i, F.REVENUE] = 0.0  # this quarter's revenue stays in IN_REVENUE
        lab[i, F.VALUATION] = lab[i, F.CASH]
        lab[i, F.SCORE] = score(lab, i, world, params)  # the founders keep their stake of what a sale left; wound up, nothing


@kernel
def dominant(lab, i, params):
    """docs/design.md §4: lab ``i`` is dominant this quarter: it runs ``dominance_gpus``, ``dominance_lead``
    times the GPUs of its biggest living rival and ``dominance_share`` of the market."""
    online = lab[i, F.ONLINE]
    if not (online >= params[P.DOMINANCE_GPUS] and lab[i, F.SHARE] >= params[P.DOMINANCE_SHARE]):
        return False
    # only then its rivals (most labs fail the two tests above): a loop over the labs for each lab
    return online >= params[P.DOMINANCE_LEAD] * biggest_rival(lab, i)


@inline_kernel
def victory(lab, world, params, quarter):
    """Phase 13 (docs/design.md §4): dominance (escape velocity), scores and ranks, the end of the campaign."""
    n = lab.shape[0]
    alive = 0
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        alive += 1
        online = lab[i, F.ONLINE]
        lab[i, F.PEAK_GPUS] = max(lab[i, F.PEAK_GPUS], online)
        if in_death_zone(online):
            lab[i, F.DEATH_ZONE_QUARTERS] += 1.0
        if dominant(lab, i, params):
            lab[i, F.DOMINANT_QUARTERS] += 1.0
        else:
            lab[i, F.DOMINANT_QUARTERS] = 0.0
        lab[i, F.SCORE] = score(lab, i, world, params)
    world[F.ALIVE_LABS] = alive
    for i in range(n):
        if lab[i, F.STATUS] == F.ALIVE and lab[i, F.DOMINANT_QUARTERS] >= params[P.DOMINANCE_QUARTERS]:
            if world[F.WINNER] < 0.0:
                world[F.WINNER] = i
                if lab[i, F.SCORE] > 0.0:
                    lab[i, F.SCORE] *= params[P.DOMINANCE_BONUS]
    for i in range(n):
        lab[i, F.WEIGHT] = standing(lab, i, world)
    for i in range(n):
        rank = 1.0
        for k in range(n):
            if lab[k, F.WEIGHT] > lab[i, F.WEIGHT] or (lab[k, F.WEIGHT] == lab[i, F.WEIGHT] and k < i):
                rank += 1.0
        lab[i, F.RANK] = rank
    if (quarter + 1 >= world[F.N_QUARTERS] or world[F.WINNER] >= 0.0 or alive == 0
            or (n > 1 and alive <= 1)):
        world[F.GAME_OVER] = 1.0


@inline_kernel
def _flywheel(lab, params):
    """M2: how much each link moved this quarter, and which moved most (relative to its size).

    FLYWHEEL keeps each link's absolute change; the driver is found by cross-multiplying
    |change_k| / base_k > |change_j| / base_j, so no division is needed.
    """
    for i in range(lab.shape[0]):
        best_change = 0.0
        best_base = 1.0
        driver = 0
        for k in range(5):
            before = lab[i, F.FLYWHEEL + k]
            change = lab[i, F.COMPUTE + k] - before
            base = max(abs(before), F.LINK_FLOORS[k])
            lab[i, F.FLYWHEEL + k] = change
            if abs(change) * best_base > best_change * base:
                best_change = abs(change)
                best_base = base
                driver = k
        lab[i, F.DRIVER] = driver
        # velocity (M8): this quarter's growth of compute and revenue, smoothed
        compute_growth = lab[i, F.FLYWHEEL + F.LINK_COMPUTE] / max(lab[i, F.COMPUTE] - lab[i, F.FLYWHEEL + F.LINK_COMPUTE],
                                                                    params[P.VELOCITY_COMPUTE_FLOOR])
        revenue_growth = lab[i, F.FLYWHEEL + F.LINK_REVENUE] / max(lab[i, F.REVENUE] - lab[i, F.FLYWHEEL + F.LINK_REVENUE],
                                                                    params[P.VELOCITY_REVENUE_FLOOR])
        keep = params[P.VELOCITY_SMOOTHING]
        lab[i, F.VELOCITY] = keep * lab[i, F.VELOCITY] + (1.0 - keep) * 0.5 * (compute_growth + revenue_growth)


@inline_kernel
def _settle_cash(lab, params):
    """Cash is set from the quarter's flows, so cash change == inflows - outflows exactly."""
    for i in range(lab.shape[0]):
        inflow = 0.0
        for f in range(F.IN_EQUITY, F.OUT_REPAY):
            inflow += lab[i, f]
        outflow = 0.0
        for f in range(F.OUT_REPAY, F.LAST_FLOW + 1):
            outflow += lab[i, f]
        lab[i, F.CASH] = lab[i, F.CASH_START] + (inflow - outflow)
        if lab[i, F.STATUS] == F.ALIVE:  # what investors see it spend (M8), smoothed like velocity
            keep = params[P.VELOCITY_SMOOTHING]
            lab[i, F.SPENDING] = keep * lab[i, F.SPENDING] + (1.0 - keep) * (outflow - lab[i, F.OUT_REPAY])


@kernel
def schedule_row(sched, quarter):
    """The schedule's row for quarter ``quarter`` (a quarter past its end reads its last row)."""
    return min(quarter, sched.shape[0] - 1)


@kernel
def resolve_quarter(lab, world, orders, params, hubs, sched, key):
    """Resolve one quarter of one game in place. ``key`` comes from ``rng.game_key``.

    lab[L, LAB_FIELDS], world[WORLD_FIELDS], orders[L, ORDER_FIELDS] (validated upstream),
    params[PARAM_COUNT], hubs[H, HUB_PARAM_COUNT], sched[T, SCHED_FIELDS].
    """
    if world[F.GAME_OVER] > 0.0:
        return
    quarter = int(world[F.QUARTER])
    t = schedule_row(sched, quarter)
    qkey = quarter_key(key, quarter)
    _begin(lab, world)
    scheduled_crash(lab, world, params, sched, t, quarter)
    financing(lab, world, orders, params, hubs)
    gpu_market(lab, world, orders, params, hubs, sched, t)
    power(lab, world, orders, params, hubs, sched, t, qkey, quarter)
    talent(lab, world, orders, params, hubs)
    frontier_gain = training(lab, world, orders, params, qkey)
    customers(lab, world, orders, params, hubs, frontier_gain)
    costs(lab, world, orders, params, hubs)
    organisation(lab, world, params)
    valuation_and_sentiment(lab, world, params, sched, t, quarter, frontier_gain)
    events(lab, world, params, hubs, sched, t, qkey)
    music_stops(lab, world, params, sched, t, qkey, quarter)
    bankruptcy(lab, world, orders, params, hubs, quarter)
    victory(lab, world, params, quarter)
    _flywheel(lab, params)
    _settle_cash(lab, params)
    world[F.QUARTER] = quarter + 1
