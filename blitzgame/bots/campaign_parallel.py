"""``play_games`` over all cores. Imported lazily: compiling a parallel kernel is slow."""

from numba import njit, prange

import blitzgame.engine.jit  # noqa: F401  (configures the compile cache first)
from blitzgame.bots.campaign import play_game


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def play_games_prange(labs, worlds, orders, params, hubs, schedule, keys, played):
    for g in prange(labs.shape[0]):
        played[g] = play_game(labs[g], worlds[g], orders[g], params, hubs, schedule, keys[g])
