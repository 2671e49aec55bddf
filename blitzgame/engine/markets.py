"""Phases 1–3 of a quarter: financing, the GPU market (M4, M13) and power (M5).

Every function works on one game: ``lab[L, F]``, ``world[W]``, ``orders[L, O]``.
Shared markets are cleared symmetrically, so the order of labs never matters.
"""

from blitzgame.engine.jit import kernel
from blitzgame.engine.layout import (
    ALIVE,
    BACKLOG,
    CASH,
    CLOUD_POOL,
    CLOUD_PRICE,
    CLOUD_RENTED,
    DEBT,
    DELIVERED,
    DEMAND_GPUS,
    EQUITY_ASKED,
    EV_HEATWAVE,
    EVENT,
    EXPORT_CONTROLS,
    GPUS,
    GPUS_CUSTOM,
    GPUS_DELIVERED,
    GPUS_ORDERED,
    GPUS_WANTED,
    HEADROOM,
    HP_BUILD_COST,
    HP_BUILD_LEAD,
    HP_ENERGY_PER_GPU,
    HP_EXPORT_CONTROLLED,
    HP_FINE_PER_GPU,
    HP_GPUS_PER_MW,
    HP_HEAT_RISK,
    HP_REGULATORY_RISK,
    HP_REVENUE_FACTOR,
    HP_SOVEREIGN_FUNDING,
    HP_SUBSIDY_PER_GPU,
    HP_TALENT_FACTOR,
    HUB_BACKLOG,
    HUB_GPUS,
    HUB_MW,
    HUB_MW_PIPE,
    HUB_ONLINE,
    HUB_STRANDED,
    IN_DEBT,
    IN_EQUITY,
    IN_PARENT,
    LEAD_TIME,
    LIST_PRICE,
    MUSIC_STOPPED,
    MW_ASKED,
    MW_GRANTED,
    O_CANCEL,
    O_DEBT,
    O_EQUITY,
    O_GPUS,
    O_MW,
    O_PARTNERSHIP,
    O_PREMIUM,
    O_RENT,
    ONLINE,
    ONLINE_ENERGY,
    ONLINE_FINE,
    ONLINE_REVENUE,
    ONLINE_RISK,
    ONLINE_SUBSIDY,
    ONLINE_TALENT,
    OUT_GPUS,
    OUT_POWER_BUILD,
    OUT_RENTAL,
    OUT_REPAY,
    PARENT_CF,
    PARTNER_GPUS,
    PIPE,
    RELATIONSHIP,
    RENTED,
    REVENUE,
    S_HEADROOM_DELTA,
    S_SUPPLY_MULT,
    SCRATCH,
    SECONDARY,
    SENTIMENT,
    SILICON,
    SPOT,
    STAKE,
    STATUS,
    STRANDED,
    SUPPLY,
    UNIT_PRICE,
    VALUATION,
    VENDOR_SUPPLY,
    WEIGHT,
)
from blitzgame.engine.params import (
    P_CLOUD_POOL_GROWTH,
    P_CLOUD_PRICE_DECLINE,
    P_CUSTOM_CAPACITY,
    P_CUSTOM_PRICE,
    P_DEBT_COLLATERAL,
    P_DEBT_REVENUE_MULTIPLE,
    P_EQUITY_MAX_DILUTION,
    P_EQUITY_MIN_SENTIMENT,
    P_HEATWAVE_LOSS,
    P_INFRA_CAPEX_PER_GPU,
    P_LIST_PRICE_DECLINE,
    P_PARTNER_GPUS,
    P_PREMIUM_WEIGHT,
    P_RELATIONSHIP_WEIGHT,
    P_SPOT_GLUT_FLOOR,
    P_SPOT_MAX,
    P_SPOT_SENSITIVITY,
    P_SPOT_SMOOTHING,
    P_SUPPLY_GROWTH,
)
from blitzgame.engine.rng import STREAM_HEAT, uniform


