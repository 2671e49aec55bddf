"""Compile the learning environments' kernels into the compile cache, in a process of its own.

They are the costliest to compile (each inlines a whole quarter, the rivals' policies and
the observation: minutes on an empty cache), so the test session starts this script in the
background once the tests are collected (``conftest.py``) and the tests that step an environment
wait for it (the ``env_kernels`` fixture): on a cold cache the compile runs on the second
core while the first runs the other tests, and on a warm cache it only loads them.

Every entry point is called with the argument types the environments pass, so the tests'
own calls load these compiled versions instead of compiling again.
"""

import numpy as np

from blitzgame.envs import BatchedEnv, BlitzgameEnv, parallel_env


def warm() -> None:
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
    warm()
