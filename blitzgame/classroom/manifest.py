"""The class manifest, ``DIR/class.toml``: the world every team plays and where each team's save is.

It looks like this (``blitzgame class new`` writes it, the teams perhaps as inline tables; a
teacher may rename the class and the teams: their labs keep the names they started with)::

    format = "blitzgame-class"
    version = 1
    name = "Strategy 101"
    scenario = "base-2024"        # the scenario id (each save embeds the scenario in full)
    seed = 42
    quarters = 32                 # the campaign's length (a class may shorten the scenario)
    position = "startup"          # the teams' lab: position and home hub, the same for all
    hub = "virginia"
    rivals = ["efficient", "integrator", "sprinter", "defender"]   # who plays the other seats
    created = 2025-01-13T09:00:00Z
    rewind = true                 # whether teams may rewind (each rewind is recorded either way)
    hold = "2025Q1"               # only while `class hold` holds the teams at the start of a quarter

    [[teams]]
    name = "Team 1"
    save = "teams/team-1.json"    # relative to the class folder
    code = "amber-river-42"       # the join code its page asks for under `class serve`
    bot_runs = [{ bot = "sprinter", first = 3, until = 6, rewinds = 0 }]   # only when `class autoplay` played
                                  # the team's lab: the quarters (indexes) each bot played, the team's own around
                                  # them, and the team's rewinds before it (a later one back past them undoes them)

Reading validates it with pydantic; a broken manifest is one ``ClassError`` line naming the
file and the field.
"""

import re
import tomllib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from blitzgame.limits import MAX_LABS, MAX_SEED, MIN_LABS, MIN_SEED
from blitzgame.schemas.errors import one_line

MANIFEST = "class.toml"
DATABASE = "class.db"  # a shared class's one world (``classroom.shared``)
CLASS_FORMAT = "blitzgame-class"
CLASS_VERSION = 1
MAX_TEAMS = 60
# team names: letters, digits, spaces and a little punctuation (they are lab names, file
# names, Markdown table cells and HTML text)
TEAM_NAME = re.compile(r"^[^\W_](?:[\w '.&+!?()-]*[\w.!?)])?$")


class ClassError(ValueError):
    """A class folder or manifest that cannot be used; the message is one line for the teacher."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_team_name(name: str) -> str:
    """A team name as a lab may carry it; ValueError says what is wrong."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a team needs a name")
    if name != name.strip():
        raise ValueError(f"team name {name!r} starts or ends with spaces")
    if len(name) > 40:
        raise ValueError(f"team name {name!r} is longer than 40 characters")
    if not TEAM_NAME.match(name):
        raise ValueError(f"team name {name!r}: use letters, digits, spaces and - ' . & + ! ? ( ) only")
    return name


class BotRun(_Strict):
    """Quarters ``first`` .. ``until - 1`` (indexes) of a team's lab, played by ``bot`` (`class autoplay`)."""

    bot: str = Field(min_length=1, max_length=400)
    first: int = Field(ge=0)
    until: int = Field(ge=1)
    # the team's rewinds recorded when the bot played (``team.read_rewinds``): a later rewind to before
    # ``until`` gives the quarters from there back to the team, which plays them again (None: not kept)
    rewinds: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _order(self) -> "BotRun":
        if self.until <= self.first:
            raise ValueError(f"a bot run ends after it starts (first {self.first}, until {self.until})")
        return self


