"""Saves: a game comes back bit-identical, and a bad file is refused in one clear line.

Regenerate the sample save and the fixture of the current version with
``python tests/test_saves.py`` (only when the format or the engine's results change on purpose).
"""

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from blitzgame.schemas.orders import Orders
from blitzgame.schemas.saves import SAVE_VERSION
from blitzgame.session.game import Game
from blitzgame.session.headless import bots_for
from blitzgame.session.saves import DIGEST_MISMATCH, RulesChanged, SaveError, load_game, read_save, rules_stamp, save_game

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "saves"
SAMPLE = ROOT / "saves" / f"sample-v{SAVE_VERSION}.json"


def play_quarters(scenario: str, seed: int, quarters: int, labs: int | None = None) -> tuple[Game, list[str]]:
    """A headless game of baseline bots, stopped after ``quarters`` quarters."""
    game = Game.new(scenario, seed=seed, labs=labs)
    bots = bots_for(["baseline"], game.n_labs)
    for _ in range(quarters):
        for lab, bot in enumerate(bots):
            if game.state_labs[lab, 0] == 0.0:  # alive
                game.submit(lab, bot.orders_for(game, lab))
        game.advance()
    return game, [bot.name for bot in bots]


def write_samples() -> None:
    """The sample save of the current version and its fixture copy."""
    game, bots = play_quarters("base-2024", seed=2024, quarters=4)
    save_game(game, SAMPLE, bots)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE, FIXTURES / f"v{SAVE_VERSION}.json")


@pytest.fixture(scope="module")
def played():
    return play_quarters("base-2024", seed=11, quarters=3)


@pytest.fixture
def saved(played, tmp_path) -> Path:
    game, bots = played
    return save_game(game, tmp_path / "game.json", bots)


