"""What the benchmark's suites share: the game they measure, checks, timing and child processes.

Noise: other processes on the machine slow the parallel figures most (a thread that loses
its time slice stalls the whole ``prange``). Kernels compared with each other are timed in
turn, repetition by repetition (``interleaved``), so they share the machine's moods, and
medians are reported.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from blitzgame.engine import layout as F

SCENARIO = "base-2024"
LABS = 5
SEED = 20240101
MID_QUARTER = 8  # quarters played before the timed "mid-game" quarter
CHILD = ("-m", "blitzgame.bench.child")  # how a child process is started (see child.py)
CHILD_TIMEOUT_S = 900


class BenchError(RuntimeError):
    """The benchmark's work did not produce what it should; its numbers would mean nothing."""


def check(checks: dict, name: str, ok, failure: str = "") -> None:
    """Record ``checks[name]``, a boolean computed from what was measured (a check made more
    than once holds only if it held every time). With a ``failure`` message the figures depend
    on it: a failed check raises ``BenchError`` naming it, so no figure is reported from work
    that did not happen. Without one it is a contract reported beside the figures."""
    checks[name] = bool(ok) if name not in checks else bool(ok) and checks[name]
    if failure and not checks[name]:
        raise BenchError(f"check {name} failed: {failure}")


def check_finite(checks: dict, what: str, *arrays: np.ndarray, name: str = "states_finite") -> None:
    """Check ``name``: every number of ``arrays`` (``what``'s state) is finite."""
    check(checks, name, all(np.isfinite(a).all() for a in arrays), f"{what}: the state holds non-finite numbers")


class Setup:
    """A base-2024 game's fixed arrays, its start and a mid-game state with all labs alive."""

    def __init__(self) -> None:
        from blitzgame.bots.baseline import baseline_orders
        from blitzgame.engine.rng import game_key
        from blitzgame.engine.turn import resolve_quarter
        from blitzgame.session.world import (
            compile_world,
            default_setups,
            initial_labs,
            initial_world,
        )

        world = compile_world(SCENARIO)
        self.params, self.hubs, self.sched = world.params, world.hubs, world.sched
        self.world0 = initial_world(world)
        self.lab0 = initial_labs(world, default_setups(world, LABS), self.world0)
        self.quarters = world.quarters
        for game in range(256):
            key = int(game_key(SEED, game))
            lab, w = self.lab0.copy(), self.world0.copy()
            orders = np.zeros((LABS, F.ORDER_FIELDS))
            for _ in range(MID_QUARTER):
                self._policy(baseline_orders, lab, w, orders)
                resolve_quarter(lab, w, orders, self.params, self.hubs, self.sched, key)
            if w[F.GAME_OVER] == 0.0 and np.all(lab[:, F.STATUS] == F.ALIVE):
                self._policy(baseline_orders, lab, w, orders)
                self.key, self.lab_mid, self.world_mid, self.orders_mid = key, lab, w, orders
                self.game_mid = game
                return
        raise BenchError(f"no {SCENARIO} game out of 256 had all {LABS} labs alive after {MID_QUARTER} quarters")

    def _policy(self, baseline_orders, lab, w, orders) -> None:
        for i in range(lab.shape[0]):
            baseline_orders(lab, w, self.params, self.hubs, i, orders)

    def fixed(self) -> tuple:
        return self.params, self.hubs, self.sched


def keys(count: int, start: int = 0) -> np.ndarray:
    """The game keys of games ``start .. start + count - 1``."""
    from blitzgame.engine.rng import game_key

    return np.array([game_key(SEED, g) for g in range(start, start + count)], dtype=np.int64)


def tile(row: np.ndarray, count: int) -> np.ndarray:
    """``count`` contiguous copies of ``row``, stacked."""
    return np.ascontiguousarray(np.broadcast_to(row, (count, *row.shape))).copy()


def median(values) -> float:
    return float(np.median(np.asarray(values, dtype=np.float64)))


class Job:
    """One timed kernel call: ``reset()`` restores its inputs (not timed), ``call()`` is timed,
    ``check()`` verifies what it did after every repetition."""

    def __init__(self, name: str, reset: Callable[[], None], call: Callable[[], None],
                 check: Callable[[], None]) -> None:
        self.name, self.reset, self.call, self.check = name, reset, call, check
        self.times: list[float] = []


def interleaved(jobs: list[Job], reps: int) -> dict:
    """Median seconds per job, repetitions taken in turn so that all jobs share the machine's
    moods (another process taking a core slows whichever job is running then)."""
    for job in jobs:
        job.reset()
        job.call()  # compiled (or loaded from the cache) before timing
    for _ in range(reps):
        for job in jobs:
            job.reset()
            t0 = time.perf_counter()
            job.call()
            job.times.append(time.perf_counter() - t0)
            job.check()
    return {job.name: median(job.times) for job in jobs}


def child_argv(what: str, *args: object) -> list[str]:
    """The interpreter's arguments that run child ``what`` of ``blitzgame.bench.child``."""
    return [*CHILD, what, *map(str, args)]


def child_env(disable_jit: bool) -> dict:
    """The environment of a child process: this checkout first on its path, numba on or off,
    bytecode as an installed game has it (``bytecode``)."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if disable_jit:
        env["NUMBA_DISABLE_JIT"] = "1"
    else:
        env.pop("NUMBA_DISABLE_JIT", None)
    if env.pop("PYTHONDONTWRITEBYTECODE", ""):
        env["PYTHONPYCACHEPREFIX"] = _bytecode_folder(env)
    return env


_BYTECODE: list[str] = []  # the folder of the game's bytecode for this run's children, once made


def _bytecode_folder(env: dict) -> str:
    """Children import the game from bytecode, as an installed game does (pip compiles it at
    install; Python writes it at a checkout's first import). A shell that sets
    PYTHONDONTWRITEBYTECODE (a sandbox, some CI images) would have every timed child compile the
    game's source again at each launch: for the children it is lifted and their bytecode goes to
    a folder of this run (PYTHONPYCACHEPREFIX; the user's own, if set), never beside the source.
    The game's package is compiled into it before the first child starts."""
    if not _BYTECODE:
        folder = env.get("PYTHONPYCACHEPREFIX") or tempfile.mkdtemp(prefix="blitzgame-bench-bytecode-")
        if not env.get("PYTHONPYCACHEPREFIX"):
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
        package = str(Path(__file__).resolve().parents[1])
        subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=False, capture_output=True,
                       env=env | {"PYTHONPYCACHEPREFIX": folder}, timeout=CHILD_TIMEOUT_S)
        _BYTECODE.append(folder)
    return _BYTECODE[0]


def bytecode_note() -> str:
    """How the children read the game's code, for the results' ``machine`` block."""
    if _BYTECODE:
        return "compiled into a temporary folder (PYTHONDONTWRITEBYTECODE is set here; lifted for the children)"
    return "as Python caches it (PYTHONDONTWRITEBYTECODE not set)"


def run_child(argv: list[str], disable_jit: bool, what: str) -> tuple[dict, float]:
    """Run ``python *argv``; the last JSON line it printed, and the process's wall time."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *argv], check=False, capture_output=True, text=True,
                          env=child_env(disable_jit), timeout=CHILD_TIMEOUT_S)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise BenchError(f"{what}: child process failed:\n{proc.stderr.strip()[-2000:]}")
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.startswith("{")]
    if not lines:
        raise BenchError(f"{what}: child process printed no result")
    return json.loads(lines[-1]), wall
