"""``blitzgame play --class DIR --team NAME``: the team's game in the terminal, saved back to the
team's file every quarter (and after a rewind); serving the teams to browsers."""

import time
import urllib.request

import pytest
from class_helpers import run
from pilot_tools import notices, until

from blitzgame.classroom.manifest import ClassError, load_manifest
from blitzgame.classroom.team import TeamCampaign, TeamLock, locked_team, open_team
from blitzgame.schemas.orders import Orders
from blitzgame.session.saves import load_game, read_save
from blitzgame.tui.app import BlitzApp
from blitzgame.tui.screens.hq import HQScreen
from blitzgame.tui.screens.report import ReportScreen

SIZE = (120, 40)


@pytest.fixture
def lab_room(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path / "personal-saves"))  # not where a team's quarters go
    folder = tmp_path / "room"
    code, _, err = run(capsys, "class", "new", folder, "--team-names", "Red,Blue", "--quarters", "6", "--seed", "5")
    assert code == 0, err
    return folder


async def test_a_quarter_ended_in_the_terminal_lands_in_the_teams_save(lab_room, tmp_path):
    save = lab_room / "teams" / "blue.json"
    with locked_team(lab_room, "blue") as campaign:
        assert isinstance(campaign, TeamCampaign) and campaign.save_path == save
        app = BlitzApp(campaign, warm=False)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            assert app.campaign.game.names[app.lab] == "Blue" and app.campaign is campaign
            for orders in (Orders(gpus={"virginia": 300.0}, hire=3.0), Orders(rent=200.0)):
                app.campaign.submit(app.lab, orders)
                played = app.campaign.game.quarter
                await pilot.press("e", "y")
                await until(pilot, lambda n=played + 1: isinstance(app.screen, ReportScreen) and app.campaign.game.quarter == n)
                saved = read_save(save)
                assert saved.quarters_played == played + 1  # saved as the quarter resolved
                assert saved.digest == app.campaign.game.digest()
                await pilot.press("escape")
            said = notices(app)
            await pilot.press("s")  # a copy saved elsewhere would be a game the class never sees
            await pilot.pause()
            assert isinstance(app.screen, HQScreen) and any("saved in the class folder (blue.json)" in m for m in said)
            await pilot.press("ctrl+z")
            app.screen.query_one("#quarters").highlighted = 0  # back to the start of 2024Q2
            await pilot.press("enter")
            await until(pilot, lambda: app.campaign.game.quarter == 1)
            assert read_save(save).quarters_played == 1  # a rewind is saved at once
    assert read_save(lab_room / "teams" / "red.json").quarters_played == 0  # the other team's file is untouched
    assert not (tmp_path / "personal-saves").exists()  # no rotating autosaves beside it
    game, _ = load_game(save)
    assert game.orders_log[0][0] == Orders(gpus={"virginia": 300.0}, hire=3.0)
    assert open_team(lab_room, "Blue").game.digest() == game.digest()


def test_play_class_opens_the_teams_game_locked(lab_room, capsys, monkeypatch):
    seen = []

    def fake_run(app):  # the terminal is not ours in a test: check what would be played
        seen.append((app.campaign.team, app.campaign.save_path, app.campaign.game.quarter))
        with pytest.raises(ClassError, match="Red is being played already"):
            TeamLock(app.campaign.save_path, "Red").acquire()

    monkeypatch.setattr(BlitzApp, "run", fake_run)
    monkeypatch.setattr("blitzgame.cli.in_terminal", lambda: True)
    code, _, err = run(capsys, "play", "--class", lab_room, "--team", "red")
    assert code == 0, err
    assert seen == [("Red", lab_room / "teams" / "red.json", 0)]
    TeamLock(lab_room / "teams" / "red.json", "Red").acquire().release()  # free again once it closed


@pytest.mark.parametrize(("args", "message"), [
    (["--class", "{room}"], "--class DIR and --team NAME go together"),
    (["--team", "Red"], "--class DIR and --team NAME go together"),
    (["--class", "{room}", "--team", "Green"], "no team 'Green' in class 'room'; its teams are: Red, Blue"),
    (["--class", "{room}", "--team", "Red", "--seed", "3"], "--class plays a team's saved campaign"),
    (["--class", "{room}/nope", "--team", "Red"], "no such class folder"),
])
def test_play_class_mistakes_are_one_line(lab_room, capsys, args, message):
    code, out, err = run(capsys, "play", *[a.format(room=lab_room) for a in args])
    assert code == 2 and out == "" and message in err and err.startswith("blitzgame: error: ")


