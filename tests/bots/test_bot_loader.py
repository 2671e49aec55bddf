"""Loading bots by name, by installed entry point and by file, and the one-line errors when it fails."""

import re
import sys
from pathlib import Path

import pytest

from blitzgame.bots import loader
from blitzgame.bots.base import Bot, available_bots
from blitzgame.bots.loader import (
    BotInfo,
    BotLoadError,
    bot_name,
    canonical_spec,
    code_fingerprint,
    is_compiled,
    list_bots,
    load_bot_class,
    make_bot,
)
from blitzgame.bots.sandbox import InProcessSeat, SandboxSeat, open_seat

TROUBLE = Path(__file__).resolve().parent / "fixtures" / "trouble_bots.py"


def trouble(name: str) -> str:
    """The spec of a bot class in ``fixtures/trouble_bots.py``."""
    return f"{TROUBLE}:{name}"


# --- the three ways to name a bot ------------------------------------------------------------
def test_a_built_in_name_loads_the_registered_class():
    for name, cls in available_bots().items():
        assert load_bot_class(name) is cls
        assert is_compiled(name) and bot_name(name) == name
    first, second = make_bot("baseline"), make_bot("baseline")
    assert first is not second and type(first) is type(second)


def test_a_file_spec_loads_the_class_from_the_file():
    cls = load_bot_class(trouble("TroubleBot"))
    assert issubclass(cls, Bot) and cls.__name__ == "TroubleBot"
    assert not is_compiled(trouble("TroubleBot"))
    assert bot_name(trouble("TroubleBot")) == "TroubleBot"  # keeps Bot's default name: its class name
    assert bot_name(trouble("CalmBot")) == "calm"  # names itself


def test_a_relative_path_is_read_from_the_current_folder_and_imported_once(monkeypatch):
    absolute = load_bot_class(trouble("CalmBot"))
    monkeypatch.chdir(TROUBLE.parent.parent)
    relative = "fixtures/trouble_bots.py:CalmBot"
    assert canonical_spec(relative) == trouble("CalmBot")
    assert load_bot_class(relative) is absolute is load_bot_class(f" {relative} ")
    # two classes of one file share one module
    assert load_bot_class("fixtures/trouble_bots.py:TroubleBot").__module__ == absolute.__module__


def test_make_bot_gives_a_fresh_instance_each_time():
    first, second = make_bot(trouble("TroubleBot")), make_bot(trouble("TroubleBot"))
    assert first is not second and first.calls == second.calls == 0


def test_an_installed_entry_point_loads_and_is_listed(installed_bots):
    cls = load_bot_class("demo")
    assert cls.__name__ == "DemoBot" and not is_compiled("demo")
    listed = {info.name: info for info in list_bots()}
    assert listed["demo"] == BotInfo("demo", "python", "Installed from a package: does nothing, politely.",
                                     "entry point (blitz-demo-bots)")
    assert list(listed)[:len(available_bots())] == list(available_bots())  # built-ins first
    assert all(listed[name].origin == "built-in" and listed[name].kind == "compiled" for name in available_bots())


def test_an_installed_bots_fingerprint_follows_its_version_and_its_source(installed_bots):
    """An editable install changes its code, not its version: a tournament must not resume over it."""
    before = code_fingerprint("demo")
    assert before.startswith("blitz_demo_bots:1.0:")  # the distribution's version, found by its module's name
    assert code_fingerprint("demo") == before
    module = installed_bots / "blitz_demo_bots.py"
    module.write_text(module.read_text().replace("return Orders()", "return Orders(hire=1)"))
    assert code_fingerprint("demo") != before


