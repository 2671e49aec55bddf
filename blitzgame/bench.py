"""``blitzgame bench``: how fast the compiled core is, on this machine, against its targets.

``run(quick=False)`` measures and returns a dict; ``render(results)`` formats it as a table.
Every number comes from work that is checked (campaigns finished, states finite, floor
result finite): if the timed work did not happen, ``run`` raises ``BenchError``.

What is measured (all in one run: this process, one interpreted child process, a few
fresh ones for the warm start and the tournament's worker processes):

``quarter_us_single``
    One quarter of a 5-lab game (G=1), compiled, called from Python as interactive play
    calls it: median over many repetitions, each from a copy of the same mid-game state
    (quarter ``MID_QUARTER`` of a base-2024 game with every lab alive, orders from the
    baseline policy). ``quarter_us_single_in_kernel`` is the same quarter repeated inside a
    compiled loop, with the cost of restoring the state subtracted (no call overhead).

``game_quarters_per_s_batched``
    The engine over a batch: G games (10,000; 500 when quick), 5 labs, all cores. The
    baseline bot first plays every game's whole campaign once, its orders recorded
    (``bots.campaign.record_games``, not timed); then ``engine.parallel.replay_games_prange``
    replays all the campaigns from the start, each game all its quarters in turn, and the
    quarters resolved are divided by the wall time (median of a few runs). Every replay
    must reproduce the recorded final states bit for bit (``checks.replay_matches``), so
    the timed work is the real game. ``..._serial`` is ``replay_games`` on one core.

``campaign_game_quarters_per_s``
    The same campaigns with the bots deciding as they go (``play_games_prange``: baseline
    policy + ``resolve_quarter`` every quarter), so the bots' own cost is included:
    quarters played / wall time. ``..._serial`` is ``play_games``.
    ``resolve_quarters_per_s_serial`` / ``..._parallel`` time one quarter of every game of
    the batch from the mid-game state with fixed orders (``resolve_games`` /
    ``resolve_games_prange``): one pass over 10,000 games' state, bound by memory.

``compiled_vs_interpreted``
    The mid-game quarter timed in a child process started with ``NUMBA_DISABLE_JIT=1``
    (every kernel plain Python) divided by ``quarter_us_single`` (the compiled figure *with*
    its call overhead, so the ratio is the conservative one). The child's resulting state
    is compared with the compiled one (``checks.interpreted_matches_compiled``).

``flops_per_lab_quarter`` and ``flops_method``
    Counted, not estimated. A child process with ``NUMBA_DISABLE_JIT=1`` runs the plain
    Python kernels on object-dtype copies of the state arrays whose elements are
    ``_Flop``, a ``float`` subclass that counts ``+ - * /`` (comparisons, ``min``/``max``,
    ``abs`` and negation are not counted and keep the type). ``math`` inside the engine
    modules is swapped for a counting namespace (``exp``, ``log10``, ...), and the RNG's
    ``uniform`` returns a ``_Flop`` (its integer hashing is not floating-point work).
    Arrays are a small ndarray subclass that turns every number stored into a ``_Flop``,
    so values written from literals keep being counted. The figure is the mean over
    several game keys of one ``resolve_quarter`` from the mid-game state (all labs alive),
    divided by the number of labs. Float work between two plain Python numbers (an integer
    stage plus 1.0) is not seen, so the count is at most a slight undercount, which makes
    the floor faster and the ratio stricter. Campaign averages
    (policy included, dead labs doing no work) are counted the same way for
    ``floor_ratio_campaign``.

``floor_ns_per_game_quarter`` and ``floor_ratio``
    ``_floor_lab`` is a branch-free kernel that does exactly the counted number of adds,
    multiplies, divides, ``exp`` and ``log10`` per lab (its own count is checked with the
    same counter in the child: ``checks.floor_flops_match``): one pass that reads and
    writes every field of the lab's row (so it touches the same memory as the engine),
    then dependent chains (four independent accumulators per kind) seeded from values the
    compiler cannot know, written back into the row and checked finite and non-zero. It
    runs over the same batch shape ``[G, 5, LAB_FIELDS]`` with ``prange``.
    ``floor_ratio`` = resolve-only parallel ns per game-quarter / floor ns per game-quarter.
    ``floor_ratio_campaign`` compares the campaign figure to the floor run for the mean
    number of quarters per game with the campaign-averaged flops (policy included).

``warm_start_first_quarter_s``
    A new Python process (the compile cache is warm: this run compiled the kernels)
    imports the engine, reads a base-2024 start state saved by the parent (``numpy.savez``)
    and resolves its first quarter. Timed on the system-wide monotonic clock from just
    before the process is spawned to the moment the quarter is done, so interpreter
    start-up counts and its shut-down does not (``warm_start_process_wall_s`` includes
    both). Median of 3 (1 when quick). The child reports numba cache misses; a run that had
    to compile (the engine was edited during the benchmark) is discarded and run again.
    ``import_turn_s`` is the import of ``blitzgame.engine.turn`` in that process;
    ``warm_start_load_state_s`` and ``warm_start_resolve_s`` (loading the cached kernel and
    the quarter) are the rest. ``warm_start_numba_floor_s`` is numba's own floor, measured
    the same way: a fresh process that imports numba and calls one trivial cached kernel.
    ``new_game_first_quarter_s`` is the whole session path (``Game.new`` from the TOML
    assets, validated by pydantic, then ``advance``), reported beside the target.

``tournament_games_per_min``
    A real tournament through ``run_tournament`` (what ``blitzgame tournament`` runs): the
    built-in bots, 5 labs, whole campaigns of base-2024, ``TOURNAMENT_WORKERS`` (2) local
    worker processes, ratings, ``games.csv``, ``summary.json`` and checkpoints written to a
    temporary folder (deleted after). Games (200,000; 20,000 when quick) / wall time of
    ``run_tournament``, worker start-up included. A small tournament first, not timed, makes
    sure the compile cache is built and read once (``tournament_method``); a run during
    which the kernels' sources changed (their workers compile) is discarded and run again,
    twice at most (``checks.tournament_engine_unchanged``). Checked: the
    summary counts the games asked, ``games.csv`` holds games x labs rows, every bot played
    and no bot had a fault (``checks.tournament_games_complete``).

``python_bot_games_per_min`` and ``python_bot_share_in_bot``
    The example Python bot (``examples/momentum_bot.py``, present in a source checkout, not
    in the wheel: without it the keys are left out and ``python_bot_note`` says why) in every
    seat, in this process (``InProcessSeat``, no sandbox, no time limit), whole games through
    the session (``play_headless``, as ``blitzgame sim`` plays them): 40 games (5 when quick)
    after one untimed warm-up game. ``..._share_in_bot`` is the time inside the bot's
    ``decide`` over the total, ``..._share_in_engine`` the rest (session and compiled
    engine), of which ``..._share_observe_validate`` is the seat around ``decide``: building
    the observation and checking the orders. Every game must finish
    (``checks.python_bot_games_finished``); if any decision fails (the bot raised or gave
    invalid orders), the keys are left out and ``python_bot_note`` says what went wrong.

Noise: other processes on the machine slow the parallel figures most (a thread that loses
its time slice stalls the whole ``prange``). Kernels compared with each other (campaigns
serial/parallel and their floor; resolve-only serial/parallel and its floor) are timed in
turn, repetition by repetition, so they share the machine's moods. Medians are reported,
with the best campaign run as an extra; ``machine.load_average`` is recorded at the start
and the end.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from numba import njit, prange

from blitzgame import bench_envs, bench_tui
from blitzgame.engine import layout as F
from blitzgame.engine.jit import kernel
from blitzgame.engine.turn import resolve_quarter as _resolve

SCENARIO = "base-2024"
LABS = 5
SEED = 20240101
MID_QUARTER = 8  # quarters played before the timed "mid-game" quarter

TARGETS = {
    "game_quarters_per_s_batched": (">=", 1_000_000.0),
    "compiled_vs_interpreted": (">=", 100.0),
    "floor_ratio": ("<=", 10.0),
    "warm_start_first_quarter_s": ("<=", 0.5),
    "tournament_games_per_min": (">=", 300_000.0),
    **bench_tui.TARGETS,
    **bench_envs.TARGETS,
}

TOURNAMENT_WORKERS = 2  # the target is set for 2 cores (docs/design.md §7), whatever this machine has
TOURNAMENT_WARMUP_GAMES = 400  # enough for both workers to get tasks (100 games each)
EXAMPLE_BOT_FILE = Path(__file__).resolve().parents[1] / "examples" / "momentum_bot.py"  # in a checkout only
EXAMPLE_BOT_CLASS = "MomentumBot"

_KINDS = ("add", "mul", "div", "exp", "log10")
_MATH = math  # the real module, kept when the counting child swaps ``math`` in blitzgame modules


class BenchError(RuntimeError):
    """The benchmark's work did not produce what it should; its numbers would mean nothing."""


