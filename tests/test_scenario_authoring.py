"""Scenario authoring: ``blitzgame scenario check`` and ``new``, errors that name the line and
field, the template, and the two classroom scenarios played to their end."""

import json
import re

import pytest

from blitzgame import assets
from blitzgame.assets import ScenarioError, load_scenario, load_scenario_file, scenario_ids
from blitzgame.cli import main
from blitzgame.engine import layout as F
from blitzgame.engine.layout import HUB_PARAM_NAMES
from blitzgame.engine.params import PARAM_NAMES
from blitzgame.schemas.assets import REGIMES, SHOCK_FIELDS, WorldStart
from blitzgame.session.game import Game
from blitzgame.session.headless import close_seats, play_headless, seats_for
from blitzgame.session.world import compile_world
from blitzgame.toml_lines import key_lines, line_of

FAMINE = "classroom-famine-crash"
BORDERS = "classroom-grid-and-borders"
CLASSROOM = (FAMINE, BORDERS)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def source_text(name: str = FAMINE) -> str:
    return (assets.assets_dir() / "scenarios" / f"{name}.toml").read_text()


def line_with(text: str, marker: str, after: str = "") -> int:
    """1-based line of the first ``marker`` after the first ``after`` in ``text``."""
    start = text.index(after) if after else 0
    return text[:text.index(marker, start)].count("\n") + 1


# --- broken files: every error names its line and field ---------------------------------------
# (old text, new text, field, the line's marker (in the new text), words the message must have)
BROKEN = [
    ("quarters = 16", 'quarters = "sixteen"', "quarters", 'quarters = "sixteen"', "valid integer"),
    ('hub = "nordics"', 'hub = "atlantis"', "labs[2].hub", 'hub = "atlantis"', "unknown hub 'atlantis'"),
    ('quarter = "2027Q1"', 'quarter = "2034Q1"', "shocks[3].quarter", '"2034Q1"',
     "2034Q1 is after the last quarter (2027Q4)"),
    ('quarter = "2024Q4"', 'quarter = "2023Q4"', "shocks[0].quarter", '"2023Q4"', "before the first quarter (2024Q1)"),
    ("multiplier = 0.8\n", "", "shocks[2].multiplier", "[[shocks]]\nquarter = \"2026Q1\"", "needs 'multiplier'"),
    ('kind = "music_stops"\n', 'kind = "music_stops"\nmultiplier = 0.5\n', "shocks[3].multiplier", "multiplier = 0.5",
     "takes no 'multiplier'"),
    ('kind = "music_stops"\n', 'kind = "music_stops"\nquarters = 2\n', "shocks[3].quarters",
     'quarters = 2\nwhy = "Investors lose patience', "happens once"),
    ('kind = "music_stops"\n', 'kind = "crash"\n', "shocks[3].kind", 'kind = "crash"', "'music_stops'"),
    ("[hubs.china]", "[hubs.atlantis]", "hubs.atlantis", "[hubs.atlantis]", "unknown hub 'atlantis'"),
    ("export_risk = { value = 0.0,", "export_risk = { value = 1.5,", "hubs.china.export_risk", "value = 1.5",
     "probability"),
    ("spot = { value = 1.3,", 'spot = { value = "high",', "world.spot.value", '"high"', "valid number"),
    ('regime = "consolidation"', 'regime = "anarchy"', "regime", '"anarchy"', "'consolidation'"),
    ("\nchance_crash = false", '\nchance_crash = "sometimes"', "chance_crash", '"sometimes"', "valid boolean"),
    ("\nchance_crash = false", '\nchance_crash = "no"', "chance_crash", '"no"', "valid boolean"),  # not a false
    ('name = "Team 6"', 'name = "Team 1"', "labs[5].name", 'name = "Team 1"\nposition = "challenger"\nhub = "nevada"',
     "must be unique"),
    ('position = "challenger"\nhub = "middle_east"', 'position = "emperor"\nhub = "middle_east"', "labs[3].position",
     '"emperor"', "'startup'"),
    ("[world]\n", "[world]\ncolour = \"red\"\n", "world.colour", "colour", "not a field here (got 'red')"),
    ('difficulty = "expert"', 'difficulty = "brutal"', "difficulty", '"brutal"', "'expert'"),
    ("\nchance_crash = false", "\nchance_crsh = false", "chance_crsh", "chance_crsh", "did you mean 'chance_crash'?"),
    ("share = { value = 0.6,", "share = { value = 1.6,", "dominance.share.value", "value = 1.6", "(0, 1]"),
    ("sentiment = { value = 1.3,", "sentiment = { value = 2.5,", "world.sentiment.value", "value = 2.5", "0..2"),
]


