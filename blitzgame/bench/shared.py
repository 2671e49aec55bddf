"""A shared class under load for ``blitzgame bench``: 30 team processes on one class database.

``measure(quick)`` returns:

``shared_quarter_resolve_ms`` (target <= 1,000)
    A shared class of 30 teams (``classroom-famine-crash`` scaled to 30 labs, no bot rivals)
    played by 30 processes, one per team, each as a team's screen plays it: it claims its team,
    sends its orders for the quarter, then asks the database every ``POLL_SECONDS`` (0.25 s)
    whether the quarter closed, replaying it when it did. The teams send their orders at
    staggered moments over about a second, so the quarter resolves in the process of the last
    one in. The figure is the time from the last team's orders landing in the database to the
    moment every team's process has the quarter replayed (its screen can show the report),
    all on the system-wide monotonic clock; median over the quarters played. Each process
    reports the state digest it reached: all must agree, and the database must hold each
    quarter resolved once, with every team's orders in.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from blitzgame.bench.harness import BenchError, child_env

TARGETS = {"shared_quarter_resolve_ms": ("<=", 1000.0)}
ROWS = (
    ("shared_quarter_resolve_ms", "shared class, 30 team processes: last orders -> every team has the quarter (ms)"),
    ("shared_quarter_resolve_max_ms", "  the slowest quarter (ms)"),
)
TEAMS = 30
QUARTERS = {True: 3, False: 6}
SCENARIO = "classroom-famine-crash"
START_TIMEOUT_S = 600.0  # 30 processes loading the engine on two cores


def measure(quick: bool) -> dict:
    """Play ``QUARTERS[quick]`` quarters of a 30-team shared class in 30 processes (see the module docstring)."""
    from blitzgame.classroom.shared import POLL_SECONDS, SharedClass, new_shared_class

    quarters = QUARTERS[quick]
    with tempfile.TemporaryDirectory(prefix="blitzgame-bench-shared-") as tmp:
        folder = Path(tmp) / "class"
        new_shared_class(folder, team_names=[f"Team {k}" for k in range(1, TEAMS + 1)], scenario=SCENARIO,
                         seed=7, rivals=[])
        go = Path(tmp) / "go"
        procs = [subprocess.Popen([sys.executable, "-m", "blitzgame.bench.shared", str(folder), str(k),
                                   str(quarters), str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=child_env(False)) for k in range(TEAMS)]
        try:
            ready = Path(tmp)
            deadline = time.monotonic() + START_TIMEOUT_S
            while sum(1 for _ in ready.glob("ready-*")) < TEAMS:  # every process loaded and claimed its team
                if time.monotonic() > deadline or any(p.poll() not in (None, 0) for p in procs):
                    raise BenchError(f"shared class: the team processes did not start: {_errors(procs)}")
                time.sleep(0.1)
            go.write_text("go")
            outs = []
            for p in procs:
                out, err = p.communicate(timeout=START_TIMEOUT_S)
                if p.returncode:
                    raise BenchError(f"shared class: a team process failed: {err.strip()[-500:]}")
                outs.append(json.loads(out))
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
        digests = {o["digest"] for o in outs}
        with SharedClass(folder) as shared:
            rows = shared.quarter_rows()
            resolved = [row for row in rows if row[3] is not None]
            sources = [shared.sources(q) for q in range(len(resolved))]
            final = shared.game.digest()
        if digests != {final} or len(resolved) != quarters:
            raise BenchError(f"shared class: processes ended in {len(digests)} different states, "
                             f"{len(resolved)} of {quarters} quarters resolved")
        if any(s != ["team"] * TEAMS for s in sources):
            raise BenchError("shared class: a team's orders were not in a quarter it played")
    latencies = []
    for q in range(quarters):
        last_in = max(o["submitted"][q] for o in outs)
        every_seen = max(o["seen"][q] for o in outs)
        latencies.append((every_seen - last_in) * 1000.0)
    return {
        "shared_quarter_resolve_ms": statistics.median(latencies),
        "shared_quarter_resolve_max_ms": max(latencies),
        "shared_quarter_resolve_method": (
            f"{TEAMS} team processes of a {SCENARIO} shared class scaled to {TEAMS} labs, each submitting at a "
            f"staggered moment, then polling every {POLL_SECONDS:g} s as a team's screen does: from the last team's "
            f"orders committed to every process having replayed the quarter; median of {quarters} quarters; every "
            f"process's final state digest checked equal, each quarter resolved once with every team's orders"),
    }


def _errors(procs) -> str:
    for p in procs:
        if p.poll() not in (None, 0):
            return p.stderr.read().strip()[-500:]
    return "timed out"


def _team(folder: str, team: int, quarters: int, go: str) -> None:
    """One team's process: claim, wait for the start, then per quarter submit and poll."""
    from blitzgame.classroom.shared import POLL_SECONDS, SharedClass

    shared = SharedClass(folder)
    shared.claim(team)
    shared.game.observe(team)
    shared.game.rewind(0).advance()  # warmed as a team's screen is before its first quarter (engine ready)
    Path(go).with_name(f"ready-{team}").write_text("")
    while not Path(go).exists():
        time.sleep(0.05)
    submitted, seen = [], []
    for q in range(quarters):
        time.sleep(team / TEAMS)  # the teams come in over a second, as a room's would
        submitted.append(time.perf_counter())  # (the last team's process resolves the quarter inside submit)
        shared.submit(team, {"hire": 1.0}, quarter=q)
        while shared.game.quarter == q:
            shared.poll()
            if shared.game.quarter == q:
                time.sleep(POLL_SECONDS)
        seen.append(time.perf_counter())
    print(json.dumps({"team": team, "submitted": submitted, "seen": seen, "digest": shared.game.digest()}))
    shared.close()


if __name__ == "__main__":
    _team(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
