"""The benchmark's compiled code, and nothing else.

The compile cache fingerprints every module that defines kernels and what it imports at
top level (``blitzgame._jit_cache``), so this module imports only numba, numpy, ``math``
and the engine: never the rest of ``blitzgame.bench``, whose edits must not invalidate
the cache.

The floor (``floor_lab``) is a branch-free kernel that does exactly the counted number of
adds, multiplies, divides, ``exp`` and ``log10`` per lab (its own count is checked with
the same counter in the interpreted child: ``checks.floor_flops_match``): one pass that
reads and writes every field of the lab's row (so it touches the same memory as the
engine), then dependent chains (four independent accumulators per kind) seeded from
values the compiler cannot know (``floor_coef``), written back into the row.
"""

import math

import numpy as np
from numba import njit, prange

from blitzgame.engine import layout as F
from blitzgame.engine.jit import kernel
from blitzgame.engine.turn import resolve_quarter


@kernel
def floor_lab(row, coef, n_add, n_mul, n_div, n_exp, n_log):
    """Exactly ``n_add`` adds, ``n_mul`` multiplies, ``n_div`` divides, ``n_exp`` exp and
    ``n_log`` log10 (each log10 uses one of the adds), touching every field of ``row``."""
    c0 = coef[0]
    c1 = coef[1]
    c2 = coef[2]
    c3 = coef[3]
    adds = n_add - n_log
    touch = min(row.shape[0], adds)
    for f in range(touch):
        row[f] = row[f] + c0
    adds -= touch
    a0 = row[0]
    a1 = row[1]
    a2 = row[2]
    a3 = row[3]
    for _ in range(adds // 4):
        a0 = a0 + c0
        a1 = a1 + c1
        a2 = a2 + c2
        a3 = a3 + c3
    for _ in range(adds % 4):
        a0 = a0 + c1
    k0 = coef[4]
    k1 = coef[5]
    m0 = coef[6]
    m1 = coef[7]
    m2 = coef[8]
    m3 = coef[9]
    for _ in range(n_mul // 4):
        m0 = m0 * k0
        m1 = m1 * k1
        m2 = m2 * k0
        m3 = m3 * k1
    for _ in range(n_mul % 4):
        m0 = m0 * k1
    d0 = coef[6]
    d1 = coef[7]
    d2 = coef[8]
    d3 = coef[9]
    for _ in range(n_div // 4):
        d0 = d0 / k0
        d1 = d1 / k1
        d2 = d2 / k0
        d3 = d3 / k1
    for _ in range(n_div % 4):
        d0 = d0 / k1
    e = coef[10]
    for _ in range(n_exp):
        e = math.exp(-e)
    u = coef[11]
    for _ in range(n_log):
        u = math.log10(u + c3)
    row[0] = a0
    row[1] = a1
    row[2] = a2
    row[3] = a3
    row[4] = m0
    row[5] = m1
    row[6] = m2
    row[7] = m3
    row[8] = d0
    row[9] = d1
    row[10] = d2
    row[11] = d3
    row[12] = e
    row[13] = u


@kernel
def floor_batch(state, coef, quarters, n_add, n_mul, n_div, n_exp, n_log):
    """The floor over ``state[games, labs, fields]``, ``quarters`` times a game, on one core."""
    for g in range(state.shape[0]):
        for _ in range(quarters):
            for i in range(state.shape[1]):
                floor_lab(state[g, i], coef, n_add, n_mul, n_div, n_exp, n_log)


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def floor_batch_prange(state, coef, quarters, n_add, n_mul, n_div, n_exp, n_log):
    """``floor_batch`` with the games spread over all cores."""
    for g in prange(state.shape[0]):
        for _ in range(quarters):
            for i in range(state.shape[1]):
                floor_lab(state[g, i], coef, n_add, n_mul, n_div, n_exp, n_log)


def floor_coef() -> np.ndarray:
    """Runtime constants for the floor (the compiler cannot fold them)."""
    return np.array([1e-3, 2e-3, 3e-3, 10.0, 1.0000001, 0.9999999, 1.5, 2.5, 3.5, 4.5, 0.7, 1.0])


@kernel
def quarter_loop(lab0, world0, lab, world, orders, params, hubs, sched, key, reps, resolve):
    """``reps`` times: restore the state, then (if ``resolve``) resolve the quarter."""
    for _ in range(reps):
        for a in range(lab.shape[0]):  # element by element: engine kernels run without NRT
            for b in range(lab.shape[1]):
                lab[a, b] = lab0[a, b]
        for k in range(world.shape[0]):
            world[k] = world0[k]
        if resolve:
            resolve_quarter(lab, world, orders, params, hubs, sched, key)
    return world[F.QUARTER]
