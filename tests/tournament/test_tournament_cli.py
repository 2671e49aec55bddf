"""``blitzgame tournament``: flags, one-line errors (exit 2), the results table, Ctrl-C (exit 130)."""

import json
from pathlib import Path

import pytest
from tournament_helpers import FLAKY, ROOT

from blitzgame.tournament import runner

BOTS = "sprinter,platform,integrator,pure,defender"


def test_a_tournament_prints_its_standings_and_writes_its_files(run_cli, tmp_path):
    out = tmp_path / "t"
    code, text, err = run_cli("--bots", BOTS, "--games", "40", "--labs", "5", "--seed", "3", "--workers", "1",
                              "--out", str(out))
    assert code == 0, err
    assert err == ""
    summary = json.loads((out / "summary.json").read_text())
    assert summary["games"] == 40 and summary["seed"] == 3
    assert "Tournament: 40 games of 5 labs (base-2024), seed 3, 5 bots" in text
    best = max(summary["bots"], key=lambda b: b["rating_mu"])
    table = text.splitlines()
    header = next(i for i, line in enumerate(table) if line.startswith("#"))
    assert table[header].split()[:3] == ["#", "Bot", "Rating"] and set(table[header + 1]) == {"─"}
    assert table[header + 2].split()[:2] == ["1", best["name"]]  # sorted by rating
    mu = f"{best['rating_mu']:.2f}"
    assert table[header + 2].index(mu) + len(mu) == table[header].index("Rating") + len("Rating")  # right-aligned
    assert "Errors" not in text  # no fault columns when no bot went wrong
    assert str(out / "games.csv") in text


def test_the_table_says_when_the_bots_played_different_numbers_of_games(run_cli, tmp_path):
    seven = "sprinter,platform,integrator,pure,defender,efficient,baseline"
    code, text, err = run_cli("--bots", seven, "--games", "36", "--out", str(tmp_path / "uneven"), "--quiet")
    assert code == 0, err
    assert ("The bots played 25 to 26 games each: the schedule seats every bot as often, in every seat alike, "
            "at each multiple of 35 games (and has every pair meet equally often every 735).") in " ".join(text.split())
    code, text, err = run_cli("--bots", seven, "--games", "35", "--out", str(tmp_path / "even"), "--quiet")
    assert code == 0 and "games each" not in text


def test_a_resume_needs_only_the_folder(run_cli, tmp_path):
    out = str(tmp_path / "t")
    assert run_cli("--bots", BOTS, "--games", "30", "--workers", "1", "--out", out, "--quiet")[0] == 0
    code, text, err = run_cli("--out", out, "--resume", "--games", "50", "--quiet")
    assert code == 0, err
    assert json.loads((tmp_path / "t" / "summary.json").read_text())["games"] == 50
    code, _, err = run_cli("--out", out, "--resume", "--seed", "4")
    assert code == 2 and "holds a different tournament: --seed was 0, now 4" in err


