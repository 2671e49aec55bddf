"""The built-in bots as compiled policies over the state arrays.

``policy(code, knobs, lab, world, params, hubs, i, orders, key)`` writes lab ``i``'s
orders into ``orders[i]``; ``code`` picks the kernel (``bots.knobs.CODE_*``) and
``knobs`` is the bot's row of numbers from ``assets/archetypes.toml``. A policy reads
only what an observation shows: its own row and public market figures, never a
rival's private state.
"""

from blitzgame.bots import knobs as K
from blitzgame.bots.actions import apply_action
from blitzgame.bots.baseline import MAX_TRAIN_SPLIT, baseline_orders, power_for_owned, quarter_need, serving_split
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.markets import blocked, cloud_rate, installed_price
from blitzgame.engine.people import DEATH_ZONE_HIGH, DEATH_ZONE_LOW, researchers_needed
from blitzgame.engine.rng import STREAM_POLICY, quarter_key, uniform
from blitzgame.limits import MAX_GPU_ORDER, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE

NO_HUB = -1
GRID_SCARCE_QUARTERS = 8.0  # a grid that could not power this many quarters of the vendors' shipments is scarce


@kernel
def _clear(orders, i):
    for k in range(orders.shape[1]):
        orders[i, k] = 0.0


@kernel
def _hub_cost(hubs, h, risk):
    """Cost per unit of revenue of running a GPU at hub ``h``, as this bot weighs it: power
    and lead time for everyone; regulators and export controls scare the cautious
    (``risk`` near 0), subsidies and sovereign money tempt the bold (``risk`` near 1)."""
    cost = hubs[h, F.HP_ENERGY_PER_GPU] * (1.0 + 0.5 * hubs[h, F.HP_BUILD_LEAD])
    fear = (1.0 - risk) * (20.0 * hubs[h, F.HP_REGULATORY_RISK] + 25.0 * hubs[h, F.HP_EXPORT_RISK]
                           + 10.0 * hubs[h, F.HP_HEAT_RISK])
    lure = risk * (0.3 * hubs[h, F.HP_SOVEREIGN_FUNDING] + 200.0 * hubs[h, F.HP_SUBSIDY_PER_GPU])
    return cost * (1.0 + fear) / (hubs[h, F.HP_REVENUE_FACTOR] * (1.0 + lure))


@inline_kernel
def _next_best_hub(world, hubs, risk, prev, prev_cost):
    """The cheapest open hub with grid headroom left that comes after hub ``prev`` (cost
    ``prev_cost``; NO_HUB: the best of all) in the order of cost, ties to the lower index, so
    the order is total. Returns (hub or NO_HUB, its cost)."""
    best = NO_HUB
    best_cost = 0.0
    for h in range(hubs.shape[0]):
        if blocked(world, hubs, h) or world[F.HEADROOM + h] < 1.0:
            continue
        cost = _hub_cost(hubs, h, risk)
        if prev != NO_HUB and (cost < prev_cost or (cost == prev_cost and h <= prev)):
            continue  # taken by a better rank
        if best == NO_HUB or cost < best_cost:
            best = h
            best_cost = cost
    return best, best_cost


@inline_kernel
def grid_scarce(world, hubs):
    """M5: a power crunch, as a lab reads it from public figures: the grid left at the hubs it may
    ship to could not power two years (``GRID_SCARCE_QUARTERS``) of the vendors' shipments."""
    gpus = 0.0  # GPUs the grid left could power
    for h in range(hubs.shape[0]):
        if not blocked(world, hubs, h):
            gpus += world[F.HEADROOM + h] * hubs[h, F.HP_GPUS_PER_MW]
    return gpus < GRID_SCARCE_QUARTERS * world[F.VENDOR_SUPPLY]


@inline_kernel
def _per_mw(hubs, h, per_gpu):
    """What a MW of power at hub ``h`` costs an archetype's budget: the build, and the GPUs it
    will run at ``per_gpu`` each (0: the GPUs later)."""
    return hubs[h, F.HP_BUILD_COST] + per_gpu * hubs[h, F.HP_GPUS_PER_MW]


@inline_kernel
def _room(lab, world, hubs, i, h):
    """GPUs lab ``i`` could still run at hub ``h`` on the power it has and the power arriving now,
    beyond what it owns and has on order there."""
    powered = lab[i, F.HUB_MW + h] + lab[i, F.HUB_MW_PIPE + h * F.PIPE + int(world[F.QUARTER]) % F.PIPE]
    return powered * hubs[h, F.HP_GPUS_PER_MW] - lab[i, F.HUB_GPUS + h] - lab[i, F.HUB_BACKLOG + h]


