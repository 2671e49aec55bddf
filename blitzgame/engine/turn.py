"""One quarter of one game: ``resolve_quarter`` and phases 5–7 and 9–13 (DESIGN.md §3).

Phases run in a fixed order, each for every lab before the next starts, so moves are
simultaneous. The kernel allocates nothing: working values live in the state arrays.
"""

import math

from blitzgame.engine.jit import kernel
from blitzgame.engine.layout import (
    ACQUIRED,
    ALIVE,
    ALIVE_LABS,
    BACKLOG,
    BANKRUPT,
    CAPEX_4Q,
    CASH,
    CASH_START,
    CLOUD_RENTED,
    COMPUTE,
    DEATH_ZONE_QUARTERS,
    DEBT,
    DELIVERED,
    DEMAND,
    DEMAND_GPUS,
    DOMINANT_QUARTERS,
    DRIVER,
    ECOSYSTEM,
    EFFICIENCY,
    EV_EXPORT_SEIZED,
    EV_FINE,
    EV_NONE,
    EV_OUTAGE,
    EVENT,
    EXPORT_CONTROLS,
    FIRE_SOLD,
    FIRST_OUTCOME,
    FLYWHEEL,
    FRONTIER,
    GAME_OVER,
    GPUS,
    HP_EXPORT_CONTROLLED,
    HP_EXPORT_RISK,
    HUB_BACKLOG,
    HUB_GPUS,
    HUB_ONLINE,
    HUB_STRANDED,
    IN_EQUITY,
    IN_FIRE_SALE,
    IN_REVENUE,
    IN_SUBSIDY,
    IN_WRITE_OFF,
    LAB_FIELDS,
    LAST_FLOW,
    LIST_PRICE,
    MUSIC_PRESSURE,
    MUSIC_QUARTER,
    MUSIC_STOPPED,
    N_QUARTERS,
    O_OPEN_SOURCE,
    O_PARTNERSHIP,
    O_TRAIN_SPLIT,
    ONLINE,
    ONLINE_ENERGY,
    ONLINE_FINE,
    ONLINE_REVENUE,
    ONLINE_RISK,
    ONLINE_SUBSIDY,
    OPEN_MODELS,
    OPEN_SOURCE,
    OUT_EVENTS,
    OUT_GPUS,
    OUT_INTEREST,
    OUT_OVERHEAD,
    OUT_PARTNER,
    OUT_PAYROLL,
    OUT_POWER,
    OUT_POWER_BUILD,
    OUT_RENTAL,
    OUT_REPAY,
    PACKAGE,
    PARTNER_GPUS,
    PEAK_GPUS,
    QUALITY,
    QUALITY_GAIN,
    QUARTER,
    RANK,
    REGIME,
    REGIME_COMMODITIZATION,
    REGIME_CONSOLIDATION,
    REGIME_DISRUPTION,
    REGIME_FIXED,
    REGIME_QUARTER,
    RENTED,
    RESEARCHERS,
    REVENUE,
    REVENUE_4Q,
    REVENUE_GAP,
    REVENUE_POOL,
    S_EXPORT_CONTROLS,
    S_MUSIC_STOPS,
    S_SENTIMENT_SHOCK,
    SCORE,
    SECONDARY,
    SENTIMENT,
    SENTIMENT_PEAK,
    SHARE,
    SPOT,
    STAFF,
    STATUS,
    STRANDED,
    TALENT_QUALITY,
    TECH_DEBT,
    TRAIN_RUN,
    UTILIZATION,
    VALUATION,
    WEIGHT,
    WINNER,
)
from blitzgame.engine.markets import clamp, debt_limit, financing, gpu_market, power
from blitzgame.engine.params import (
    P_COMMODITY_PRICE,
    P_CONSOLIDATION_BETA,
    P_CRASH_SENTIMENT,
    P_CRASH_VALUATION,
    P_DEATH_ZONE_DEFECTION,
    P_DIFFUSION,
    P_DIFFUSION_OPEN,
    P_DISRUPTION_DECAY,
    P_DOMINANCE_GPUS,
    P_DOMINANCE_QUARTERS,
    P_DOMINANCE_SHARE,
    P_ECOSYSTEM_DECAY,
    P_ECOSYSTEM_GAIN,
    P_EFFICIENCY_AFTER_MUSIC,
    P_FIRE_SALE_PRICE,
    P_GAP_COMFORT,
    P_GAP_PRESSURE,
    P_GLUT_DEMAND,
    P_GPU_OPTION_VALUE,
    P_INTEREST_BASE,
    P_INTEREST_STRESS,
    P_LOCK_IN,
    P_MUSIC_GAP,
    P_MUSIC_HAZARD,
    P_OPEN_APPEAL,
    P_OPEN_PRICE,
    P_OUTAGE_COST,
    P_OUTAGE_RATE,
    P_OVERHEAD_PER_GPU,
    P_PARTNER_REVENUE_TAKE,
    P_REGIME_COMMODITIZATION,
    P_REGIME_CONSOLIDATION,
    P_REVENUE_FRONTIER,
    P_REVENUE_GROWTH,
    P_REVENUE_MULTIPLE,
    P_REVENUE_PER_GPU,
    P_SENTIMENT_FRONTIER,
    P_SENTIMENT_GROWTH,
    P_SENTIMENT_SPEED,
    P_SHARE_BETA,
    P_STAFF_COST,
    P_TRAIN_BASE,
    P_TRAIN_DEBT,
    P_TRAIN_GAIN,
    P_TRAIN_MAX,
    P_TRAIN_TALENT,
)
from blitzgame.engine.people import (
    in_death_zone,
    organisation,
    research_spending,
    talent,
    talent_density,
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
    """M1: 0 Experiment (<100), 1 Startup, 2 Competitor, 3 Leader (10k+), 4 Dominator (100k+)."""
    if gpus < 100.0:
        return 0
    if gpus < 1000.0:
        return 1
    if gpus < 10000.0:
        return 2
    if gpus < 100000.0:
        return 3
    return 4


@kernel
def _begin(lab, world):
    for i in range(lab.shape[0]):
        lab[i, CASH_START] = lab[i, CASH]
        for f in range(FIRST_OUTCOME + 1, LAB_FIELDS):
            lab[i, f] = 0.0
        for k in range(5):
            lab[i, FLYWHEEL + k] = lab[i, COMPUTE + k]
    world[DELIVERED] = 0.0
    world[DEMAND_GPUS] = 0.0
    world[CLOUD_RENTED] = 0.0
    world[OPEN_MODELS] = 0.0


@kernel
def training(lab, world, orders, params, qkey):
    """Phase 5 (M1–M3, M6): stochastic runs, lumpy gains up to the stage's tier, diffusion.

    Most runs fail; a success closes part of the gap to the tier ceiling, which only
    rises with each 10x of GPUs. Leads decay as the field copies the frontier.
    Returns how much the frontier moved.
    """
    n = lab.shape[0]
    disruption = world[REGIME] == REGIME_DISRUPTION
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        compute = (lab[i, ONLINE] * lab[i, UTILIZATION] + lab[i, RENTED] + lab[i, PARTNER_GPUS]) * lab[i, EFFICIENCY]
        lab[i, COMPUTE] = compute
        train = compute * clamp(orders[i, O_TRAIN_SPLIT], 0.0, 1.0)
        lab[i, OPEN_SOURCE] = 1.0 if orders[i, O_OPEN_SOURCE] > 0.5 else 0.0
        world[OPEN_MODELS] += lab[i, OPEN_SOURCE]
        if train < 1.0:
            continue
        chance = clamp(params[P_TRAIN_BASE]
                       + params[P_TRAIN_TALENT] * talent_density(lab, i, params) * lab[i, TALENT_QUALITY]
                       - params[P_TRAIN_DEBT] * lab[i, TECH_DEBT], 0.02, params[P_TRAIN_MAX])
        if uniform(qkey, i, STREAM_TRAIN) >= chance:
            lab[i, TRAIN_RUN] = -1.0
            continue
        lab[i, TRAIN_RUN] = 1.0
        ceiling = stage(lab[i, ONLINE] + lab[i, RENTED] + lab[i, PARTNER_GPUS]) + 1.0
        gap = ceiling - lab[i, QUALITY]
        if gap > 0.0:
            gain = params[P_TRAIN_GAIN] * gap * (0.5 + uniform(qkey, i, STREAM_TRAIN_GAIN))
            if disruption:
                gain *= lab[i, EFFICIENCY] / 1.5  # the new paradigm rewards efficient labs
            gain = min(gain, gap)
            lab[i, QUALITY] += gain
            lab[i, QUALITY_GAIN] = gain
    frontier = world[FRONTIER]
    spread = params[P_DIFFUSION] + (params[P_DIFFUSION_OPEN] if world[OPEN_MODELS] > 0.0 else 0.0)
    best = 0.0
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        ceiling = stage(lab[i, ONLINE] + lab[i, RENTED] + lab[i, PARTNER_GPUS]) + 1.0
        quality = lab[i, QUALITY]
        if quality < frontier:
            catch = min(spread * (frontier - quality), max(0.0, ceiling - quality))
            quality += catch
            lab[i, QUALITY_GAIN] += catch
        if disruption:
            lost = params[P_DISRUPTION_DECAY] * quality
            quality -= lost
            lab[i, QUALITY_GAIN] -= lost
        lab[i, QUALITY] = quality
        best = max(best, quality)
    world[FRONTIER] = best
    return best - frontier


@kernel
def customers(lab, world, orders, params, hubs, frontier_gain):
    """Phase 6 (M2, M3, M7): customers follow quality with lock-in; revenue is capped by serving capacity."""
    n = lab.shape[0]
    frontier = world[FRONTIER]
    regime = world[REGIME]
    beta = params[P_SHARE_BETA]
    if regime == REGIME_CONSOLIDATION:
        beta *= params[P_CONSOLIDATION_BETA]
    appeal = 0.0
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        a = math.exp(beta * (lab[i, QUALITY] - frontier)) * (1.0 + lab[i, ECOSYSTEM])
        if lab[i, OPEN_SOURCE] > 0.0:
            a *= params[P_OPEN_APPEAL]
        lab[i, WEIGHT] = a
        appeal += a
    pool = world[REVENUE_POOL]
    lock = params[P_LOCK_IN]
    pull = (1.0 - lock) / max(appeal, 1e-300)  # share each unit of appeal wins this quarter
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        share = lock * lab[i, SHARE] + pull * lab[i, WEIGHT]
        if in_death_zone(lab[i, ONLINE]):
            share *= 1.0 - params[P_DEATH_ZONE_DEFECTION]
        price = params[P_OPEN_PRICE] if lab[i, OPEN_SOURCE] > 0.0 else 1.0
        if regime == REGIME_COMMODITIZATION:
            price *= params[P_COMMODITY_PRICE]
        local = lab[i, ONLINE_REVENUE] / lab[i, ONLINE] if lab[i, ONLINE] > 0.0 else 1.0
        demand = share * pool * price * local
        capacity = lab[i, COMPUTE] * (1.0 - clamp(orders[i, O_TRAIN_SPLIT], 0.0, 1.0)) * params[P_REVENUE_PER_GPU]
        if world[MUSIC_STOPPED] > 0.0:
            capacity *= 1.0 + params[P_EFFICIENCY_AFTER_MUSIC] * (lab[i, EFFICIENCY] - 1.0)
        revenue = min(demand, capacity)
        if demand > 0.0:
            share *= 0.7 + 0.3 * revenue / demand  # customers a lab cannot serve drift away
        lab[i, SHARE] = share
        lab[i, DEMAND] = demand
        lab[i, REVENUE] = revenue
        lab[i, IN_REVENUE] = revenue
        lab[i, CASH] += revenue
        partner = revenue * clamp(orders[i, O_PARTNERSHIP], 0.0, 1.0) * params[P_PARTNER_REVENUE_TAKE]
        lab[i, OUT_PARTNER] = partner
        lab[i, CASH] -= partner
        lab[i, ECOSYSTEM] = clamp(lab[i, ECOSYSTEM]
                                  + params[P_ECOSYSTEM_GAIN] * (lab[i, OPEN_SOURCE] + share)
                                  - params[P_ECOSYSTEM_DECAY] * lab[i, ECOSYSTEM], 0.0, 1.0)
    world[REVENUE_POOL] = pool * (1.0 + params[P_REVENUE_GROWTH] + params[P_REVENUE_FRONTIER] * max(frontier_gain, 0.0))


@kernel
def costs(lab, world, orders, params, hubs):
    """Phase 7 (M5, M6): power, payroll, overhead on every GPU owned (idle ones too), interest, subsidies, R&D."""
    stress = max(0.0, 1.0 - world[SENTIMENT])
    for i in range(lab.shape[0]):
        if lab[i, STATUS] != ALIVE:
            continue
        energy = lab[i, ONLINE_ENERGY]
        subsidy = lab[i, ONLINE_SUBSIDY]
        payroll = lab[i, RESEARCHERS] * lab[i, PACKAGE] / 4.0 + lab[i, STAFF] * params[P_STAFF_COST]
        overhead = lab[i, GPUS] * params[P_OVERHEAD_PER_GPU]
        interest = lab[i, DEBT] * (params[P_INTEREST_BASE] + params[P_INTEREST_STRESS] * stress) / 4.0
        lab[i, OUT_POWER] = energy
        lab[i, IN_SUBSIDY] = subsidy
        lab[i, OUT_PAYROLL] = payroll
        lab[i, OUT_OVERHEAD] = overhead
        lab[i, OUT_INTEREST] = interest
        lab[i, CASH] += subsidy - energy - payroll - overhead - interest
    research_spending(lab, world, orders, params)


@kernel
def valuation_and_sentiment(lab, world, params, sched, t, quarter, frontier_gain):
    """Phase 9 (M8): the revenue gap and revenue growth move sentiment; sentiment prices labs."""
    n = lab.shape[0]
    capex = 0.0
    revenue = 0.0
    for i in range(n):
        if lab[i, STATUS] == ALIVE:
            capex += lab[i, OUT_GPUS] + lab[i, OUT_POWER_BUILD] + lab[i, OUT_RENTAL]
            revenue += lab[i, REVENUE]
    slot = quarter % 4
    year_ago = world[REVENUE_4Q + slot]
    world[CAPEX_4Q + slot] = capex
    world[REVENUE_4Q + slot] = revenue
    capex_year = 0.0
    revenue_year = 0.0
    for k in range(4):
        capex_year += world[CAPEX_4Q + k]
        revenue_year += world[REVENUE_4Q + k]
    gap = capex_year / max(revenue_year, 1.0)
    world[REVENUE_GAP] = gap
    growth = revenue / year_ago - 1.0 if year_ago > 0.0 else 0.0
    target = (1.0 + params[P_SENTIMENT_GROWTH] * clamp(growth, -1.0, 2.0)
              + params[P_SENTIMENT_FRONTIER] * frontier_gain
              - params[P_GAP_PRESSURE] * max(0.0, gap - params[P_GAP_COMFORT]))
    if world[MUSIC_STOPPED] > 0.0:
        target = min(target, params[P_CRASH_SENTIMENT] + 0.05 * (quarter - world[MUSIC_QUARTER]))
    sentiment = world[SENTIMENT] + params[P_SENTIMENT_SPEED] * (target - world[SENTIMENT])
    world[SENTIMENT] = clamp(sentiment + sched[t, S_SENTIMENT_SHOCK], 0.05, 2.0)
    world[SENTIMENT_PEAK] = max(world[SENTIMENT_PEAK], world[SENTIMENT])
    mood = world[SENTIMENT]
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        value = (4.0 * lab[i, REVENUE] * params[P_REVENUE_MULTIPLE] * mood
                 + lab[i, ONLINE] * world[LIST_PRICE] * params[P_GPU_OPTION_VALUE] * mood
                 + lab[i, CASH] - lab[i, DEBT])
        lab[i, VALUATION] = max(value, 0.0)


@kernel
def events(lab, world, params, hubs, sched, t, qkey):
    """Phase 10 (M6, M11): export controls, outages from tech debt, regulatory fines."""
    n = lab.shape[0]
    n_hubs = hubs.shape[0]
    if world[EXPORT_CONTROLS] == 0.0:
        start = sched[t, S_EXPORT_CONTROLS] > 0.0
        if not start:
            risk = 0.0
            for h in range(n_hubs):
                risk = max(risk, hubs[h, HP_EXPORT_RISK])
            start = uniform(qkey, WORLD_LAB, STREAM_EXPORT) < risk
        if start:
            world[EXPORT_CONTROLS] = 1.0
            for i in range(n):
                for h in range(n_hubs):
                    if hubs[h, HP_EXPORT_CONTROLLED] > 0.0 and lab[i, HUB_BACKLOG + h] > 0.0:
                        lab[i, EVENT] = EV_EXPORT_SEIZED
    for i in range(n):
        if lab[i, STATUS] != ALIVE or lab[i, EVENT] != EV_NONE:
            continue
        draw = uniform(qkey, i, STREAM_EVENT)
        outage = params[P_OUTAGE_RATE] * lab[i, TECH_DEBT]
        cost = 0.0
        if draw < outage:
            lab[i, EVENT] = EV_OUTAGE
            cost = params[P_OUTAGE_COST] * lab[i, REVENUE]
            lab[i, SHARE] *= 0.97
        elif draw < outage + lab[i, ONLINE_RISK] / max(lab[i, ONLINE], 1.0):
            lab[i, EVENT] = EV_FINE
            cost = lab[i, ONLINE_FINE]
        lab[i, OUT_EVENTS] = cost
        lab[i, CASH] -= cost


@kernel
def music_stops(lab, world, params, sched, t, qkey, quarter):
    """Phase 11 (M8, M9): a wide revenue gap makes a crash likely; then the endgame regime."""
    if world[MUSIC_STOPPED] == 0.0:
        stop = sched[t, S_MUSIC_STOPS] > 0.0
        # a gap past the danger line piles up pressure; a sustained one makes a crash likely
        pressure = 0.75 * world[MUSIC_PRESSURE] + max(0.0, world[REVENUE_GAP] - params[P_MUSIC_GAP])
        world[MUSIC_PRESSURE] = pressure
        if not stop:
            stop = uniform(qkey, WORLD_LAB, STREAM_MUSIC) < params[P_MUSIC_HAZARD] * pressure
        if stop:
            world[MUSIC_STOPPED] = 1.0
            world[MUSIC_QUARTER] = quarter
            world[SENTIMENT] = min(world[SENTIMENT], params[P_CRASH_SENTIMENT])
            world[SPOT] = min(world[SPOT], 1.0) * params[P_GLUT_DEMAND]
            for i in range(lab.shape[0]):
                if lab[i, STATUS] == ALIVE:
                    lab[i, VALUATION] *= params[P_CRASH_VALUATION]
    if world[REGIME] == 0.0 and (world[MUSIC_STOPPED] > 0.0 or quarter + 1 >= world[REGIME_QUARTER]):
        if world[REGIME_FIXED] > 0.0:
            world[REGIME] = world[REGIME_FIXED]
        else:
            draw = uniform(qkey, WORLD_LAB, STREAM_REGIME)
            if draw < params[P_REGIME_CONSOLIDATION]:
                world[REGIME] = REGIME_CONSOLIDATION
            elif draw < params[P_REGIME_CONSOLIDATION] + params[P_REGIME_COMMODITIZATION]:
                world[REGIME] = REGIME_COMMODITIZATION
            else:
                world[REGIME] = REGIME_DISRUPTION


@kernel
def _sell_gpus(lab, i, world, hubs, units):
    """Sell ``units`` of the lab's GPUs, stranded ones first; they flood next quarter's market."""
    units = min(units, lab[i, GPUS])
    if units <= 0.0:
        return 0.0
    stranded = lab[i, STRANDED]
    from_stranded = min(units, stranded)
    from_online = units - from_stranded
    for h in range(hubs.shape[0]):
        cut_stranded = from_stranded * lab[i, HUB_STRANDED + h] / stranded if stranded > 0.0 else 0.0
        cut_online = from_online * lab[i, HUB_ONLINE + h] / lab[i, ONLINE] if lab[i, ONLINE] > 0.0 else 0.0
        lab[i, HUB_STRANDED + h] = max(0.0, lab[i, HUB_STRANDED + h] - cut_stranded)
        lab[i, HUB_ONLINE + h] = max(0.0, lab[i, HUB_ONLINE + h] - cut_online)
        lab[i, HUB_GPUS + h] = lab[i, HUB_STRANDED + h] + lab[i, HUB_ONLINE + h]
    lab[i, GPUS] -= units
    lab[i, STRANDED] -= from_stranded
    lab[i, ONLINE] -= from_online
    world[SECONDARY] += units
    return units


@kernel
def bankruptcy(lab, world, params, hubs, quarter):
    """Phase 12 (M8): covenants, fire sales, then bankruptcy or a distressed acquisition."""
    fire_price = world[LIST_PRICE] * world[SPOT] * params[P_FIRE_SALE_PRICE]
    for i in range(lab.shape[0]):
        if lab[i, STATUS] != ALIVE:
            continue
        excess = max(0.0, lab[i, DEBT] - 1.25 * debt_limit(lab, i, world, params))
        need = max(0.0, -lab[i, CASH]) + excess
        if need > 0.0 and lab[i, GPUS] > 0.0:
            wanted = need / fire_price
            sold = _sell_gpus(lab, i, world, hubs, wanted)
            # a sale that covers the need raises exactly the need, so rounding cannot sink the lab
            proceeds = need if sold >= wanted else sold * fire_price
            lab[i, FIRE_SOLD] = sold
            lab[i, IN_FIRE_SALE] = proceeds
            lab[i, CASH] += proceeds
        if excess > 0.0:
            repay = min(excess, max(lab[i, CASH], 0.0))
            lab[i, DEBT] -= repay
            lab[i, OUT_REPAY] += repay
            lab[i, CASH] -= repay
        if lab[i, CASH] >= 0.0:
            continue
        # out of money: customers make a lab worth buying; without them it is wound up
        sold_to_buyer = lab[i, SHARE] >= 0.02 and lab[i, RESEARCHERS] >= 10.0
        lab[i, STATUS] = ACQUIRED if sold_to_buyer else BANKRUPT
        lab[i, IN_WRITE_OFF] = -lab[i, CASH]
        lab[i, CASH] = 0.0
        lab[i, DEBT] = 0.0
        exit_value = 4.0 * lab[i, REVENUE] if sold_to_buyer else 0.0
        _sell_gpus(lab, i, world, hubs, lab[i, GPUS])
        for h in range(hubs.shape[0]):
            lab[i, HUB_BACKLOG + h] = 0.0
        lab[i, BACKLOG] = 0.0
        lab[i, RESEARCHERS] = 0.0
        lab[i, SHARE] = 0.0
        lab[i, REVENUE] = 0.0  # this quarter's revenue stays in IN_REVENUE
        lab[i, VALUATION] = exit_value
        # a buyer pays a year of revenue; a wound-up lab scores only the quarters it lasted
        lab[i, SCORE] = exit_value * SCORE_PER_MUSD if sold_to_buyer else (quarter + 1.0) * 0.01


@kernel
def _rank_key(lab, i):
    status = lab[i, STATUS]
    bonus = 1e6 if status == ALIVE else (5e5 if status == ACQUIRED else 0.0)
    return lab[i, SCORE] + bonus


@kernel
def victory(lab, world, params, quarter):
    """Phase 13 (§5): dominance (escape velocity), scores and ranks, the end of the campaign."""
    n = lab.shape[0]
    alive = 0
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        alive += 1
        online = lab[i, ONLINE]
        lab[i, PEAK_GPUS] = max(lab[i, PEAK_GPUS], online)
        if in_death_zone(online):
            lab[i, DEATH_ZONE_QUARTERS] += 1.0
        if online >= params[P_DOMINANCE_GPUS] and lab[i, SHARE] >= params[P_DOMINANCE_SHARE]:
            lab[i, DOMINANT_QUARTERS] += 1.0
        else:
            lab[i, DOMINANT_QUARTERS] = 0.0
        lab[i, SCORE] = lab[i, VALUATION] * SCORE_PER_MUSD
    world[ALIVE_LABS] = alive
    for i in range(n):
        if lab[i, STATUS] == ALIVE and lab[i, DOMINANT_QUARTERS] >= params[P_DOMINANCE_QUARTERS]:
            if world[WINNER] < 0.0:
                world[WINNER] = i
                lab[i, SCORE] *= 1.5  # escape velocity is worth half as much again
    for i in range(n):
        lab[i, WEIGHT] = _rank_key(lab, i) + (2e6 if world[WINNER] == i else 0.0)
    for i in range(n):
        rank = 1.0
        for k in range(n):
            if lab[k, WEIGHT] > lab[i, WEIGHT] or (lab[k, WEIGHT] == lab[i, WEIGHT] and k < i):
                rank += 1.0
        lab[i, RANK] = rank
    if (quarter + 1 >= world[N_QUARTERS] or world[WINNER] >= 0.0 or alive == 0
            or (n > 1 and alive <= 1)):
        world[GAME_OVER] = 1.0


@kernel
def _flywheel(lab):
    """M2: how much each link moved this quarter, and which moved most (relative to its size).

    FLYWHEEL keeps each link's absolute change; the driver is found by cross-multiplying
    |change_k| / base_k > |change_j| / base_j, so no division is needed.
    """
    for i in range(lab.shape[0]):
        best_change = 0.0
        best_base = 1.0
        driver = 0
        for k in range(5):
            before = lab[i, FLYWHEEL + k]
            change = lab[i, COMPUTE + k] - before
            base = max(abs(before), 1.0 if k < 2 or k == 4 else (0.1 if k == 2 else 0.01))  # LINK_FLOORS
            lab[i, FLYWHEEL + k] = change
            if abs(change) * best_base > best_change * base:
                best_change = abs(change)
                best_base = base
                driver = k
        lab[i, DRIVER] = driver


@kernel
def _settle_cash(lab):
    """Cash is set from the quarter's flows, so cash change == inflows - outflows exactly."""
    for i in range(lab.shape[0]):
        inflow = 0.0
        for f in range(IN_EQUITY, OUT_REPAY):
            inflow += lab[i, f]
        outflow = 0.0
        for f in range(OUT_REPAY, LAST_FLOW + 1):
            outflow += lab[i, f]
        lab[i, CASH] = lab[i, CASH_START] + (inflow - outflow)


@kernel
def resolve_quarter(lab, world, orders, params, hubs, sched, key):
    """Resolve one quarter of one game in place. ``key`` comes from ``rng.game_key``.

    lab[L, LAB_FIELDS], world[WORLD_FIELDS], orders[L, ORDER_FIELDS] (validated upstream),
    params[PARAM_COUNT], hubs[H, HUB_PARAM_COUNT], sched[T, SCHED_FIELDS].
    """
    if world[GAME_OVER] > 0.0:
        return
    quarter = int(world[QUARTER])
    t = min(quarter, sched.shape[0] - 1)  # the schedule's row for this quarter
    qkey = quarter_key(key, quarter)
    _begin(lab, world)
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
    bankruptcy(lab, world, params, hubs, quarter)
    victory(lab, world, params, quarter)
    _flywheel(lab)
    _settle_cash(lab)
    world[QUARTER] = quarter + 1
