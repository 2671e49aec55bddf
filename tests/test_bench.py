"""The benchmark runs, reports every figure, and checks the work it timed.

Speed targets are shown by ``blitzgame bench``, never asserted here: a busy CI machine
must not fail the suite. The quick run's tests check that every number exists, is finite
and positive, and that every check was made; the others check that work which did not
happen (a replay off its recording, a child that fails) is an error, not a figure, and
that the benchmark's rooms keep their imports to themselves.
"""

import ast
import json
import math
from pathlib import Path

import numpy as np
import pytest
from import_probe import loaded_after

from blitzgame.bench import TARGETS, BenchError, engine, flops, harness, kernels, markdown, python_bot, render, runner, tournament
from blitzgame.engine import layout as F

REQUIRED = (
    "quarter_us_single",
    "game_quarters_per_s_batched",
    "game_quarters_per_s_serial",
    "resolve_quarters_per_s_serial",
    "resolve_quarters_per_s_parallel",
    "compiled_vs_interpreted",
    "interpreted_quarter_us",
    "flops_per_lab_quarter",
    "floor_ns_per_game_quarter",
    "floor_ratio",
    "warm_start_first_quarter_s",
    "import_turn_s",
    "warm_start_numba_floor_s",
    "new_game_first_quarter_s",
    "tournament_games_per_min",
    "tournament_games",
    "tournament_s",
    "tournament_workers",
    "elapsed_s",
)
PYTHON_BOT = (
    "python_bot_games_per_min",
    "python_bot_share_in_bot",
    "python_bot_share_in_engine",
    "python_bot_share_observe_validate",
    "python_bot_games",
)


@pytest.fixture(scope="module")
def results(quick_bench) -> dict:
    return quick_bench


# --- a quick run ------------------------------------------------------------------------------
@pytest.mark.slow
def test_every_figure_is_there_finite_and_positive(results):
    for key in REQUIRED:
        assert key in results, key
        value = results[key]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), key
        assert math.isfinite(value) and value > 0, (key, value)


@pytest.mark.slow
def test_tournament_was_played_in_full(results):
    assert results["tournament_workers"] == 2
    assert results["tournament_csv_rows"] == results["tournament_games"] * results["labs"]
    assert len(results["tournament_bots"]) >= 9
    assert "not timed" in results["tournament_method"]
    assert TARGETS["tournament_games_per_min"] == (">=", 300_000.0)


@pytest.mark.slow
def test_python_bot_figures_or_why_not(results):
    if not python_bot.EXAMPLE_BOT_FILE.is_file():  # an installed wheel: no examples/
        assert "python_bot_games_per_min" not in results
        assert "examples" in results["python_bot_note"]
        return
    assert "python_bot_note" not in results, results["python_bot_note"]  # the example bot must play cleanly
    for key in PYTHON_BOT:
        value = results[key]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), key
        assert math.isfinite(value) and value > 0, (key, value)
    assert results["python_bot_share_in_bot"] < 1.0
    assert math.isclose(results["python_bot_share_in_bot"] + results["python_bot_share_in_engine"], 1.0)
    assert results["python_bot_share_observe_validate"] < results["python_bot_share_in_engine"]
    assert results["python_bot_decisions"] >= results["python_bot_games"] * results["labs"]


@pytest.mark.slow
def test_targets_cover_the_documented_ones(results):
    targets = results["targets"]
    assert set(targets) == set(TARGETS)
    for name, t in targets.items():
        assert isinstance(t["met"], bool), name
        assert t["value"] == results[name]
        assert t["target"].split()[0] in (">=", "<=")


@pytest.mark.slow
def test_every_check_was_made_from_the_measurement(results):
    checks = results["checks"]
    with_bot = "python_bot_games_per_min" in results
    assert list(checks) == list(runner.CHECKS if with_bot else runner.CHECKS[:-1])
    for name, value in checks.items():
        if name != "campaign_quarters_per_game_min":
            assert isinstance(value, bool), name
    assert checks["campaign_quarters_per_game_min"] == results["campaign_quarters_per_game_min"] >= 1
    assert results["campaign_quarters_played"] >= results["campaign_games"]
    assert results["campaign_quarters_per_game_max"] <= 32


@pytest.mark.slow
def test_flops_were_counted_and_explained(results):
    breakdown = results["flops_breakdown"]
    assert set(breakdown) <= set(flops.KINDS)
    assert breakdown["add"] > 0 and breakdown["mul"] > 0
    assert math.isclose(sum(breakdown.values()), results["flops_per_lab_quarter"])
    assert "NUMBA_DISABLE_JIT" in results["flops_method"]


