"""Running a tournament: plan the games, play them on a backend, rate and write them in order.

``run_tournament(config)`` is ``blitzgame tournament``: it writes ``games.csv`` (see
``results``), ``summary.json`` and a small ``checkpoint.json`` in ``config.out``.
``play_games(config)`` plays the same games and only returns them as arrays, and
``summarize`` rates them: the fidelity checks run many tournaments that way, in-process.

The parent decides everything a game depends on (its lineup from ``schedule``, its seed
from ``SeedSequence(seed)``); workers only play. Results are used strictly in game order,
so the files are byte for byte the same for any worker count or backend.

Crash safety: rows are appended to ``games.csv`` and flushed in game order, and about
once a second the checkpoint records, atomically, the games done, the CSV's length and
SHA-256 at that point and the standings after them. ``--resume`` checks the settings,
cuts ``games.csv`` back to the checkpoint (a crash may leave a partial tail), restores the
standings and plays the rest: the files end the same as an uninterrupted run's.
"""

import contextlib
import hashlib
import json
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from blitzgame.files import write_atomic
from blitzgame.schemas.tournament import TournamentConfig
from blitzgame.tournament.backends import TaskFailed, open_backend
from blitzgame.tournament.config import identity as config_identity
from blitzgame.tournament.config import prepare, scenario_source
from blitzgame.tournament.play import Task
from blitzgame.tournament.results import GameResults, Standings, by_rating, csv_header, tournament_ranks
from blitzgame.tournament.schedule import game_seeds, lineups

CSV_NAME = "games.csv"
SUMMARY_NAME = "summary.json"
CHECKPOINT_NAME = "checkpoint.json"
CHECKPOINT_FORMAT = "blitzgame-tournament-checkpoint"
CHECKPOINT_VERSION = 1
MAX_TASK_GAMES = 2000  # built-in games per task: ~0.15 s of compiled play
MIN_TASK_GAMES = 100
SEATED_TASK_GAMES = 8  # games with a Python bot per task: each takes ~0.1-1 s
CHECKPOINT_SECONDS = 1.0


class TournamentError(ValueError):
    """A tournament that cannot start or go on as asked (one line for the player)."""


class TournamentFailed(RuntimeError):
    """Games failed to play; what was finished is kept and can be resumed."""


class Interrupted(KeyboardInterrupt):
    """Stopped by Ctrl-C after ``done`` of ``total`` games; everything finished is kept."""

    def __init__(self, done: int, total: int, out: Path) -> None:
        super().__init__(f"interrupted after {done} of {total} games")
        self.done, self.total, self.out = done, total, out


@dataclass(frozen=True)
class TournamentResult:
    """What ``run_tournament`` produced: the summary and where its files are."""

    summary: dict
    out: Path
    games_csv: Path
    summary_json: Path
    checkpoint: Path

    @property
    def standings(self) -> list[dict]:
        """The bots' summary entries, best rating first."""
        return by_rating(self.summary["bots"])


