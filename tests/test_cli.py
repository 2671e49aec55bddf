"""The ``blitzgame`` command: reproducible output, the JSON contract, and one-line errors."""

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from blitzgame.cli import main
from blitzgame.session.saves import load_game

ROOT = Path(__file__).resolve().parent.parent
SIM = ["sim", "--seed", "7", "--labs", "3"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "blitzgame", *argv], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def sim_json() -> str:
    """``sim --json`` of a small game, from a separate process."""
    done = run_process(*SIM, "--json")
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- sim ---------------------------------------------------------------------------------
def test_the_same_seed_prints_the_same_bytes(capsys, sim_json):
    code, first, _ = run(capsys, *SIM, "--json")
    assert code == 0
    assert first == sim_json  # in this process and in another one


def test_another_seed_plays_another_game(capsys, sim_json):
    _, other, _ = run(capsys, "sim", "--seed", "8", "--labs", "3", "--json")
    assert other != sim_json


def test_sim_json_is_one_object_with_the_contract_keys(sim_json):
    assert sim_json.count("\n") == 1
    result = json.loads(sim_json)
    assert {"seed", "scenario", "quarters_played", "music_stopped", "regime", "labs", "history"} <= set(result)
    assert result["seed"] == 7 and result["scenario"] == "base-2024"
    assert len(result["labs"]) == 3
    for lab in result["labs"]:
        assert {"name", "bot", "status", "gpus", "cash", "share", "valuation", "score", "rank"} <= set(lab)
        assert lab["bot"] == "baseline" and lab["status"] in ("alive", "bankrupt", "acquired")
    assert sorted(lab["rank"] for lab in result["labs"]) == [1, 2, 3]
    assert len(result["history"]) == result["quarters_played"] > 0
    first = result["history"][0]
    assert first["label"] == "2024Q1"
    assert {"sentiment", "revenue_gap", "spot", "labs"} <= set(first)
    assert {"gpus", "cash", "share", "status"} <= set(first["labs"][0])
    assert result["music_stopped"] is None or result["music_stopped"][4] == "Q"


def test_bots_cycle_over_the_seats(capsys):
    _, text, _ = run(capsys, "sim", "--labs", "4", "--bots", "baseline,baseline", "--json")
    assert [lab["bot"] for lab in json.loads(text)["labs"]] == ["baseline"] * 4


def test_more_bots_than_labs_is_refused_not_dropped(capsys):
    code, text, err = run(capsys, "sim", "--labs", "3", "--bots", "baseline,sprinter,platform,defender")
    assert code == 2 and text == ""
    assert err == "blitzgame: error: --bots names 4 bots for 3 labs; name at most 3, or give --labs 4\n"


def test_the_report_shows_every_quarter_and_the_standings(capsys, sim_json):
    code, text, err = run(capsys, *SIM)
    result = json.loads(sim_json)
    assert code == 0 and err == ""
    previous = None
    for quarter in result["history"]:
        assert f"\n{quarter['label']}  sentiment" in text
        if previous is not None:  # each figure as the quarter started (what the bots saw) -> as it ended
            assert (f"\n{quarter['label']}  sentiment {previous['sentiment']:.2f} -> {quarter['sentiment']:.2f}  |  "
                    f"revenue gap {previous['revenue_gap']:.1f}x -> {quarter['revenue_gap']:.1f}x  |  "
                    f"GPU spot x{previous['spot']:.2f} -> x{quarter['spot']:.2f}\n") in text
        previous = quarter
    assert "Standings after" in text
    for lab in result["labs"]:
        assert lab["name"] in text
    # the score can be followed from what is printed: the founders' stake, and what the score is
    assert "Founders" in text and "Rounds sold dilute the stake" in text


def test_quiet_prints_only_the_standings(capsys):
    _, text, _ = run(capsys, *SIM, "--quiet")
    assert "sentiment" not in text and "Standings after" in text


