"""Warming up the compile cache, so a campaign's first quarter is instant."""

import time

from blitzgame.assets import load_archetypes
from blitzgame.bots.loader import make_bot
from blitzgame.bots.sandbox import InProcessSeat
from blitzgame.engine.metrics import runway
from blitzgame.schemas.orders import Orders
from blitzgame.session.forecast import forecast
from blitzgame.session.game import Game
from blitzgame.session.standings import standings


def warm_up() -> float:
    """Compile (or load from the cache) every kernel a campaign calls; returns the seconds taken.

    Plays one quarter of a throwaway two-lab game with a bot of each compiled kind deciding,
    so the first real quarter is instant. Front ends run it in a background thread.
    """
    start = time.perf_counter()
    game = Game.new("base-2024", seed=0, labs=2)
    kinds = {entry.code: entry.name for entry in load_archetypes().bot}  # one bot per compiled policy
    for name in kinds.values():
        InProcessSeat(make_bot(name)).decide(game, 1)
    orders = Orders(gpus={game.world.hub_ids[0]: 100.0}, hire=1.0)
    forecast(game, 0, orders)  # the orders form's forecast: the quarter under fixed luck (its own kernels' types)
    game.submit(0, orders)
    game.advance()
    game.reports[-1]  # the report a quarter ends with
    runway(game.state_labs, 0)
    game.observe(0)  # what a Python bot and the screens read: the kernels an observation calls
    standings(game)
    return time.perf_counter() - start


__all__ = ["warm_up"]
