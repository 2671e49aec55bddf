"""Blitzgame: the strategy game of the AI compute race.

``blitzgame.play(bots=[...], scenario=..., seed=...)`` plays a whole game in one call
(``blitzgame.api``); ``blitzgame.testing`` builds observations for a bot's unit tests;
``from blitzgame.bots import Bot, Orders, Observation`` is all a bot needs.
"""

from typing import TYPE_CHECKING

__version__ = "0.3.0"

if TYPE_CHECKING:  # what type checkers and editors see; at run time the names load lazily
    from blitzgame.api import Played, play
else:  # (hidden from type checkers, so that a misspelt name is an error there, not ``Any``)

    def __getattr__(name: str) -> object:  # lazy: importing blitzgame (or its version) stays cheap
        if name in ("play", "Played"):
            from importlib import import_module

            return getattr(import_module("blitzgame.api"), name)
        raise AttributeError(f"module 'blitzgame' has no attribute {name!r}")


__all__ = ["Played", "__version__", "play"]
