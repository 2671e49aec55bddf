"""A shared class: every team a lab of one world (``blitzgame class new DIR --shared``).

The class folder holds one SQLite database, ``class.db`` (the standard library's ``sqlite3``
in WAL mode). It is the only coordination point between the processes that play the class on
the instructor's machine (a terminal or a browser tab per team, ``class status``, ``class
next``, ``class autoplay``); there is no server to install. Its tables:

- ``meta``: the format, its version and the manifest (``SharedManifest``: the scenario in full,
  the seed, the teams with their home hubs and join codes, the bot rivals, the deadline, the
  autopilot);
- ``submissions``: each team's orders for a quarter, replaced until the quarter closes, with the
  time they came in;
- ``quarters``: every quarter opened (when, its deadline) and resolved (when, why, the digest of
  the state after it);
- ``played``: the orders every lab played in each resolved quarter, and where they came from
  (the team, the autopilot, empty orders, a bot rival);
- ``claims``: which process plays which team, with a heartbeat;
- ``autoplayed``: the bot ``class autoplay`` last seated at a team (the debrief says so).

The world is rebuilt from the scenario, the seed and ``played``, and each quarter's digest is
checked as it is replayed, as saves are. A quarter resolves exactly once: the process that finds
it ready (every team still in the race has submitted, its deadline has passed, or the instructor
ran ``class next``) resolves it inside one write transaction, and every other process replays
what it wrote. A submission is taken only in the transaction that sees its quarter still open.
"""

import json
import os
import secrets
import socket
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from blitzgame.classroom.manifest import DATABASE, ClassError, join_code, not_a_folder
from blitzgame.formats import clock
from blitzgame.limits import MAX_SEED, MAX_WORLD_LABS, MIN_LABS, MIN_SEED
from blitzgame.schemas.errors import one_line

SHARED_FORMAT = "blitzgame-shared-class"
SHARED_VERSION = 1
CLAIM_LAPSE = 15.0  # seconds without a heartbeat after which a team's claim lapses
AUTOPLAY_TOKEN = "autoplay-"  # how a claim of ``class autoplay``'s bots begins (``hold_seats``)
HEARTBEAT_SECONDS = 5.0  # how often a process playing a team says so (a write: not at every poll)
POLL_SECONDS = 0.25  # how often a team's screen asks whether the quarter resolved
# where a lab's played orders came from: its team, the autopilot or nothing (the team was not in), a
# bot rival, or none at all (the lab is out of the race)
SOURCES = ("team", "autopilot", "empty", "bot", "out")

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    quarter INTEGER NOT NULL, team INTEGER NOT NULL, orders TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (quarter, team));
CREATE TABLE quarters (
    quarter INTEGER PRIMARY KEY, opened REAL NOT NULL, deadline REAL,
    resolved REAL, closed_by TEXT, digest TEXT);
CREATE TABLE played (
    quarter INTEGER NOT NULL, lab INTEGER NOT NULL, orders TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (quarter, lab));
CREATE TABLE claims (team INTEGER PRIMARY KEY, token TEXT NOT NULL, pid INTEGER NOT NULL,
    host TEXT NOT NULL, seen REAL NOT NULL);
CREATE TABLE autoplayed (team INTEGER PRIMARY KEY, bot TEXT NOT NULL);
"""
# made by the first ``class autoplay`` (classes made before it lack it): each quarter a bot gave a team's orders
AUTOPLAY_QUARTERS = """CREATE TABLE IF NOT EXISTS autoplay_quarters (
    quarter INTEGER NOT NULL, team INTEGER NOT NULL, bot TEXT NOT NULL, PRIMARY KEY (quarter, team))"""
TABLES = ("meta", "submissions", "quarters", "played", "claims", "autoplayed")


class LateOrders(ClassError):
    """Orders for a quarter that has already closed: nothing was taken."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SharedTeam(_Strict):
    name: str = Field(min_length=1, max_length=40)
    hub: str = Field(min_length=1)
    code: str = Field(pattern=r"^[a-z0-9-]{4,40}$")  # the join code that guards its browser page


class SharedManifest(_Strict):
    """What a shared class is: stored in ``meta`` as JSON, checked by pydantic when read."""

    format: Literal["blitzgame-shared-class"]
    version: Literal[1]
    name: str = Field(min_length=1, max_length=200)
    scenario: dict  # the scenario in full (``Scenario.model_dump``): the class needs no file beside it
    seed: int = Field(ge=MIN_SEED, le=MAX_SEED, strict=True)
    position: Literal["startup", "challenger", "incumbent"]
    teams: list[SharedTeam] = Field(min_length=1, max_length=MAX_WORLD_LABS)
    rivals: list[str] = Field(max_length=MAX_WORLD_LABS)
    deadline: float | None = Field(default=None, gt=0)  # seconds a quarter stays open
    autopilot: str | None = None  # the bot that plays a team that has not submitted (None: empty orders)
    hold: str | None = Field(default=None, pattern=r"^\d{4}Q[1-4]$")  # ``class hold``: this quarter waits
    created: AwareDatetime


