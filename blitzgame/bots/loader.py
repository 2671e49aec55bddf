"""Finding a bot from what a player types: a built-in name, an entry point, or a file.

A *spec* names a bot class in one of three ways (docs/design.md §7):

- a built-in name (``available_bots()``), e.g. ``baseline``, or a strategist thinking N times as
  hard, ``strategist@N`` (what ``--think N`` names);
- a name registered by an installed package in the entry-point group ``blitzgame.bots``;
- ``path/to/file.py:ClassName`` (a relative path is taken from the current folder).

Every failure is a ``BotLoadError`` with one line a player can act on. Loaded classes are
cached, so a file is imported once however many seats it plays.
"""

import contextlib
import difflib
import hashlib
import importlib.metadata
import importlib.util
import inspect
import os
import sys
import sysconfig
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from blitzgame.bots.base import THINK_MARK, Bot, CompiledBot, available_bots, builtin_bot
from blitzgame.bots.knobs import CODE_STRATEGIST
from blitzgame.limits import MAX_THINK

ENTRY_POINT_GROUP = "blitzgame.bots"
FILE_HINT = "path/to/file.py:ClassName"


class BotLoadError(ValueError):
    """A bot that cannot be loaded; the message is one line for the player."""


@dataclass(frozen=True)
class BotInfo:
    """One line of ``blitzgame bots``."""

    name: str
    kind: str  # "compiled" | "python"
    summary: str
    origin: str  # "built-in" | "entry point (<distribution>)"


_classes: dict[str, type[Bot]] = {}  # canonical spec -> class
_modules: dict[Path, object] = {}  # bot file -> its module, imported once


# --- reading a spec ----------------------------------------------------------------------
def is_file_spec(spec: str) -> bool:
    """Whether ``spec`` names a file (``....py:Class`` or ``....py``) rather than a registered name."""
    path = spec.rsplit(":", 1)[0] if ":" in spec else spec
    return path.endswith(".py") or "/" in spec or "\\" in spec


