"""The environments' kernels give the same bits compiled and interpreted (``NUMBA_DISABLE_JIT=1``).

Marked ``equivalence``: CI also runs it with the JIT off, so each mode is checked against
the other whichever one the test process is in.
"""

import json
import os
import subprocess
import sys

import numba
import pytest

# Run in this process and in a subprocess of the other JIT mode; prints one JSON line.
PLAY = """
import hashlib, json
import numpy as np
from blitzgame.envs import BatchedEnv, parallel_env

digest = hashlib.sha256()
batch = BatchedEnv(num_games=3, seed=17, reward="score_delta", rivals=["sprinter", "random", "greedy"], parallel=False)
obs, _ = batch.reset()
digest.update(obs.tobytes())
rng = np.random.default_rng(0)
for _ in range(7):
    obs, reward, terminated, _, info = batch.step(rng.random((3, 26)))
    for part in (obs, reward, terminated, info["final_obs"], batch.seeds):
        digest.update(np.ascontiguousarray(part).tobytes())
env = parallel_env(labs=3, reward="rank")
obs, _ = env.reset(seed=4)
for _ in range(5):
    obs, reward, _, _, _ = env.step({a: rng.random(26) for a in env.agents})
    for agent in sorted(obs):
        digest.update(obs[agent].tobytes() + np.float64(reward[agent]).tobytes())
print(json.dumps({"digest": digest.hexdigest(), "interpreted": bool(__import__("numba").config.DISABLE_JIT)}))
"""


def _run(disable_jit: bool) -> dict:
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1" if disable_jit else "0"}
    result = subprocess.run([sys.executable, "-W", "error", "-c", PLAY], capture_output=True, text=True, env=env,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.equivalence
def test_compiled_and_interpreted_envs_are_bit_identical():
    here = numba.config.DISABLE_JIT
    ours, theirs = _run(bool(here)), _run(not here)
    assert ours["interpreted"] != theirs["interpreted"]
    assert ours["digest"] == theirs["digest"]