@dataclass(frozen=True)
class Submitted:
    team: str
    at: float  # when its latest orders came in (seconds since the epoch)


@dataclass(frozen=True)
class QuarterState:
    """Where the class stands: what the teams' screens and ``class status`` show."""

    quarter: int  # quarters resolved (the open quarter's index)
    label: str  # the open quarter ('2025Q3'), or the last one played when the game is over
    over: bool
    opened: float | None
    deadline: float | None  # when the open quarter closes (None: when every team is in, or `class next`)
    submitted: tuple[Submitted, ...]
    waiting: tuple[str, ...]  # teams still in the race that have not submitted
    playing: tuple[str, ...]  # teams whose process holds a live claim

    def seconds_left(self, now: float | None = None) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - (time.time() if now is None else now))


# --- the world ---------------------------------------------------------------------------
def lab_setups(manifest: SharedManifest, world) -> list:
    """The labs of the class's world: the teams first (in the manifest's order), then the rivals,
    who take the scenario's roster as a new game does (renamed where a team has the name)."""
    from blitzgame.classroom.create import rival_seats
    from blitzgame.session.world import LabSetup

    teams = [LabSetup(team.name, manifest.position, team.hub) for team in manifest.teams]
    return teams + rival_seats(world, len(manifest.rivals), [team.name for team in manifest.teams])


# --- the database ------------------------------------------------------------------------
def database_path(folder: str | Path) -> Path:
    return Path(folder) / DATABASE


def is_shared(folder: str | Path) -> bool:
    """Whether ``folder`` holds a shared class (its database)."""
    return database_path(folder).is_file()


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, waiting for locks."""
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")  # a resolved quarter survives the machine's restart
    db.execute("PRAGMA busy_timeout=30000")
    return db


class _Write:
    """``with _Write(db):`` one write transaction, taken at once (BEGIN IMMEDIATE), so two
    processes never both read a quarter as open and then both act on it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, error, trace) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def create_database(folder: Path, manifest: SharedManifest, now: float) -> Path:
    """Write a new class database with its manifest and the first quarter open."""
    path = database_path(folder)
    db = connect(path)
    try:
        with _Write(db):
            for statement in SCHEMA.strip().split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('format', ?), ('version', ?), ('manifest', ?)",
                       (SHARED_FORMAT, str(SHARED_VERSION), manifest.model_dump_json()))
            db.execute("INSERT INTO quarters (quarter, opened, deadline) VALUES (0, ?, NULL)", (now,))
            # (its deadline starts when the first team sits down: SharedClass._start_clock)
    finally:
        db.close()
    return path


def read_manifest(db: sqlite3.Connection, path: Path) -> SharedManifest:
    """The manifest of an open database; a ClassError (one line) for anything else."""
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as error:
        raise ClassError(f"{path}: not a Blitzgame class database ({error})") from None
    if meta.get("format") != SHARED_FORMAT:
        raise ClassError(f"{path}: not a Blitzgame class database (no format {SHARED_FORMAT!r} in it)")
    version = meta.get("version", "")
    if not version.isdigit() or int(version) != SHARED_VERSION:
        newer = version.isdigit() and int(version) > SHARED_VERSION
        raise ClassError(f"{path}: " + (f"made by a newer Blitzgame (version {version})" if newer
                                        else f"an unknown class database version {version!r}"))
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted(set(TABLES) - tables)
    if missing:
        raise ClassError(f"{path}: a damaged class database (no {', '.join(missing)} table)")
    try:
        return SharedManifest.model_validate_json(meta.get("manifest", ""))
    except ValidationError as error:
        raise ClassError(f"{path}: its manifest is broken: {one_line(error)}") from None


def _claim_alive(row, now: float, host: str) -> bool:
    """Whether a claim (its pid, host and last heartbeat; None: no claim) still holds its team:
    its heartbeat is recent and, on this machine, its process still exists."""
    if row is None:
        return False
    pid, where, seen = row
    return now - seen < CLAIM_LAPSE and not (where == host and not _pid_alive(pid))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the class -------------------------------------------------------------------------
