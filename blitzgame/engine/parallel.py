"""The same batch over all cores. Imported lazily: compiling a parallel kernel is slow.

Games share nothing and every random draw is keyed by its game, so the result is
bit-identical to ``resolve_games`` whatever the thread count.
"""

from numba import njit, prange

import blitzgame.engine.jit  # noqa: F401  (configures the compile cache first)

from blitzgame.engine.turn import resolve_quarter


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def resolve_games_prange(labs, worlds, orders, params, hubs, schedule, keys):
    for g in prange(labs.shape[0]):
        resolve_quarter(labs[g], worlds[g], orders[g], params, hubs, schedule, keys[g])