# --- planning ----------------------------------------------------------------------------
class Plan:
    """The games of a tournament: lineups, seeds and how they are cut into tasks."""

    def __init__(self, config: TournamentConfig, specs: list[str] | None = None) -> None:
        from blitzgame.assets import load_scenario
        from blitzgame.bots.base import builtin_bot
        from blitzgame.bots.loader import canonical_spec

        self.config = config
        self.specs = tuple(specs or [canonical_spec(spec) for spec in config.bots])
        self.builtin = tuple(builtin_bot(spec) is not None for spec in self.specs)
        self.labs = int(config.labs)
        self.scenario = scenario_source(config.scenario)  # a file by its absolute path: workers may be elsewhere
        self.scenario_id = load_scenario(config.scenario).id
        self.seeds = game_seeds(config.seed, config.games)

    @property
    def all_builtin(self) -> bool:
        return all(self.builtin)

    def workers_for(self, start: int, stop: int, asked: int) -> int:
        """No more workers than there are tasks to give them."""
        per_task = MIN_TASK_GAMES if self.all_builtin else SEATED_TASK_GAMES
        return max(1, min(asked, math.ceil((stop - start) / per_task)))

    def tasks(self, start: int, stop: int, workers: int, names: list[str] | None = None) -> Iterator[Task]:
        """Tasks covering games ``start..stop-1`` in order (their size never changes a result);
        with ``names``, each task also writes its games' CSV rows under those bot names."""
        csv = (tuple(names), self.scenario_id) if names is not None else None
        size = min(MAX_TASK_GAMES, max(MIN_TASK_GAMES, math.ceil((stop - start) / (4 * workers))))
        builtin = np.array(self.builtin, dtype=bool)
        index, g = 0, start
        while g < stop:
            end = min(stop, g + size)
            seats = lineups(len(self.specs), self.labs, g, end)
            if not builtin.all():
                seated = np.cumsum(~builtin[seats].all(axis=1))
                keep = int(np.searchsorted(seated, SEATED_TASK_GAMES, side="right"))
                seats = seats[:keep]
                end = g + keep
            yield Task(index, self.scenario, self.specs, self.builtin, g, seats, self.seeds[g:end],
                       self.config.move_budget, csv)
            index, g = index + 1, end


ARENA_KERNELS = ("arena.play_arena",)  # games of built-in bots alone: the arena inlines every built-in policy


def kernels_to_play(config: TournamentConfig, start: int = 0) -> tuple[str, ...]:
    """What playing games ``start..`` of ``config`` (prepared) compiles on a first run
    (``_jit_cache.compile_notice``): the arena if a game seats built-in bots alone, and if a game
    seats a Python bot what a game of the bots compiles (``session.headless.kernels_for``). Only
    what these games compile: a kernel they never would would have every run announce a compile."""
    from blitzgame.session.headless import kernels_for

    plan = Plan(config)
    seats = lineups(len(plan.specs), plan.labs, start, config.games)
    compiled = np.array(plan.builtin, dtype=bool)[seats].all(axis=1)
    seated = [plan.specs[b] for b in np.unique(seats[~compiled])]  # the bots of the games that seat a Python bot
    return (ARENA_KERNELS if compiled.any() else ()) + (kernels_for(seated) if seated else ())


# --- the Python API ------------------------------------------------------------------------
def play_games(config: TournamentConfig, start: int = 0, stop: int | None = None) -> GameResults:
    """Games ``start..stop-1`` of the tournament as arrays, nothing written (``config.workers``
    and ``config.backend`` say where they run; the results are the same anywhere)."""
    config = prepare(config)
    plan = Plan(config)
    stop = config.games if stop is None else stop
    if not 0 <= start <= stop <= config.games:
        raise ValueError(f"games {start}..{stop} are outside the tournament's 0..{config.games}")
    if start == stop:
        return _empty_results(plan.labs)
    workers = plan.workers_for(start, stop, config.worker_count)
    backend = open_backend(config.backend, workers, config.address)
    try:
        return GameResults.concat([done.results for done in backend.results(plan.tasks(start, stop, backend.workers))])
    finally:
        backend.close()


def summarize(config: TournamentConfig, results: GameResults, names: list[str] | None = None) -> dict:
    """The ``summary.json`` object of ``results`` (games in order from game 0), without elapsed_s."""
    config = prepare(config)
    standings = Standings(len(config.bots))
    standings.add(results)
    return _summary(config, names or list(config.bots), standings, results.games, None)