@pytest.mark.parametrize("old, new, field, marker, words", BROKEN, ids=[case[2] for case in BROKEN])
def test_a_broken_scenario_names_the_line_and_field(tmp_path, capsys, old, new, field, marker, words):
    text = source_text()
    assert text.count(old) == 1, old
    broken = text.replace(old, new)
    path = tmp_path / "broken.toml"
    path.write_text(broken)
    line = line_with(broken, marker)
    expected = f"{path}:{line}: {field}: "

    code, out, err = run(capsys, "scenario", "check", str(path))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines and all(entry.startswith("blitzgame: error: ") for entry in lines), err
    assert any(expected in entry and words in entry for entry in lines), err

    with pytest.raises(ScenarioError) as refused:  # the same problems for every front door
        load_scenario_file(path)
    assert any((p.line, p.field) == (line, field) and words in p.message for p in refused.value.problems)
    code, _, err = run(capsys, "sim", "--scenario", str(path))
    assert code == 2 and expected in err and len(err.splitlines()) == 1


def test_an_unknown_hub_in_a_shock_names_its_line_and_the_known_hubs(tmp_path, capsys):
    text = source_text() + ('\n[[shocks]]\nquarter = "2025Q2"\nkind = "power_cap"\nhub = "atlantis"\nmw = -50.0\n'
                            'why = "A grid that never was."\n')
    path = tmp_path / "atlantis.toml"
    path.write_text(text)
    code, _, err = run(capsys, "scenario", "check", str(path))
    assert code == 2
    line = line_with(text, 'hub = "atlantis"')
    assert f"{path}:{line}: shocks[4].hub: unknown hub 'atlantis'" in err
    assert "virginia, nevada, nordics, middle_east, china" in err


def test_a_toml_syntax_error_names_its_line(tmp_path, capsys):
    text = source_text().replace("quarters = 16", "quarters = 16 16")
    path = tmp_path / "syntax.toml"
    path.write_text(text)
    code, _, err = run(capsys, "scenario", "check", str(path))
    assert code == 2
    assert err.startswith(f"blitzgame: error: {path}:{line_with(text, 'quarters = 16 16')}: not valid TOML")


def test_every_problem_is_listed_in_line_order(tmp_path, capsys):
    text = (source_text().replace("quarters = 16", 'quarters = "many"')
            .replace('hub = "nordics"', 'hub = "atlantis"')
            .replace("spot = { value = 1.3,", "spot = { value = -1.3,"))
    path = tmp_path / "three.toml"
    path.write_text(text)
    code, _, err = run(capsys, "scenario", "check", str(path))
    assert code == 2
    found = [int(re.match(rf"blitzgame: error: {re.escape(str(path))}:(\d+): ", entry).group(1))
             for entry in err.splitlines()]
    assert len(found) == 3 and found == sorted(found), err


def test_a_shock_outside_the_campaign_is_listed_beside_another_shocks_mistake(tmp_path, capsys):
    """A misspelt field in one shock does not hide another shock's quarter past the end."""
    text = (source_text().replace("multiplier = 0.4\nquarters = 4", "multiplyer = 0.4\nquarters = 4")
            .replace('quarter = "2027Q1"\nkind = "music_stops"', 'quarter = "2034Q1"\nkind = "music_stops"'))
    path = tmp_path / "two.toml"
    path.write_text(text)
    code, _, err = run(capsys, "scenario", "check", str(path))
    assert code == 2
    assert "multiplyer: not a field here: did you mean 'multiplier'?" in err
    late = line_with(text, '"2034Q1"')
    assert f"{path}:{late}: shocks[3].quarter: 2034Q1 is after the last quarter" in err


