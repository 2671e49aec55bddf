"""The learning environments' figures for ``blitzgame bench``, against PettingZoo's own simplest game.

``measure(quick)`` returns (all in one run, taken in turn repetition by repetition so they
share the machine's moods; medians of the repetitions):

``pettingzoo_rps_steps_per_s``
    PettingZoo's rock-paper-scissors (``pettingzoo.classic.rps``'s ``parallel_env``, as
    ``rps_v2.parallel_env()`` builds it): ``env.step`` calls per second with actions sampled
    beforehand from its action spaces, ``reset`` when its agents are done (reset time
    included). Needs ``pygame-ce``, which rps imports to draw.

``env_steps_per_s``
    The same loop over ``blitzgame.envs.parallel_env()`` (base-2024, 5 labs, every lab an
    agent, rank reward): ``step`` calls (one quarter of one game each) per second with actions
    sampled beforehand from the labs' action spaces, ``reset`` when the game is over.

``batched_env_steps_per_s``
    ``BatchedEnv`` (base-2024, you against the default rivals, all cores): game-steps per
    second, i.e. games x ``step`` calls / wall time, with actions sampled beforehand (uniform
    over the action space), same-step auto-reset included. 4,096 games (512 when quick),
    after one untimed step that loads (or compiles) the kernels.

``env_vs_rps_ratio`` (target >= 0.5) and ``batched_vs_rps_ratio`` (target >= 50)
    ``env_steps_per_s`` and ``batched_env_steps_per_s`` over ``pettingzoo_rps_steps_per_s``.

Checked: every timed loop made the steps it was asked for, our games reached their ends
(episodes counted), and every observation is finite and inside its space; otherwise
``EnvBenchError``. Without the optional packages (``pip install 'blitzgame[envs]' pygame-ce``)
the keys are left out, the targets are not set, and ``envs_note`` says why.
"""

from __future__ import annotations

import importlib.util
import math
import statistics
import time

import numpy as np

NEEDS = ("gymnasium", "pettingzoo", "pygame")


def _missing() -> list[str]:
    return [name for name in NEEDS if importlib.util.find_spec(name) is None]


AVAILABLE = not _missing()
TARGETS = {
    "env_vs_rps_ratio": (">=", 0.5),
    "batched_vs_rps_ratio": (">=", 50.0),
} if AVAILABLE else {}
ROWS = (
    ("env_vs_rps_ratio", "ParallelEnv steps/s / PettingZoo rps_v2 steps/s"),
    ("batched_vs_rps_ratio", "BatchedEnv game-steps/s / rps_v2 steps/s"),
    ("env_steps_per_s", "  ParallelEnv (5 labs) steps/s"),
    ("batched_env_steps_per_s", "  BatchedEnv game-steps/s, all cores"),
    ("pettingzoo_rps_steps_per_s", "  PettingZoo rps_v2 (parallel) steps/s"),
)
SIZES = {  # quick / full
    "single_steps": {True: 2_000, False: 20_000},  # step calls per repetition, rps and ParallelEnv
    "batch_games": {True: 512, False: 4096},
    "batch_steps": {True: 10, False: 60},
    "reps": {True: 1, False: 3},
}
SEED = 20240101
ACTION_POOL = 64  # actions sampled beforehand, used in turn


class EnvBenchError(RuntimeError):
    """The environments' benchmark did not do the work it timed; its numbers would mean nothing."""


def _parallel_loop(env, steps: int, seed: int) -> tuple[float, int, int]:
    """Step a PettingZoo parallel env ``steps`` times (reset when its agents are done): seconds,
    steps made, episodes finished. Actions are sampled before the clock starts."""
    env.reset(seed=seed)
    agents = list(env.possible_agents)
    for i, agent in enumerate(agents):
        env.action_space(agent).seed(seed + i)
    pool = [{a: env.action_space(a).sample() for a in agents} for _ in range(ACTION_POOL)]
    env.reset(seed=seed)
    made = episodes = 0
    obs: dict = {}
    start = time.perf_counter()
    for k in range(steps):
        live = env.agents
        if not live:
            env.reset()
            episodes += 1
            live = env.agents
        actions = pool[k % ACTION_POOL]
        obs = env.step({a: actions[a] for a in live})[0]
        made += 1
    seconds = time.perf_counter() - start
    for agent, seen in obs.items():
        if not env.observation_space(agent).contains(seen):
            raise EnvBenchError(f"{env}: the observation of {agent} is outside its space")
    return seconds, made, episodes


