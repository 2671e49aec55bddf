"""``class status`` and ``class autoplay``: who is where, bots in the teams' seats, and the same world for all."""

import json

import pytest
from class_helpers import BOTS, QUARTERS, SEED, run

from blitzgame.classroom.manifest import ClassError, load_manifest
from blitzgame.classroom.team import TeamLock, open_team
from blitzgame.engine import layout as F
from blitzgame.schemas.orders import Orders
from blitzgame.session.saves import load_game, read_save


@pytest.fixture
def fresh(tmp_path, capsys):
    folder = tmp_path / "class"
    code, _, err = run(capsys, "class", "new", folder, "--teams", "3", "--quarters", str(QUARTERS), "--seed", str(SEED))
    assert code == 0, err
    return folder


def test_status_shows_each_team_before_and_while_playing(fresh, capsys):
    code, out, err = run(capsys, "class", "status", fresh)
    assert code == 0, err
    assert out.count("not started") == 3 and "0/8" in out and "0 of 3 teams done." in out
    _, out, _ = run(capsys, "class", "status", fresh, "--json")  # no rank or score yet, as the table's "-"
    assert [(s["rank"], s["score"]) for s in json.loads(out)] == [(None, None)] * 3
    code, out, err = run(capsys, "class", "autoplay", fresh, "--bots", "defender", "--quarters", "2")
    assert code == 0, err
    assert out.count("defender played 2024Q1..2024Q2 (2 quarters)") == 3
    code, out, _ = run(capsys, "class", "status", fresh, "--json")
    states = json.loads(out)
    assert [s["team"] for s in states] == ["Team 1", "Team 2", "Team 3"]
    for s in states:
        assert (s["status"], s["quarters_played"], s["quarter"], s["next_quarter"], s["bot"]) == (
            "playing", 2, "2024Q2", "2024Q3", "defender")
        game, _ = load_game(fresh / "teams" / f"{s['team'].lower().replace(' ', '-')}.json")
        assert s["cash"] == float(game.state_labs[0, F.CASH]) and s["gpus"] == float(game.state_labs[0, F.ONLINE])
        assert s["saved_at"] is not None
    code, out, _ = run(capsys, "class", "status", fresh)
    assert out.count("2024Q2") == 3 and out.count("playing (defender)") == 3 and "2/8" in out
    assert "Last played" in out and "Score" in out  # the leaderboard's figure, previewed mid-class
    for s in states:
        row = next(line for line in out.splitlines() if line.startswith(s["team"] + " "))
        assert f"  {s['score']:,.1f}  " in row, row
    assert [t.last_bot for t in load_manifest(fresh).teams] == ["defender"] * 3  # the manifest notes who played


def test_a_team_played_by_hand_then_autoplayed_is_reported_as_both(fresh, capsys, tmp_path):
    from blitzgame.classroom.report import build_report

    campaign = open_team(fresh, "Team 1")
    campaign.submit(campaign.player, {"hire": 5.0})
    campaign.end_quarter()  # 2024Q1 by hand, saved
    code, _, err = run(capsys, "class", "autoplay", fresh, "--bots", "pure", "--team", "Team 1", "--quarters", "2")
    assert code == 0, err
    entry = load_manifest(fresh).team("Team 1")
    assert [(r.bot, r.first, r.until) for r in entry.bot_runs] == [("pure", 1, 3)]
    code, _, err = run(capsys, "class", "autoplay", fresh, "--bots", "pure", "--team", "Team 1", "--quarters", "1")
    runs = load_manifest(fresh).team("Team 1").bot_runs
    assert code == 0 and [(r.bot, r.first, r.until) for r in runs] == [("pure", 1, 4)]  # the same bot again: one run
    report = build_report(fresh, tmp_path / "report")
    team = next(t for t in report.teams if t.entry.name == "Team 1")
    assert team.bot_quarters == {1: "pure", 2: "pure", 3: "pure"} and team.played_by == "team, then pure from 2024Q2"


