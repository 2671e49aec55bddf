"""The teams in web browsers: ``blitzgame class serve DIR`` (a port per team).

``blitzgame serve --class DIR --team NAME`` serves one team's game (``play --class DIR
--team NAME`` in each browser tab, through textual-serve). ``class serve`` starts one of
those per team, on consecutive ports from ``--port``, prints the address of each (the LAN
address when it listens on every interface, or ``--public-url``) and stops them all on
Ctrl+C, SIGTERM or SIGHUP. A team's game takes a lock on its save while it is played, so a second
tab of the same team is refused instead of overwriting the first one's quarters.
"""

import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from blitzgame.classroom.manifest import load_manifest
from blitzgame.web import public_url

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")  # addresses only this machine reaches
LOGS_FOLDER = "serve-logs"  # in the class folder: each team server's output (why it stopped, if it did)


def play_command(folder: str | Path, team: str, join_code: bool = False) -> str:
    """The shell command textual-serve runs for each tab of a team (``join_code``: a shared
    class's team, whose page asks for its join code first)."""
    argv = [sys.executable, "-m", "blitzgame", "play", "--class", str(Path(folder).resolve()), "--team", team]
    if join_code:
        argv.append("--join-code")
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def class_teams(folder: str | Path) -> dict[str, str | None]:
    """The teams of a class and their join codes (None for a team of a class made before codes)."""
    from blitzgame.classroom.shared import SharedClass, is_shared

    if is_shared(folder):
        with SharedClass(folder) as shared:
            return {team.name: team.code for team in shared.manifest.teams}
    return {team.name: team.code for team in load_manifest(folder).teams}


@dataclass(frozen=True)
class Served:
    team: str
    url: str
    process: subprocess.Popen
    log: Path  # where its output goes (the reason it stopped, if it did)

    def stopped(self) -> str:
        """That its server stopped, with its status and the last line it wrote (why)."""
        try:
            lines = [line.strip() for line in self.log.read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            lines = []
        return f"The server of {self.team} stopped (status {self.process.returncode})" + (f": {lines[-1]}" if lines else "")


def busy_ports(host: str, ports: list[int]) -> list[int]:
    """The ports of ``ports`` another program already listens on at ``host``."""
    import socket

    busy = []
    for port in ports:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will bind it
            try:
                probe.bind((host, port))
            except OSError:
                busy.append(port)
    return busy


def _die_with_parent() -> None:
    """In a team's server, before it runs (Linux): be sent SIGTERM if ``class serve`` dies, even
    by a kill it cannot catch (SIGKILL), so no server is left behind without it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: Ctrl+C, SIGTERM and SIGHUP still stop every server


def start_servers(folder: str | Path, host: str, port: int, log_dir: Path | None = None,
                  public: str | None = None) -> list[Served]:
    """One ``blitzgame serve --class`` process per team on ports ``port``, ``port + 1``, ...; each
    page is addressed as ``web.public_url`` says (``public``: a base URL without a port)."""
    teams = class_teams(folder)
    if port + len(teams) - 1 > 65535:
        raise ValueError(f"--port {port}: {len(teams)} teams need ports up to {port + len(teams) - 1}")
    busy = busy_ports(host, [port + k for k in range(len(teams))])
    if busy:
        names = list(teams)
        raise ValueError(f"--port {port}: " + ", ".join(f"port {p} ({names[p - port]})" for p in busy)
                         + f" already in use by another program; the {len(teams)} teams need {port}-"
                         f"{port + len(teams) - 1} free: choose another --port")
    logs = Path(log_dir) if log_dir is not None else Path(folder) / LOGS_FOLDER
    logs.mkdir(parents=True, exist_ok=True)
    served: list[Served] = []
    try:
        for k, team in enumerate(teams):
            url = public_url(host, port + k, public)
            argv = [sys.executable, "-m", "blitzgame", "serve", "--class", str(Path(folder).resolve()), "--team",
                    team, "--host", host, "--port", str(port + k), "--public-url", url]
            log = logs / f"serve-{port + k}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                           start_new_session=True,
                                           preexec_fn=_die_with_parent if sys.platform == "linux" else None)
            served.append(Served(team, url, process, log))
    except BaseException:
        stop_servers(served)
        raise
    return served


def stop_servers(served: list[Served]) -> None:
    """Stop each server and the games it started (its process group)."""
    for s in served:
        _signal(s.process, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for s in served:
        try:
            s.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal(s.process, signal.SIGKILL)
            s.process.wait(timeout=10)


def _signal(process: subprocess.Popen, sig: int) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        pass


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # a closed terminal or a kill stops the servers as Ctrl+C does


def serve_class(folder: str | Path, host: str, port: int, say=print, public: str | None = None) -> int:
    """Serve every team until Ctrl+C, SIGTERM or SIGHUP (or until every server has stopped); any
    of them stops every server started."""
    stops = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {sig: signal.signal(sig, _interrupt) for sig in stops}
    try:
        served = start_servers(folder, host, port, public=public)
    except BaseException:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        raise
    try:
        width = max(len(s.team) for s in served)
        codes = class_teams(folder)
        coded = any(codes.values())
        say(f"Serving {len(served)} teams of {folder} (one browser tab per team; Ctrl+C stops):")
        if coded:
            say("Each team's page asks for its join code (give each team its own).")
        for s in served:
            say(f"  {s.team.ljust(width)}  {s.url}" + (f"   join code {codes[s.team]}" if codes[s.team] else ""))
        if host in LOCAL_HOSTS and public is None:
            say(f"Only this machine can open these pages: for the students' machines, serve with --host 0.0.0.0 "
                f"(blitzgame class serve {folder} --host 0.0.0.0).")
        sys.stdout.flush()  # the addresses now, even into a log file
        told: set[str] = set()
        while any(s.process.poll() is None for s in served):
            for s in served:  # a server that stops while the others serve is said at once, with why
                if s.process.returncode is not None and s.team not in told:
                    told.add(s.team)
                    say(s.stopped() + "; its page is not served.")
                    sys.stdout.flush()
            time.sleep(0.5)
        failed = [s for s in served if s.process.returncode]
        for s in failed:
            if s.team not in told:
                say(s.stopped() + ".")
        return 1 if failed else 0
    except KeyboardInterrupt:
        return 0
    finally:
        ignored = [signal.SIGINT, *stops]  # a second Ctrl+C or kill must not leave servers behind
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in ignored}
        try:
            stop_servers(served)
        finally:
            for sig in ignored:
                signal.signal(sig, before.get(sig, previous[sig]))


__all__ = ["Served", "play_command", "serve_class", "start_servers", "stop_servers"]
