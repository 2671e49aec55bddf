"""A team's campaign: the class's world, saved to the team's own file after every quarter.

``TeamCampaign`` is a ``Campaign`` whose autosave is the team's save in the class folder
(written atomically, as every save is), so ``blitzgame play --class DIR --team NAME``, a
browser tab of ``blitzgame class serve`` and ``blitzgame class autoplay`` all move the same
file on. ``open_team`` loads a team's save and checks that it belongs to the class.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from blitzgame.classroom.manifest import (
    ClassError,
    ClassManifest,
    TeamEntry,
    check_join_code,
    load_manifest,
    manifest_path,
)
from blitzgame.session.campaign import Campaign
from blitzgame.session.saves import SaveError, load_game, read_save
from blitzgame.session.standings import standings


class TeamCampaign(Campaign):
    """A campaign whose autosave (after every quarter, and after a rewind) is ``save_path``.

    With the class ``folder``, it follows the teacher's rules as ``class.toml`` has them at
    each moment: a hold (``class hold``: no team plays past the start of a quarter) and
    whether rewinds are allowed; and it records each rewind beside the save
    (``rewinds_path``), for ``class status`` and the report."""

    refresh_seconds = 2.0  # HQ shows a hold, or a release, within two seconds of the teacher's command

    def __init__(self, game, seats, save_path: str | os.PathLike, team: str | None = None,
                 folder: str | os.PathLike | None = None) -> None:
        self.save_path = Path(save_path)
        super().__init__(game, seats, autosave_name=self.save_path.stem)
        self.team = team or game.names[self.humans[0]]
        self.folder = None if folder is None else Path(folder)
        self._rules: tuple[float, ClassManifest | None] = (-1.0, None)

    def autosave(self, folder: Path | None = None) -> Path:
        """The team's save file is the autosave: every quarter lands in it, atomically."""
        return self.save(self.save_path)

    def save_refusal(self) -> str | None:
        """A team's game is its file in the class folder, saved after every quarter: a copy saved
        elsewhere would be a second game the class never sees."""
        return (f"Your team's game is saved in the class folder ({self.save_path.name}) after every quarter: "
                "nothing to save here.")

    def export_folder(self) -> Path:
        """The team's folder in the class, beside its save: the teacher collects exports there."""
        return self.save_path.parent

    def rewind(self, quarter: int) -> None:
        """Rewind, save at once (the team's file holds the game the team is playing), and record it."""
        before = self.game.label
        super().rewind(quarter)
        self.autosave()
        record_rewind(self.save_path, before, self.game.label)

    # --- the teacher's rules ------------------------------------------------------------
    def rules(self) -> ClassManifest | None:
        """The class manifest as it is now (read again only when the file changed)."""
        if self.folder is None:
            return None
        try:
            stamp = manifest_path(self.folder).stat().st_mtime_ns
        except OSError:
            return self._rules[1]
        if stamp != self._rules[0]:
            try:
                self._rules = (stamp, load_manifest(self.folder))
            except ClassError:
                pass  # a manifest being rewritten or broken: keep the last rules read
        return self._rules[1]

    def held(self) -> str | None:
        """The quarter the class is held at, if this team has reached it."""
        from blitzgame.schemas.assets import quarter_index

        rules = self.rules()
        if rules is None or rules.hold is None:
            return None
        return rules.hold if self.game.quarter >= quarter_index(self.game.world.scenario.start, rules.hold) else None

    def end_refusal(self, lab: int) -> str | None:
        held = self.held()
        if held is None:
            return None
        return (f"Your teacher holds the class at {held}: the other teams are catching up. Give your orders; the "
                f"quarter can be played once the class is released.")

    def rewind_refusal(self) -> str | None:
        rules = self.rules()
        if rules is not None and not rules.rewind:
            return "Rewind is off in this class: you live with the quarters you played (your teacher's rule)."
        return None

    def class_line(self, lab: int) -> str | None:
        held = self.held()
        if held is not None:
            return (f"[b]Held at {held}:[/] your teacher holds the class here until every team has caught up. Give "
                    "your orders; you can end the quarter once the class is released.")
        return self._handed_back()

    def _handed_back(self) -> str | None:
        """A bot's stretch just before the quarter now being played (`class autoplay`): the team is
        told who played its lab and when, as it takes the keyboard back."""
        rules = self.rules()
        entry = next((t for t in rules.teams if t.name == self.team), None) if rules is not None else None
        played = self.game.quarter  # (HQ asks every few seconds: the rewinds are read only where a bot played)
        if entry is None or entry.playing_bot(played) is None:  # (a rewind only ever gives quarters back)
            return None
        back = rewound_to(self.save_path, self.game.world.scenario.start)
        bot = entry.playing_bot(played, back)
        if bot is None:
            return None
        quarters = entry.bot_quarters(played, back)
        first = played - 1
        while first - 1 in quarters and quarters[first - 1] == bot:
            first -= 1
        label = self.game.world.label
        when = label(first) if first == played - 1 else f"{label(first)}..{label(played - 1)}"
        return (f"[b]Your teacher's bot ({bot}) played your lab in {when}[/] (class autoplay): its orders are in "
                "the news and the timeline. The keyboard is yours again; last quarter's orders were the bot's (ctrl+l "
                "in the orders form repeats them).")


