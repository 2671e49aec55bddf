"""Shared fixtures: compiled worlds, and the serial kernels warmed once per test session.

The first compile of the numba kernels takes minutes; later sessions load them from the
per-user cache. Warming them here keeps that cost out of any single test's timing. The
learning environments' kernels, the costliest, compile in a process of their own started
once the tests are collected (``warm_kernels.py``), on the second core while the first runs the tests;
the tests that step an environment wait for it (``env_kernels``). The parallel (prange)
kernels of the engine are left to the tests marked ``slow`` that use them.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np
import pytest

from blitzgame.assets import scenario_ids
from blitzgame.engine import layout as F
from blitzgame.session.game import Game
from blitzgame.session.world import World, compile_world

_ENV_WARMER: list[subprocess.Popen] = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start compiling the environments' kernels in the background if a test to run needs them
    (nothing to do interpreted)."""
    if numba.config.DISABLE_JIT or importlib.util.find_spec("gymnasium") is None:
        return
    if not any("env_kernels" in getattr(item, "fixturenames", ()) for item in session.items):
        return
    script = Path(__file__).with_name("warm_kernels.py")
    _ENV_WARMER.append(subprocess.Popen([sys.executable, str(script)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True))


def pytest_sessionfinish(session: pytest.Session) -> None:
    for warmer in _ENV_WARMER:  # a session cut short leaves no compile running
        if warmer.poll() is None:
            warmer.kill()
            warmer.wait()


@pytest.fixture(scope="session")
def env_kernels() -> None:
    """The environments' kernels are in the compile cache: wait for the background compile."""
    for warmer in _ENV_WARMER:
        _, err = warmer.communicate()
        assert warmer.returncode == 0, f"compiling the environments' kernels failed:\n{err}"


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
    from blitzgame.bots.campaign import play_games
    from blitzgame.engine.batch import resolve_games
    from blitzgame.engine.rng import game_key
    from blitzgame.session.headless import bots_for
    from blitzgame.session.standings import standings

    game = Game.new(world, seed=0, labs=2)
    for lab, bot in enumerate(bots_for(["baseline"], 2)):
        game.submit(lab, bot.orders_for(game, lab))
    game.advance()
    game.observe(0)  # the kernels an observation calls from Python
    standings(game)  # ... and the front ends' standings
    labs, state = game.state_labs[None].copy(), game.state_world[None].copy()
    orders = np.zeros((1, 2, F.ORDER_FIELDS))
    keys = np.array([game_key(0, 0)], dtype=np.int64)
    resolve_games(labs, state, orders, world.params, world.hubs, world.sched, keys)
    state[:, F.N_QUARTERS] = 3.0  # a short campaign is enough to compile it
    play_games(labs, state, orders, world.params, world.hubs, world.sched, keys, np.zeros(1, dtype=np.int64))


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