def _rps():
    from pettingzoo.classic.rps.rps import parallel_env  # (rps_v2 re-exports it, with a deprecation warning)

    return parallel_env()


def _check_obs(what: str, obs: np.ndarray, space) -> None:
    if not np.isfinite(obs).all() or obs.min() < space.low.min() or obs.max() > space.high.max():
        raise EnvBenchError(f"{what}: an observation is not finite or outside its space")


def _batched(env, steps: int, pool: np.ndarray) -> tuple[float, int, int]:
    """``steps`` steps of a ``BatchedEnv``: seconds, game-steps made, episodes ended."""
    ended = 0
    start = time.perf_counter()
    for k in range(steps):
        obs, reward, terminated, _, _ = env.step(pool[k % len(pool)])
        ended += int(terminated.sum())
    seconds = time.perf_counter() - start
    _check_obs("BatchedEnv", obs, env.single_observation_space)
    if not np.isfinite(reward).all():
        raise EnvBenchError("BatchedEnv: a reward is not finite")
    return seconds, steps * env.num_envs, ended


def measure(quick: bool) -> dict:
    """The environments' figures (see the module's docstring)."""
    missing = _missing()
    if missing:
        return {"envs_note": f"not measured: {', '.join(missing)} not installed "
                             f"(pip install 'blitzgame[envs]' pygame-ce)"}
    from blitzgame.envs import BatchedEnv, parallel_env

    single = SIZES["single_steps"][quick]
    games, batch_steps, reps = SIZES["batch_games"][quick], SIZES["batch_steps"][quick], SIZES["reps"][quick]
    rps, ours = _rps(), parallel_env()
    batch = BatchedEnv(num_games=games, seed=SEED, parallel=True)
    rng = np.random.default_rng(SEED)
    pool = rng.random((4, games, batch.single_action_space.shape[0]), dtype=np.float32)
    batch.reset(seed=SEED)
    batch.step(pool[0])  # loads (or compiles) the kernels: not timed
    _parallel_loop(ours, 50, SEED)  # the same for the ParallelEnv's kernels
    rates: dict[str, list[float]] = {"rps": [], "env": [], "batched": []}
    episodes = {"rps": 0, "env": 0, "batched": 0}
    for rep in range(reps):
        for name, env in (("rps", rps), ("env", ours)):
            seconds, made, done = _parallel_loop(env, single, SEED + rep)
            if made != single:
                raise EnvBenchError(f"{name}: {made} steps made of {single}")
            rates[name].append(made / seconds)
            episodes[name] += done
        seconds, made, done = _batched(batch, batch_steps, pool)
        rates["batched"].append(made / seconds)
        episodes["batched"] += done
    if episodes["env"] == 0 or episodes["batched"] == 0:
        raise EnvBenchError(f"no game reached its end in the timed loops: {episodes}")
    rps_rate = statistics.median(rates["rps"])
    env_rate = statistics.median(rates["env"])
    batched_rate = statistics.median(rates["batched"])
    results = {
        "pettingzoo_rps_steps_per_s": rps_rate,
        "env_steps_per_s": env_rate,
        "batched_env_steps_per_s": batched_rate,
        "env_vs_rps_ratio": env_rate / rps_rate,
        "batched_vs_rps_ratio": batched_rate / rps_rate,
        "envs_episodes": episodes,
        "envs_method": (
            f"in turn, {reps} repetition(s), medians: PettingZoo rps_v2 parallel_env and blitzgame.envs.parallel_env() "
            f"(base-2024, 5 labs) each stepped {single:,} times with actions sampled beforehand, reset when their "
            f"agents are done; BatchedEnv ({games:,} games, all cores, default rivals) stepped {batch_steps} times "
            f"with uniform actions drawn beforehand (same-step auto-reset), game-steps / wall time"),
    }
    for name, value in results.items():
        if isinstance(value, float) and not (math.isfinite(value) and value > 0.0):
            raise EnvBenchError(f"{name} = {value}: every measured figure must be finite and positive")
    return results
