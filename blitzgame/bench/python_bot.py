"""Whole games with a Python bot in every seat (``python_bot_games_per_min``).

The example Python bot (``examples/momentum_bot.py``, present in a source checkout, not in
the wheel: without it the keys are left out and ``python_bot_note`` says why) in every
seat, in this process (``InProcessSeat``, no sandbox, no time limit), whole games through
the session (``play_headless``, as ``blitzgame sim`` plays them): 40 games (5 when quick)
after one untimed warm-up game. ``..._share_in_bot`` (target >= 0.30: a bot author's code, not
the seat around it, should be what a game's time goes to) is the time inside the bot's
``decide`` over the total, ``..._share_in_engine`` the rest (session and compiled engine),
of which ``..._share_observe_validate`` is the seat around ``decide``: building the
observation and checking the orders. The part of an observation made when the bot first
reads it (``me.last_quarter``) is made inside ``decide``; that time is counted as the
seat's, not the bot's. Every game must finish
(``checks.python_bot_games_finished``); if any decision fails (the bot raised or gave
invalid orders), the keys are left out and ``python_bot_note`` says what went wrong.

``python_bot_games_per_min_2_workers`` (target >= 20,000) is the same work on two cores: two
worker processes (started with "spawn"), each with the bot in every seat of its own games
(the same count as above, other seeds), after its own untimed warm-up game and a barrier
that both pass before either times its games; games of both over the wall time from the
first worker's start to the last one's end (the system-wide monotonic clock). Every game of both must finish.
"""

from __future__ import annotations

import time
from pathlib import Path

from blitzgame.bench.harness import LABS, SCENARIO, SEED, BenchError, check

EXAMPLE_BOT_FILE = Path(__file__).resolve().parents[2] / "examples" / "momentum_bot.py"  # in a checkout only
EXAMPLE_BOT_CLASS = "MomentumBot"
WORKERS = 2
TARGETS = {"python_bot_games_per_min_2_workers": (">=", 20_000.0), "python_bot_share_in_bot": (">=", 0.30)}


def _worker_games(games: int, first_seed: int, ready) -> tuple[float, float, int]:
    """In a worker process: the example bot in every seat of ``games`` games after one untimed
    game and the other workers' (``ready``: a barrier); returns the start and end of the timed
    games (monotonic clock) and how many finished."""
    from blitzgame.bots.loader import load_bot_class
    from blitzgame.bots.sandbox import InProcessSeat
    from blitzgame.session.game import Game
    from blitzgame.session.headless import play_headless
    from blitzgame.session.world import compile_world

    cls = load_bot_class(f"{EXAMPLE_BOT_FILE}:{EXAMPLE_BOT_CLASS}")
    world = compile_world(SCENARIO)
    seats = [InProcessSeat(cls()) for _ in range(LABS)]
    play_headless(Game.new(world, seed=first_seed - 1, labs=LABS), seats)
    ready.wait()
    start = time.monotonic()
    finished = sum(play_headless(Game.new(world, seed=first_seed + g, labs=LABS), seats).over for g in range(games))
    return start, time.monotonic(), finished


def _on_two_workers(games: int, checks: dict) -> dict:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, ProcessPoolExecutor(max_workers=WORKERS, mp_context=spawn) as pool:
        ready = manager.Barrier(WORKERS)  # both warmed up before either times its games
        runs = list(pool.map(_worker_games, [games] * WORKERS, [SEED + 1000 * (w + 1) for w in range(WORKERS)],
                             [ready] * WORKERS))
    check(checks, "python_bot_games_finished", all(done == games for _, _, done in runs),
          "python bot: a worker's games did not all finish")
    wall = max(end for _, end, _ in runs) - min(start for start, _, _ in runs)
    return {"python_bot_games_per_min_2_workers": WORKERS * games / wall * 60.0}


