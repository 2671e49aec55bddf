"""Bots: who plays a lab when no human does.

A bot turns what its lab sees into orders. Built-in bots are compiled policies over the
state arrays (fast, used by tournaments); user bots subclass ``Bot`` and implement
``decide(obs) -> Orders`` in plain Python.

Everything a bot author needs is one import::

    from blitzgame.bots import Bot, Orders, Observation

and the parts of an observation, for type hints, come from the same place: ``LabView``
(``obs.me``), ``HubView`` (each of ``obs.me.hubs``), ``LastQuarter`` (``obs.me.last_quarter``),
``RivalView`` (each of ``obs.rivals``) and ``MarketView`` (``obs.market``).
"""

from typing import TYPE_CHECKING

_HOMES = {  # name -> module it lives in, imported on first use
    "Bot": "blitzgame.bots.base", "CompiledBot": "blitzgame.bots.base", "available_bots": "blitzgame.bots.base",
    "make_bot": "blitzgame.bots.base", "Orders": "blitzgame.schemas.orders", "OrdersError": "blitzgame.schemas.orders",
    "Observation": "blitzgame.schemas.observation", "LabView": "blitzgame.schemas.observation",
    "HubView": "blitzgame.schemas.observation", "LastQuarter": "blitzgame.schemas.observation",
    "RivalView": "blitzgame.schemas.observation", "MarketView": "blitzgame.schemas.observation",
    "SetupError": "blitzgame.session.game",
}

if TYPE_CHECKING:  # what type checkers and editors see; at run time the names load lazily
    from blitzgame.bots.base import Bot, CompiledBot, available_bots, make_bot
    from blitzgame.schemas.observation import HubView, LabView, LastQuarter, MarketView, Observation, RivalView
    from blitzgame.schemas.orders import Orders, OrdersError
    from blitzgame.session.game import SetupError
else:  # (hidden from type checkers, so that a misspelt name is an error there, not ``Any``)

    def __getattr__(name: str) -> object:  # lazy, so that ``bots.knobs`` imports without pydantic or numba
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module 'blitzgame.bots' has no attribute {name!r}")
        from importlib import import_module

        return getattr(import_module(home), name)

    def __dir__() -> list[str]:  # ``dir(blitzgame.bots)`` and completion list the lazy names too
        return sorted(set(globals()) | set(_HOMES))


__all__ = ["Bot", "CompiledBot", "HubView", "LabView", "LastQuarter", "MarketView", "Observation", "Orders", "OrdersError",
           "RivalView", "SetupError", "available_bots", "make_bot"]