@kernel
def clamp(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


@kernel
def waterfill(lab, supply, want_field, weight_field, got_field):
    """Share ``supply`` among alive labs: each gets at most what it wants, by weight.

    Three rounds hand what the satisfied labs leave over to the others. Writes
    ``lab[:, got_field]`` and returns the amount handed out.
    """
    n = lab.shape[0]
    total = 0.0
    for i in range(n):
        lab[i, got_field] = 0.0
        if lab[i, STATUS] == ALIVE:
            total += lab[i, want_field]
    if total <= supply:
        for i in range(n):
            if lab[i, STATUS] == ALIVE:
                lab[i, got_field] = lab[i, want_field]
        return total
    handed = 0.0
    for _ in range(3):
        left = supply - handed
        weights = 0.0
        for i in range(n):
            if lab[i, STATUS] == ALIVE and lab[i, got_field] < lab[i, want_field]:
                weights += lab[i, weight_field]
        if left <= 1e-9 or weights <= 0.0:
            break
        per_weight = left / weights
        for i in range(n):
            if lab[i, STATUS] == ALIVE and lab[i, got_field] < lab[i, want_field]:
                give = min(per_weight * lab[i, weight_field], lab[i, want_field] - lab[i, got_field])
                lab[i, got_field] += give
                handed += give
    return handed


@kernel
def financing(lab, world, orders, params, hubs):
    """Phase 1: equity priced off sentiment, debt against revenue and GPUs, parent cash."""
    n_hubs = hubs.shape[0]
    sentiment = world[SENTIMENT]
    floor = params[P_EQUITY_MIN_SENTIMENT]
    open_window = clamp((sentiment - floor) / (1.0 - floor), 0.0, 1.0)
    for i in range(lab.shape[0]):
        if lab[i, STATUS] != ALIVE:
            continue
        ask = orders[i, O_EQUITY]
        lab[i, EQUITY_ASKED] = ask
        if ask > 0.0:
            mw = 0.0
            sovereign = 0.0
            for h in range(n_hubs):
                mw += lab[i, HUB_MW + h]
                sovereign += lab[i, HUB_MW + h] * hubs[h, HP_SOVEREIGN_FUNDING]
            if mw > 0.0:
                sovereign /= mw
            value = max(lab[i, VALUATION], 1.0)
            capacity = value * params[P_EQUITY_MAX_DILUTION] * open_window * (1.0 + sovereign)
            raised = min(ask, capacity)
            if raised > 0.0:
                lab[i, STAKE] *= value / (value + raised)
                lab[i, VALUATION] = value + raised
                lab[i, CASH] += raised
                lab[i, IN_EQUITY] = raised
        debt_order = orders[i, O_DEBT]
        if debt_order > 0.0:
            limit = debt_limit(lab, i, world, params)
            raised = min(debt_order, max(0.0, limit - lab[i, DEBT]))
            lab[i, DEBT] += raised
            lab[i, CASH] += raised
            lab[i, IN_DEBT] = raised
        elif debt_order < 0.0:
            repay = min(-debt_order, lab[i, DEBT], max(lab[i, CASH], 0.0))
            lab[i, DEBT] -= repay
            lab[i, CASH] -= repay
            lab[i, OUT_REPAY] = repay
        lab[i, IN_PARENT] = lab[i, PARENT_CF]
        lab[i, CASH] += lab[i, PARENT_CF]


@kernel
def debt_limit(lab, i, world, params):
    """What lenders will lend: a multiple of annual revenue plus GPUs as collateral."""
    limit = (params[P_DEBT_REVENUE_MULTIPLE] * 4.0 * lab[i, REVENUE]
             + params[P_DEBT_COLLATERAL] * lab[i, GPUS] * world[LIST_PRICE])
    if world[MUSIC_STOPPED] > 0.0:
        limit *= 0.5
    return limit


@kernel
def blocked(world, hubs, h):
    """True while export controls stop vendor deliveries to hub ``h``."""
    return world[EXPORT_CONTROLS] > 0.0 and hubs[h, HP_EXPORT_CONTROLLED] > 0.0


@kernel
def _deliver(lab, i, world, hubs, units, eligible):
    """Spread ``units`` over the lab's open hubs in proportion to each hub's backlog."""
    if units <= 0.0 or eligible <= 0.0:
        return
    per_backlog = units / eligible
    for h in range(hubs.shape[0]):
        if blocked(world, hubs, h):
            continue
        part = per_backlog * lab[i, HUB_BACKLOG + h]
        lab[i, HUB_GPUS + h] += part
        lab[i, HUB_BACKLOG + h] -= part
        if lab[i, HUB_BACKLOG + h] < 0.0:
            lab[i, HUB_BACKLOG + h] = 0.0


@kernel
def _eligible_backlog(lab, i, world, hubs):
    total = 0.0
    for h in range(hubs.shape[0]):
        if not blocked(world, hubs, h):
            total += lab[i, HUB_BACKLOG + h]
    return total


@kernel
def gpu_market(lab, world, orders, params, hubs, sched, t):
    """Phase 2 (M4, M13): orders join the backlog, vendor supply is allocated, GPUs arrive.

    When payable demand exceeds supply, supply goes by priority: backlog the lab can pay
    for, weighted up by the price premium it offers and by its purchase history (the
    rich get richer). Spot price and lead time follow the shortage into next quarter.
    """
    n = lab.shape[0]
    n_hubs = hubs.shape[0]
    supply = world[VENDOR_SUPPLY] * sched[t, S_SUPPLY_MULT] + world[SECONDARY]
    world[SECONDARY] = 0.0
    world[SUPPLY] = supply
    list_price = world[LIST_PRICE]
    infra = params[P_INFRA_CAPEX_PER_GPU]
    history = 1.0
    for i in range(n):
        history += lab[i, RELATIONSHIP]
    loyalty = params[P_RELATIONSHIP_WEIGHT] / history  # priority per GPU bought before
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        keep = 1.0 - clamp(orders[i, O_CANCEL], 0.0, 1.0)
        for h in range(n_hubs):
            new = orders[i, O_GPUS + h]
            lab[i, HUB_BACKLOG + h] = lab[i, HUB_BACKLOG + h] * keep + new
            lab[i, GPUS_ORDERED] += new
        # custom silicon first: the lab's own chips skip the vendor queue and export controls
        if lab[i, SILICON] >= 1.0:
            own_price = list_price * params[P_CUSTOM_PRICE] + infra
            backlog = 0.0
            for h in range(n_hubs):
                backlog += lab[i, HUB_BACKLOG + h]
            units = min(backlog, params[P_CUSTOM_CAPACITY], max(lab[i, CASH], 0.0) / own_price)
            if units > 0.0:
                per_backlog = units / backlog
                for h in range(n_hubs):
                    part = per_backlog * lab[i, HUB_BACKLOG + h]
                    lab[i, HUB_GPUS + h] += part
                    lab[i, HUB_BACKLOG + h] -= part
                lab[i, GPUS_CUSTOM] = units
                cost = units * own_price
                lab[i, OUT_GPUS] += cost
                lab[i, CASH] -= cost
        premium = clamp(orders[i, O_PREMIUM], 0.0, 1.0)
        unit = list_price * world[SPOT] * (1.0 + premium) + infra
        lab[i, UNIT_PRICE] = unit
        eligible = _eligible_backlog(lab, i, world, hubs)
        lab[i, SCRATCH] = eligible
        want = min(eligible, max(lab[i, CASH], 0.0) / unit)
        lab[i, GPUS_WANTED] = want
        lab[i, WEIGHT] = want * (1.0 + params[P_PREMIUM_WEIGHT] * premium) * (
            1.0 + loyalty * lab[i, RELATIONSHIP])
    demand = 0.0
    for i in range(n):
        if lab[i, STATUS] == ALIVE:
            demand += lab[i, GPUS_WANTED]
    world[DEMAND_GPUS] = demand
    world[DELIVERED] = waterfill(lab, supply, GPUS_WANTED, WEIGHT, GPUS_DELIVERED)
    backlog_all = 0.0
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        got = lab[i, GPUS_DELIVERED]
        _deliver(lab, i, world, hubs, got, lab[i, SCRATCH])
        cost = got * lab[i, UNIT_PRICE]
        lab[i, OUT_GPUS] += cost
        lab[i, CASH] -= cost
        lab[i, RELATIONSHIP] += got
        for h in range(n_hubs):
            backlog_all += lab[i, HUB_BACKLOG + h]
    # prices and lead times for next quarter
    ratio = demand / max(supply, 1.0)
    if ratio >= 1.0:
        target = min(1.0 + params[P_SPOT_SENSITIVITY] * (ratio - 1.0), params[P_SPOT_MAX])
    else:
        floor = params[P_SPOT_GLUT_FLOOR]
        target = floor + (1.0 - floor) * ratio
    world[SPOT] += params[P_SPOT_SMOOTHING] * (target - world[SPOT])
    world[LEAD_TIME] = backlog_all / max(world[VENDOR_SUPPLY], 1.0)
    world[VENDOR_SUPPLY] *= 1.0 + params[P_SUPPLY_GROWTH]
    world[LIST_PRICE] = list_price * (1.0 - params[P_LIST_PRICE_DECLINE])
    _cloud_and_partners(lab, world, orders, params)


@kernel
def _cloud_and_partners(lab, world, orders, params):
    """Cloud rental (a limited pool, priced with the spot market) and compute partnerships."""
    n = lab.shape[0]
    price = world[CLOUD_PRICE] * world[SPOT]
    for i in range(n):
        lab[i, SCRATCH] = 0.0
        if lab[i, STATUS] == ALIVE:
            lab[i, SCRATCH] = min(max(orders[i, O_RENT], 0.0), max(lab[i, CASH], 0.0) / price)
            lab[i, WEIGHT] = lab[i, SCRATCH]
    world[CLOUD_RENTED] = waterfill(lab, world[CLOUD_POOL], SCRATCH, WEIGHT, RENTED)
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        cost = lab[i, RENTED] * price
        lab[i, OUT_RENTAL] = cost
        lab[i, CASH] -= cost
        lab[i, PARTNER_GPUS] = clamp(orders[i, O_PARTNERSHIP], 0.0, 1.0) * params[P_PARTNER_GPUS]
    world[CLOUD_POOL] *= 1.0 + params[P_CLOUD_POOL_GROWTH]
    world[CLOUD_PRICE] *= 1.0 - params[P_CLOUD_PRICE_DECLINE]


@kernel
def power(lab, world, orders, params, hubs, sched, t, qkey, quarter):
    """Phase 3 (M5, M11): power comes online, new builds share the grid, GPUs run or sit idle.

    Grid headroom at a hub is shared by all labs: when their requests exceed it, each
    gets the same fraction. A GPU runs only if its hub has kW x PUE for it. Power under
    construction sits in a ring of PIPE slots: slot ``t % PIPE`` comes online in quarter t.
    """
    n = lab.shape[0]
    n_hubs = hubs.shape[0]
    for h in range(n_hubs):
        world[HEADROOM + h] = max(0.0, world[HEADROOM + h] + sched[t, S_HEADROOM_DELTA + h])
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        cost = 0.0
        for h in range(n_hubs):
            arriving = HUB_MW_PIPE + h * PIPE + quarter % PIPE
            lab[i, HUB_MW + h] += lab[i, arriving]
            lab[i, arriving] = 0.0
            asked = max(orders[i, O_MW + h], 0.0)
            lab[i, MW_ASKED] += asked
            cost += asked * hubs[h, HP_BUILD_COST]
        # a lab cannot start more building than it can pay for
        lab[i, SCRATCH] = 1.0 if cost <= max(lab[i, CASH], 0.0) else max(lab[i, CASH], 0.0) / cost
    for h in range(n_hubs):
        asked = 0.0
        for i in range(n):
            if lab[i, STATUS] == ALIVE:
                asked += max(orders[i, O_MW + h], 0.0) * lab[i, SCRATCH]
        grant = 1.0 if asked <= world[HEADROOM + h] else world[HEADROOM + h] / asked
        slot = (quarter + int(clamp(hubs[h, HP_BUILD_LEAD], 1.0, PIPE))) % PIPE
        for i in range(n):
            if lab[i, STATUS] != ALIVE:
                continue
            mw = max(orders[i, O_MW + h], 0.0) * lab[i, SCRATCH] * grant
            if mw <= 0.0:
                continue
            lab[i, HUB_MW_PIPE + h * PIPE + slot] += mw
            lab[i, MW_GRANTED] += mw
            cost = mw * hubs[h, HP_BUILD_COST]
            lab[i, OUT_POWER_BUILD] += cost
            lab[i, CASH] -= cost
            world[HEADROOM + h] = max(0.0, world[HEADROOM + h] - mw)
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        gpus = 0.0
        online = 0.0
        backlog = 0.0
        # one draw per lab: it lands in hub h's slice [edge, edge + heat_risk) of [0, 1)
        heat = uniform(qkey, i, STREAM_HEAT)
        edge = 0.0
        for h in range(n_hubs):
            capacity = lab[i, HUB_MW + h] * hubs[h, HP_GPUS_PER_MW]
            running = min(lab[i, HUB_GPUS + h], capacity)
            risk = hubs[h, HP_HEAT_RISK]
            if edge <= heat < edge + risk and running > 0.0:
                running *= 1.0 - params[P_HEATWAVE_LOSS]
                lab[i, EVENT] = EV_HEATWAVE
            edge += risk
            lab[i, HUB_ONLINE + h] = running
            lab[i, HUB_STRANDED + h] = lab[i, HUB_GPUS + h] - running
            lab[i, ONLINE_TALENT] += running * hubs[h, HP_TALENT_FACTOR]
            lab[i, ONLINE_REVENUE] += running * hubs[h, HP_REVENUE_FACTOR]
            lab[i, ONLINE_ENERGY] += running * hubs[h, HP_ENERGY_PER_GPU]
            lab[i, ONLINE_SUBSIDY] += running * hubs[h, HP_SUBSIDY_PER_GPU]
            lab[i, ONLINE_RISK] += running * hubs[h, HP_REGULATORY_RISK]
            lab[i, ONLINE_FINE] += running * hubs[h, HP_FINE_PER_GPU]
            gpus += lab[i, HUB_GPUS + h]
            online += running
            backlog += lab[i, HUB_BACKLOG + h]
        lab[i, GPUS] = gpus
        lab[i, ONLINE] = online
        lab[i, STRANDED] = gpus - online
        lab[i, BACKLOG] = backlog