@inline_kernel
def train_split(knobs, lab, world, params, i):
    """Its share of compute for training: the style's (``train_split``), or, with a ``serve_margin``,
    enough serving compute for that multiple of what its customers wanted last quarter and
    the rest training, never less than the style's and at most ``MAX_TRAIN_SPLIT``."""
    return serving_split(lab, world, params, i, knobs[K.SERVE], knobs[K.TRAIN], MAX_TRAIN_SPLIT, knobs[K.TRAIN])


@inline_kernel
def archetype_orders(knobs, lab, world, params, hubs, i, orders):
    """The one policy every archetype plays, shaped by its knobs (``bots.knobs``)."""
    _clear(orders, i)
    if lab[i, F.STATUS] != F.ALIVE:
        return
    orders[i, F.O_TRAIN_SPLIT] = train_split(knobs, lab, world, params, i)
    orders[i, F.O_PACKAGE] = params[P.PACKAGE_REF] * knobs[K.PAY]
    orders[i, F.O_OPEN_SOURCE] = knobs[K.OPEN_SOURCE]
    orders[i, F.O_PARTNERSHIP] = knobs[K.PARTNERSHIP]
    running = quarter_need(lab, i)
    cash = lab[i, F.CASH]
    reserve = knobs[K.RESERVE]
    wanted = min(lab[i, F.EQUITY_ASKED], lab[i, F.EQUITY_PLAN])  # last quarter's round, as far as its plan justified it
    if wanted > 0.0 and lab[i, F.IN_EQUITY] < 0.5 * wanted:
        reserve += knobs[K.RATIONED_RESERVE]  # investors gave less than half (pool short, window shut): keep more
    spare = cash - reserve * running
    cheap = world[F.SPOT] < 1.0 or world[F.MUSIC_STOPPED] > 0.0
    share = knobs[K.GROWTH] + (knobs[K.DIP_GROWTH] if cheap else 0.0)
    budget = 0.0
    if spare > 0.0 and lab[i, F.BACKLOG] < 2.0 * world[F.VENDOR_SUPPLY] / lab.shape[0]:
        budget = spare * min(share, 1.0)
    # alternatives in a shortage (M13): cloud rental now, custom silicon for later
    rate = cloud_rate(world)  # what a rental is charged: the cloud's price at today's spot
    if budget > 0.0 and knobs[K.RENT] > 0.0 and rate > 0.0:
        units = min(budget * knobs[K.RENT] / rate, world[F.CLOUD_POOL])  # no more than is for rent
        orders[i, F.O_RENT] = units
        budget -= units * rate
    if budget > 0.0 and knobs[K.SILICON] > 0.0 and lab[i, F.SILICON] < 1.0:
        silicon = budget * knobs[K.SILICON]
        orders[i, F.O_SILICON_RND] = silicon
        budget -= silicon
    # GPUs where power will run them, while the price is one it accepts
    premium = knobs[K.PREMIUM]
    unit = installed_price(world, params, world[F.SPOT], premium)
    if knobs[K.NICHE] > 0.0:  # a niche lab: below the death zone, or across it, never in it (M7)
        owned = lab[i, F.GPUS] + lab[i, F.BACKLOG]
        if owned >= DEATH_ZONE_LOW:  # in it (it started there): everything beyond the reserve to cross it
            spent = orders[i, F.O_RENT] * rate + orders[i, F.O_SILICON_RND]
            room = lab[i, F.BACKLOG] < 2.0 * world[F.VENDOR_SUPPLY] / lab.shape[0]
            budget = max(spare - spent, 0.0) if room else 0.0
        else:  # pounce only if this quarter's order clears the zone: what it can pay for and power now
            placeable = 0.0
            for h in range(hubs.shape[0]):
                if not blocked(world, hubs, h):
                    placeable += max(_room(lab, world, hubs, i, h), 0.0)
            if not (cheap and owned + min(budget / unit, placeable) >= DEATH_ZONE_HIGH):
                budget = min(budget, max(0.0, knobs[K.NICHE] - owned) * unit)
    if world[F.SPOT] <= knobs[K.MAX_SPOT]:
        orders[i, F.O_PREMIUM] = premium
        for h in range(hubs.shape[0]):
            if budget <= 0.0:
                break
            if blocked(world, hubs, h):
                continue
            room = _room(lab, world, hubs, i, h)
            if room >= 1.0:
                gpus = min(room, budget / unit)
                orders[i, F.O_GPUS + h] = gpus
                budget -= gpus * unit
    # the rest builds power for later, spread over its favourite hubs, each MW with money kept for the
    # GPUs it will run; in a power crunch it secures the grid while it lasts, the GPUs bought later (M5)
    spread = max(1, int(knobs[K.HUBS]))
    if budget > 0.0:
        per_gpu = 0.0 if grid_scarce(world, hubs) else unit  # (the grid read only when it builds)
        per_hub = budget / spread
        h = NO_HUB
        cost = 0.0
        unbuilt = 0.0  # the budget the grid could not take
        for s in range(spread):  # its favourites, best first
            h, cost = _next_best_hub(world, hubs, knobs[K.RISK], h, cost)
            if h == NO_HUB:
                unbuilt += per_hub * (spread - s)
                break
            per_mw = _per_mw(hubs, h, per_gpu)
            mw = per_hub / per_mw
            built = min(mw, world[F.HEADROOM + h])
            orders[i, F.O_MW + h] += built
            unbuilt += (mw - built) * per_mw
        while unbuilt > 0.0 and h != NO_HUB:  # its favourites' grids full: the next hubs with grid to spare
            h, cost = _next_best_hub(world, hubs, knobs[K.RISK], h, cost)
            if h == NO_HUB:
                break
            per_mw = _per_mw(hubs, h, per_gpu)
            built = min(unbuilt / per_mw, world[F.HEADROOM + h])
            orders[i, F.O_MW + h] += built
            unbuilt -= built * per_mw
        if unbuilt > 0.0 and rate > 0.0:  # every grid full (a power crunch): compute that needs no power instead (M13)
            orders[i, F.O_RENT] += min(unbuilt / rate, max(world[F.CLOUD_POOL] - orders[i, F.O_RENT], 0.0))
    power_for_owned(lab, world, hubs, i, orders)
    # people: staff to the cluster (counting each researcher at its quality), at most a quarter more a quarter
    target = max(20.0, researchers_needed(lab, i, params) * knobs[K.STAFFING] / max(lab[i, F.TALENT_QUALITY], 0.5))
    if lab[i, F.RESEARCHERS] < target:
        orders[i, F.O_HIRE] = min(target - lab[i, F.RESEARCHERS], 0.25 * target + 5.0)
    # money: a steady round every quarter (investors fund what its spending justifies and their pool
    # allows, M8), a bigger one while the market is warm enough, a bridge when runway runs short
    if world[F.SENTIMENT] >= knobs[K.RAISE_MOOD] and cash < knobs[K.RAISE] * lab[i, F.VALUATION]:
        orders[i, F.O_EQUITY] = knobs[K.RAISE] * lab[i, F.VALUATION]
    elif running > 0.0 and cash < 6.0 * running and world[F.SENTIMENT] > 0.5:
        orders[i, F.O_EQUITY] = 8.0 * running
    orders[i, F.O_EQUITY] = max(orders[i, F.O_EQUITY], knobs[K.RAISE_ALWAYS] * lab[i, F.VALUATION])
    if knobs[K.LEVERAGE] > 0.0 and lab[i, F.DEBT] < knobs[K.LEVERAGE] * running:
        orders[i, F.O_DEBT] = knobs[K.LEVERAGE] * running - lab[i, F.DEBT]
    elif cash < 2.0 * running and world[F.SENTIMENT] <= 0.5:
        orders[i, F.O_DEBT] = 2.0 * running
    # efficiency R&D (M12): a share of the spare cash, and a steady share of all of it
    orders[i, F.O_EFFICIENCY_RND] = knobs[K.EFFICIENCY] * max(spare, 0.0) + knobs[K.EFFICIENCY_CASH] * max(cash, 0.0)
    if spare > 0.0:  # waits for stumbles (M9): a standing offer for a rival in distress
        orders[i, F.O_BID] = knobs[K.BID] * spare
    if running > 0.0 and cash < running and world[F.SENTIMENT] <= 0.5:
        orders[i, F.O_LAYOFF] = 0.2 * lab[i, F.RESEARCHERS]
        orders[i, F.O_HIRE] = 0.0  # (a lab laying people off hires none in the same quarter)