def rewinds_path(save: Path) -> Path:
    """Where a team's rewinds are recorded: beside its save (``teams/team-1.rewinds.jsonl``)."""
    return save.with_name(f"{save.stem}.rewinds.jsonl")


def record_rewind(save: Path, before: str, to: str) -> None:
    """Add a line to the team's rewind record: when, from which quarter, back to which."""
    import json
    from datetime import UTC

    line = json.dumps({"at": datetime.now(UTC).replace(microsecond=0).isoformat(), "from": before, "to": to})
    with rewinds_path(save).open("a", encoding="utf-8") as log:
        log.write(line + "\n")


def read_rewinds(save: Path) -> list[dict]:
    """The team's rewinds, oldest first (none recorded: an empty list; a damaged line is skipped)."""
    import json

    try:
        lines = rewinds_path(save).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and {"at", "from", "to"} <= set(entry):
            found.append(entry)
    return found


def rewound_to(save: Path, start: str) -> list[int]:
    """The quarter (index, from the scenario's ``start``) each of the team's recorded rewinds went
    back to, oldest first (``TeamEntry.bot_quarters``); a line naming no quarter is skipped."""
    from blitzgame.schemas.assets import quarter_index

    found = []
    for rewind in read_rewinds(save):
        try:
            found.append(quarter_index(start, rewind["to"]))
        except (TypeError, ValueError):
            continue
    return found


@dataclass(frozen=True)
class TeamState:
    """Where a team stands, as ``class status`` shows it."""

    team: str
    lab: str
    save: Path
    quarters_played: int
    quarters: int
    quarter: str  # the last quarter played (e.g. 2025Q3), "-" before the first
    next_quarter: str | None  # the quarter about to be played, None when the team is done
    status: str  # not started / playing / finished / bankrupt / acquired / broken
    cash: float
    gpus: float
    rank: int
    score: float
    saved_at: datetime | None
    bot: str | None = None  # the bot that played the team's last quarter (class autoplay), if one did
    error: str = ""  # why the save cannot be read, when status is "broken"
    rewinds: int = 0  # times the team went back to an earlier quarter

    @property
    def done(self) -> bool:
        """Nothing more to play: the campaign ended or the team's lab is out of the race."""
        return self.status in ("finished", "bankrupt", "acquired")


class TeamLock:
    """An exclusive lock on a team's save while its game is played (``filelock``: ``flock`` on
    POSIX, ``msvcrt`` on Windows).

    A second ``play --class`` of the same team (a second browser tab, another terminal,
    ``class autoplay``) is refused with a ClassError instead of overwriting the first
    one's quarters. The lock goes with the process, however it ends.
    """

    def __init__(self, path: Path, team: str) -> None:
        self.path = path.with_name(f".{path.name}.lock")
        self.team = team
        self._lock = FileLock(self.path, timeout=0)

    def acquire(self) -> "TeamLock":
        try:
            self._lock.acquire()
        except Timeout:
            raise ClassError(f"{self.team} is being played already (in another terminal, browser tab or "
                             "`class autoplay`); close that one first") from None
        except OSError:  # no folder to lock in: opening the save will say what is wrong
            pass
        return self

    def release(self) -> None:
        self._lock.release()  # (nothing to do if it was never taken)

    def __enter__(self) -> "TeamLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def save_path(folder: str | Path, team: TeamEntry) -> Path:
    return Path(folder) / team.save


def team_lab(seats: list[str | None]) -> int:
    """The team's lab: the one human seat of a team's game."""
    humans = [lab for lab, seat in enumerate(seats) if seat is None]
    if len(humans) != 1:
        raise SaveError(f"a team's game has one human lab, this one has {len(humans)}")
    return humans[0]


