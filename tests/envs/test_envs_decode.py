"""``decode_action`` on every env: what an action orders, as ``Orders``, from the env's state."""

import gymnasium as gym
import numpy as np
import pytest

import blitzgame.envs as E
from blitzgame.engine import layout as F
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


def test_the_no_op_action_orders_nothing_in_every_env():
    """``no_op_action``: nothing spent, hired, raised or borrowed; the lab's pay as it is (a
    startup pays above the market: the market's pay would be a cut), half the compute training
    (all zeros is not that: it pays half the market and trains nothing)."""
    single = gym.make("Blitzgame-v0").unwrapped
    single.reset(seed=2)
    seen = single.bot_observation(0)
    assert seen.me.package > seen.market.market_pay  # (the default lab, a startup, pays above the market)
    nothing = single.decode_action(single.no_op_action())
    assert nothing.model_dump(exclude={"package"}) == Orders().model_dump(exclude={"package"})
    assert nothing.package == pytest.approx(seen.me.package)
    zeros = single.decode_action(np.zeros_like(single.no_op_action()))
    assert zeros.train_split == 0.0 and zeros.package == pytest.approx(seen.market.market_pay / 2)
    batched = BatchedEnv(num_games=2, seed=2)
    batched.reset(seed=2)
    assert batched.no_op_action().shape == batched.action_space.shape
    assert batched.decode_action(batched.no_op_action()[1], game=1) == nothing
    assert batched.decode_action(batched.no_op_action(), game=1) == nothing  # the batch's actions: game 1's row
    parallel = E.parallel_env()
    parallel.reset(seed=2)
    for agent in parallel.possible_agents:  # each lab keeps its own pay
        kept = parallel.decode_action(agent, parallel.no_op_action(agent))
        assert kept.model_dump(exclude={"package"}) == Orders().model_dump(exclude={"package"})
        assert kept.package == pytest.approx(parallel.state_labs[parallel.possible_agents.index(agent), F.PACKAGE])
    # a whole episode of it: the lab spends nothing on growth and ends with less cash than it had
    single.reset(seed=2)
    cash = single.state_labs[0, F.CASH]
    done = False
    while not done:
        _, _, terminated, truncated, _ = single.step(single.no_op_action())
        done = terminated or truncated
    assert single.state_labs[0, F.CASH] < cash


def test_rivals_by_one_bare_name_are_refused_with_how_to_ask():
    with pytest.raises(EnvError, match=r"rivals='sprinter' is one name: give a list of names \(\['sprinter'\] for "):
        gym.make("Blitzgame-v0", rivals="sprinter")
    env = gym.make("Blitzgame-v0", rivals=["sprinter"] * 3).unwrapped
    assert env.table.n_labs == 4


def test_decoding_for_a_lab_out_of_the_game_is_refused():
    """After its episode ends a lab orders nothing: decoding an action for it says so, rather than
    showing empty orders as if the action did that."""
    single = gym.make("Blitzgame-v0").unwrapped
    action = single.no_op_action()
    assert isinstance(single.decode_action(action), Orders)  # before the first reset: the start's orders
    single.reset(seed=3)
    done = False
    while not done:
        _, _, done, _, _ = single.step(np.zeros_like(action))  # pays half the market, trains nothing: it ends
    with pytest.raises(EnvError, match="episode has ended.*reset"):
        single.decode_action(action)
    single.reset(seed=3)
    assert isinstance(single.decode_action(action), Orders)
    parallel = E.parallel_env()
    parallel.reset(seed=3)
    while parallel.agents == parallel.possible_agents:
        parallel.step({a: np.zeros_like(action) if a == "lab_0" else parallel.no_op_action(a) for a in parallel.agents})
    gone = next(a for a in parallel.possible_agents if a not in parallel.agents)
    with pytest.raises(EnvError, match=f"{gone} has left the game"):
        parallel.decode_action(gone, action)
