"""The TUI's benchmark figures are measured from work that happened (no timing targets here:
``blitzgame bench`` judges those on a quiet machine)."""

import math

import pytest

from blitzgame.bench import BenchError, harness
from blitzgame.bench import tui as bench_tui

FIGURES = ("tui_ready_ratio", "tui_ready_s", "bare_textual_ready_s", "quarter_to_report_ms", "orders_open_ms",
           "orders_first_open_ms")


@pytest.fixture(scope="module")
def results(quick_bench) -> dict:
    return quick_bench  # the quick benchmark's run, TUI figures included


@pytest.mark.slow
def test_every_tui_figure_is_there_finite_and_positive(results):
    for key in FIGURES:
        value = results[key]
        assert isinstance(value, float), key
        assert math.isfinite(value) and value > 0, (key, value)
    assert math.isclose(results["tui_ready_ratio"], results["tui_ready_s"] / results["bare_textual_ready_s"])
    assert results["tui_ready_runs"] == bench_tui.READY_RUNS[True]
    assert results["quarter_to_report_quarters"] == bench_tui.REPORT_QUARTERS[True]


@pytest.mark.slow
def test_each_figure_says_how_it_was_measured(results):
    assert "Ready" in results["tui_ready_method"] and "Header and Footer" in results["tui_ready_method"]
    assert "report" in results["quarter_to_report_method"]
    assert "first field focused" in results["orders_open_method"]


def test_the_targets_are_the_documented_ones():
    assert bench_tui.TARGETS == {"tui_ready_ratio": ("<=", 1.5), "quarter_to_report_ms": ("<=", 100.0),
                                 "orders_open_ms": ("<=", 100.0)}
    assert {key for key, _ in bench_tui.ROWS} == set(FIGURES)


def test_a_child_that_fails_is_an_error_not_a_number(tmp_path):
    env = bench_tui._child_env(str(tmp_path))
    with pytest.raises(bench_tui.TuiBenchError, match="failed"):
        bench_tui._launch_to_ready(["-c", "raise SystemExit(3)"], env, "broken child")
    with pytest.raises(bench_tui.TuiBenchError, match="did not report ready"):
        bench_tui._launch_to_ready(["-c", "pass"], env, "silent child")
    with pytest.raises(bench_tui.TuiBenchError, match="usage"):
        bench_tui._launch_to_ready(harness.child_argv("tui-nothing", 120, 40), env, "unknown child")


def test_blitzgame_bench_reports_a_tui_failure_as_its_own(monkeypatch):
    from blitzgame.bench import runner

    def fail(quick: bool) -> dict:
        raise bench_tui.TuiBenchError("no report drawn")

    monkeypatch.setattr(bench_tui, "measure", fail)
    with pytest.raises(BenchError, match="TUI: no report drawn"):
        runner._tui(quick=True)
