"""``play_arena`` over all cores. Imported lazily: compiling a parallel kernel is slow.

Games share nothing and every random draw is keyed by its game, so the results are
bit-identical to the serial kernel whatever the thread count.
"""

import numpy as np
from numba import njit, prange  # (numba reserves the name "sched" inside prange loops: "schedule" here)

import blitzgame.engine.jit  # noqa: F401  (configures the compile cache first)
from blitzgame.bots.arena import play_arena_game
from blitzgame.engine import layout as F


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def play_arena_prange(labs, worlds, orders, params, hubs, schedule, keys, seats, codes, knobs, stats, played,
                      plan_labs, plan_world, plan_orders):
    """(The ``plan_*`` arguments keep ``play_arena``'s signature: each game plans in scratch of its own.)"""
    n = labs.shape[1]
    for g in prange(labs.shape[0]):
        played[g] = play_arena_game(labs[g], worlds[g], orders[g], params, hubs, schedule, keys[g], seats[g],
                                    codes, knobs, stats[g], np.empty((2, n, F.LAB_FIELDS)), np.empty(F.WORLD_FIELDS),
                                    np.empty((n, F.ORDER_FIELDS)))