def measure(games: int, checks: dict) -> dict:
    """The example bot in every seat for ``games`` games: games per minute, and the share of
    the time spent inside the bot's ``decide``."""
    if not EXAMPLE_BOT_FILE.is_file():
        return {"python_bot_note": f"skipped: the example bot {EXAMPLE_BOT_FILE} is not here "
                                   "(examples/ ships with the source checkout, not the wheel)"}
    from blitzgame.bots.loader import BotLoadError, load_bot_class
    from blitzgame.schemas.observation import LabView

    try:
        cls = load_bot_class(f"{EXAMPLE_BOT_FILE}:{EXAMPLE_BOT_CLASS}")
    except BotLoadError as error:
        return {"python_bot_note": f"skipped: the example bot cannot be loaded: {error}"}
    clock = time.perf_counter
    inside = {"seconds": 0.0, "calls": 0, "views": 0.0}

    class Timed(cls):  # the bot as it is, its decide timed
        def decide(self, obs):
            t0 = clock()
            try:
                return super().decide(obs)
            finally:
                inside["seconds"] += clock() - t0
                inside["calls"] += 1

    # views a bot reads are made inside its decide (``LabView.__getattr__``): the seat's time, not the bot's
    made = LabView.__getattr__

    def timed_getattr(view, name):
        t0 = clock()
        try:
            return made(view, name)
        finally:
            inside["views"] += clock() - t0

    LabView.__getattr__ = timed_getattr
    try:
        return _timed(Timed, games, checks, inside)
    finally:
        LabView.__getattr__ = made


def _timed(Timed, games: int, checks: dict, inside: dict) -> dict:
    from blitzgame.bots.sandbox import InProcessSeat
    from blitzgame.session.game import Game
    from blitzgame.session.headless import play_headless
    from blitzgame.session.world import compile_world

    clock = time.perf_counter
    world = compile_world(SCENARIO)
    seats = [InProcessSeat(Timed()) for _ in range(LABS)]
    play_headless(Game.new(world, seed=SEED, labs=LABS), seats)  # warm-up: first calls, imports
    inside.update(seconds=0.0, calls=0, views=0.0)
    for seat in seats:
        seat.bot_seconds, seat.decisions = 0.0, 0
    quarters = finished = 0
    t0 = clock()
    for g in range(games):
        game = play_headless(Game.new(world, seed=SEED + 1 + g, labs=LABS), seats)
        finished += game.over
        quarters += game.quarter
    total = clock() - t0
    decisions = sum(seat.decisions for seat in seats)
    faults = {k: sum(seat.counts[k] for seat in seats) for k in seats[0].counts}
    if any(faults.values()):  # timing a bot that fails would time something else: no figures, say why
        first = next(seat.problems[0] for seat in seats if seat.problems)
        shown = ", ".join(f"{n} {k}" for k, n in faults.items() if n)
        return {"python_bot_note": f"skipped: the example bot went wrong ({shown}); first in "
                                   f"{first.quarter}: {first.message}"}
    check(checks, "python_bot_games_finished", finished == games,
          f"python bot: {games - finished} of {games} games did not finish")
    if inside["calls"] != decisions or decisions == 0:
        raise BenchError(f"python bot: decide ran {inside['calls']} times for {decisions} decisions")
    seat_seconds = sum(seat.bot_seconds for seat in seats)
    bot_seconds = inside["seconds"] - inside["views"]
    in_bot = bot_seconds / total
    return {
        "python_bot_games_per_min": games / total * 60.0,
        "python_bot_share_in_bot": in_bot,
        "python_bot_share_in_engine": 1.0 - in_bot,
        "python_bot_share_observe_validate": (seat_seconds - bot_seconds) / total,
        "python_bot_games": games,
        "python_bot_quarters": quarters,
        "python_bot_decisions": decisions,
        "python_bot_decide_us": bot_seconds / decisions * 1e6,
        "python_bot_s": total,
        "python_bot": f"{EXAMPLE_BOT_FILE.parent.name}/{EXAMPLE_BOT_FILE.name}:{EXAMPLE_BOT_CLASS}",
    } | _on_two_workers(games, checks)
