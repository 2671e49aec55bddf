"""Who sits where in game ``g`` of a tournament, and each game's seed.

The schedule is a balanced round-robin over seats. Seats differ (seat 0 of base-2024 is an
incumbent), so every bot must sit in every seat equally often:

* ``n >= L`` bots for ``L`` seats: games come in blocks of ``L``, one combination of ``L``
  bots per block, played ``L`` times with the seat order rotated one step each time, so
  each block is seat-fair on its own. Block ``k`` takes combination number ``k // n`` of
  the ``C(n, L)`` and relabels its bots ``b -> (b + k) mod n``: every ``n`` blocks every
  bot plays exactly ``L`` of the ``n * L`` games, and over a full cycle of
  ``C(n, L) * n * L`` games each combination is played ``n * L`` times, every bot sits
  in every seat equally often and every pair of bots meets equally often.
* ``n < L``: every game seats all bots, cyclically (seat ``i`` of game ``g`` is bot
  ``(i + g) mod n``), so over ``n`` games every bot sits in every seat once.

Combinations are unranked from their index, never listed, and the ``j``-th base
combination is number ``j * stride mod C`` (``stride`` coprime with ``C``, near ``C /
golden ratio``) rather than ``j``: the same cycle, but a tournament shorter than a cycle
still meets many different combinations instead of the lexicographic first ones.

Game ``g``'s lineup is a pure function of ``(number of bots, L, g)`` and its seed a pure
function of ``(seed, g)``: the first ``k`` games of a longer tournament are the ``k``
games of a shorter one, which is what ``--resume`` and the worker split rely on.
"""

from functools import lru_cache
from math import comb, gcd

import numpy as np

from blitzgame.limits import MAX_SEED

SEED_MASK = np.uint64(MAX_SEED)  # game seeds are 0..2**63-1 (limits.MAX_SEED is all ones), like any seed
GOLDEN = (5**0.5 - 1) / 2


def game_seeds(seed: int, games: int) -> np.ndarray:
    """The seeds of games ``0..games-1`` (uint64), drawn from ``SeedSequence(seed)``.

    ``SeedSequence.generate_state`` is prefix-stable: the first ``k`` seeds of ``games``
    are the seeds of ``k`` games (tests check it), so a tournament extends and resumes
    without changing the games already played.
    """
    if games < 0:
        raise ValueError(f"games must be >= 0, got {games}")
    state = np.random.SeedSequence(seed).generate_state(games, np.uint64) if games else np.zeros(0, np.uint64)
    return state & SEED_MASK


def cycle_length(n_bots: int, labs: int) -> int:
    """Games after which the schedule repeats (every seat and pair exactly balanced)."""
    _check(n_bots, labs)
    return comb(n_bots, labs) * n_bots * labs if n_bots >= labs else n_bots


def even_games(n_bots: int, labs: int) -> int:
    """Games after which every bot has played as many games as every other, as often in each
    seat (pairs of bots meet equally often only over a ``cycle_length``)."""
    _check(n_bots, labs)
    return n_bots * labs if n_bots >= labs else n_bots


@lru_cache(maxsize=64)
def _stride(count: int) -> int:
    """A step through ``count`` combinations that visits each once per cycle, spread out."""
    step = max(1, round(count * GOLDEN))
    while gcd(step, count) != 1:
        step += 1
    return step


@lru_cache(maxsize=4096)
def unrank_combination(index: int, n: int, k: int) -> tuple[int, ...]:
    """The ``index``-th ``k``-combination of ``range(n)`` in lexicographic order."""
    if not 0 <= index < comb(n, k):
        raise ValueError(f"combination index {index} outside 0..{comb(n, k) - 1}")
    chosen, x = [], 0
    for slot in range(k):
        while True:
            starting_here = comb(n - x - 1, k - slot - 1)  # combinations whose next element is x
            if index < starting_here:
                chosen.append(x)
                x += 1
                break
            index -= starting_here
            x += 1
    return tuple(chosen)


def block_combination(n_bots: int, labs: int, block: int) -> tuple[int, ...]:
    """The bots of block ``block`` (games ``block * labs ..``) when ``n_bots >= labs``,
    in the seat order of the block's first game."""
    count = comb(n_bots, labs)
    base = unrank_combination((block // n_bots % count) * _stride(count) % count, n_bots, labs)
    return tuple((b + block) % n_bots for b in base)


def lineup(n_bots: int, labs: int, game: int) -> tuple[int, ...]:
    """The bot (index into the bots list) in each seat of game ``game``."""
    return tuple(int(b) for b in lineups(n_bots, labs, game, game + 1)[0])


def lineups(n_bots: int, labs: int, start: int, stop: int) -> np.ndarray:
    """Lineups of games ``start..stop-1`` as int64 ``[games, labs]`` of bot indices."""
    _check(n_bots, labs)
    if not 0 <= start <= stop:
        raise ValueError(f"bad game range {start}..{stop}")
    games = np.arange(start, stop, dtype=np.int64)
    seat = np.arange(labs, dtype=np.int64)
    if n_bots < labs:
        return (seat[None, :] + games[:, None]) % n_bots
    if len(games) == 0:
        return np.zeros((0, labs), dtype=np.int64)
    first, last = start // labs, (stop - 1) // labs
    combos = np.array([block_combination(n_bots, labs, b) for b in range(first, last + 1)], dtype=np.int64)
    rotation = (seat[None, :] + (games % labs)[:, None]) % labs
    return np.take_along_axis(combos[games // labs - first], rotation, axis=1)


def _check(n_bots: int, labs: int) -> None:
    if n_bots < 1 or labs < 1:
        raise ValueError(f"a schedule needs at least one bot and one seat, got {n_bots} bots, {labs} seats")
