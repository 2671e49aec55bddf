"""A game is fully determined by (scenario, seed, orders): whatever compiles or batches it.

docs/design.md §7 (determinism): results are bit-identical between compiled and ``NUMBA_DISABLE_JIT=1``,
between serial and parallel batches, and whatever a game's place in a batch.

The tests marked ``equivalence`` also run with ``NUMBA_DISABLE_JIT=1 pytest -m equivalence``
(CI): the cross-mode tests then run the *compiled* core in their subprocess, so each mode
is checked against the other whichever one the test process is in.
"""

import json
import os
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest

from blitzgame.engine import layout as F
from blitzgame.engine import resolve_games_parallel
from blitzgame.engine.batch import resolve_games
from blitzgame.schemas.orders import Orders
from blitzgame.session.game import Game
from blitzgame.session.headless import bots_for, play_headless

pytestmark = pytest.mark.usefixtures("arena_kernels")  # the arena's and the parallel kernels: compiled in the background

# Code shared by this process and the cross-mode subprocess, so both run exactly the same
# games. In session games labs 0..3 play the baseline bot and the last lab a scripted,
# aggressive plan that reaches rarer code paths (cloud, partnerships, silicon, open weights,
# big orders, debt, layoffs). Batches use int64 keys, as callers of the batch API do.
SHARED = textwrap.dedent('''
    import numpy as np
    from blitzgame.bots.baseline import baseline_orders
    from blitzgame.bots.campaign import play_games
    from blitzgame.engine import layout as F
    from blitzgame.engine.batch import resolve_games
    from blitzgame.engine.rng import game_key
    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for
    from blitzgame.session.world import compile_world

    PLAN = [
        {"gpus": {"nordics": 40000.0, "china": 5000.0}, "premium": 0.5, "power_mw": {"nordics": 60.0},
         "rent": 8000.0, "hire": 60.0, "package": 4.0, "equity": 3000.0},
        {"partnership": 0.7, "open_source": True, "efficiency_rnd": 400.0, "silicon_rnd": 300.0,
         "train_split": 0.9, "debt": 1500.0},
        {"cancel": 0.5, "power_mw": {"middle_east": 100.0, "virginia": 50.0}, "layoff": 10.0,
         "debt": -200.0, "train_split": 0.1, "rent": 100000.0},
    ]

    def drive(scenario, seed, quarters, labs=5):
        """A session game: baseline bots and one scripted lab; returns the game and its digests."""
        game = Game.new(scenario, seed=seed, labs=labs)
        bots = bots_for(["baseline"], labs - 1)
        digests = []
        for q in range(quarters):
            if game.over:
                break
            for lab, bot in enumerate(bots):
                if game.state_labs[lab, F.STATUS] == F.ALIVE:
                    game.submit(lab, bot.orders_for(game, lab))
            if game.state_labs[labs - 1, F.STATUS] == F.ALIVE:
                game.submit(labs - 1, PLAN[q % len(PLAN)])
            game.advance()
            digests.append(game.digest())
        return game, digests

    def batch(world, seeds, labs=5):
        """Fresh games of ``world`` along the game axis, keyed by seed."""
        base = Game.new(world, seed=0, labs=labs)
        n = len(seeds)
        return (np.repeat(base.state_labs[None], n, axis=0), np.repeat(base.state_world[None], n, axis=0),
                np.zeros((n, labs, F.ORDER_FIELDS)), np.array([game_key(s, 0) for s in seeds], dtype=np.int64))

    def batch_orders(world, labs, worlds, orders, keys):
        """Every lab plays the baseline policy, except the last lab of games with an odd key,
        which spends freely (so batches mix quiet and wild games)."""
        for g in range(labs.shape[0]):
            for i in range(labs.shape[1]):
                baseline_orders(labs[g], worlds[g], world.params, world.hubs, i, orders[g])
            if keys[g] % 2 == 1:
                wild = orders[g, -1]
                wild[F.O_GPUS + 2] = 20000.0
                wild[F.O_RENT] = 5000.0
                wild[F.O_MW + 3] = 80.0
                wild[F.O_PARTNERSHIP] = 0.5
                wild[F.O_EQUITY] = 2000.0

    def run_job(job):
        """One job of the cross-mode comparison; returns its final arrays."""
        world = compile_world(job["scenario"])
        if job["kind"] == "session":
            game, digests = drive(world, job["seed"], job["quarters"])
            return {"labs": game.state_labs, "world": game.state_world,
                    "digests": np.array(digests)}
        if job["kind"] == "arena":  # every built-in bot, seats rotating, random included
            from blitzgame.session.world import default_setups
            from blitzgame.tournament.batch import play_batch

            bots = ("sprinter", "platform", "integrator", "pure", "defender", "efficient", "greedy", "random", "baseline")
            seats = np.array([[(g * 2 + s) % len(bots) for s in range(5)] for g in range(len(job["seeds"]))])
            out = play_batch(world, default_setups(world, 5), bots, seats, np.array(job["seeds"], dtype=np.uint64),
                             parallel=job.get("parallel", False))
            return {"labs": out.labs, "world": out.worlds, "stats": out.stats, "played": out.played}
        if job["kind"] == "strategist":  # a light strategist (3 plays, 1 future each, 2 quarters ahead)
            from blitzgame.bots.base import builtin_bot
            from blitzgame.bots.strategist import strategist_row
            from blitzgame.session.world import default_setups
            from blitzgame.tournament.batch import play_batch

            class Light:
                name, code = "light strategist", builtin_bot("strategist").code
                knobs = strategist_row([builtin_bot(a).knobs for a in ("platform", "pure", "defender")], 1, 2)

            bots = (Light(), "sprinter", "integrator", "efficient", "baseline")
            seats = np.array([[(g + s) % len(bots) for s in range(5)] for g in range(len(job["seeds"]))])
            out = play_batch(world, default_setups(world, 5), bots, seats, np.array(job["seeds"], dtype=np.uint64))
            return {"labs": out.labs, "world": out.worlds, "stats": out.stats, "played": out.played}
        labs, worlds, orders, keys = batch(world, job["seeds"])
        if job["kind"] == "batch":
            for _ in range(job["quarters"]):
                batch_orders(world, labs, worlds, orders, keys)
                resolve_games(labs, worlds, orders, world.params, world.hubs, world.sched, keys)
            return {"labs": labs, "world": worlds}
        played = np.zeros(len(keys), dtype=np.int64)
        play_games(labs, worlds, orders, world.params, world.hubs, world.sched, keys, played)
        return {"labs": labs, "world": worlds, "played": played}
''')