def open_team(folder: str | Path, name: str, manifest: ClassManifest | None = None) -> TeamCampaign:
    """The campaign of team ``name`` in the class at ``folder``, checked against the manifest."""
    manifest = load_manifest(folder) if manifest is None else manifest
    team = manifest.team(name)
    path = save_path(folder, team)
    loaded = load_game(path)  # SaveError: missing, broken, tampered
    check_belongs(manifest, team, path, loaded.game, loaded.bots)
    return TeamCampaign(loaded.game, loaded.bots, path, team.name, folder=folder)


@contextmanager
def locked_team(folder: str | Path, name: str) -> Iterator[TeamCampaign]:
    """The team's campaign, with its save locked for as long as the ``with`` lasts."""
    manifest = load_manifest(folder)
    team = manifest.team(name)
    with TeamLock(save_path(folder, team), team.name):
        yield open_team(folder, team.name, manifest)


class TeamDoor:
    """A team's page behind its join code (``class serve``): ``door(code)`` checks the code, locks
    the team's save and returns its campaign (a ClassError says why not); ``close()`` lets go."""

    def __init__(self, folder: str | Path, name: str) -> None:
        self.folder = Path(folder)
        self.entry = load_manifest(folder).team(name)  # a wrong team fails here, before any page opens
        self.team = self.entry.name
        self._locks: list[TeamLock] = []

    def __call__(self, code: str) -> TeamCampaign:
        check_join_code(self.team, code, self.entry.code)
        lock = TeamLock(save_path(self.folder, self.entry), self.team).acquire()  # refused while another tab plays it
        try:
            campaign = open_team(self.folder, self.team)
        except BaseException:
            lock.release()
            raise
        self._locks.append(lock)
        return campaign

    def close(self) -> None:
        for lock in self._locks:
            lock.release()
        self._locks.clear()


def check_belongs(manifest: ClassManifest, team: TeamEntry, path: Path, game, seats) -> None:
    """A save in the class folder must be the class's world with the team's lab in it."""
    scenario = game.world.scenario
    found = []
    if scenario.id != manifest.scenario:
        found.append(f"scenario {scenario.id!r}, not {manifest.scenario!r}")
    if game.seed != manifest.seed:
        found.append(f"seed {game.seed}, not {manifest.seed}")
    if scenario.quarters != manifest.quarters:
        found.append(f"{scenario.quarters} quarters, not {manifest.quarters}")
    try:
        team_lab(seats)
    except SaveError as error:
        found.append(str(error))
    else:  # the lab's name is not checked: a teacher may rename a team in class.toml
        rivals = [seat for seat in seats if seat is not None]
        if rivals != list(manifest.rivals):
            found.append(f"rivals {', '.join(rivals)}, not {', '.join(manifest.rivals)}")
    if found:
        raise ClassError(f"{path}: not this class's game for {team.name}: " + "; ".join(found))


def team_state(folder: str | Path, team: TeamEntry, manifest: ClassManifest) -> TeamState:
    """A team's standing read from its save (replayed and checked); a broken save says why."""
    path = save_path(folder, team)
    try:
        saved_at = read_save(path).saved_at
        campaign = open_team(folder, team.name, manifest)
    except ValueError as error:  # SaveError, ClassError, or a rival bot that cannot be loaded (BotLoadError)
        return TeamState(team.name, team.name, path, 0, manifest.quarters, "-", None, "broken", 0.0, 0.0, 0, 0.0,
                         None, team.last_bot, str(error))
    game = campaign.game
    lab = campaign.player
    me = standings(game).labs[lab]
    out = not me.alive
    if out:
        status = me.status
    elif game.over:
        status = "finished"
    else:
        status = "playing" if game.quarter else "not started"
    return TeamState(
        team=team.name, lab=game.names[lab], save=path, quarters_played=game.quarter, quarters=game.world.scenario.quarters,
        quarter=game.world.label(game.quarter - 1) if game.quarter else "-",
        next_quarter=None if (out or game.over) else game.label, status=status,
        cash=me.cash, gpus=me.gpus, rank=me.rank, score=me.score,
        saved_at=saved_at, bot=team.playing_bot(game.quarter, rewound_to(path, game.world.scenario.start)),
        rewinds=len(read_rewinds(path)),
    )


__all__ = ["TeamCampaign", "TeamDoor", "TeamLock", "TeamState", "check_belongs", "locked_team", "open_team", "read_rewinds",
           "record_rewind", "rewinds_path", "rewound_to", "save_path", "team_lab", "team_state"]