@pytest.mark.slow
def test_machine_and_json(results):
    machine = results["machine"]
    for key in ("cpu_count", "python", "numba", "numpy"):
        assert machine[key], key
    assert results["quick"] is True
    json.dumps(results)  # the CLI prints it with --json


@pytest.mark.slow
def test_render_lists_each_target(results):
    text = render(results)
    assert text.count("PASS") + text.count("FAIL") == len(TARGETS)
    assert "targets met" in text and "checks: campaigns_finished yes" in text


@pytest.mark.slow
def test_markdown_has_a_row_per_headline_figure_and_every_target(results):
    text = markdown(results)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    for key in TARGETS:
        assert any(f"`{key}`" in row for row in rows), key
    assert all(row.count("|") == 6 for row in rows)
    assert f"{len(TARGETS)}/{len(TARGETS)} targets met" in text or "**missed**" in text
    assert results["machine"]["date"] in text and results["machine"]["cpu_model"] in text


# --- checks -----------------------------------------------------------------------------------
def test_a_failed_check_is_an_error_naming_it_and_a_contract_is_reported():
    checks: dict = {}
    harness.check(checks, "states_finite", np.isfinite([1.0, 2.0]).all(), "never shown")
    assert checks == {"states_finite": True}
    with pytest.raises(BenchError, match=r"check states_finite failed: single quarter: bad"):
        harness.check(checks, "states_finite", np.isfinite([1.0, math.nan]).all(), "single quarter: bad")
    harness.check(checks, "serial_matches_parallel", np.array_equal([1.0], [2.0]))  # reported, not raised
    harness.check(checks, "serial_matches_parallel", True)
    assert checks["serial_matches_parallel"] is False  # a check made twice holds only if it held both times


def test_a_replay_that_differs_from_its_recording_is_an_error():
    labs, worlds = np.ones((4, 5, F.LAB_FIELDS)), np.ones((4, F.WORLD_FIELDS))
    checks: dict = {}
    engine.check_replay(checks, "parallel", labs, worlds, labs.copy(), worlds.copy())
    assert checks == {"replay_matches": True}
    off = labs.copy()
    off[2, 1, 0] = np.nextafter(1.0, 2.0)  # one bit
    with pytest.raises(BenchError, match=r"replay_matches failed: replay \(serial\)"):
        engine.check_replay(checks, "serial", labs, worlds, off, worlds.copy())


def test_a_campaign_that_did_not_finish_is_an_error():
    played = np.array([12, 20])
    worlds = np.zeros((2, F.WORLD_FIELDS))
    worlds[:, F.QUARTER] = played
    worlds[:, F.GAME_OVER] = 1.0
    labs = np.zeros((2, 5, F.LAB_FIELDS))
    checks: dict = {}
    engine._check_campaigns(checks, "parallel", labs, worlds, played, 32)
    assert checks == {"campaigns_finished": True, "states_finite": True}
    worlds[1, F.GAME_OVER] = 0.0
    with pytest.raises(BenchError, match=r"campaigns_finished failed: .*1 games did not finish"):
        engine._check_campaigns(checks, "parallel", labs, worlds, played, 32)
    worlds[1, F.GAME_OVER] = 1.0
    labs[0, 0, 0] = math.inf
    with pytest.raises(BenchError, match="states_finite failed"):
        engine._check_campaigns({}, "serial", labs, worlds, played, 32)


def test_a_tournament_short_of_its_games_is_an_error():
    bots = ("a", "b")
    summary = {"games": 10, "bots": [{"name": b, "games": 10, "seats": 25, "errors": 0, "invalids": 0, "timeouts": 0,
                                      "forfeits": 0} for b in bots]}
    checks: dict = {}
    tournament.check_complete(checks, 10, bots, summary, summary, 50)
    assert checks == {"tournament_games_complete": True}
    with pytest.raises(BenchError, match=r"tournament_games_complete failed: .*holds 49 rows"):
        tournament.check_complete(checks, 10, bots, summary, summary, 49)
    summary["bots"][1]["timeouts"] = 1
    with pytest.raises(BenchError, match="tournament_games_complete failed: .*timeouts"):
        tournament.check_complete({}, 10, bots, summary, summary, 50)


def test_results_without_a_check_are_an_error():
    made = {name: False for name in runner.CHECKS}
    assert list(runner.ordered_checks(dict(reversed(made.items())), python_bot=True)) == list(runner.CHECKS)
    assert "python_bot_games_finished" not in runner.ordered_checks(made, python_bot=False)
    del made["replay_matches"]
    with pytest.raises(BenchError, match="never made.*replay_matches"):
        runner.ordered_checks(made, python_bot=True)


