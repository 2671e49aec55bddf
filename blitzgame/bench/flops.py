"""Counting the floating-point operations of a quarter (``flops_per_lab_quarter``).

Counted, not estimated, in the interpreted child (``NUMBA_DISABLE_JIT=1``: every kernel is
plain Python). The kernels run on object-dtype copies of the state arrays whose elements
are ``Flop``, a ``float`` subclass that counts ``+ - * /`` (comparisons, ``min``/``max``,
``abs`` and negation are not counted and keep the type). ``math`` inside the engine
modules is swapped for a counting namespace (``exp``, ``log10``, ...), and the RNG's
``uniform`` returns a ``Flop`` (its integer hashing is not floating-point work). Arrays are
a small ndarray subclass that turns every number stored into a ``Flop``, so values written
from literals keep being counted.

``count`` takes the mean over several game keys of one ``resolve_quarter`` from the
mid-game state (all labs alive), divided by the number of labs. Float work between two
plain Python numbers (an integer stage plus 1.0) is not seen, so the count is at most a
slight undercount, which makes the floor faster and the ratio stricter. Campaign averages
(policy included, dead labs doing no work) are counted the same way for
``floor_ratio_campaign``, and the floor kernel is run through the counter with the budgets
it will be timed with.
"""

from __future__ import annotations

import math as _MATH  # the real module: ``instrument`` swaps ``math`` in blitzgame's modules, not here
import sys

import numpy as np

from blitzgame.bench.kernels import floor_coef, floor_lab

KINDS = ("add", "mul", "div", "exp", "log10")


class Count:
    """The operations counted since the last ``reset``, by kind."""

    ops = dict.fromkeys(KINDS, 0)

    @classmethod
    def reset(cls) -> None:
        cls.ops = dict.fromkeys(KINDS, 0)

    @classmethod
    def take(cls) -> dict:
        ops = cls.ops
        cls.reset()
        return ops


def _counted(kind: str, base):
    def op(self, other):
        result = base(self, other)
        if result is NotImplemented:
            return result
        Count.ops[kind] += 1
        return Flop(result)

    return op


class Flop(float):
    """A float that counts its + - * / (and keeps counting whatever is computed from it)."""

    __slots__ = ()
    __add__ = _counted("add", float.__add__)
    __radd__ = _counted("add", float.__radd__)
    __sub__ = _counted("add", float.__sub__)
    __rsub__ = _counted("add", float.__rsub__)
    __mul__ = _counted("mul", float.__mul__)
    __rmul__ = _counted("mul", float.__rmul__)
    __truediv__ = _counted("div", float.__truediv__)
    __rtruediv__ = _counted("div", float.__rtruediv__)

    def __neg__(self):
        return Flop(float.__neg__(self))

    def __pos__(self):
        return self

    def __abs__(self):
        return Flop(float.__abs__(self))

    def __pow__(self, other):  # the engine writes x*x; count a stray power as a multiply
        Count.ops["mul"] += 1
        return Flop(float.__pow__(self, other))

    def __floordiv__(self, other):
        Count.ops["div"] += 1
        return Flop(float.__floordiv__(self, other))

    def __mod__(self, other):
        Count.ops["div"] += 1
        return Flop(float.__mod__(self, other))


class FlopArray(np.ndarray):
    """An object array whose stored numbers all become ``Flop``."""

    def __setitem__(self, key, value):
        if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, (bool, Flop)):
            value = Flop(value)
        super().__setitem__(key, value)


def flop_array(a: np.ndarray) -> FlopArray:
    """An object copy of ``a`` whose elements are ``Flop``."""
    out = np.empty(a.shape, dtype=object)
    flat = out.reshape(-1)
    for k, v in enumerate(np.asarray(a, dtype=np.float64).reshape(-1)):
        flat[k] = Flop(v)
    return out.view(FlopArray)


class CountingMath:
    """Stands in for ``math`` inside the engine: counts the transcendental calls."""

    def exp(self, x):
        Count.ops["exp"] += 1
        return Flop(_MATH.exp(x))

    def log10(self, x):
        Count.ops["log10"] += 1
        return Flop(_MATH.log10(x))

    def __getattr__(self, name):
        fn = getattr(_MATH, name)
        if not callable(fn):
            return fn

        def counted(*args):
            Count.ops.setdefault(name, 0)
            Count.ops[name] += 1
            return Flop(fn(*args))

        return counted


