"""Actions: a vector of numbers in [0, 1] turned into a lab's orders by one fixed rule.

The learning environments' agents act through it, and so do the exploit hunt's fixed
strategies (``bots.knobs.CODE_ACTION``: a bot whose knobs are one action, played every
quarter). ``action_names`` gives the layout; ``apply_action`` says what each entry means.
"""

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.markets import cloud_rate, debt_room, installed_price
from blitzgame.engine.people import researchers_needed
from blitzgame.limits import MAX_GPU_ORDER, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE

# the action: fixed entries first, then one block per hub
A_SPEND = 0  # share of the cash committed this quarter to growth, split by the weights below
A_PREMIUM = 1
A_CANCEL = 2
A_HIRE = 3
A_LAYOFF = 4
A_PACKAGE = 5
A_TRAIN = 6
A_EQUITY = 7
A_BORROW = 8
A_REPAY = 9
A_OPEN_SOURCE = 10
A_PARTNERSHIP = 11
A_RENT = 12  # weights of the spend: rent, efficiency R&D, silicon R&D, then per hub GPUs and power
A_EFFICIENCY = 13
A_SILICON = 14
A_BID = 15  # share of the cash offered, at most, for a rival in distress
A_FIXED = 16  # then gpus[h] at A_FIXED + h, mw[h] at A_FIXED + H + h
ACTION_FIXED_NAMES = ("spend", "premium", "cancel", "hire", "layoff", "package", "train_split", "equity", "borrow",
                      "repay", "open_source", "partnership", "rent", "efficiency_rnd", "silicon_rnd", "bid")
assert len(ACTION_FIXED_NAMES) == A_FIXED

# the scales of the transform (documented in ``apply_action``)
HIRE_BASE = 20.0  # researchers a full "hire" asks for on top of the growth share
HIRE_GROWTH = 0.5  # ... plus this share of the larger of its researchers and the number its GPUs need
LAYOFF_MAX = 0.5  # a full "layoff" lets this share of the researchers go
PAY_LOW = 0.5  # package from PAY_LOW to PAY_HIGH times the market reference
PAY_HIGH = 2.0


# the "do nothing" action: every entry 0 except the pay the lab pays now and half the compute
# training (an all-zero action pays half the market and trains nothing)
NO_OP = {"package": (1.0 - PAY_LOW) / (PAY_HIGH - PAY_LOW), "train_split": 0.5}  # (package: at the market's pay)


def keep_pay(package, reference):
    """The ``package`` entry that keeps a lab's pay (``package``, $M/yr; ``reference``: the
    market's): the nearest the action can say, PAY_LOW to PAY_HIGH times the market's."""
    return np.clip((np.asarray(package, dtype=np.float64) / reference - PAY_LOW) / (PAY_HIGH - PAY_LOW), 0.0, 1.0)


def no_op_action(n_hubs: int, package: float | None = None, reference: float | None = None) -> np.ndarray:
    """The action that orders nothing: no spending, hiring, raising or borrowing, the lab's pay
    as it is (``package``, against the market's ``reference``; without them, the market's pay),
    half the compute on training (``Orders()``)."""
    vector = np.zeros(action_dim(n_hubs), dtype=np.float32)
    vector[A_PACKAGE] = NO_OP["package"] if package is None else keep_pay(package, reference)
    vector[A_TRAIN] = NO_OP["train_split"]
    return vector


