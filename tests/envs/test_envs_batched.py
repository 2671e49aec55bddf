"""``BatchedEnv``: the same games as ``Blitzgame-v0``, auto-reset, seeds, threads, errors."""

import numba
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import blitzgame.envs as E
from blitzgame.engine import layout as F
from blitzgame.limits import MAX_SEED


def test_it_plays_the_single_game_env_games_with_auto_reset():
    """Game g of a batch seeded S plays reset(seed=S + g), then S + g + N, ... with the same
    actions: the same observations, rewards and ends, bit for bit."""
    n, base = 3, 40
    batch = E.BatchedEnv(num_games=n, seed=base, reward="score_delta", parallel=False)
    singles = [E.BlitzgameEnv(reward="score_delta") for _ in range(n)]
    obs, info = batch.reset()
    assert info["seed"].tolist() == [base, base + 1, base + 2]
    for g, env in enumerate(singles):
        first, _ = env.reset(seed=base + g)
        assert np.array_equal(obs[g], first)
    rng = np.random.default_rng(0)
    episodes_ended = 0
    for _ in range(40):
        actions = rng.random((n, batch.single_action_space.shape[0]), dtype=np.float32) * 0.6
        obs, reward, terminated, truncated, info = batch.step(actions)
        assert reward.dtype == np.float64 and not truncated.any()
        for g, env in enumerate(singles):
            o, r, t, _, i = env.step(actions[g])
            assert r == reward[g] and t == terminated[g]
            if not t:
                assert np.array_equal(obs[g], o)
                assert not info["_final_obs"][g] and not info["final_obs"][g].any()
                continue
            episodes_ended += 1
            final = info["final_info"]
            assert np.array_equal(info["final_obs"][g], o) and info["_final_info"][g]
            assert final["rank"][g] == i["rank"] and final["score"][g] == i["score"]
            assert final["seed"][g] == env.seed_played and final["episode_length"][g] == i["quarter"]
            next_first, _ = env.reset(seed=final["seed"][g] + np.uint64(n))  # the next episode, seeded as handed out
            assert type(env.seed_played) is int
            assert np.array_equal(obs[g], next_first)
            assert batch.seeds[g] == env.seed_played
    assert episodes_ended >= 2


def test_next_step_auto_reset_shows_the_last_observation_then_the_next_episode():
    """NEXT_STEP (Gymnasium's own vector envs' mode): an ending game shows its last observation;
    its next step ignores the action and shows the next episode's first, reward 0. The episodes
    are Blitzgame-v0's, seed for seed, as in SAME_STEP."""
    n, base = 3, 40
    batch = E.BatchedEnv(num_games=n, seed=base, reward="score_delta", parallel=False, autoreset_mode="next_step")
    assert batch.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP
    singles = [E.BlitzgameEnv(reward="score_delta") for _ in range(n)]
    obs, _ = batch.reset()
    for g, env in enumerate(singles):
        assert np.array_equal(obs[g], env.reset(seed=base + g)[0])
    rng = np.random.default_rng(0)
    resetting = np.zeros(n, dtype=bool)
    episodes_ended = 0
    for _ in range(45):
        actions = rng.random((n, batch.single_action_space.shape[0]), dtype=np.float32) * 0.6
        obs, reward, terminated, truncated, info = batch.step(actions)
        assert "final_obs" not in info and not truncated.any()
        for g, env in enumerate(singles):
            if resetting[g]:  # the step after an end: the next episode's first observation, nothing else
                first, _ = env.reset(seed=int(batch.seeds[g]))
                assert np.array_equal(obs[g], first) and reward[g] == 0.0 and not terminated[g]
                assert not info["_final_info"][g]
                resetting[g] = False
                continue
            o, r, t, _, i = env.step(actions[g])
            assert np.array_equal(obs[g], o) and r == reward[g] and t == terminated[g]
            if t:
                episodes_ended += 1
                assert info["_final_info"][g] and info["final_info"]["rank"][g] == i["rank"]
                assert info["final_info"]["seed"][g] == env.seed_played
                assert batch.seeds[g] == env.seed_played + n  # its next episode's, shown next step
                resetting[g] = True
    assert episodes_ended >= 2