def run_tournament(config: TournamentConfig, progress: bool = False) -> TournamentResult:
    """Play the tournament and write its files in ``config.out`` (see the module doc).

    ``progress`` shows a progress bar when stdout is a terminal. Raises
    ``TournamentError`` for an ``out`` that cannot be used (or a resume that does not
    match), ``Interrupted`` on Ctrl-C and ``TournamentFailed`` if games fail to play;
    in both of the last, what was finished is kept for ``--resume``.
    """
    started = time.perf_counter()
    config = prepare(config)
    folder = Folder(Path(config.out))
    identity = config_identity(config)
    if config.resume:
        checkpoint = folder.read_checkpoint()
        _check_same(checkpoint["config"], identity, folder.path)
        names = list(checkpoint["config"]["bots"])
        done = int(checkpoint["games_done"])
        if config.games < done:
            raise TournamentError(f"{folder.path} already holds {done} games; --games {config.games} is fewer")
        log = CsvLog.reopen(folder.csv, int(checkpoint["csv_bytes"]), checkpoint["csv_sha256"], done)
        try:
            standings = Standings(len(names), checkpoint["standings"])
        except ValueError as error:
            raise TournamentError(f"cannot resume {folder.path}: {error}") from None
        earlier = float(checkpoint["elapsed_s"])
    else:
        if folder.holds_tournament():
            raise TournamentError(f"{folder.path} already holds a tournament; continue it with --resume, "
                                  "or choose another --out (or delete that folder, and its results with it, to "
                                  "start again there)")
        names, done, earlier = list(config.bots), 0, 0.0
        standings = Standings(len(names))
        log = None  # the folder is written once the backend runs: one that cannot start leaves nothing behind
    identity["bots"] = names
    plan = Plan(config, identity["bot_specs"])
    backend, abandon = None, False
    if done < config.games:
        try:
            backend = open_backend(config.backend, plan.workers_for(done, config.games, config.worker_count),
                                   config.address)
        except BaseException:
            if log is not None:
                log.close()
            raise
    if log is None:
        try:
            folder.path.mkdir(parents=True, exist_ok=True)
            folder.write_checkpoint(_checkpoint(identity, names, 0, len(csv_header().encode()),
                                                hashlib.sha256(csv_header().encode()).hexdigest(), standings, 0.0))
            log = CsvLog.create(folder.csv)
        except BaseException:
            if backend is not None:
                backend.close(abandon=True)
            raise

    def save() -> None:
        log.sync()
        folder.write_checkpoint(_checkpoint(identity, names, done, log.size, log.digest(), standings,
                                            earlier + time.perf_counter() - started))

    try:
        with _progress_bar(progress, config.games, done) as advance:
            if backend is not None:
                saved = time.monotonic()
                for task in backend.results(plan.tasks(done, config.games, backend.workers, names)):
                    with _sigint_deferred():  # a result is used whole or not at all
                        standings.add(task.results)
                        log.append(task.csv)
                        done += task.results.games
                        if time.monotonic() - saved >= CHECKPOINT_SECONDS:
                            save()
                            saved = time.monotonic()
                    advance(done)
    except KeyboardInterrupt:
        abandon = True
        with _sigint_deferred(then_raise=False):  # Ctrl-C again (or the group's) does not cut the save short
            save()
        raise Interrupted(done, config.games, folder.path) from None
    except TaskFailed as error:
        abandon = True
        save()
        raise TournamentFailed(f"{error}; the {done} games before are kept") from None
    finally:  # stopping already (the reason stands), or every game is played: Ctrl-C now loses nothing
        with _sigint_deferred(then_raise=False):
            if backend is not None:
                backend.close(abandon)
            log.close()
    with _sigint_deferred(then_raise=False):  # (a tournament whose games are all played is finished, and saved)
        elapsed = earlier + time.perf_counter() - started
        summary = _summary(config, names, standings, done, elapsed, identity["bot_specs"])  # (as typed: maybe elsewhere)
        save()
        write_atomic(folder.summary, json.dumps(summary, indent=2) + "\n")
    return TournamentResult(summary, folder.path, folder.csv, folder.summary, folder.checkpoint)