# --- the floor: the same arithmetic, branch-free ---------------------------------------------
@kernel
def _floor_lab(row, coef, n_add, n_mul, n_div, n_exp, n_log):
    """Exactly ``n_add`` adds, ``n_mul`` multiplies, ``n_div`` divides, ``n_exp`` exp and
    ``n_log`` log10 (each log10 uses one of the adds), touching every field of ``row``."""
    c0 = coef[0]
    c1 = coef[1]
    c2 = coef[2]
    c3 = coef[3]
    adds = n_add - n_log
    touch = min(row.shape[0], adds)
    for f in range(touch):
        row[f] = row[f] + c0
    adds -= touch
    a0 = row[0]
    a1 = row[1]
    a2 = row[2]
    a3 = row[3]
    for _ in range(adds // 4):
        a0 = a0 + c0
        a1 = a1 + c1
        a2 = a2 + c2
        a3 = a3 + c3
    for _ in range(adds % 4):
        a0 = a0 + c1
    k0 = coef[4]
    k1 = coef[5]
    m0 = coef[6]
    m1 = coef[7]
    m2 = coef[8]
    m3 = coef[9]
    for _ in range(n_mul // 4):
        m0 = m0 * k0
        m1 = m1 * k1
        m2 = m2 * k0
        m3 = m3 * k1
    for _ in range(n_mul % 4):
        m0 = m0 * k1
    d0 = coef[6]
    d1 = coef[7]
    d2 = coef[8]
    d3 = coef[9]
    for _ in range(n_div // 4):
        d0 = d0 / k0
        d1 = d1 / k1
        d2 = d2 / k0
        d3 = d3 / k1
    for _ in range(n_div % 4):
        d0 = d0 / k1
    e = coef[10]
    for _ in range(n_exp):
        e = math.exp(-e)
    u = coef[11]
    for _ in range(n_log):
        u = math.log10(u + c3)
    row[0] = a0
    row[1] = a1
    row[2] = a2
    row[3] = a3
    row[4] = m0
    row[5] = m1
    row[6] = m2
    row[7] = m3
    row[8] = d0
    row[9] = d1
    row[10] = d2
    row[11] = d3
    row[12] = e
    row[13] = u


@kernel
def _floor_batch(state, coef, quarters, n_add, n_mul, n_div, n_exp, n_log):
    for g in range(state.shape[0]):
        for _ in range(quarters):
            for i in range(state.shape[1]):
                _floor_lab(state[g, i], coef, n_add, n_mul, n_div, n_exp, n_log)


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def _floor_batch_prange(state, coef, quarters, n_add, n_mul, n_div, n_exp, n_log):
    for g in prange(state.shape[0]):
        for _ in range(quarters):
            for i in range(state.shape[1]):
                _floor_lab(state[g, i], coef, n_add, n_mul, n_div, n_exp, n_log)


def _floor_coef() -> np.ndarray:
    """Runtime constants for the floor (the compiler cannot fold them)."""
    return np.array([1e-3, 2e-3, 3e-3, 10.0, 1.0000001, 0.9999999, 1.5, 2.5, 3.5, 4.5, 0.7, 1.0])


# --- building games ---------------------------------------------------------------------------
class _Setup:
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


def _keys(count: int, start: int = 0) -> np.ndarray:
    from blitzgame.engine.rng import game_key

    return np.array([game_key(SEED, g) for g in range(start, start + count)], dtype=np.int64)


def _tile(row: np.ndarray, count: int) -> np.ndarray:
    return np.ascontiguousarray(np.broadcast_to(row, (count, *row.shape))).copy()


def _check_finite(name: str, *arrays: np.ndarray) -> None:
    for a in arrays:
        if not np.all(np.isfinite(a)):
            raise BenchError(f"{name}: the state holds non-finite numbers")


def _median(values) -> float:
    return float(np.median(np.asarray(values, dtype=np.float64)))


# --- measurements -----------------------------------------------------------------------------
@kernel
def _quarter_loop(lab0, world0, lab, world, orders, params, hubs, sched, key, reps, resolve):
    """``reps`` times: restore the state, then (if ``resolve``) resolve the quarter."""
    for _ in range(reps):
        for a in range(lab.shape[0]):  # element by element: engine kernels run without NRT
            for b in range(lab.shape[1]):
                lab[a, b] = lab0[a, b]
        for k in range(world.shape[0]):
            world[k] = world0[k]
        if resolve:
            _resolve(lab, world, orders, params, hubs, sched, key)
    return world[F.QUARTER]


def _single_quarter(s: _Setup, reps: int) -> dict:
    from blitzgame.engine.turn import resolve_quarter

    lab, w = s.lab_mid.copy(), s.world_mid.copy()
    args = (s.orders_mid, *s.fixed(), s.key)
    resolve_quarter(lab, w, *args)  # compiled (or loaded) before timing
    times = []
    clock = time.perf_counter_ns
    for _ in range(reps):
        np.copyto(lab, s.lab_mid)
        np.copyto(w, s.world_mid)
        t0 = clock()
        resolve_quarter(lab, w, *args)
        times.append(clock() - t0)
    if w[F.QUARTER] != s.world_mid[F.QUARTER] + 1.0:
        raise BenchError("single quarter: the quarter did not advance")
    _check_finite("single quarter", lab, w)
    # the same quarter inside a compiled loop, the cost of restoring the state taken out
    inner = max(reps // 10, 50)
    scratch_l, scratch_w = s.lab_mid.copy(), s.world_mid.copy()
    loop_args = (s.lab_mid, s.world_mid, scratch_l, scratch_w, *args, inner)
    _quarter_loop(*loop_args, True)
    _quarter_loop(*loop_args, False)
    with_q, copy_only = [], []
    for _ in range(15):
        t0 = clock()
        advanced = _quarter_loop(*loop_args, True)
        t1 = clock()
        restored = _quarter_loop(*loop_args, False)
        t2 = clock()
        with_q.append(t1 - t0)
        copy_only.append(t2 - t1)
    if advanced != s.world_mid[F.QUARTER] + 1.0 or restored != s.world_mid[F.QUARTER]:
        raise BenchError("single quarter: the compiled loop did not resolve (or restore) the quarter")
    return {
        "quarter_us_single": _median(times) / 1e3,
        "quarter_us_single_in_kernel": max(_median(with_q) - _median(copy_only), 0.0) / inner / 1e3,
        "quarter_single_reps": reps,
        "lab_after_single": lab,
        "world_after_single": w,
    }


def _campaign_jobs(s: _Setup, games: int) -> tuple[list[_Job], dict]:
    """Whole campaigns of every game, parallel and serial, each with arrays of its own."""
    from blitzgame.bots.campaign import play_games
    from blitzgame.bots.campaign_parallel import play_games_prange

    keys = _keys(games)
    labs0, worlds0 = _tile(s.lab0, games), _tile(s.world0, games)
    jobs, finals = [], {}
    for name, fn in (("parallel", play_games_prange), ("serial", play_games)):
        labs, worlds = labs0.copy(), worlds0.copy()
        orders = np.zeros((games, LABS, F.ORDER_FIELDS))
        played = np.zeros(games, dtype=np.int64)
        finals[name] = (labs, worlds, played)

        def reset(labs=labs, worlds=worlds, orders=orders, played=played) -> None:
            np.copyto(labs, labs0)
            np.copyto(worlds, worlds0)
            orders[:] = 0.0
            played[:] = 0

        def call(fn=fn, labs=labs, worlds=worlds, orders=orders, played=played) -> None:
            fn(labs, worlds, orders, *s.fixed(), keys, played)

        def check(name=name, labs=labs, worlds=worlds, played=played) -> None:
            _check_campaigns(name, labs, worlds, played, s.quarters)

        jobs.append(_Job(f"campaign_{name}", reset, call, check))
    return jobs, finals


def _replay_jobs(s: _Setup, games: int) -> tuple[list[_Job], int]:
    """Campaigns recorded once with the baseline bot, then replayed by the engine alone
    (parallel and serial); each replay must end exactly where the recording did."""
    from blitzgame.bots.campaign import record_games
    from blitzgame.engine.batch import replay_games
    from blitzgame.engine.parallel import replay_games_prange

    keys = _keys(games)
    labs0, worlds0 = _tile(s.lab0, games), _tile(s.world0, games)
    log = np.zeros((games, s.quarters, LABS, F.ORDER_FIELDS))
    recorded_labs, recorded_worlds = labs0.copy(), worlds0.copy()
    played = np.zeros(games, dtype=np.int64)
    record_games(recorded_labs, recorded_worlds, log, *s.fixed(), keys, played)
    _check_campaigns("recording", recorded_labs, recorded_worlds, played, s.quarters)
    jobs = []
    for name, fn in (("parallel", replay_games_prange), ("serial", replay_games)):
        labs, worlds = labs0.copy(), worlds0.copy()

        def reset(labs=labs, worlds=worlds) -> None:
            np.copyto(labs, labs0)
            np.copyto(worlds, worlds0)

        def call(fn=fn, labs=labs, worlds=worlds) -> None:
            fn(labs, worlds, log, *s.fixed(), keys, played)

        def check(name=name, labs=labs, worlds=worlds) -> None:
            if not (np.array_equal(labs, recorded_labs) and np.array_equal(worlds, recorded_worlds)):
                raise BenchError(f"replay ({name}): the replayed campaigns differ from the recorded ones")

        jobs.append(_Job(f"replay_{name}", reset, call, check))
    return jobs, int(played.sum())


def _check_campaigns(name: str, labs, worlds, played, quarters: int) -> None:
    if played.min() <= 0 or played.max() > quarters:
        raise BenchError(f"campaigns ({name}): quarters played per game must be 1..{quarters}, "
                         f"got {played.min()}..{played.max()}")
    if not np.all(worlds[:, F.GAME_OVER] == 1.0):
        raise BenchError(f"campaigns ({name}): {int((worlds[:, F.GAME_OVER] != 1.0).sum())} games did not finish")
    if not np.array_equal(worlds[:, F.QUARTER], played.astype(np.float64)):
        raise BenchError(f"campaigns ({name}): quarters counted differ from the games' quarter numbers")
    _check_finite(f"campaigns ({name})", labs, worlds)


class _Job:
    """One timed kernel call: ``reset()`` restores its inputs (not timed), ``call()`` is timed."""

    def __init__(self, name, reset, call, check) -> None:
        self.name, self.reset, self.call, self.check = name, reset, call, check
        self.times: list[float] = []


def _interleaved(jobs: list[_Job], reps: int) -> dict:
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
    return {job.name: _median(job.times) for job in jobs}


def _resolve_jobs(s: _Setup, games: int) -> list[_Job]:
    """One quarter of every game from the mid-game state, fixed orders, serial and parallel."""
    from blitzgame.engine.batch import resolve_games
    from blitzgame.engine.parallel import resolve_games_prange

    keys = _keys(games)
    labs0, worlds0 = _tile(s.lab_mid, games), _tile(s.world_mid, games)
    orders = _tile(s.orders_mid, games)
    labs, worlds = labs0.copy(), worlds0.copy()

    def reset() -> None:
        np.copyto(labs, labs0)
        np.copyto(worlds, worlds0)

    def check(name):
        def run_check() -> None:
            if not np.all(worlds[:, F.QUARTER] == s.world_mid[F.QUARTER] + 1.0):
                raise BenchError(f"resolve-only ({name}): not every game advanced a quarter")
            _check_finite(f"resolve-only ({name})", labs, worlds)
        return run_check

    return [_Job(f"resolve_{name}", reset, lambda fn=fn: fn(labs, worlds, orders, *s.fixed(), keys), check(name))
            for name, fn in (("parallel", resolve_games_prange), ("serial", resolve_games))]


def _floor_jobs(s: _Setup, games: int, quarters: int, budget: dict, tag: str = "floor") -> list[_Job]:
    """The floor over ``[games, LABS, LAB_FIELDS]`` for ``quarters`` quarters a game."""
    coef = _floor_coef()
    state0 = _tile(s.lab_mid, games)
    state = state0.copy()
    n = tuple(int(budget[k]) for k in _KINDS)

    def reset() -> None:
        np.copyto(state, state0)

    def check() -> None:
        _check_finite(tag, state)
        if np.any(state[:, :, :14] == 0.0) or np.array_equal(state, state0):
            raise BenchError(f"{tag}: the floor kernel did not produce its results")

    return [_Job(f"{tag}_{name}", reset, lambda fn=fn: fn(state, coef, quarters, *n), check)
            for name, fn in (("parallel", _floor_batch_prange), ("serial", _floor_batch))]


# --- child processes --------------------------------------------------------------------------
def _child_env(disable_jit: bool) -> dict:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if disable_jit:
        env["NUMBA_DISABLE_JIT"] = "1"
    else:
        env.pop("NUMBA_DISABLE_JIT", None)
    return env


def _run_child(code: str, disable_jit: bool, what: str) -> tuple[dict, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                          env=_child_env(disable_jit), timeout=900)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise BenchError(f"{what}: child process failed:\n{proc.stderr.strip()[-2000:]}")
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.startswith("{")]
    if not lines:
        raise BenchError(f"{what}: child process printed no result")
    return json.loads(lines[-1]), wall


_WARM_START = """
import time
t0 = time.monotonic()
import numpy as np
import blitzgame.engine.turn as turn
t1 = time.monotonic()
from blitzgame.engine import layout as F
state = dict(np.load({state!r}, allow_pickle=False))
lab, w = state["lab"], state["world"]
t2 = time.monotonic()
turn.resolve_quarter(lab, w, state["orders"], state["params"], state["hubs"], state["sched"], int(state["key"]))
t3 = time.monotonic()
assert w[F.QUARTER] == 1.0 and np.isfinite(lab).all() and np.isfinite(w).all()
import json
misses = sum(turn.resolve_quarter.stats.cache_misses.values())
print(json.dumps({{"start": t0, "import_turn_s": t1 - t0, "load_state_s": t2 - t1, "first_quarter_s": t3 - t2,
                  "done": t3, "quarter": float(w[F.QUARTER]), "cache_misses": misses}}), flush=True)
"""


_NEW_GAME = """
import time
t0 = time.monotonic()
from blitzgame.session.game import Game
t1 = time.monotonic()
game = Game.new({scenario!r}, seed={seed}, labs={labs})
t2 = time.monotonic()
game.advance()
t3 = time.monotonic()
assert game.quarter == 1
import json
from blitzgame.engine.turn import resolve_quarter
print(json.dumps({{"start": t0, "import_s": t1 - t0, "build_s": t2 - t1, "first_quarter_s": t3 - t2,
                  "done": t3, "quarter": float(game.quarter),
                  "cache_misses": sum(resolve_quarter.stats.cache_misses.values())}}), flush=True)
"""


_NUMBA_FLOOR = """
import time
t0 = time.monotonic()
import sys
sys.path.insert(0, {folder!r})
import trivial_kernel
trivial_kernel.add_one(1.0)
print('{{"start": %r, "done": %r}}' % (t0, time.monotonic()), flush=True)
"""


def _numba_floor(runs: int) -> float:
    """What numba alone needs in a fresh process: import it and call one trivial cached
    kernel (median seconds, measured like the warm start). No engine can start faster."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "trivial_kernel.py").write_text(
            "from numba import njit\n\n\n@njit(cache=True)\ndef add_one(x):\n    return x + 1.0\n")
        code = _NUMBA_FLOOR.format(folder=folder)
        _run_child(code, False, "numba floor")  # compiles into the cache
        times = []
        for _ in range(runs):
            spawned = time.monotonic()
            child, _ = _run_child(code, False, "numba floor")
            times.append(child["done"] - spawned)
    return _median(times)


def _timed_children(code: str, runs: int, what: str) -> tuple[list[float], list[float], list[dict], int]:
    """Run ``code`` in ``runs`` fresh processes, each timed on the system-wide monotonic clock
    from just before it is spawned to its ``done`` stamp. A child that had to compile (numba
    cache misses: the engine was edited during the run) is discarded and run again."""
    firsts, walls, inner = [], [], []
    cold = 0
    while len(firsts) < runs:
        spawned = time.monotonic()
        child, wall = _run_child(code, False, what)
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


def _warm_start(runs: int) -> dict:
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
        firsts, walls, inner, cold = _timed_children(_WARM_START.format(state=state), runs, "warm start")
    mid = int(np.argsort(firsts)[len(firsts) // 2])
    game_firsts, _, game_inner, game_cold = _timed_children(
        _NEW_GAME.format(scenario=SCENARIO, labs=LABS, seed=SEED), runs, "new game")
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


# The interpreted child: NUMBA_DISABLE_JIT=1, so every kernel (engine, policy, floor) is
# plain Python. It times the mid-game quarter, then counts floating-point operations.
class _Count:
    ops = dict.fromkeys(_KINDS, 0)

    @classmethod
    def reset(cls) -> None:
        cls.ops = dict.fromkeys(_KINDS, 0)

    @classmethod
    def take(cls) -> dict:
        ops = cls.ops
        cls.reset()
        return ops


def _counted(kind: str, base):
    def op(self, other):
        result = base(self, other)
        if result is NotImplemented:
            return result
        _Count.ops[kind] += 1
        return _Flop(result)

    return op


class _Flop(float):
    """A float that counts its + - * / (and keeps counting whatever is computed from it)."""

    __slots__ = ()
    __add__ = _counted("add", float.__add__)
    __radd__ = _counted("add", float.__radd__)
    __sub__ = _counted("add", float.__sub__)
    __rsub__ = _counted("add", float.__rsub__)
    __mul__ = _counted("mul", float.__mul__)
    __rmul__ = _counted("mul", float.__rmul__)
    __truediv__ = _counted("div", float.__truediv__)
    __rtruediv__ = _counted("div", float.__rtruediv__)

    def __neg__(self):
        return _Flop(float.__neg__(self))

    def __pos__(self):
        return self

    def __abs__(self):
        return _Flop(float.__abs__(self))

    def __pow__(self, other):  # the engine writes x*x; count a stray power as a multiply
        _Count.ops["mul"] += 1
        return _Flop(float.__pow__(self, other))

    def __floordiv__(self, other):
        _Count.ops["div"] += 1
        return _Flop(float.__floordiv__(self, other))

    def __mod__(self, other):
        _Count.ops["div"] += 1
        return _Flop(float.__mod__(self, other))


class _FlopArray(np.ndarray):
    """An object array whose stored numbers all become ``_Flop``."""

    def __setitem__(self, key, value):
        if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, (bool, _Flop)):
            value = _Flop(value)
        super().__setitem__(key, value)


def _flop_array(a: np.ndarray) -> _FlopArray:
    out = np.empty(a.shape, dtype=object)
    flat = out.reshape(-1)
    for k, v in enumerate(np.asarray(a, dtype=np.float64).reshape(-1)):
        flat[k] = _Flop(v)
    return out.view(_FlopArray)


class _CountingMath:
    """Stands in for ``math`` inside the engine: counts the transcendental calls."""

    def exp(self, x):
        _Count.ops["exp"] += 1
        return _Flop(_MATH.exp(x))

    def log10(self, x):
        _Count.ops["log10"] += 1
        return _Flop(_MATH.log10(x))

    def __getattr__(self, name):
        fn = getattr(_MATH, name)
        if not callable(fn):
            return fn

        def counted(*args):
            _Count.ops.setdefault(name, 0)
            _Count.ops[name] += 1
            return _Flop(fn(*args))

        return counted


def _instrument() -> None:
    """Swap ``math`` and the RNG's ``uniform`` in every loaded blitzgame module."""
    from blitzgame.engine import rng

    uniform = rng.uniform

    def flop_uniform(qkey, lab, stream):
        return _Flop(uniform(qkey, lab, stream))

    from blitzgame.engine import fastmath

    split = fastmath.split

    def flop_split(y):
        """Splitting a float into mantissa and exponent is bit work, not a flop; what the
        mantissa then takes part in is counted."""
        mantissa, exponent = split(y)
        return _Flop(mantissa), exponent

    fastmath.split = flop_split
    for name, mod in list(sys.modules.items()):
        if not name.startswith("blitzgame") or mod is None:
            continue
        if getattr(mod, "math", None) is _MATH:
            mod.math = _CountingMath()
        if name != "blitzgame.engine.rng" and getattr(mod, "uniform", None) is uniform:
            mod.uniform = flop_uniform


def _interpreted_child(path: str) -> None:
    """Entry point of the ``NUMBA_DISABLE_JIT=1`` child: timing, then flop counting."""
    from numba.core import config

    if not config.DISABLE_JIT:
        raise BenchError("the interpreted child must run with NUMBA_DISABLE_JIT=1")
    from blitzgame.bots.baseline import baseline_orders
    from blitzgame.engine.rng import game_key
    from blitzgame.engine.turn import resolve_quarter

    d = dict(np.load(Path(path) / "in.npz"))
    params, hubs, sched = d["params"], d["hubs"], d["sched"]
    key = int(d["key"])
    reps = int(d["reps"])
    # 1. time the mid-game quarter in plain Python
    lab, w = d["lab_mid"].copy(), d["world_mid"].copy()
    times = []
    for _ in range(reps):
        np.copyto(lab, d["lab_mid"])
        np.copyto(w, d["world_mid"])
        t0 = time.perf_counter_ns()
        resolve_quarter(lab, w, d["orders_mid"], params, hubs, sched, key)
        times.append(time.perf_counter_ns() - t0)
    np.savez(Path(path) / "out.npz", lab=lab, world=w)
    # 2. count: one mid-game quarter for several game keys, all labs alive
    _instrument()
    fp, fh, fs = _flop_array(params), _flop_array(hubs), _flop_array(sched)
    n_labs = d["lab_mid"].shape[0]
    mid = []
    for game in range(int(d["count_games"])):
        lab, w = _flop_array(d["lab_mid"]), _flop_array(d["world_mid"])
        orders = _flop_array(d["orders_mid"])
        _Count.reset()
        resolve_quarter(lab, w, orders, fp, fh, fs, int(game_key(int(d["seed"]), game)))
        mid.append(_Count.take())
    # 3. count whole campaigns: policy and resolve apart, per game-quarter
    policy_ops = dict.fromkeys(_KINDS, 0)
    resolve_ops = dict.fromkeys(_KINDS, 0)
    game_quarters = 0
    for game in range(int(d["campaign_games"])):
        lab, w = _flop_array(d["lab0"]), _flop_array(d["world0"])
        orders = _flop_array(np.zeros_like(d["orders_mid"]))
        k = int(game_key(int(d["seed"]), game))
        while w[F.GAME_OVER] == 0.0:
            _Count.reset()
            for i in range(n_labs):
                baseline_orders(lab, w, fp, fh, i, orders)
            for kind, v in _Count.take().items():
                policy_ops[kind] = policy_ops.get(kind, 0) + v
            resolve_quarter(lab, w, orders, fp, fh, fs, k)
            for kind, v in _Count.take().items():
                resolve_ops[kind] = resolve_ops.get(kind, 0) + v
            game_quarters += 1
    per_lab = {k: sum(m.get(k, 0) for m in mid) / (len(mid) * n_labs) for k in set().union(*mid)}
    totals = [sum(m.values()) / n_labs for m in mid]
    campaign = {k: (resolve_ops.get(k, 0) + policy_ops.get(k, 0)) / (game_quarters * n_labs)
                for k in set(resolve_ops) | set(policy_ops)}
    # 4. the floor's own count, with the budgets it will be run with
    floor_counts = {}
    for name, ops in (("mid", per_lab), ("campaign", campaign)):
        budget = {k: round(ops.get(k, 0.0)) for k in _KINDS}
        row = _flop_array(d["lab_mid"][0])
        _Count.reset()
        _floor_lab(row, _flop_array(_floor_coef()), *(budget[k] for k in _KINDS))
        floor_counts[name] = {"budget": budget, "counted": _Count.take()}
    print(json.dumps({
        "interpreted_us": _median(times) / 1e3,
        "interpreted_reps": reps,
        "per_lab_quarter": per_lab,
        "per_lab_quarter_min": min(totals),
        "per_lab_quarter_max": max(totals),
        "count_games": len(mid),
        "campaign_per_lab_quarter": campaign,
        "campaign_policy_per_lab_quarter": {k: v / (game_quarters * n_labs) for k, v in policy_ops.items()},
        "campaign_game_quarters": game_quarters,
        "floor_counts": floor_counts,
    }))


def _interpreted(s: _Setup, quick: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="blitzgame-bench-") as tmp:
        np.savez(Path(tmp) / "in.npz", params=s.params, hubs=s.hubs, sched=s.sched,
                 lab0=s.lab0, world0=s.world0, lab_mid=s.lab_mid, world_mid=s.world_mid,
                 orders_mid=s.orders_mid, key=np.int64(s.key), seed=np.int64(SEED),
                 reps=np.int64(5 if quick else 25), count_games=np.int64(2 if quick else 8),
                 campaign_games=np.int64(1 if quick else 4))
        code = f"import blitzgame.bench as b; b._interpreted_child({tmp!r})"
        child, _ = _run_child(code, True, "interpreted run")
        out = dict(np.load(Path(tmp) / "out.npz"))
    child["lab_after"] = out["lab"]
    child["world_after"] = out["world"]
    return child


# --- tournaments and Python bots ---------------------------------------------------------------
def _tournament(games: int) -> dict:
    """A real ``blitzgame tournament`` (``run_tournament``): the built-in bots, ``LABS`` labs,
    whole campaigns, ``TOURNAMENT_WORKERS`` worker processes, ratings and files written.
    A small tournament first warms the compile cache (and the page cache), not timed. The
    workers are new processes: if the kernels' sources change meanwhile (someone editing
    the engine), they compile, so such a run is discarded and played again (twice at most)."""
    from blitzgame._jit_cache import engine_fingerprint
    from blitzgame.bots.base import available_bots
    from blitzgame.schemas.tournament import TournamentConfig
    from blitzgame.tournament.results import csv_header
    from blitzgame.tournament.runner import run_tournament

    bots = tuple(available_bots())
    header_lines = csv_header().count("\n")
    discarded = 0
    with tempfile.TemporaryDirectory(prefix="blitzgame-bench-tournament-") as tmp:
        def config(name: str, count: int) -> TournamentConfig:
            return TournamentConfig(bots=bots, games=count, labs=LABS, seed=SEED, scenario=SCENARIO,
                                    workers=TOURNAMENT_WORKERS, out=str(Path(tmp, name)))

        while True:
            fingerprint = engine_fingerprint()
            run_tournament(config(f"warm-up-{discarded}", TOURNAMENT_WARMUP_GAMES))
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
    if summary["games"] != games or summary_on_disk["games"] != games:
        raise BenchError(f"tournament: {summary['games']} games played, {games} asked")
    if rows != games * LABS:
        raise BenchError(f"tournament: games.csv holds {rows} rows, expected {games} games x {LABS} labs")
    per_bot = {b["name"]: b["games"] for b in summary["bots"]}
    if set(per_bot) != set(bots) or min(per_bot.values()) <= 0 or sum(per_bot.values()) != games * LABS:
        raise BenchError(f"tournament: not every bot played its share of the games: {per_bot}")
    faults = sum(b[k] for b in summary["bots"] for k in ("errors", "invalids", "timeouts", "forfeits"))
    if faults:
        raise BenchError(f"tournament: the built-in bots had {faults} errors, invalid orders, timeouts or forfeits")
    return {
        "tournament_games_per_min": games / seconds * 60.0,
        "tournament_games": games,
        "tournament_s": seconds,
        "tournament_workers": TOURNAMENT_WORKERS,
        "tournament_bots": list(bots),
        "tournament_csv_rows": rows,
        "tournament_runs_discarded": discarded,
        "tournament_engine_unchanged": unchanged,
        "tournament_method": (
            f"wall time of run_tournament (blitzgame tournament's Python API): {games:,} games of "
            f"{SCENARIO}, {LABS} labs, whole campaigns, the {len(bots)} built-in bots, "
            f"{TOURNAMENT_WORKERS} worker processes (local backend), ratings, games.csv, "
            f"summary.json and checkpoints written to a temporary folder; worker start-up "
            f"(spawn, imports, loading the cached kernels) included. A {TOURNAMENT_WARMUP_GAMES}-game "
            f"tournament before it, not timed, makes sure the numba compile cache is built and "
            f"read once, so compiling is not counted."),
    }


def _python_bot(games: int) -> dict:
    """The example Python bot (``examples/momentum_bot.py``) in every seat, in this process
    (no sandbox, no time limit), whole games through the session as ``blitzgame sim`` plays
    them: games per minute, and the share of the time spent inside the bot's ``decide``."""
    if not EXAMPLE_BOT_FILE.is_file():
        return {"python_bot_note": f"skipped: the example bot {EXAMPLE_BOT_FILE} is not here "
                                   "(examples/ ships with the source checkout, not the wheel)"}
    from blitzgame.bots.loader import BotLoadError, load_bot_class
    from blitzgame.bots.sandbox import InProcessSeat
    from blitzgame.session.game import Game
    from blitzgame.session.headless import play_headless
    from blitzgame.session.world import compile_world

    try:
        cls = load_bot_class(f"{EXAMPLE_BOT_FILE}:{EXAMPLE_BOT_CLASS}")
    except BotLoadError as error:
        return {"python_bot_note": f"skipped: the example bot cannot be loaded: {error}"}
    clock = time.perf_counter
    inside = {"seconds": 0.0, "calls": 0}

    class Timed(cls):  # the bot as it is, its decide timed
        def decide(self, obs):
            t0 = clock()
            try:
                return super().decide(obs)
            finally:
                inside["seconds"] += clock() - t0
                inside["calls"] += 1

    world = compile_world(SCENARIO)
    seats = [InProcessSeat(Timed()) for _ in range(LABS)]
    play_headless(Game.new(world, seed=SEED, labs=LABS), seats)  # warm-up: first calls, imports
    inside.update(seconds=0.0, calls=0)
    for seat in seats:
        seat.bot_seconds, seat.decisions = 0.0, 0
    quarters = 0
    t0 = clock()
    for g in range(games):
        game = play_headless(Game.new(world, seed=SEED + 1 + g, labs=LABS), seats)
        if not game.over:
            raise BenchError(f"python bot: game {g} did not finish")
        quarters += game.quarter
    total = clock() - t0
    decisions = sum(seat.decisions for seat in seats)
    faults = {k: sum(seat.counts[k] for seat in seats) for k in seats[0].counts}
    if any(faults.values()):  # timing a bot that fails would time something else: no figures, say why
        first = next(seat.problems[0] for seat in seats if seat.problems)
        shown = ", ".join(f"{n} {k}" for k, n in faults.items() if n)
        return {"python_bot_note": f"skipped: the example bot went wrong ({shown}); first in "
                                   f"{first.quarter}: {first.message}"}
    if inside["calls"] != decisions or decisions == 0:
        raise BenchError(f"python bot: decide ran {inside['calls']} times for {decisions} decisions")
    seat_seconds = sum(seat.bot_seconds for seat in seats)
    in_bot = inside["seconds"] / total
    return {
        "python_bot_games_per_min": games / total * 60.0,
        "python_bot_share_in_bot": in_bot,
        "python_bot_share_in_engine": 1.0 - in_bot,
        "python_bot_share_observe_validate": (seat_seconds - inside["seconds"]) / total,
        "python_bot_games": games,
        "python_bot_quarters": quarters,
        "python_bot_decisions": decisions,
        "python_bot_decide_us": inside["seconds"] / decisions * 1e6,
        "python_bot_s": total,
        "python_bot": f"{EXAMPLE_BOT_FILE.parent.name}/{EXAMPLE_BOT_FILE.name}:{EXAMPLE_BOT_CLASS}",
    }


# --- the run ----------------------------------------------------------------------------------
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
    }


def _total(ops: dict) -> float:
    return float(sum(ops.get(k, 0.0) for k in ops))


def _targets(results: dict) -> dict:
    out = {}
    for name, (op, target) in TARGETS.items():
        value = results[name]
        met = value >= target if op == ">=" else value <= target
        shown = f"{target:,.0f}" if target >= 1000 else f"{target:g}"
        out[name] = {"target": f"{op} {shown}", "value": value, "met": bool(met)}
    return out


def run(quick: bool = False) -> dict:
    """Measure the core on this machine; ``quick`` shrinks sizes (for tests)."""
    start = time.perf_counter()
    games = 500 if quick else 10_000
    from numba.core import config

    from blitzgame._jit_cache import engine_fingerprint

    if config.DISABLE_JIT:
        raise BenchError("NUMBA_DISABLE_JIT is set: the benchmark measures compiled code")
    load_before = _machine()["load_average"]
    fingerprint = engine_fingerprint()
    s = _Setup()
    results: dict = {"quick": quick, "scenario": SCENARIO, "labs": LABS, "seed": SEED,
                     "mid_quarter": MID_QUARTER, "batch_games": games}
    single = _single_quarter(s, 300 if quick else 3000)
    lab_after, world_after = single.pop("lab_after_single"), single.pop("world_after_single")
    results.update(single)
    interp = _interpreted(s, quick)
    results["interpreted_quarter_us"] = interp["interpreted_us"]
    results["compiled_vs_interpreted"] = interp["interpreted_us"] / results["quarter_us_single"]
    if results["quarter_us_single_in_kernel"] > 0.0:
        results["compiled_vs_interpreted_in_kernel"] = (
            interp["interpreted_us"] / results["quarter_us_single_in_kernel"])
    matches = bool(np.array_equal(interp["lab_after"], lab_after)
                   and np.array_equal(interp["world_after"], world_after))

    per_lab = interp["per_lab_quarter"]
    campaign_ops = interp["campaign_per_lab_quarter"]
    results["flops_per_lab_quarter"] = _total(per_lab)
    results["flops_breakdown"] = {k: per_lab.get(k, 0.0) for k in sorted(per_lab)}
    results["flops_per_lab_quarter_range"] = [interp["per_lab_quarter_min"], interp["per_lab_quarter_max"]]
    results["campaign_flops_per_lab_quarter"] = _total(campaign_ops)
    results["campaign_policy_flops_per_lab_quarter"] = _total(interp["campaign_policy_per_lab_quarter"])
    results["flops_method"] = (
        f"counted: resolve_quarter run as plain Python (NUMBA_DISABLE_JIT=1 child) on object "
        f"arrays of a float subclass counting + - * / (comparisons, min/max, abs, negation not "
        f"counted) with math.exp/log10 counted by swapping `math` in the engine modules; mean "
        f"of {interp['count_games']} game keys from the quarter-{MID_QUARTER} state of a "
        f"{SCENARIO} game, {LABS} labs all alive, divided by labs. Campaign figure: "
        f"{interp['campaign_game_quarters']} game-quarters of whole campaigns, policy included.")
    unknown = set(per_lab) - set(_KINDS)
    if unknown:
        raise BenchError(f"flop count: the floor has no stand-in for {sorted(unknown)}")
    floor_match = all(
        all(fc["counted"].get(k, 0) == fc["budget"][k] for k in _KINDS)
        for fc in interp["floor_counts"].values())
    if not floor_match:
        raise BenchError(f"floor: its own flop count differs from its budget: {interp['floor_counts']}")
    if results["flops_per_lab_quarter"] <= 0.0:
        raise BenchError("flop count: resolve_quarter counted no floating-point operations")

    # resolve-only and its floor, taken in turn
    budget = interp["floor_counts"]["mid"]["budget"]
    t = _interleaved(_resolve_jobs(s, games) + _floor_jobs(s, games, 1, budget), 5 if quick else 7)
    for name in ("parallel", "serial"):
        results[f"resolve_quarters_per_s_{name}"] = games / t[f"resolve_{name}"]
        results[f"resolve_ns_per_game_quarter_{name}"] = t[f"resolve_{name}"] / games * 1e9
    results["floor_ns_per_game_quarter"] = t["floor_parallel"] / games * 1e9
    results["floor_ns_per_game_quarter_serial"] = t["floor_serial"] / games * 1e9
    results["floor_ratio"] = t["resolve_parallel"] / t["floor_parallel"]
    results["floor_ratio_serial"] = t["resolve_serial"] / t["floor_serial"]
    # whole campaigns, and a floor run for as many quarters as a game lasts on average
    jobs, finals = _campaign_jobs(s, games)
    jobs[0].reset()
    jobs[0].call()
    played = finals["parallel"][2]
    quarters = max(1, round(float(played.mean())))
    campaign_budget = interp["floor_counts"]["campaign"]["budget"]
    jobs += _floor_jobs(s, games, quarters, campaign_budget, "campaign_floor")[:1]
    t = _interleaved(jobs, 2 if quick else 5)
    total = int(played.sum())
    best = min(jobs[0].times)
    results.update({
        "campaign_game_quarters_per_s": total / t["campaign_parallel"],
        "campaign_game_quarters_per_s_best": total / best,
        "campaign_game_quarters_per_s_serial": total / t["campaign_serial"],
        "campaign_games": games,
        "campaign_quarters_played": total,
        "campaign_quarters_per_game_mean": total / games,
        "campaign_quarters_per_game_min": int(played.min()),
        "campaign_quarters_per_game_max": int(played.max()),
        "campaign_s_parallel": t["campaign_parallel"],
        "campaign_s_serial": t["campaign_serial"],
        "floor_campaign_ns_per_game_quarter": t["campaign_floor_parallel"] / (games * quarters) * 1e9,
    })
    results["floor_ratio_campaign"] = (t["campaign_parallel"] / total) / (t["campaign_floor_parallel"] / (games * quarters))
    serial_matches_parallel = all(np.array_equal(a, b) for a, b in zip(finals["parallel"], finals["serial"]))
    # the engine alone: the same campaigns replayed from their recorded orders
    jobs, replayed = _replay_jobs(s, games)
    t = _interleaved(jobs, 2 if quick else 5)
    results.update({
        "game_quarters_per_s_batched": replayed / t["replay_parallel"],
        "game_quarters_per_s_batched_best": replayed / min(jobs[0].times),
        "game_quarters_per_s_serial": replayed / t["replay_serial"],
        "replay_quarters": replayed,
    })

    results.update(_warm_start(1 if quick else 3))
    results.update(_tui(quick))
    results.update(bench_envs.measure(quick))
    results.update(_tournament(20_000 if quick else 200_000))
    results.update(_python_bot(5 if quick else 40))
    results["checks"] = {
        "campaigns_finished": True,
        "campaign_quarters_per_game_min": results["campaign_quarters_per_game_min"],
        "states_finite": True,
        "floor_finite": True,
        "floor_flops_match": floor_match,
        "flops_counted": results["flops_per_lab_quarter"] > 0.0,
        "interpreted_matches_compiled": matches,
        "serial_matches_parallel": bool(serial_matches_parallel),
        "replay_matches": True,
        "engine_unchanged_during_run": engine_fingerprint() == fingerprint,
        "tournament_games_complete": True,
        "tournament_engine_unchanged": results.pop("tournament_engine_unchanged"),
    }
    if "python_bot_games_per_min" in results:
        results["checks"]["python_bot_games_finished"] = True
    results["targets"] = _targets(results)
    results["machine"] = _machine() | {"load_average_at_start": load_before}
    results["elapsed_s"] = time.perf_counter() - start
    _check_numbers(results)
    return results


def _tui(quick: bool) -> dict:
    """The terminal game's figures (``bench_tui``): launch to title, end quarter to report."""
    try:
        return bench_tui.measure(quick)
    except bench_tui.TuiBenchError as error:
        raise BenchError(f"TUI: {error}") from None


def _check_numbers(results: dict) -> None:
    for name, value in results.items():
        if isinstance(value, float) and not (math.isfinite(value) and value > 0.0):
            raise BenchError(f"{name} = {value}: every measured figure must be finite and positive")


# --- the table --------------------------------------------------------------------------------
def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value >= 1e4:
            return f"{value:,.0f}"
        if value >= 100:
            return f"{value:.1f}"
        return f"{value:#.3g}"
    return str(value)


_ROWS = (
    ("quarter_us_single", "one quarter, 5 labs, G=1 (us, Python call)"),
    ("quarter_us_single_in_kernel", "  same, inside a compiled loop (us)"),
    ("game_quarters_per_s_batched", "engine game-quarters/s, all cores"),
    ("game_quarters_per_s_serial", "  same, one core"),
    ("campaign_game_quarters_per_s", "campaign with bots, game-quarters/s"),
    ("campaign_game_quarters_per_s_serial", "  same, one core"),
    ("resolve_quarters_per_s_parallel", "resolve-only game-quarters/s, all cores"),
    ("resolve_quarters_per_s_serial", "  same, one core"),
    ("compiled_vs_interpreted", "interpreted / compiled, per quarter"),
    ("interpreted_quarter_us", "  interpreted quarter (us)"),
    ("flops_per_lab_quarter", "flops per lab-quarter (counted)"),
    ("resolve_ns_per_game_quarter_parallel", "resolve ns per game-quarter, all cores"),
    ("floor_ns_per_game_quarter", "floor ns per game-quarter, all cores"),
    ("floor_ratio", "resolve / floor"),
    ("floor_ratio_campaign", "  campaign / campaign floor"),
    ("warm_start_first_quarter_s", "new process to first quarter (s)"),
    ("import_turn_s", "  import blitzgame.engine.turn (s)"),
    ("warm_start_numba_floor_s", "  numba alone: import + one cached call (s)"),
    ("tournament_games_per_min", "tournament games/min, built-in bots, 2 workers"),
    ("tournament_s", "  wall time (s), ratings and CSV included"),
    ("python_bot_games_per_min", "games/min, example Python bot in every seat"),
    ("python_bot_share_in_bot", "  share of the time in the bot's decide"),
    ("python_bot_share_in_engine", "  share in the session and engine"),
    ("python_bot_share_observe_validate", "    of which observations and order checks"),
    *bench_tui.ROWS,
    *bench_envs.ROWS,
)


def render(results: dict) -> str:
    """A readable table: each figure, its target and PASS/FAIL."""
    targets = results.get("targets", {})
    rows = []
    for key, label in _ROWS:
        if key not in results:
            continue
        t = targets.get(key)
        rows.append((label, _fmt(results[key]), t["target"] if t else "",
                     ("PASS" if t["met"] else "FAIL") if t else ""))
    widths = [max(len(r[c]) for r in rows + [("figure", "value", "target", "")]) for c in range(4)]

    def line(r: tuple) -> str:
        return f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip()

    out = [line(("figure", "value", "target", "")), "-" * (sum(widths) + 6)]
    out += [line(r) for r in rows]
    fb = results.get("flops_breakdown")
    if fb:
        out.append("")
        out.append("flops per lab-quarter: " + ", ".join(f"{k} {v:.1f}" for k, v in fb.items()))
    checks = results.get("checks", {})
    if checks:
        out.append("checks: " + ", ".join(f"{k} {_fmt(v)}" for k, v in checks.items()))
    if "warm_start_build_game_s" in results:
        out.append(f"warm start: python {results['warm_start_python_startup_s']:.3f} s, import turn "
                   f"{results['import_turn_s']:.3f} s, build game {results['warm_start_build_game_s']:.3f} s, "
                   f"load kernels + quarter {results['warm_start_resolve_s']:.3f} s "
                   f"(process exit adds {results['warm_start_process_wall_s'] - results['warm_start_first_quarter_s']:.2f} s)")
    if "python_bot_note" in results:
        out.append(f"python bot: {results['python_bot_note']}")
    m = results.get("machine", {})
    if m:
        out.append(f"machine: {m.get('cpu_model', '?')}, {m.get('cpus_usable')} CPUs "
                   f"({m.get('numba_threads')} numba threads), Python {m.get('python')}, "
                   f"numba {m.get('numba')}, numpy {m.get('numpy')}, load average "
                   f"{m.get('load_average_at_start')} -> {m.get('load_average')}")
    passed = sum(t["met"] for t in targets.values())
    mode = " (quick: small sizes)" if results.get("quick") else ""
    out.append(f"{passed}/{len(targets)} targets met in {results.get('elapsed_s', 0.0):.1f} s{mode}")
    return "\n".join(out)


if __name__ == "__main__":  # python -m blitzgame.bench [--json] [--quick]
    _results = run(quick="--quick" in sys.argv[1:])
    print(json.dumps(_results, indent=2) if "--json" in sys.argv[1:] else render(_results))