def refused(path: Path) -> str:
    """Load ``path``, expect a refusal, check it is one line and the file is untouched."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(SaveError) as caught:
        load_game(path)
    message = str(caught.value)
    assert "\n" not in message and message
    assert (path.read_bytes() if path.is_file() else None) == before
    return message


def edit(path: Path, change) -> Path:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    return path


# --- the round trip ----------------------------------------------------------------------
def test_a_loaded_game_has_the_same_state_and_orders(played, saved):
    game, bots = played
    loaded, loaded_bots = load_game(saved)
    assert loaded.digest() == game.digest()
    assert loaded.orders_log == game.orders_log
    assert loaded.quarter == game.quarter == 3
    assert loaded_bots == bots
    assert [r.news for r in loaded.reports] == [r.news for r in game.reports]


def test_a_loaded_game_plays_on_exactly_like_the_original(played, saved):
    game, _ = played
    loaded, _ = load_game(saved)
    original = game.rewind(game.quarter)  # a copy, so the module's game stays as it is
    orders = Orders(hire=5, gpus={"virginia": 1000.0})
    for g in (original, loaded):
        g.submit(0, orders)
        g.advance()
    assert loaded.digest() == original.digest()


def test_a_save_without_bots_marks_every_lab_human(played, tmp_path):
    game, _ = played
    _, bots = load_game(save_game(game, tmp_path / "humans.json"))
    assert bots == [None] * game.n_labs


def test_a_save_needs_one_bot_per_lab(played, tmp_path):
    game, _ = played
    with pytest.raises(SaveError, match="one bot"):
        save_game(game, tmp_path / "x.json", ["baseline"])
    assert not (tmp_path / "x.json").exists()


def test_a_save_is_plain_json_of_the_documented_shape(saved):
    data = json.loads(saved.read_text())
    assert list(data) == ["format", "version", "saved_at", "scenario", "seed", "game_id", "labs",
                          "orders", "quarters_played", "digest", "rules", "over"]
    assert data["format"] == "blitzgame-save" and data["version"] == SAVE_VERSION
    assert data["scenario"]["id"] == data["scenario"]["data"]["id"] == "base-2024"
    assert len(data["orders"]) == data["quarters_played"] == 3
    assert set(data["labs"][0]) == {"name", "position", "hub", "bot"}


def test_the_embedded_scenario_is_the_one_replayed(saved):
    edit(saved, lambda d: d["scenario"]["data"].update(title="A Scenario Since Renamed"))
    game, _ = load_game(saved)
    assert game.world.scenario.title == "A Scenario Since Renamed"


# --- atomic writes -----------------------------------------------------------------------
def test_saving_leaves_no_temporary_files(played, tmp_path):
    game, bots = played
    save_game(game, tmp_path / "a.json", bots)
    save_game(game, tmp_path / "a.json", bots)  # overwrite
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


@pytest.mark.parametrize("fails", ["replace", "fsync"])
def test_a_failed_save_keeps_the_old_one_whole(played, saved, monkeypatch, fails):
    game, bots = played
    old = saved.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, fails, boom)
    with pytest.raises(SaveError, match="cannot write the save .*No space left on device") as caught:
        save_game(game, saved, bots)
    monkeypatch.undo()
    assert "\n" not in str(caught.value)
    assert saved.read_bytes() == old
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]
    load_game(saved)


def test_saving_into_a_missing_folder_is_refused(played, tmp_path):
    game, bots = played
    with pytest.raises(SaveError, match="cannot write the save"):
        save_game(game, tmp_path / "no" / "such" / "save.json", bots)


# --- refusals ----------------------------------------------------------------------------
def test_a_missing_file_is_refused(tmp_path):
    assert "no such save file" in refused(tmp_path / "missing.json")


def test_a_folder_is_refused(tmp_path):
    assert "is a folder" in refused(tmp_path)


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"hello, I am not a save\n", "not a Blitzgame save (not valid JSON at line 1"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a Blitzgame save (not a text file)"),
    (b"[1, 2, 3]", "not a Blitzgame save"),
    (b'{"format": "blitzgame-save", "version": 1, "seed": NaN}', "NaN is not a number"),
    (b'{"format": "spreadsheet", "version": 1}', "not a Blitzgame save"),
])
def test_a_corrupt_file_is_refused(tmp_path, content, expected):
    path = tmp_path / "corrupt.json"
    path.write_bytes(content)
    assert expected in refused(path)


def test_a_truncated_file_is_refused(saved):
    text = saved.read_text()
    saved.write_text(text[: len(text) // 2])
    assert "truncated" in refused(saved)


def test_a_tampered_order_is_caught_by_the_digest(saved):
    def double_the_first_gpu_order(data):
        for quarter in data["orders"]:
            for orders in quarter:
                if orders.get("gpus"):
                    hub = next(iter(orders["gpus"]))
                    orders["gpus"][hub] *= 2
                    return
        raise AssertionError("no GPU order to tamper with")

    edit(saved, double_the_first_gpu_order)
    assert refused(saved) == f"{saved}: {DIGEST_MISMATCH}"


def test_a_tampered_digest_is_caught(saved):
    edit(saved, lambda d: d.update(digest="0" * 64))
    assert DIGEST_MISMATCH in refused(saved)


def test_a_save_records_the_rules_it_was_made_under(played, saved):
    game, _ = played
    assert json.loads(saved.read_text())["rules"] == rules_stamp(game.world)


def changed_rules(monkeypatch, name: str, value: float) -> None:
    """Today's rules differ from the save's in one balance number."""
    from blitzgame.engine.params import PARAM_NAMES
    from blitzgame.session import saves as saves_module

    compile_world = saves_module.compile_world

    def compile_changed(scenario):
        world = compile_world(scenario)
        world.params[PARAM_NAMES.index(name)] = value
        return world

    monkeypatch.setattr(saves_module, "compile_world", compile_changed)


def test_a_save_made_under_other_rules_says_so_and_can_be_played_on_under_todays(played, saved, monkeypatch):
    """Not 'altered': the player is told the rules changed, and may replay the orders under
    today's rules (a different game); the file is never touched."""
    changed_rules(monkeypatch, "retention_death_zone", 0.0)
    before = saved.read_bytes()
    with pytest.raises(RulesChanged) as caught:
        load_game(saved)
    assert "made under other rules (blitzgame " in str(caught.value) and DIGEST_MISMATCH not in str(caught.value)
    loaded = load_game(saved, new_rules=True)
    game, _ = played
    assert loaded.game.quarter == game.quarter and loaded.game.digest() != game.digest()
    assert saved.read_bytes() == before