def _summary(config: TournamentConfig, names: list[str], standings: Standings, games: int,
             elapsed: float | None, found: list[str] | None = None) -> dict:
    """``found``: where each of ``names`` is found from here (``shown_names``), if not by its name."""
    from blitzgame.assets import load_scenario
    from blitzgame.bots.loader import shown_names

    bots, shown = standings.bots(names), shown_names(names, found)
    for bot in bots:  # "name" is the spec that plays it; "bot_name" what the table calls it
        bot["bot_name"] = shown[bot["name"]]
    summary = {"games": games, "seed": config.seed, "scenario": load_scenario(config.scenario).id,
               "labs": config.labs, "move_budget": config.move_budget, "bots": bots,
               "head_to_head": standings.head_to_head(names)}
    if elapsed is not None:
        summary["elapsed_s"] = round(elapsed, 3)
    return summary


def _empty_results(labs: int) -> GameResults:
    from blitzgame.bots.arena import STAT_FIELDS
    from blitzgame.engine import layout as F

    return GameResults.from_states(np.zeros(0), np.zeros(0), np.zeros((0, labs), dtype=np.int64),
                                   np.zeros((0, labs, F.LAB_FIELDS)), np.zeros((0, F.WORLD_FIELDS)),
                                   np.zeros((0, labs, STAT_FIELDS)), np.zeros(0))


# --- resuming --------------------------------------------------------------------------------
def _checkpoint(identity: dict, names: list[str], done: int, csv_bytes: int, digest: str, standings: Standings,
                elapsed: float) -> dict:
    return {"format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION, "config": {**identity, "bots": names},
            "games_done": done, "csv_bytes": csv_bytes, "csv_sha256": digest,
            "standings": standings.state(), "elapsed_s": elapsed}


_COMPARED = {"rules": "Blitzgame", "bot_specs": "--bots", "bot_code": "--bots", "labs": "--labs", "seed": "--seed",
             "scenario_digest": "--scenario", "move_budget": "--move-budget"}


def _check_same(saved: dict, now: dict, where: Path) -> None:
    """Refuse to resume with settings that would change the games already played."""
    for key, shown in _COMPARED.items():
        if key not in saved:
            continue  # a checkpoint written before this was recorded
        if saved.get(key) != now.get(key):
            if key == "rules":
                raise TournamentError(
                    f"Blitzgame's code or data changed since {where} was checkpointed (it was {saved[key]}, now "
                    f"{now[key]}): its games so far were played under the old rules, and mixing them with new ones "
                    "would be wrong; start a new tournament (another --out), or resume with the Blitzgame that "
                    "played them")
            if key == "bot_code":
                changed = [bot for bot, was, code in zip(now["bots"], saved[key], now[key]) if was != code]
                raise TournamentError(
                    f"the code of {', '.join(changed)} changed since {where} was checkpointed: its games so far were "
                    "played by the old code, and rating the new code under them would be wrong; start a new "
                    "tournament (another --out, or delete that folder and its results first), or put the code back "
                    "as it was to resume (any change counts, a comment too)")
            if key == "scenario_digest":
                was = saved.get("scenario")
                change = "the scenario differs" + (f" (it was {was})" if was != now.get("scenario") else
                                                   " (its file changed)")
            elif key == "bot_specs":
                change = f"--bots was {','.join(saved.get('bots', []))}"
            else:
                change = f"{shown} was {saved.get(key)}, now {now.get(key)}"
            raise TournamentError(f"{where} holds a different tournament: {change}; resume it with its own "
                                  "settings, or choose another --out")


@dataclass(frozen=True)
class Watched:
    """A tournament's game played again: the ``Game``, each seat's bot and whether it matches."""

    game: object
    bots: list[str]  # each seat's bot spec
    seed: int
    matches: bool  # every seat's rank and score as games.csv recorded them
    changed: list[str] = field(default_factory=list)  # bots whose code changed since the tournament
    rules_changed: bool = False  # Blitzgame's own code or data changed since (``rules_fingerprint``)
    seats: list = field(default_factory=list)  # the seats that played it (what went wrong, in ``counts``)
    budget_hit: bool = False  # a seat ran over its move budget, when the tournament played it or now


