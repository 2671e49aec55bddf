"""``blitzgame class new``: the manifest and a save per team; bad arguments refused, nothing left behind."""

import tomllib

import pytest
from class_helpers import run

from blitzgame.classroom.manifest import ClassError, load_manifest, manifest_text
from blitzgame.classroom.team import open_team
from blitzgame.session.campaign import draw_rivals
from blitzgame.session.saves import load_game, read_save


def test_class_new_writes_the_manifest_and_six_saves_at_the_start(tmp_path, capsys):
    folder = tmp_path / "spring"
    code, out, err = run(capsys, "class", "new", folder, "--teams", "6", "--scenario", "gpu-famine", "--seed", "42")
    assert (code, err) == (0, "")
    assert "blitzgame play --class" in out and "--team 'Team 1'" in out
    with (folder / "class.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    assert raw["format"] == "blitzgame-class" and raw["version"] == 1
    manifest = load_manifest(folder)
    assert (manifest.name, manifest.scenario, manifest.seed, manifest.quarters) == ("spring", "gpu-famine", 42, 32)
    assert manifest.rivals == draw_rivals(4, 42)  # the scenario's roster, drawn from the archetypes with the seed
    assert [t.name for t in manifest.teams] == [f"Team {k}" for k in range(1, 7)]
    assert [t.save for t in manifest.teams] == [f"teams/team-{k}.json" for k in range(1, 7)]
    assert sorted(p.name for p in (folder / "teams").iterdir()) == [f"team-{k}.json" for k in range(1, 7)]
    digests = set()
    for team in manifest.teams:
        save = read_save(folder / team.save)
        assert (save.seed, save.scenario.id, save.quarters_played) == (42, "gpu-famine", 0)
        assert [lab.bot for lab in save.labs] == [None, *manifest.rivals]  # the team's lab in seat 0, same rivals
        assert save.labs[0].name == team.name and save.labs[0].position == "startup"
        assert [lab.name for lab in save.labs[1:]] == ["Northstar AI", "Helix Labs", "Aurora Research",
                                                       "Mirage Intelligence"]
        digests.add(save.digest)
        campaign = open_team(folder, team.name)
        assert campaign.game.quarter == 0 and campaign.save_path == folder / team.save
        assert campaign.export_folder() == (folder / team.save).parent  # a debrief exported goes where the teacher looks
    assert len(digests) == 1  # the same world for every team


def test_a_classroom_world_seats_planners_unless_the_teacher_picks_rivals(tmp_path, capsys):
    """The classroom worlds' difficulty is expert: every rival a strategist, which plans for the
    sixteen quarters (scripts tuned for 32-quarter races are beaten there by a lab that hardly grows)."""
    code, out, err = run(capsys, "class", "new", tmp_path / "a", "--teams", "2", "--scenario", "classroom-famine-crash")
    assert code == 0, err
    assert load_manifest(tmp_path / "a").rivals == ["strategist"] * 5
    assert "Every team: a challenger in virginia against strategist x5." in out
    code, out, _ = run(capsys, "class", "status", tmp_path / "a")
    assert code == 0 and "every team against strategist x5" in out.splitlines()[0]
    code, _, err = run(capsys, "class", "new", tmp_path / "b", "--teams", "2", "--scenario", "classroom-famine-crash",
                       "--rivals", "sprinter,platform,integrator,pure,defender")
    assert code == 0, err
    assert load_manifest(tmp_path / "b").rivals == ["sprinter", "platform", "integrator", "pure", "defender"]


def test_team_names_rivals_length_and_seat_are_the_teachers_choice(tmp_path, capsys):
    folder = tmp_path / "c"
    code, _, err = run(capsys, "class", "new", folder, "--team-names", "Red Fox,Blue,Blue Jay!", "--seed", "3",
                       "--rivals", "sprinter,defender", "--quarters", "6", "--position", "challenger", "--hub", "nordics",
                       "--name", "Evening class")
    assert code == 0, err
    manifest = load_manifest(folder)
    assert manifest.name == "Evening class" and manifest.quarters == 6 and manifest.rivals == ["sprinter", "defender"]
    assert [(t.name, t.save) for t in manifest.teams] == [
        ("Red Fox", "teams/red-fox.json"), ("Blue", "teams/blue.json"), ("Blue Jay!", "teams/blue-jay.json")]
    game, bots = load_game(folder / "teams" / "red-fox.json")
    assert bots == [None, "sprinter", "defender"] and game.world.scenario.quarters == 6
    assert game.observe(0).me.position == "challenger" and game.setups[0].hub == "nordics"
    assert load_manifest(folder) == manifest  # the TOML written reads back to the same manifest
    written = tomllib.loads(manifest_text(manifest))["teams"][0]
    assert written == {"name": "Red Fox", "save": "teams/red-fox.json", "code": manifest.teams[0].code}
    assert manifest.teams[0].code and manifest.teams[0].code != manifest.teams[1].code


def test_a_rival_named_like_a_team_is_renamed_in_every_teams_game(tmp_path, capsys):
    folder = tmp_path / "c"
    code, _, err = run(capsys, "class", "new", folder, "--team-names", "Helix Labs,Blue", "--quarters", "4")
    assert code == 0, err
    names = [[lab.name for lab in read_save(folder / t.save).labs] for t in load_manifest(folder).teams]
    rivals = ["Northstar AI", "Rival 2", "Aurora Research", "Mirage Intelligence"]
    assert names == [["Helix Labs", *rivals], ["Blue", *rivals]]  # the same seats, hubs and names for both
    assert read_save(folder / "teams/helix-labs.json").digest == read_save(folder / "teams/blue.json").digest


@pytest.mark.parametrize(("args", "message"), [
    (["--teams", "0"], "--teams: expected a number of at least 1"),
    (["--teams", "61"], "a class has 1 to 60 teams"),
    ([], "say how many teams"),
    (["--teams", "3", "--team-names", "a,b"], "--teams 3 but --team-names gives 2 names"),
    (["--team-names", "Red,red"], "each team needs a name of its own"),
    (["--team-names", "Red,,Blue"], "none of them empty"),
    (["--team-names", "Red|Blue"], "use letters, digits, spaces"),
    (["--teams", "2", "--scenario", "moon-base"], "unknown scenario 'moon-base'"),
    (["--teams", "2", "--rivals", "sprinter,nobody"], "--rivals: unknown bot 'nobody'"),
    (["--teams", "2", "--rivals", "sprinter," * 7 + "defender"], "a team needs 1-7 rivals, got 8"),
    (["--teams", "2", "--quarters", "2"], "a class can play 4 to 32 of them, not 2"),
    (["--teams", "2", "--quarters", "40"], "a class can play 4 to 32 of them, not 40"),
    (["--teams", "2", "--scenario", "classroom-famine-crash", "--quarters", "8"],
     "--quarters 8: the class would end in 2025Q4, before classroom-famine-crash's gpu_supply shock in 2026Q1 and "
     "music_stops shock in 2027Q1; play 13 quarters or more to keep them"),
    (["--teams", "2", "--position", "emperor"], "--position: expected startup, challenger or incumbent"),
    (["--teams", "2", "--hub", "moon"], "--hub: unknown hub 'moon'"),
    (["--teams", "2", "--seed", "-1"], "the seed must be between 0 and"),
])
def test_bad_arguments_are_one_line_and_leave_nothing_behind(tmp_path, capsys, args, message):
    folder = tmp_path / "class"
    code, out, err = run(capsys, "class", "new", folder, *args)
    assert code == 2 and out == ""
    assert err.startswith("blitzgame: error: ") and message in err and err.count("\n") == 1, err
    assert not folder.exists()


def test_a_folder_with_anything_in_it_is_refused_and_kept_as_it_was(tmp_path, capsys):
    run(capsys, "class", "new", tmp_path / "a", "--teams", "2", "--quarters", "4")
    before = {p: p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    code, _, err = run(capsys, "class", "new", tmp_path / "a", "--teams", "3")
    assert code == 2 and "holds a class already; a new class needs a new or empty folder" in err
    assert {p: p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()} == before
    run(capsys, "class", "new", tmp_path / "s", "--teams", "2", "--quarters", "4", "--shared")
    for shared in ([], ["--shared"]):
        code, _, err = run(capsys, "class", "new", tmp_path / "s", "--teams", "3", *shared)
        assert code == 2 and "holds a shared class already; a new class needs a new or empty folder" in err
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("mine")
    code, _, err = run(capsys, "class", "new", tmp_path / "b", "--teams", "3")
    assert code == 2 and "holds files" in err and [p.name for p in (tmp_path / "b").iterdir()] == ["notes.txt"]
    code, _, err = run(capsys, "class", "new", tmp_path / "no" / "such", "--teams", "3")
    assert code == 2 and "there is no folder" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "class", "new", tmp_path / "empty", "--teams", "2", "--quarters", "4")
    assert code == 0, err


def test_a_failure_half_way_removes_what_was_written(tmp_path, monkeypatch):
    from blitzgame.classroom.create import new_class
    from blitzgame.session.campaign import Campaign

    saved = []
    real_save = Campaign.save

    def failing_save(self, path):
        if len(saved) == 2:
            raise OSError(28, "No space left on device")
        saved.append(path)
        return real_save(self, path)

    monkeypatch.setattr(Campaign, "save", failing_save)
    with pytest.raises(OSError):
        new_class(tmp_path / "made", teams=4, quarters=4)
    assert not (tmp_path / "made").exists()
    (tmp_path / "empty").mkdir()
    saved.clear()
    with pytest.raises(OSError):
        new_class(tmp_path / "empty", teams=4, quarters=4)
    assert list((tmp_path / "empty").iterdir()) == []  # the teacher's empty folder stays, empty


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('seed = 42', 'seed = "x"'), "class.toml: seed: Input should be a valid integer"),
    (lambda t: t.replace('format = "blitzgame-class"', 'format = "other"'), "not a Blitzgame class manifest"),
    (lambda t: t.replace("version = 1", "version = 9"), "made by a newer Blitzgame (class version 9"),
    (lambda t: t.replace("teams/team-2.json", "../team-2.json"), "teams.1.save: expected a .json path inside"),
    (lambda t: t.replace('"Team 2"', '"Team 1"'), "teams: team names must be unique"),
    (lambda t: t + "\nsurprise = 1\n", "surprise: not a field here (got 1)"),
    (lambda t: t.replace("rivals = [", "rivals = [[").replace("]\ncreated", "]]\ncreated"), "class.toml: rivals"),
    (lambda t: t + "\n[[[", "not valid TOML"),
])
def test_a_broken_manifest_is_one_clear_line(tmp_path, capsys, edit, message):
    folder = tmp_path / "c"
    run(capsys, "class", "new", folder, "--teams", "2", "--quarters", "4", "--seed", "42")
    path = folder / "class.toml"
    path.write_text(edit(path.read_text()))
    with pytest.raises(ClassError, match=None) as raised:
        load_manifest(folder)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    code, _, err = run(capsys, "class", "status", folder)
    assert code == 2 and message in err