class SharedClass:
    """A shared class as one process sees it: the database, and the world replayed from it.

    ``sync`` brings the world up to the last resolved quarter; ``submit`` gives a team's
    orders; ``resolve`` closes the open quarter if it is ready (or if told to); ``claim``
    holds a team for this process. Every method that writes takes the database's write lock
    for one short transaction."""

    def __init__(self, folder: str | Path) -> None:
        from blitzgame.schemas.assets import Scenario
        from blitzgame.session.game import Game, SetupError
        from blitzgame.session.world import scaled_world

        self.folder = Path(folder)
        self.path = database_path(self.folder)
        if not self.path.is_file():
            if not self.folder.is_dir():
                raise ClassError(not_a_folder(self.folder, shared=True))
            raise ClassError(f"{self.folder}: not a shared class (one made with `class new --shared`), but separate "
                             f"campaigns or no class at all (no {DATABASE} in it)")
        try:
            self.db = connect(self.path)
        except sqlite3.DatabaseError as error:
            raise ClassError(f"{self.path}: not a Blitzgame class database ({error})") from None
        self.manifest = read_manifest(self.db, self.path)
        try:
            scenario = Scenario.model_validate(self.manifest.scenario)
            self.world = scaled_world(scenario, len(self.manifest.teams) + len(self.manifest.rivals))
            self.setups = lab_setups(self.manifest, self.world)
            self.game = Game(self.world, self.manifest.seed, self.setups)
        except (ValidationError, SetupError) as error:
            why = one_line(error) if isinstance(error, ValidationError) else str(error)
            raise ClassError(f"{self.path}: its manifest is broken: {why}") from None
        self.teams = [team.name for team in self.manifest.teams]
        self.closed: int | None = None  # the quarter the last ``resolve`` call played, if it played one
        self._seats: dict[int, object] = {}  # the bots that play rivals and absent teams
        self._token: str | None = None  # this process's claim
        self._team: int | None = None
        self._beat = 0.0  # when this process last said it still plays its team
        self.sync()

    def close(self) -> None:
        self.release()
        self.db.close()

    def __enter__(self) -> "SharedClass":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------
    def team_index(self, name: str) -> int:
        """The lab of team ``name`` (case does not matter); a ClassError lists the teams otherwise."""
        for k, team in enumerate(self.teams):
            if team.casefold() == name.strip().casefold():
                return k
        raise ClassError(f"no team {name!r} in class {self.manifest.name!r}; its teams are: " + ", ".join(self.teams))

    def resolved(self) -> int:
        """Quarters resolved so far, as the database has them."""
        return self.db.execute("SELECT COUNT(*) FROM quarters WHERE resolved IS NOT NULL").fetchone()[0]

    def state(self) -> QuarterState:
        """The open quarter, who is in and who is awaited, read fresh from the database."""
        self.sync()
        game = self.game
        q = game.quarter
        row = self.db.execute("SELECT opened, deadline FROM quarters WHERE quarter = ? AND resolved IS NULL",
                              (q,)).fetchone()
        subs = self.db.execute("SELECT team, at FROM submissions WHERE quarter = ? ORDER BY at", (q,)).fetchall()
        submitted = tuple(Submitted(self.teams[team], at) for team, at in subs)
        done = {team for team, _ in subs}
        waiting = tuple(name for k, name in enumerate(self.teams) if k not in done and game.alive(k))
        now = time.time()
        playing = tuple(self.teams[team] for team, seen in
                        self.db.execute("SELECT team, seen FROM claims").fetchall() if now - seen < CLAIM_LAPSE)
        over = game.over
        label = game.world.label(q - 1) if over and q > 0 else game.label
        return QuarterState(q, label, over, row[0] if row else None, row[1] if row else None,
                            submitted if not over else (), waiting if not over else (), playing)

    def submission(self, team: int):
        """The orders team ``team`` has submitted for the open quarter, or None."""
        from blitzgame.schemas.orders import Orders

        row = self.db.execute("SELECT orders FROM submissions WHERE quarter = ? AND team = ?",
                              (self.game.quarter, team)).fetchone()
        return None if row is None else Orders.model_validate(json.loads(row[0]))

    def autoplayed(self) -> dict[int, str]:
        """The bot ``class autoplay`` last seated at each team it played, by team."""
        return dict(self.db.execute("SELECT team, bot FROM autoplayed").fetchall())

    def autoplayed_quarters(self) -> dict[int, dict[int, str]]:
        """By team: the quarters (index) whose orders ``class autoplay`` gave, and its bot."""
        try:
            rows = self.db.execute("SELECT team, quarter, bot FROM autoplay_quarters").fetchall()
        except sqlite3.OperationalError:  # a class no bot has played yet (or made before it was recorded)
            return {}
        out: dict[int, dict[int, str]] = {}
        for team, quarter, bot in rows:
            out.setdefault(team, {})[quarter] = bot
        return out

    def sources(self, quarter: int) -> list[str]:
        """Where each lab's orders came from in resolved quarter ``quarter`` (``SOURCES``)."""
        rows = self.db.execute("SELECT source FROM played WHERE quarter = ? ORDER BY lab", (quarter,)).fetchall()
        return [source for (source,) in rows]

    def quarter_rows(self) -> list[tuple]:
        """Every quarter's (quarter, opened, deadline, resolved, closed_by, digest), in order."""
        return self.db.execute("SELECT quarter, opened, deadline, resolved, closed_by, digest FROM quarters "
                               "ORDER BY quarter").fetchall()

    # --- replaying -------------------------------------------------------------------
    def sync(self) -> list:
        """Replay the quarters resolved since this process last looked; returns their reports.
        A quarter that does not replay to its recorded digest is a ClassError."""
        from blitzgame.schemas.orders import Orders

        reports = []
        while True:
            q = self.game.quarter
            row = self.db.execute("SELECT digest FROM quarters WHERE quarter = ? AND resolved IS NOT NULL",
                                  (q,)).fetchone()
            if row is None:
                return reports
            played = self.db.execute("SELECT lab, orders FROM played WHERE quarter = ? ORDER BY lab", (q,)).fetchall()
            if [lab for lab, _ in played] != list(range(self.game.n_labs)):
                raise ClassError(f"{self.path}: quarter {self.game.label} is missing orders; the class cannot be replayed")
            for lab, orders in played:
                self.game.submit(lab, Orders.model_validate(json.loads(orders)))
            self.game.advance()
            reports.append(self.game.reports[-1])
            if self.game.digest() != row[0]:
                raise ClassError(f"{self.path}: quarter {self.world.label(q)} does not replay to the state it recorded "
                                 f"(the database was altered, or made by a different engine)")

    # --- playing ---------------------------------------------------------------------
    def submit(self, team: int, orders, quarter: int | None = None, by: str | None = None) -> None:
        """Take team ``team``'s orders for ``quarter`` (default: the quarter this process has
        open), replacing any it gave before; ``by``: the bot ``class autoplay`` gave them with
        (None: the team itself). Refused (``LateOrders``, nothing taken) if that quarter has
        closed meanwhile: orders are never carried into the next quarter."""
        from blitzgame.schemas.orders import OrdersError, validate_orders

        checked = validate_orders(orders, self.world.hub_ids)  # OrdersError: the orders are wrong
        quarter = self.game.quarter if quarter is None else quarter
        label = self.world.label(quarter)
        with _Write(self.db) as db:
            if self.resolved() != quarter:
                raise LateOrders(f"{label} has closed: your orders for it came too late and were not taken")
            if self.game.over:
                raise OrdersError("the game is over; no more orders")
            if not self.game.alive(team):
                raise OrdersError(f"{self.teams[team]} is out of the race; no more orders")
            now = time.time()
            db.execute("INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?)",
                       (quarter, team, json.dumps(checked.compact()), now))
            if by is not None:
                db.execute(AUTOPLAY_QUARTERS)
                db.execute("INSERT OR REPLACE INTO autoplay_quarters VALUES (?, ?, ?)", (quarter, team, by))
            else:
                try:  # the team's own orders replace a bot's
                    db.execute("DELETE FROM autoplay_quarters WHERE quarter = ? AND team = ?", (quarter, team))
                except sqlite3.OperationalError:
                    pass  # no bot has played in this class
            self._start_clock(db, now)
        self.resolve()

    def withdraw(self, team: int) -> None:
        """Take back team ``team``'s orders for the open quarter (it is no longer "in")."""
        with _Write(self.db) as db:
            if self.resolved() != self.game.quarter:
                raise LateOrders(f"{self.game.label} has closed: its orders were played")
            db.execute("DELETE FROM submissions WHERE quarter = ? AND team = ?", (self.game.quarter, team))

    def held(self) -> str | None:
        """The quarter the class is held at, if the open quarter is it or later (``class hold``)."""
        from blitzgame.schemas.assets import quarter_index

        hold = self.manifest.hold
        if hold is None or self.game.quarter < quarter_index(self.world.scenario.start, hold):
            return None
        return hold

    def set_hold(self, quarter: str | None, now: float | None = None) -> float | None:
        """Hold the class at the start of ``quarter`` (None: release it): that quarter closes only
        at ``class next``, not when every team is in or at its deadline. Released while it holds
        the open quarter, that quarter's deadline (if any) counts again from ``now``: teams told it
        closes when their teacher says so get a whole quarter's time, not a clock that ran out
        meanwhile. Returns the open quarter's new deadline, if it got one."""
        now = time.time() if now is None else now
        with _Write(self.db) as db:
            holding = self.held() is not None
            self._change_manifest(db, hold=quarter)
            if quarter is not None or not holding or self.manifest.deadline is None:
                return None
            row = db.execute("SELECT quarter, deadline FROM quarters WHERE resolved IS NULL").fetchone()
            if row is None or row[1] is None:  # (no team has sat down yet: its clock starts then)
                return None
            deadline = now + self.manifest.deadline
            db.execute("UPDATE quarters SET deadline = ? WHERE quarter = ?", (deadline, row[0]))
            return deadline

    def _change_manifest(self, db: sqlite3.Connection, **changes):
        """Change the manifest's ``changes`` in the database (inside the write lock ``db`` holds),
        from the manifest as it stands there; returns it as it was."""
        before = read_manifest(db, self.path)
        self.manifest = before.model_copy(update=changes)
        db.execute("UPDATE meta SET value = ? WHERE key = 'manifest'", (self.manifest.model_dump_json(),))
        return before

    def set_deadline(self, seconds: float | None, now: float | None = None) -> None:
        """Give every quarter from the open one on ``seconds`` (None: no deadline). The open
        quarter (once a team has sat down) gets: shorter quarters, the new time from now or what
        it had left if less (it never closes on the teams at once); longer ones, its close moved
        later by as much as quarters grew; a first deadline, the new time from now."""
        now = time.time() if now is None else now
        with _Write(self.db) as db:
            before = self._change_manifest(db, deadline=seconds).deadline
            row = db.execute("SELECT quarter, opened, deadline FROM quarters WHERE resolved IS NULL").fetchone()
            if row is not None:
                q, opened, old = row
                started = q > 0 or db.execute("SELECT 1 FROM meta WHERE key = 'started'").fetchone() is not None
                deadline = None
                if seconds is not None and started:
                    if old is None or before is None:  # a first deadline for a quarter already open: from now
                        deadline = now + seconds
                    elif seconds < before:  # shorter: from now, and never later than it was
                        deadline = min(old, now + seconds)
                    else:  # longer: by as much as the quarters grew
                        deadline = old + (seconds - before)
                db.execute("UPDATE quarters SET deadline = ? WHERE quarter = ?", (deadline, q))

    def _start_clock(self, db: sqlite3.Connection, now: float) -> None:
        """The first quarter opens when the first team sits down (or submits), not when the
        class was made: its deadline counts from then. Later quarters open as the last closes."""
        if db.execute("SELECT 1 FROM meta WHERE key = 'started'").fetchone() is not None:
            return
        db.execute("INSERT INTO meta VALUES ('started', ?)", (repr(now),))
        self.manifest = read_manifest(db, self.path)  # the teacher may have changed the deadline
        deadline = None if self.manifest.deadline is None else now + self.manifest.deadline
        db.execute("UPDATE quarters SET opened = ?, deadline = ? WHERE quarter = 0 AND resolved IS NULL",
                   (now, deadline))

    def ready(self, now: float | None = None) -> str | None:
        """Why the open quarter can resolve now ("all in", "deadline"), or None (also while the
        class is held at it)."""
        state = self.state()
        if state.over or self.held() is not None:
            return None
        if not state.waiting:
            return "all in"
        if state.deadline is not None and (time.time() if now is None else now) >= state.deadline:
            return "deadline"
        return None

    def resolve(self, force: bool = False, only: int | None = None) -> list:
        """Resolve the open quarter if it is ready (``force``: the instructor says so; ``only``: if
        it is still quarter ``only`` once the write lock is taken, so that two ``class next`` at
        once close one quarter, not two); returns the reports of every quarter this process
        replayed or resolved (empty: still open). ``closed`` says which this call resolved."""
        self.closed = None
        reports = self.sync()
        if not force:
            self.manifest = read_manifest(self.db, self.path)  # the teacher may have held the class
        why = "instructor" if force else self.ready()
        if why is None or self.game.over:
            return reports
        with _Write(self.db) as db:
            reports += self.sync()  # another process may have resolved it meanwhile
            if self.game.over or self.resolved() != self.game.quarter or only not in (None, self.game.quarter):
                return reports
            if not force:  # read again, inside the lock
                why = self.ready()
                if why is None:
                    return reports
            try:
                reports.append(self._play_quarter(db, why))
            except BaseException:
                self._rebuild()  # the transaction rolls back: so does this process's world
                raise
            self.closed = self.game.quarter - 1
        return reports

    def _play_quarter(self, db: sqlite3.Connection, why: str):
        """Play the open quarter (inside the write lock) and record it; a hold at it is spent."""
        from blitzgame.schemas.assets import quarter_index
        from blitzgame.schemas.orders import Orders

        game = self.game
        q = game.quarter
        given = {team: json.loads(orders) for team, orders in
                 db.execute("SELECT team, orders FROM submissions WHERE quarter = ?", (q,)).fetchall()}
        sources = []
        for lab in range(game.n_labs):
            if not game.alive(lab):
                orders, source = Orders(), "out"
            elif lab in given:
                orders, source = Orders.model_validate(given[lab]), "team"
            elif lab >= len(self.teams):
                orders, source = self._decide(lab, self.manifest.rivals[lab - len(self.teams)]), "bot"
            elif self.manifest.autopilot is not None:
                orders, source = self._decide(lab, self.manifest.autopilot), "autopilot"
            else:
                orders, source = Orders(), "empty"
            game.submit(lab, orders)
            sources.append(source)
        played = [game.pending.get(lab, Orders()) for lab in range(game.n_labs)]
        game.advance()
        report = game.reports[-1]
        now = time.time()
        db.executemany("INSERT INTO played VALUES (?, ?, ?, ?)",
                       [(q, lab, json.dumps(orders.compact()), source)
                        for lab, (orders, source) in enumerate(zip(played, sources))])
        db.execute("UPDATE quarters SET resolved = ?, closed_by = ?, digest = ? WHERE quarter = ?",
                   (now, why, game.digest(), q))
        self.manifest = read_manifest(db, self.path)  # the teacher may have changed the deadline, or held the class
        hold = self.manifest.hold
        if hold is not None and quarter_index(self.world.scenario.start, hold) <= q:  # the held quarter is played: spent
            self._change_manifest(db, hold=None)
        if not game.over:
            deadline = None if self.manifest.deadline is None else now + self.manifest.deadline
            db.execute("INSERT INTO quarters (quarter, opened, deadline) VALUES (?, ?, ?)", (q + 1, now, deadline))
        return report

    def _decide(self, lab: int, spec: str):
        """A bot's orders for ``lab`` now: the bots decide from the world as it stands, so any
        process can play their turn and get the same orders."""
        from blitzgame.bots.sandbox import InProcessSeat
        from blitzgame.schemas.orders import Orders

        seat = self._seats.get(lab)
        if seat is None:
            seat = self._seats[lab] = InProcessSeat(spec)
            seat.new_game()
        decision = seat.decide(self.game, lab)
        return decision.orders if decision.orders is not None else Orders()

    def _rebuild(self) -> None:
        from blitzgame.session.game import Game

        self.game = Game(self.world, self.manifest.seed, self.setups)
        self.sync()

    # --- who plays which team ----------------------------------------------------------
    def claim(self, team: int) -> None:
        """Hold team ``team`` for this process. Refused while another live process holds it
        (its heartbeat is recent and, on this machine, the process still exists)."""
        host, pid, now = socket.gethostname(), os.getpid(), time.time()
        token = secrets.token_hex(8)
        with _Write(self.db) as db:
            row = db.execute("SELECT pid, host, seen, token FROM claims WHERE team = ?", (team,)).fetchone()
            if row is not None and _claim_alive(row[:3], now, host):
                other, where, _, held = row
                if held.startswith(AUTOPLAY_TOKEN):
                    raise ClassError(f"{self.teams[team]} is being played by your teacher's bots (blitzgame class "
                                     f"autoplay): it is yours again once they let go, when the quarter they wait "
                                     f"for closes or the teacher stops them (process {other} on {where})")
                raise ClassError(f"{self.teams[team]} is already being played in another window or browser tab: "
                                 f"close that one first, or wait {CLAIM_LAPSE:g} s after it is gone (for your "
                                 f"teacher: process {other} on {where})")
            db.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?)", (team, token, pid, host, now))
            self._start_clock(db, now)
        self.release()
        self._token, self._team, self._beat = token, team, time.monotonic()

    def busy_seats(self, teams: list[int], db: sqlite3.Connection | None = None) -> list[int]:
        """Those of ``teams`` a live process is playing (a window, a browser tab, another autoplay);
        ``db``: the connection of a write under way, to check and claim in one transaction."""
        now, host = time.time(), socket.gethostname()
        return [team for team in teams if _claim_alive(
            (db or self.db).execute("SELECT pid, host, seen FROM claims WHERE team = ?", (team,)).fetchone(), now, host)]

    def hold_seats(self, teams: list[int]) -> list[str]:
        """Claim ``teams`` for the bots this process plays them with (``class autoplay``), so no
        window opens them meanwhile; refused, nothing claimed, if a live process holds any.
        Returns the claims' tokens (``beat_seats``, ``let_go``)."""
        host, pid, now = socket.gethostname(), os.getpid(), time.time()
        with _Write(self.db) as db:
            busy = [self.teams[team] for team in self.busy_seats(teams, db)]
            if busy:
                raise ClassError(f"{', '.join(busy)}: being played in another window; leave them out (--team) "
                                 f"or close those windows")
            tokens = [AUTOPLAY_TOKEN + secrets.token_hex(8) for _ in teams]  # (a window refused says who holds it)
            db.executemany("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?)",
                           [(team, token, pid, host, now) for team, token in zip(teams, tokens)])
        return tokens

    def beat_seats(self, tokens: list[str]) -> None:
        """Say this process still plays the teams of ``tokens`` (``hold_seats``)."""
        with _Write(self.db) as db:
            db.executemany("UPDATE claims SET seen = ? WHERE token = ?", [(time.time(), t) for t in tokens])

    def let_go(self, tokens: list[str]) -> None:
        """Let go of the teams ``hold_seats`` claimed."""
        try:
            with _Write(self.db) as db:
                db.executemany("DELETE FROM claims WHERE token = ?", [(t,) for t in tokens])
        except sqlite3.Error:
            pass  # the claims lapse by themselves

    def heartbeat(self, force: bool = False) -> None:
        """Say this process still plays its team: every poll calls it, and it writes at most
        every ``HEARTBEAT_SECONDS`` (``force``: now)."""
        now = time.monotonic()
        if self._token is not None and (force or now - self._beat >= HEARTBEAT_SECONDS):
            self._beat = now
            with _Write(self.db) as db:
                db.execute("UPDATE claims SET seen = ? WHERE team = ? AND token = ?",
                           (time.time(), self._team, self._token))

    def release(self) -> None:
        """Let go of this process's team, if it holds one."""
        if self._token is not None:
            token, self._token, self._team = self._token, None, None
            try:
                with _Write(self.db) as db:
                    db.execute("DELETE FROM claims WHERE token = ?", (token,))
            except sqlite3.Error:
                pass  # the claim lapses by itself

    def poll(self) -> list:
        """What a team's screen does every ``POLL_SECONDS``: heartbeat, resolve the quarter if
        its deadline passed, and replay whatever resolved; returns the new reports."""
        self.heartbeat()
        return self.resolve()


