"""Bots: who plays a lab when no human does.

A bot turns what its lab sees into orders. Built-in bots are compiled policies over the
state arrays (fast, used by tournaments); user bots subclass ``Bot`` and implement
``decide(obs) -> Orders`` in plain Python.
"""

_EXPORTS = ("Bot", "CompiledBot", "available_bots", "make_bot")


def __getattr__(name):  # lazy, so that ``bots.knobs`` imports without pydantic or numba
    if name in _EXPORTS:
        from blitzgame.bots import base

        return getattr(base, name)
    raise AttributeError(f"module 'blitzgame.bots' has no attribute {name!r}")


__all__ = list(_EXPORTS)
