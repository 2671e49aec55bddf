"""The teacher's controls: hold the class at a quarter, rewinds off (and every rewind recorded),
join codes on the teams' pages."""

import pytest
from class_helpers import run

from blitzgame.classroom.create import new_class
from blitzgame.classroom.manifest import ClassError, load_manifest
from blitzgame.classroom.shared import SharedClass, new_shared_class
from blitzgame.classroom.team import TeamDoor, open_team, read_rewinds


@pytest.fixture
def room(tmp_path):
    folder = tmp_path / "room"
    new_class(folder, teams=2, scenario="base-2024", seed=4, quarters=8)
    return folder


def test_a_held_class_stops_every_team_at_the_quarter_until_released(room, capsys):
    code, out, _ = run(capsys, "class", "hold", room, "--at", "2024Q3")
    assert code == 0 and "Held at 2024Q3" in out
    code, out, _ = run(capsys, "class", "autoplay", room, "--bots", "sprinter")
    assert code == 0 and out.count("played 2024Q1..2024Q2 (2 quarters)") == 2 and "held at 2024Q3" in out
    campaign = open_team(room, "Team 1")
    assert campaign.game.label == "2024Q3"
    assert "holds the class at 2024Q3" in campaign.end_refusal(campaign.player)
    assert "Held at 2024Q3" in campaign.class_line(campaign.player)
    code, out, _ = run(capsys, "class", "status", room)
    assert "Held at 2024Q3" in out and out.count("held at 2024Q3 (sprinter)") == 2  # each team waits there
    code, out, _ = run(capsys, "class", "release", room)
    assert code == 0 and out.startswith("Released from 2024Q3: every team plays on.")
    code, out, _ = run(capsys, "class", "release", room)  # again: nothing held any more, and it says so
    assert code == 0 and out.startswith("The class was not held")
    assert campaign.end_refusal(campaign.player) is None, "a team's open game sees the release"
    code, out, _ = run(capsys, "class", "autoplay", room, "--bots", "sprinter", "--quarters", "1")
    assert "played 2024Q3..2024Q3 (1 quarter)" in out
    code, _, err = run(capsys, "class", "hold", room, "--at", "2024Q2")  # every team is past it: a typo, refused
    assert code == 2 and "--at 2024Q2: every team has played it already (the furthest behind is at 2024Q4); hold at " \
                         "2024Q4 or later" in err
    assert load_manifest(room).hold is None  # nothing changed
    run(capsys, "class", "autoplay", room, "--bots", "sprinter", "--quarters", "1", "--team", "Team 1")
    code, out, _ = run(capsys, "class", "hold", room, "--at", "2024Q4")  # Team 1 is past it, Team 2 is not
    assert code == 0 and "Already past 2024Q4: Team 1; each waits where it is" in out
    code, out, _ = run(capsys, "class", "status", room)
    assert "held at 2025Q1" in out and "held at 2024Q4" in out, "a team past the hold waits where it is"
    assert "holds the class at 2024Q4" in open_team(room, "Team 1").end_refusal(0)


def test_moving_a_hold_says_which_teams_play_on(room, capsys):
    run(capsys, "class", "hold", room, "--at", "2024Q3")
    code, out, _ = run(capsys, "class", "hold", room, "--at", "2025q1")  # a teacher moving it (or a typo)
    assert code == 0 and out.startswith("Moved the hold from 2024Q3 to 2025Q1: teams waiting at 2024Q3 play on up to it.")
    code, out, _ = run(capsys, "class", "hold", room, "--at", "2024Q2")
    assert code == 0 and out.startswith("Moved the hold from 2025Q1 to 2024Q2, earlier: a team already past it waits "
                                        "where it is.")
    code, out, _ = run(capsys, "class", "hold", room, "--at", "2024Q2")  # the same again: nothing moves
    assert code == 0 and out.startswith("Held at 2024Q2")


