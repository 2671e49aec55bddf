"""The batch kernels over all cores. Imported lazily: compiling a parallel kernel is slow.

Games share nothing and every random draw is keyed by its game, so the results are
bit-identical to the serial kernels of ``batch`` whatever the thread count.
"""

from numba import njit, prange

import blitzgame.engine.jit  # noqa: F401  (configures the compile cache first)
from blitzgame.engine.turn import resolve_quarter


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def resolve_games_prange(labs, worlds, orders, params, hubs, schedule, keys):
    for g in prange(labs.shape[0]):
        resolve_quarter(labs[g], worlds[g], orders[g], params, hubs, schedule, keys[g])


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def replay_games_prange(labs, worlds, orders_log, params, hubs, schedule, keys, played):
    for g in prange(labs.shape[0]):
        for q in range(played[g]):
            resolve_quarter(labs[g], worlds[g], orders_log[g, q], params, hubs, schedule, keys[g])