# --- bots in the teams' seats -----------------------------------------------------------
@dataclass(frozen=True)
class SharedAutoplay:
    """What ``autoplay_shared`` did: the quarters it played and each of its teams' standing."""

    first: str | None
    last: str | None
    quarters: int
    teams: tuple[tuple[str, str, str, int], ...]  # (team, bot, status, rank)
    over: bool
    held: str | None = None  # the quarter the teacher holds the class at, where the bots stopped (``class hold``)
    skipped: tuple[str, ...] = ()  # teams someone is playing, left out of a whole-class autoplay


def autoplay_shared(folder: str | Path, bots: list[str], quarters: int | None = None,
                    teams: list[str] | None = None, wait: float = POLL_SECONDS,
                    on_quarter=None, on_wait=None) -> SharedAutoplay:
    """Bots in teams' seats of a shared class: the k-th team named (else in the class's order)
    gets ``bots[k % len(bots)]``. Each quarter the bots submit for their teams; the quarter
    resolves when the other teams are in too (or at its deadline, or ``class next``), so bots can
    fill a room's empty seats beside students, or play every seat for a rehearsal. Teams a live
    process is playing are refused when named, and left out (``skipped``) of the whole class.
    ``on_quarter(label)`` is called after each quarter, and ``on_wait(label, teams)`` once a
    quarter when the bots' orders are in and it waits for those teams."""
    from blitzgame.bots.sandbox import InProcessSeat
    from blitzgame.classroom.create import autoplay_bots, too_many

    specs = autoplay_bots(bots, quarters)
    shared = SharedClass(folder)
    tokens: list[str] = []
    try:
        picked = list(dict.fromkeys(shared.team_index(name) for name in teams)) if teams else \
            list(range(len(shared.teams)))
        too_many(specs, len(picked))
        bot_of = {lab: specs[k % len(specs)] for k, lab in enumerate(picked)}  # each team's bot, as named or in order
        skipped = () if teams else tuple(shared.teams[t] for t in shared.busy_seats(picked))  # (named ones: refused)
        picked = [t for t in picked if shared.teams[t] not in skipped]
        if not picked:
            raise ClassError(f"every team is being played in a window ({', '.join(skipped)}): nothing for bots to play")
        if shared.game.over:  # nothing to play (and no seat to take, whoever still has a window open)
            return SharedAutoplay(None, None, 0, (), True)
        tokens = shared.hold_seats(picked)  # refused if a window plays one; no window opens them meanwhile
        beat = time.monotonic()
        seats = {lab: InProcessSeat(bot_of[lab]) for lab in picked}
        for seat in seats.values():
            seat.new_game()
        with _Write(shared.db) as db:
            db.executemany("INSERT OR REPLACE INTO autoplayed VALUES (?, ?)",
                           [(lab, seat.spec) for lab, seat in seats.items()])
        start = shared.game.quarter
        first = shared.game.label if not shared.game.over else None
        while not shared.game.over and (quarters is None or shared.game.quarter - start < quarters):
            q = shared.game.quarter
            for lab, seat in seats.items():
                if shared.game.alive(lab):
                    decision = seat.decide(shared.game, lab)
                    try:  # for quarter q only: a bot's orders are never carried into the next one
                        shared.submit(lab, decision.orders if decision.orders is not None else {}, quarter=q,
                                      by=seat.spec)
                    except LateOrders:
                        break  # the quarter closed meanwhile (its deadline, the instructor, or orders in before a hold)
            said = False
            while shared.game.quarter == q:
                shared.resolve()
                if shared.game.quarter == q and shared.held() is not None:
                    break  # held by the teacher: the bots' orders are in, the quarter waits for `class next`
                if shared.game.quarter == q:
                    if on_wait is not None and not said:
                        on_wait(shared.world.label(q), list(shared.state().waiting))
                        said = True
                    time.sleep(wait)  # other teams are still giving their orders
                    if time.monotonic() - beat >= HEARTBEAT_SECONDS:
                        shared.beat_seats(tokens)
                        beat = time.monotonic()
            if shared.game.quarter == q:
                break
            if on_quarter is not None:
                on_quarter(shared.world.label(q))
        played = shared.game.quarter - start
        mine = {lab: shared.game.observe(lab).me for lab in seats}
        standing = tuple((shared.teams[lab], seat.name, mine[lab].status, mine[lab].rank) for lab, seat in seats.items())
        last = shared.world.label(shared.game.quarter - 1) if played else None
        return SharedAutoplay(first if played else None, last, played, standing, shared.game.over,
                              None if shared.game.over else shared.held(), skipped)
    finally:
        if tokens:
            shared.let_go(tokens)
        shared.close()