def test_a_bot_packages_fingerprint_covers_its_data_files_not_its_caches(tmp_path, monkeypatch):
    """A learned bot's weights are its code as much as its ``.py`` files are: new weights are a new
    bot. Python's and numba's caches are not."""
    import importlib

    package = tmp_path / "weighted_bot"
    (package / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("WEIGHTS = 'weights.json'\n")
    weights = package / "weights.json"
    weights.write_text("[1, 2]")
    cached = package / "__pycache__" / "policy.cpython-311.pyc"
    cached.write_bytes(b"one")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "weighted_bot", importlib.import_module("weighted_bot"))
    before = loader._source_hash("weighted_bot")
    cached.write_bytes(b"two")
    (package / "policy.nbi").write_bytes(b"numba's index")
    assert loader._source_hash("weighted_bot") == before
    weights.write_text("[1, 3]")
    assert loader._source_hash("weighted_bot") != before


def test_a_built_in_bots_fingerprint_is_the_games_own():
    """A built-in bot is Blitzgame's engine, policies and numbers: its fingerprint is the rules'."""
    assert code_fingerprint("sprinter") == code_fingerprint("baseline") == loader.rules_fingerprint()
    assert loader.rules_fingerprint().startswith("blitzgame:")


def test_a_broken_entry_point_is_listed_with_its_error_and_refused_when_named(installed_bots):
    broken = {info.name: info for info in list_bots()}["broken"]
    assert broken.origin == "entry point (blitz-demo-bots)"
    assert broken.summary.startswith("cannot be loaded: ") and "No module named 'blitz_demo_missing'" in broken.summary
    with pytest.raises(BotLoadError) as caught:
        load_bot_class("broken")
    assert str(caught.value) == ("bot 'broken' (entry point blitz_demo_missing:NoSuchBot from blitz-demo-bots): "
                                 "ModuleNotFoundError: No module named 'blitz_demo_missing'")


def test_unknown_names_list_every_name_that_would_work(installed_bots):
    with pytest.raises(BotLoadError) as caught:
        load_bot_class("nope")
    message = str(caught.value)
    assert message.startswith("unknown bot 'nope'; choose one of: ")
    for name in [*available_bots(), "demo", "broken"]:
        assert name in message
    assert "path/to/file.py:ClassName" in message
    with pytest.raises(BotLoadError, match="unknown bot 'stratgist'; did you mean 'strategist'\\? choose one of: "):
        load_bot_class("stratgist")
    with pytest.raises(BotLoadError, match="'strategist@9': a strategist thinks 1 to 8 times its default"):
        load_bot_class("strategist@9")
    with pytest.raises(BotLoadError, match="only a strategist takes @N .* sprinter is a scripted bot"):
        load_bot_class("sprinter@2")


def test_a_bot_file_named_without_py_is_pointed_at_the_file(tmp_path, monkeypatch):
    (tmp_path / "mybot.py").write_text("from blitzgame.bots import Bot\n\n"
                                       "class MyBot(Bot):\n    def decide(self, obs):\n        return {}\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BotLoadError, match=re.escape("unknown bot 'mybot:MyBot'; did you mean 'mybot.py:MyBot' (a bot "
                                                     "file's name ends in .py)? choose one of: ")):
        load_bot_class("mybot:MyBot")


# --- every way it can fail, one line each ------------------------------------------------------
def _write(tmp_path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text)
    return str(tmp_path / name)


FAILURES = [
    (lambda tmp: "nope", "unknown bot 'nope'; choose one of: baseline"),
    (lambda tmp: "", "name a bot"),
    (lambda tmp: f"{tmp}/missing.py:Bot", "bot file {tmp}/missing.py not found"),
    (lambda tmp: _write(tmp, "my_bots.py", "") and f"{tmp}/my_bot.py:Bot",
     "bot file {tmp}/my_bot.py not found; did you mean 'my_bots.py'?"),
    (lambda tmp: f"{tmp}:Bot", "is not a file"),
    (lambda tmp: _write(tmp, "bad.py", "x = 1\ndef decide(:\n") + ":Bot", "{tmp}/bad.py:2: SyntaxError: "),
    (lambda tmp: _write(tmp, "needs.py", "import no_such_library_xyz\n") + ":Bot",
     "{tmp}/needs.py: ModuleNotFoundError: No module named 'no_such_library_xyz' (needs.py:1)"),
    (lambda tmp: _write(tmp, "fails.py", "raise RuntimeError('no GPU here')\n") + ":Bot",
     "{tmp}/fails.py: RuntimeError: no GPU here (fails.py:1)"),
    (lambda tmp: trouble("Missing"),
     "trouble_bots.py has no class 'Missing'; bot classes there: BrokenInitBot, CalmBot, FlakyBot, NeedsArgumentsBot, "
     "NoDecideBot, TroubleBot"),
    (lambda tmp: str(TROUBLE), "name the class after the file, as in path/to/file.py:ClassName; bot classes there: "),
    (lambda tmp: trouble("NotABot"), "trouble_bots.py:NotABot is class NotABot, not a Bot subclass"),
    (lambda tmp: trouble("os"), "trouble_bots.py:os is a module, not a Bot subclass"),
    (lambda tmp: trouble("NoDecideBot"), "trouble_bots.py:NoDecideBot does not implement decide(self, obs) -> Orders"),
]


