"""The compiled core's figures: one quarter, batches of games, the interpreted ratio and the floor.

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
    quarters played / wall time. ``..._serial`` is ``play_games``. Every campaign must
    have finished (``checks.campaigns_finished``) with finite states (``checks.states_finite``).
    ``resolve_quarters_per_s_serial`` / ``..._parallel`` time one quarter of every game of
    the batch from the mid-game state with fixed orders (``resolve_games`` /
    ``resolve_games_prange``): one pass over 10,000 games' state, bound by memory.

``compiled_vs_interpreted``
    The mid-game quarter timed in a child process started with ``NUMBA_DISABLE_JIT=1``
    (every kernel plain Python) divided by ``quarter_us_single`` (the compiled figure *with*
    its call overhead, so the ratio is the conservative one). The child's resulting state
    is compared with the compiled one (``checks.interpreted_matches_compiled``).

``flops_per_lab_quarter`` and ``flops_method``
    Counted in the same child (``flops.py`` says how).

``floor_ns_per_game_quarter`` and ``floor_ratio``
    The floor kernel (``kernels.floor_lab``: exactly the counted operations per lab,
    branch-free) over the same batch shape ``[G, 5, LAB_FIELDS]`` with ``prange``; its
    results are checked finite, non-zero and changed (``checks.floor_finite``).
    ``floor_ratio`` = resolve-only parallel ns per game-quarter / floor ns per game-quarter.
    ``floor_ratio_campaign`` compares the campaign figure to the floor run for the mean
    number of quarters per game with the campaign-averaged flops (policy included).

Kernels compared with each other (campaigns serial/parallel and their floor; resolve-only
serial/parallel and its floor) are timed in turn (``harness.interleaved``); the best
campaign run is reported as an extra.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from blitzgame.bench.flops import KINDS
from blitzgame.bench.harness import (
    LABS,
    MID_QUARTER,
    SCENARIO,
    SEED,
    BenchError,
    Job,
    Setup,
    check,
    check_finite,
    child_argv,
    interleaved,
    keys,
    median,
    run_child,
    tile,
)
from blitzgame.bench.kernels import floor_batch, floor_batch_prange, floor_coef, quarter_loop
from blitzgame.engine import layout as F

BATCH_GAMES = {True: 500, False: 10_000}  # quick / full


def measure(quick: bool, checks: dict) -> dict:
    """The compiled core's figures (see the module's docstring), its checks recorded in ``checks``."""
    games = BATCH_GAMES[quick]
    s = Setup()
    results = _single_quarter(s, 300 if quick else 3000, checks)
    lab_after, world_after = results.pop("lab_after_single"), results.pop("world_after_single")
    interp = _interpreted(s, quick)
    results["interpreted_quarter_us"] = interp["interpreted_us"]
    results["compiled_vs_interpreted"] = interp["interpreted_us"] / results["quarter_us_single"]
    if results["quarter_us_single_in_kernel"] > 0.0:
        results["compiled_vs_interpreted_in_kernel"] = (
            interp["interpreted_us"] / results["quarter_us_single_in_kernel"])
    results.update(_flops(interp, checks))
    check(checks, "interpreted_matches_compiled",
          np.array_equal(interp["lab_after"], lab_after) and np.array_equal(interp["world_after"], world_after))

    # resolve-only and its floor, taken in turn
    budget = interp["floor_counts"]["mid"]["budget"]
    t = interleaved(_resolve_jobs(s, games, checks) + _floor_jobs(s, games, 1, budget, checks), 5 if quick else 7)
    for name in ("parallel", "serial"):
        results[f"resolve_quarters_per_s_{name}"] = games / t[f"resolve_{name}"]
        results[f"resolve_ns_per_game_quarter_{name}"] = t[f"resolve_{name}"] / games * 1e9
    results["floor_ns_per_game_quarter"] = t["floor_parallel"] / games * 1e9
    results["floor_ns_per_game_quarter_serial"] = t["floor_serial"] / games * 1e9
    results["floor_ratio"] = t["resolve_parallel"] / t["floor_parallel"]
    results["floor_ratio_serial"] = t["resolve_serial"] / t["floor_serial"]
    # whole campaigns, and a floor run for as many quarters as a game lasts on average
    jobs, finals = _campaign_jobs(s, games, checks)
    jobs[0].reset()
    jobs[0].call()
    played = finals["parallel"][2]
    quarters = max(1, round(float(played.mean())))
    campaign_budget = interp["floor_counts"]["campaign"]["budget"]
    jobs += _floor_jobs(s, games, quarters, campaign_budget, checks, "campaign_floor")[:1]
    t = interleaved(jobs, 2 if quick else 5)
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
    results["floor_ratio_campaign"] = (
        (t["campaign_parallel"] / total) / (t["campaign_floor_parallel"] / (games * quarters)))
    checks["campaign_quarters_per_game_min"] = int(played.min())
    check(checks, "serial_matches_parallel",
          all(np.array_equal(a, b) for a, b in zip(finals["parallel"], finals["serial"])))
    # the engine alone: the same campaigns replayed from their recorded orders
    jobs, replayed = _replay_jobs(s, games, checks)
    t = interleaved(jobs, 2 if quick else 5)
    results.update({
        "game_quarters_per_s_batched": replayed / t["replay_parallel"],
        "game_quarters_per_s_batched_best": replayed / min(jobs[0].times),
        "game_quarters_per_s_serial": replayed / t["replay_serial"],
        "replay_quarters": replayed,
    })
    return results


def _total(ops: dict) -> float:
    return float(sum(ops.get(k, 0.0) for k in ops))


def _flops(interp: dict, checks: dict) -> dict:
    """The counted flops' figures; the floor's own count must equal its budgets."""
    per_lab = interp["per_lab_quarter"]
    unknown = set(per_lab) - set(KINDS)
    if unknown:
        raise BenchError(f"flop count: the floor has no stand-in for {sorted(unknown)}")
    check(checks, "floor_flops_match",
          all(all(fc["counted"].get(k, 0) == fc["budget"][k] for k in KINDS) for fc in interp["floor_counts"].values()),
          f"floor: its own flop count differs from its budget: {interp['floor_counts']}")
    check(checks, "flops_counted", _total(per_lab) > 0.0, "flop count: resolve_quarter counted no floating-point operations")
    return {
        "flops_per_lab_quarter": _total(per_lab),
        "flops_breakdown": {k: per_lab.get(k, 0.0) for k in sorted(per_lab)},
        "flops_per_lab_quarter_range": [interp["per_lab_quarter_min"], interp["per_lab_quarter_max"]],
        "campaign_flops_per_lab_quarter": _total(interp["campaign_per_lab_quarter"]),
        "campaign_policy_flops_per_lab_quarter": _total(interp["campaign_policy_per_lab_quarter"]),
        "flops_method": (
            f"counted: resolve_quarter run as plain Python (NUMBA_DISABLE_JIT=1 child) on object "
            f"arrays of a float subclass counting + - * / (comparisons, min/max, abs, negation not "
            f"counted) with math.exp/log10 counted by swapping `math` in the engine modules; mean "
            f"of {interp['count_games']} game keys from the quarter-{MID_QUARTER} state of a "
            f"{SCENARIO} game, {LABS} labs all alive, divided by labs. Campaign figure: "
            f"{interp['campaign_game_quarters']} game-quarters of whole campaigns, policy included."),
    }


def _single_quarter(s: Setup, reps: int, checks: dict) -> dict:
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
    check_finite(checks, "single quarter", lab, w)
    # the same quarter inside a compiled loop, the cost of restoring the state taken out
    inner = max(reps // 10, 50)
    scratch_l, scratch_w = s.lab_mid.copy(), s.world_mid.copy()
    loop_args = (s.lab_mid, s.world_mid, scratch_l, scratch_w, *args, inner)
    quarter_loop(*loop_args, True)
    quarter_loop(*loop_args, False)
    with_q, copy_only = [], []
    for _ in range(15):
        t0 = clock()
        advanced = quarter_loop(*loop_args, True)
        t1 = clock()
        restored = quarter_loop(*loop_args, False)
        t2 = clock()
        with_q.append(t1 - t0)
        copy_only.append(t2 - t1)
    if advanced != s.world_mid[F.QUARTER] + 1.0 or restored != s.world_mid[F.QUARTER]:
        raise BenchError("single quarter: the compiled loop did not resolve (or restore) the quarter")
    return {
        "quarter_us_single": median(times) / 1e3,
        "quarter_us_single_in_kernel": max(median(with_q) - median(copy_only), 0.0) / inner / 1e3,
        "quarter_single_reps": reps,
        "lab_after_single": lab,
        "world_after_single": w,
    }


def _interpreted(s: Setup, quick: bool) -> dict:
    """The interpreted child (``child.interpreted``): its timing and flop counts, and the
    state its quarter ended in."""
    with tempfile.TemporaryDirectory(prefix="blitzgame-bench-") as tmp:
        np.savez(Path(tmp) / "in.npz", params=s.params, hubs=s.hubs, sched=s.sched,
                 lab0=s.lab0, world0=s.world0, lab_mid=s.lab_mid, world_mid=s.world_mid,
                 orders_mid=s.orders_mid, key=np.int64(s.key), seed=np.int64(SEED),
                 reps=np.int64(5 if quick else 25), count_games=np.int64(2 if quick else 8),
                 campaign_games=np.int64(1 if quick else 4))
        child, _ = run_child(child_argv("interpreted", tmp), True, "interpreted run")
        out = dict(np.load(Path(tmp) / "out.npz"))
    child["lab_after"] = out["lab"]
    child["world_after"] = out["world"]
    return child


def _campaign_jobs(s: Setup, games: int, checks: dict) -> tuple[list[Job], dict]:
    """Whole campaigns of every game, parallel and serial, each with arrays of its own."""
    from blitzgame.bots.campaign import play_games
    from blitzgame.bots.campaign_parallel import play_games_prange

    game_keys = keys(games)
    labs0, worlds0 = tile(s.lab0, games), tile(s.world0, games)
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
            fn(labs, worlds, orders, *s.fixed(), game_keys, played)

        def run_check(name=name, labs=labs, worlds=worlds, played=played) -> None:
            _check_campaigns(checks, name, labs, worlds, played, s.quarters)

        jobs.append(Job(f"campaign_{name}", reset, call, run_check))
    return jobs, finals


def _replay_jobs(s: Setup, games: int, checks: dict) -> tuple[list[Job], int]:
    """Campaigns recorded once with the baseline bot, then replayed by the engine alone
    (parallel and serial); each replay must end exactly where the recording did."""
    from blitzgame.bots.campaign import record_games
    from blitzgame.engine.batch import replay_games
    from blitzgame.engine.parallel import replay_games_prange

    game_keys = keys(games)
    labs0, worlds0 = tile(s.lab0, games), tile(s.world0, games)
    log = np.zeros((games, s.quarters, LABS, F.ORDER_FIELDS))
    recorded_labs, recorded_worlds = labs0.copy(), worlds0.copy()
    played = np.zeros(games, dtype=np.int64)
    record_games(recorded_labs, recorded_worlds, log, *s.fixed(), game_keys, played)
    _check_campaigns(checks, "recording", recorded_labs, recorded_worlds, played, s.quarters)
    jobs = []
    for name, fn in (("parallel", replay_games_prange), ("serial", replay_games)):
        labs, worlds = labs0.copy(), worlds0.copy()

        def reset(labs=labs, worlds=worlds) -> None:
            np.copyto(labs, labs0)
            np.copyto(worlds, worlds0)

        def call(fn=fn, labs=labs, worlds=worlds) -> None:
            fn(labs, worlds, log, *s.fixed(), game_keys, played)

        def run_check(name=name, labs=labs, worlds=worlds) -> None:
            check_replay(checks, name, labs, worlds, recorded_labs, recorded_worlds)

        jobs.append(Job(f"replay_{name}", reset, call, run_check))
    return jobs, int(played.sum())


def check_replay(checks: dict, name: str, labs, worlds, recorded_labs, recorded_worlds) -> None:
    """Check ``replay_matches``: the replayed campaigns end bit for bit where the recording did."""
    check(checks, "replay_matches",
          np.array_equal(labs, recorded_labs) and np.array_equal(worlds, recorded_worlds),
          f"replay ({name}): the replayed campaigns differ from the recorded ones")


def _check_campaigns(checks: dict, name: str, labs, worlds, played, quarters: int) -> None:
    """Check ``campaigns_finished`` (every game over, after 1..``quarters`` quarters, as many as
    its quarter number says) and ``states_finite``."""
    check(checks, "campaigns_finished", played.min() > 0 and played.max() <= quarters,
          f"campaigns ({name}): quarters played per game must be 1..{quarters}, got {played.min()}..{played.max()}")
    unfinished = int((worlds[:, F.GAME_OVER] != 1.0).sum())
    check(checks, "campaigns_finished", unfinished == 0, f"campaigns ({name}): {unfinished} games did not finish")
    check(checks, "campaigns_finished", np.array_equal(worlds[:, F.QUARTER], played.astype(np.float64)),
          f"campaigns ({name}): quarters counted differ from the games' quarter numbers")
    check_finite(checks, f"campaigns ({name})", labs, worlds)


def _resolve_jobs(s: Setup, games: int, checks: dict) -> list[Job]:
    """One quarter of every game from the mid-game state, fixed orders, serial and parallel."""
    from blitzgame.engine.batch import resolve_games
    from blitzgame.engine.parallel import resolve_games_prange

    game_keys = keys(games)
    labs0, worlds0 = tile(s.lab_mid, games), tile(s.world_mid, games)
    orders = tile(s.orders_mid, games)
    labs, worlds = labs0.copy(), worlds0.copy()

    def reset() -> None:
        np.copyto(labs, labs0)
        np.copyto(worlds, worlds0)

    def checker(name: str):
        def run_check() -> None:
            if not np.all(worlds[:, F.QUARTER] == s.world_mid[F.QUARTER] + 1.0):
                raise BenchError(f"resolve-only ({name}): not every game advanced a quarter")
            check_finite(checks, f"resolve-only ({name})", labs, worlds)
        return run_check

    return [Job(f"resolve_{name}", reset, lambda fn=fn: fn(labs, worlds, orders, *s.fixed(), game_keys), checker(name))
            for name, fn in (("parallel", resolve_games_prange), ("serial", resolve_games))]


def _floor_jobs(s: Setup, games: int, quarters: int, budget: dict, checks: dict, tag: str = "floor") -> list[Job]:
    """The floor over ``[games, LABS, LAB_FIELDS]`` for ``quarters`` quarters a game."""
    coef = floor_coef()
    state0 = tile(s.lab_mid, games)
    state = state0.copy()
    n = tuple(int(budget[k]) for k in KINDS)

    def reset() -> None:
        np.copyto(state, state0)

    def run_check() -> None:
        check_finite(checks, tag, state, name="floor_finite")
        check(checks, "floor_finite", not (np.any(state[:, :, :14] == 0.0) or np.array_equal(state, state0)),
              f"{tag}: the floor kernel did not produce its results")

    return [Job(f"{tag}_{name}", reset, lambda fn=fn: fn(state, coef, quarters, *n), run_check)
            for name, fn in (("parallel", floor_batch_prange), ("serial", floor_batch))]
