"""Headless games: every lab a bot, played to the end."""

from blitzgame.bots.base import Bot, make_bot
from blitzgame.session.game import Game


def play_headless(game: Game, bots: list[Bot]) -> Game:
    """Play ``game`` to its end, each lab's orders from its bot; returns the game."""
    if len(bots) != game.n_labs:
        raise ValueError(f"need one bot per lab: {game.n_labs} labs, {len(bots)} bots")
    while not game.over:
        for lab, bot in enumerate(bots):
            if game.alive(lab):
                game.submit(lab, bot.orders_for(game, lab))
        game.advance()
    return game


def bots_for(names: list[str], n_labs: int) -> list[Bot]:
    """Bots by name, cycled to fill ``n_labs`` seats."""
    if not names:
        raise ValueError("name at least one bot")
    return [make_bot(names[k % len(names)]) for k in range(n_labs)]