def test_gymnasium_s_vector_wrappers_take_the_next_step_mode():
    from gymnasium.wrappers.vector import NormalizeObservation

    with pytest.raises(ValueError, match="NEXT_STEP"):  # Gymnasium's own refusal of SAME_STEP
        NormalizeObservation(E.BatchedEnv(num_games=4, parallel=False))
    env = NormalizeObservation(E.BatchedEnv(num_games=4, parallel=False, autoreset_mode=AutoresetMode.NEXT_STEP))
    obs, _ = env.reset(seed=1)
    for _ in range(35):
        obs, *_ = env.step(env.action_space.sample())
    assert obs.shape == (4, env.single_observation_space.shape[0]) and np.isfinite(obs).all()


def test_gymnasium_s_make_vec_makes_a_batched_env():
    """``gymnasium.make_vec("Blitzgame-v0", num_envs=N, ...)`` is a ``BatchedEnv`` of N games with
    the arguments given; Gymnasium's own loop over single games (``"sync"``) plays the same games."""
    import gymnasium

    batch = gymnasium.make_vec(E.ENV_ID, num_envs=3, seed=7, parallel=False, autoreset_mode="next_step")
    assert isinstance(batch, E.BatchedEnv) and batch.num_envs == 3
    assert batch.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP
    looped = gymnasium.make_vec(E.ENV_ID, num_envs=3, vectorization_mode="sync")
    first, _ = batch.reset(seed=7)
    assert np.array_equal(looped.reset(seed=7)[0], first)  # game g plays seed 7 + g in both
    actions = np.full((3, batch.single_action_space.shape[0]), 0.3, dtype=np.float32)
    assert np.array_equal(looped.step(actions)[0], batch.step(actions)[0])
    # seed= is BatchedEnv's: a loop of single games says how to seed it, not a TypeError
    with pytest.raises(E.EnvError, match=r"seed=3: this env is seeded by reset\(seed=...\); gym.make_vec's seed= "):
        gymnasium.make_vec(E.ENV_ID, num_envs=2, vectorization_mode="sync", seed=3)


def test_episode_returns_add_up_the_rewards():
    batch = E.BatchedEnv(num_games=8, seed=5, reward="score_delta", parallel=False)
    batch.reset()
    rng = np.random.default_rng(4)
    running = np.zeros(8)
    checked = 0
    for _ in range(30):
        _, reward, terminated, _, info = batch.step(rng.random((8, 26), dtype=np.float32) * 0.5)
        running += reward
        for g in np.flatnonzero(terminated):
            assert info["final_info"]["episode_return"][g] == pytest.approx(running[g])
            running[g] = 0.0
            checked += 1
    assert checked > 0


def test_same_bits_whatever_the_thread_count():
    def run(parallel: bool, threads: int) -> list[bytes]:
        before = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            batch = E.BatchedEnv(num_games=64, seed=9, parallel=parallel, reward="rank")
            obs, _ = batch.reset()
            rng = np.random.default_rng(1)
            out = [obs.tobytes()]
            for _ in range(12):
                obs, reward, terminated, _, info = batch.step(rng.random((64, 26), dtype=np.float32))
                out += [obs.tobytes(), reward.tobytes(), terminated.tobytes(), info["final_obs"].tobytes(),
                        info["final_info"]["rank"].tobytes()]
            return out
        finally:
            numba.set_num_threads(before)

    serial = run(False, 1)
    assert run(True, 1) == serial
    assert run(True, numba.config.NUMBA_NUM_THREADS) == serial


def test_seeds_reset_and_vector_env_api():
    batch = E.BatchedEnv(num_games=4, seed=MAX_SEED - 1, parallel=False)
    assert batch.parallel is False and E.BatchedEnv(num_games=300).parallel is True
    assert batch.observation_space.shape == (4, batch.single_observation_space.shape[0])
    assert batch.action_space.shape == (4, 26) and batch.metadata["autoreset_mode"].value == "SameStep"
    assert batch.seeds.tolist() == [MAX_SEED - 1, MAX_SEED, 0, 1]  # before reset(): what it will play (not zeros)
    batch.reset()
    assert batch.seeds.tolist() == [MAX_SEED - 1, MAX_SEED, 0, 1]  # mod 2**63
    batch.reset()  # every game's next episode
    assert batch.seeds.tolist() == [2, 3, 4, 5]
    obs, info = batch.reset(seed=[10, 20, 30, 40])
    assert info["seed"].tolist() == [10, 20, 30, 40] and obs.shape == (4, len(batch.observation_names))
    batch.action_space.seed(0)
    assert batch.step(batch.action_space.sample())[0].shape == obs.shape
    state_labs, state_world = batch.state(1)
    assert state_world[F.QUARTER] == 1 and state_labs.shape[0] == 5  # one quarter played