@pytest.mark.parametrize("argv, message", [
    ([], "--bots is required"),
    (["--bots", "baseline"], "--bots: a tournament needs at least 2 bots, got 1"),
    (["--bots", "baseline,nosuchbot"], "unknown bot 'nosuchbot'"),
    (["--bots", "baseline,baseline"], "named twice"),
    (["--bots", "baseline,missing.py:Bot"], "bot file missing.py not found"),
    (["--bots", BOTS, "--games", "0"], "--games: play at least 1 game, got 0"),
    (["--bots", BOTS, "--games", "many"], "--games: must be a whole number, got 'many'"),
    (["--bots", BOTS, "--games", "2.5"], "--games: must be a whole number"),
    (["--bots", BOTS, "--labs", "9"], "--labs: a game has 2 to 8 labs, got 9"),
    (["--bots", BOTS, "--labs", "1"], "--labs: a game has 2 to 8 labs, got 1"),
    (["--bots", BOTS, "--seed", "-1"], "--seed: the seed must be between 0 and"),
    (["--bots", BOTS, "--seed", str(2**63)], "--seed: the seed must be between 0 and"),
    (["--bots", BOTS, "--scenario", "atlantis"], "unknown scenario 'atlantis'"),
    (["--bots", BOTS, "--workers", "0"], "--workers: use at least 1 worker, got 0"),
    (["--bots", BOTS, "--move-budget", "0"], "--move-budget: must be more than 0 seconds, got 0"),
    (["--bots", BOTS, "--move-budget", "soon"], "--move-budget: must be a number of seconds, got 'soon'"),
    (["--bots", BOTS, "--move-budget", "nan"], "--move-budget"),
    (["--bots", BOTS, "--backend", "slurm"], "invalid choice: 'slurm'"),
    (["--bots", BOTS, "--address", "10.0.0.1:6379"], "--address is for --backend ray"),
    (["--bots", BOTS, "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["--bots", "sprinter,strategist,strategist@2", "--think", "2"], "makes strategist strategist@2, which --bots names"),
    (["--bots", "sprinter,strategist", "--think", "0"], "--think: a strategist's thought must be between 1 and 8"),
    (["--bots", "sprinter,strategist@9"], "a strategist thinks 1 to 8 times its default"),
    (["--bots", "sprinter,strategist,strategist@1"], "named twice"),  # the same bot
])
def test_every_bad_flag_is_one_line_and_exit_2(run_cli, tmp_path, argv, message):
    code, text, err = run_cli(*argv, "--out", str(tmp_path / "t"))
    assert code == 2
    assert text == ""
    assert err.startswith("blitzgame: error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "t").exists()


def test_resume_of_nothing_and_an_existing_out_are_refused(run_cli, tmp_path):
    code, _, err = run_cli("--out", str(tmp_path / "none"), "--resume")
    assert code == 2 and "nothing to resume" in err and err.count("\n") == 1
    out = str(tmp_path / "t")
    assert run_cli("--bots", BOTS, "--games", "10", "--workers", "1", "--out", out, "--quiet")[0] == 0
    code, _, err = run_cli("--bots", BOTS, "--games", "10", "--out", out)
    assert code == 2 and "already holds a tournament; continue it with --resume" in err


def test_ctrl_c_stops_with_130_and_says_how_to_resume(run_cli, tmp_path, monkeypatch):
    def interrupted(config, progress=False):
        raise runner.Interrupted(40, 100, tmp_path / "t")

    monkeypatch.setattr(runner, "run_tournament", interrupted)
    code, text, err = run_cli("--bots", BOTS, "--out", str(tmp_path / "t"))
    assert code == 130
    assert "interrupted after 40 of 100 games" in err
    assert f"blitzgame tournament --out {tmp_path / 't'} --resume" in err


def test_faults_show_in_the_table_when_a_bot_went_wrong(run_cli, tmp_path):
    code, text, err = run_cli("--bots", f"{FLAKY},baseline", "--games", "1", "--labs", "2", "--workers", "1",
                              "--move-budget", "0.2", "--out", str(tmp_path / "t"))
    assert code == 0, err
    assert "Errors" in text and "Forfeits" in text
    faults = text[text.index("Faults:"):].splitlines()
    assert faults[1].split() == ["Bot", "Errors", "Invalid", "Timeouts", "Forfeits"]
    assert faults[3].split()[0] == "flaky" and all(cell.isdigit() for cell in faults[3].split()[1:])
    assert all("baseline" not in line for line in faults[:4])  # only the bots that went wrong
    assert err.splitlines()[-1].startswith("blitzgame: flaky: ") and "(see Faults under the standings)" in err
    # --strict: the same tournament fails, for a script or CI to see
    code, text, err = run_cli("--bots", f"{FLAKY},baseline", "--games", "1", "--labs", "2", "--workers", "1",
                              "--move-budget", "0.2", "--out", str(tmp_path / "strict"), "--strict")
    assert code == 1 and "Faults:" in text
    assert err.rstrip().endswith("blitzgame: --strict: bots' answers were refused: exit status 1")
    code, _, err = run_cli("--bots", "baseline,greedy", "--games", "2", "--labs", "2", "--workers", "1",
                           "--out", str(tmp_path / "clean"), "--strict", "--quiet")
    assert code == 0 and "blitzgame: " not in err


def test_the_help_lists_every_flag(run_cli):
    code, text, _ = run_cli("--help")
    assert code == 0
    for name in ("--bots", "--games", "--labs", "--seed", "--scenario", "--workers", "--backend", "--address",
                 "--move-budget", "--out", "--resume", "--quiet", "--strict"):
        assert name in text


def test_a_user_bot_given_by_a_relative_path_resumes_from_another_folder(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = str(tmp_path / "t")
    bot = "examples/momentum_bot.py:MomentumBot"
    assert run_cli("--bots", f"{bot},baseline", "--games", "1", "--labs", "2", "--workers", "1", "--out", out,
                   "--quiet")[0] == 0
    monkeypatch.chdir(tmp_path)
    code, text, err = run_cli("--out", out, "--resume", "--games", "2")
    assert code == 0, err
    bots = json.loads((tmp_path / "t" / "summary.json").read_text())["bots"]
    assert [b["name"] for b in bots] == [bot, "baseline"]
    # named as it plays, as from the folder it was given in: not by a path that does not lead here
    assert [b["bot_name"] for b in bots] == ["momentum", "baseline"]
    assert any(line.split()[1:2] == ["momentum"] for line in text.splitlines()), text
    assert f"  momentum: {bot}" in text


def file_bot_tournament(run_cli, tmp_path, source: str, cls: str, rival: str, games: int = 2, labs: int = 2):
    """A small tournament (one worker) of the bot class ``cls`` written as ``source`` in a file of its
    own against ``rival``: the file's path and the tournament's folder."""
    bot = tmp_path / f"{cls.lower()}.py"
    bot.write_text(source)
    out = str(tmp_path / "t")
    assert run_cli("--bots", f"{bot}:{cls},{rival}", "--games", str(games), "--labs", str(labs), "--workers", "1",
                   "--out", out, "--quiet")[0] == 0
    return bot, out


def copied_bot_tournament(run_cli, tmp_path, rival: str):
    """A two-game tournament of a copy of the example bot against ``rival``; the copy's path and the folder."""
    return file_bot_tournament(run_cli, tmp_path, (ROOT / "examples" / "momentum_bot.py").read_text(), "MomentumBot",
                               rival)


def test_a_resume_is_refused_when_a_bots_code_changed_since_the_checkpoint(run_cli, tmp_path):
    bot, out = copied_bot_tournament(run_cli, tmp_path, "baseline")
    checkpoint = (tmp_path / "t" / "checkpoint.json").read_text()
    bot.write_text(bot.read_text() + "\n# a change\n")
    code, _, err = run_cli("--out", out, "--resume", "--games", "4", "--quiet")
    assert code == 2 and f"the code of {bot}:MomentumBot changed since" in err and "start a new tournament" in err
    assert (tmp_path / "t" / "checkpoint.json").read_text() == checkpoint, "nothing changed"


def as_an_older_blitzgame_wrote_it(out) -> Path:
    """Give the checkpoint in ``out`` the rules fingerprint of another Blitzgame; returns its path."""
    path = out / "checkpoint.json"
    checkpoint = json.loads(path.read_text())
    checkpoint["config"]["rules"] = "blitzgame:0.9:0123456789abcdef"
    path.write_text(json.dumps(checkpoint))
    return path


def test_a_resume_is_refused_when_blitzgames_own_code_or_data_changed(run_cli, tmp_path):
    """The same bots under other rules play other games: games checkpointed by another Blitzgame
    (an upgrade, or an edit to a source checkout) are not mixed with new ones."""
    _, out = copied_bot_tournament(run_cli, tmp_path, "baseline")
    path = as_an_older_blitzgame_wrote_it(tmp_path / "t")
    before = path.read_text()
    code, _, err = run_cli("--out", out, "--resume", "--games", "4", "--quiet")
    assert code == 2 and "Blitzgame's code or data changed since" in err and "blitzgame:0.9:0123456789abcdef" in err
    assert "start a new tournament" in err and path.read_text() == before, "nothing changed"


def test_the_table_names_a_file_bot_as_it_plays_and_its_file_once(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, text, err = run_cli("--bots", "examples/momentum_bot.py:MomentumBot,baseline", "--games", "2", "--labs", "2",
                              "--workers", "1", "--out", str(tmp_path / "t"))
    assert code == 0, err
    table = text.splitlines()
    assert any(line.split()[:2] in (["1", "momentum"], ["2", "momentum"]) for line in table)
    assert text.count("examples/momentum_bot.py:MomentumBot") == 1 and "  momentum: examples/momentum_bot.py" in text


def test_any_game_of_a_tournament_can_be_watched_again(run_cli, tmp_path, capsys):
    import csv

    out = str(tmp_path / "t")
    assert run_cli("--bots", "sprinter,defender,baseline", "--games", "6", "--labs", "3", "--seed", "5",
                   "--workers", "1", "--out", out, "--quiet")[0] == 0
    code, text, err = run_cli("--out", out, "--watch", "4")
    assert code == 0, err
    with open(tmp_path / "t" / "games.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["game"] == "4"]
    assert f"game seed {rows[0]['seed']}" in text and "Standings after" in text and "2024Q1" in text
    first = min(rows, key=lambda r: int(r["rank"]))
    assert [line for line in text.splitlines() if line.strip().startswith("1  ")][0].split()[-1] == \
        f"{float(first['score']):,.1f}"
    code, _, err = run_cli("--out", out, "--watch", "6")
    assert code == 2 and "has games 0..5, not 6" in err
    from blitzgame.cli import main

    assert main(["tournament", "watch", out, "4"]) == 0  # the same, as words
    assert capsys.readouterr().out == text
    assert main(["tournament", "watch", out]) == 2
    assert "give the tournament's folder and a game number" in capsys.readouterr().err
    assert main(["tournament", "watch", out, "4", "--quiet"]) == 0  # flags after the words
    assert "Standings after" in capsys.readouterr().out
    for words in (["--help"], [out, "4", "-h"]):  # help, not a usage error, wherever it is asked for
        assert main(["tournament", "watch", *words]) == 0
        shown = capsys.readouterr().out
        assert shown.startswith("usage: blitzgame tournament watch DIR GAME [--quiet]") and "--quiet" in shown
    assert main(["tournament", "watch", out, "four"]) == 2
    assert "GAME is a game's number in games.csv (0 = the first), got 'four'" in capsys.readouterr().err
    assert main(["tournament", "watch", str(tmp_path / "nowhere"), "0"]) == 2
    assert "nothing to watch: " in capsys.readouterr().err
    for flags in (["--resume"], ["--bots", "sprinter,defender"], ["--seed", "2"]):  # it plays the game as it was
        assert main(["tournament", "--out", out, "--watch", "1", *flags]) == 2
        assert f"{flags[0]} cannot go with it" in capsys.readouterr().err


def test_watching_a_game_plays_python_bots_as_the_tournament_did(run_cli, tmp_path, capsys):
    """In a process of their own: a bot that ends its process forfeits again, and the replay
    matches the game as games.csv ranked it (a forfeit after every other lab)."""
    _, out = file_bot_tournament(run_cli, tmp_path, "import os\nfrom blitzgame.bots import Bot, Orders\n\n\n"
                                 "class Dies(Bot):\n    def decide(self, obs):\n        if obs.quarter == 2:\n"
                                 "            os._exit(3)\n        return Orders(hire=1.0)\n", "Dies", "sprinter", labs=3)
    from blitzgame.cli import main

    assert main(["tournament", "watch", out, "0", "--quiet"]) == 0
    printed = capsys.readouterr()
    assert "quarters forfeited; first in 2024Q3: forfeited for the rest of the game: the bot's process died" in printed.out
    assert "blitzgame: Northstar AI (Dies): " in printed.err  # on stderr too, as sim says it
    assert "a seat that forfeited ranks after every seat that did not, whatever its lab's score:" in printed.out
    assert "does not end as games.csv recorded" not in printed.err


def test_the_problems_name_the_folder_and_a_game_to_watch(run_cli, tmp_path):
    bot = tmp_path / "negative.py"
    bot.write_text("from blitzgame.bots import Bot, Orders\n\n\nclass Negative(Bot):\n"
                   "    def decide(self, obs):\n        return Orders(hire=-1.0)\n")
    out = tmp_path / "t"
    code, printed, _ = run_cli("--bots", f"{bot}:Negative,sprinter", "--games", "2", "--labs", "3", "--workers", "1",
                               "--out", str(out))
    assert code == 0 and f"(watch a game with: blitzgame tournament watch {out} 0):" in printed


def test_a_first_run_says_it_is_compiling(run_cli, tmp_path, monkeypatch):
    import blitzgame._jit_cache as jit_cache

    monkeypatch.setattr(jit_cache, "is_warm", lambda *kernels: False)  # as on a fresh machine
    code, _, err = run_cli("--bots", "sprinter,defender", "--games", "2", "--labs", "2", "--workers", "1",
                           "--out", str(tmp_path / "t"))
    assert code == 0 and "compiling the engine's kernels for this version (once for each kind of game" in err
    code, _, err = run_cli("--bots", "sprinter,defender", "--games", "2", "--labs", "2", "--workers", "1",
                           "--out", str(tmp_path / "u"), "--quiet")
    assert code == 0 and "compiling the engine's kernels" in err  # --quiet drops the progress bar, not this


def test_the_kernels_a_command_needs_are_checked_one_by_one(tmp_path, monkeypatch):
    """After `sim` (the quarter and observations compiled) a first tournament still compiles its
    arena: the cache counts as warm for a command only when each kernel it needs is there."""
    import blitzgame._jit_cache as jit_cache
    from blitzgame.tournament.runner import ARENA_KERNELS

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert not jit_cache.is_warm() and jit_cache.compile_notice("turn.resolve_quarter")
    engine, bots = (tmp_path / next(f for f in jit_cache.cache_subfolders() if f.startswith(name + "_"))
                    for name in ("engine", "bots"))
    engine.mkdir()
    for name in ("turn.resolve_quarter", "figures.lab_figures"):
        (engine / f"{name}-123.py311.nbi").write_bytes(b"")
    assert jit_cache.is_warm() and jit_cache.is_warm("turn.resolve_quarter", "figures.lab_figures")
    assert not jit_cache.is_warm(*ARENA_KERNELS) and jit_cache.compile_notice(*ARENA_KERNELS)
    bots.mkdir()
    (bots / "arena.play_arena-40.py311.nbi").write_bytes(b"")
    assert jit_cache.is_warm(*ARENA_KERNELS) and jit_cache.compile_notice(*ARENA_KERNELS) == ""
    assert not jit_cache.is_warm("arena.play_arena_prange")  # a name is a kernel, not a prefix of another's


def test_a_tournament_looks_for_the_kernels_its_games_compile_and_no_others():
    """A tournament of a Python bot never plays the arena, so looking for it announced a compile on
    every run; one of built-in bots alone never makes observations."""
    from blitzgame.schemas.tournament import TournamentConfig
    from blitzgame.session.headless import POLICY_KERNELS, QUARTER_KERNELS, STRATEGIST_KERNELS, VIEW_KERNELS
    from blitzgame.tournament.config import prepare
    from blitzgame.tournament.runner import ARENA_KERNELS, kernels_to_play

    def kernels(bots: str, games: int = 10, start: int = 0):
        return kernels_to_play(prepare(TournamentConfig(bots=bots.split(","), games=games, labs=5)), start)

    momentum = str(ROOT / "examples" / "momentum_bot.py") + ":MomentumBot"
    assert kernels("sprinter,defender") == kernels("strategist,sprinter") == ARENA_KERNELS
    assert kernels(f"{momentum},sprinter") == QUARTER_KERNELS + VIEW_KERNELS + POLICY_KERNELS  # every game seats it
    six = f"{momentum},sprinter,defender,pure,platform,strategist"  # games of five of six: some without it
    assert kernels(six, games=60) == ARENA_KERNELS + QUARTER_KERNELS + VIEW_KERNELS + POLICY_KERNELS + STRATEGIST_KERNELS
    assert kernels(six, games=5) == QUARTER_KERNELS + VIEW_KERNELS + POLICY_KERNELS  # the first five: no strategist


def test_kernels_another_install_compiled_do_not_count(tmp_path, monkeypatch):
    """Another venv or checkout of the same version keeps its kernels in the same cache folder,
    under its own path: this install still has them to compile, and says so."""
    import blitzgame._jit_cache as jit_cache

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    elsewhere = tmp_path / "engine_0123456789abcdef0123456789abcdef01234567"  # another install's engine folder
    elsewhere.mkdir()
    (elsewhere / "turn.resolve_quarter-123.py311.nbi").write_bytes(b"")
    assert not jit_cache.is_warm() and not jit_cache.is_warm("turn.resolve_quarter")


def test_the_cache_folders_are_where_numba_puts_them():
    from numba.core.caching import _CacheLocator

    import blitzgame._jit_cache as jit_cache
    from blitzgame.bots import arena
    from blitzgame.engine import turn
    from blitzgame.envs import kernels

    expected = {_CacheLocator.get_suitable_cache_subpath(module.__file__) for module in (arena, turn, kernels)}
    assert expected <= set(jit_cache.cache_subfolders())


def test_watching_a_game_says_first_when_a_bots_code_changed_since(run_cli, tmp_path):
    bot, out = copied_bot_tournament(run_cli, tmp_path, "defender")
    code, _, err = run_cli("--out", out, "--watch", "1")
    assert code == 0 and "changed since" not in err
    bot.write_text(bot.read_text() + "\n# an edit\n")
    code, _, err = run_cli("--out", out, "--watch", "1")
    assert "note: the code of momentum changed since the tournament played" in err
    bot.write_text(bot.read_text().replace("0.33 if rising else 0.1", "0.9"))  # an edit that changes the game
    code, _, err = run_cli("--out", out, "--watch", "1")
    assert code == 1 and err.rstrip().endswith("does not end as games.csv recorded the game: the code of momentum "
                                               "changed since it played")


def test_watching_a_game_says_when_blitzgames_own_code_changed_since(run_cli, tmp_path):
    _, out = copied_bot_tournament(run_cli, tmp_path, "defender")
    as_an_older_blitzgame_wrote_it(tmp_path / "t")
    code, _, err = run_cli("--out", out, "--watch", "1")
    assert code == 0 and "note: Blitzgame's own code or data changed since the tournament played" in err


def test_a_slow_tournaments_pace_keeps_its_figures():
    """A bot author's 10 games in 26.7 s read "0 games/s"."""
    from blitzgame.tournament.cli import pace

    assert pace(2_000, 0.8) == ", 2,500 games/s"
    assert pace(10, 26.7) == ", 22 games/min"
    assert pace(3, 40.0) == ", 13.3 s a game"
    assert pace(10, 0.0) == ""


def test_watching_a_game_a_bot_does_not_replay_says_the_bot_is_not_deterministic(run_cli, tmp_path, capsys):
    """A bot that draws unseeded random numbers answers differently in the replay: the message says
    so (and how to draw them), not that a move budget was run over."""
    _, out = file_bot_tournament(run_cli, tmp_path, "import random\nfrom blitzgame.bots import Bot, Orders\n\n\n"
                                 "class Dice(Bot):\n    def decide(self, obs):\n        return Orders(equity=random."
                                 "random() * 0.2 * obs.me.valuation,\n                      hire=random.random() * 40.0)\n",
                                 "Dice", "sprinter", games=1)
    code, _, err = run_cli("--out", out, "--watch", "0", "--quiet")
    assert code == 1
    assert "a bot answered the same observations differently: a bot must be deterministic" in " ".join(err.split())
    assert "obs.seed" in err and "move budget" not in err


def test_a_bot_that_played_no_game_shows_no_rates(run_cli, tmp_path):
    seven = "sprinter,platform,integrator,pure,defender,efficient,baseline"
    out = tmp_path / "few"
    code, text, err = run_cli("--bots", seven, "--games", "1", "--out", str(out), "--quiet")
    assert code == 0, err
    idle = [b for b in json.loads((out / "summary.json").read_text())["bots"] if b["games"] == 0]
    assert idle and all(b["win_rate"] is b["survival_rate"] is b["mean_rank"] is None for b in idle)
    row = next(line for line in text.splitlines() if f" {idle[0]['name']} " in line)
    assert row.split()[-3:] == ["-", "-", "-"]  # win %, survived %, mean rank
