"""Running tournaments: the files, identical results anywhere, resuming, and refusing to overwrite."""

import csv
import json
import shutil

import numpy as np
import pytest
from tournament_helpers import BUILTIN, make_config

from blitzgame.engine import layout as F
from blitzgame.tournament import runner
from blitzgame.tournament.backends import open_backend
from blitzgame.tournament.results import CSV_COLUMNS, Standings, csv_header
from blitzgame.tournament.runner import Interrupted, TournamentError, play_games, run_tournament, summarize

SUMMARY_KEYS = {"games", "seed", "scenario", "labs", "bots", "elapsed_s"}
BOT_KEYS = {"name", "bot_name", "games", "seats", "wins", "win_rate", "survival_rate", "mean_rank", "rating_mu", "rating_sigma",
            "errors", "invalids", "timeouts", "forfeits", "problems"}


def without_time(path) -> dict:
    summary = json.loads(path.read_text())
    summary.pop("elapsed_s")
    return summary


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """200 games between six built-in bots, uninterrupted, in this process."""
    base = tmp_path_factory.mktemp("reference")
    return run_tournament(make_config(base))


@pytest.fixture
def small_tasks(monkeypatch):
    """Tasks of 30 games, so a 200-game tournament has several to interrupt between."""
    monkeypatch.setattr(runner, "MIN_TASK_GAMES", 30)
    monkeypatch.setattr(runner, "MAX_TASK_GAMES", 30)


def assert_same_files(result, reference) -> None:
    assert result.games_csv.read_bytes() == reference.games_csv.read_bytes()
    assert without_time(result.summary_json) == without_time(reference.summary_json)