def _split_file_spec(spec: str) -> tuple[str, str | None]:
    """``(path, class name)``; the name is None when the spec gives only a file."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or "/" in name or "\\" in name or name.endswith(".py"):
        return spec, None
    return path, name


def _resolve(path: str) -> Path:
    return (Path.cwd() / Path(path).expanduser()).resolve()


def canonical_spec(spec: str) -> str:
    """The spec with a file's path made absolute, so another process or folder finds the same bot
    (and "strategist@1" as "strategist": the same bot, thinking its default)."""
    spec = spec.strip()
    if not is_file_spec(spec):
        base, mark, times = spec.partition(THINK_MARK)
        thinker = mark and times == "1" and base in available_bots() and builtin_bot(base).code == CODE_STRATEGIST
        return base if thinker else spec
    path, name = _split_file_spec(spec)
    return f"{_resolve(path)}:{name}" if name is not None else str(_resolve(path))


def code_fingerprint(spec: str) -> str:
    """What identifies the code a spec plays: a file bot's SHA-256 (of its file), an installed
    bot's package version and the SHA-256 of its package's source, a built-in bot's Blitzgame
    version and archetype numbers. A changed fingerprint means the bot may play differently (a
    tournament does not resume over it)."""
    key = canonical_spec(spec)
    if is_file_spec(key):
        path, _ = _split_file_spec(key)
        try:
            return "file:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        except OSError:
            return "file:missing"
    cls = load_bot_class(key)
    package = cls.__module__.split(".")[0]
    if package == "blitzgame":
        return rules_fingerprint()  # a built-in bot is Blitzgame's code and its archetypes' numbers
    return f"{package}:{_installed_version(package)}:{_source_hash(package)}"


@cache
def rules_fingerprint() -> str:
    """What identifies the game itself: Blitzgame's version and the SHA-256 of its code and data
    (the engine, the built-in bots, balance, hubs, scenarios, archetypes). The same bots under
    other rules play other games: a tournament does not resume over a change (an edit to a source
    checkout included, which leaves the version as it was)."""
    from blitzgame import __version__
    from blitzgame.assets import assets_dir

    return f"blitzgame:{__version__}:{_files_hash([Path(__file__).parents[1], assets_dir()])}"


def _installed_version(package: str) -> str:
    """The version of the distribution that installs the top-level module ``package`` ("unknown" if none
    says it does): a distribution's name need not be its module's (``mypkg-blitz`` installs ``mypkg``)."""
    for name in (*importlib.metadata.packages_distributions().get(package, ()), package):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unknown"


def _source_hash(package: str) -> str:
    """SHA-256 of the top-level module ``package``: every file of a package (its data too: a bot's
    learned weights are its code as much as its ``.py`` files are), or a single module's file. An
    editable install changes its code without changing its version."""
    module = sys.modules.get(package) or importlib.import_module(package)
    roots = [Path(p) for p in getattr(module, "__path__", ())]
    if not roots and getattr(module, "__file__", None):
        return _files_hash([Path(module.__file__)])
    return _files_hash(roots)


def _files_hash(roots: list[Path]) -> str:
    """SHA-256 of the files under ``roots`` (a root may be one file), each by its path below its
    root and its bytes; compiled caches (``__pycache__``, ``.pyc``, numba's ``.nbi``/``.nbc``) left out."""
    files = sorted((root, path) for root in roots
                   for path in ([root] if root.is_file() else root.rglob("*"))
                   if path.is_file() and "__pycache__" not in path.parts and path.suffix not in _CACHES)
    digest = hashlib.sha256()
    for root, path in files:
        digest.update(str(path.relative_to(root) if path != root else path.name).encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_CACHES = frozenset((".pyc", ".pyo", ".nbi", ".nbc"))


# --- loading -----------------------------------------------------------------------------
def load_bot_class(spec: str) -> type[Bot]:
    """The bot class a spec names; raises ``BotLoadError`` (one line) if it cannot be had."""
    if not isinstance(spec, str) or not spec.strip():
        raise BotLoadError(f"name a bot: a built-in name, an installed bot or {FILE_HINT}")
    key = canonical_spec(spec)
    cls = _classes.get(key)
    if cls is None:
        cls = _load_file_class(spec.strip()) if is_file_spec(key) else _load_named_class(key)
        _classes[key] = cls
    return cls


def make_bot(spec: str) -> Bot:
    """A fresh instance of the bot a spec names."""
    cls = load_bot_class(spec)
    try:
        return cls()
    except Exception as error:  # the bot's own __init__ failed
        raise BotLoadError(f"bot {spec.strip()!r} could not be created: {creation_error(cls, error)}") from None


def is_compiled(spec: str) -> bool:
    """Whether the bot is a compiled policy (plays from the state arrays, in-process)."""
    return issubclass(load_bot_class(spec), CompiledBot)


def shown_name(spec: str) -> str:
    """``bot_name``, or the spec itself where the bot cannot be loaded here (a results file read
    on another machine)."""
    try:
        return bot_name(spec)
    except BotLoadError:
        return spec


def shown_names(specs: list[str], found: list[str] | None = None) -> dict[str, str]:
    """Each bot's name as it plays (``shown_name``), or its spec where two would read alike.
    ``found``: where each bot is found, if not by its spec here (a file bot named by a relative
    path, read again from another folder: its ``canonical_spec`` where the spec was given)."""
    names = {spec: shown_name(where) for spec, where in zip(specs, found or specs, strict=True)}
    taken = list(names.values())
    return {spec: short if taken.count(short) == 1 else spec for spec, short in names.items()}


def bot_name(spec: str) -> str:
    """The short name a bot plays under (standings, saves): its registered name, or for a
    file its class's ``name`` (the class name when it keeps the default)."""
    cls = load_bot_class(spec)
    key = canonical_spec(spec)
    if not is_file_spec(key):
        return key
    return cls.name if cls.name != Bot.name else cls.__name__


def _load_named_class(name: str) -> type[Bot]:
    builtin = builtin_bot(name)
    if builtin is not None:
        return builtin
    builtins = available_bots()
    points = _bot_entry_points()
    if name in points:
        return _load_entry_point(points[name])
    base, mark, times = name.partition(THINK_MARK)
    if mark and base in builtins:  # strategist@9, sprinter@2
        thinker = builtin_bot(base).code == CODE_STRATEGIST
        raise BotLoadError(f"unknown bot {name!r}: " + (
            f"a strategist thinks 1 to {MAX_THINK} times its default ({base}@1 .. {base}@{MAX_THINK}), not {times!r}"
            if thinker else f"only a strategist takes {THINK_MARK}N (how hard it thinks); {base} is a scripted bot"))
    known = sorted(set(builtins) | set(points))
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    module, colon, cls = name.partition(":")
    if colon and Path(f"{module}.py").is_file():  # `mybot:MyBot` for `mybot.py:MyBot`
        hint = f"did you mean {f'{module}.py:{cls}'!r} (a bot file's name ends in .py)? "
    raise BotLoadError(f"unknown bot {name!r}; {hint}choose one of: {', '.join(known)} (or give {FILE_HINT})")


def _load_entry_point(point) -> type[Bot]:
    where = f"bot {point.name!r} (entry point {point.value} from {_distribution(point)})"
    try:
        obj = point.load()
    except Exception as error:
        raise BotLoadError(f"{where}: {describe_exception(error)}") from None
    return _checked(obj, where)


def _nearby_file(path: Path) -> str:
    """ "; did you mean ...?" naming the Python file in the same folder closest to ``path``'s name, or ""."""
    try:
        names = [p.name for p in path.parent.glob("*.py")]
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, names, n=1)
    return f"; did you mean {path.with_name(close[0]).name!r}?" if close else ""


def _load_file_class(spec: str) -> type[Bot]:
    path_text, name = _split_file_spec(spec)
    path = _resolve(path_text)
    if not path.exists():
        where = ("" if Path(path_text).expanduser().is_absolute()
                 else f" (looked in {Path.cwd()}: a relative path is read from the current folder)")
        raise BotLoadError(f"bot file {path_text} not found{where}{_nearby_file(path)}")
    if not path.is_file():
        raise BotLoadError(f"bot file {path_text} is not a file")
    if name is not None and not name.isidentifier():
        raise BotLoadError(f"bot {spec!r}: {name!r} is not a class name; expected {FILE_HINT}")
    module = _import_file(path, path_text)
    found = sorted(k for k, v in vars(module).items()
                   if isinstance(v, type) and issubclass(v, Bot) and v.__module__ == module.__name__)
    there = f"; bot classes there: {', '.join(found)}" if found else "; it defines no Bot subclass"
    if name is None:
        raise BotLoadError(f"bot {spec!r}: name the class after the file, as in {FILE_HINT}{there}")
    obj = getattr(module, name, None)
    if obj is None:
        raise BotLoadError(f"{path_text} has no class {name!r}{there}")
    return _checked(obj, f"{path_text}:{name}")


def _beside(error: BaseException, path: Path) -> str:
    """Why a module next to the bot file is not found, when that is what failed to import."""
    missing = getattr(error, "name", None) if isinstance(error, ModuleNotFoundError) else None
    top = (missing or "").partition(".")[0]
    if top and ((path.parent / f"{top}.py").is_file() or (path.parent / top).is_dir()):
        return (f"; {top} is beside the bot file, but a bot file's folder is not on the import path: "
                "a bot of several modules is a package (README: Writing a bot)")
    return ""


def _import_file(path: Path, shown: str):
    """Import a bot file once, under a module name unique to its path."""
    module = _modules.get(path)
    if module is not None:
        return module
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    module_name = f"blitzgame_user_bot_{stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise BotLoadError(f"bot file {shown} cannot be imported (is it a .py file?)")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses, pickling and typing look modules up here
    try:
        with contextlib.redirect_stdout(sys.stderr):  # a chatty import must not spoil `sim --json`
            spec.loader.exec_module(module)
    except SyntaxError as error:
        sys.modules.pop(module_name, None)
        where = shown if not error.filename or Path(error.filename) == path else Path(error.filename).name
        where = f"{where}:{error.lineno}" if error.lineno else where
        raise BotLoadError(f"{where}: SyntaxError: {error.msg}") from None
    except (Exception, SystemExit) as error:
        sys.modules.pop(module_name, None)
        raise BotLoadError(f"{shown}: {describe_exception(error)}{_beside(error, path)}") from None
    _modules[path] = module
    return module


def _checked(obj: object, where: str) -> type[Bot]:
    """``obj`` if it is a playable Bot subclass."""
    if not (isinstance(obj, type) and issubclass(obj, Bot)):
        what = f"class {obj.__name__}" if isinstance(obj, type) else f"a {type(obj).__name__}"
        raise BotLoadError(f"{where} is {what}, not a Bot subclass (subclass blitzgame.bots.Bot)")
    if not issubclass(obj, CompiledBot) and obj.decide is Bot.decide:
        raise BotLoadError(f"{where} does not implement decide(self, obs) -> Orders")
    return obj


# --- entry points --------------------------------------------------------------------------
def _entry_points() -> list:
    """The installed entry points of the group (a seam for tests)."""
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


def _bot_entry_points() -> dict:
    points = {}
    for point in _entry_points():
        points.setdefault(point.name, point)  # the first installed wins, as importlib orders them
    return points


def _distribution(point) -> str:
    dist = getattr(point, "dist", None)
    return dist.name if dist is not None else "an unknown distribution"


# --- listing -------------------------------------------------------------------------------
def list_bots() -> list[BotInfo]:
    """Every bot that can be named: the built-ins (in their registry's order), then the installed ones by name.

    A broken installed bot is listed too, with its load error as its summary.
    """
    builtins = available_bots()
    infos = [_info(name, cls, "built-in") for name, cls in builtins.items()]
    for name, point in sorted(_bot_entry_points().items()):
        origin = f"entry point ({_distribution(point)})"
        if name in builtins:
            infos.append(BotInfo(name, "python", f"hidden: the built-in bot {name!r} has this name", origin))
            continue
        try:
            cls = _load_entry_point(point)
        except BotLoadError as error:
            infos.append(BotInfo(name, "python", f"cannot be loaded: {error}", origin))
            continue
        infos.append(_info(name, cls, origin))
    return infos


def _info(name: str, cls: type[Bot], origin: str) -> BotInfo:
    kind = "compiled" if issubclass(cls, CompiledBot) else "python"
    return BotInfo(name, kind, summary_of(cls), origin)


def summary_of(cls: type[Bot]) -> str:
    """A bot's one-line summary: its ``summary``, else the first line of its docstring."""
    text = cls.summary or cls.__doc__ or ""  # a class's docstring is not inherited
    lines = [line.strip() for line in text.strip().splitlines()]
    return lines[0] if lines else ""


# --- messages ------------------------------------------------------------------------------
def decide_site(cls: type) -> str:
    """Where a bot class's ``decide`` is written, as ``file.py:line``: what a refused answer points
    to (an exception names its own line; a bad answer has none)."""
    code = getattr(getattr(cls, "decide", None), "__code__", None)
    return f"{Path(code.co_filename).name}:{code.co_firstlineno}" if code is not None else cls.__name__


def describe_exception(error: BaseException, limit: int = 300) -> str:
    """``Type: message (file.py:line)`` on one line, naming the innermost frame of the bot's own code."""
    message = " ".join(str(error).split())
    if type(error).__name__ == "ValidationError" and hasattr(error, "errors"):  # pydantic's, e.g. Orders(hire=-1)
        from blitzgame.schemas.errors import one_line
        from blitzgame.schemas.orders import ORDER_FIELDS

        message = f"{error.title}: {one_line(error, known=ORDER_FIELDS if error.title == 'Orders' else frozenset())}"
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not _harness(f.filename)]
    # ``Orders(hire=-1)``, ``obs.me.cahs``: the bot's line, not pydantic's or Blitzgame's that raised for it
    own = [f for f in frames if not _library(f.filename) and not f.filename.startswith(_PACKAGE)]
    if own or frames:
        where = (own or frames)[-1]
        text += f" ({Path(where.filename).name}:{where.lineno})"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def creation_error(cls: type, error: BaseException) -> str:
    """Why making a bot failed, on one line: the exception with the line of the bot's own code it
    came from, or, raised where the bot is called (``__init__`` wanting arguments it is not
    given), where the class is written."""
    text = describe_exception(error)
    if not any(not _harness(f.filename) for f in traceback.extract_tb(error.__traceback__)):
        try:
            where = f"{Path(inspect.getsourcefile(cls) or '?').name}:{inspect.getsourcelines(cls)[1]}"
        except (OSError, TypeError):
            where = cls.__name__
        text += f" (making {cls.__name__}() at {where}: a bot is made with no arguments)"
    return text


_HARNESS = {str(Path(__file__).with_name(name)) for name in ("base.py", "loader.py", "sandbox.py")}
_IMPORTLIB = str(Path(importlib.util.__file__).parent)
_PACKAGE = str(Path(__file__).parents[1]) + os.sep  # blitzgame's own modules


_LIBRARIES = tuple({sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")})


def _library(filename: str) -> bool:
    """Frames of installed libraries and the standard library (pydantic raising for a bot)."""
    return filename.startswith(_LIBRARIES) or "site-packages" in filename or "dist-packages" in filename


def _harness(filename: str) -> bool:
    """Frames of the machinery that calls bots (ours, importlib's), not of the bot."""
    return filename in _HARNESS or filename.startswith(("<frozen ", _IMPORTLIB))
