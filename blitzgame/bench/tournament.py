"""A real tournament's speed (``tournament_games_per_min``).

Through ``run_tournament`` (what ``blitzgame tournament`` runs): the built-in bots that follow
scripts (all but the strategist, which ``strategist.py`` measures), 5 labs,
whole campaigns of base-2024, ``WORKERS`` (2) local worker processes, ratings,
``games.csv``, ``summary.json`` and checkpoints written to a temporary folder (deleted
after). Games (200,000; 20,000 when quick) / wall time of ``run_tournament``, worker
start-up included. A small tournament first, not timed, makes sure the compile cache is
built and read once (``tournament_method``); a run during which the kernels' sources
changed (their workers compile) is discarded and run again, twice at most
(``checks.tournament_engine_unchanged``). Checked: the summary counts the games asked,
``games.csv`` holds games x labs rows, every bot played and no bot had a fault
(``checks.tournament_games_complete``).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from blitzgame.bench.harness import LABS, SCENARIO, SEED, check

WORKERS = 2  # the target is set for 2 cores (docs/design.md §7), whatever this machine has
WARMUP_GAMES = 400  # enough for both workers to get tasks (100 games each)
FAULTS = ("errors", "invalids", "timeouts", "forfeits")


def measure(games: int, checks: dict) -> dict:
    """Time a ``games``-game tournament (see the module's docstring); its checks go to ``checks``."""
    from blitzgame._jit_cache import engine_fingerprint
    from blitzgame.bots.base import available_bots
    from blitzgame.bots.knobs import CODE_STRATEGIST
    from blitzgame.schemas.tournament import TournamentConfig
    from blitzgame.tournament.results import csv_header
    from blitzgame.tournament.runner import run_tournament

    # the script-following built-in bots (the strategist plans by rollouts: ``strategist_decision_ms``)
    bots = tuple(name for name, cls in available_bots().items() if cls.code != CODE_STRATEGIST)
    header_lines = csv_header().count("\n")
    discarded = 0
    with tempfile.TemporaryDirectory(prefix="blitzgame-bench-tournament-") as tmp:
        def config(name: str, count: int) -> TournamentConfig:
            return TournamentConfig(bots=bots, games=count, labs=LABS, seed=SEED, scenario=SCENARIO,
                                    workers=WORKERS, out=str(Path(tmp, name)))

        while True:
            fingerprint = engine_fingerprint()
            run_tournament(config(f"warm-up-{discarded}", WARMUP_GAMES))
            timed = config(f"timed-{discarded}", games)  # validated (bots, scenario) before the clock starts
            t0 = time.perf_counter()
            result = run_tournament(timed)
            seconds = time.perf_counter() - t0
            unchanged = engine_fingerprint() == fingerprint
            if unchanged or discarded >= 2:
                break
            discarded += 1
        summary = result.summary
        with open(result.games_csv, "rb") as handle:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 22), b"")) - header_lines
        summary_on_disk = json.loads(result.summary_json.read_text(encoding="utf-8"))
    check_complete(checks, games, bots, summary, summary_on_disk, rows)
    check(checks, "tournament_engine_unchanged", unchanged)
    return {
        "tournament_games_per_min": games / seconds * 60.0,
        "tournament_games": games,
        "tournament_s": seconds,
        "tournament_workers": WORKERS,
        "tournament_bots": list(bots),
        "tournament_csv_rows": rows,
        "tournament_runs_discarded": discarded,
        "tournament_method": (
            f"wall time of run_tournament (blitzgame tournament's Python API): {games:,} games of "
            f"{SCENARIO}, {LABS} labs, whole campaigns, the {len(bots)} built-in bots, "
            f"{WORKERS} worker processes (local backend), ratings, games.csv, "
            f"summary.json and checkpoints written to a temporary folder; worker start-up "
            f"(spawn, imports, loading the cached kernels) included. A {WARMUP_GAMES}-game "
            f"tournament before it, not timed, makes sure the numba compile cache is built and "
            f"read once, so compiling is not counted."),
    }


def check_complete(checks: dict, games: int, bots: tuple, summary: dict, summary_on_disk: dict, rows: int) -> None:
    """Check ``tournament_games_complete``: the games asked were played and written, every bot
    played its share, and none had a fault."""
    check(checks, "tournament_games_complete", summary["games"] == games and summary_on_disk["games"] == games,
          f"tournament: {summary['games']} games played, {games} asked")
    check(checks, "tournament_games_complete", rows == games * LABS,
          f"tournament: games.csv holds {rows} rows, expected {games} games x {LABS} labs")
    per_bot = {b["name"]: b["seats"] for b in summary["bots"]}
    check(checks, "tournament_games_complete",
          set(per_bot) == set(bots) and min(per_bot.values()) > 0 and sum(per_bot.values()) == games * LABS,
          f"tournament: not every bot played its share of the games: {per_bot}")
    faults = sum(b[k] for b in summary["bots"] for k in FAULTS)
    check(checks, "tournament_games_complete", faults == 0,
          f"tournament: the built-in bots had {faults} errors, invalid orders, timeouts or forfeits")