def test_a_missing_field_is_named_without_inventing_a_line(tmp_path, capsys):
    path = tmp_path / "thin.toml"
    path.write_text('id = "thin"\n')
    code, _, err = run(capsys, "scenario", "check", str(path))
    assert code == 2
    assert f"blitzgame: error: {path}: title: Field required" in err.splitlines()


def test_check_refuses_a_missing_file_and_accepts_a_built_in_id(capsys, tmp_path):
    code, _, err = run(capsys, "scenario", "check", str(tmp_path / "nope.toml"))
    assert code == 2 and "no such file" in err and FAMINE in err
    code, out, _ = run(capsys, "scenario", "check", "base-2024")
    assert code == 0 and "OK: base-2024" in out
    code, _, err = run(capsys, "scenario")
    assert code == 2 and err.startswith("blitzgame: error:")


@pytest.mark.parametrize("name", scenario_ids())
def test_every_built_in_scenario_checks_ok(capsys, name):
    code, out, err = run(capsys, "scenario", "check", name)
    assert code == 0 and err == ""
    scenario = load_scenario(name)
    assert out.count("\n") == 1
    assert f"OK: {name} ({scenario.title}): {scenario.quarters} quarters" in out
    assert f"{len(scenario.labs)} labs, {len(scenario.shocks)} shocks" in out


# --- the template ------------------------------------------------------------------------------
def test_the_template_checks_ok_and_compiles(tmp_path, capsys):
    out_file = tmp_path / "class.toml"
    code, out, _ = run(capsys, "scenario", "new", "my-class", "--out", str(out_file))
    assert code == 0 and str(out_file) in out
    code, out, err = run(capsys, "scenario", "check", str(out_file))
    assert code == 0 and err == "" and "OK: my-class (My Class)" in out
    scenario = load_scenario_file(out_file)
    world = compile_world(scenario)
    assert world.sched.shape[0] == scenario.quarters == 16
    text = out_file.read_text()
    for name in [*HUB_PARAM_NAMES, *WorldStart.model_fields, *SHOCK_FIELDS, *REGIMES,
                 "chance_crash", "difficulty", "start_power_ratio", "[dominance]", "[[labs]]", "[hubs."]:
        assert name in text, f"the template does not explain {name}"
    assert [p.name for p in tmp_path.iterdir()] == ["class.toml"]  # no temporary file left behind


def test_the_templates_commented_examples_are_valid_too(tmp_path, capsys):
    path = tmp_path / "t.toml"
    assert run(capsys, "scenario", "new", "t", "--out", str(path))[0] == 0
    example = re.compile(r"^# (\[.*\]|[a-z_]+ = .*)$")
    text = "\n".join(line[2:] if example.match(line) else line for line in path.read_text().splitlines())
    path.write_text(text)
    scenario = load_scenario_file(path)
    assert {s.kind for s in scenario.shocks} == set(SHOCK_FIELDS)
    assert scenario.dominance is not None and "virginia" in scenario.hubs
    compile_world(scenario)