@pytest.mark.parametrize("spec, expected", FAILURES, ids=[expected[:40] for _, expected in FAILURES])
def test_a_bot_that_cannot_be_loaded_is_one_clear_line(tmp_path, spec, expected):
    with pytest.raises(BotLoadError) as caught:
        load_bot_class(spec(tmp_path))
    message = str(caught.value)
    assert expected.format(tmp=tmp_path) in message
    assert "\n" not in message


def test_a_file_that_failed_to_load_can_be_fixed_and_loaded(tmp_path):
    path = tmp_path / "later.py"
    path.write_text("raise ImportError('not yet')\n")
    with pytest.raises(BotLoadError, match="ImportError: not yet"):
        load_bot_class(f"{path}:LaterBot")
    path.write_text("from blitzgame.bots import Bot\n\nclass LaterBot(Bot):\n    def decide(self, obs):\n        return {}\n")
    assert load_bot_class(f"{path}:LaterBot").__name__ == "LaterBot"


def test_a_bot_whose_constructor_fails_is_refused_by_make_bot():
    with pytest.raises(BotLoadError, match=r"could not be created: RuntimeError: no config file \(trouble_bots.py:\d+\)"):
        make_bot(trouble("BrokenInitBot"))


# --- which seat a bot gets -------------------------------------------------------------------
def test_compiled_bots_play_in_process_and_the_rest_in_a_sandbox():
    assert isinstance(open_seat("baseline", 1.0), InProcessSeat)
    seat = open_seat(trouble("CalmBot"), 1.0)  # no child process until its first game
    assert isinstance(seat, SandboxSeat) and seat.pid is None and seat.name == "calm"
    assert isinstance(open_seat(trouble("CalmBot"), 1.0, sandbox=False), InProcessSeat)
    with pytest.raises(ValueError, match="compiled bots .* run in-process"):
        open_seat("baseline", 1.0, sandbox=True)
    with pytest.raises(BotLoadError):
        open_seat("nope", 1.0)


def test_a_module_beside_the_bot_file_is_named_as_not_on_the_import_path(tmp_path):
    (tmp_path / "helpers.py").write_text("thing = 1\n")
    (tmp_path / "uses_helpers.py").write_text("from helpers import thing\nfrom blitzgame.bots import Bot\n\n\n"
                                              "class UsesHelpers(Bot):\n    pass\n")
    (tmp_path / "uses_missing.py").write_text("import nosuchmodule_xyz\n")
    with pytest.raises(BotLoadError) as beside:
        load_bot_class(f"{tmp_path / 'uses_helpers.py'}:UsesHelpers")
    assert str(beside.value).endswith("ModuleNotFoundError: No module named 'helpers' (uses_helpers.py:1); helpers "
                                      "is beside the bot file, but a bot file's folder is not on the import path: a "
                                      "bot of several modules is a package (README: Writing a bot)")
    with pytest.raises(BotLoadError) as missing:  # a module that is nowhere: no such hint
        load_bot_class(f"{tmp_path / 'uses_missing.py'}:X")
    assert str(missing.value).endswith("No module named 'nosuchmodule_xyz' (uses_missing.py:1)")