# --- the files -------------------------------------------------------------------------
def test_games_csv_has_the_contract_columns_and_a_row_per_lab_per_game(reference):
    with open(reference.games_csv, newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS == (
        "game", "seed", "scenario", "seat", "bot", "rank", "status", "score", "final_gpus", "gpus_y2", "q_10k",
        "music_stopped_q", "runway_at_stop", "regime", "stranded_share", "final_share", "quarters", "ended",
        "errors", "invalids", "timeouts", "forfeits")
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert len(body) == 200 * 5
    assert [int(r["game"]) for r in body[:10]] == [0] * 5 + [1] * 5
    assert [int(r["seat"]) for r in body[:5]] == [0, 1, 2, 3, 4]
    for game in range(200):
        lab_rows = body[game * 5:(game + 1) * 5]
        assert sorted(int(r["rank"]) for r in lab_rows) == [1, 2, 3, 4, 5]
        assert len({r["seed"] for r in lab_rows}) == 1 and len({r["music_stopped_q"] for r in lab_rows}) == 1
        assert len({(r["quarters"], r["ended"]) for r in lab_rows}) == 1  # the game's, on each of its rows
        quarters, ended, alive = int(lab_rows[0]["quarters"]), lab_rows[0]["ended"], sum(
            r["status"] == "alive" for r in lab_rows)
        assert (ended == "campaign end") == (quarters == 32) or ended == "escape velocity"
        assert ended != "last lab" or alive == 1
        assert ended != "no lab left" or alive == 0
    assert {r["bot"] for r in body} == set(BUILTIN)
    assert {r["status"] for r in body} <= {"alive", "bankrupt", "acquired"}
    assert {r["scenario"] for r in body} == {"base-2024"}
    assert {r["regime"] for r in body} <= {"undecided", "consolidation", "commoditization", "disruption"}
    assert {r["ended"] for r in body} >= {"campaign end", "escape velocity"}
    assert {r["errors"] for r in body} == {r["invalids"] for r in body} == {r["timeouts"] for r in body} == \
        {r["forfeits"] for r in body} == {"0"}
    never = [r for r in body if r["q_10k"] == ""]
    assert never and all(r["q_10k"] == "" or int(r["q_10k"]) >= 0 for r in body)
    for r in body:  # "never" is an empty cell, never -1
        assert (r["music_stopped_q"] == "") == (r["runway_at_stop"] == "")
        assert r["stranded_share"] == "" or 0.0 <= float(r["stranded_share"]) <= 1.0
        assert 0.0 <= float(r["final_share"]) <= 1.0
        float(r["score"]), float(r["final_gpus"]), float(r["gpus_y2"])  # noqa: B018


def test_summary_has_the_contract_fields(reference):
    summary = json.loads(reference.summary_json.read_text())
    assert SUMMARY_KEYS <= set(summary)
    assert summary["games"] == 200 and summary["seed"] == 11 and summary["labs"] == 5
    assert summary["scenario"] == "base-2024"
    assert [b["name"] for b in summary["bots"]] == list(BUILTIN)
    for bot in summary["bots"]:
        assert set(bot) == BOT_KEYS
        assert bot["games"] == 200 * 5 // 6 or abs(bot["games"] - 200 * 5 / 6) < 10
        assert 0.0 <= bot["win_rate"] <= 1.0 and 0.0 <= bot["survival_rate"] <= 1.0
        assert 1.0 <= bot["mean_rank"] <= 5.0 and bot["rating_sigma"] > 0.0
    assert sum(b["games"] for b in summary["bots"]) == 200 * 5
    assert sum(b["wins"] for b in summary["bots"]) == 200  # one winner a game
    assert reference.summary == summary


def test_a_game_of_the_tournament_is_the_game_sim_plays_with_its_seed(reference, world):
    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for, play_headless

    with open(reference.games_csv, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["game"] == "7"]
    game = play_headless(Game.new(world, seed=int(rows[0]["seed"]), labs=5), bots_for([r["bot"] for r in rows], 5))
    assert [int(r["rank"]) for r in rows] == [int(x) for x in game.state_labs[:, F.RANK]]
    assert [r["score"] for r in rows] == [str(round(float(x), 3) + 0.0) for x in game.state_labs[:, F.SCORE]]


# --- the same results anywhere -------------------------------------------------------------
def test_two_workers_write_the_same_files_as_one(tmp_path, reference, small_tasks, monkeypatch):
    used = []

    def recording(*args):
        used.append(open_backend(*args))
        return used[-1]

    monkeypatch.setattr(runner, "open_backend", recording)
    result = run_tournament(make_config(tmp_path, workers=2))
    assert [type(b).__name__ for b in used] == ["Processes"] and used[0].workers == 2
    assert_same_files(result, reference)


def test_play_games_returns_the_tournament_as_arrays_without_files(tmp_path, reference):
    config = make_config(tmp_path)
    results = play_games(config)
    assert not (tmp_path / "out").exists()
    assert results.games == 200 and results.seats.shape == (200, 5)
    assert np.array_equal(results.game, np.arange(200))
    text = csv_header() + results.csv_text(list(config.bots), "base-2024")
    assert text.encode() == reference.games_csv.read_bytes()
    summary = summarize(config, results)
    assert summary == without_time(reference.summary_json)
    part = play_games(config, 50, 80)
    assert np.array_equal(part.rank, results.rank[50:80]) and np.array_equal(part.seed, results.seed[50:80])


# --- resuming -------------------------------------------------------------------------------
def test_a_tournament_resumed_after_part_of_it_ends_as_an_uninterrupted_one(tmp_path, reference):
    run_tournament(make_config(tmp_path, games=120))
    result = run_tournament(make_config(tmp_path, games=200, resume=True))
    assert_same_files(result, reference)


def test_a_partial_row_left_by_a_crash_is_cut_off_on_resume(tmp_path, reference):
    first = run_tournament(make_config(tmp_path, games=120))
    with open(first.games_csv, "ab") as handle:
        handle.write(b"120,12345,base-2024,0,sprinter,1,al")  # the crash hit mid-line
    result = run_tournament(make_config(tmp_path, games=200, resume=True))
    assert_same_files(result, reference)


def test_ctrl_c_keeps_the_finished_games_and_resume_completes_them(tmp_path, reference, small_tasks, monkeypatch):
    calls = {"n": 0}
    real_add = Standings.add

    def add_then_stop(self, results):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        real_add(self, results)

    monkeypatch.setattr(Standings, "add", add_then_stop)
    with pytest.raises(Interrupted) as stop:
        run_tournament(make_config(tmp_path))
    assert stop.value.done == 90 and stop.value.total == 200
    checkpoint = json.loads((tmp_path / "out" / "checkpoint.json").read_text())
    assert checkpoint["games_done"] == 90
    assert len((tmp_path / "out" / "games.csv").read_bytes().splitlines()) == 1 + 90 * 5
    assert not (tmp_path / "out" / "summary.json").exists()
    monkeypatch.setattr(Standings, "add", real_add)
    result = run_tournament(make_config(tmp_path, resume=True))
    assert_same_files(result, reference)


def test_ctrl_c_again_while_the_finished_games_are_saved_does_not_lose_them(tmp_path, reference, small_tasks,
                                                                            monkeypatch):
    """Under `timeout -s INT` (the signal to the process and its group) or Ctrl-C pressed three
    times, a second interrupt cut the last checkpoint short: games.csv held 50 games, the
    checkpoint 18, and the message had no count and no resume hint."""
    import os
    import signal

    calls = {"n": 0}
    real_add, real_write = Standings.add, runner.Folder.write_checkpoint

    def add_then_stop(self, results):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        real_add(self, results)

    def interrupted_again(self, data):
        if calls["n"] >= 4:  # the save after the first Ctrl-C
            os.kill(os.getpid(), signal.SIGINT)
        real_write(self, data)

    monkeypatch.setattr(Standings, "add", add_then_stop)
    monkeypatch.setattr(runner.Folder, "write_checkpoint", interrupted_again)
    with pytest.raises(Interrupted) as stop:
        run_tournament(make_config(tmp_path))
    assert stop.value.done == 90
    assert json.loads((tmp_path / "out" / "checkpoint.json").read_text())["games_done"] == 90
    monkeypatch.setattr(Standings, "add", real_add)
    monkeypatch.setattr(runner.Folder, "write_checkpoint", real_write)
    assert_same_files(run_tournament(make_config(tmp_path, resume=True)), reference)


def test_ctrl_c_once_every_game_is_played_still_finishes_the_tournament(tmp_path, reference, monkeypatch):
    """A Ctrl-C landing after the last game (as the workers closed or the last checkpoint was
    written) read a bare "interrupted", with every game in games.csv and none in the checkpoint:
    a tournament whose games are all played is finished and saved."""
    import os
    import signal

    real_write = runner.Folder.write_checkpoint

    def interrupted_at_the_end(self, data):
        if data["games_done"] == 200:
            os.kill(os.getpid(), signal.SIGINT)
        real_write(self, data)

    monkeypatch.setattr(runner.Folder, "write_checkpoint", interrupted_at_the_end)
    result = run_tournament(make_config(tmp_path))
    assert json.loads((tmp_path / "out" / "checkpoint.json").read_text())["games_done"] == 200
    monkeypatch.setattr(runner.Folder, "write_checkpoint", real_write)
    assert_same_files(result, reference)


def test_resuming_a_finished_tournament_changes_nothing_and_more_games_extend_it(tmp_path, reference):
    shutil.copytree(reference.out, tmp_path / "out")
    again = run_tournament(make_config(tmp_path, resume=True))
    assert_same_files(again, reference)
    longer = run_tournament(make_config(tmp_path, games=230, resume=True))
    fresh = run_tournament(make_config(tmp_path, "fresh", games=230))
    assert_same_files(longer, fresh)


# --- refusing ---------------------------------------------------------------------------------
def test_an_out_folder_holding_a_tournament_is_not_overwritten(tmp_path, reference):
    shutil.copytree(reference.out, tmp_path / "out")
    before = (tmp_path / "out" / "games.csv").read_bytes()
    with pytest.raises(TournamentError, match="already holds a tournament.*--resume"):
        run_tournament(make_config(tmp_path))
    assert (tmp_path / "out" / "games.csv").read_bytes() == before


def test_a_backend_that_cannot_start_leaves_no_folder_behind(tmp_path, monkeypatch):
    """``--backend ray`` without Ray, say: the same command with another backend must then run."""
    def cannot(*_):
        raise ValueError("--backend ray needs Ray: pip install 'blitzgame[ray]'")

    monkeypatch.setattr(runner, "open_backend", cannot)
    with pytest.raises(ValueError, match="needs Ray"):
        run_tournament(make_config(tmp_path, games=10))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("change, message", [
    ({"seed": 12}, "--seed was 11, now 12"),
    ({"labs": 4}, "--labs was 5, now 4"),
    ({"bots": BUILTIN[:-1]}, "--bots was"),
    ({"scenario": "gpu-famine"}, "scenario differs"),
    ({"move_budget": 2.0}, "--move-budget was 1.0, now 2.0"),
])
def test_resuming_with_other_settings_is_refused(tmp_path, reference, change, message):
    shutil.copytree(reference.out, tmp_path / "out")
    with pytest.raises(TournamentError, match=message):
        run_tournament(make_config(tmp_path, resume=True, **change))


def test_resume_refuses_an_edited_csv_and_an_empty_folder(tmp_path, reference):
    shutil.copytree(reference.out, tmp_path / "out")
    path = tmp_path / "out" / "games.csv"
    path.write_bytes(path.read_bytes().replace(b",sprinter,1,", b",sprinter,2,", 1))
    with pytest.raises(TournamentError, match="does not match its checkpoint"):
        run_tournament(make_config(tmp_path, games=300, resume=True))
    with pytest.raises(TournamentError, match="nothing to resume"):
        run_tournament(make_config(tmp_path, "empty", resume=True))
    with pytest.raises(TournamentError, match="already holds 200 games"):
        shutil.rmtree(tmp_path / "out")
        shutil.copytree(reference.out, tmp_path / "out")
        run_tournament(make_config(tmp_path, games=100, resume=True))


def test_games_count_games_and_seats_count_seats():
    """Two bots in three seats: each plays every game, in one or two of its seats."""
    from dataclasses import fields

    import numpy as np

    from blitzgame.tournament.results import GameResults

    standings = Standings(2)
    seats = np.array([[0, 0, 1], [1, 1, 0]])
    rank = np.array([[1, 2, 3], [1, 3, 2]])
    zeros = np.zeros((2, 3), dtype=np.int64)
    results = GameResults(**{**{f.name: zeros for f in fields(GameResults)}, "seats": seats, "rank": rank,
                             "problem": np.full((2, 3, 4), "", dtype=object)})
    standings.add(results)
    a, b = standings.bots(["a", "b"])
    assert (a["games"], a["seats"], b["games"], b["seats"]) == (2, 3, 2, 3)
    assert a["wins"] == 1 and a["win_rate"] == pytest.approx(1 / 3), "rates are per seat"
