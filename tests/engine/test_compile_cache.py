"""The compile cache is keyed on the compiled code only: the kernels' modules and what they import."""

import os
import shutil
from pathlib import Path

import pytest

import blitzgame
from blitzgame._jit_cache import compiled_sources, engine_fingerprint, listed_sources, prune_caches

PACKAGE = Path(blitzgame.__file__).parent


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package's sources to edit."""
    copy = tmp_path / "blitzgame"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "assets"))
    return copy


def _edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


@pytest.mark.parametrize("module", ["bots/loader.py", "envs/gym_env.py", "tui/app.py", "session/report.py",
                                    "schemas/orders.py", "cli.py"])
def test_editing_a_pure_python_module_compiles_nothing(package, module):
    before = engine_fingerprint(package)
    _edit(package / module)
    assert engine_fingerprint(package) == before


@pytest.mark.parametrize("module", ["engine/turn.py", "engine/jit.py", "bots/policies.py", "envs/kernels.py",
                                    "engine/layout.py", "limits.py", "bots/knobs.py"])
def test_editing_compiled_code_or_a_constant_it_reads_recompiles(package, module):
    before = engine_fingerprint(package)
    _edit(package / module)
    assert engine_fingerprint(package) != before


def test_the_fingerprint_is_of_contents_not_of_where_or_when(package):
    assert engine_fingerprint(package) == engine_fingerprint(PACKAGE)
    (package / "engine" / "turn.py").touch()
    assert engine_fingerprint(package) == engine_fingerprint(PACKAGE)


def test_every_module_that_defines_kernels_is_compiled_code():
    sources = {p.relative_to(PACKAGE).as_posix() for p in compiled_sources()}
    kernels = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
               if "@kernel" in p.read_text(encoding="utf-8") or "@inline_kernel" in p.read_text(encoding="utf-8")}
    assert kernels and kernels <= sources
    assert "bots/loader.py" not in sources and "tui/app.py" not in sources


def test_the_written_out_list_is_the_compiled_code():
    derived = {p for p in compiled_sources() if p.name != "__init__.py"}
    assert {p for p in listed_sources() if p.name != "__init__.py"} == derived


def test_old_versions_kernel_folders_are_pruned_keeping_the_recent_ones(tmp_path):
    """Each version (and edit) of the engine compiles into a folder of its own: a new one prunes
    the others but the three most recently written and any written within 30 days."""
    now = 1_000_000_000.0
    ages = {"numba-0.1.0-a": 400, "numba-0.1.1-b": 300, "numba-0.2.0-c": 200, "numba-0.2.1-d": 100,
            "numba-0.2.2-e": 90, "numba-0.2.3-f": 5}  # days since each was last written
    for name, days in ages.items():
        index = tmp_path / name / "engine_0123" / "turn.resolve-1.py311.nbi"
        index.parent.mkdir(parents=True)
        index.write_bytes(b"kernel")
        for path in (index, index.parent, index.parent.parent):
            os.utime(path, (now - days * 86400.0, now - days * 86400.0))
    (tmp_path / "saves").mkdir()  # not a kernel folder: never touched
    current = tmp_path / "numba-0.3.0-g"
    gone = prune_caches(current, now=now)
    assert sorted(p.name for p in gone) == ["numba-0.1.0-a", "numba-0.1.1-b", "numba-0.2.0-c"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["numba-0.2.1-d", "numba-0.2.2-e", "numba-0.2.3-f", "saves"]
    assert prune_caches(current, now=now) == []  # nothing more to prune
    recent = prune_caches(current, keep=0, days=30.0, now=now)
    assert [p.name for p in recent] == ["numba-0.2.2-e", "numba-0.2.1-d"]  # the one written 5 days ago stays
