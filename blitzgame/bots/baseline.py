"""The baseline policy: a prudent lab that grows within its means.

It keeps a year of runway, buys GPUs with what is left, builds the power they need at
the hub with the cheapest running cost that still has grid headroom, staffs to its
cluster size, and raises equity while the market is open. It reads only its own row
and public world figures, as any bot's observation allows.
"""

from blitzgame.engine import layout as F
from blitzgame.engine.jit import kernel
from blitzgame.engine.metrics import burn
from blitzgame.engine.params import P_INFRA_CAPEX_PER_GPU, P_KW_PER_GPU, P_PACKAGE_REF, P_RESEARCHERS_PER_KGPU


@kernel
def _best_hub(world, hubs, mw_needed):
    """The open hub with the cheapest energy per GPU that can still connect ``mw_needed``."""
    best = -1
    best_cost = 1e300
    for h in range(hubs.shape[0]):
        if world[F.EXPORT_CONTROLS] > 0.0 and hubs[h, F.HP_EXPORT_CONTROLLED] > 0.0:
            continue
        if world[F.HEADROOM + h] < mw_needed:
            continue
        cost = hubs[h, F.HP_POWER_PRICE] * hubs[h, F.HP_PUE] / hubs[h, F.HP_REVENUE_FACTOR]
        if cost < best_cost:
            best_cost = cost
            best = h
    return best


@kernel
def baseline_orders(lab, world, params, hubs, i, out):
    """Write lab ``i``'s orders for this quarter into ``out`` (a row of ORDER_FIELDS)."""
    for k in range(out.shape[0]):
        out[k] = 0.0
    me = lab[i]
    if me[F.STATUS] != F.ALIVE:
        return
    out[F.O_TRAIN_SPLIT] = 0.5
    out[F.O_PACKAGE] = params[P_PACKAGE_REF] * 1.1
    running = max(burn(me), 0.0) + me[F.OUT_PAYROLL] * 0.25
    reserve = 4.0 * running
    cash = me[F.CASH]
    spare = cash - reserve
    # GPUs: spend an eighth of what is beyond a year of runway each quarter, power included
    mw_per_gpu = params[P_KW_PER_GPU] / 1000.0
    unit = world[F.LIST_PRICE] * world[F.SPOT] + params[P_INFRA_CAPEX_PER_GPU]
    if spare > 0.0 and me[F.BACKLOG] < 2.0 * world[F.VENDOR_SUPPLY] / lab.shape[0]:
        budget = spare / 8.0
        h = _best_hub(world, hubs, 1.0)
        if h >= 0:
            per_gpu = unit + mw_per_gpu * hubs[h, F.HP_PUE] * hubs[h, F.HP_BUILD_COST]
            gpus = budget / per_gpu
            out[F.O_GPUS + h] = gpus
    # power: enough for every GPU owned or on order, at each hub
    for h in range(hubs.shape[0]):
        need = (me[F.HUB_GPUS + h] + me[F.HUB_BACKLOG + h] + out[F.O_GPUS + h]) * mw_per_gpu * hubs[h, F.HP_PUE]
        have = me[F.HUB_MW + h]
        for k in range(F.PIPE):
            have += me[F.HUB_MW_PIPE + h * F.PIPE + k]
        if need > have + 0.5:
            out[F.O_MW + h] = min(need - have, world[F.HEADROOM + h])
    # people: staff to the cluster, at most a quarter more a quarter
    target = max(20.0, me[F.ONLINE] / 1000.0 * params[P_RESEARCHERS_PER_KGPU])
    if me[F.RESEARCHERS] < target:
        out[F.O_HIRE] = min(target - me[F.RESEARCHERS], 0.25 * target + 5.0)
    # money: a growth round while the market is hot, a bridge while it is open and runway is short
    if world[F.SENTIMENT] > 0.9 and cash < 0.1 * me[F.VALUATION]:
        out[F.O_EQUITY] = 0.15 * me[F.VALUATION]
    elif running > 0.0 and cash < 6.0 * running and world[F.SENTIMENT] > 0.5:
        out[F.O_EQUITY] = 8.0 * running
    if cash < 2.0 * running and world[F.SENTIMENT] <= 0.5:
        out[F.O_DEBT] = 2.0 * running
    # efficiency: a little, always, when there is spare cash
    if spare > 0.0:
        out[F.O_EFFICIENCY_RND] = min(0.02 * spare, 150.0)
    # cut people when the end is near and no money will come
    if running > 0.0 and cash < running and world[F.SENTIMENT] <= 0.5:
        out[F.O_LAYOFF] = 0.2 * me[F.RESEARCHERS]
