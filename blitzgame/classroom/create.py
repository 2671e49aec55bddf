"""``blitzgame class new``: a class folder with its manifest and a fresh save per team.

Everything is checked before anything is written (scenario, rivals, team names, the
folder); if writing still fails half-way, what was written is removed, so a refused or
failed ``class new`` leaves nothing behind.
"""

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from blitzgame.classroom.manifest import (
    CLASS_FORMAT,
    CLASS_VERSION,
    DATABASE,
    MANIFEST,
    MAX_TEAMS,
    ClassError,
    ClassManifest,
    TeamEntry,
    check_team_name,
    join_code,
    now,
    write_manifest,
)
from blitzgame.limits import MAX_LABS, MIN_LABS

TEAMS_DIR = "teams"


@dataclass(frozen=True)
class NewClass:
    """What ``new_class`` made."""

    folder: Path
    manifest: ClassManifest
    saves: list[Path]


def default_team_names(count: int) -> list[str]:
    return [f"Team {k}" for k in range(1, count + 1)]


def team_slug(name: str) -> str:
    """A file name for a team: lower case, letters and digits, dashes between."""
    keep = "".join(c.lower() if c.isalnum() else "-" for c in name)
    return "-".join(part for part in keep.split("-") if part) or "team"


def class_world(scenario: str, quarters: int | None):
    """The class's compiled world: the scenario, cut to ``quarters`` if given."""
    from pydantic import ValidationError

    from blitzgame.assets import AssetError, load_scenario
    from blitzgame.formats import listed
    from blitzgame.schemas.assets import Scenario, quarter_index, quarter_label
    from blitzgame.schemas.errors import one_line
    from blitzgame.session.world import compile_world

    try:
        data = load_scenario(scenario)
    except AssetError as error:
        raise ClassError(str(error).splitlines()[0]) from None
    if quarters is not None and quarters != data.quarters:
        if not 4 <= quarters <= data.quarters:
            raise ClassError(f"--quarters: {data.id} has {data.quarters} quarters; a class can play 4 to "
                             f"{data.quarters} of them, not {quarters}")
        lost = [shock for shock in data.shocks if quarter_index(data.start, shock.quarter) >= quarters]
        if lost:  # the lesson the teacher chose the world for would be cut: say which shocks, and what keeps them
            keep = max(quarter_index(data.start, shock.quarter) for shock in lost) + 1
            raise ClassError(f"--quarters {quarters}: the class would end in {quarter_label(data.start, quarters - 1)}, "
                             f"before {data.id}'s " + listed([f"{shock.kind} shock in {shock.quarter}" for shock in lost])
                             + f"; play {keep} quarters or more to keep them")
        try:
            data = Scenario.model_validate({**data.model_dump(), "quarters": quarters})
        except ValidationError as error:
            raise ClassError(f"--quarters {quarters}: {one_line(error)}") from None
    return compile_world(data)


def resolve_rivals(rivals: list[str] | None, seed: int, world) -> list[str]:
    """The rivals' bots: as given (each checked), or the scenario's roster drawn for the seed
    from its difficulty's pool."""
    from blitzgame.session.campaign import draw_rivals

    if rivals is None:
        return draw_rivals(len(world.scenario.labs) - 1, seed, world.scenario.difficulty)
    if not MIN_LABS <= len(rivals) + 1 <= MAX_LABS:
        raise ClassError(f"--rivals: a game has {MIN_LABS}-{MAX_LABS} labs, so a team needs 1-{MAX_LABS - 1} "
                         f"rivals, got {len(rivals)}")
    return checked_bots(rivals, "--rivals")


def checked_bots(specs: list[str], flag: str) -> list[str]:
    """Each bot spec loaded once to check it, as its canonical spec; a bad one is a ClassError
    naming ``flag``."""
    from blitzgame.bots.loader import BotLoadError, canonical_spec, load_bot_class

    checked = []
    for spec in specs:
        try:
            load_bot_class(spec)
        except BotLoadError as error:
            raise ClassError(f"{flag}: {error}") from None
        checked.append(canonical_spec(spec))
    return checked


def autoplay_bots(bots: list[str], quarters: int | None) -> list[str]:
    """``class autoplay``'s bots, each checked (see ``checked_bots``), and its ``--quarters``;
    a ClassError for none, or for fewer than one quarter."""
    if not bots:
        raise ClassError("name at least one bot, e.g. --bots sprinter,defender")
    if quarters is not None and quarters < 1:
        raise ClassError(f"--quarters: play at least one quarter, got {quarters}")
    return checked_bots(bots, "--bots")


def too_many(bots: list[str], teams: int) -> None:
    """A ClassError for more bots than the teams they play (cycled over the teams, a bot past the
    last team would never play), as ``sim`` refuses more bots than labs."""
    if len(bots) > teams:
        raise ClassError(f"--bots names {len(bots)} bots for {teams} team{'' if teams == 1 else 's'}; name at most "
                         f"{teams} (they are dealt to the teams in turn)")


def rival_seats(world, count: int, teams: list[str]) -> list:
    """The rivals' labs, the same in every team's game: the scenario's roster (as a new game
    takes it), a lab whose name is a team's, or a class scenario's "Team k", renamed ``Rival k``
    (``session.world.rival_name``)."""
    from blitzgame.session.world import LabSetup, default_setups, rival_name

    taken = {team.casefold() for team in teams}
    return [LabSetup(rival_name(seat.name, k, taken), seat.position, seat.hub)
            for k, seat in enumerate(default_setups(world, count), 1)]


