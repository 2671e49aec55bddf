"""Compile the costliest kernels into the compile cache, in a process of its own.

On an empty cache the kernels take minutes to compile, most of them the tournament's and
the parallel kernels (each a whole campaign with every bot's policy) and the learning
environments' (each inlines a quarter, the rivals' policies and the observation). The test
session starts this script in the background once the tests are collected (``conftest.py``),
and the tests that call those kernels wait for it (the ``arena_kernels`` and ``env_kernels``
fixtures): on a cold cache the compile runs on the second core while the first runs the other
tests, and on a warm cache it only loads them. The first family is said on stdout when it is
in the cache; the environments', which the session runs last, when the script ends.

Every kernel is called with the argument types the tests and the product pass, so their own
calls load these compiled versions instead of compiling again.
"""

import numpy as np

ARENA_DONE = "arena kernels compiled"


def batch_kernels(game, resolve, play) -> None:
    """Compile a batch's ``resolve`` (one quarter) and ``play`` (a campaign, with the bots) kernels
    on a one-game batch of ``game``'s state, with the argument types every caller passes."""
    from blitzgame.engine import layout as F
    from blitzgame.engine.rng import game_key

    world = game.world
    labs, worlds = game.state_labs[None].copy(), game.state_world[None].copy()
    orders = np.zeros((1, game.n_labs, F.ORDER_FIELDS))
    keys = np.array([game_key(0, 0)], dtype=np.int64)
    resolve(labs, worlds, orders, world.params, world.hubs, world.sched, keys)
    worlds[:, F.N_QUARTERS] = 3.0  # a short campaign is enough to compile it
    play(labs, worlds, orders, world.params, world.hubs, world.sched, keys, np.zeros(1, dtype=np.int64))


def warm_arena() -> None:
    """The tournament's arena, serial and parallel, the engine's and campaigns' prange kernels and
    the benchmark's."""
    from blitzgame.bots.campaign_parallel import play_games_prange
    from blitzgame.engine import resolve_games_parallel
    from blitzgame.session.game import Game
    from blitzgame.session.world import compile_world, default_setups
    from blitzgame.tournament.batch import play_batch

    world = compile_world("base-2024")
    seats = np.array([[0, 1, 2, 3, 4]], dtype=np.int64)
    for parallel in (False, True):
        play_batch(world, default_setups(world, 5), ("sprinter", "platform", "pure", "random", "baseline"), seats,
                   np.array([1], dtype=np.uint64), parallel=parallel)
    batch_kernels(Game.new(world, seed=0, labs=5), resolve_games_parallel, play_games_prange)
    # the strategist as a campaign asks it (its own compiled entry point)
    from blitzgame.bots.base import builtin_bot

    builtin_bot("strategist")().orders_for(Game.new(world, seed=0, labs=5), 0)
    # the benchmark's own (a recorded campaign replayed, a quarter in a compiled loop), by its own code
    from blitzgame.bench.engine import Setup, _replay_jobs, _single_quarter

    setup = Setup()
    _single_quarter(setup, 1, {})
    for job in _replay_jobs(setup, 2, {})[0]:
        job.reset()
        job.call()


def warm_envs() -> None:
    """Every environment's step: the batched one serial and parallel, Gymnasium's, PettingZoo's."""
    from blitzgame.envs import BatchedEnv, BlitzgameEnv, parallel_env

    for parallel in (False, True):
        batch = BatchedEnv(num_games=2, seed=0, parallel=parallel)
        batch.reset()
        batch.step(np.zeros(batch.action_space.shape, dtype=np.float32))
    single = BlitzgameEnv()
    single.reset(seed=0)
    single.step(np.zeros(single.action_space.shape, dtype=np.float32))
    every_lab = parallel_env()
    every_lab.reset(seed=0)
    every_lab.step({agent: np.zeros(every_lab.action_space(agent).shape, dtype=np.float32)
                    for agent in every_lab.agents})


if __name__ == "__main__":
    warm_arena()
    print(ARENA_DONE, flush=True)
    try:
        import gymnasium  # noqa: F401  (the environments are an extra)
    except ModuleNotFoundError:
        pass
    else:
        warm_envs()
