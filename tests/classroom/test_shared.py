"""A shared class: every team a lab of one world, its state in one SQLite database."""

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from class_helpers import run

from blitzgame.classroom.manifest import ClassError
from blitzgame.classroom.shared import (
    DATABASE,
    LateOrders,
    SharedClass,
    autoplay_shared,
    new_shared_class,
    parse_duration,
)
from blitzgame.engine import layout as F

TEAM_SCRIPT = Path(__file__).with_name("shared_team.py")
SCENARIO = "classroom-famine-crash"  # six equal labs, sixteen quarters
SMALL = "base-2024"  # cut to four quarters for the quick tests
BOTS = ("sprinter", "defender", "efficient", "platform", "integrator", "pure")


@pytest.fixture
def two_teams(tmp_path) -> Path:
    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario=SMALL, seed=7, rivals=["defender"], quarters=4)
    return folder


def replayed_digests(folder: Path) -> list[str]:
    """Every quarter's digest, replayed from scratch in a new process's view of the class."""
    shared = SharedClass(folder)  # replays the whole log, checking each quarter's digest
    try:
        return [row[5] for row in shared.quarter_rows() if row[3] is not None]
    finally:
        shared.close()


# --- the world and the log --------------------------------------------------------------
def test_teams_and_rivals_are_labs_of_one_world(two_teams):
    shared = SharedClass(two_teams)
    assert shared.game.names[:2] == ["Red", "Blue"] and shared.game.n_labs == 3
    shared.submit(0, {"hire": 5})
    assert shared.game.quarter == 0, "one team in: the quarter waits for the other"
    assert [s.team for s in shared.state().submitted] == ["Red"] and shared.state().waiting == ("Blue",)
    other = SharedClass(two_teams)  # another process
    other.submit(1, {"gpus": {"virginia": 500}})
    assert other.game.quarter == 1, "the last team in resolves the quarter"
    assert shared.resolve() and shared.game.quarter == 1
    assert shared.game.digest() == other.game.digest()
    assert shared.sources(0) == ["team", "team", "bot"]
    assert shared.game.orders_log[0][1].gpus == {"virginia": 500.0}
    shared.close()
    other.close()


def test_a_late_submission_is_refused_naming_its_quarter_and_changes_nothing(two_teams):
    early, late = SharedClass(two_teams), SharedClass(two_teams)
    early.submit(0, {})
    early.resolve(force=True)  # the instructor closes 2024Q1 while Blue still has its form open
    with pytest.raises(LateOrders, match="2024Q1 has closed"):
        late.submit(1, {"hire": 9})
    assert late.game.quarter == 0 or late.sync() == []
    rows = sqlite3.connect(two_teams / DATABASE).execute("SELECT quarter, team FROM submissions").fetchall()
    assert rows == [(0, 0)]
    assert early.sources(0) == ["team", "empty", "bot"]


def test_changing_orders_before_the_quarter_closes_keeps_the_last(two_teams):
    shared = SharedClass(two_teams)
    shared.submit(0, {"hire": 5})
    shared.submit(0, {"hire": 7})
    assert shared.submission(0).hire == 7
    shared.submit(1, {})
    assert shared.game.orders_log[0][0].hire == 7


def test_the_deadline_closes_the_quarter_with_the_autopilot(tmp_path):
    folder = tmp_path / "deadline"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario=SMALL, seed=1, rivals=[], quarters=4,
                     deadline=0.3, autopilot="defender")
    shared = SharedClass(folder)
    assert shared.state().deadline is None, "the clock starts when the first team sits down"
    shared.claim(0)
    assert shared.state().deadline is not None
    shared.submit(0, {})
    time.sleep(0.35)
    assert shared.poll(), "past its deadline, any process's poll closes the quarter"
    assert shared.sources(0) == ["team", "autopilot"]
    assert shared.quarter_rows()[0][4] == "deadline"


def test_a_team_cannot_be_played_twice_at_once(two_teams):
    first, second = SharedClass(two_teams), SharedClass(two_teams)
    first.claim(0)
    with pytest.raises(ClassError, match="Red is already being played"):
        second.claim(0)
    second.claim(1)  # another team is free
    first.release()
    second.claim(0)  # free again once the first window let it go


