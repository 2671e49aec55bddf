"""The README's "Learning environments" section stays true: its training loop runs as printed."""

import numpy as np
import pytest
from readme_tools import README, python_blocks, section


def test_the_training_loop_runs(capsys):
    blocks = python_blocks("Learning environments")
    loops = [b for b in blocks if "BatchedEnv(" in b and "for iteration" in b]
    assert len(loops) == 1, "the README's training loop is missing"
    code = loops[0]
    assert len(code.strip().splitlines()) <= 30  # a short loop a reader takes in at a glance
    namespace: dict = {"__name__": "readme_loop"}
    exec(compile(code, str(README), "exec"), namespace)
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 10 and printed[0].startswith("iteration 0:")
    scores = [float(line.split(":")[1].split()[0]) for line in printed]
    assert scores == sorted(scores)  # random search keeps the best so far
    assert round(namespace["best_score"], 2) == scores[-1] and namespace["env"].num_envs == 1024
    # "per game" is each game's first episode, whole: the returns the env reports as its episodes end
    env, policy, best = namespace["env"], namespace["policy"], namespace["best"]
    obs, _ = env.reset(seed=0)
    first = np.full(env.num_envs, np.nan)
    for _ in range(32):
        obs, _, _, _, info = env.step(policy(best, obs))
        ended = info["_final_info"] & np.isnan(first)
        first[ended] = info["final_info"]["episode_return"][ended]
    assert not np.isnan(first).any()  # every game's first campaign ended within 32 quarters
    assert namespace["evaluate"](best) == pytest.approx(first.mean(), rel=1e-9)


def test_the_section_names_what_a_learner_needs():
    text = section("Learning environments")
    for needle in ("pip install '.[envs]'", 'gymnasium.make("Blitzgame-v0"', "parallel_env", "BatchedEnv",
                   'reward="rank"', 'reward="score_delta"', "observation_names", "action_names", "decode_action",
                   "env_vs_rps_ratio", "batched_vs_rps_ratio"):
        assert needle in text, needle
    import blitzgame.envs as E

    env = E.BlitzgameEnv()
    for name in env.action_names:  # every action entry is explained in the table
        base = name.split("[")[0]
        assert f"`{base}" in text, name
