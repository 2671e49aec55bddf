"""Where numba keeps compiled kernels: a per-user directory, one per version of the compiled code.

numba only notices edits to the file a kernel is defined in, not to the kernels it calls
or the constants it reads from other modules, so the directory name also fingerprints
the compiled code, by content: ``COMPILED``, every module that defines kernels (it
imports ``numba`` or ``blitzgame.engine.jit``) and every ``blitzgame`` module those import
at top level. Editing a pure-Python module (a loader, a screen, a schema) leaves the
fingerprint, and so the compiled kernels, as they were. ``COMPILED`` is written out, as
reading it is what every process start pays for; ``compiled_sources`` derives it from the
imports, and a test keeps the two the same.
"""

import ast
import hashlib
import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).parent
_COMPILERS = ("numba", "blitzgame.engine.jit")  # importing either marks a module as compiled code
COMPILED = (  # the compiled code's sources, relative to the package; "*" for a whole folder
    "engine/*.py", "bots/actions.py", "bots/arena.py", "bots/arena_parallel.py", "bots/baseline.py",
    "bots/campaign.py", "bots/campaign_parallel.py", "bots/knobs.py", "bots/policies.py", "bots/strategist.py",
    "envs/kernels.py",
    "limits.py", "bench/kernels.py",
)


def _module_file(root: Path, name: str) -> Path | None:
    """The source of module ``name`` (``blitzgame.x.y``) under the package folder ``root``."""
    parts = name.split(".")[1:]
    for path in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
        if parts and path.is_file():
            return path
    return None


def _imports(source: bytes, root: Path) -> tuple[set[str], set[Path]]:
    """What a file imports at top level (kernels see only module globals): the module names,
    and the package files among them (``from a import b`` is ``a.b`` when that is a module,
    else ``a``)."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                names.add(sub if _module_file(root, sub) else node.module)
    return names, {f for m in names if m.startswith("blitzgame.") and (f := _module_file(root, m))}


def compiled_sources(root: Path = _PACKAGE) -> list[Path]:
    """The files the compiled kernels are made of: the modules that define kernels and the
    package modules they import at top level, transitively; sorted."""
    this = root / Path(__file__).name
    sources = {path: path.read_bytes() for path in root.rglob("*.py") if path != this}
    todo = [path for path, source in sources.items()  # a cheap look first: most modules compile nothing
            if any(c.encode() in source for c in _COMPILERS)
            and any(n == c or n.startswith(c + ".") for n in _imports(source, root)[0] for c in _COMPILERS)]
    found: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in found and path in sources:
            found.add(path)
            todo.extend(_imports(sources[path], root)[1])
    return sorted(found)


def listed_sources(root: Path = _PACKAGE) -> list[Path]:
    """The files ``COMPILED`` names, sorted."""
    return sorted({path for pattern in COMPILED for path in root.glob(pattern)})


def engine_fingerprint(root: Path = _PACKAGE) -> str:
    """A short hash of the compiled code's sources (their paths and contents)."""
    digest = hashlib.sha256()
    for path in listed_sources(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    """Where this version's compiled kernels are (or will be) kept."""
    chosen = os.environ.get("NUMBA_CACHE_DIR")
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    from blitzgame import __version__

    return Path(user_cache_dir("blitzgame")) / f"numba-{__version__}-{engine_fingerprint()}"


def cache_subfolders(root: Path = _PACKAGE) -> list[str]:
    """The folders inside ``cache_dir`` that hold this install's kernels: numba keeps a source
    folder's kernels under the folder's name and a SHA-1 of its absolute path
    (``numba.core.caching._CacheLocator.get_suitable_cache_subpath``; a test keeps the two the
    same), so another install of the same version (another venv, another checkout) compiles
    its own beside them."""
    folders = {os.path.dirname(os.path.abspath(path)) for path in listed_sources(root)}
    return sorted(f"{os.path.basename(f)}_{hashlib.sha1(f.encode()).hexdigest()}" for f in folders)


def is_warm(*kernels: str) -> bool:
    """Whether compiled kernels of this version and this install are cached (a first run compiles
    them: tens of seconds): any at all, or each of ``kernels``, named ``module.function``
    (``"arena.play_arena"``): a command that needs kernels another command never compiled still
    has them to compile."""
    root = cache_dir()  # (hashes the compiled sources: once)
    folders = [folder for name in cache_subfolders() if (folder := root / name).is_dir()]
    patterns = [f"{name}-*.nbi" for name in kernels] or ["*.nbi"]
    return bool(folders) and all(any(any(folder.glob(pattern)) for folder in folders) for pattern in patterns)


def compile_notice(*kernels: str) -> str:
    """The line a command prints (to stderr) before it compiles ``kernels``, or "" when they are cached."""
    if is_warm(*kernels):
        return ""
    return ("blitzgame: compiling the engine's kernels for this version (once for each kind of game, up to a minute); "
            "later runs load them at once")


_announced: set[tuple[str, ...]] = set()


def announce_compile(*kernels: str) -> None:
    """Print ``compile_notice`` to stderr: what a library entry point (``blitzgame.play``, the
    environments, ``blitzgame.testing``) says before a first run's silent minute of compiling.
    The cache is looked at once in a process for the same ``kernels`` (once compiled, they stay)."""
    if kernels not in _announced:
        _announced.add(kernels)
        if notice := compile_notice(*kernels):
            print(notice, file=sys.stderr, flush=True)


KEEP_CACHES = 3  # kernel folders of other versions kept, the most recently written first
KEEP_DAYS = 30.0  # ... and any written within this many days


def prune_caches(current: Path, keep: int = KEEP_CACHES, days: float = KEEP_DAYS, now: float | None = None) -> list[Path]:
    """Remove the kernel folders of other versions beside ``current`` (``numba-*``), keeping the
    ``keep`` most recently written and any written within ``days``: each version and edit of
    the engine compiles its own (~10 MB), and nothing else would ever remove them. What goes
    costs another install at most a recompile. Returns the folders removed."""
    import shutil
    import time

    def written(folder: Path) -> float:
        return max((p.stat().st_mtime for p in folder.rglob("*")), default=folder.stat().st_mtime)

    try:
        others = [f for f in current.parent.glob("numba-*") if f.is_dir() and f != current]
        ages = sorted(((written(f), f) for f in others), reverse=True)
    except OSError:
        return []
    limit = (time.time() if now is None else now) - days * 86400.0
    gone = [folder for k, (stamp, folder) in enumerate(ages) if k >= keep and stamp < limit]
    for folder in gone:
        shutil.rmtree(folder, ignore_errors=True)
    return gone


def configure() -> None:
    """Point numba's cache at the per-user, per-version directory unless the user chose one. The
    first time a version's folder is made (it is about to compile), old versions' are pruned
    (``prune_caches``)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    import numba.core.config

    folder = cache_dir()
    if not folder.exists():
        prune_caches(folder)
    numba.core.config.CACHE_DIR = str(folder)
