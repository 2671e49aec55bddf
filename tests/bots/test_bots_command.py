"""``blitzgame bots`` and ``sim --bots`` with bots from files: listings, one-line errors, bot trouble."""

import json
import re
from pathlib import Path

import pytest

from blitzgame.bots.base import available_bots
from blitzgame.cli import main

TROUBLE = Path(__file__).resolve().parent / "fixtures" / "trouble_bots.py"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "momentum_bot.py"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- blitzgame bots --------------------------------------------------------------------------
def test_bots_lists_every_built_in_bot_in_a_table(capsys):
    code, text, err = run(capsys, "bots")
    assert code == 0 and err == ""
    lines = text.splitlines()
    assert lines[0].split() == ["Bot", "Kind", "Origin", "Summary"]
    for name, cls in available_bots().items():
        [row] = [line for line in lines if line.startswith(f"{name} ")]
        assert " compiled " in row and " built-in " in row and row.endswith(cls.summary)
    assert set(lines[1]) == {"─"}  # a rule under the headers
    assert lines[2].index("built-in") == lines[0].index("Origin")  # aligned columns


def test_bots_json_is_a_list_with_installed_bots_after_the_built_ins(capsys, installed_bots):
    code, text, _ = run(capsys, "bots", "--json")
    assert code == 0 and text.count("\n") == 1
    listed = json.loads(text)
    assert [bot["name"] for bot in listed] == [*available_bots(), "broken", "demo"]
    assert all(set(bot) == {"name", "kind", "summary", "origin"} for bot in listed)
    demo = listed[-1]
    assert demo == {"name": "demo", "kind": "python", "summary": "Installed from a package: does nothing, politely.",
                    "origin": "entry point (blitz-demo-bots)"}
    assert listed[-2]["summary"].startswith("cannot be loaded: ")
    _, table, _ = run(capsys, "bots")
    assert "entry point (blitz-demo-bots)" in table  # the broken one does not break the table either


# --- sim --bots with any spec -----------------------------------------------------------------
BAD = [
    ("nope", "unknown bot 'nope'; choose one of: baseline"),
    ("baseline,missing.py:MyBot", "bot file missing.py not found"),
    (f"{TROUBLE}:NoDecideBot", "NoDecideBot does not implement decide"),
    (f"{TROUBLE}:Nope", "has no class 'Nope'"),
    (str(TROUBLE), "name the class after the file"),
]


@pytest.mark.parametrize("spec, expected", BAD, ids=[e[:30] for _, e in BAD])
def test_a_bad_bot_spec_is_one_line_and_exit_2(capsys, spec, expected):
    code, text, err = run(capsys, "sim", "--labs", "2", "--bots", spec)
    assert code == 2 and text == ""
    assert err.startswith("blitzgame: error: --bots: ") and err.count("\n") == 1
    assert expected in err and "Traceback" not in err


def test_a_bot_file_with_a_syntax_error_is_one_line(capsys, tmp_path):
    (tmp_path / "typo.py").write_text("class MyBot(Bot)\n    pass\n")
    code, _, err = run(capsys, "sim", "--bots", f"{tmp_path}/typo.py:MyBot")
    assert code == 2 and err.count("\n") == 1
    assert f"{tmp_path}/typo.py:1: SyntaxError: " in err


def test_a_crashing_bot_in_sim_plays_empty_orders_and_is_reported(capsys):
    code, text, err = run(capsys, "sim", "--labs", "2", "--seed", "3", "--quiet", "--bots", f"{TROUBLE}:FlakyBot,baseline")
    assert code == 0 and "Traceback" not in text + err
    assert "Standings after" in text
    [head] = [line for line in text.splitlines() if line.startswith("Python bots (FlakyBot): ")]
    assert head.endswith(" went wrong (those quarters the lab played empty orders):")
    [line] = [line for line in text.splitlines() if line.startswith("  ") and "(FlakyBot): " in line]
    assert "errors; first in 2024Q2: ZeroDivisionError: division by zero (trouble_bots.py:" in line
    assert "thinking out loud" in err and "thinking out loud" not in text  # a bot's prints go to stderr
    # ... and so do the faults (a report sent to a file does not hide them), with what makes them fail
    assert "blitzgame: Northstar AI (FlakyBot): " in err
    assert err.rstrip().endswith("those labs played empty orders in those quarters (--strict makes this exit 1)")