def test_sim_save_writes_a_save_that_replay_prints(capsys, tmp_path, sim_json):
    path = tmp_path / "game.json"
    code, text, _ = run(capsys, *SIM, "--save", str(path))
    assert code == 0 and f"blitzgame replay {path}" in text
    game, bots = load_game(path)
    result = json.loads(sim_json)
    assert game.quarter == result["quarters_played"] and bots == ["baseline"] * 3

    code, text, err = run(capsys, "replay", str(path))
    assert code == 0 and err == ""
    assert "Verified" in text and "Standings after" in text
    for quarter in result["history"]:
        assert f"== {quarter['label']} " in text
    assert "  GPU market\n" in text and "    World: Vendors shipped" in text
    # a lab's news is its player's report ("You got ..."): shown addressed to the lab, not as said by it
    assert f"    To {game.names[0]}: You got " in text and f"    {game.names[0]}: You" not in text


def test_sim_json_with_save_still_prints_only_json(capsys, tmp_path):
    _, text, _ = run(capsys, *SIM, "--json", "--save", str(tmp_path / "g.json"))
    json.loads(text)
    assert (tmp_path / "g.json").is_file()


# --- other commands ----------------------------------------------------------------------
def test_scenarios_lists_every_built_in_scenario(capsys):
    from blitzgame.assets import scenario_ids

    code, text, _ = run(capsys, "scenarios")
    assert code == 0
    for name in scenario_ids():
        assert f"\n{name} " in text
    _, raw, _ = run(capsys, "scenarios", "--json")
    listed = json.loads(raw)["scenarios"]
    assert [s["id"] for s in listed] == scenario_ids()
    assert {"id", "title", "summary", "start", "quarters", "shocks", "difficulty"} <= set(listed[0])
    rivals = {s["id"]: s["difficulty"] for s in listed}  # whom a new game there draws its rivals from
    assert rivals["base-2024"] == "normal" and rivals["classroom-famine-crash"] == "expert"
    assert "Rivals" in text.splitlines()[0] and "expert: strategists" in text


def test_bench_prints_the_benchmark(capsys, monkeypatch):
    calls = []
    fake = types.ModuleType("blitzgame.bench")
    fake.run = lambda quick=False: calls.append(quick) or {"turns_per_s": 123.0}
    fake.render = lambda results: f"turns/s {results['turns_per_s']}"
    monkeypatch.setitem(sys.modules, "blitzgame.bench", fake)
    assert run(capsys, "bench", "--quick")[1] == "turns/s 123.0\n"
    assert json.loads(run(capsys, "bench", "--json")[1]) == {"turns_per_s": 123.0}
    assert calls == [True, False]


def test_help_and_version_exit_cleanly(capsys):
    assert run(capsys, "--help")[0] == 0
    assert run(capsys, "sim", "--help")[0] == 0
    code, text, _ = run(capsys, "--version")
    assert code == 0 and text.startswith("blitzgame ")


def test_no_command_prints_help(capsys):
    code, text, _ = run(capsys)
    assert code == 0 and "sim" in text and "replay" in text