def test_missing_folders_and_teams_say_what_to_do(tmp_path, capsys):
    code, _, err = run(capsys, "class", "status", tmp_path / "nowhere")
    assert code == 2 and "no such class folder (make one with `blitzgame class new" in err
    code, _, err = run(capsys, "class", "status", tmp_path)
    assert code == 2 and "not a class folder (no class.toml in it)" in err
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = run(capsys, "class", "status", tmp_path / "notes.txt")
    assert code == 2 and "notes.txt: a file, not a class folder" in err
    run(capsys, "class", "new", tmp_path / "c", "--teams", "2", "--quarters", "4")
    code, _, err = run(capsys, "class", "status", tmp_path / "c" / "class.toml")  # the class's file for its folder
    assert code == 2 and f"that is the class's class.toml; give its folder: {tmp_path / 'c'}" in err
    with pytest.raises(ClassError, match="no team 'Team 9' in class 'c'; its teams are: Team 1, Team 2"):
        open_team(tmp_path / "c", "Team 9")
    assert open_team(tmp_path / "c", "team 2").team == "Team 2"  # case does not matter
    code, _, err = run(capsys, "class")
    assert code == 2 and "choose a class command" in err


def test_a_save_from_another_world_is_refused(tmp_path, capsys):
    run(capsys, "class", "new", tmp_path / "a", "--teams", "2", "--quarters", "4", "--seed", "1")
    run(capsys, "class", "new", tmp_path / "b", "--teams", "2", "--quarters", "4", "--seed", "2")
    (tmp_path / "a" / "teams" / "team-2.json").write_bytes((tmp_path / "b" / "teams" / "team-2.json").read_bytes())
    with pytest.raises(ClassError, match=r"team-2.json: not this class's game for Team 2: seed 2, not 1"):
        open_team(tmp_path / "a", "Team 2")
    (tmp_path / "a" / "teams" / "team-1.json").write_text("{")
    code, out, err = run(capsys, "class", "status", tmp_path / "a", "--json")
    assert code == 0, err
    import json

    states = {s["team"]: s for s in json.loads(out)}
    assert states["Team 1"]["status"] == "broken" and "truncated" in states["Team 1"]["error"]
    assert states["Team 2"]["status"] == "broken" and "seed 2, not 1" in states["Team 2"]["error"]