def check_folder(folder: Path) -> bool:
    """Refuse a folder that holds anything; returns whether it has to be made."""
    if folder.exists() and not folder.is_dir():
        raise ClassError(f"{folder}: exists and is not a folder")
    if folder.is_dir():
        if any(folder.iterdir()):
            what = ("a class already" if (folder / MANIFEST).exists()
                    else "a shared class already" if (folder / DATABASE).exists() else "files")
            raise ClassError(f"{folder}: holds {what}; a new class needs a new or empty folder")
        return False
    if not folder.parent.is_dir():
        raise ClassError(f"{folder}: there is no folder {folder.parent} to make it in")
    return True


def new_class(folder: str | Path, *, teams: int | None = None, team_names: list[str] | None = None,
              scenario: str = "base-2024", seed: int = 0, rivals: list[str] | None = None,
              quarters: int | None = None, position: str | None = None, hub: str | None = None,
              name: str | None = None, rewind: bool = True) -> NewClass:
    """Make a class folder: ``class.toml`` and ``teams/<slug>.json`` per team, at quarter 0.

    The teams' lab is a startup by default, or, when every lab of the scenario starts in the same
    position (a class scenario of equal labs), in that position; its home hub is by default the
    scenario's first lab's. The rivals take the scenario's roster (``rival_seats``)."""
    from blitzgame.session.campaign import Campaign
    from blitzgame.session.game import Game, SetupError
    from blitzgame.session.world import LabSetup

    folder = Path(folder)
    names = _team_names(teams, team_names)
    world = class_world(scenario, quarters)
    if position is None:
        positions = {lab.position for lab in world.scenario.labs}
        position = positions.pop() if len(positions) == 1 else "startup"
    hub = world.scenario.labs[0].hub if hub is None else hub
    if position not in ("startup", "challenger", "incumbent"):
        raise ClassError(f"--position: expected startup, challenger or incumbent, got {position!r}")
    if hub not in world.hub_ids:
        raise ClassError(f"--hub: unknown hub {hub!r}; expected one of {', '.join(world.hub_ids)}")
    specs = resolve_rivals(rivals, seed, world)
    seats = rival_seats(world, len(specs), names)
    slugs = _unique_slugs(names)
    entries = [TeamEntry(name=team, save=f"{TEAMS_DIR}/{slug}.json", code=join_code()) for team, slug in zip(names, slugs)]
    manifest = ClassManifest(format=CLASS_FORMAT, version=CLASS_VERSION, name=name or folder.resolve().name or "class",
                             scenario=world.scenario.id, seed=seed, quarters=world.scenario.quarters, position=position,
                             hub=hub, rivals=specs, created=now(), teams=entries, rewind=rewind)
    campaigns = []
    for team in names:
        try:
            game = Game(world, seed, [LabSetup(team, position, hub), *seats])
        except SetupError as error:
            raise ClassError(str(error)) from None
        campaigns.append(Campaign(game, [None, *specs]))
    made = check_folder(folder)
    saves = []
    try:
        if made:
            folder.mkdir()
        (folder / TEAMS_DIR).mkdir()
        for entry, campaign in zip(entries, campaigns):
            saves.append(campaign.save(folder / entry.save))
        write_manifest(folder, manifest)
    except BaseException:
        _remove(folder, made, saves)
        raise
    return NewClass(folder, manifest, saves)


def _team_names(teams: int | None, team_names: list[str] | None) -> list[str]:
    if team_names is not None:
        names = [n.strip() for n in team_names]
        if teams is not None and teams != len(names):
            raise ClassError(f"--teams {teams} but --team-names gives {len(names)} names")
    elif teams is None:
        raise ClassError("say how many teams: --teams N (or name them: --team-names a,b,c)")
    else:
        if not 1 <= teams <= MAX_TEAMS:
            raise ClassError(f"--teams: a class has 1 to {MAX_TEAMS} teams, got {teams}")
        names = default_team_names(teams)
    if not 1 <= len(names) <= MAX_TEAMS:
        raise ClassError(f"--team-names: a class has 1 to {MAX_TEAMS} teams, got {len(names)}")
    return check_team_names(names)


def check_team_names(names: list[str]) -> list[str]:
    """``names`` if each is a team name and none is given twice (in any case), else ``ClassError``."""
    for team in names:
        try:
            check_team_name(team)
        except ValueError as error:
            raise ClassError(f"--team-names: {error}") from None
    folded = [n.casefold() for n in names]
    twice = sorted({n for n, f in zip(names, folded) if folded.count(f) > 1})
    if twice:
        raise ClassError(f"--team-names: each team needs a name of its own ({', '.join(twice)} given twice)")
    return names


def _unique_slugs(names: list[str]) -> list[str]:
    slugs: list[str] = []
    for team in names:
        slug, k = team_slug(team), 2
        while slug in slugs:
            slug, k = f"{team_slug(team)}-{k}", k + 1
        slugs.append(slug)
    return slugs


def _remove(folder: Path, made: bool, saves: list[Path]) -> None:
    """Undo a half-made class: the folder if this call made it, else what it wrote in it."""
    with contextlib.suppress(OSError):
        if made:
            shutil.rmtree(folder)
            return
        for path in saves:
            path.unlink(missing_ok=True)
        (folder / MANIFEST).unlink(missing_ok=True)
        teams = folder / TEAMS_DIR
        if teams.is_dir():
            for leftover in teams.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)
            teams.rmdir()


__all__ = ["NewClass", "TEAMS_DIR", "autoplay_bots", "class_world", "default_team_names", "new_class",
           "resolve_rivals", "rival_seats", "team_slug"]
