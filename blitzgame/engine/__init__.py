"""The compiled core: quarters of many games at once, as float64 arrays (docs/design.md §6).

No Textual, no pydantic, no file I/O here. ``layout`` and ``params`` name every array
index and are plain Python; the kernels load on first use:

- ``resolve_quarter(lab, world, orders, params, hubs, sched, key)``: one game
- ``resolve_games(...)``: a batch along the game axis, one game after another
- ``resolve_games_parallel(...)``: the same batch over all cores (compiled on first use)
- ``game_key(seed, game)``: the key of a game's random draws
"""

_EXPORTS = {
    "resolve_quarter": "blitzgame.engine.turn",
    "stage": "blitzgame.engine.turn",
    "resolve_games": "blitzgame.engine.batch",
    "game_key": "blitzgame.engine.rng",
    "uniform": "blitzgame.engine.rng",
}


def resolve_games_parallel(lab, world, orders, params, hubs, sched, keys):
    """Like ``resolve_games``, with games spread over threads (loaded on first use)."""
    from blitzgame.engine.parallel import resolve_games_prange

    resolve_games_prange(lab, world, orders, params, hubs, sched, keys)


def __getattr__(name):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'blitzgame.engine' has no attribute {name!r}")


__all__ = [*_EXPORTS, "resolve_games_parallel"]
