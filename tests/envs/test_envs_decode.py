"""``decode_action`` on every env: what an action orders, as ``Orders``, from the env's state."""

import gymnasium as gym
import numpy as np
import pytest

import blitzgame.envs as E
from blitzgame.envs import BatchedEnv
from blitzgame.envs.common import EnvError
from blitzgame.schemas.orders import Orders


def test_every_env_decodes_an_action_into_the_orders_it_plays():
    single = gym.make("Blitzgame-v0").unwrapped
    single.reset(seed=1)
    batched = BatchedEnv(num_games=3, seed=1)
    batched.reset(seed=1)
    action = np.linspace(0.0, 1.0, batched.single_action_space.shape[0])
    mine = single.decode_action(action)
    assert isinstance(mine, Orders) and mine.compact()
    assert batched.decode_action(action, game=1) == mine, "the same start, the same orders"
    parallel = E.parallel_env()
    parallel.reset(seed=1)
    assert isinstance(parallel.decode_action("lab_0", action), Orders)
    with pytest.raises(EnvError, match="no game 3"):
        batched.decode_action(action, game=3)
    with pytest.raises(EnvError, match="no agent 'lab_9'"):
        parallel.decode_action("lab_9", action)