@pytest.mark.parametrize("quarter", ["2023Q4", "2026Q1", "soon"])
def test_a_hold_outside_the_campaign_is_refused(room, capsys, quarter):
    code, _, err = run(capsys, "class", "hold", room, "--at", quarter)
    assert code == 2 and "expected a quarter of the campaign, 2024Q1 to 2025Q4" in err
    assert load_manifest(room).hold is None


def test_rewinds_off_and_every_rewind_recorded(tmp_path, capsys, room):
    strict = tmp_path / "strict"
    code, out, _ = run(capsys, "class", "new", strict, "--teams", "2", "--quarters", "8", "--no-rewind")
    assert code == 0 and "Rewinds are off" in out
    campaign = open_team(strict, "Team 1")
    assert "Rewind is off in this class" in campaign.rewind_refusal()
    code, out, _ = run(capsys, "class", "status", strict)
    assert "rewinds off" in out

    team = open_team(room, "Team 1")
    assert team.rewind_refusal() is None
    for _ in range(3):
        team.end_quarter()
    team.rewind(1)
    rewinds = read_rewinds(team.save_path)
    assert [(r["from"], r["to"]) for r in rewinds] == [("2024Q4", "2024Q2")]
    code, out, _ = run(capsys, "class", "status", room)
    assert "rewound 1x" in out
    code, out, _ = run(capsys, "class", "report", room, "--no-whatif")
    assert "team, rewound 1x" in out
    page = (room / "report" / "teams" / "team-1.md").read_text()
    assert "The team rewound once (from 2024Q4 back to 2024Q2)" in page


def test_a_team_page_opens_only_with_its_join_code(room):
    codes = {team.name: team.code for team in load_manifest(room).teams}
    assert all(codes.values()) and len(set(codes.values())) == 2
    door = TeamDoor(room, "team 1")
    try:
        with pytest.raises(ClassError, match="not Team 1's join code"):
            door(codes["Team 2"])
        campaign = door(codes["Team 1"].upper())  # as typed, case does not matter
        assert campaign.team == "Team 1"
        with pytest.raises(ClassError, match="being played already"):
            TeamDoor(room, "Team 1")(codes["Team 1"])  # a second tab of the same team
    finally:
        door.close()
    with pytest.raises(ClassError, match="no team"):
        TeamDoor(room, "Team 9")


def test_a_held_shared_class_waits_for_the_teacher(tmp_path, capsys):
    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=2, rivals=[], quarters=4,
                     deadline=0.01)
    code, out, _ = run(capsys, "class", "hold", folder, "--at", "2024Q2")
    assert code == 0 and "Held at 2024Q2" in out
    with SharedClass(folder) as shared:
        shared.submit(0, {})
        shared.submit(1, {})
        assert shared.game.quarter == 1, "2024Q1 is before the hold: it closes when every team is in"
        shared.submit(0, {})
        shared.submit(1, {})
        assert shared.game.quarter == 1 and shared.held() == "2024Q2", "every team in, past the deadline: held"
        code, out, _ = run(capsys, "class", "status", folder)
        assert "HELD at 2024Q2" in out
        shared.resolve(force=True)  # the teacher's `class next` still closes it
        assert shared.game.quarter == 2
        assert shared.manifest.hold is None and shared.held() is None, "the hold is spent: 2024Q3 closes as usual"
        shared.submit(0, {})
        shared.submit(1, {})
        assert shared.game.quarter == 3
    run(capsys, "class", "release", folder)
    with SharedClass(folder) as shared:
        assert shared.held() is None and shared.manifest.hold is None
    code, _, err = run(capsys, "class", "hold", folder, "--at", "2024Q2")  # played already: a typo, refused
    assert code == 2 and "--at 2024Q2: the class has played it already and is at 2024Q4; hold at 2024Q4 or later" in err
    with SharedClass(folder) as shared:
        assert shared.manifest.hold is None  # nothing changed


