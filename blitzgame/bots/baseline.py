"""The baseline policy: a prudent lab that grows within its means.

It keeps a year of runway and grows with what is left: GPUs only where power can run
them, and new power at the hub with the cheapest running cost (lead time counted) that
still has grid headroom. It serves what its customers want (half again) and trains with the
rest of its compute, staffs to its cluster size at a tenth over the labs' average pay, and
raises equity while the market is open. It reads only its own row
and public world figures, as any bot's observation allows.
"""

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.markets import blocked, installed_price
from blitzgame.engine.metrics import burn, serving_capacity
from blitzgame.engine.people import market_pay, researchers_needed

SERVE_MARGIN = 1.5  # serving compute for this multiple of last quarter's demand
MIN_TRAIN_SPLIT = 0.2  # it always trains a little
MAX_TRAIN_SPLIT = 0.85  # a lab (this one, an archetype) that trains what its customers leave keeps some compute serving


@kernel
def quarter_need(lab, i):
    """What the built-in bots plan a quarter to cost: last quarter's burn (``metrics.burn``) and a
    quarter of payroll as a cushion. Their reserves are counted in these quarters."""
    return max(burn(lab, i), 0.0) + lab[i, F.OUT_PAYROLL] * 0.25


@kernel  # (called, not inlined: every kernel that plays a policy would carry two copies of it)
def serving_split(lab, world, params, i, margin, floor, ceiling, default):
    """The share of its compute lab ``i`` trains with when it keeps serving compute for ``margin``
    times what its customers wanted last quarter: the rest, within ``floor``..``ceiling``
    (``default`` with no demand to go by, or no margin)."""
    split = default
    if margin > 0.0 and lab[i, F.DEMAND] > 0.0:
        full = serving_capacity(lab, i, world, params, 0.0)  # all of its compute serving
        if full > 0.0:
            split = max(floor, min(1.0 - margin * lab[i, F.DEMAND] / full, ceiling))
    return split


@inline_kernel
def _best_hub(world, hubs, mw_needed):
    """The open hub with the cheapest running cost per GPU that can still connect
    ``mw_needed``; every quarter of power lead time counts against it (idle GPUs)."""
    best = -1
    best_cost = 1.0
    best_value = 0.0
    for h in range(hubs.shape[0]):
        if blocked(world, hubs, h):
            continue
        if world[F.HEADROOM + h] < mw_needed:
            continue
        # cost per unit of revenue: cost / revenue_factor, compared by cross-multiplying
        cost = hubs[h, F.HP_ENERGY_PER_GPU] * (1.0 + 0.5 * hubs[h, F.HP_BUILD_LEAD])
        value = hubs[h, F.HP_REVENUE_FACTOR]
        if best < 0 or cost * best_value < best_cost * value:
            best_cost = cost
            best_value = value
            best = h
    return best


@inline_kernel
def power_for_owned(lab, world, hubs, i, orders):
    """Power for every GPU owned or on order (this quarter's included) that has none built or coming."""
    for h in range(hubs.shape[0]):
        need = (lab[i, F.HUB_GPUS + h] + lab[i, F.HUB_BACKLOG + h] + orders[i, F.O_GPUS + h]) / hubs[h, F.HP_GPUS_PER_MW]
        have = lab[i, F.HUB_MW + h] + orders[i, F.O_MW + h]
        for k in range(F.PIPE):
            have += lab[i, F.HUB_MW_PIPE + h * F.PIPE + k]
        if need > have + 0.5:
            orders[i, F.O_MW + h] += min(need - have, world[F.HEADROOM + h])


@inline_kernel
def baseline_orders(lab, world, params, hubs, i, orders):
    """Write lab ``i``'s orders for this quarter into ``orders[i]``."""
    for k in range(orders.shape[1]):
        orders[i, k] = 0.0
    if lab[i, F.STATUS] != F.ALIVE:
        return
    # compute: enough serving for half again what its customers wanted last quarter, training with the rest
    orders[i, F.O_TRAIN_SPLIT] = serving_split(lab, world, params, i, SERVE_MARGIN, MIN_TRAIN_SPLIT, MAX_TRAIN_SPLIT, 0.5)
    # a tenth over what the labs pay on average (or the market's reference, if more): it keeps its people
    orders[i, F.O_PACKAGE] = max(params[P.PACKAGE_REF], market_pay(lab)) * 1.1
    running = quarter_need(lab, i)
    reserve = 4.0 * running
    cash = lab[i, F.CASH]
    spare = cash - reserve
    # GPUs and power: spend a fifth of what is beyond a year of runway each quarter.
    # GPUs go only where power runs them this quarter; the rest builds power for later.
    unit = installed_price(world, params, world[F.SPOT], 0.0)
    arriving = int(world[F.QUARTER]) % F.PIPE  # the power slot that comes online this quarter
    budget = 0.0
    if spare > 0.0 and lab[i, F.BACKLOG] < 2.0 * world[F.VENDOR_SUPPLY] / lab.shape[0]:
        budget = spare * 0.2
    for h in range(hubs.shape[0]):
        if blocked(world, hubs, h):
            continue
        powered = lab[i, F.HUB_MW + h] + lab[i, F.HUB_MW_PIPE + h * F.PIPE + arriving]
        room = powered * hubs[h, F.HP_GPUS_PER_MW] - lab[i, F.HUB_GPUS + h] - lab[i, F.HUB_BACKLOG + h]
        if room >= 1.0 and budget > 0.0:
            gpus = min(room, budget / unit)
            orders[i, F.O_GPUS + h] = gpus
            budget -= gpus * unit
    h = _best_hub(world, hubs, 1.0)
    if h >= 0 and budget > 0.0:
        build = hubs[h, F.HP_BUILD_COST]
        mw = budget / (build + unit * hubs[h, F.HP_GPUS_PER_MW])  # keep money for the GPUs it will run
        orders[i, F.O_MW + h] = min(mw, world[F.HEADROOM + h])
    power_for_owned(lab, world, hubs, i, orders)
    # people: staff to the cluster (counting each researcher at its quality), at most a quarter more a quarter
    target = max(20.0, researchers_needed(lab, i, params) / max(lab[i, F.TALENT_QUALITY], 0.5))
    if lab[i, F.RESEARCHERS] < target:
        orders[i, F.O_HIRE] = min(target - lab[i, F.RESEARCHERS], 0.25 * target + 5.0)
    # money: a growth round while the market is hot, a bridge while it is open and runway is short
    if world[F.SENTIMENT] > 0.9 and cash < 0.1 * lab[i, F.VALUATION]:
        orders[i, F.O_EQUITY] = 0.15 * lab[i, F.VALUATION]
    elif running > 0.0 and cash < 6.0 * running and world[F.SENTIMENT] > 0.5:
        orders[i, F.O_EQUITY] = 8.0 * running
    if cash < 2.0 * running and world[F.SENTIMENT] <= 0.5:
        orders[i, F.O_DEBT] = 2.0 * running
    # efficiency: a little, always, when there is spare cash
    if spare > 0.0:
        orders[i, F.O_EFFICIENCY_RND] = min(0.02 * spare, 150.0)
    # cut people when the end is near and no money will come
    if running > 0.0 and cash < running and world[F.SENTIMENT] <= 0.5:
        orders[i, F.O_LAYOFF] = 0.2 * lab[i, F.RESEARCHERS]