def test_a_team_back_from_a_bot_is_credited_with_its_own_quarters(fresh, capsys, tmp_path):
    """A teacher found a team's own quarters after a bot stood in credited to the bot (status
    "playing (defender)", the report's "team, then defender from 2024Q2", the debrief's tags):
    each stretch a bot played is kept, and the quarters around it are the team's."""
    from blitzgame.classroom.report import build_report

    def by_hand(quarters: int) -> None:
        campaign = open_team(fresh, "Team 1")
        for _ in range(quarters):
            campaign.submit(campaign.player, {"hire": 1.0})
            campaign.end_quarter()

    by_hand(1)  # 2024Q1
    assert run(capsys, "class", "autoplay", fresh, "--bots", "defender", "--team", "Team 1", "--quarters", "2")[0] == 0
    back = open_team(fresh, "Team 1")  # what the team reads at HQ as it takes the keyboard back
    assert "Your teacher's bot (defender) played your lab in 2024Q2..2024Q3" in back.class_line(back.player)
    by_hand(2)  # 2024Q4, 2025Q1: the team is back
    back = open_team(fresh, "Team 1")
    assert back.class_line(back.player) is None  # (its own quarter last: nothing to tell)
    assert run(capsys, "class", "autoplay", fresh, "--bots", "defender", "--team", "Team 1", "--quarters", "1")[0] == 0
    entry = load_manifest(fresh).team("Team 1")
    assert [(r.bot, r.first, r.until) for r in entry.bot_runs] == [("defender", 1, 3), ("defender", 5, 6)]
    by_hand(1)
    _, out, _ = run(capsys, "class", "status", fresh, "--json")
    assert json.loads(out)[0]["bot"] is None  # the team played the last quarter
    team = next(t for t in build_report(fresh, tmp_path / "report").teams if t.entry.name == "Team 1")
    assert team.bot_quarters == {1: "defender", 2: "defender", 5: "defender"}
    assert team.played_by == "the team's own orders 4 of 7 quarters, defender 3"
    tagged = [m.label for m in team.debrief.timeline if "(orders by defender)" in m.text]
    assert tagged and set(tagged) <= {"2024Q2", "2024Q3", "2025Q2"}


def test_a_team_that_rewinds_past_a_bots_stretch_gets_the_quarters_it_played_again(fresh, capsys, tmp_path):
    """A team back after a bot stood in went back to before the bot's quarters and played them
    itself: they were still credited to the bot (status, report, debrief)."""
    from blitzgame.classroom.report import build_report

    campaign = open_team(fresh, "Team 1")
    campaign.submit(campaign.player, {"hire": 1.0})
    campaign.end_quarter()  # 2024Q1 by hand
    assert run(capsys, "class", "autoplay", fresh, "--bots", "pure", "--team", "Team 1", "--quarters", "3")[0] == 0
    back = open_team(fresh, "Team 1")
    back.rewind(2)  # to the start of 2024Q3: the bot's 2024Q2 stands, its 2024Q3 and 2024Q4 are gone
    for _ in range(3):  # 2024Q3..2025Q1 by the team
        back.submit(back.player, {"hire": 1.0})
        back.end_quarter()
    assert back.class_line(back.player) is None  # (the team's own quarter last: no hand-back notice)
    _, out, _ = run(capsys, "class", "status", fresh, "--json")
    assert json.loads(out)[0]["bot"] is None and json.loads(out)[0]["rewinds"] == 1
    team = next(t for t in build_report(fresh, tmp_path / "report").teams if t.entry.name == "Team 1")
    assert team.bot_quarters == {1: "pure"}
    assert run(capsys, "class", "autoplay", fresh, "--bots", "pure", "--team", "Team 1", "--quarters", "1")[0] == 0
    entry = load_manifest(fresh).team("Team 1")  # a new stretch after the rewind: its own run, kept
    assert [(r.first, r.until, r.rewinds) for r in entry.bot_runs] == [(1, 4, 0), (5, 6, 1)]
    team = next(t for t in build_report(fresh, tmp_path / "again").teams if t.entry.name == "Team 1")
    assert team.bot_quarters == {1: "pure", 5: "pure"}