def test_class_next_at_a_hold_spends_it_and_two_at_once_close_one_quarter(tmp_path, capsys):
    """`class next` closing the held quarter says the class runs on (it stayed held at every later
    quarter, and nothing closed them); two `class next` read the same open quarter before either
    closed it: the second closes nothing (it closed the next quarter too, every team's lab played
    by the autopilot)."""
    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=2, rivals=[], quarters=4)
    run(capsys, "class", "hold", folder, "--at", "2024Q1")
    code, out, _ = run(capsys, "class", "next", folder, "--quarter", "2024Q1")
    assert code == 0 and "Closed 2024Q1: Red, Blue had not submitted (did nothing). The hold at 2024Q1 is spent" in out
    with SharedClass(folder) as first, SharedClass(folder) as second:
        assert first.state().label == second.state().label == "2024Q2"  # both read it open, before either closes it
        first.resolve(force=True, only=1)
        second.resolve(force=True, only=1)
        assert first.closed == 1 and second.closed is None
        assert second.game.quarter == 2 and [row[4] for row in second.quarter_rows()][:2] == ["instructor"] * 2
        assert second.quarter_rows()[2][3] is None  # 2024Q3 is open
    code, out, _ = run(capsys, "class", "next", folder, "--quarter", "2024Q3")
    assert code == 0 and out.startswith("Closed 2024Q3")


def test_autoplay_stops_at_a_shared_class_hold_and_says_so(tmp_path, capsys):
    """Bots in every seat play up to the hold, then stop and say where, and that a release lets
    them play on (it said "the campaign goes on", and, held at once, "the campaign is over")."""
    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=2, rivals=[], quarters=4)
    run(capsys, "class", "hold", folder, "--at", "2024Q2")
    code, out, _ = run(capsys, "class", "autoplay", folder, "--bots", "defender")
    assert code == 0 and "Played 2024Q1 (1 quarter); held at 2024Q2 (class release lets it play on" in out
    code, out, _ = run(capsys, "class", "autoplay", folder, "--bots", "defender")
    assert code == 0 and "Held at 2024Q2: the bots' orders are in, nothing played (class release lets it play on" in out
    assert "over" not in out
    run(capsys, "class", "release", folder)
    code, out, _ = run(capsys, "class", "autoplay", folder, "--bots", "defender")
    assert code == 0 and "the campaign is over." in out


def test_releasing_a_held_quarter_gives_it_its_time_again(tmp_path, capsys):
    """Held past its deadline, a quarter closed the moment the teacher released it and the
    autopilot played every team not in: a released quarter's deadline counts again from then."""
    import time

    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=2, rivals=[], quarters=4,
                     deadline=20.0, autopilot="defender")
    with SharedClass(folder) as shared:
        shared.claim(0)  # the first team sits down: the clock starts
        shared.release()
        later = time.time() + 100.0  # ... and runs out
        assert shared.ready(later) == "deadline"
        shared.set_hold("2024Q1")
        assert shared.ready(later) is None  # held: it waits
    code, out, _ = run(capsys, "class", "release", folder)
    assert code == 0 and "Released from 2024Q1: every team plays on (the class is at 2024Q1; its deadline counts " \
                         "again from now: 20 s to give orders)." in out, out
    with SharedClass(folder) as shared:
        assert shared.ready() is None and 15.0 < shared.state().seconds_left() <= 20.0
        assert shared.game.quarter == 0  # nothing was played
        shared.set_hold("2024Q3")  # a hold further on: the open quarter keeps its clock
        left = shared.state().seconds_left()
        shared.set_hold(None)  # not holding the open quarter: released, its clock as it was
        assert shared.state().seconds_left() <= left


def test_an_abbreviated_flag_is_refused_not_guessed(tmp_path, capsys):
    """`class autoplay --bot X` read as `--bots X` seated bots at every team, and blocked."""
    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=2, rivals=[], quarters=4)
    code, _, err = run(capsys, "class", "autoplay", folder, "--bot", "sprinter", "--team", "Red")
    assert code == 2 and "required: --bots" in err
    with SharedClass(folder) as shared:
        assert shared.game.quarter == 0 and shared.submission(0) is None