def watch_game(out: str | os.PathLike, index: int) -> Watched:
    """Play game ``index`` of the tournament in ``out`` again, its bots in their seats, with its
    seed, seated as the tournament seated them (a Python bot in a process of its own with the
    tournament's move budget), and compare it with its rows of ``games.csv``."""
    import csv

    from blitzgame.bots.loader import code_fingerprint, rules_fingerprint
    from blitzgame.session.game import Game
    from blitzgame.session.headless import close_seats, play_headless, seats_for
    from blitzgame.session.standings import standings
    from blitzgame.session.world import compile_world, default_setups

    folder = Folder(Path(out))
    checkpoint = folder.read_checkpoint("nothing to watch")
    config, done = checkpoint["config"], int(checkpoint["games_done"])
    if not 0 <= index < done:
        raise TournamentError(f"{folder.path} has games 0..{done - 1}, not {index}" if done else
                              f"{folder.path} has no game played yet")
    specs = list(config["bot_specs"])
    lineup = lineups(len(specs), int(config["labs"]), index, index + 1)[0]
    seated = [specs[b] for b in lineup]
    changed = [spec for spec, code in zip(specs, config.get("bot_code", []))
               if spec in seated and code_fingerprint(spec) != code]
    seed = int(game_seeds(int(config["seed"]), index + 1)[index])
    world = compile_world(config["scenario_source"])
    game = Game(world, seed, default_setups(world, int(config["labs"])))
    seats = seats_for(seated, len(seated), budget=float(config["move_budget"]), sandbox=None)  # as the tournament seated them
    try:
        play_headless(game, seats)
    finally:
        close_seats(seats)
    final = standings(game).labs
    forfeit = np.array([[seat.counts["forfeits"] > 0 for seat in seats]])
    rank = tournament_ranks(np.array([[lab.rank for lab in final]]), forfeit)[0]  # as games.csv ranks them
    with open(folder.csv, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["game"] == str(index)]
    matches = len(rows) == game.n_labs and all(
        int(row["rank"]) == rank[int(row["seat"])] and abs(float(row["score"]) - final[int(row["seat"])].score) < 1e-3
        and (row["status"] == "forfeited") == forfeit[0, int(row["seat"])] for row in rows)
    rules_changed = "rules" in config and config["rules"] != rules_fingerprint()
    budget_hit = any(int(row[key] or 0) for row in rows for key in ("timeouts", "forfeits")) or any(
        seat.counts["timeouts"] or seat.counts["forfeits"] for seat in seats)
    return Watched(game, seated, seed, matches, changed, rules_changed, seats, budget_hit)


def games_done(out: str | os.PathLike) -> int:
    """How many games the tournament in ``out`` has played (its checkpoint's count)."""
    return int(Folder(Path(out)).read_checkpoint()["games_done"])


def checkpoint_config(out: str | os.PathLike) -> dict:
    """The settings of the tournament in ``out`` (for a resume given only ``--out``)."""
    return Folder(Path(out)).read_checkpoint()["config"]