def test_autoplay_plays_to_the_end_then_has_nothing_left(fresh, capsys):
    code, out, err = run(capsys, "class", "autoplay", fresh, "--bots", "sprinter,efficient",
                         "--team", "Team 3", "--team", "Team 2")
    assert code == 0, err
    # the bots follow the order the teams were named in: Team 3 first, so it gets the first bot
    assert "Team 3: sprinter played 2024Q1.." in out and "Team 2: efficient played 2024Q1.." in out
    assert "Team 1" not in out
    code, out, err = run(capsys, "class", "autoplay", fresh, "--bots", "integrator,efficient")
    assert code == 0, err  # none named: the manifest's order, Team 1 first
    assert "Team 1: integrator played" in out and "Team 2: already done" in out and "Team 3: already done" in out
    code, out, _ = run(capsys, "class", "status", fresh, "--json")
    for s in json.loads(out):
        assert s["status"] in ("finished", "bankrupt", "acquired") and s["next_quarter"] is None
    for team in load_manifest(fresh).teams:
        game = open_team(fresh, team.name).game
        assert game.over or not game.alive(0)


def test_bad_autoplay_arguments_change_nothing(fresh, capsys):
    before = {p.name: p.read_bytes() for p in (fresh / "teams").iterdir()}
    for args, message in ((["--bots", "nobody"], "--bots: unknown bot 'nobody'"),
                          (["--bots", "defender", "--team", "Team 7"], "no team 'Team 7'"),
                          (["--bots", "defender", "--quarters", "0"], "expected a number of at least 1"),
                          # dealt to the teams in turn, a bot past the last team would never play
                          (["--bots", "sprinter,defender,pure,platform"], "--bots names 4 bots for 3 teams; name at most 3"),
                          (["--bots", "sprinter,defender", "--team", "Team 2"], "--bots names 2 bots for 1 team;")):
        code, _, err = run(capsys, "class", "autoplay", fresh, *args)
        assert code == 2 and message in err, err
    assert {p.name: p.read_bytes() for p in (fresh / "teams").iterdir() if not p.name.startswith(".")} == before


def test_a_team_being_played_is_skipped_over_the_class_and_refused_by_name(fresh, capsys):
    manifest = load_manifest(fresh)
    before = read_save(fresh / manifest.teams[1].save)
    with TeamLock(fresh / manifest.teams[1].save, "Team 2"):
        code, out, err = run(capsys, "class", "autoplay", fresh, "--bots", "defender", "--quarters", "1")
        assert code == 0, err
        assert "Team 2: someone is playing it" in out and "skipped" in out and '--team "Team 2"' in out
        assert "Team 1: defender played" in out and "Team 3: defender played" in out
        code, _, err = run(capsys, "class", "autoplay", fresh, "--bots", "defender", "--team", "Team 2")
        assert code == 2 and "Team 2 is being played already" in err
        with pytest.raises(ClassError, match="being played already"):
            TeamLock(fresh / manifest.teams[1].save, "Team 2").acquire()
    assert read_save(fresh / manifest.teams[0].save).quarters_played == 1
    assert read_save(fresh / manifest.teams[1].save).digest == before.digest  # the busy team was left alone
    assert load_manifest(fresh).teams[1].bot is None
    code, _, err = run(capsys, "class", "autoplay", fresh, "--bots", "defender", "--quarters", "1", "--team", "Team 2")
    assert code == 0, err  # the lock went with its holder