OTHER_MODE = SHARED + textwrap.dedent('''
    import json, sys
    import numba
    from blitzgame.engine.turn import resolve_quarter

    mode, jobs = sys.argv[1], json.loads(sys.argv[2])
    assert bool(numba.config.DISABLE_JIT) == (mode == "interpreted"), f"not {mode}"
    assert hasattr(resolve_quarter, "signatures") == (mode == "compiled")
    for job in jobs:
        np.savez(job["path"], **run_job(job))
    print("done")
''')

shared: dict = {}
exec(SHARED, shared)  # noqa: S102 - our own code, shared with the subprocess
drive, batch, batch_orders, run_job = shared["drive"], shared["batch"], shared["batch_orders"], shared["run_job"]

INTERPRETED_HERE = bool(numba.config.DISABLE_JIT)


def _bits_equal(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _differences(a: np.ndarray, b: np.ndarray, names: dict[str, int]) -> list[str]:
    """The first fields (by name) whose bits differ, for failure messages."""
    if a.shape != b.shape:
        return [f"shapes {a.shape} vs {b.shape}"]
    index_names = {index: name for name, index in names.items()}
    flat_a, flat_b = a.reshape(-1, a.shape[-1]), b.reshape(-1, b.shape[-1])
    out = []
    for row, field in zip(*np.nonzero(flat_a.view(np.int64) != flat_b.view(np.int64))):
        out.append(f"row {row} {index_names.get(field, field)}: {flat_a[row, field]!r} vs {flat_b[row, field]!r}")
    return out[:10]


def _other_mode(jobs: list[dict], tmp_path) -> tuple[str, list[dict]]:
    """Run ``jobs`` in a subprocess in the other JIT mode (warnings are errors there too)."""
    mode = "compiled" if INTERPRETED_HERE else "interpreted"
    jobs = [{**job, "path": str(tmp_path / f"job{k}.npz")} for k, job in enumerate(jobs)]
    script = tmp_path / "other_mode.py"
    script.write_text(OTHER_MODE)
    env = {**os.environ, "NUMBA_DISABLE_JIT": "0" if INTERPRETED_HERE else "1"}
    result = subprocess.run([sys.executable, "-W", "error", str(script), mode, json.dumps(jobs)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, f"the {mode} run failed:\n{result.stderr[-3000:]}"
    return mode, jobs


def _compare(jobs: list[dict], mode: str) -> None:
    for job in jobs:
        here, there = run_job(job), np.load(job["path"])
        assert sorted(here) == sorted(there.files)
        what = f"{job['kind']} {job['scenario']} {job.get('seed', job.get('seeds'))} ({mode} run vs this one)"
        assert _bits_equal(here["labs"], there["labs"]), (what, _differences(here["labs"], there["labs"], F.LAB_FIELD_NAMES))
        assert _bits_equal(here["world"], there["world"]), (
            what, _differences(here["world"], there["world"], F.WORLD_FIELD_NAMES))
        for extra in set(here) - {"labs", "world"}:
            assert np.array_equal(here[extra], there[extra]), (what, extra)


# --- seeds and orders determine the game ------------------------------------------------------
@pytest.mark.equivalence
def test_same_scenario_seed_and_orders_give_identical_games(world):
    first, first_digests = drive(world, 7, 12)
    second, second_digests = drive(world, 7, 12)
    assert first_digests == second_digests
    assert first.digest() == second.digest()
    assert _bits_equal(first.state_labs, second.state_labs)
    # the digest covers the whole state: one bit changed is a different game
    second.state_labs[2, F.CASH] = np.nextafter(second.state_labs[2, F.CASH], np.inf)
    assert first.digest() != second.digest()


@pytest.mark.equivalence
def test_a_different_seed_gives_a_different_game(world):
    _, a = drive(world, 1, 6)
    _, b = drive(world, 2, 6)
    assert Game.new(world, seed=1).digest() == Game.new(world, seed=2).digest()  # same start
    assert a[-1] != b[-1]
    assert Game.new(world, seed=1).key != Game.new(world, seed=2).key
    assert Game.new(world, seed=1, game_id=0).key != Game.new(world, seed=1, game_id=1).key


# --- compiled vs interpreted -----------------------------------------------------------------
@pytest.mark.equivalence
def test_compiled_and_interpreted_runs_are_bit_identical(tmp_path):
    """Session games, here and in the other JIT mode: the same digests every quarter, the same bits."""
    jobs = [
        {"kind": "session", "scenario": "base-2024", "seed": 3, "quarters": 10},
        {"kind": "session", "scenario": "capital-winter", "seed": 11, "quarters": 10},
        {"kind": "session", "scenario": "power-crunch", "seed": 5, "quarters": 8},
        {"kind": "session", "scenario": "sovereign-ai", "seed": 2**63 - 1, "quarters": 6},
    ]
    mode, jobs = _other_mode(jobs, tmp_path)
    _compare(jobs, mode)


@pytest.mark.equivalence
def test_compiled_and_interpreted_batches_are_bit_identical(tmp_path):
    """The batch kernel and the compiled campaign, fed int64 keys as their callers do."""
    jobs = [
        {"kind": "batch", "scenario": "base-2024", "seeds": list(range(100, 108)), "quarters": 6},
        {"kind": "campaign", "scenario": "gpu-famine", "seeds": [0, 1, 2]},
        {"kind": "arena", "scenario": "base-2024", "seeds": [5, 6, 7, 8, 9]},
        {"kind": "strategist", "scenario": "classroom-famine-crash", "seeds": [3, 4]},
    ]
    mode, jobs = _other_mode(jobs, tmp_path)
    _compare(jobs, mode)


# --- batches ----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.equivalence
def test_serial_and_parallel_batches_are_bit_identical(world):
    seeds = range(100, 164)
    serial = batch(world, seeds)
    parallel = tuple(a.copy() for a in serial)
    for _ in range(8):
        batch_orders(world, *serial)
        parallel[2][:] = serial[2]
        resolve_games(serial[0], serial[1], serial[2], world.params, world.hubs, world.sched, serial[3])
        resolve_games_parallel(parallel[0], parallel[1], parallel[2], world.params, world.hubs, world.sched, parallel[3])
        assert _bits_equal(serial[0], parallel[0]), _differences(serial[0], parallel[0], F.LAB_FIELD_NAMES)
        assert _bits_equal(serial[1], parallel[1]), _differences(serial[1], parallel[1], F.WORLD_FIELD_NAMES)
    # the games did diverge from each other, so the comparison means something
    assert len({labs.tobytes() for labs in serial[0]}) == len(seeds)


@pytest.mark.slow
@pytest.mark.equivalence
def test_serial_and_parallel_arenas_are_bit_identical():
    """Tournament batches of built-in bots: one game after another, or over all cores."""
    seeds = list(range(300, 340))
    serial = run_job({"kind": "arena", "scenario": "power-crunch", "seeds": seeds})
    parallel = run_job({"kind": "arena", "scenario": "power-crunch", "seeds": seeds, "parallel": True})
    for name in serial:
        assert _bits_equal(serial[name], parallel[name]), name
    assert len({labs.tobytes() for labs in serial["labs"]}) == len(seeds)


@pytest.mark.equivalence
def test_a_game_gives_the_same_bits_alone_or_anywhere_in_a_batch(world):
    target = 4242
    layouts = {
        "alone": [target],
        "position 11 of 16": [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, target, 18, 19, 20, 21],
        "first of 3": [target, 1, 2],
        "twice in 2": [target, target],
    }
    results = {}
    for name, seeds in layouts.items():
        labs, worlds, orders, keys = batch(world, seeds)
        for _ in range(10):
            batch_orders(world, labs, worlds, orders, keys)
            resolve_games(labs, worlds, orders, world.params, world.hubs, world.sched, keys)
        at = len(seeds) - 1 - seeds[::-1].index(target)  # the last copy of the target
        results[name] = (labs[at].copy(), worlds[at].copy())
        others = [g for g in range(len(seeds)) if seeds[g] != target]
        if others:  # the neighbours really are different games
            assert not _bits_equal(labs[others[0]], labs[at])
    ref_labs, ref_world = results["alone"]
    for name, (labs, worlds) in results.items():
        assert _bits_equal(labs, ref_labs), (name, _differences(labs, ref_labs, F.LAB_FIELD_NAMES))
        assert _bits_equal(worlds, ref_world), name


@pytest.mark.equivalence
def test_a_batched_game_matches_the_same_game_played_in_a_session(world):
    """The session (Orders validated, then turned back into arrays) and the raw batch agree."""
    seed = 99
    labs, worlds, orders, keys = batch(world, [seed], labs=5)
    game = Game.new(world, seed=seed, labs=5)
    for q in range(10):
        if game.over:
            break
        batch_orders(world, labs, worlds, orders, keys)
        resolve_games(labs, worlds, orders, world.params, world.hubs, world.sched, keys)
        for lab in range(5):  # the same rows, as a compiled bot hands them to the session
            game.submit(lab, Orders.from_array(orders[0, lab], world.hub_ids))
        game.advance()
        assert _bits_equal(game.state_labs, labs[0]), (q, _differences(game.state_labs, labs[0], F.LAB_FIELD_NAMES))
        assert _bits_equal(game.state_world, worlds[0]), q


# --- compiled campaigns ---------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.equivalence
def test_campaign_kernels_serial_and_parallel_agree(world):
    from blitzgame.bots.campaign import play_games
    from blitzgame.bots.campaign_parallel import play_games_prange

    seeds = range(16)
    serial = batch(world, seeds)
    parallel = tuple(a.copy() for a in serial)
    played_serial = np.zeros(len(seeds), dtype=np.int64)  # the type every caller passes: one compile of each
    played_parallel = np.zeros(len(seeds), dtype=np.int64)
    play_games(serial[0], serial[1], serial[2], world.params, world.hubs, world.sched, serial[3], played_serial)
    play_games_prange(parallel[0], parallel[1], parallel[2], world.params, world.hubs, world.sched,
                      parallel[3], played_parallel)
    assert _bits_equal(played_serial, played_parallel)
    assert _bits_equal(serial[0], parallel[0]), _differences(serial[0], parallel[0], F.LAB_FIELD_NAMES)
    assert _bits_equal(serial[1], parallel[1])
    assert np.all(serial[1][:, F.GAME_OVER] == 1.0)
    assert np.all(played_serial == serial[1][:, F.QUARTER]) and np.all(played_serial >= 1)


@pytest.mark.equivalence
def test_campaign_kernel_matches_a_headless_session_game(world):
    """``play_games`` (all compiled) and ``play_headless`` with baseline bots play the same game."""
    from blitzgame.bots.campaign import play_games

    seed = 31
    labs, worlds, orders, keys = batch(world, [seed])
    played = np.zeros(1)
    play_games(labs, worlds, orders, world.params, world.hubs, world.sched, keys, played)
    game = play_headless(Game.new(world, seed=seed, labs=5), bots_for(["baseline"], 5))
    assert game.quarter == played[0]
    assert _bits_equal(game.state_labs, labs[0]), _differences(game.state_labs, labs[0], F.LAB_FIELD_NAMES)
    assert _bits_equal(game.state_world, worlds[0])


def test_fixed_luck_fixes_every_draw_and_no_game_key_reaches_it():
    """The forecast's fixed-luck keys (``engine.rng.fixed_luck``): each stream draws low or high as
    asked, the sliced streams draw the value asked, in every quarter; a game's keys stay below them."""
    from blitzgame.engine import rng as R

    high = (1 << R.STREAM_EVENT) | (1 << R.STREAM_MUSIC)
    key = R.fixed_luck(high, 0.3)
    for quarter in (0, 7, 31):
        q = R.quarter_key(key, quarter)
        for lab in (0, 4, R.WORLD_LAB):
            assert R.uniform(q, lab, R.STREAM_EVENT) == R.LUCK_HIGH == R.uniform(q, lab, R.STREAM_MUSIC)
            assert R.uniform(q, lab, R.STREAM_TRAIN) == R.LUCK_LOW == R.uniform(q, lab, R.STREAM_EXPORT)
            assert abs(R.uniform(q, lab, R.STREAM_HEAT) - 0.3) < 1e-6 and R.uniform(q, lab, R.STREAM_REGIME) < 0.3 + 1e-6
    for seed in (0, 1, 2**63 - 1):
        for game in (0, 5, 0x5EED_0F_0BE5):
            k = R.game_key(seed, game)
            assert k < R.FIXED_LUCK and R.quarter_key(k, 3) < R.FIXED_LUCK