def test_an_older_save_without_a_rules_stamp_still_loads_when_nothing_changed(played, saved):
    edit(saved, lambda d: d.pop("rules"))
    assert load_game(saved).game.digest() == played[0].digest()


def test_a_tampered_save_under_the_same_rules_is_not_excused_as_a_rules_change(saved):
    edit(saved, lambda d: d.update(digest="0" * 64))
    with pytest.raises(SaveError) as caught:
        load_game(saved, new_rules=True)
    assert not isinstance(caught.value, RulesChanged) and DIGEST_MISMATCH in str(caught.value)


def test_a_save_from_a_newer_version_is_refused(saved):
    edit(saved, lambda d: d.update(version=3, something_new={"x": 1}))
    assert refused(saved) == f"{saved}: made by a newer Blitzgame (save version 3, this program reads up to 1)"


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.update(cheat=True), "cheat: not a field here (got True)"),
    (lambda d: d.update(version=0), "version: Input should be 1"),
    (lambda d: d.update(seed="42"), "seed: Input should be a valid integer"),
    (lambda d: d.update(seed=-1), "seed: Input should be greater than or equal to 0"),
    (lambda d: d.pop("digest"), "digest: Field required"),
    (lambda d: d["labs"][1].update(position="emperor"), "labs.1.position: Input should be"),
    (lambda d: d["labs"][1].pop("bot"), "labs.1.bot: Field required"),
    (lambda d: d.update(quarters_played=2), "quarters_played is 2 but orders cover 3 quarters"),
    (lambda d: d["orders"][0].pop(), "orders.0: expected orders for 5 labs, got 4"),
    (lambda d: d["scenario"]["data"]["world"]["spot"].update(value="cheap"),
     "scenario.data.world.spot.value: Input should be a valid number"),
    (lambda d: d["scenario"].update(id="gpu-famine"), "does not match its data"),
])
def test_a_schema_error_names_the_field(saved, change, expected):
    edit(saved, change)
    assert expected in refused(saved)


@pytest.mark.parametrize("bad_orders, expected", [
    ({"hire": -5}, "orders for 2024Q2 (quarter 2), lab 3 (Mirage Intelligence): hire: Input should be greater than"),
    ({"teleport": 1}, "lab 3 (Mirage Intelligence): teleport: not a field here (got 1)"),
    ({"gpus": {"moon": 10}}, "gpus: unknown hub 'moon'"),
])
def test_bad_orders_name_the_quarter_lab_and_field(saved, bad_orders, expected):
    edit(saved, lambda d: d["orders"][1].__setitem__(3, bad_orders))
    assert expected in refused(saved)


def test_an_unknown_hub_in_the_embedded_scenario_is_refused(saved):
    edit(saved, lambda d: d["scenario"]["data"]["labs"][0].update(hub="atlantis"))
    assert "scenario.data.labs[0].hub: unknown hub 'atlantis'" in refused(saved)


def test_an_unknown_home_hub_is_refused(saved):
    edit(saved, lambda d: d["labs"][0].update(hub="atlantis"))
    assert "unknown hub 'atlantis'" in refused(saved)


# --- versions kept forever ---------------------------------------------------------------
@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("v*.json")), ids=lambda p: p.stem)
def test_every_save_version_still_reads(fixture):
    save = read_save(fixture)
    assert save.quarters_played == len(save.orders) > 0


def test_the_current_fixture_replays_to_its_recorded_state():
    """Fails when the engine's results change: saves made before could no longer be loaded.
    If that is intended, regenerate the sample and fixture with ``python tests/test_saves.py``."""
    game, bots = load_game(FIXTURES / f"v{SAVE_VERSION}.json")
    assert game.quarter == 4 and bots == ["baseline"] * 5


def test_the_sample_save_is_the_current_fixture():
    assert SAMPLE.read_bytes() == (FIXTURES / f"v{SAVE_VERSION}.json").read_bytes()


def test_nothing_in_blitzgame_uses_pickle():
    pattern = re.compile(r"^\s*(import|from)\s+(c?pickle|shelve|dill|cloudpickle|marshal)\b", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "blitzgame").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    write_samples()
    print(f"wrote {SAMPLE} and {FIXTURES / f'v{SAVE_VERSION}.json'}")
