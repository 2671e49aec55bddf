"""Batches of games along the leading game axis, one after another."""

from blitzgame.engine.jit import kernel
from blitzgame.engine.turn import resolve_quarter


@kernel
def resolve_games(lab, world, orders, params, hubs, sched, keys):
    """Resolve a quarter of every game: lab[G, L, F], world[G, W], orders[G, L, O], keys[G]."""
    for g in range(lab.shape[0]):
        resolve_quarter(lab[g], world[g], orders[g], params, hubs, sched, keys[g])


@kernel
def replay_games(labs, worlds, orders_log, params, hubs, sched, keys, played):
    """Replay recorded campaigns: game g resolves ``played[g]`` quarters with the orders
    ``orders_log[g, q]`` (a [G, T, L, O] log). Each game runs all its quarters before the
    next starts, so its state stays in cache."""
    for g in range(labs.shape[0]):
        for q in range(played[g]):
            resolve_quarter(labs[g], worlds[g], orders_log[g, q], params, hubs, sched, keys[g])
