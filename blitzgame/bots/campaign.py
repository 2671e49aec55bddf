"""Whole campaigns in compiled code: every lab a compiled policy, many games at once.

Each game runs all its quarters before the next starts, so its arrays stay in cache.
"""

from blitzgame.bots.baseline import baseline_orders
from blitzgame.engine.jit import kernel
from blitzgame.engine.layout import GAME_OVER
from blitzgame.engine.turn import resolve_quarter


@kernel
def play_game(lab, world, orders, params, hubs, sched, key):
    """Play one game to its end with the baseline policy in every seat; returns quarters played."""
    played = 0
    while world[GAME_OVER] == 0.0:
        for i in range(lab.shape[0]):
            baseline_orders(lab, world, params, hubs, i, orders)
        resolve_quarter(lab, world, orders, params, hubs, sched, key)
        played += 1
    return played


@kernel
def play_games(labs, worlds, orders, params, hubs, sched, keys, played):
    """Play every game of a batch to its end, one after another; ``played[g]`` counts quarters."""
    for g in range(labs.shape[0]):
        played[g] = play_game(labs[g], worlds[g], orders[g], params, hubs, sched, keys[g])


@kernel
def record_games(labs, worlds, orders_log, params, hubs, sched, keys, played):
    """Like ``play_games``, keeping every quarter's orders in ``orders_log[g, q]`` ([G, T, L, O]),
    so that ``engine.batch.replay_games`` can replay the campaigns exactly."""
    for g in range(labs.shape[0]):
        lab = labs[g]
        world = worlds[g]
        q = 0
        while world[GAME_OVER] == 0.0:
            for i in range(lab.shape[0]):
                baseline_orders(lab, world, params, hubs, i, orders_log[g, q])
            resolve_quarter(lab, world, orders_log[g, q], params, hubs, sched, keys[g])
            q += 1
        played[g] = q