@inline_kernel
def greedy_orders(lab, world, params, hubs, i, orders):
    """Every dollar on GPUs, every quarter, at the hub with the most power (or its home hub)."""
    _clear(orders, i)
    if lab[i, F.STATUS] != F.ALIVE:
        return
    orders[i, F.O_TRAIN_SPLIT] = 0.5
    orders[i, F.O_PACKAGE] = params[P.PACKAGE_REF]
    best = NO_HUB
    for h in range(hubs.shape[0]):
        if blocked(world, hubs, h):
            continue
        if best == NO_HUB or lab[i, F.HUB_MW + h] > lab[i, F.HUB_MW + best]:
            best = h
    if best == NO_HUB:
        return
    cash = lab[i, F.CASH]
    if cash > 0.0:
        orders[i, F.O_GPUS + best] = cash / installed_price(world, params, world[F.SPOT], 0.0)
    if lab[i, F.RESEARCHERS] < 20.0:
        orders[i, F.O_HIRE] = 20.0 - lab[i, F.RESEARCHERS]


@inline_kernel
def random_orders(lab, world, params, hubs, i, orders, key):
    """Random orders, each within what the orders form accepts and scaled to the lab's own cash
    and team (hires or layoffs, borrowing or repaying): a noisy reference, not a suicidal one."""
    _clear(orders, i)
    if lab[i, F.STATUS] != F.ALIVE:
        return
    q = quarter_key(key, world[F.QUARTER])
    s = STREAM_POLICY * 64  # this bot's streams: s, s+1, ...
    cash = max(lab[i, F.CASH], 0.0)
    unit = installed_price(world, params, world[F.SPOT], 0.0)
    n = hubs.shape[0]
    h = min(n - 1, int(uniform(q, i, s) * n))
    if uniform(q, i, s + 1) < 0.5:
        orders[i, F.O_GPUS + h] = uniform(q, i, s + 2) * 0.5 * cash / unit
    if uniform(q, i, s + 3) < 0.4:
        orders[i, F.O_MW + h] = min(uniform(q, i, s + 4) * 0.3 * cash / hubs[h, F.HP_BUILD_COST],
                                    world[F.HEADROOM + h])
    orders[i, F.O_PREMIUM] = 0.3 * uniform(q, i, s + 5) if uniform(q, i, s + 6) < 0.2 else 0.0
    if uniform(q, i, s + 7) < 0.2:
        orders[i, F.O_RENT] = min(uniform(q, i, s + 8) * 0.2 * cash / cloud_rate(world),
                                  world[F.CLOUD_POOL])
    if uniform(q, i, s + 22) < 0.7:
        orders[i, F.O_HIRE] = uniform(q, i, s + 9) * 30.0
    else:
        orders[i, F.O_LAYOFF] = uniform(q, i, s + 23) * 0.2 * lab[i, F.RESEARCHERS]
    orders[i, F.O_PACKAGE] = params[P.PACKAGE_REF] * (0.7 + 0.8 * uniform(q, i, s + 10))
    orders[i, F.O_TRAIN_SPLIT] = uniform(q, i, s + 11)
    if uniform(q, i, s + 12) < 0.15:
        orders[i, F.O_EQUITY] = uniform(q, i, s + 13) * 0.2 * lab[i, F.VALUATION]
    draw = uniform(q, i, s + 14)
    if draw < 0.1:
        orders[i, F.O_DEBT] = uniform(q, i, s + 15) * 0.1 * cash
    elif draw < 0.2:
        orders[i, F.O_DEBT] = -uniform(q, i, s + 15) * lab[i, F.DEBT]
    orders[i, F.O_EFFICIENCY_RND] = uniform(q, i, s + 16) * 0.03 * cash
    if uniform(q, i, s + 17) < 0.1:
        orders[i, F.O_SILICON_RND] = uniform(q, i, s + 18) * 0.05 * cash
    orders[i, F.O_OPEN_SOURCE] = 1.0 if uniform(q, i, s + 19) < 0.15 else 0.0
    orders[i, F.O_PARTNERSHIP] = uniform(q, i, s + 20) if uniform(q, i, s + 21) < 0.15 else 0.0


