"""Saving and loading games as JSON (see ``blitzgame.schemas.saves``).

``save_game`` writes atomically: a reader (or a crash) sees the old save or the new one,
never half of one. ``load_game`` rebuilds the game by replaying its orders log and
refuses, with one line a player understands, any file that does not replay to the exact
state it recorded.
"""

import functools
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from blitzgame.assets import load_hubs
from blitzgame.files import write_atomic
from blitzgame.schemas.errors import one_line
from blitzgame.schemas.orders import OrdersError, validate_orders
from blitzgame.schemas.saves import SAVE_FORMAT, SAVE_VERSION, SavedLab, SavedScenario, SaveFile
from blitzgame.session.game import Game, SetupError
from blitzgame.session.world import LabSetup, compile_world

DIGEST_MISMATCH = ("the save was altered or made by a different engine: "
                   "replaying it does not reproduce its recorded state")
ENGINE_SOURCES = Path(__file__).resolve().parent.parent / "engine"


class SaveError(ValueError):
    """A save that cannot be written or loaded; the message is one line fit to show a user."""


class RulesChanged(SaveError):
    """The save was made under other rules (another version of the game, or changed balance
    numbers): its orders replay, but to a different game. ``game`` is that replay, so a
    player can choose to play on under today's rules; the file itself is never touched."""

    def __init__(self, message: str, game: Game) -> None:
        super().__init__(message)
        self.game = game