# --- errors ------------------------------------------------------------------------------
BAD = [
    (["sim", "--seed", "abc"], "seed must be a whole number"),
    (["sim", "--seed", "-1"], "seed must be between 0 and"),
    (["sim", "--seed", str(2**63)], "seed must be between 0 and"),
    (["sim", "--labs", "99"], "2 to 8 labs"),
    (["sim", "--labs", "1"], "2 to 8 labs"),
    (["sim", "--scenario", "nope"], "unknown scenario 'nope'; choose one of: base-2024"),
    (["sim", "--scenario", "base-2024.toml"], "base-2024.toml: no such file; the built-in scenario is 'base-2024'"),
    (["sim", "--scenario", "gone/mine.toml"], "gone/mine.toml: no such file"),
    (["sim", "--bots", "nope"], "unknown bot 'nope'; choose one of: baseline"),
    (["sim", "--bots", ","], "name at least one bot"),
    (["sim", "--bots", "baseline,,sprinter"], "an empty bot name in 'baseline,,sprinter' (a comma too many?)"),
    (["class", "deadline", "room", "-3m"], "class deadline: '-3m' is negative; give a time from now like 5m"),
    (["class", "new", "room", "--teams", "2", "--shared", "--deadline", "-5m"],
     "--deadline: '-5m' is negative; give how long each quarter stays open"),
    (["sim", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["sim", "--save", "/no/such/folder/game.json"], "there is no folder"),
    (["teleport"], "invalid choice: 'teleport'"),
    (["replay"], "required: FILE"),
    (["replay", "missing.json"], "missing.json: no such save file"),
    (["play", "--new-rules"], "--new-rules goes with --load FILE"),
]


@pytest.mark.parametrize("argv, expected", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_a_bad_command_line_is_one_line_and_exit_2(capsys, argv, expected):
    code, text, err = run(capsys, *argv)
    assert code == 2 and text == ""
    assert err.count("\n") == 1 and err.startswith("blitzgame: error: ")
    assert expected in err and "Traceback" not in err


def test_replaying_a_corrupt_file_is_one_line_and_exit_2(capsys, tmp_path):
    path = tmp_path / "corrupt.json"
    path.write_text('{"format": "blitzgame-save", "version": 1, "orders": [[{')
    code, _, err = run(capsys, "replay", str(path))
    assert code == 2 and err.count("\n") == 1 and "truncated" in err


def test_playing_a_save_from_other_rules_says_how_to_play_it_on(capsys, tmp_path):
    """Refused in one line that names the way on (the TUI never opens)."""
    import json

    sim = run(capsys, "sim", "--seed", "4", "--quiet", "--save", str(tmp_path / "old.json"))
    assert sim[0] == 0
    path = tmp_path / "old.json"
    data = json.loads(path.read_text())
    data.update(rules="0.0.1:0123456789abcdef", digest="f" * 64)
    data["labs"][0]["bot"] = None  # a human's campaign
    path.write_text(json.dumps(data))
    code, text, err = run(capsys, "play", "--load", str(path))
    assert code == 2 and text == "" and err.count("\n") == 1
    assert "made under other rules (blitzgame 0.0.1)" in err and "add --new-rules" in err


def test_bench_renders_a_saved_run_and_refuses_what_is_not_one(capsys, tmp_path):
    saved = ROOT / "benchmarks" / "results.json"
    code, table, _ = run(capsys, "bench", "--markdown", "--from", str(saved))
    assert code == 0 and table.startswith("| figure | key | target | measured | result |")
    assert "targets met" in run(capsys, "bench", "--from", str(saved))[1]
    not_json, not_bench = tmp_path / "a.json", tmp_path / "b.json"
    not_json.write_text("{", encoding="utf-8")
    not_bench.write_text('{"turns": 1}', encoding="utf-8")
    for path, reason in ((not_json, "not the JSON"), (not_bench, "no targets or machine"),
                         (tmp_path / "none.json", "No such file")):
        code, printed, err = run(capsys, "bench", "--from", str(path))
        assert code == 2 and printed == "" and reason in err and err.count("\n") == 1
    code, _, err = run(capsys, "bench", "--quick", "--from", str(saved))
    assert code == 2 and "--quick has nothing to measure" in err


def test_a_missing_benchmark_is_one_line(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "blitzgame.bench", None)
    code, _, err = run(capsys, "bench")
    assert code == 2 and err == "blitzgame: error: the benchmark is not part of this installation\n"


@pytest.mark.parametrize("argv", [["sim", "--seed", "abc"], ["replay", "missing.json"], ["sim", "--labs", "99"]])
def test_errors_from_the_installed_command_are_one_line(argv):
    done = run_process(*argv)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("blitzgame: error: ")
    assert "Traceback" not in done.stderr


def test_a_lab_going_under_makes_the_headlines():
    from blitzgame.cli import key_news, quarter_block
    from blitzgame.cli_output import plain_lines
    from blitzgame.schemas.orders import Orders
    from blitzgame.session.game import Game

    game = Game.new("base-2024", seed=1, labs=3)
    reckless = Orders(rent=15000, hire=500, package=10)  # burns billions a quarter
    while game.state_labs[2, 0] == 0.0 and not game.over:
        game.submit(2, reckless)
        game.advance()
    fell = game.quarter - 1
    assert "Aurora Research is wound up: out of cash, and no rival bid more than a fire sale of its GPUs would fetch; " \
           "its founders lose all (M9)." in key_news(game, fell)
    if game.quarter < game.world.quarters:  # a quarter later its revenue is no longer news
        game.advance()
        [row] = [line for line in plain_lines(quarter_block(game, fell + 1)) if line.startswith("  Aurora Research ")]
        assert row.split()[-1] == "-"


def test_a_first_sim_says_it_is_compiling_and_json_stays_clean(capsys, monkeypatch):
    import blitzgame._jit_cache as jit_cache

    monkeypatch.setattr(jit_cache, "is_warm", lambda *kernels: False)  # as on a fresh machine
    code, _, err = run(capsys, "sim", "--labs", "2", "--quiet")
    assert code == 0 and "compiling the engine's kernels for this version (once for each kind of game" in err
    code, text, err = run(capsys, "sim", "--labs", "2", "--json")
    assert code == 0 and err == "" and json.loads(text)


def test_two_bots_under_one_name_are_told_apart_by_their_specs(capsys, tmp_path, monkeypatch):
    """A copied bot file whose ``name`` was kept: the standings say which file played each lab."""
    source = "from blitzgame.bots import Bot, Orders\n\n\nclass {cls}(Bot):\n    name = 'mybot'\n\n" \
             "    def decide(self, obs):\n        return Orders(hire={hire})\n"
    (tmp_path / "mybot.py").write_text(source.format(cls="MyBot", hire=5.0))
    (tmp_path / "mybot2.py").write_text(source.format(cls="MyBot2", hire=9.0))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "sim", "--bots", "mybot.py:MyBot,mybot2.py:MyBot2,sprinter", "--labs", "3", "--json")
    assert code == 0, err
    assert [lab["bot"] for lab in json.loads(out)["labs"]] == ["mybot.py:MyBot", "mybot2.py:MyBot2", "sprinter"]


def test_sim_json_winner_is_the_first_in_the_standings_as_in_the_python_api(capsys):
    import blitzgame

    code, out, err = run(capsys, "sim", "--bots", "sprinter,defender,pure", "--seed", "3", "--json")
    assert code == 0, err
    printed = json.loads(out)
    played = blitzgame.play(bots=["sprinter", "defender", "pure"], labs=5, seed=3)
    first = next(lab["name"] for lab in printed["labs"] if lab["rank"] == 1)
    assert printed["winner"] == first == played.winner
    assert printed["escape_velocity"] == (played.winner if played.standings.winner is not None else None)


def test_sim_at_a_difficulty_plays_the_game_the_python_api_plays(capsys):
    import blitzgame

    code, out, err = run(capsys, "sim", "--bots", "sprinter", "--difficulty", "hard", "--seed", "3", "--json")
    assert code == 0, err
    played = blitzgame.play(bots=["sprinter"], difficulty="hard", seed=3)
    assert [lab["bot"] for lab in json.loads(out)["labs"]] == played.bots
    code, _, err = run(capsys, "sim", "--difficulty", "brutal")
    assert code == 2 and "--difficulty: unknown difficulty 'brutal'" in err


@pytest.mark.parametrize("command", [["sim"], ["tournament", "--games", "4"]])
def test_a_bot_that_cannot_be_made_stops_the_command_before_it_plays(capsys, tmp_path, monkeypatch, command):
    (tmp_path / "initargs.py").write_text("from blitzgame.bots import Bot, Orders\n\n\nclass InitArgs(Bot):\n"
                                          "    def __init__(self, aggression):\n        self.aggression = aggression\n\n"
                                          "    def decide(self, obs):\n        return Orders()\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *command, "--bots", "initargs.py:InitArgs,sprinter", *(
        ["--out", str(tmp_path / "t")] if command[0] == "tournament" else []))
    assert code == 2 and out == "" and not (tmp_path / "t").exists()
    assert err.startswith("blitzgame: error: --bots: bot 'initargs.py:InitArgs' could not be created: TypeError:")
    assert "(making InitArgs() at initargs.py:4: a bot is made with no arguments)" in err
