"""The environments' benchmark figures come from work that happened (no timing targets here:
``blitzgame bench`` judges those on a quiet machine)."""

import math

from blitzgame.bench import TARGETS, report
from blitzgame.bench import envs as bench_envs

FIGURES = ("pettingzoo_rps_steps_per_s", "env_steps_per_s", "batched_env_steps_per_s", "env_vs_rps_ratio",
           "batched_vs_rps_ratio")


def test_every_figure_is_there_finite_and_positive(monkeypatch):
    monkeypatch.setitem(bench_envs.SIZES, "single_steps", {True: 300, False: 300})  # tiny: no timing is judged
    monkeypatch.setitem(bench_envs.SIZES, "batch_games", {True: 64, False: 64})
    monkeypatch.setitem(bench_envs.SIZES, "batch_steps", {True: 12, False: 12})
    results = bench_envs.measure(quick=True)
    for key in FIGURES:
        value = results[key]
        assert isinstance(value, float) and math.isfinite(value) and value > 0, (key, value)
    assert math.isclose(results["env_vs_rps_ratio"], results["env_steps_per_s"] / results["pettingzoo_rps_steps_per_s"])
    assert math.isclose(results["batched_vs_rps_ratio"],
                        results["batched_env_steps_per_s"] / results["pettingzoo_rps_steps_per_s"])
    assert all(count > 0 for count in results["envs_episodes"].values())  # games reached their ends
    assert "rps_v2" in results["envs_method"] and "BatchedEnv" in results["envs_method"]


def test_the_targets_are_the_documented_ones_and_blitzgame_bench_has_them():
    assert bench_envs.TARGETS == {"env_vs_rps_ratio": (">=", 0.5), "batched_vs_rps_ratio": (">=", 50.0)}
    assert {key for key, _ in bench_envs.ROWS} == set(FIGURES)
    for key, target in bench_envs.TARGETS.items():
        assert TARGETS[key] == target
    assert set(FIGURES) <= {key for key, _ in report.ROWS}


def test_a_timed_loop_that_is_cut_short_is_an_error(monkeypatch):
    import pytest

    monkeypatch.setattr(bench_envs, "_parallel_loop", lambda env, steps, seed: (0.1, steps - 1, 1))
    monkeypatch.setitem(bench_envs.SIZES, "batch_games", {True: 8, False: 8})
    with pytest.raises(bench_envs.EnvBenchError, match="steps made"):
        bench_envs.measure(quick=True)