def test_sim_plays_the_example_bot_without_trouble(capsys):
    code, text, _ = run(capsys, "sim", "--labs", "3", "--seed", "11", "--bots", f"{EXAMPLE}:MomentumBot,baseline")
    assert code == 0
    head = (r"Python bots \(momentum\): \d+ decisions \(a lab.s quarter each\), [\d.]+ (s|ms) deciding, the slowest "
            r"[\d.]+ (s|ms|µs); every answer valid\.$")
    assert re.search(head, text.rstrip())
    code, raw, _ = run(capsys, "sim", "--labs", "3", "--seed", "11", "--json", "--bots", f"{EXAMPLE}:MomentumBot,baseline")
    assert [lab["bot"] for lab in json.loads(raw)["labs"]] == ["momentum", "baseline", "momentum"]


def test_sim_strict_fails_on_any_refused_answer_and_plain_sim_on_a_bot_never_played(capsys, tmp_path):
    code, _, err = run(capsys, "sim", "--labs", "2", "--seed", "3", "--quiet", "--strict", "--bots",
                       f"{TROUBLE}:FlakyBot,baseline")
    assert code == 1 and "blitzgame: " in err and "(FlakyBot): " in err
    assert err.rstrip().splitlines()[-1].startswith("blitzgame: --strict: ")  # why the exit status is 1
    assert err.rstrip().endswith("of the bots' answers were refused (those labs played empty orders those quarters): "
                                 "exit status 1")
    hopeless = tmp_path / "hopeless.py"
    hopeless.write_text("from blitzgame.bots import Bot\n\n\nclass Hopeless(Bot):\n    name = 'hopeless'\n\n"
                        "    def decide(self, obs):\n        return {'hire': -1}\n")
    code, text, err = run(capsys, "sim", "--labs", "2", "--seed", "3", "--quiet", "--bots", f"{hopeless}:Hopeless,baseline")
    assert code == 1 and "Standings after" in text
    assert "every answer of hopeless was refused: its labs played empty orders all game" in err
    assert run(capsys, "sim", "--labs", "2", "--seed", "3", "--quiet", "--strict")[0] == 0


def test_sim_json_says_what_went_wrong_in_the_object_and_on_stderr(capsys):
    code, raw, err = run(capsys, "sim", "--labs", "2", "--seed", "3", "--json", "--bots", f"{TROUBLE}:FlakyBot,baseline")
    assert code == 0  # some answers were played: only --strict fails on it
    problems = json.loads(raw)["bot_problems"]
    assert [(p["lab"], p["bot"]) for p in problems] == [("Northstar AI", "FlakyBot")]
    faults = problems[0]
    assert faults["errors"] + faults["invalids"] > 0 and faults["timeouts"] == faults["forfeits"] == 0
    assert faults["first"] and {"quarter", "outcome", "message"} == set(faults["first"][0])
    assert "blitzgame: Northstar AI (FlakyBot): 11 errors; first in 2024Q2: " in err  # (the JSON may go to a file)
    code, raw, err = run(capsys, "sim", "--labs", "2", "--seed", "3", "--json")
    assert json.loads(raw)["bot_problems"] == [] and err == ""


def test_orders_refused_inside_decide_are_reported_at_the_bots_own_line(capsys, tmp_path):
    bot = tmp_path / "strict_bot.py"
    bot.write_text("from blitzgame.bots import Bot, Orders\n\n\nclass Negative(Bot):\n    name = 'negative'\n\n"
                   "    def decide(self, obs):\n        return Orders(hire=-1.0)\n")
    code, _, err = run(capsys, "sim", "--labs", "2", "--seed", "3", "--quiet", "--bots", f"{bot}:Negative,baseline")
    assert code == 1
    assert "ValidationError: Orders: hire: Input should be greater than or equal to 0 (got -1.0) (strict_bot.py:8)" in err