def test_bad_requests_are_refused_with_a_clear_message():
    with pytest.raises(E.EnvError, match="num_games"):
        E.BatchedEnv(num_games=0)
    with pytest.raises(E.EnvError, match="render_mode: BatchedEnv renders nothing"):  # (a TypeError before)
        E.BatchedEnv(num_games=2, render_mode="ansi")
    with pytest.raises(E.EnvError, match="num_games"):
        E.BatchedEnv(num_games=2.5)
    batch = E.BatchedEnv(num_games=3, parallel=False)
    with pytest.raises(E.EnvError, match="reset"):
        batch.step(np.zeros((3, 26)))
    batch.reset(seed=1)
    with pytest.raises(E.EnvError, match=r"actions must have shape \(3, 26\), got \(26,\)"):
        batch.step(np.zeros(26))
    with pytest.raises(E.EnvError, match=r"got \(3, 25\)"):
        batch.step(np.zeros((3, 25)))
    with pytest.raises(E.EnvError, match=r"actions is None; give an array of shape \(3, 26\)"):  # not "got ()"
        batch.step(None)
    bad = np.zeros((3, 26))
    bad[2, 7] = np.nan
    with pytest.raises(E.EnvError, match="game 2, entry 7 is nan"):
        batch.step(bad)
    with pytest.raises(E.EnvError, match="2 seeds given for 3 games"):
        batch.reset(seed=[1, 2])
    with pytest.raises(E.EnvError, match="seed"):
        batch.reset(seed=[1, 2, -3])
    with pytest.raises(E.EnvError, match="no game 3"):
        batch.state(3)
    for game in (2.0, "a", True):
        with pytest.raises(E.EnvError, match=r"games are whole numbers 0\.\.2"):
            batch.decode_action(batch.no_op_action(), game=game)
    assert batch.state(np.int64(1))[0].shape[0] == 5
    with pytest.raises(E.EnvError, match="parallel is True, False or None"):
        E.BatchedEnv(num_games=2, parallel="yes")
    for mode in ("sometimes", AutoresetMode.DISABLED, None):
        with pytest.raises(E.EnvError, match="autoreset_mode is AutoresetMode.SAME_STEP or NEXT_STEP"):
            E.BatchedEnv(num_games=2, autoreset_mode=mode)
    assert E.BatchedEnv(num_games=2, autoreset_mode="SameStep").metadata["autoreset_mode"] is AutoresetMode.SAME_STEP
    for scenario in (None, 42):
        with pytest.raises(E.EnvError, match=f"scenario is a scenario id .* not {scenario}"):
            E.BatchedEnv(num_games=2, scenario=scenario)
    assert batch.seeds.tolist() == [1, 2, 3]  # nothing changed


def test_arrays_the_caller_holds_are_never_written_over():
    """``step`` hands its big arrays out again only once nobody holds them (or a view of them)."""
    batch = E.BatchedEnv(num_games=16, seed=3, parallel=False)
    batch.reset()
    rng = np.random.default_rng(2)
    seen = set()
    for _ in range(10):  # a loop that lets go of each step's arrays gets the same few back
        obs, _, terminated, _, info = batch.step(rng.random((16, batch.single_action_space.shape[0])))
        seen.add(obs.__array_interface__["data"][0])
        assert not info["final_obs"][~terminated].any()  # a recycled array comes back clean
    assert len(seen) <= 3
    held = []
    for k in range(30):
        obs, _, terminated, _, info = batch.step(rng.random((16, batch.single_action_space.shape[0])))
        assert not info["final_obs"][~terminated].any()
        if k % 7 == 0:  # kept whole, or as a view
            held.append((obs, obs.copy(), info["final_obs"][:8], info["final_obs"][:8].copy()))
    assert any(final.any() for *_, final in held), "some held final observation must be non-zero"
    for obs, obs_then, final, final_then in held:
        assert np.array_equal(obs, obs_then) and np.array_equal(final, final_then)
