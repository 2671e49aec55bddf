"""Phases 1–3 of a quarter: financing, the GPU market (M4, M13) and power (M5).

Every function works on one game: ``lab[L, F]``, ``world[W]``, ``orders[L, O]``.
Shared markets are cleared symmetrically, so the order of labs never matters.
"""

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.rng import STREAM_HEAT, uniform


@kernel
def clamp(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


@kernel
def installed_price(world, params, spot, premium):
    """M4: $M one GPU costs bought at the spot multiplier ``spot`` with ``premium`` (a share over
    spot, for delivery priority) and installed: list x spot x (1 + premium) + infrastructure."""
    return world[F.LIST_PRICE] * spot * (1.0 + premium) + params[P.INFRA_CAPEX_PER_GPU]


def heat_slices(hubs) -> list[tuple[float, float]]:
    """Where a lab's one heatwave draw (``STREAM_HEAT``) takes each hub's GPUs down: hub h's
    slice of [0, 1), laid end to end in hub order, each as wide as its heat risk (the rule
    ``power`` applies; the orders forecast tries a draw in each)."""
    slices, edge = [], 0.0
    for h in range(hubs.shape[0]):
        risk = float(hubs[h, F.HP_HEAT_RISK])
        slices.append((edge, edge + risk))
        edge += risk
    return slices


@inline_kernel
def waterfill(lab, supply, want_field, weight_field, got_field, params):
    """Share ``supply`` among alive labs: each gets at most what it wants, by weight.

    Three rounds hand what the satisfied labs leave over to the others. Writes
    ``lab[:, got_field]`` and returns the amount handed out.
    """
    n = lab.shape[0]
    total = 0.0
    for i in range(n):
        lab[i, got_field] = 0.0
        if lab[i, F.STATUS] == F.ALIVE:
            total += lab[i, want_field]
    if total <= supply:
        for i in range(n):
            if lab[i, F.STATUS] == F.ALIVE:
                lab[i, got_field] = lab[i, want_field]
        return total
    handed = 0.0
    for _ in range(int(params[P.WATERFILL_ROUNDS])):
        left = supply - handed
        weights = 0.0
        for i in range(n):
            if lab[i, F.STATUS] == F.ALIVE and lab[i, got_field] < lab[i, want_field]:
                weights += lab[i, weight_field]
        if left <= 1e-9 or weights <= 0.0:
            break
        per_weight = left / weights
        for i in range(n):
            if lab[i, F.STATUS] == F.ALIVE and lab[i, got_field] < lab[i, want_field]:
                give = min(per_weight * lab[i, weight_field], lab[i, want_field] - lab[i, got_field])
                lab[i, got_field] += give
                handed += give
    return handed


@kernel
def equity_window(world, params):
    """How open equity markets are, 0 (shut, below ``equity_min_sentiment``) to 1 (sentiment 1+)."""
    floor = params[P.EQUITY_MIN_SENTIMENT]
    return clamp((world[F.SENTIMENT] - floor) / (1.0 - floor), 0.0, 1.0)


@kernel
def capital_pools(world, params):
    """M8, M11: the $M investors and lenders put into AI labs this quarter, at most.

    Both follow the market's AI revenue; equity also follows the mood (none once markets
    shut), loans shrink after the crash. Returns (equity pool, loan pool)."""
    revenue = world[F.REVENUE_POOL]
    equity = params[P.EQUITY_POOL_REVENUE] * revenue * world[F.SENTIMENT] * equity_window(world, params)
    loans = params[P.LOAN_POOL_REVENUE] * revenue * min(world[F.SENTIMENT], 1.0)
    if world[F.MUSIC_STOPPED] > 0.0:
        loans *= params[P.CRASH_LENDING]
    return equity, loans


@inline_kernel
def _investor_appeal(lab, params):
    """M8: "back leaders, watch velocity, follow the researchers". Each living lab's weight when
    investors share a pool that labs ask too much of: its shares of the industry's running
    GPUs, revenue and researchers, times how fast it grows. Multiplies ``WEIGHT`` (which holds
    the lab's sovereign backing)."""
    n = lab.shape[0]
    gpus = 0.0
    revenue = 0.0
    people = 0.0
    for i in range(n):
        if lab[i, F.STATUS] == F.ALIVE:
            gpus += lab[i, F.ONLINE]
            revenue += lab[i, F.REVENUE]
            people += lab[i, F.RESEARCHERS]
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        lead = (lab[i, F.ONLINE] / max(gpus, 1.0) + lab[i, F.REVENUE] / max(revenue, 1.0)
                + lab[i, F.RESEARCHERS] / max(people, 1.0)) / 3.0
        appeal = (params[P.APPEAL_FLOOR] + lead) * (1.0 + params[P.APPEAL_VELOCITY]
                                                     * clamp(lab[i, F.VELOCITY], 0.0, params[P.APPEAL_VELOCITY_CAP]))
        lab[i, F.WEIGHT] = appeal * lab[i, F.WEIGHT]


@kernel
def dilute(lab, i, amount, price):
    """New shares worth ``amount`` sold at a company value of ``price``: the founders' stake shrinks."""
    lab[i, F.STAKE] *= price / (price + amount)


@kernel
def sell_round(lab, i, amount):
    """A round of ``amount`` sold at the lab's valuation: the stake shrinks, cash and valuation grow."""
    value = max(lab[i, F.VALUATION], 1.0)
    dilute(lab, i, amount, value)
    lab[i, F.VALUATION] = value + amount
    lab[i, F.CASH] += amount


@inline_kernel
def sovereign_backing(lab, i, hubs):
    """How much more equity a round of lab ``i`` may sell for the sovereign funds behind its hubs
    (M11): their ``sovereign_funding``, weighted by the power it has built at each (0 with none)."""
    mw = 0.0
    sovereign = 0.0
    for h in range(hubs.shape[0]):
        mw += lab[i, F.HUB_MW + h]
        sovereign += lab[i, F.HUB_MW + h] * hubs[h, F.HP_SOVEREIGN_FUNDING]
    if mw > 0.0:
        sovereign /= mw
    return sovereign


@inline_kernel
def financing(lab, world, orders, params, hubs):
    """Phase 1 (M8, M11): equity and loans from the quarter's finite pools, parent cash.

    A round sells at most ``equity_max_dilution`` of the company at its valuation, less as
    the mood sours; a loan is at most what lenders lend against revenue and GPUs. When labs
    ask the pool for more than it holds, leaders and fast growers are served first.
    """
    n = lab.shape[0]
    window = equity_window(world, params)
    equity_pool, loan_pool = capital_pools(world, params)
    world[F.EQUITY_POOL] = equity_pool
    world[F.LOAN_POOL] = loan_pool
    world[F.EQUITY_SUPPLIED] += equity_pool
    world[F.LOANS_SUPPLIED] += loan_pool
    asked = 0.0
    for i in range(n):
        lab[i, F.SCRATCH] = 0.0
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        ask = max(orders[i, F.O_EQUITY], 0.0)
        lab[i, F.EQUITY_ASKED] = ask
        sovereign = sovereign_backing(lab, i, hubs)
        cap = max(lab[i, F.VALUATION], 1.0) * params[P.EQUITY_MAX_DILUTION] * window * (1.0 + sovereign)
        # investors fund a plan, not a pile: cash up to a couple of years of what the lab spends
        plan = max(0.0, params[P.EQUITY_PLAN_QUARTERS] * lab[i, F.SPENDING] - max(lab[i, F.CASH], 0.0))
        lab[i, F.EQUITY_PLAN] = plan
        cap = min(cap, plan)
        lab[i, F.EQUITY_CAP] = cap
        lab[i, F.SCRATCH] = min(ask, cap)
        lab[i, F.WEIGHT] = 1.0 + sovereign  # sovereign funds back the labs building in their country
        asked += lab[i, F.SCRATCH]
    # investors pick by appeal only when asked for more than the pool holds (waterfill's own test,
    # the same sum): most quarters they need not weigh the labs at all
    if not asked <= equity_pool:
        _investor_appeal(lab, params)
    world[F.EQUITY_RAISED] += waterfill(lab, equity_pool, F.SCRATCH, F.WEIGHT, F.IN_EQUITY, params)
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        if lab[i, F.IN_EQUITY] > 0.0:
            sell_round(lab, i, lab[i, F.IN_EQUITY])
        # loans: lenders share their pool pro rata to what each lab may still borrow
        debt_order = orders[i, F.O_DEBT]
        room = debt_room(lab, i, world, params)
        lab[i, F.DEBT_ASKED] = max(debt_order, 0.0)
        lab[i, F.DEBT_CAP] = room
        lab[i, F.SCRATCH] = min(max(debt_order, 0.0), room)
        if debt_order < 0.0:
            repay = min(-debt_order, lab[i, F.DEBT], max(lab[i, F.CASH], 0.0))
            lab[i, F.DEBT] -= repay
            lab[i, F.CASH] -= repay
            lab[i, F.OUT_REPAY] = repay
    world[F.LOANS_RAISED] += waterfill(lab, loan_pool, F.SCRATCH, F.DEBT_CAP, F.IN_DEBT, params)
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        lab[i, F.DEBT] += lab[i, F.IN_DEBT]
        lab[i, F.CASH] += lab[i, F.IN_DEBT]
        # the parent's cash buys it more of the division at its valuation, like any round
        if lab[i, F.PARENT_CF] > 0.0:
            sell_round(lab, i, lab[i, F.PARENT_CF])
        lab[i, F.IN_PARENT] = lab[i, F.PARENT_CF]


@kernel
def debt_limit(lab, i, world, params):
    """What lenders will lend: a multiple of annual revenue plus GPUs as collateral."""
    limit = (params[P.DEBT_REVENUE_MULTIPLE] * 4.0 * lab[i, F.REVENUE]
             + params[P.DEBT_COLLATERAL] * lab[i, F.GPUS] * world[F.LIST_PRICE])
    if world[F.MUSIC_STOPPED] > 0.0:
        limit *= params[P.CRASH_LENDING]
    return limit


@kernel
def debt_room(lab, i, world, params):
    """$M lenders would lend lab ``i`` on top of its debt at today's terms (``debt_limit``), before
    a quarter's loan pool is shared."""
    return max(0.0, debt_limit(lab, i, world, params) - lab[i, F.DEBT])


@kernel
def blocked(world, hubs, h):
    """True while export controls stop vendor deliveries to hub ``h``."""
    return world[F.EXPORT_CONTROLS] > 0.0 and hubs[h, F.HP_EXPORT_CONTROLLED] > 0.0


@inline_kernel
def _deliver(lab, i, world, hubs, units, eligible, vendor):
    """Spread ``units`` over the lab's hubs in proportion to each hub's backlog; a vendor's
    GPUs skip hubs under export controls, the lab's own chips do not."""
    if units <= 0.0 or eligible <= 0.0:
        return
    per_backlog = units / eligible
    for h in range(hubs.shape[0]):
        if vendor and blocked(world, hubs, h):
            continue
        part = per_backlog * lab[i, F.HUB_BACKLOG + h]
        lab[i, F.HUB_GPUS + h] += part
        lab[i, F.HUB_BACKLOG + h] -= part
        if lab[i, F.HUB_BACKLOG + h] < 0.0:
            lab[i, F.HUB_BACKLOG + h] = 0.0


@inline_kernel
def _eligible_backlog(lab, i, world, hubs, vendor):
    """The backlog a supplier can deliver to: a vendor only to hubs free of export controls."""
    total = 0.0
    for h in range(hubs.shape[0]):
        if not (vendor and blocked(world, hubs, h)):
            total += lab[i, F.HUB_BACKLOG + h]
    return total


@kernel
def shipments(world, sched, t):
    """M4: GPUs vendors ship in quarter ``t`` (the schedule's row), shared by priority: their
    output under the scenario's supply events, plus GPUs fire-sold last quarter, resold."""
    return world[F.VENDOR_SUPPLY] * sched[t, F.S_SUPPLY_MULT] + world[F.SECONDARY]


@inline_kernel
def gpu_market(lab, world, orders, params, hubs, sched, t):
    """Phase 2 (M4, M13): orders join the backlog, vendor supply is allocated, GPUs arrive.

    When payable demand exceeds supply, supply goes by priority: backlog the lab can pay
    for, weighted up by the price premium it offers and by its purchase history (the
    rich get richer). Spot price and lead time follow the shortage into next quarter.
    """
    n = lab.shape[0]
    n_hubs = hubs.shape[0]
    supply = shipments(world, sched, t)
    world[F.SECONDARY] = 0.0
    world[F.SUPPLY] = supply
    list_price = world[F.LIST_PRICE]
    infra = params[P.INFRA_CAPEX_PER_GPU]
    history = 1.0
    for i in range(n):
        history += lab[i, F.RELATIONSHIP]
    loyalty = params[P.RELATIONSHIP_WEIGHT] / history  # priority per GPU bought before
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        keep = 1.0 - clamp(orders[i, F.O_CANCEL], 0.0, 1.0)
        for h in range(n_hubs):
            new = orders[i, F.O_GPUS + h]
            lab[i, F.HUB_BACKLOG + h] = lab[i, F.HUB_BACKLOG + h] * keep + new
            lab[i, F.GPUS_ORDERED] += new
        # custom silicon first: the lab's own chips skip the vendor queue and export controls
        if lab[i, F.SILICON] >= 1.0:
            own_price = list_price * params[P.CUSTOM_PRICE] + infra
            backlog = _eligible_backlog(lab, i, world, hubs, False)
            units = min(backlog, params[P.CUSTOM_CAPACITY], max(lab[i, F.CASH], 0.0) / own_price)
            if units > 0.0:
                _deliver(lab, i, world, hubs, units, backlog, False)
                lab[i, F.GPUS_CUSTOM] = units
                cost = units * own_price
                lab[i, F.OUT_GPUS] += cost
                lab[i, F.CASH] -= cost
        premium = clamp(orders[i, F.O_PREMIUM], 0.0, 1.0)
        unit = list_price * world[F.SPOT] * (1.0 + premium) + infra
        lab[i, F.UNIT_PRICE] = unit
        eligible = _eligible_backlog(lab, i, world, hubs, True)
        lab[i, F.SCRATCH] = eligible
        want = min(eligible, max(lab[i, F.CASH], 0.0) / unit)
        lab[i, F.GPUS_WANTED] = want
        lab[i, F.WEIGHT] = want * (1.0 + params[P.PREMIUM_WEIGHT] * premium) * (
            1.0 + loyalty * lab[i, F.RELATIONSHIP])
    demand = 0.0
    for i in range(n):
        if lab[i, F.STATUS] == F.ALIVE:
            demand += lab[i, F.GPUS_WANTED]
    world[F.DEMAND_GPUS] = demand
    world[F.DELIVERED] = waterfill(lab, supply, F.GPUS_WANTED, F.WEIGHT, F.GPUS_DELIVERED, params)
    backlog_all = 0.0
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        got = lab[i, F.GPUS_DELIVERED]
        _deliver(lab, i, world, hubs, got, lab[i, F.SCRATCH], True)
        cost = got * lab[i, F.UNIT_PRICE]
        lab[i, F.OUT_GPUS] += cost
        lab[i, F.CASH] -= cost
        lab[i, F.RELATIONSHIP] += got
        for h in range(n_hubs):
            backlog_all += lab[i, F.HUB_BACKLOG + h]
    # prices and lead times for next quarter
    ratio = demand / max(supply, 1.0)
    if ratio >= 1.0:
        target = min(1.0 + params[P.SPOT_SENSITIVITY] * (ratio - 1.0), params[P.SPOT_MAX])
    else:
        floor = params[P.SPOT_GLUT_FLOOR]
        target = floor + (1.0 - floor) * ratio
    world[F.SPOT] += params[P.SPOT_SMOOTHING] * (target - world[F.SPOT])
    world[F.LEAD_TIME] = backlog_all / max(world[F.VENDOR_SUPPLY], 1.0)
    world[F.VENDOR_SUPPLY] *= 1.0 + params[P.SUPPLY_GROWTH]
    world[F.LIST_PRICE] = list_price * (1.0 - params[P.LIST_PRICE_DECLINE])
    _cloud_and_partners(lab, world, orders, params)


@kernel
def cloud_rate(world):
    """M13: $M a cloud GPU-equivalent costs for a quarter: the cloud's price times the GPU spot
    multiplier (rent moves with the GPU market)."""
    return world[F.CLOUD_PRICE] * world[F.SPOT]


@inline_kernel
def _cloud_and_partners(lab, world, orders, params):
    """Cloud rental (a limited pool, priced with the spot market, ``cloud_rate``) and compute partnerships."""
    n = lab.shape[0]
    price = cloud_rate(world)
    for i in range(n):
        lab[i, F.SCRATCH] = 0.0
        if lab[i, F.STATUS] == F.ALIVE:
            lab[i, F.SCRATCH] = min(max(orders[i, F.O_RENT], 0.0), max(lab[i, F.CASH], 0.0) / price)
            lab[i, F.WEIGHT] = lab[i, F.SCRATCH]
    world[F.CLOUD_RENTED] = waterfill(lab, world[F.CLOUD_POOL], F.SCRATCH, F.WEIGHT, F.RENTED, params)
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        cost = lab[i, F.RENTED] * price
        lab[i, F.OUT_RENTAL] = cost
        lab[i, F.CASH] -= cost
        # a partner matches the lab's own running fleet, up to what it can spare
        lab[i, F.PARTNER_GPUS] = clamp(orders[i, F.O_PARTNERSHIP], 0.0, 1.0) * min(
            params[P.PARTNER_GPUS], params[P.PARTNER_MATCH] * lab[i, F.ONLINE])
    world[F.CLOUD_POOL] *= 1.0 + params[P.CLOUD_POOL_GROWTH]
    world[F.CLOUD_PRICE] *= 1.0 - params[P.CLOUD_PRICE_DECLINE]


@inline_kernel
def power(lab, world, orders, params, hubs, sched, t, qkey, quarter):
    """Phase 3 (M5, M11): power comes online, new builds share the grid, GPUs run or sit idle.

    Grid headroom at a hub is shared by all labs: when their requests exceed it, each
    gets the same fraction. A GPU runs only if its hub has kW x PUE for it. Power under
    construction sits in a ring of PIPE slots: slot ``t % PIPE`` comes online in quarter t.
    """
    n = lab.shape[0]
    n_hubs = hubs.shape[0]
    for h in range(n_hubs):
        world[F.HEADROOM + h] = max(0.0, world[F.HEADROOM + h] + sched[t, F.S_HEADROOM_DELTA + h])
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        cost = 0.0
        for h in range(n_hubs):
            arriving = F.HUB_MW_PIPE + h * F.PIPE + quarter % F.PIPE
            lab[i, F.HUB_MW + h] += lab[i, arriving]
            lab[i, arriving] = 0.0
            asked = max(orders[i, F.O_MW + h], 0.0)
            lab[i, F.MW_ASKED] += asked
            cost += asked * hubs[h, F.HP_BUILD_COST]
        # a lab cannot start more building than it can pay for
        lab[i, F.SCRATCH] = 1.0 if cost <= max(lab[i, F.CASH], 0.0) else max(lab[i, F.CASH], 0.0) / cost
    for h in range(n_hubs):
        asked = 0.0
        for i in range(n):
            if lab[i, F.STATUS] == F.ALIVE:
                asked += max(orders[i, F.O_MW + h], 0.0) * lab[i, F.SCRATCH]
        grant = 1.0 if asked <= world[F.HEADROOM + h] else world[F.HEADROOM + h] / asked
        slot = (quarter + int(clamp(hubs[h, F.HP_BUILD_LEAD], 1.0, F.PIPE))) % F.PIPE
        for i in range(n):
            if lab[i, F.STATUS] != F.ALIVE:
                continue
            mw = max(orders[i, F.O_MW + h], 0.0) * lab[i, F.SCRATCH] * grant
            if mw <= 0.0:
                continue
            lab[i, F.HUB_MW_PIPE + h * F.PIPE + slot] += mw
            lab[i, F.MW_GRANTED] += mw
            cost = mw * hubs[h, F.HP_BUILD_COST]
            lab[i, F.OUT_POWER_BUILD] += cost
            lab[i, F.CASH] -= cost
            world[F.HEADROOM + h] = max(0.0, world[F.HEADROOM + h] - mw)
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        gpus = 0.0
        online = 0.0
        backlog = 0.0
        # what the running GPUs bring and cost, by their hubs (sums of running x hub factor)
        local_talent = 0.0
        local_revenue = 0.0
        energy = 0.0
        subsidy = 0.0
        regulatory = 0.0
        fines = 0.0
        # one draw per lab: it lands in hub h's slice [edge, edge + heat_risk) of [0, 1)
        heat = uniform(qkey, i, STREAM_HEAT)
        edge = 0.0
        for h in range(n_hubs):
            installed = lab[i, F.HUB_GPUS + h]
            running = min(installed, lab[i, F.HUB_MW + h] * hubs[h, F.HP_GPUS_PER_MW])
            risk = hubs[h, F.HP_HEAT_RISK]
            if edge <= heat < edge + risk and running > 0.0:
                cool = running
                running *= 1.0 - params[P.HEATWAVE_LOSS]
                lab[i, F.HEAT_DARK] = cool - running
                lab[i, F.EVENT] = F.EV_HEATWAVE
            edge += risk
            lab[i, F.HUB_ONLINE + h] = running
            lab[i, F.HUB_STRANDED + h] = installed - running
            local_talent += running * hubs[h, F.HP_TALENT_FACTOR]
            local_revenue += running * hubs[h, F.HP_REVENUE_FACTOR]
            energy += running * hubs[h, F.HP_ENERGY_PER_GPU]
            subsidy += running * hubs[h, F.HP_SUBSIDY_PER_GPU]
            regulatory += running * hubs[h, F.HP_REGULATORY_RISK]
            fines += running * hubs[h, F.HP_FINE_PER_GPU]
            gpus += installed
            online += running
            backlog += lab[i, F.HUB_BACKLOG + h]
        lab[i, F.ONLINE_TALENT] = local_talent
        lab[i, F.ONLINE_REVENUE] = local_revenue
        lab[i, F.ONLINE_ENERGY] = energy
        lab[i, F.ONLINE_SUBSIDY] = subsidy
        lab[i, F.ONLINE_RISK] = regulatory
        lab[i, F.ONLINE_FINE] = fines
        lab[i, F.GPUS] = gpus
        lab[i, F.ONLINE] = online
        lab[i, F.STRANDED] = gpus - online
        lab[i, F.BACKLOG] = backlog
