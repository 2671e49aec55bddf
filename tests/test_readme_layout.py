"""The README's Layout is the tree: every module and package it names exists, and none is left out."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "blitzgame"


def _layout() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    return block.splitlines()


def _entries(indent: int, under: str) -> set[str]:
    """The names listed at ``indent`` spaces inside the README's ``under`` block."""
    lines = _layout()
    start = next(k for k, line in enumerate(lines) if line.strip() == under or line.startswith(under + " "))
    base = len(lines[start]) - len(lines[start].lstrip())
    names = set()
    for line in lines[start + 1:]:
        depth = len(line) - len(line.lstrip())
        if line.strip() and depth <= base and not line.startswith(" " * (base + 1)):
            break
        match = re.match(rf"^ {{{indent}}}(\S+)", line)
        if match and re.fullmatch(r"[\w.]+/?", match[1]):
            names.add(match[1])
    return names


def test_every_top_level_module_and_package_is_in_the_layout():
    actual = {p.name for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    actual |= {p.name + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert _entries(2, "blitzgame/") == actual


def test_every_engine_module_is_in_the_layout():
    actual = {p.name for p in (PACKAGE / "engine").glob("*.py") if p.stem != "__init__"}
    assert _entries(4, "  engine/") == actual


def test_every_top_level_folder_of_the_project_is_in_the_layout():
    listed = {line.split()[0] for line in _layout() if line and not line.startswith(" ")}
    for folder in ("assets/", "blitzgame/", "benchmarks/", "docs/", "examples/", "saves/", "tests/"):
        assert folder in listed and (ROOT / folder).is_dir()
