"""Whole-number values on the command line, as argparse ``type=`` functions (and ``Words``, a
name typed without quotes).

Every one is made by ``whole_number``: it takes the text typed, and refuses anything that is
not a whole number in its range with an ``argparse.ArgumentTypeError`` saying what it takes
(argparse shows it as ``argument --flag: message``; the ``blitzgame`` command prints it as
``blitzgame: error: --flag: message`` on one line and exits 2). A number out of range is told
the range; the flags that were there before keep the exact words they always used. Kept free of heavy imports: the parser is
built at every launch.
"""

import argparse
from collections.abc import Callable

from blitzgame.limits import MAX_LABS, MAX_SEED, MAX_THINK, MIN_LABS, MIN_SEED

MAX_PORT = 65535


def whole_number(lo: int | None = None, hi: int | None = None, *, not_whole: str | None = None,
                 outside: str | None = None, name: str = "whole_number") -> Callable[[str], int]:
    """An argparse type: a whole number ``lo..hi`` (None leaves that end open).

    ``not_whole`` is the message for text that is not a whole number, ``outside`` for a number
    out of range (default: ``not_whole``); both are ``str.format`` templates of ``text`` (as
    typed), ``value`` (the number), ``lo`` and ``hi``.
    """
    words = _range_words(lo, hi)
    if not_whole is None:
        not_whole = "expected a whole number" + (f" {words}" if words else "") + ", got {text!r}"
    if outside is None:
        outside = not_whole

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(not_whole.format(text=text, value=None, lo=lo, hi=hi)) from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise argparse.ArgumentTypeError(outside.format(text=text, value=value, lo=lo, hi=hi))
        return value

    parse.__name__ = parse.__qualname__ = name
    parse.__doc__ = "A whole number" + (f" {words}." if words else ".")
    return parse


def _range_words(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{lo}..{hi}"
    if lo is not None:
        return f"of at least {lo}"
    return f"of at most {hi}" if hi is not None else ""


def count(lo: int, hi: int | None = None, what: str = "the number") -> Callable[[str], int]:
    """An argparse type: how many of ``what``, ``lo..hi`` (no upper limit if ``hi`` is None)."""
    limit = "between {lo} and {hi}" if hi is not None else "at least {lo}"
    return whole_number(lo, hi, not_whole=f"{what} must be a whole number, got {{text!r}}",
                        outside=f"{what} must be {limit}, got {{value}}", name=what.replace(" ", "_"))


seed = whole_number(MIN_SEED, MAX_SEED, name="seed",
                    not_whole="the seed must be a whole number {lo}..{hi}, got {text!r}",
                    outside="the seed must be between {lo} and {hi}, got {value}")
"""A seed: a whole number 0..2**63-1 (``limits.MAX_SEED``)."""

labs = whole_number(MIN_LABS, MAX_LABS, name="labs", not_whole="a game has {lo} to {hi} labs, got {text!r}")
"""A number of labs in a game, 2..8."""

port = whole_number(1, MAX_PORT, name="port", not_whole="the port must be a whole number {lo}..{hi}, got {text!r}")
"""A TCP port, 1..65535."""

positive_int = whole_number(1, name="positive_int", not_whole="expected a whole number, got {text!r}",
                            outside="expected a number of at least {lo}, got {value}")
"""A whole number of at least 1 (teams, quarters)."""

class Words(argparse.Action):
    """A name that may be typed as several words without quotes (``--team Red Team``): with
    ``nargs="+"``, the words joined by single spaces."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        setattr(namespace, self.dest, " ".join(values))


fidelity_games = count(100, 10_000_000, "games")
"""Games of a fidelity tournament, 100..10,000,000."""

hunt_rounds = count(1, 200, "the search's rounds")
"""Rounds of the exploit hunt's search, 1..200."""

think = count(1, MAX_THINK, "a strategist's thought")
"""How many times its default thought a strategist gives each decision, 1..8."""

__all__ = ["MAX_PORT", "Words", "count", "fidelity_games", "labs", "port", "positive_int", "seed", "think",
           "whole_number"]
