"""A task of a tournament: a run of consecutive games, played where the worker is.

A task is everything a worker needs (no shared state): the scenario, the bots, and for
each of its games the lineup and seed, all decided by the parent. Games whose every seat
is a built-in bot are played together in compiled code (``tournament.batch``); a game
with a Python bot is played through ``Game`` with a seat per lab (``bots.sandbox``):
Python bots in child processes under the move budget, built-in bots in this process.
Both ways fill the same ``GameResults``, so where a game ran never shows in its row.
"""

import contextlib
from dataclasses import dataclass

import numpy as np

from blitzgame.bots.arena import STAT_FIELDS, stats_after, stats_before, stats_begin, stats_end
from blitzgame.engine import layout as F
from blitzgame.tournament.results import FAULTS, GameResults

FAULT_INDEX = {"error": 0, "invalid": 1, "timeout": 2, "forfeit": 3}


@dataclass(frozen=True, eq=False)
class Task:
    """Games ``start .. start + len(seeds) - 1`` of a tournament."""

    index: int  # the task's place in the tournament: results are used in this order
    scenario: str
    bots: tuple[str, ...]  # canonical specs (file paths absolute)
    builtin: tuple[bool, ...]  # per bot: a built-in, playable in compiled batches
    start: int
    seats: np.ndarray  # [G, L] int64 index into bots
    seeds: np.ndarray  # [G] uint64
    move_budget: float
    csv: tuple[tuple[str, ...], str] | None = None  # (bot names, scenario id): also write the games' CSV rows

    @property
    def games(self) -> int:
        return int(self.seeds.shape[0])


# --- per process: compiled worlds and open seats, kept across tasks -------------------
_worlds: dict[tuple[str, int], tuple] = {}
_seats: dict[str, list] = {}  # spec -> open seats (a bot may hold several seats of one game)


def _world(scenario: str, labs: int):
    key = (scenario, labs)
    if key not in _worlds:
        from blitzgame.session.world import compile_world, default_setups

        world = compile_world(scenario)
        _worlds[key] = (world, default_setups(world, labs))
    return _worlds[key]


def close_seats() -> None:
    """Close every seat this process opened (their bots' child processes end)."""
    while _seats:
        _, seats = _seats.popitem()
        for seat in seats:
            with contextlib.suppress(Exception):
                seat.close()


def _seats_for(lineup: list[str], budget: float) -> list:
    """A seat per lab; the k-th seat of a bot in the lineup is its k-th open seat."""
    from blitzgame.bots.loader import is_compiled
    from blitzgame.bots.sandbox import open_seat

    used: dict[str, int] = {}
    chosen = []
    for spec in lineup:
        k = used.get(spec, 0)
        used[spec] = k + 1
        pool = _seats.setdefault(spec, [])
        while len(pool) <= k:
            # built-in bots are not timed: a slow quarter on a busy machine must not change a game
            pool.append(open_seat(spec, None if is_compiled(spec) else budget))
        chosen.append(pool[k])
    return chosen


# --- playing -----------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TaskResult:
    """A task's games, and their rows of ``games.csv`` if the task asked for them (made
    here, so the parent only writes them)."""

    results: GameResults
    csv: bytes = b""


def play_task(task: Task) -> TaskResult:
    """Play a task's games; results in game order."""
    results = play_games(task)
    csv = results.csv_text(list(task.csv[0]), task.csv[1]).encode() if task.csv is not None else b""
    return TaskResult(results, csv)


def play_games(task: Task) -> GameResults:
    """Play a task's games; results in game order."""
    world, setups = _world(task.scenario, task.seats.shape[1])
    builtin = np.array(task.builtin, dtype=bool)
    compiled = builtin[task.seats].all(axis=1)
    games = task.start + np.arange(task.games, dtype=np.int64)
    parts = []
    if compiled.any():
        parts.append(_play_compiled(task, world, setups, games, compiled))
    if not compiled.all():
        parts.append(_play_seated(task, world, setups, games, ~compiled))
    return GameResults.interleave(parts)


def _play_compiled(task: Task, world, setups, games: np.ndarray, mask: np.ndarray) -> GameResults:
    from blitzgame.tournament.batch import play_batch

    used = np.unique(task.seats[mask])
    table = tuple(task.bots[b] for b in used)
    local = np.searchsorted(used, task.seats[mask])
    batch = play_batch(world, setups, table, local, task.seeds[mask])
    return GameResults.from_states(games[mask], task.seeds[mask], task.seats[mask], batch.labs, batch.worlds,
                                   batch.stats, batch.played)


def _play_seated(task: Task, world, setups, games: np.ndarray, mask: np.ndarray) -> GameResults:
    rows = np.flatnonzero(mask)
    n = task.seats.shape[1]
    labs = np.zeros((len(rows), n, F.LAB_FIELDS))
    worlds = np.zeros((len(rows), F.WORLD_FIELDS))
    stats = np.zeros((len(rows), n, STAT_FIELDS))
    played = np.zeros(len(rows), dtype=np.int64)
    faults = np.zeros((len(rows), n, len(FAULTS)), dtype=np.int64)
    problems = np.full((len(rows), n, len(FAULTS)), "", dtype=object)
    for k, row in enumerate(rows):
        lineup = [task.bots[b] for b in task.seats[row]]
        seats = _seats_for(lineup, task.move_budget)
        game = play_seated_game(world, setups, int(task.seeds[row]), seats, stats[k], faults[k], problems[k])
        labs[k], worlds[k], played[k] = game.state_labs, game.state_world, game.quarter
    return GameResults.from_states(games[mask], task.seeds[mask], task.seats[mask], labs, worlds, stats, played, faults,
                                   problems)


def play_seated_game(world, setups, seed: int, seats: list, stats: np.ndarray, faults: np.ndarray,
                     problems: np.ndarray | None = None):
    """Play one game with a seat per lab, keeping ``stats`` with the same kernels as
    ``bots.arena.play_arena_game`` (a test plays built-in lineups both ways and compares),
    counting each seat's faults (forfeits: 1 if it forfeited) and keeping the first of each
    kind in words in ``problems`` ([seat, kind], if given); returns the game."""
    from blitzgame.session.game import Game
    from blitzgame.session.headless import warm_views

    game = Game(world, seed, setups)
    stats_begin(stats)
    for seat in seats:
        seat.new_game()
    warm_views(game, seats)
    labs, w = game.state_labs, game.state_world  # updated in place by every quarter
    played = 0
    while not game.over:
        playing = w[F.MUSIC_STOPPED] == 0.0
        for i, seat in enumerate(seats):
            if game.alive(i):
                decision = seat.decide(game, i)
                if decision.outcome != "ok":
                    kind = FAULT_INDEX[decision.outcome]
                    faults[i, kind] = 1 if kind == 3 else faults[i, kind] + 1
                    if problems is not None and not problems[i, kind]:
                        problems[i, kind] = f"{game.world.label(game.quarter)}: {decision.message}"
                if decision.orders is not None:
                    game.submit(i, decision.orders, checked=True)  # the seat checked them
            stats_before(labs, w, i, stats)
        quarter = w[F.QUARTER]
        game.advance()
        played += 1
        stats_after(labs, stats, quarter, played, playing and w[F.MUSIC_STOPPED] > 0.0)
    stats_end(labs, stats)
    return game