def instrument() -> None:
    """Swap ``math`` and the RNG's ``uniform`` in every loaded blitzgame module."""
    from blitzgame.engine import fastmath, rng

    uniform = rng.uniform

    def flop_uniform(qkey, lab, stream):
        return Flop(uniform(qkey, lab, stream))

    split = fastmath.split

    def flop_split(y):
        """Splitting a float into mantissa and exponent is bit work, not a flop; what the
        mantissa then takes part in is counted."""
        mantissa, exponent = split(y)
        return Flop(mantissa), exponent

    fastmath.split = flop_split
    for name, mod in list(sys.modules.items()):
        if not name.startswith("blitzgame") or mod is None:
            continue
        if getattr(mod, "math", None) is _MATH:
            mod.math = CountingMath()
        if name != "blitzgame.engine.rng" and getattr(mod, "uniform", None) is uniform:
            mod.uniform = flop_uniform


def count(d: dict) -> dict:
    """Count the flops of the interpreted kernels on the states in ``d`` (the parent's ``in.npz``):
    the mid-game quarter for several game keys, whole campaigns (policy and resolve apart), and
    the floor's own count with the budgets it will run with."""
    from blitzgame.bots.baseline import baseline_orders
    from blitzgame.engine import layout as F
    from blitzgame.engine.rng import game_key
    from blitzgame.engine.turn import resolve_quarter

    instrument()  # after the imports: it swaps what is loaded
    fp, fh, fs = flop_array(d["params"]), flop_array(d["hubs"]), flop_array(d["sched"])
    n_labs = d["lab_mid"].shape[0]
    seed = int(d["seed"])
    # one mid-game quarter for several game keys, all labs alive
    mid = []
    for game in range(int(d["count_games"])):
        lab, w = flop_array(d["lab_mid"]), flop_array(d["world_mid"])
        orders = flop_array(d["orders_mid"])
        Count.reset()
        resolve_quarter(lab, w, orders, fp, fh, fs, int(game_key(seed, game)))
        mid.append(Count.take())
    # whole campaigns: policy and resolve apart, per game-quarter
    policy_ops = dict.fromkeys(KINDS, 0)
    resolve_ops = dict.fromkeys(KINDS, 0)
    game_quarters = 0
    for game in range(int(d["campaign_games"])):
        lab, w = flop_array(d["lab0"]), flop_array(d["world0"])
        orders = flop_array(np.zeros_like(d["orders_mid"]))
        k = int(game_key(seed, game))
        while w[F.GAME_OVER] == 0.0:
            Count.reset()
            for i in range(n_labs):
                baseline_orders(lab, w, fp, fh, i, orders)
            for kind, v in Count.take().items():
                policy_ops[kind] = policy_ops.get(kind, 0) + v
            resolve_quarter(lab, w, orders, fp, fh, fs, k)
            for kind, v in Count.take().items():
                resolve_ops[kind] = resolve_ops.get(kind, 0) + v
            game_quarters += 1
    per_lab = {k: sum(m.get(k, 0) for m in mid) / (len(mid) * n_labs) for k in set().union(*mid)}
    totals = [sum(m.values()) / n_labs for m in mid]
    campaign = {k: (resolve_ops.get(k, 0) + policy_ops.get(k, 0)) / (game_quarters * n_labs)
                for k in set(resolve_ops) | set(policy_ops)}
    # the floor's own count, with the budgets it will be run with
    floor_counts = {}
    for name, ops in (("mid", per_lab), ("campaign", campaign)):
        budget = {k: round(ops.get(k, 0.0)) for k in KINDS}
        row = flop_array(d["lab_mid"][0])
        Count.reset()
        floor_lab(row, flop_array(floor_coef()), *(budget[k] for k in KINDS))
        floor_counts[name] = {"budget": budget, "counted": Count.take()}
    return {
        "per_lab_quarter": per_lab,
        "per_lab_quarter_min": min(totals),
        "per_lab_quarter_max": max(totals),
        "count_games": len(mid),
        "campaign_per_lab_quarter": campaign,
        "campaign_policy_per_lab_quarter": {k: v / (game_quarters * n_labs) for k, v in policy_ops.items()},
        "campaign_game_quarters": game_quarters,
        "floor_counts": floor_counts,
    }