def test_a_scenario_file_of_equal_labs_seats_the_teams_as_its_labs(tmp_path, capsys):
    from blitzgame.assets import assets_dir

    text = (assets_dir() / "scenarios" / "gpu-famine.toml").read_text()
    text = text.replace('id = "gpu-famine"', 'id = "equal-famine"')
    for position in ("incumbent", "startup"):
        text = text.replace(f'position = "{position}"', 'position = "challenger"')
    (tmp_path / "equal.toml").write_text(text)
    code, out, err = run(capsys, "class", "new", tmp_path / "c", "--teams", "2", "--scenario", tmp_path / "equal.toml")
    assert code == 0, err
    assert "Every team: a challenger in virginia" in out
    manifest = load_manifest(tmp_path / "c")
    assert (manifest.scenario, manifest.position, manifest.hub) == ("equal-famine", "challenger", "virginia")
    save = read_save(tmp_path / "c" / manifest.teams[0].save)
    assert save.scenario.id == "equal-famine" and {lab.position for lab in save.labs} == {"challenger"}
    assert open_team(tmp_path / "c", "Team 2").game.world.scenario.shocks  # the file's shocks travel in the save


def test_a_team_renamed_in_the_manifest_keeps_its_game(tmp_path, capsys):
    run(capsys, "class", "new", tmp_path / "c", "--teams", "2", "--quarters", "4")
    path = tmp_path / "c" / "class.toml"
    path.write_text(path.read_text().replace('name = "Team 2"', 'name = "Night Owls"'))
    campaign = open_team(tmp_path / "c", "night owls")
    assert (campaign.team, campaign.game.names[0]) == ("Night Owls", "Team 2")
    code, out, _ = run(capsys, "class", "status", tmp_path / "c", "--json")
    import json

    assert [(s["team"], s["lab"], s["status"]) for s in json.loads(out)] == [
        ("Team 1", "Team 1", "not started"), ("Night Owls", "Team 2", "not started")]
