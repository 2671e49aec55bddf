"""A batch of games between built-in bots, played in compiled code.

Game ``g`` is seeded by ``seeds[g]`` exactly as ``blitzgame sim --seed`` seeds a game, so
any game of a tournament can be watched again with ``sim`` and the same lineup.
"""

from dataclasses import dataclass

import numpy as np

from blitzgame.bots.arena import STAT_FIELDS, play_arena
from blitzgame.bots.base import bot_table
from blitzgame.bots.strategist import plan_buffers
from blitzgame.engine import layout as F
from blitzgame.engine.rng import game_key
from blitzgame.session.world import LabSetup, World, initial_labs, initial_world


@dataclass(frozen=True, eq=False)
class Batch:
    """Final states of a batch of games and what was kept along the way."""

    bots: tuple[str, ...]  # the bot table: seats index into it
    seats: np.ndarray  # [G, L] int64
    seeds: np.ndarray  # [G] uint64
    labs: np.ndarray  # [G, L, LAB_FIELDS] at the end
    worlds: np.ndarray  # [G, WORLD_FIELDS] at the end
    stats: np.ndarray  # [G, L, STAT_FIELDS]
    played: np.ndarray  # [G] quarters played

    @property
    def games(self) -> int:
        return int(self.seats.shape[0])


def bot_name(bot) -> str:
    return bot if isinstance(bot, str) else bot.name


def play_batch(world: World, setups: list[LabSetup], bots: tuple, seats: np.ndarray,
               seeds: np.ndarray, parallel: bool = False) -> Batch:
    """Play ``len(seeds)`` games of ``world`` with ``setups``; ``seats[g, i]`` indexes ``bots``
    (names of built-in bots, or compiled bots as ``bot_table`` takes them)."""
    seats = np.ascontiguousarray(seats, dtype=np.int64)
    seeds = np.asarray(seeds, dtype=np.uint64)
    g, n = seats.shape
    if seeds.shape != (g,) or n != len(setups):
        raise ValueError(f"seats {seats.shape} must be [games, {len(setups)}] and seeds [games]")
    codes, knobs = bot_table(tuple(bots))
    w0 = initial_world(world)
    lab0 = initial_labs(world, setups, w0)
    labs = np.repeat(lab0[None], g, axis=0)
    worlds = np.repeat(w0[None], g, axis=0)
    orders = np.zeros((g, n, F.ORDER_FIELDS))
    keys = np.array([game_key(int(s), 0) for s in seeds], dtype=np.int64)
    stats = np.zeros((g, n, STAT_FIELDS))
    played = np.zeros(g, dtype=np.int64)
    if parallel:
        from blitzgame.bots.arena_parallel import play_arena_prange as play
    else:
        play = play_arena
    play(labs, worlds, orders, world.params, world.hubs, world.sched, keys, seats, codes, knobs, stats, played,
         *plan_buffers(n))
    return Batch(tuple(bot_name(b) for b in bots), seats, seeds, labs, worlds, stats, played)
