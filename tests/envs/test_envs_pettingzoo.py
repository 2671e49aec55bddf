"""The PettingZoo ``ParallelEnv``: PettingZoo's own API and seed tests, labs leaving, errors."""

import warnings

import numpy as np
import pytest

import blitzgame.envs as E
from blitzgame.engine import layout as F

with warnings.catch_warnings():  # pettingzoo.test imports its classic games the deprecated way
    warnings.filterwarnings("ignore", message="The old environment creation API", category=DeprecationWarning)
    from pettingzoo.test import parallel_api_test, parallel_seed_test


def action(env, **entries) -> np.ndarray:
    a = np.zeros(len(env.action_names), dtype=np.float32)
    for name, value in entries.items():
        a[env.action_names.index(name)] = value
    return a


RECKLESS = {"spend": 1.0, "gpus[virginia]": 1.0, "hire": 1.0, "package": 1.0, "train_split": 0.5}
STEADY = {"train_split": 0.5, "package": 0.3}


def test_pettingzoo_parallel_api_test():
    parallel_api_test(E.parallel_env(), num_cycles=1000)
    parallel_api_test(E.parallel_env(scenario="capital-winter", labs=3, reward="score_delta"), num_cycles=1000)


def test_pettingzoo_parallel_seed_test():
    parallel_seed_test(lambda: E.parallel_env())
    parallel_seed_test(lambda: E.parallel_env(labs=4, reward="score_delta"))


def test_agents_spaces_and_names():
    env = E.parallel_env()
    assert env.possible_agents == [f"lab_{i}" for i in range(5)] and env.agents == []
    assert env.lab_names["lab_0"] == "Northstar AI"
    obs, infos = env.reset(seed=1)
    assert env.agents == env.possible_agents and set(obs) == set(infos) == set(env.agents)
    for agent in env.agents:
        assert env.observation_space(agent).contains(obs[agent])
        assert env.action_space(agent).shape == (len(env.action_names),)
    assert infos["lab_0"] == {"rank": 1, "score": 0.0, "status": "alive"}
    # every lab sees the others from its own seat: lab_1's first rival is lab_2
    k = env.observation_names.index("rival[1].share")
    assert obs["lab_1"][k] == pytest.approx(0.12) and obs["lab_4"][k] == pytest.approx(0.30)


def test_a_bankrupt_lab_leaves_agents_and_the_rest_play_on():
    env = E.parallel_env(reward="rank")
    env.reset(seed=0)
    quarters = 0
    left = None
    while env.agents:
        live = list(env.agents)
        acts = {a: action(env, **(RECKLESS if a == "lab_3" else STEADY)) for a in live}
        obs, rewards, terminations, truncations, infos = env.step(acts)
        quarters += 1
        assert set(obs) == set(rewards) == set(terminations) == set(truncations) == set(infos) == set(live)
        assert not any(truncations.values())
        if left is None and terminations["lab_3"]:
            left = quarters
            assert env.agents == ["lab_0", "lab_1", "lab_2", "lab_4"]
            assert rewards["lab_3"] == 0.0 and infos["lab_3"]["rank"] == 5  # last: (5 - 5) / 4
            assert infos["lab_3"]["status"] in ("bankrupt", "acquired")  # which, as Blitzgame-v0 says it
            assert env.state_labs[3, F.STATUS] != F.ALIVE
            assert obs["lab_3"][env.observation_names.index("me.alive")] == 0.0
        elif left is not None:
            assert "lab_3" not in env.agents and "lab_3" not in obs
    assert left is not None and left < quarters
    # the game ended: every lab still in was terminated, with its final rank as reward
    assert all(terminations.values()) and env.agents == []
    assert sorted(rewards.values()) == [0.25, 0.5, 0.75, 1.0]
    with pytest.raises(E.EnvError, match="reset"):
        env.step({})


def test_same_seed_same_game_and_reset_without_seed_is_reproducible():
    def run(env, seed):
        env.reset(seed=seed)
        rng = np.random.default_rng(1)
        trace = []
        while env.agents:
            acts = {a: rng.random(len(env.action_names), dtype=np.float32) * 0.3 for a in env.agents}
            obs, rewards, terms, _, _ = env.step(acts)
            trace.append((sorted(obs), [obs[a].tobytes() for a in sorted(obs)], rewards, terms))
        return trace

    a, b = E.parallel_env(reward="score_delta"), E.parallel_env(reward="score_delta")
    assert run(a, 8) == run(b, 8)
    a.reset(seed=8)
    b.reset(seed=8)
    assert a.reset()[0]["lab_0"].tobytes() == b.reset()[0]["lab_0"].tobytes() and a.seed_played == b.seed_played


def test_an_action_for_an_agent_that_left_is_ignored():
    """A loop that acts for the keys of last step's observations names an agent that just left:
    its action changes nothing (the same step without it gives the same state)."""
    envs = [E.parallel_env(), E.parallel_env()]
    for env in envs:
        env.reset(seed=0)
    obs = {}
    while set(envs[0].agents) == set(envs[0].possible_agents):
        acts = {a: action(envs[0], **(RECKLESS if a == "lab_3" else STEADY)) for a in envs[0].agents}
        obs, *_ = envs[0].step(acts)
        envs[1].step(acts)
    assert "lab_3" in obs and "lab_3" not in envs[0].agents
    acts = {a: action(envs[0], **STEADY) for a in obs}  # lab_3 included
    envs[0].step(acts)
    envs[1].step({a: v for a, v in acts.items() if a != "lab_3"})
    assert np.array_equal(envs[0].state_labs, envs[1].state_labs)


def test_bad_actions_are_refused_and_change_nothing():
    env = E.parallel_env()
    env.reset(seed=0)
    good = {a: action(env, **STEADY) for a in env.agents}
    with pytest.raises(E.EnvError, match="no action for lab_4"):
        env.step({a: v for a, v in good.items() if a != "lab_4"})
    with pytest.raises(E.EnvError, match="'lab_9' is not a live agent"):
        env.step({**good, "lab_9": good["lab_0"]})
    with pytest.raises(E.EnvError, match=r"action of lab_2: must have shape \(26,\), got \(3,\)"):
        env.step({**good, "lab_2": np.zeros(3)})
    with pytest.raises(E.EnvError, match="lab_1: entry 0 is inf"):
        env.step({**good, "lab_1": np.full(26, np.inf)})
    with pytest.raises(E.EnvError, match="dict"):
        env.step([good["lab_0"]] * 5)
    assert env.state_world[F.QUARTER] == 0  # the refused steps played nothing
    env.step(good)
    assert env.state_world[F.QUARTER] == 1
    with pytest.raises(E.EnvError, match="2-8 labs"):
        E.parallel_env(labs=9)


@pytest.mark.parametrize("labs", [5.0, None, "5", 9, True])
def test_a_bad_labs_is_refused_in_one_line(labs):
    with pytest.raises(E.EnvError, match=r"labs must be a count \(2-8\) or a list of LabSetup|a game needs 2-8 labs"):
        E.parallel_env(labs=labs)
