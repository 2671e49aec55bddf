"""The project carries its own design: docs/design.md, and nothing cites a document outside the repository."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC_PATH = ROOT / "docs" / "design.md"
SKIP_DIRS = {".git", ".venv", ".venv-ci", "venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache",
             "build", "dist", "out", "node_modules"}
# a path out of the repository, or the founders' notes by their old names (spelled so this file does not match)
OUTSIDE = re.compile(r"\.\./shared|" + "DES" + r"IGN(\.md| §| M\d)")
CITATION = re.compile(r"docs/design\.md,? §(\d+)(?: (M\d+))?")
SPEED_TABLE = ("<!-- speed table: blitzgame bench --markdown --from benchmarks/results.json -->",
               "<!-- end of speed table -->")


def _text_files():
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts[:-1]) or not path.is_file():
            continue
        try:
            yield rel, path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary


@pytest.fixture(scope="module")
def files() -> list[tuple[Path, str]]:
    return list(_text_files())


@pytest.fixture(scope="module")
def design() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


def test_nothing_in_the_repository_points_outside_it(files):
    found = [f"{rel}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
             for rel, text in files for m in OUTSIDE.finditer(text)]
    assert not found, "cite docs/design.md instead:\n" + "\n".join(found)


def test_the_design_has_its_sections(design):
    numbers = [int(n) for n in re.findall(r"^## (\d+)\. ", design, re.M)]
    assert numbers == list(range(1, 9))
    for title in ("What the game is", "The turn", "Mechanics M1–M13", "Winning and score",
                  "Numbers and their sources", "Architecture", "Contracts", "What comes next"):
        assert re.search(rf"^## \d+\. {re.escape(title)}$", design, re.M), title


def test_the_design_names_every_mechanic_as_the_encyclopedia_does(design):
    pages = sorted((ROOT / "assets" / "encyclopedia").glob("m[0-9][0-9]-*.md"))
    assert len(pages) == 13
    for page in pages:
        title = page.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
        assert f"\n### {title}\n" in design, title


def test_every_citation_of_the_design_names_a_section_it_has(files, design):
    sections = set(re.findall(r"^## (\d+)\. ", design, re.M))
    mechanics = set(re.findall(r"^### (M\d+) · ", design, re.M))
    cited = 0
    for rel, text in files:
        for m in CITATION.finditer(text):
            cited += 1
            assert m.group(1) in sections, f"{rel}: {m.group(0)}"
            if m.group(2):
                assert m.group(2) in mechanics, f"{rel}: {m.group(0)}"
    assert cited >= 50  # the code, data and tests do cite it


def test_links_into_the_design_land_on_a_heading(files, design):
    anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", design, re.M)}
    for rel, text in files:
        for anchor in re.findall(r"design\.md#([\w\-]+)", text):
            assert anchor in anchors, f"{rel}: #{anchor}"


def test_the_readme_links_the_design():
    assert "(docs/design.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_design_states_every_speed_target(design):
    from blitzgame.bench import TARGETS, tui

    for key in {**TARGETS, **tui.TARGETS}:
        assert f"`{key}`" in design, key


def test_the_readme_speed_table_is_a_saved_benchmark_run():
    """README's Speed table is `blitzgame bench --markdown --from benchmarks/results.json`, a full
    run on a named machine (refresh both with `blitzgame bench --json > benchmarks/results.json`)."""

    from blitzgame.bench import TARGETS, markdown

    saved = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert saved["quick"] is False and set(saved["targets"]) == set(TARGETS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = SPEED_TABLE
    assert readme.split(start, 1)[1].split(end, 1)[0].strip() == markdown(saved)