class TeamEntry(_Strict):
    """A team: its name (also its lab's name) and its save, relative to the class folder."""

    name: str
    save: str
    # a class autoplayed before bot_runs were kept: its bot, from quarter bot_from (index) on, if known
    bot: str | None = Field(default=None, min_length=1, max_length=400)
    bot_from: int | None = Field(default=None, ge=0)
    bot_runs: list[BotRun] = Field(default_factory=list)  # every stretch a bot played, the team's own between them
    code: str | None = Field(default=None, pattern=r"^[a-z0-9-]{4,40}$")  # its page's join code (class serve)

    def bot_quarters(self, played: int, rewound_to: Sequence[int] = ()) -> dict[int, str]:
        """The quarters (index, of the ``played`` so far) a bot gave the lab's orders, and which bot:
        the stretches `class autoplay` recorded, the team's own quarters between and after them left
        out. ``rewound_to``: the quarter (index) each of the team's recorded rewinds went back to,
        oldest first; a rewind after a bot's stretch to before its end gives the quarters from there
        back to the team, which played them again. A class from before stretches were recorded:
        from ``bot_from`` (or the start) on."""
        if self.bot_runs:
            quarters = {}
            for run in self.bot_runs:
                later = rewound_to[run.rewinds:] if run.rewinds is not None else ()
                quarters.update(dict.fromkeys(range(run.first, min(run.until, played, *later)), run.bot))
            return quarters
        if self.bot is None:
            return {}
        return dict.fromkeys(range(self.bot_from or 0, played), self.bot)

    def playing_bot(self, played: int, rewound_to: Sequence[int] = ()) -> str | None:
        """The bot that gave the last quarter played's orders, if one did (``class status``)."""
        return self.bot_quarters(played, rewound_to).get(played - 1)

    def with_run(self, bot: str, first: int, until: int, rewinds: int | None = None) -> "TeamEntry":
        """This entry with quarters ``first`` .. ``until - 1`` played by ``bot``, after the team's
        first ``rewinds`` recorded rewinds: one run more, or the last one longer when the same bot
        carries straight on from it."""
        runs = list(self.bot_runs)
        if not runs and self.bot is not None:  # (recorded before runs were: from bot_from, or the start, on)
            since = self.bot_from or 0
            runs = [BotRun(bot=self.bot, first=since, until=max(first, since + 1))]
        if runs and runs[-1].bot == bot and runs[-1].until == first and runs[-1].rewinds == rewinds:
            runs[-1] = runs[-1].model_copy(update={"until": until})
        else:
            runs.append(BotRun(bot=bot, first=first, until=until, rewinds=rewinds))
        return self.model_copy(update={"bot": None, "bot_from": None, "bot_runs": runs})  # (the runs say it all)

    @property
    def last_bot(self) -> str | None:
        """The last bot `class autoplay` seated for the team, if any."""
        return self.bot_runs[-1].bot if self.bot_runs else self.bot

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_team_name(value)

    @field_validator("save")
    @classmethod
    def _save(cls, value: str) -> str:
        path = PurePosixPath(value)
        if path.is_absolute() or "\\" in value or ".." in path.parts or not value.endswith(".json"):
            raise ValueError(f"expected a .json path inside the class folder, like teams/team-1.json (got {value!r})")
        return value


class ClassManifest(_Strict):
    """The whole manifest (see the module docstring)."""

    format: Literal["blitzgame-class"]
    version: Literal[1]
    name: str = Field(min_length=1, max_length=200)
    scenario: str = Field(pattern=r"^[a-z0-9-]+$")
    seed: int = Field(ge=MIN_SEED, le=MAX_SEED, strict=True)
    quarters: int = Field(ge=1, le=64, strict=True)
    position: Literal["startup", "challenger", "incumbent"] = "startup"
    hub: str = Field(default="virginia", min_length=1)
    rivals: list[str] = Field(min_length=MIN_LABS - 1, max_length=MAX_LABS - 1)
    created: AwareDatetime
    teams: list[TeamEntry] = Field(min_length=1, max_length=MAX_TEAMS)
    rewind: bool = Field(default=True, strict=True)  # may teams rewind (``class new --no-rewind``)
    hold: str | None = Field(default=None, pattern=r"^\d{4}Q[1-4]$")  # ``class hold``: no team plays this quarter

    @model_validator(mode="after")
    def _unique(self) -> "ClassManifest":
        names = [team.name.casefold() for team in self.teams]
        if len(set(names)) != len(names):
            raise ValueError("teams: team names must be unique")
        saves = [team.save.casefold() for team in self.teams]
        if len(set(saves)) != len(saves):
            raise ValueError("teams: each team needs a save file of its own")
        return self

    def team(self, name: str) -> TeamEntry:
        """The team called ``name`` (case does not matter); ClassError lists the teams otherwise."""
        for team in self.teams:
            if team.name.casefold() == name.strip().casefold():
                return team
        raise ClassError(f"no team {name!r} in class {self.name!r}; its teams are: "
                         + ", ".join(team.name for team in self.teams))