def action_names(hub_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The name of each entry of the action, in order."""
    return (ACTION_FIXED_NAMES + tuple(f"gpus[{h}]" for h in hub_ids) + tuple(f"mw[{h}]" for h in hub_ids))


def action_dim(n_hubs: int) -> int:
    return A_FIXED + 2 * n_hubs


@kernel
def _unit(x):
    """An action entry as a number in [0, 1]: clipped, NaN as 0."""
    if not x == x or x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return x


@inline_kernel
def apply_action(action, lab, world, params, hubs, i, orders):
    """Lab ``i``'s orders from an action (``action_names`` layout), written into ``orders[i]``.

    Each entry is first clipped to ``u`` in [0, 1] (NaN counts as 0). ``cash`` is the lab's
    cash (0 if negative).

    Growth: ``spend`` x cash is committed this quarter, split in proportion to the weights
    ``rent``, ``efficiency_rnd``, ``silicon_rnd``, ``gpus[h]`` and ``mw[h]`` (all weights 0:
    nothing is spent). A part becomes: GPUs ordered at hub ``h`` (part / a GPU's installed price
    at the premium asked: list x spot x (1 + premium) + infrastructure); MW of power built at
    hub ``h`` (part / its build cost per MW, at most the hub's free grid headroom); cloud
    GPU-equivalents rented (part / the cloud price, at most the pool); $M of efficiency or
    custom-silicon R&D.

    - ``premium``: u, the share over spot offered for delivery priority; ``cancel``: u, the
      share of the GPU backlog cancelled.
    - ``hire``: u x (HIRE_BASE + HIRE_GROWTH x max(researchers, the researchers its GPUs need));
      ``layoff``: u x LAYOFF_MAX x researchers.
    - ``package``: PAY_LOW + (PAY_HIGH - PAY_LOW) x u times the market's reference pay.
    - ``train_split``: u; ``partnership``: u; ``open_source``: released if u > 0.5.
    - ``equity``: u x valuation x the balance's largest dilution per round (the most a fully
      open market would sell).
    - ``borrow``/``repay``: debt order = u_borrow x (lenders' limit - debt) - u_repay x debt.
    - ``bid``: u x cash, the most it would pay for a rival in distress this quarter.

    Every order is then cut to what the orders form accepts (``blitzgame.limits``), so any action
    gives valid orders. A lab that is out of the game gets no orders.
    """
    for f in range(orders.shape[1]):
        orders[i, f] = 0.0
    if lab[i, F.STATUS] != F.ALIVE:
        return
    n_hubs = hubs.shape[0]
    cash = max(lab[i, F.CASH], 0.0)
    weights = _unit(action[A_RENT]) + _unit(action[A_EFFICIENCY]) + _unit(action[A_SILICON])
    for h in range(2 * n_hubs):
        weights += _unit(action[A_FIXED + h])
    per_weight = _unit(action[A_SPEND]) * cash / weights if weights > 0.0 else 0.0
    premium = _unit(action[A_PREMIUM])
    unit = installed_price(world, params, world[F.SPOT], premium)
    for h in range(n_hubs):
        orders[i, F.O_GPUS + h] = min(_unit(action[A_FIXED + h]) * per_weight / unit, MAX_GPU_ORDER)
        mw = _unit(action[A_FIXED + n_hubs + h]) * per_weight / hubs[h, F.HP_BUILD_COST]
        orders[i, F.O_MW + h] = min(mw, max(world[F.HEADROOM + h], 0.0), MAX_MW_ORDER)
    price = cloud_rate(world)
    if price > 0.0:
        rent = min(_unit(action[A_RENT]) * per_weight / price, max(world[F.CLOUD_POOL], 0.0))
        orders[i, F.O_RENT] = min(rent, MAX_GPU_ORDER)
    orders[i, F.O_EFFICIENCY_RND] = min(_unit(action[A_EFFICIENCY]) * per_weight, MAX_MONEY)
    orders[i, F.O_SILICON_RND] = min(_unit(action[A_SILICON]) * per_weight, MAX_MONEY)
    orders[i, F.O_PREMIUM] = premium
    orders[i, F.O_CANCEL] = _unit(action[A_CANCEL])
    researchers = lab[i, F.RESEARCHERS]
    need = researchers_needed(lab, i, params)
    orders[i, F.O_HIRE] = min(_unit(action[A_HIRE]) * (HIRE_BASE + HIRE_GROWTH * max(researchers, need)), MAX_PEOPLE)
    orders[i, F.O_LAYOFF] = min(_unit(action[A_LAYOFF]) * LAYOFF_MAX * researchers, MAX_PEOPLE)
    orders[i, F.O_PACKAGE] = params[P.PACKAGE_REF] * (PAY_LOW + (PAY_HIGH - PAY_LOW) * _unit(action[A_PACKAGE]))
    orders[i, F.O_TRAIN_SPLIT] = _unit(action[A_TRAIN])
    ask = _unit(action[A_EQUITY]) * max(lab[i, F.VALUATION], 1.0) * params[P.EQUITY_MAX_DILUTION]
    orders[i, F.O_EQUITY] = min(ask, MAX_MONEY)
    room = debt_room(lab, i, world, params)
    debt = _unit(action[A_BORROW]) * room - _unit(action[A_REPAY]) * max(lab[i, F.DEBT], 0.0)
    orders[i, F.O_DEBT] = max(-MAX_MONEY, min(debt, MAX_MONEY))
    orders[i, F.O_OPEN_SOURCE] = 1.0 if _unit(action[A_OPEN_SOURCE]) > 0.5 else 0.0
    orders[i, F.O_PARTNERSHIP] = _unit(action[A_PARTNERSHIP])
    orders[i, F.O_BID] = min(_unit(action[A_BID]) * cash, MAX_MONEY)