# --- child processes ----------------------------------------------------------------------------
def test_a_child_that_fails_or_prints_nothing_is_an_error():
    with pytest.raises(BenchError, match="child process failed:\n.*usage: python -m blitzgame.bench.child"):
        harness.run_child(harness.child_argv("no-such-child"), False, "broken child")
    with pytest.raises(BenchError, match="printed no result"):
        harness.run_child(["-c", "pass"], False, "silent child")
    result, wall = harness.run_child(["-c", "print('{\"done\": 1.5}')"], False, "a child")
    assert result == {"done": 1.5} and wall > 0.0


def test_children_read_bytecode_as_an_installed_game_does(monkeypatch):
    """A shell that forbids writing bytecode would have every timed child compile the game's source
    at each launch: the children get a folder of compiled bytecode instead, never the source tree."""
    monkeypatch.setattr(harness, "_BYTECODE", [])
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    assert "PYTHONPYCACHEPREFIX" not in harness.child_env(False)  # Python's own caching: nothing to do
    assert "Python caches" in harness.bytecode_note()
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = harness.child_env(False)
    folder = Path(env["PYTHONPYCACHEPREFIX"])
    assert "PYTHONDONTWRITEBYTECODE" not in env and harness.child_env(True)["PYTHONPYCACHEPREFIX"] == str(folder)
    engine = Path(harness.__file__).resolve().parents[1] / "engine"  # mirrored under the folder
    assert list(folder.joinpath(*engine.parts[1:]).glob("turn.*.pyc")), "the game was compiled into it"
    assert "temporary folder" in harness.bytecode_note()


def test_the_child_module_is_as_light_as_a_bare_start():
    loaded = loaded_after("import blitzgame.bench.child")
    assert not {"numpy", "numba", "textual", "pydantic"} & set(loaded), loaded


def test_the_kernels_import_nothing_from_the_rest_of_the_benchmark():
    """The compile cache fingerprints kernels.py and what it imports at top level: the rest of the
    package must be free to change without invalidating the compiled code."""
    tree = ast.parse(Path(kernels.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "a relative import"
            imported.add(node.module)
    assert not [name for name in imported if name.startswith("blitzgame.bench")]
    assert all(name in ("math", "numpy", "numba") or name.startswith("blitzgame.engine") for name in imported), imported


# --- the Python bot -----------------------------------------------------------------------------
def test_python_bot_is_skipped_without_the_example(monkeypatch, tmp_path):
    monkeypatch.setattr(python_bot, "EXAMPLE_BOT_FILE", tmp_path / "examples" / "momentum_bot.py")
    checks: dict = {}
    out = python_bot.measure(1, checks)
    assert list(out) == ["python_bot_note"] and checks == {}
    assert "not here" in out["python_bot_note"]


def test_python_bot_that_fails_is_reported_not_timed(monkeypatch, tmp_path):
    bot = tmp_path / "momentum_bot.py"
    bot.write_text("from blitzgame.bots import Bot\n\n\nclass MomentumBot(Bot):\n"
                   "    def decide(self, obs):\n        raise RuntimeError('broken on purpose')\n")
    monkeypatch.setattr(python_bot, "EXAMPLE_BOT_FILE", bot)
    checks: dict = {}
    out = python_bot.measure(1, checks)
    assert list(out) == ["python_bot_note"] and checks == {}
    assert "went wrong" in out["python_bot_note"] and "broken on purpose" in out["python_bot_note"]


# --- the flop counter and the floor ---------------------------------------------------------------
def test_counting_float_counts_arithmetic_only():
    flops.Count.reset()
    x = flops.Flop(2.0)
    y = (x + 1.0) * 3.0 / x - 0.5
    assert isinstance(y, flops.Flop)
    assert x < y and max(x, y) is y and isinstance(abs(-x), flops.Flop)
    assert flops.Count.take() == {"add": 2, "mul": 1, "div": 1, "exp": 0, "log10": 0}


def test_floor_does_its_budget_exactly(monkeypatch):
    flops.Count.reset()
    row = flops.flop_array(np.ones(20))
    budget = {"add": 57, "mul": 13, "div": 6, "exp": 2, "log10": 3}
    monkeypatch.setattr(kernels, "math", flops.CountingMath())
    kernels.floor_lab.py_func(row, flops.flop_array(kernels.floor_coef()), *budget.values())
    assert flops.Count.take() == budget
    assert all(math.isfinite(v) and v != 0.0 for v in row[:14])