@inline_kernel
def _within_form(orders, i, hubs):
    """Cut every order to what the orders form accepts, as a player's would be."""
    for h in range(hubs.shape[0]):
        orders[i, F.O_GPUS + h] = min(orders[i, F.O_GPUS + h], MAX_GPU_ORDER)
        orders[i, F.O_MW + h] = min(orders[i, F.O_MW + h], MAX_MW_ORDER)
    orders[i, F.O_RENT] = min(orders[i, F.O_RENT], MAX_GPU_ORDER)
    orders[i, F.O_HIRE] = min(orders[i, F.O_HIRE], MAX_PEOPLE)
    orders[i, F.O_LAYOFF] = min(orders[i, F.O_LAYOFF], MAX_PEOPLE)
    for k in (F.O_EQUITY, F.O_EFFICIENCY_RND, F.O_SILICON_RND, F.O_BID):
        orders[i, k] = min(orders[i, k], MAX_MONEY)
    orders[i, F.O_DEBT] = max(-MAX_MONEY, min(orders[i, F.O_DEBT], MAX_MONEY))


@inline_kernel
def policy(code, knobs, lab, world, params, hubs, i, orders, key):
    """Lab ``i``'s orders from the built-in bot ``code`` with its ``knobs``."""
    if code == K.CODE_ARCHETYPE:
        archetype_orders(knobs, lab, world, params, hubs, i, orders)
    elif code == K.CODE_GREEDY:
        greedy_orders(lab, world, params, hubs, i, orders)
    elif code == K.CODE_RANDOM:
        random_orders(lab, world, params, hubs, i, orders, key)
    elif code == K.CODE_ACTION:
        apply_action(knobs, lab, world, params, hubs, i, orders)
    else:
        baseline_orders(lab, world, params, hubs, i, orders)
    _within_form(orders, i, hubs)