def not_a_folder(folder: Path, shared: bool = False) -> str:
    """Why ``folder``, which is not a directory, is no class: a class's own file given for its folder
    (``class status DIR/class.toml``), another file, or nothing there."""
    if folder.name in (MANIFEST, DATABASE) and folder.is_file():
        return f"{folder}: that is the class's {folder.name}; give its folder: {folder.parent}"
    if folder.exists():
        return f"{folder}: a file, not a class folder"
    return (f"{folder}: no such class folder (make one with `blitzgame class new {folder} --teams N"
            f"{' --shared' if shared else ''}`)")


def manifest_path(folder: str | Path) -> Path:
    return Path(folder) / MANIFEST


def load_manifest(folder: str | Path) -> ClassManifest:
    """Read and check ``folder/class.toml``; a ClassError says what is wrong in one line."""
    folder = Path(folder)
    path = manifest_path(folder)
    if not folder.is_dir():
        raise ClassError(not_a_folder(folder))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClassError(f"{folder}: not a class folder (no {MANIFEST} in it)") from None
    except UnicodeDecodeError:
        raise ClassError(f"{path}: not a text file") from None
    except tomllib.TOMLDecodeError as error:
        raise ClassError(f"{path}: not valid TOML: {error}") from None
    except OSError as error:
        raise ClassError(f"{path}: cannot read it: {error.strerror or error}") from None
    if data.get("format") != CLASS_FORMAT:
        raise ClassError(f"{path}: not a Blitzgame class manifest (no format = \"{CLASS_FORMAT}\" in it)")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > CLASS_VERSION:
        raise ClassError(f"{path}: made by a newer Blitzgame (class version {version}, this program reads "
                         f"up to {CLASS_VERSION})")
    try:
        return ClassManifest.model_validate(data)
    except ValidationError as error:
        raise ClassError(f"{path}: {one_line(error)}") from None


def manifest_text(manifest: ClassManifest) -> str:
    """The manifest as TOML (tomli-w writes it; ``None`` fields are left out)."""
    import tomli_w

    data = manifest.model_dump(mode="python", exclude_none=True)
    data["teams"] = [{k: v for k, v in team.model_dump(exclude_none=True).items() if v != []} for team in manifest.teams]
    head = "# A Blitzgame class: every team plays this scenario and seed against these rivals.\n"
    return head + tomli_w.dumps(data)


def write_manifest(folder: str | Path, manifest: ClassManifest) -> Path:
    """Write ``folder/class.toml`` atomically."""
    from blitzgame.files import write_atomic

    path = manifest_path(folder)
    write_atomic(path, manifest_text(manifest))
    return path


WORDS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper", "kestrel",
         "lumen", "maple", "nova", "orbit", "pine", "quartz", "river", "sierra", "tundra", "umber", "vale",
         "willow", "xenon", "yarrow", "zephyr")


def join_code() -> str:
    """A code a team types to open its page of ``class serve``: two words and two digits."""
    import secrets

    return f"{secrets.choice(WORDS)}-{secrets.choice(WORDS)}-{secrets.randbelow(90) + 10}"


def check_join_code(team: str, typed: str, code: str | None) -> None:
    """Refuse (ClassError) a join code that is not ``team``'s (``code``; None: the team has none).
    Case and spaces around it do not matter; the comparison takes the same time whatever is typed."""
    import secrets

    if code is not None and not secrets.compare_digest(typed.strip().casefold().encode(), code.encode()):
        raise ClassError(f"that is not {team}'s join code: ask your teacher for it")


def now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC).replace(microsecond=0)


__all__ = ["CLASS_FORMAT", "CLASS_VERSION", "DATABASE", "MANIFEST", "MAX_TEAMS", "BotRun", "ClassError", "ClassManifest",
           "TeamEntry", "check_join_code", "check_team_name", "join_code", "load_manifest", "manifest_path",
           "manifest_text", "not_a_folder", "now", "write_manifest"]