class Folder:
    """A tournament's output folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.csv = path / CSV_NAME
        self.summary = path / SUMMARY_NAME
        self.checkpoint = path / CHECKPOINT_NAME

    def holds_tournament(self) -> bool:
        if self.path.exists() and not self.path.is_dir():
            raise TournamentError(f"--out {self.path} is a file, not a folder")
        return any(p.exists() for p in (self.csv, self.summary, self.checkpoint))

    def read_checkpoint(self, purpose: str = "nothing to resume") -> dict:
        if not self.checkpoint.is_file():
            what = "games.csv but no checkpoint" if self.csv.exists() else "no tournament"
            raise TournamentError(f"{purpose}: {self.path} holds {what} ({CHECKPOINT_NAME} is missing)")
        try:
            data = json.loads(self.checkpoint.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise TournamentError(f"{self.checkpoint} cannot be read: {error}") from None
        if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
            raise TournamentError(f"{self.checkpoint} is not a tournament checkpoint")
        if data.get("version") != CHECKPOINT_VERSION:
            raise TournamentError(f"{self.checkpoint} is version {data.get('version')}; this blitzgame reads "
                                  f"version {CHECKPOINT_VERSION}")
        return data

    def write_checkpoint(self, data: dict) -> None:
        write_atomic(self.checkpoint, json.dumps(data) + "\n")


class CsvLog:
    """``games.csv``, appended in game order, with the SHA-256 of everything written."""

    def __init__(self, path: Path, handle, size: int, hasher) -> None:
        self.path, self.handle, self.size, self.hasher = path, handle, size, hasher

    @classmethod
    def create(cls, path: Path) -> "CsvLog":
        header = csv_header().encode()
        handle = open(path, "wb")  # noqa: SIM115  (closed by close())
        handle.write(header)
        handle.flush()
        return cls(path, handle, len(header), hashlib.sha256(header))

    @classmethod
    def reopen(cls, path: Path, size: int, digest: str, done: int) -> "CsvLog":
        """Open for appending after the checkpointed ``size`` bytes, checking they are unchanged."""
        if done == 0 and (not path.exists() or path.stat().st_size < size):
            return cls.create(path)  # stopped before the first games were written
        if not path.is_file():
            raise TournamentError(f"cannot resume: {path} is missing")
        with open(path, "rb") as handle:
            if handle.readline() != csv_header().encode():
                raise TournamentError(f"cannot resume: {path} has other columns than this version writes (made by "
                                      "an older Blitzgame); start a new tournament (another --out)")
        if path.stat().st_size < size:
            raise TournamentError(f"cannot resume: {path} is shorter than its checkpoint says "
                                  f"({path.stat().st_size} bytes, expected at least {size})")
        hasher = hashlib.sha256()
        with open(path, "rb") as handle:
            left = size
            while left:
                chunk = handle.read(min(left, 1 << 22))
                if not chunk:
                    break
                hasher.update(chunk)
                left -= len(chunk)
        if hasher.hexdigest() != digest:
            raise TournamentError(f"cannot resume: {path} does not match its checkpoint (was it edited?)")
        handle = open(path, "r+b")  # noqa: SIM115
        handle.truncate(size)  # a crash may have left rows (or half a row) after the checkpoint
        handle.seek(size)
        return cls(path, handle, size, hasher)

    def append(self, data: bytes) -> None:
        self.handle.write(data)
        self.handle.flush()
        self.hasher.update(data)
        self.size += len(data)

    def digest(self) -> str:
        return self.hasher.hexdigest()

    def sync(self) -> None:
        if not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())

    def close(self) -> None:
        if not self.handle.closed:
            self.sync()
            self.handle.close()


# --- around the loop ------------------------------------------------------------------------
@contextlib.contextmanager
def _sigint_deferred(then_raise: bool = True):
    """Hold Ctrl-C until the block is done (then raise it, unless ``then_raise`` is False: the
    caller is stopping already, or has nothing left to stop), so no result is half used and no
    checkpoint half written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught and then_raise:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _progress_bar(enabled: bool, total: int, done: int) -> Iterator[Callable[[int], None]]:
    """``advance(done)``: a rich progress bar when asked and stdout is a terminal, else nothing."""
    import sys

    if not enabled or not sys.stdout.isatty():
        yield lambda _done: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("games"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("games", total=total, completed=done, rate="")
        start, first = time.perf_counter(), done

        def advance(now: int) -> None:
            seconds = time.perf_counter() - start
            rate = f"{(now - first) / seconds:,.0f}/s" if seconds > 0 else ""
            bar.update(task, completed=now, rate=rate)

        yield advance


__all__ = ["Interrupted", "Plan", "TournamentError", "TournamentFailed", "TournamentResult", "checkpoint_config",
           "play_games", "run_tournament", "summarize"]