def test_a_claim_of_a_process_that_is_gone_lapses(two_teams):
    import socket

    shared = SharedClass(two_teams)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db = sqlite3.connect(two_teams / DATABASE)
    db.execute("INSERT INTO claims VALUES (0, 'old', ?, ?, ?)", (int(gone.stdout), socket.gethostname(), time.time()))
    db.commit()
    shared.claim(0)  # the process that held it has exited: the terminal was closed


@pytest.mark.parametrize("damage", ["garbage", "foreign", "altered"])
def test_a_damaged_or_foreign_database_is_refused_in_one_line(two_teams, damage):
    path = two_teams / DATABASE
    if damage == "garbage":
        for leftover in (two_teams / f"{DATABASE}-wal", two_teams / f"{DATABASE}-shm"):
            leftover.unlink(missing_ok=True)
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "foreign":
        path.unlink()
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', 'someone-else')")
        db.commit()
        db.close()
    else:  # a quarter's played orders changed after it resolved
        shared = SharedClass(two_teams)
        shared.resolve(force=True)
        shared.close()
        db = sqlite3.connect(path)
        db.execute("""UPDATE played SET orders = '{"hire": 50.0}' WHERE lab = 0""")
        db.commit()
        db.close()
    with pytest.raises(ClassError) as refused:
        SharedClass(two_teams)
    message = str(refused.value)
    assert "\n" not in message and str(path) in message
    assert {"garbage": "not a Blitzgame class database", "foreign": "not a Blitzgame class database",
            "altered": "does not replay"}[damage] in message


def test_a_world_with_more_labs_than_its_scenario_grows_its_markets(tmp_path):
    from blitzgame.engine import layout as F
    from blitzgame.session.world import compile_world

    folder = tmp_path / "big"
    names = [f"Team {k}" for k in range(1, 13)]
    new_shared_class(folder, team_names=names, scenario=SCENARIO, seed=3, rivals=[])
    shared = SharedClass(folder)
    base = compile_world(SCENARIO)
    assert shared.game.n_labs == 12
    assert shared.game.state_world[F.VENDOR_SUPPLY] == pytest.approx(2 * base.scenario.world.vendor_supply.value)
    assert shared.world.hubs[:, F.HP_HEADROOM] == pytest.approx(2 * base.hubs[:, F.HP_HEADROOM])


def test_autoplay_fills_every_seat_and_replays_to_the_same_game(two_teams):
    done = autoplay_shared(two_teams, ["sprinter", "efficient"], wait=0.01)
    assert done.over and done.quarters == 4 and [t[1] for t in done.teams] == ["sprinter", "efficient"]
    digests = replayed_digests(two_teams)
    assert len(digests) == 4 and len(set(digests)) == 4


# --- the command line -----------------------------------------------------------------
def test_class_new_shared_status_next_and_autoplay(tmp_path, capsys):
    folder = tmp_path / "room"
    code, out, _ = run(capsys, "class", "new", folder, "--shared", "--teams", "3", "--scenario", SMALL,
                       "--quarters", "4", "--deadline", "10m", "--autopilot", "defender")
    assert code == 0 and "Join code" in out and "Team 3" in out and "10:00 after it opens" in out
    code, out, _ = run(capsys, "class", "status", folder)
    assert code == 0 and "0 of 3 teams in" in out and "bot: " in out and "clock starts when the first team sits down" in out
    assert "Home hub" in out and "Northern Virginia" in out  # teams start at hubs of their own: its risks are theirs
    code, _, err = run(capsys, "class", "next", folder)  # the quarter has just opened: running it twice skips nothing
    assert code == 2 and "nothing was closed" in err and "--quarter 2024Q1" in err
    code, _, err = run(capsys, "class", "next", folder, "--quarter", "2024Q2")
    assert code == 2 and "the open quarter is 2024Q1, not 2024Q2" in err
    with SharedClass(folder) as shared:  # older than the guard's ten seconds: the guard against none in stands
        shared.db.execute("UPDATE quarters SET opened = opened - 60")
        shared.db.commit()
    code, _, err = run(capsys, "class", "next", folder)  # a teacher's slip: no team in yet
    assert code == 2 and "no team has sent orders for 2024Q1 yet, so nothing was closed (the autopilot " in err
    assert "--quarter 2024Q1" in err
    code, out, _ = run(capsys, "class", "next", folder, "--quarter", "2024q1")
    assert code == 0 and "Closed 2024Q1: Team 1, Team 2, Team 3 had not submitted (played by defender)" in out
    code, out, _ = run(capsys, "class", "autoplay", folder, "--bots", "sprinter")
    assert code == 0 and "Played 2024Q2..2024Q4 (3 quarters); the campaign is over." in out
    code, out, _ = run(capsys, "class", "status", folder, "--json")
    status = json.loads(out)
    assert status["over"] and status["quarters_played"] == 4 and len(status["labs"]) == 5
    assert all(lab["hub"] for lab in status["labs"])


