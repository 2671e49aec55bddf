"""Blitzgame: the strategy game of the AI compute race.

``blitzgame.play(bots=[...], scenario=..., seed=...)`` plays a whole game in one call
(``blitzgame.api``); ``blitzgame.testing`` builds observations for a bot's unit tests;
``from blitzgame.bots import Bot, Orders, Observation`` is all a bot needs.
"""

__version__ = "0.3.0"


def __getattr__(name: str):  # lazy: importing blitzgame (or its version) stays cheap
    if name in ("play", "Played"):
        from importlib import import_module

        return getattr(import_module("blitzgame.api"), name)
    raise AttributeError(f"module 'blitzgame' has no attribute {name!r}")
