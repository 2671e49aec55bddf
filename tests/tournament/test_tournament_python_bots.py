"""Tournaments with Python bots: played through seats, faults counted, results the same anywhere."""

import csv
import json

import numpy as np
import pytest
from tournament_helpers import FLAKY, IDLE, MOMENTUM, make_config

from blitzgame.bots.arena import STAT_FIELDS
from blitzgame.bots.sandbox import open_seat
from blitzgame.session.world import default_setups
from blitzgame.tournament import runner
from blitzgame.tournament.batch import play_batch
from blitzgame.tournament.play import play_seated_game
from blitzgame.tournament.runner import run_tournament


@pytest.mark.parametrize("lineup", [("sprinter", "platform", "integrator", "pure", "defender"),
                                    ("baseline", "baseline", "greedy", "random", "efficient")])
def test_a_game_played_through_seats_equals_the_compiled_batch(world, lineup):
    """User-bot games keep the same figures as compiled ones (the bookkeeping is mirrored)."""
    setups = default_setups(world, 5)
    names = tuple(dict.fromkeys(lineup))
    for seed in (3, 4):
        batch = play_batch(world, setups, names, np.array([[names.index(b) for b in lineup]]),
                           np.array([seed], dtype=np.uint64))
        stats, faults = np.zeros((5, STAT_FIELDS)), np.zeros((5, 4), dtype=np.int64)
        seats = [open_seat(b, None) for b in lineup]
        game = play_seated_game(world, setups, seed, seats, stats, faults)
        assert np.array_equal(game.state_labs, batch.labs[0]) and np.array_equal(game.state_world, batch.worlds[0])
        assert np.array_equal(stats, batch.stats[0]) and game.quarter == batch.played[0]
        assert not faults.any()


def test_a_bot_that_misbehaves_is_counted_and_a_forfeit_ranks_last(tmp_path):
    config = make_config(tmp_path, bots=(FLAKY, "baseline", "greedy"), games=3, labs=3, move_budget=0.2)
    result = run_tournament(config)
    flaky = result.summary["bots"][0]
    assert flaky["name"] == FLAKY and flaky["bot_name"] == "flaky"  # the spec, and the name it plays under
    assert [b["bot_name"] for b in result.summary["bots"][1:]] == ["baseline", "greedy"]
    # every game: quarter 1 raises, 2 is invalid, 3 is too slow, 4 its process dies
    assert (flaky["errors"], flaky["invalids"], flaky["timeouts"], flaky["forfeits"]) == (3, 3, 3, 3)
    assert flaky["wins"] == 0 and flaky["mean_rank"] == 3.0 and flaky["survival_rate"] == 0.0
    # summary.json says what went wrong: each game's first fault, where to watch it
    kinds = [(p["kind"], p["game"], p["seat"], p["message"].split(":")[0]) for p in flaky["problems"]]
    seat = _seat_of(result, 0, FLAKY)
    assert kinds[:4] == [("errors", 0, seat, "2024Q1"), ("invalids", 0, seat, "2024Q2"),
                         ("timeouts", 0, seat, "2024Q3"), ("forfeits", 0, seat, "2024Q4")]
    assert "RuntimeError: boom (trouble_bots.py:21)" in flaky["problems"][0]["message"]
    assert len(flaky["problems"]) == 5 and flaky["problems"][4]["game"] == 1
    for other in result.summary["bots"][1:]:
        assert (other["errors"], other["invalids"], other["timeouts"], other["forfeits"]) == (0, 0, 0, 0)
        assert other["problems"] == []
    with open(result.games_csv, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["bot"] == FLAKY]
    assert len(rows) == 3
    assert {(r["status"], r["rank"], r["errors"], r["invalids"], r["timeouts"], r["forfeits"]) for r in rows} == \
        {("forfeited", "3", "1", "1", "1", "1")}


def _seat_of(result, game: int, bot: str) -> int:
    with open(result.games_csv, newline="") as handle:
        return next(int(r["seat"]) for r in csv.DictReader(handle) if r["game"] == str(game) and r["bot"] == bot)


def test_python_bots_give_the_same_files_with_one_worker_or_two(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "SEATED_TASK_GAMES", 2)  # two tasks: one per worker
    one = run_tournament(make_config(tmp_path, "one", bots=(MOMENTUM, IDLE, "baseline"), games=4, labs=3))
    two = run_tournament(make_config(tmp_path, "two", bots=(MOMENTUM, IDLE, "baseline"), games=4, labs=3,
                                     workers=2))
    assert one.games_csv.read_bytes() == two.games_csv.read_bytes()
    first, second = json.loads(one.summary_json.read_text()), json.loads(two.summary_json.read_text())
    first.pop("elapsed_s"), second.pop("elapsed_s")
    assert first == second
    assert first["bots"][0]["games"] == 4 and first["bots"][0]["errors"] == 0
