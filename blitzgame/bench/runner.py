"""One benchmark run: every suite in turn, their checks, the targets and the machine.

All in one run: this process, one interpreted child process, a few fresh ones for the warm
start and the TUI, and the tournament's worker processes. ``machine.load_average`` is
recorded at the start and the end, so a noisy run can be told.
"""

from __future__ import annotations

import datetime
import math
import os
import platform
import time
from pathlib import Path

import numpy as np

from blitzgame.bench import engine, envs, python_bot, shared, strategist, tournament, tui, warm_start
from blitzgame.bench.harness import LABS, MID_QUARTER, SCENARIO, SEED, BenchError, bytecode_note, check

TARGETS = {
    "game_quarters_per_s_batched": (">=", 1_000_000.0),
    "compiled_vs_interpreted": (">=", 100.0),
    "floor_ratio": ("<=", 10.0),
    "warm_start_first_quarter_s": ("<=", 0.5),
    "tournament_games_per_min": (">=", 300_000.0),
    **tui.TARGETS,
    **envs.TARGETS,
    **shared.TARGETS,
    **strategist.TARGETS,
    **python_bot.TARGETS,
}
CHECKS = (  # results["checks"], in this order; the last only when the Python bot's figures are there
    "campaigns_finished",
    "campaign_quarters_per_game_min",
    "states_finite",
    "floor_finite",
    "floor_flops_match",
    "flops_counted",
    "interpreted_matches_compiled",
    "serial_matches_parallel",
    "replay_matches",
    "engine_unchanged_during_run",
    "tournament_games_complete",
    "tournament_engine_unchanged",
    "strategist_games_finished",
    "python_bot_games_finished",
)


def run(quick: bool = False) -> dict:
    """Measure the core on this machine; ``quick`` shrinks sizes (for tests)."""
    start = time.perf_counter()
    from numba.core import config

    from blitzgame._jit_cache import engine_fingerprint

    if config.DISABLE_JIT:
        raise BenchError("NUMBA_DISABLE_JIT is set: the benchmark measures compiled code")
    load_before = _machine()["load_average"]
    fingerprint = engine_fingerprint()
    checks: dict = {}
    results: dict = {"quick": quick, "scenario": SCENARIO, "labs": LABS, "seed": SEED,
                     "mid_quarter": MID_QUARTER, "batch_games": engine.BATCH_GAMES[quick]}
    results.update(engine.measure(quick, checks))
    results.update(warm_start.measure(1 if quick else 3))
    results.update(_tui(quick))
    results.update(envs.measure(quick))
    results.update(tournament.measure(20_000 if quick else 200_000, checks))
    results.update(strategist.measure(quick, checks))
    results.update(python_bot.measure(5 if quick else 40, checks))
    results.update(shared.measure(quick))
    check(checks, "engine_unchanged_during_run", engine_fingerprint() == fingerprint)
    results["checks"] = ordered_checks(checks, "python_bot_games_per_min" in results)
    results["targets"] = _targets(results)
    results["machine"] = _machine() | {"load_average_at_start": load_before, "bytecode": bytecode_note()}
    results["elapsed_s"] = time.perf_counter() - start
    _check_numbers(results)
    return results


def ordered_checks(checks: dict, python_bot: bool) -> dict:
    """The checks in ``CHECKS`` order; each must have been made (else its work did not run)."""
    wanted = CHECKS if python_bot else CHECKS[:-1]
    missing = [name for name in wanted if name not in checks]
    if missing:
        raise BenchError(f"checks never made, so their work did not run: {', '.join(missing)}")
    return {name: checks[name] for name in wanted}


def _tui(quick: bool) -> dict:
    """The terminal game's figures (``tui``): launch to title, end quarter to report."""
    try:
        return tui.measure(quick)
    except tui.TuiBenchError as error:
        raise BenchError(f"TUI: {error}") from None


def _machine() -> dict:
    import numba

    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        load = None
    return {
        "load_average": load,
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "numba_threads": numba.get_num_threads(),
        "cpu_model": model,
        "python": platform.python_version(),
        "numba": numba.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
        "date": datetime.date.today().isoformat(),
    }


def _targets(results: dict) -> dict:
    out = {}
    for name, (op, target) in TARGETS.items():
        if name.startswith("python_bot_") and "python_bot_note" in results:
            continue  # no example bot here (a wheel install): python_bot_note says so
        value = results[name]
        met = value >= target if op == ">=" else value <= target
        shown = f"{target:,.0f}" if target >= 1000 else f"{target:g}"
        out[name] = {"target": f"{op} {shown}", "value": value, "met": bool(met)}
    return out


def _check_numbers(results: dict) -> None:
    for name, value in results.items():
        if isinstance(value, float) and not (math.isfinite(value) and value > 0.0):
            raise BenchError(f"{name} = {value}: every measured figure must be finite and positive")
