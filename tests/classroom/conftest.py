"""A class of six teams on a short campaign, made, autoplayed and reported once per session.

Tests that change a class make their own (``new_class_dir``); the shared one is read only.
"""

import shutil
from pathlib import Path

import pytest
from class_helpers import BOTS, QUARTERS, SEED


@pytest.fixture(scope="session")
def played_class(tmp_path_factory) -> Path:
    """A 6-team class of base-2024 (8 quarters, seed 42), every team autoplayed to the end. Read only."""
    from blitzgame.classroom.autoplay import autoplay
    from blitzgame.classroom.create import new_class

    folder = tmp_path_factory.mktemp("played") / "strategy-101"
    new_class(folder, teams=6, scenario="base-2024", seed=SEED, quarters=QUARTERS, name="Strategy 101")
    autoplay(folder, BOTS.split(","))
    return folder


@pytest.fixture(scope="session")
def class_report(played_class, tmp_path_factory):
    """The report of ``played_class`` (what-ifs included), built once."""
    from blitzgame.classroom.report import build_report

    return build_report(played_class, tmp_path_factory.mktemp("report") / "out")


@pytest.fixture
def copy_of_played(played_class, tmp_path) -> Path:
    """A copy of the played class a test may change."""
    target = tmp_path / "copy"
    shutil.copytree(played_class, target)
    return target
