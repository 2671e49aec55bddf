"""How soon a new process resolves its first quarter (the compile cache warm).

``warm_start_first_quarter_s``
    A new Python process (the compile cache is warm: this run compiled the kernels)
    imports the engine, reads a base-2024 start state saved by the parent (``numpy.savez``)
    and resolves its first quarter (``child.warm_start``). Timed on the system-wide
    monotonic clock from just before the process is spawned to the moment the quarter is
    done, so interpreter start-up counts and its shut-down does not
    (``warm_start_process_wall_s`` includes both). The child reads the game's code from
    bytecode, as an installed game does (``harness.child_env``). Median of 3 (1 when quick),
    after one untimed launch. The child
    reports numba cache misses; a run that had to compile (the engine was edited during the
    benchmark) is discarded and run again. ``import_turn_s`` is the import of
    ``blitzgame.engine.turn`` in that process; ``warm_start_load_state_s`` and
    ``warm_start_resolve_s`` (loading the cached kernel and the quarter) are the rest.

``warm_start_numba_floor_s``
    numba's own floor, measured the same way: a fresh process that imports numba and calls
    one trivial cached kernel, written to a temporary folder (``child.numba_floor``).

``new_game_first_quarter_s``
    The whole session path (``Game.new`` from the TOML assets, validated by pydantic, then
    ``advance``; ``child.new_game``), reported beside the target.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from blitzgame.bench.harness import LABS, SCENARIO, SEED, BenchError, child_argv, median, run_child
from blitzgame.engine import layout as F

TRIVIAL_KERNEL = "from numba import njit\n\n\n@njit(cache=True)\ndef add_one(x):\n    return x + 1.0\n"


def measure(runs: int) -> dict:
    """Fresh processes to their first resolved quarter: the engine alone on a saved start
    state (the target), then a whole new game through the session (assets, pydantic)."""
    from blitzgame.engine.rng import game_key
    from blitzgame.session.world import compile_world, default_setups, initial_labs, initial_world

    world = compile_world(SCENARIO)
    w = initial_world(world)
    lab = initial_labs(world, default_setups(world, LABS), w)
    with tempfile.TemporaryDirectory() as folder:
        state = str(Path(folder, "start.npz"))
        np.savez(state, lab=lab, world=w, orders=np.zeros((LABS, F.ORDER_FIELDS)), params=world.params,
                 hubs=world.hubs, sched=world.sched, key=np.int64(game_key(SEED, 0)))
        firsts, walls, inner, cold = _timed_children(child_argv("warm-start", state), runs, "warm start")
    mid = int(np.argsort(firsts)[len(firsts) // 2])
    game_firsts, _, game_inner, game_cold = _timed_children(
        child_argv("new-game", SCENARIO, SEED, LABS), runs, "new game")
    game_mid = int(np.argsort(game_firsts)[len(game_firsts) // 2])
    return {
        "warm_start_first_quarter_s": firsts[mid],
        "warm_start_runs_s": firsts,
        "warm_start_process_wall_s": walls[mid],
        "warm_start_python_startup_s": inner[mid]["startup_s"],
        "import_turn_s": inner[mid]["import_turn_s"],
        "warm_start_load_state_s": inner[mid]["load_state_s"],
        "warm_start_resolve_s": inner[mid]["first_quarter_s"],
        "warm_start_cold_runs_discarded": cold + game_cold,
        "warm_start_numba_floor_s": _numba_floor(max(runs, 3)),
        "new_game_first_quarter_s": game_firsts[game_mid],
        "new_game_import_s": game_inner[game_mid]["import_s"],
        "new_game_build_s": game_inner[game_mid]["build_s"],
        "new_game_resolve_s": game_inner[game_mid]["first_quarter_s"],
    }


def _timed_children(argv: list[str], runs: int, what: str) -> tuple[list[float], list[float], list[dict], int]:
    """Run the child ``argv`` in ``runs`` fresh processes, each timed on the system-wide monotonic
    clock from just before it is spawned to its ``done`` stamp, after one untimed launch (which
    writes what a warm start reads: the bytecode, the system's file cache). A child that had to
    compile (numba cache misses: the engine was edited during the run) is discarded and run again."""
    run_child(argv, False, what)
    firsts, walls, inner = [], [], []
    cold = 0
    while len(firsts) < runs:
        spawned = time.monotonic()
        child, wall = run_child(argv, False, what)
        if child.get("quarter") != 1.0:
            raise BenchError(f"{what}: the first quarter was not resolved")
        if child["cache_misses"]:
            cold += 1
            if cold > 2:
                raise BenchError(f"{what}: the child keeps compiling; is the engine being edited?")
            continue
        firsts.append(child["done"] - spawned)
        walls.append(wall)
        inner.append(child | {"startup_s": child["start"] - spawned})
    return firsts, walls, inner, cold


def _numba_floor(runs: int) -> float:
    """What numba alone needs in a fresh process: import it and call one trivial cached
    kernel (median seconds, measured like the warm start). No engine can start faster."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "trivial_kernel.py").write_text(TRIVIAL_KERNEL)
        argv = child_argv("numba-floor", folder)
        run_child(argv, False, "numba floor")  # compiles into the cache
        times = []
        for _ in range(runs):
            spawned = time.monotonic()
            child, _ = run_child(argv, False, "numba floor")
            times.append(child["done"] - spawned)
    return median(times)