def test_class_serve_gives_each_team_a_port(lab_room):
    from blitzgame.classroom.serve import play_command, start_servers, stop_servers

    assert play_command(lab_room, "Red").endswith(f"play --class {lab_room.resolve()} --team Red")
    port = _free_port_pair()
    served = start_servers(lab_room, "127.0.0.1", port, log_dir=lab_room)
    try:
        assert [(s.team, s.url) for s in served] == [("Red", f"http://localhost:{port}"),
                                                     ("Blue", f"http://localhost:{port + 1}")]
        for k in range(2):
            page = _get(f"http://127.0.0.1:{port + k}/", served[k].process, lab_room / f"serve-{port + k}.log")
            assert "Blitzgame" in page and "/ws" in page  # textual-serve's page, its game started per tab
    finally:
        stop_servers(served)
    assert all(s.process.poll() is not None for s in served)


def test_class_serve_refuses_a_port_another_program_holds(lab_room):
    import socket

    from blitzgame.classroom.serve import start_servers

    port = _free_port_pair()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port + 1))
        holder.listen()
        with pytest.raises(ValueError, match=rf"port {port + 1} \(Blue\) already in use by another program"):
            start_servers(lab_room, "127.0.0.1", port)
    assert _serving(port) == [], "no server was started"


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_class_serve_stopped_by_a_signal_stops_every_server(lab_room, tmp_path, stop):
    """A closed terminal (SIGHUP), a kill (SIGTERM) or even ``kill -9`` stops ``class serve``
    and every team's server it started: nothing is left running, parentless, for anyone to open."""
    import signal
    import subprocess
    import sys

    port = _free_port_pair()
    log = tmp_path / "class-serve.log"
    with log.open("wb") as out:
        parent = subprocess.Popen([sys.executable, "-m", "blitzgame", "class", "serve", str(lab_room), "--port", str(port)],
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    try:
        for k in range(2):
            _get(f"http://127.0.0.1:{port + k}/", parent, log)  # both teams' servers answer
        text = log.read_text()
        assert f"Red   http://localhost:{port}" in text and f"Blue  http://localhost:{port + 1}" in text
        assert "Only this machine can open these pages: for the students' machines, serve with --host 0.0.0.0" in text
        parent.send_signal(getattr(signal, stop))
        assert parent.wait(timeout=30) == (-signal.SIGKILL if stop == "SIGKILL" else 0)
    finally:
        if parent.poll() is None:
            parent.kill()
    if stop == "SIGKILL":  # uncatchable: each server is told by the system that its parent died (Linux)
        import time

        deadline = time.monotonic() + 20
        while _serving(port) and time.monotonic() < deadline:
            time.sleep(0.2)
    for k in range(2):
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port + k}/", timeout=2)
    assert _serving(port) == []


def _serving(port: int) -> list[str]:
    """Command lines of this machine's processes serving on ``port`` or the next (from /proc)."""
    from pathlib import Path

    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        if b"serve" in argv and any(a in argv for a in (str(port).encode(), str(port + 1).encode())):
            found.append(" ".join(a.decode(errors="replace") for a in argv))
    return found


def _free_port_pair() -> int:
    import socket

    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = a.getsockname()[1]
        if port < 65535:
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
            return port
    pytest.fail("no two free ports side by side")


def _get(url: str, process, log) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server ended ({process.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer:\n{log.read_text(errors='replace')}")


def test_serve_class_flags_need_each_other(lab_room, capsys):
    code, _, err = run(capsys, "serve", "--class", lab_room)
    assert code == 2 and "--class DIR and --team NAME go together" in err
    code, _, err = run(capsys, "serve", "--class", lab_room, "--team", "Green")
    assert code == 2 and "no team 'Green'" in err
    assert [t.name for t in load_manifest(lab_room).teams] == ["Red", "Blue"]


@pytest.mark.parametrize("command", ["play", "serve"])
def test_a_team_name_of_several_words_needs_no_quotes(command):
    from blitzgame.cli import build_parser

    args = build_parser().parse_args([command, "--class", "room", "--team", "Red", "Team"])
    assert args.team == "Red Team" and args.class_dir == "room"
