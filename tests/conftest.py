"""Shared fixtures: compiled worlds, and the serial kernels warmed once per test session.

The first compile of the numba kernels takes minutes; later sessions load them from the
per-user cache. Warming them here keeps that cost out of any single test's timing. The
costliest, the tournament's, the parallel and the environments' kernels, compile in a
process of their own started once the tests are collected (``warm_kernels.py``), on the
second core while the first runs the tests; the tests that call them wait for it
(``arena_kernels``, ``env_kernels``) and run after the others.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

import numba
import pytest

from blitzgame.assets import scenario_ids
from blitzgame.session.game import Game
from blitzgame.session.world import World, compile_world

_WARMER: list[tuple[subprocess.Popen, IO[str]]] = []  # the background compile (``warm_kernels.py``) and its errors


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    """The tests that wait for the background compile run after the others, those that step an
    environment (compiled last) at the very end: by then it has their kernels."""

    def waits(item) -> int:
        names = getattr(item, "fixturenames", ())
        return 2 if "env_kernels" in names else 1 if "arena_kernels" in names else 0

    items.sort(key=waits)  # a stable sort: the order within each group is kept


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the background compile if a test to run needs its kernels (interpreted: nothing to do)."""
    if numba.config.DISABLE_JIT:
        return
    wanted = {"arena_kernels", "env_kernels"}
    if not any(wanted & set(getattr(item, "fixturenames", ())) for item in session.items):
        return
    script = Path(__file__).with_name("warm_kernels.py")
    errors = tempfile.TemporaryFile("w+")  # a file, not a pipe: a chatty compile cannot block on it
    _WARMER.append((subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=errors, text=True),
                    errors))


def pytest_sessionfinish(session: pytest.Session) -> None:
    for warmer, errors in _WARMER:  # a session cut short leaves no compile running
        if warmer.poll() is None:
            warmer.kill()
            warmer.wait()
        errors.close()


@pytest.fixture(scope="session")
def arena_kernels() -> None:
    """The tournament's and the parallel kernels are in the compile cache: wait for the background
    compile to say so."""
    from warm_kernels import ARENA_DONE

    for warmer, errors in _WARMER:
        for line in warmer.stdout:
            if line.strip() == ARENA_DONE:
                break
        else:
            _failed(warmer, errors)


@pytest.fixture(scope="session")
def env_kernels(arena_kernels) -> None:
    """The environments' kernels are in the compile cache: wait for the background compile to end."""
    for warmer, errors in _WARMER:
        if warmer.wait() != 0:
            _failed(warmer, errors)


def _failed(warmer: subprocess.Popen, errors: IO[str]) -> None:
    warmer.wait()
    errors.seek(0)
    pytest.fail(f"the background compile (tests/warm_kernels.py) failed:\n{errors.read()[-4000:]}", pytrace=False)


@pytest.fixture(scope="session")
def world() -> World:
    """The default campaign, compiled once. Tests must not write to its arrays (copy them)."""
    return compile_world("base-2024")


@pytest.fixture(scope="session")
def worlds() -> dict[str, World]:
    """Every built-in scenario, compiled once, by id."""
    return {name: compile_world(name) for name in scenario_ids()}


@pytest.fixture(scope="session", autouse=True)
def warm_kernels(world: World) -> None:
    """Compile (or load from the cache) every serial kernel the tests call."""
    if numba.config.DISABLE_JIT:
        return  # interpreted: nothing to compile
    from warm_kernels import batch_kernels

    from blitzgame.bots.campaign import play_games
    from blitzgame.engine.batch import resolve_games
    from blitzgame.session.headless import bots_for
    from blitzgame.session.standings import standings

    game = Game.new(world, seed=0, labs=2)
    for lab, bot in enumerate(bots_for(["baseline"], 2)):
        game.submit(lab, bot.orders_for(game, lab))
    game.advance()
    game.observe(0)  # the kernels an observation calls from Python
    standings(game)  # ... and the front ends' standings
    batch_kernels(game, resolve_games, play_games)


@pytest.fixture
def new_game(world: World):
    """A factory of fresh games: ``new_game(labs=5, seed=0, source=None)``."""

    def make(labs=5, seed: int = 0, source: World | None = None) -> Game:
        return Game.new(source or world, seed=seed, labs=labs)

    return make


@pytest.fixture(scope="session")
def quick_bench(env_kernels) -> dict:
    """One quick ``blitzgame bench`` run (about a minute), shared by the tests that read its
    figures; its autosaves go to a folder of its own, gone after."""
    from numba.core import config

    from blitzgame.bench import run

    if config.DISABLE_JIT:
        pytest.skip("the benchmark measures compiled code")
    saves = os.environ.get("BLITZGAME_SAVES")
    results = run(quick=True)
    assert os.environ.get("BLITZGAME_SAVES") == saves
    return results