def test_two_teams_giving_the_same_orders_get_bit_identical_games(fresh):
    """Same scenario, seed, seat and rivals: the teams' games differ only through their orders."""
    a, b, c = (open_team(fresh, f"Team {k}") for k in (1, 2, 3))
    plan = [Orders(gpus={"nordics": 400.0}, power_mw={"nordics": 2.0}, hire=4.0, equity=300.0),
            Orders(rent=500.0, efficiency_rnd=20.0), Orders(gpus={"virginia": 900.0}, premium=0.2, train_split=0.4)]
    for orders in plan:
        for campaign in (a, b):
            campaign.submit(campaign.player, orders)
            campaign.end_quarter()
        c.submit(c.player, orders.model_copy(update={"hire": 5.0}))
        c.end_quarter()
    saves = [read_save(fresh / "teams" / f"team-{k}.json") for k in (1, 2, 3)]
    assert [s.quarters_played for s in saves] == [3, 3, 3]
    assert saves[0].digest == saves[1].digest  # every lab, every number, bit for bit
    assert saves[0].orders == saves[1].orders  # the rivals answered alike too
    assert saves[2].digest != saves[0].digest  # one more researcher hired is another game


def test_autoplayed_teams_with_the_same_bot_match_bit_for_bit(played_class):
    manifest = load_manifest(played_class)
    bots = BOTS.split(",")
    assert [t.last_bot for t in manifest.teams] == bots
    digests = [read_save(played_class / t.save).digest for t in manifest.teams]
    assert digests[0] == digests[3]  # teams 1 and 4: both sprinter
    assert len(set(digests)) == len(set(bots))


def test_a_hold_at_the_first_quarter_says_nobody_plays_until_released(fresh, capsys):
    code, out, err = run(capsys, "class", "hold", fresh, "--at", "2024Q1")
    assert code == 0, err
    assert "first quarter" in out and "nobody plays until you release the class" in out


def test_one_team_is_one_team(tmp_path, capsys):
    code, out, err = run(capsys, "class", "new", tmp_path / "solo", "--teams", "1", "--quarters", str(QUARTERS))
    assert code == 0, err
    assert ": 1 team, scenario" in out


def test_a_file_bot_is_reported_by_its_name_and_its_spec_once(fresh, capsys, tmp_path):
    """The leaderboard names a bot from a file by its ``Bot.name``, as tournaments do; the team's
    page gives the file once."""
    from blitzgame.classroom.report import build_report

    bot = tmp_path / "lean_bot.py"
    bot.write_text("from blitzgame.bots import Bot, Orders\n\n\nclass Lean(Bot):\n    name = 'lean'\n\n"
                   "    def decide(self, obs):\n        return Orders(hire=1.0)\n")
    code, _, err = run(capsys, "class", "autoplay", fresh, "--bots", f"{bot}:Lean", "--team", "Team 2", "--quarters", "2")
    assert code == 0, err
    report = build_report(fresh, tmp_path / "report")
    team = next(t for t in report.teams if t.entry.name == "Team 2")
    assert team.played_by == "lean" and team.only_bot == f"{bot}:Lean"
    page = (tmp_path / "report" / "teams" / "team-2.md").read_text()
    assert page.count(f"{bot}:Lean") == 1 and "orders by lean" in page


def test_a_manifest_from_before_bot_runs_reads_as_it_did_and_carries_on():
    """Classes autoplayed before each stretch was kept say a bot played from ``bot_from`` (or the
    start) on; a new stretch keeps that one as a run of its own."""
    from blitzgame.classroom.manifest import TeamEntry

    old = TeamEntry(name="Team 1", save="teams/team-1.json", bot="pure", bot_from=2)
    assert old.bot_quarters(4) == {2: "pure", 3: "pure"} and old.playing_bot(4) == "pure" and old.last_bot == "pure"
    later = old.with_run("defender", 6, 8)
    assert [(r.bot, r.first, r.until) for r in later.bot_runs] == [("pure", 2, 6), ("defender", 6, 8)]
    assert (later.bot, later.bot_from, later.last_bot) == (None, None, "defender")
    assert later.playing_bot(9) is None and later.bot_quarters(9)[7] == "defender"
    whole = TeamEntry(name="Team 2", save="teams/team-2.json", bot="sprinter")  # (older still: all of it)
    assert whole.bot_quarters(3) == dict.fromkeys(range(3), "sprinter")
    assert [(r.first, r.until) for r in whole.with_run("sprinter", 3, 5).bot_runs] == [(0, 5)]