# --- making one ------------------------------------------------------------------------
def new_shared_class(folder: str | Path, *, team_names: list[str], scenario: str = "base-2024", seed: int = 0,
                     rivals: list[str] | None = None, quarters: int | None = None, position: str | None = None,
                     hub: str | None = None, name: str | None = None, deadline: float | None = None,
                     autopilot: str | None = None) -> SharedManifest:
    """Make ``folder`` a shared class: its database with the first quarter open. The teams take
    the scenario roster's home hubs in turn (``hub``: all the same); bot rivals fill the
    scenario's seats the teams leave (``rivals``: name them, an empty list for none; else
    drawn at the scenario's difficulty)."""
    from blitzgame.classroom.create import check_folder, check_team_names, checked_bots, class_world
    from blitzgame.session.campaign import draw_rivals

    folder = Path(folder)
    check_team_names(team_names)
    world = class_world(scenario, quarters)
    roster = world.scenario.labs
    if rivals is None:
        level = world.scenario.difficulty
        rivals = draw_rivals(max(0, len(roster) - len(team_names), MIN_LABS - len(team_names)), seed, level)
    else:
        rivals = checked_bots(rivals, "--rivals")
    labs = len(team_names) + len(rivals)
    if not MIN_LABS <= labs <= MAX_WORLD_LABS:
        raise ClassError(f"a shared class has {MIN_LABS}-{MAX_WORLD_LABS} labs: {len(team_names)} team(s) and "
                         f"{len(rivals)} rival(s) make {labs}")
    if autopilot is not None:
        autopilot = checked_bots([autopilot], "--autopilot")[0]
    if position is None:
        positions = {lab.position for lab in roster}
        position = positions.pop() if len(positions) == 1 else "startup"
    if position not in ("startup", "challenger", "incumbent"):
        raise ClassError(f"--position: expected startup, challenger or incumbent, got {position!r}")
    if hub is not None and hub not in world.hub_ids:
        raise ClassError(f"--hub: unknown hub {hub!r}; expected one of {', '.join(world.hub_ids)}")
    if deadline is not None and not deadline > 0:
        raise ClassError(f"--deadline: a quarter needs some time, got {deadline:g} s")
    teams = [SharedTeam(name=team, hub=hub or roster[k % len(roster)].hub, code=join_code())
             for k, team in enumerate(team_names)]
    manifest = SharedManifest(
        format=SHARED_FORMAT, version=SHARED_VERSION, name=name or folder.resolve().name or "class",
        scenario=world.scenario.model_dump(mode="json"), seed=seed, position=position, teams=teams, rivals=rivals,
        deadline=deadline, autopilot=autopilot, created=datetime.now(UTC).replace(microsecond=0))
    made = check_folder(folder)
    try:
        if made:
            folder.mkdir()
        create_database(folder, manifest, time.time())
        SharedClass(folder).close()  # it opens as every process will open it
    except BaseException:
        for leftover in (folder / DATABASE, folder / f"{DATABASE}-wal", folder / f"{DATABASE}-shm"):
            leftover.unlink(missing_ok=True)
        if made:
            folder.rmdir()
        raise
    return manifest


def parse_duration(text: str) -> float:
    """'10m', '90s' or '1h30m', as seconds. A bare number is refused: "5" meant as minutes would
    close every quarter after five seconds."""
    import re

    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueError(f"give {text!r} a unit: {text}m for minutes or {text}s for seconds")
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    if not text or parts is None:
        raise ValueError(f"expected a duration like 10m, 90s or 1h30m, got {text!r}")
    h, m, s = (int(part or 0) for part in parts.groups())
    seconds = 3600.0 * h + 60.0 * m + s
    if not seconds > 0:
        raise ValueError(f"a duration must be more than 0 s, got {text!r}")
    return seconds


__all__ = ["CLAIM_LAPSE", "DATABASE", "POLL_SECONDS", "LateOrders", "QuarterState", "SharedAutoplay", "SharedClass",
           "SharedManifest", "Submitted", "autoplay_shared", "clock", "is_shared", "join_code",
           "new_shared_class", "parse_duration"]
