"""The README's "Writing a bot" section stays true: its bot, its Python API calls and its
tests run as printed, the tests from their own file beside the bot's, as a bot author saves them."""

import subprocess
import sys

from readme_tools import README, python_blocks


def blocks() -> list[str]:
    return python_blocks("Writing a bot")


def test_the_bot_plays_as_printed():
    bot, play = (b for b in blocks() if "class MyBot" in b or "blitzgame.play(" in b)
    namespace: dict = {"__name__": "mybot"}
    exec(compile(bot + "\n" + play, str(README), "exec"), namespace)
    assert namespace["played"].bots[0] == "mybot" and namespace["played"].game.over


def test_the_tests_run_from_their_own_file(tmp_path):
    bot = next(b for b in blocks() if "class MyBot" in b)
    tests = next(b for b in blocks() if "def test_" in b)
    assert tests.startswith("from ") and "from mybot import MyBot" in tests  # a file that runs as it is saved
    (tmp_path / "mybot.py").write_text(bot, encoding="utf-8")
    (tmp_path / "test_mybot.py").write_text(tests, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mybot.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout + run.stderr