def test_new_writes_name_toml_and_never_overwrites(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "scenario", "new", "week-3")[0] == 0
    written = tmp_path / "week-3.toml"
    before = written.read_bytes()
    assert 'id = "week-3"' in before.decode()
    code, _, err = run(capsys, "scenario", "new", "week-3")
    assert code == 2 and "already exists" in err
    assert written.read_bytes() == before
    for bad in (["scenario", "new", "Week 3"], ["scenario", "new", "ok", "--out", str(tmp_path / "no" / "x.toml")],
                ["scenario", "new", "ok", "--out", "ok.txt"]):
        code, _, err = run(capsys, *bad)
        assert code == 2 and len(err.splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week-3.toml"]


# --- the classroom scenarios ------------------------------------------------------------------
def test_the_classroom_scenarios_are_listed(capsys):
    code, out, _ = run(capsys, "scenarios", "--json")
    listed = {s["id"]: s for s in json.loads(out)["scenarios"]}
    for name in CLASSROOM:
        assert listed[name]["labs"] == 6 and listed[name]["quarters"] == 16


def test_the_famine_scenario_schedules_the_teachers_story():
    world = compile_world(FAMINE)
    label = [world.label(t) for t in range(world.quarters)]
    famine = [label[t] for t in range(world.quarters) if world.sched[t, F.S_SUPPLY_MULT] == pytest.approx(0.4)]
    assert famine == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert [label[t] for t in range(world.quarters) if world.sched[t, F.S_MUSIC_STOPS]] == ["2027Q1"]
    assert world.params[PARAM_NAMES.index("music_hazard")] == 0.0  # chance_crash = false
    assert compile_world("base-2024").params[PARAM_NAMES.index("music_hazard")] > 0.0
    assert world.scenario.regime == "consolidation"


def test_the_famine_scenario_plays_to_the_end_with_the_shocks_in_place(capsys):
    code, out, _ = run(capsys, "sim", "--scenario", FAMINE, "--seed", "3", "--json")
    assert code == 0
    played = json.loads(out)
    assert played["quarters_played"] == 16 and len(played["labs"]) == 6
    assert played["music_stopped"] == "2027Q1" and played["regime"] == "consolidation"
    # the vendors' output in the game: cut in 2025, back after the famine
    game = Game.new(FAMINE, seed=3)
    seats = seats_for(["baseline"], game.n_labs)
    try:
        play_headless(game, seats)
    finally:
        close_seats(seats)
    supply = {game.world.label(k): float(state.world[F.SUPPLY]) for k, state in enumerate(game.history[1:])}
    assert all(supply[q] < 0.6 * supply["2024Q4"] for q in ("2025Q1", "2025Q2", "2025Q3", "2025Q4"))
    assert supply["2026Q3"] > supply["2024Q4"]
    music = [game.world.label(k) for k, state in enumerate(game.history[1:]) if state.world[F.MUSIC_STOPPED]]
    assert music[0] == "2027Q1"


def test_the_grid_and_borders_scenario_plays_to_the_end_with_its_caps_and_controls():
    world = compile_world(BORDERS)
    virginia, middle_east, china = (world.hub_index(h) for h in ("virginia", "middle_east", "china"))
    assert world.hubs[middle_east, F.HP_EXPORT_CONTROLLED] == 1.0 and world.hubs[china, F.HP_EXPORT_RISK] == 0.0
    assert world.hubs[virginia, F.HP_HEADROOM] == 250.0 and world.hubs[virginia, F.HP_POWER_PRICE] == 110.0
    game = Game.new(world, seed=5)
    seats = seats_for(["baseline"], game.n_labs)
    try:
        play_headless(game, seats)
    finally:
        close_seats(seats)
    assert game.over and game.quarter == 16
    after = {game.world.label(k): state.world for k, state in enumerate(game.history[1:])}
    assert [q for q, w in after.items() if w[F.EXPORT_CONTROLS]][0] == "2025Q1"  # when scheduled, not earlier
    assert after["2024Q3"][F.HEADROOM + virginia] == 0.0  # the connection pause
    assert not any(w[F.MUSIC_STOPPED] for w in after.values())  # no chance crash in this lesson


# --- the line locator ---------------------------------------------------------------------------
def test_key_lines_skips_values_that_span_lines_and_reads_quoted_and_dotted_keys():
    text = '\n'.join([
        'summary = """a = 1',          # 1: a multi-line string with a key-like line inside
        '[fake]',                      # 2
        'b = 2"""',                    # 3
        'list = [',                    # 4
        '  "c = 3",',                  # 5
        ']',                           # 6
        '"quoted key" = 1',            # 7
        'site.hub = "x"  # comment',   # 8
        '[[shocks]]',                  # 9
        'quarter = "2025Q1"',          # 10
        '[[shocks]]',                  # 11
        "quarter = '2026Q1'",          # 12
        '[hubs."new-york"]',           # 13
        'mw = { value = 1.0, source = "x" }',  # 14
    ])
    lines = key_lines(text)
    assert lines[("summary",)] == 1 and ("fake",) not in lines and ("b",) not in lines and ("c",) not in lines
    assert lines[("list",)] == 4 and lines[("quoted key",)] == 7 and lines[("site", "hub")] == 8
    assert lines[("shocks", 0, "quarter")] == 10 and lines[("shocks", 1, "quarter")] == 12
    assert line_of(lines, ("shocks", 1, "multiplier")) == 11  # a missing key: its table's header
    assert line_of(lines, ("hubs", "new-york", "mw", "value")) == 14
    assert line_of(lines, ("title",)) is None
