"""Bots: who plays a lab when no human does.

A bot turns what its lab sees into orders. Built-in bots are compiled policies over the
state arrays (fast, used by tournaments); user bots subclass ``Bot`` and implement
``decide(obs) -> Orders`` in plain Python.
"""

from blitzgame.bots.base import Bot, CompiledBot, available_bots, make_bot

__all__ = ["Bot", "CompiledBot", "available_bots", "make_bot"]
