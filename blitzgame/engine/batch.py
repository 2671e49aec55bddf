"""A batch of games along the leading game axis, one after another."""

from blitzgame.engine.jit import kernel

from blitzgame.engine.turn import resolve_quarter


@kernel
def resolve_games(lab, world, orders, params, hubs, sched, keys):
    """Resolve a quarter of every game: lab[G, L, F], world[G, W], orders[G, L, O], keys[G]."""
    for g in range(lab.shape[0]):
        resolve_quarter(lab[g], world[g], orders[g], params, hubs, sched, keys[g])