@pytest.mark.parametrize("argv, message", [
    (["--deadline", "10m"], "--deadline and --autopilot are for a shared class"),
    (["--shared", "--deadline", "soon"], "expected a duration like 10m"),
    (["--shared", "--autopilot", "nobody"], "--autopilot"),
    (["--shared", "--rivals", ",".join(["sprinter"] * 29)], "a shared class has 2-30 labs"),
    (["--shared", "--team-names", "Red,red"], "--team-names: each team needs a name of its own (Red, red given "
                                                   "twice)"),
])
def test_bad_shared_class_flags_are_refused_and_make_nothing(tmp_path, capsys, argv, message):
    folder = tmp_path / "room"
    code, out, err = run(capsys, "class", "new", folder, "--teams", "2", *argv)
    assert code == 2 and message in err
    assert not folder.exists()


def test_durations():
    assert [parse_duration(t) for t in ("10m", "90s", "1h30m", "0m45s")] == [600, 90, 5400, 45]
    for bad in ("", "0s", "10 minutes", "-5"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    with pytest.raises(ValueError, match="give '5' a unit: 5m for minutes or 5s for seconds"):
        parse_duration("5")  # a teacher who meant minutes would get quarters of five seconds


# --- six teams, six processes -------------------------------------------------------------
def test_six_team_processes_play_sixteen_quarters_and_the_log_replays(tmp_path):
    """Six processes submit concurrently for sixteen quarters, with a deadline: one team is late
    twice (its orders refused, the autopilot plays it), one process is killed mid-game and its
    team is taken up by a new process. No orders lost, no quarter resolved twice, and the
    database replays to the digests it recorded."""
    folder = tmp_path / "room"
    teams = [f"Team {k}" for k in range(1, 7)]
    new_shared_class(folder, team_names=teams, scenario=SCENARIO, seed=11, rivals=[], deadline=4.0,
                     autopilot="defender")

    def start(k: int, *extra: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, str(TEAM_SCRIPT), str(folder), teams[k], BOTS[k], *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    procs = {k: start(k) for k in range(6) if k not in (1, 4)}
    procs[1] = start(1, "--late", "3,9")  # Team 2 comes in after 2024Q4 and 2025Q2... closed
    killed = start(4, "--stop-after", "5")  # Team 5's terminal is closed after it gave 2025Q2's orders
    out_killed, err = killed.communicate(timeout=300)
    assert "stopped" in out_killed, err
    procs[4] = start(4)  # a new terminal takes the team up again: the dead process's claim lapses
    outs = {}
    for k, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{teams[k]}: {err}"
        outs[k] = out
    digests = {line.split()[1] for out in outs.values() for line in out.splitlines() if line.startswith("done")}
    assert len(digests) == 1, "every process ends in the same world"

    db = sqlite3.connect(folder / DATABASE)
    quarters = db.execute("SELECT quarter, resolved, digest FROM quarters ORDER BY quarter").fetchall()
    assert [q for q, _, _ in quarters] == list(range(16)) and all(r is not None for _, r, _ in quarters)
    assert db.execute("SELECT COUNT(*) FROM played").fetchone()[0] == 16 * 6, "each quarter played once"
    late = [line for line in outs[1].splitlines() if line.startswith("late")]
    assert [line.split()[1] for line in late] == ["3", "9"] and all("has closed" in line for line in late)
    for q in (3, 9):
        assert db.execute("SELECT source FROM played WHERE quarter = ? AND lab = 1", (q,)).fetchone()[0] == "autopilot"
    # every submission taken is the orders its lab played
    for quarter, team, orders in db.execute("SELECT quarter, team, orders FROM submissions"):
        played, source = db.execute("SELECT orders, source FROM played WHERE quarter = ? AND lab = ?",
                                    (quarter, team)).fetchone()
        assert source == "team" and json.loads(played) == json.loads(orders)
    teams_in = db.execute("SELECT COUNT(*) FROM played WHERE source = 'team'").fetchone()[0]
    alive_quarters = db.execute("SELECT COUNT(*) FROM played WHERE source != 'out'").fetchone()[0]
    assert teams_in >= alive_quarters - 2 - 1, "only the late quarters (and the killed team's gap) were not in"
    assert replayed_digests(folder) == [d for _, _, d in quarters]
    assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0, "every live process let go of its team"


def test_the_class_report_of_a_shared_class_shows_one_world(two_teams, tmp_path):
    from blitzgame.classroom.report import build_report

    autoplay_shared(two_teams, ["sprinter", "efficient"], wait=0.01)
    report = build_report(two_teams, tmp_path / "report")
    index = report.index.read_text()
    assert "in one shared world" in index and "for the whole class" not in index or "one crash" in index
    assert [t.entry.name for t in sorted(report.teams, key=lambda t: t.index)] == ["Red", "Blue"]
    assert all(t.game is report.teams[0].game for t in report.teams), "every team is a lab of the same game"
    assert report.rows == 3 * 4 and set(report.team_pages) == {"Red", "Blue"}
    red = next(t for t in report.teams if t.entry.name == "Red")
    assert red.entry.bot == "sprinter" and red.whatif is not None and red.whatif.best.who != "sprinter"
    assert "Played by the bot `sprinter`" in report.team_markdown["Red"].read_text()


def test_a_bot_lab_in_a_seat_no_team_took_is_in_the_class_charts_and_csv(two_teams, tmp_path):
    """Two teams in a world of three labs: the defender bot's lab, which `class status` shows,
    is in the class's charts and results.csv too, marked as a bot's lab."""
    import csv

    from blitzgame.classroom.report import build_report

    autoplay_shared(two_teams, ["sprinter", "efficient"], wait=0.01)
    report = build_report(two_teams, tmp_path / "report")
    game = report.teams[0].game
    bot_lab = game.names[2]
    assert [(b.name, b.lab, b.bot) for b in report.bot_labs] == [(bot_lab, 2, "defender")]
    label = f"{bot_lab} (bot: defender)"
    for chart in ("gpus", "cash", "share", "score"):
        assert f"<!-- {label} -->" in (report.out / "charts" / f"{chart}.svg").read_text(), chart
    assert label in report.markdown.read_text() and "Market share, by lab (teams and bots)" in report.markdown.read_text()
    with open(report.csv, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["lab"] == bot_lab]
    assert [(r["team"], r["bot"], r["quarter_index"]) for r in rows] == [("", "defender", str(k)) for k in range(1, 5)]
    assert int(rows[-1]["gpus_online"]) == round(game.state_labs[2, F.ONLINE])
    assert int(rows[-1]["rank"]) == game.state_labs[2, F.RANK]
    assert set(report.team_pages) == {"Red", "Blue"}, "a bot's lab is no team: no page, no leaderboard row"


def test_a_team_that_played_by_hand_and_then_by_bot_is_reported_as_both(two_teams, tmp_path):
    """The report, results.csv and the team's own screen say who gave each quarter's orders."""
    import csv

    from blitzgame.classroom.report import build_report
    from blitzgame.classroom.shared_play import SharedCampaign

    with SharedClass(two_teams) as shared:
        shared.submit(0, {"hire": 5.0})  # Red by hand
        shared.submit(1, {"hire": 7.0})  # Blue by hand: the quarter closes
    with SharedClass(two_teams) as shared:
        shared.submit(1, {})  # Blue is in for 2024Q2 first ...
    autoplay_shared(two_teams, ["sprinter"], wait=0.01, teams=["Red"], quarters=1)  # ... the bot plays Red's 2024Q2
    with SharedClass(two_teams) as shared:
        shared.submit(0, {"hire": 1.0})  # 2024Q3 by hand again
        shared.submit(1, {})
        assert shared.autoplayed_quarters() == {0: {1: "sprinter"}}
    report = build_report(two_teams, tmp_path / "report")
    red = next(t for t in report.teams if t.entry.name == "Red")
    assert red.bot_quarters == {1: "sprinter"} and red.only_bot is None
    assert red.played_by == "the team's own orders 2 of 3 quarters, sprinter 1", "the team played 2024Q3 again"
    assert "Class autoplay: `sprinter` gave the lab's orders in 1 of its 3 quarters." in report.team_markdown["Red"].read_text()
    with open(report.csv, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["team"] == "Red"]
    assert [r["bot"] for r in rows] == ["", "sprinter", ""]
    decisions = [m for m in red.debrief.timeline if m.kind == "decision"]  # the bot's orders, not the team's
    assert decisions and all(m.text.endswith("(orders by sprinter)") == (m.quarter == 1) for m in decisions)
    campaign = SharedCampaign.open(two_teams, "Red")
    try:
        assert "class autoplay played your lab with the bot sprinter" in campaign.note_for(1)
        assert "your orders were in" in campaign.note_for(2)
    finally:
        campaign.close()


def test_the_teacher_changes_the_deadline_mid_class(two_teams, capsys):
    code, out, _ = run(capsys, "class", "deadline", two_teams, "5m")
    assert code == 0 and "2024Q1's clock starts when the first team sits down" in out
    with SharedClass(two_teams) as shared:
        assert shared.manifest.deadline == 300 and shared.state().deadline is None
        shared.claim(0)
        opened = shared.state().opened
        assert shared.state().deadline == pytest.approx(opened + 300)
        shared.release()
    code, out, _ = run(capsys, "class", "deadline", two_teams, "90s")
    assert code == 0 and "Quarters stay open 1:30 from 2024Q1 on" in out
    with SharedClass(two_teams) as shared:
        assert shared.state().deadline == pytest.approx(opened + 90), "the open quarter's clock counts from its start"
    code, out, _ = run(capsys, "class", "deadline", two_teams, "off")
    assert code == 0 and "No deadline" in out
    with SharedClass(two_teams) as shared:
        assert shared.manifest.deadline is None and shared.state().deadline is None
    code, _, err = run(capsys, "class", "deadline", two_teams, "later")
    assert code == 2 and "expected a duration" in err


def test_a_shorter_deadline_never_closes_the_open_quarter_at_once(two_teams):
    with SharedClass(two_teams) as shared:
        shared.set_deadline(90.0)
        shared.claim(0)
        opened = shared.state().opened
        shared.set_deadline(30.0, now=opened + 41.0)  # 49 s were left: the teams get 30 s from now
        assert shared.state().deadline == pytest.approx(opened + 71.0, abs=1e-6)
        assert shared.ready(now=opened + 45.0) is None
        shared.set_deadline(20.0, now=opened + 65.0)  # 6 s were left, and stay: shorter never means later
        assert shared.state().deadline == pytest.approx(opened + 71.0, abs=1e-6)
        shared.set_deadline(60.0, now=opened + 66.0)  # longer by 40 s: the close moves 40 s later
        assert shared.state().deadline == pytest.approx(opened + 111.0, abs=1e-6)
        shared.set_deadline(None)
        shared.set_deadline(120.0, now=opened + 70.0)  # a first deadline again: from now
        assert shared.state().deadline == pytest.approx(opened + 190.0, abs=1e-6)
        shared.release()


def test_two_teams_submitting_at_the_same_moment_resolve_the_quarter_once(two_teams):
    import threading

    classes = [SharedClass(two_teams) for _ in range(2)]
    start = threading.Barrier(2)
    errors = []

    def submit(k):
        try:
            start.wait()
            classes[k].submit(k, {"hire": float(k + 1)})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for c in classes:
        c.resolve()
    assert classes[0].game.digest() == classes[1].game.digest() and classes[0].game.quarter == 1
    db = sqlite3.connect(two_teams / DATABASE)
    assert db.execute("SELECT COUNT(*) FROM played WHERE quarter = 0").fetchone()[0] == 3
    assert [o.hire for o in classes[0].game.orders_log[0][:2]] == [1.0, 2.0]


def test_status_watch_of_a_finished_class_prints_once_and_returns(two_teams, capsys):
    autoplay_shared(two_teams, ["defender"], wait=0.01)
    code, out, _ = run(capsys, "class", "status", two_teams, "--watch")
    assert code == 0 and "The campaign is over (4 quarters played)" in out
    # a finished class: nothing to hold or play, said so (a seat some window still claims or not)
    with SharedClass(two_teams) as shared:
        shared.claim(0)
        code, _, err = run(capsys, "class", "hold", two_teams, "--at", "2024Q4")
        assert code == 2 and "the campaign is over; nothing to hold" in err
        code, out, err = run(capsys, "class", "autoplay", two_teams, "--bots", "sprinter")
        assert code == 0 and "The campaign is over; nothing to play." in out
        shared.release()
    code, _, err = run(capsys, "class", "next", two_teams.parent / "nosuch")
    assert code == 2 and "no such class folder (make one with" in err
    code, _, err = run(capsys, "class", "next", two_teams / "class.db")  # the class's database for its folder
    assert code == 2 and f"that is the class's class.db; give its folder: {two_teams}" in err


def test_a_new_deadline_reaches_processes_that_opened_the_class_before(two_teams, capsys):
    team = SharedClass(two_teams)  # a team's process, open before the teacher changes the deadline
    run(capsys, "class", "deadline", two_teams, "2m")
    SharedClass(two_teams).submit(1, {})
    team.submit(0, {})  # the last in: the quarter resolves in this process, which opened the class before
    state = team.state()
    assert state.quarter == 1 and state.deadline == pytest.approx(state.opened + 120)


def test_the_report_of_a_shared_class_is_true_for_a_lab_that_went_under_before_the_crash(tmp_path):
    """One world, every outcome the debrief must get right: a team whose payroll sinks it in its
    first quarter (long before the scheduled crash) and teams that live through the crash."""
    from blitzgame.classroom.report import build_report

    folder = tmp_path / "room"
    new_shared_class(folder, team_names=["Broke", "Steady", "Bold"], scenario=SCENARIO, seed=5, rivals=[])
    with SharedClass(folder) as shared:
        shared.submit(0, {"hire": 3000, "package": 5.0})
    autoplay_shared(folder, ["defender", "sprinter"], teams=["Steady", "Bold"], wait=0.01)
    report = build_report(folder, tmp_path / "report")
    broke = next(t for t in report.teams if t.entry.name == "Broke")
    assert broke.debrief.outcome in ("acquisition", "bankruptcy") and broke.place == 3
    index = report.index.read_text()
    assert "The music stopped in 2027Q1 for the whole class at once" in index
    assert "Broke had left the race before it" in index
    page = report.team_markdown["Broke"].read_text()
    assert "still running" not in page and "wait out the freeze" not in page
    assert broke.whatif is not None and broke.whatif.label == "2024Q1" and "ran out of cash in 2024Q1" in page
    for t in report.teams:
        if t.entry.name != "Broke":
            assert t.debrief.outcome == "ranked finish" and t.whatif.best.who != t.entry.bot


def test_orders_changed_after_sending_are_said_to_be_unsent(two_teams):
    from blitzgame.classroom.shared_play import SharedCampaign

    campaign = SharedCampaign.open(two_teams, "Red")
    try:
        campaign.game.submit(campaign.team, {"hire": 10.0})
        assert campaign.end_quarter() is None  # sent; Blue is not in, so the quarter stays open
        assert not campaign.changed_since_sent() and "Your orders are in" in campaign.class_line(0)
        campaign.game.submit(campaign.team, {"hire": 20.0})  # changed on screen (the form), not sent
        assert campaign.changed_since_sent()
        line = campaign.class_line(0)
        assert "You changed your orders since you sent them: e to send the new ones" in line
        assert "Your orders are in" not in line
        campaign.end_quarter()
        assert not campaign.changed_since_sent() and campaign.shared.submission(campaign.team).hire == 20.0
    finally:
        campaign.close()


def test_a_team_autoplay_is_playing_cannot_be_opened_in_a_window_meanwhile(two_teams):
    import threading

    from blitzgame.classroom.shared_play import SharedCampaign

    done = threading.Event()
    waited = []  # what the teacher's terminal is told while the bots wait (it says so, not nothing)
    thread = threading.Thread(target=lambda: (autoplay_shared(two_teams, ["sprinter"], teams=["Red"], quarters=1,
                                                              wait=0.01, on_wait=lambda *said: waited.append(said)),
                                              done.set()))
    thread.start()
    try:
        deadline = time.monotonic() + 20
        with SharedClass(two_teams) as shared:
            while shared.submission(0) is None:  # the bot's orders for Red are in; it waits for Blue
                assert time.monotonic() < deadline, "autoplay never submitted"
                time.sleep(0.02)
            assert "Red" in shared.state().playing
        with pytest.raises(ClassError, match=r"Red is being played by your teacher's bots \(blitzgame class autoplay\)"):
            SharedCampaign.open(two_teams, "Red")
        with SharedClass(two_teams) as shared:
            shared.submit(1, {})  # Blue is in: the quarter closes and the bot lets go of Red
    finally:
        thread.join(timeout=30)
    assert done.is_set()
    assert waited == [("2024Q1", ["Blue"])]
    campaign = SharedCampaign.open(two_teams, "Red")
    campaign.close()


def test_the_class_report_names_the_autopilot_where_it_played(tmp_path):
    """A team that never came in was played by the class's autopilot: the leaderboard, its page
    and results.csv say so, and its what-if tries the archetypes other than the autopilot's."""
    from blitzgame.classroom.report import build_report

    folder = tmp_path / "autopilot"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario=SMALL, seed=1, rivals=[], quarters=4,
                     deadline=0.2, autopilot="defender")
    shared = SharedClass(folder)
    shared.claim(0)
    for _ in range(4):
        shared.submit(0, {})
        time.sleep(0.25)
        assert shared.poll()
    shared.release()
    shared.close()
    report = build_report(folder, tmp_path / "report")
    blue = next(t for t in report.teams if t.entry.name == "Blue")
    red = next(t for t in report.teams if t.entry.name == "Red")
    assert blue.played_by == "defender (autopilot)" and red.played_by == "team"
    assert blue.whatif is not None and blue.whatif.best.who != "defender"
    assert "autopilot (`defender`) gave the lab's orders in 4 of its 4 quarters" in report.team_markdown["Blue"].read_text()
    assert "Blue (a team of the class, played by defender (autopilot))" in report.team_markdown["Red"].read_text()
    assert "Red (a team of the class)" in report.team_markdown["Blue"].read_text()
    rows = report.csv.read_text().splitlines()
    assert sum(",Blue,defender (autopilot)," in f",{row}" for row in rows) == 4
    assert not any(row.startswith("Red,") and "autopilot" in row for row in rows)


def test_a_whole_class_autoplay_skips_and_names_a_team_open_in_a_window(two_teams, capsys):
    """A team that did show up keeps its seat: the bots fill the others (named, it would be refused)."""
    with SharedClass(two_teams) as red:
        red.claim(0)  # Red's window is open, its orders in
        red.submit(0, {})
        code, out, err = run(capsys, "class", "autoplay", two_teams, "--bots", "pure,sprinter", "--quarters", "1")
        assert code == 0, err
        assert "Red: someone is playing it (a terminal, browser tab or another autoplay); skipped." in out
        assert "  Blue: sprinter," in out  # Blue keeps the bot it would have had beside Red (the second named)
        code, _, err = run(capsys, "class", "autoplay", two_teams, "--bots", "pure", "--team", "Red")
        assert code == 2 and "Red: being played in another window" in err
        red.release()


def test_a_quarter_closed_without_a_teams_orders_is_named_in_the_report(two_teams, tmp_path):
    """A teacher found a quarter Blue missed (no autopilot set) reported as "team" and its
    timeline listing "Orders: ..." as if Blue had chosen them: the leaderboard, the debrief and
    the team's own debrief say no orders were in."""
    from blitzgame.classroom.report import build_report
    from blitzgame.classroom.shared_play import SharedCampaign
    from blitzgame.session.debrief import NO_ORDERS

    shared = SharedClass(two_teams)
    shared.submit(0, {"hire": 3})
    shared.resolve(force=True)  # 2024Q1: Blue not in
    shared.submit(0, {})
    shared.submit(1, {"hire": 2})  # 2024Q2: both in
    assert shared.game.quarter == 2 and shared.sources(0)[1] == "empty"
    shared.close()
    report = build_report(two_teams, tmp_path / "report")
    blue = next(t for t in report.teams if t.entry.name == "Blue")
    assert blue.missed_quarters == {0} and blue.played_by == "no orders 1 of 2 quarters, the team's own orders 1"
    assert "No orders were in for 1 of the 2 quarters when they closed" in blue.debrief.summary
    first = [m.text for m in blue.debrief.timeline if m.label == "2024Q1" and m.kind == "decision"]
    assert first == ["No orders were in when the quarter closed: the lab did nothing."]  # marked, and nothing "ordered"
    assert next(t for t in report.teams if t.entry.name == "Red").played_by == "team"
    blue_screen = SharedCampaign(SharedClass(two_teams), 1)  # what Blue's own debrief (d) is told
    assert blue_screen.played_by(1) == {0: NO_ORDERS} and blue_screen.played_by(0) == {}
    blue_screen.shared.close()