@functools.cache
def _engine_fingerprint() -> str:
    digest = hashlib.sha256()
    for source in sorted(ENGINE_SOURCES.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def rules_stamp(world) -> str:
    """The rules a game runs under: the game's version, the engine's code and the numbers of
    its world. Two games with the same stamp, seed and orders are the same game."""
    from blitzgame import __version__

    digest = hashlib.sha256(_engine_fingerprint().encode())
    digest.update(world.params.tobytes())
    digest.update(world.hubs.tobytes())
    return f"{__version__}:{digest.hexdigest()[:16]}"



class LoadedGame(NamedTuple):
    """A game rebuilt from a save, and who played each lab (a bot name, or None for a human)."""

    game: Game
    bots: list[str | None]


# --- saving -------------------------------------------------------------------------
def save_game(game: Game, path: str | os.PathLike, bots: list | None = None) -> Path:
    """Write ``game`` to ``path`` atomically and return the path.

    ``bots`` names who plays each lab: bot names or ``Bot`` objects, None for a human;
    leave it out when every lab is human. Orders pending for the current quarter are
    not saved: a save holds the quarters already played.
    """
    path = Path(path)
    save = build_save(game, bots)
    text = json.dumps(save.model_dump(mode="json"), indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    try:
        write_atomic(path, text)
    except OSError as error:
        raise SaveError(f"cannot write the save {path}: {error.strerror or error}") from None
    return path


def build_save(game: Game, bots: list | None = None) -> SaveFile:
    """The save of ``game`` as a validated model."""
    seats = _bot_names(bots, game.n_labs)
    scenario = game.world.scenario
    return SaveFile(
        format=SAVE_FORMAT,
        version=SAVE_VERSION,
        saved_at=datetime.now(UTC).replace(microsecond=0),
        scenario=SavedScenario(id=scenario.id, data=scenario),
        seed=game.seed,
        game_id=game.game_id,
        labs=[SavedLab(name=s.name, position=s.position, hub=s.hub, bot=bot) for s, bot in zip(game.setups, seats)],
        orders=[[orders.compact() for orders in quarter] for quarter in game.orders_log],
        quarters_played=len(game.orders_log),
        digest=game.digest(),
        rules=rules_stamp(game.world),
        over=game.over,
    )


def _bot_names(bots: list | None, n_labs: int) -> list[str | None]:
    if bots is None:
        return [None] * n_labs
    if len(bots) != n_labs:
        raise SaveError(f"need one bot (or None for a human) per lab: {n_labs} labs, {len(bots)} given")
    return [bot if bot is None or isinstance(bot, str) else bot.name for bot in bots]


# --- loading ------------------------------------------------------------------------
def load_game(path: str | os.PathLike, new_rules: bool = False) -> LoadedGame:
    """Rebuild the game saved in ``path`` and check it reproduces its recorded state.

    Returns ``(game, bots)``; raises ``SaveError`` with one line saying what is wrong, or
    ``RulesChanged`` for a save made under other rules, unless ``new_rules`` accepts its
    orders replayed under today's rules.
    """
    path = Path(path)
    save = read_save(path)
    try:
        game = replay_save(save)
    except RulesChanged as error:
        if not new_rules:
            raise RulesChanged(f"{path}: {error}", error.game) from None
        game = error.game
    except SaveError as error:
        raise SaveError(f"{path}: {error}") from None
    return LoadedGame(game, [lab.bot for lab in save.labs])


def read_save(path: str | os.PathLike) -> SaveFile:
    """Read and validate a save file without replaying it."""
    path = Path(path)
    data = _read_json(path)
    _check_format(path, data)
    try:
        return SaveFile.model_validate(data)
    except ValidationError as error:
        raise SaveError(f"{path}: {one_line(error)}") from None


def replay_save(save: SaveFile) -> Game:
    """Play a validated save's orders log again and check the final digest."""
    scenario = save.scenario.data
    try:
        scenario.check_hubs([hub.id for hub in load_hubs().hub])
    except ValueError as error:
        raise SaveError(f"scenario.data.{error}") from None
    world = compile_world(scenario)
    setups = [LabSetup(lab.name, lab.position, lab.hub) for lab in save.labs]
    log = []
    for q, quarter in enumerate(save.orders):
        row = []
        for lab, raw in enumerate(quarter):
            try:
                row.append(validate_orders(raw, world.hub_ids))
            except OrdersError as error:
                raise SaveError(f"orders for {world.label(q)} (quarter {q + 1}), lab {lab} "
                                f"({save.labs[lab].name}): {error}") from None
        log.append(row)
    other_rules = save.rules != rules_stamp(world)
    try:
        game = Game.replay(world, save.seed, setups, log, save.game_id, stop_at_end=other_rules)
    except SetupError as error:
        raise SaveError(f"cannot set the game up again: {error}") from None
    if game.digest() != save.digest:
        if other_rules:
            made = f"blitzgame {save.rules.split(':')[0]}" if save.rules else "an earlier version"
            raise RulesChanged(f"made under other rules ({made}): its orders replay under this version's rules "
                               "to a different game", game)
        raise SaveError(DIGEST_MISMATCH)
    return game


def _read_json(path: Path) -> object:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save file") from None
    except IsADirectoryError:
        raise SaveError(f"{path}: is a folder, not a save file") from None
    except OSError as error:
        raise SaveError(f"{path}: cannot read it: {error.strerror or error}") from None
    if not raw.strip():
        raise SaveError(f"{path}: the file is empty, not a Blitzgame save")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a Blitzgame save (not a text file)") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()):
            raise SaveError(f"{path}: the save is cut short (truncated): it ends in the middle of the data") from None
        raise SaveError(f"{path}: not a Blitzgame save (not valid JSON at line {error.lineno}, "
                        f"column {error.colno}: {error.msg})") from None
    except ValueError as error:
        raise SaveError(f"{path}: not a Blitzgame save ({error})") from None


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a save may hold")


def _check_format(path: Path, data: object) -> None:
    """The right kind of file, of a version this program reads (before any other check)."""
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{path}: not a Blitzgame save (no \"format\": \"{SAVE_FORMAT}\" in it)")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SAVE_VERSION:
        raise SaveError(f"{path}: made by a newer Blitzgame (save version {version}, "
                        f"this program reads up to {SAVE_VERSION})")
