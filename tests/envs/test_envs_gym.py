"""``Blitzgame-v0``: the Gymnasium checker, the same game as the session plays, rewards, errors."""

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import blitzgame.envs as E
from blitzgame.bots import actions as A
from blitzgame.bots.base import make_bot
from blitzgame.engine import layout as F
from blitzgame.envs import kernels as K
from blitzgame.schemas.orders import Orders
from blitzgame.session.game import Game


def action(env, **entries) -> np.ndarray:
    """An action with the named entries set (``gpus[virginia]=1.0`` as a dict key), others 0."""
    a = np.zeros(env.action_space.shape, dtype=np.float32)
    for name, value in entries.items():
        a[env.action_names.index(name)] = value
    return a


RECKLESS = {"spend": 1.0, "gpus[virginia]": 1.0, "hire": 1.0, "package": 1.0, "train_split": 0.5}


def test_gymnasium_make_and_check_env():
    env = gymnasium.make("Blitzgame-v0")
    check_env(env.unwrapped)
    env = gymnasium.make("blitzgame.envs:Blitzgame-v0", scenario="gpu-famine", rivals=["baseline", "greedy"],
                         reward="score_delta", render_mode="ansi")
    check_env(env.unwrapped)  # also makes it again for each render mode, and renders
    assert env.unwrapped.rivals == ("baseline", "greedy")
    obs, _ = env.reset(seed=3)
    assert obs.shape == (E.kernels.observation_dim(5, 3),) and obs.dtype == np.float32
    text = env.render()
    assert "Agent" in text and "quarter 0/" in text


def test_spaces_and_names_are_documented_shapes():
    env = E.BlitzgameEnv()
    assert env.observation_space.shape == (len(env.observation_names),)
    assert env.action_space.shape == (len(env.action_names),) == (A.A_FIXED + 2 * 5,)
    assert env.action_space.low.min() == 0.0 and env.action_space.high.max() == 1.0
    assert len(set(env.observation_names)) == len(env.observation_names)
    assert env.observation_names[:3] == ("time.progress", "me.alive", "me.position")
    assert "rival[4].rank" in env.observation_names and "rival[5].rank" not in env.observation_names
    spec = dict(env.table.observation_spec)
    assert spec["me.cash"] == "slog" and spec["me.stage"] == "/ 4" and spec["me.share"] == "as is"
    assert env.rivals == E.DEFAULT_RIVALS


def play(env, seed, actions):
    """Every step's (obs, reward, terminated, info) of an episode played with ``actions`` in turn."""
    obs, info = env.reset(seed=seed)
    steps = [(obs, 0.0, False, info)]
    k = 0
    while not steps[-1][2]:
        obs, reward, terminated, truncated, info = env.step(actions[k % len(actions)])
        assert truncated is False
        steps.append((obs, reward, terminated, info))
        k += 1
    return steps


def test_same_seed_same_trajectory_and_other_seeds_differ():
    rng = np.random.default_rng(5)
    env_a, env_b = E.BlitzgameEnv(reward="score_delta"), E.BlitzgameEnv(reward="score_delta")
    actions = list(rng.random((40, env_a.action_space.shape[0]), dtype=np.float32) * 0.4)
    first, second = play(env_a, 11, actions), play(env_b, 11, actions)
    assert len(first) == len(second) > 2
    for (o1, r1, t1, i1), (o2, r2, t2, i2) in zip(first, second):
        assert np.array_equal(o1, o2) and r1 == r2 and t1 == t2 and i1 == i2
    other = play(env_a, 12, actions)
    assert any(not np.array_equal(a[0], b[0]) for a, b in zip(first[1:], other[1:]))
    # reset() without a seed draws the next game from a generator seeded by the last seed
    env_a.reset(seed=11)
    env_b.reset(seed=11)
    assert env_a.reset()[1]["seed"] == env_b.reset()[1]["seed"] != 11


def test_the_env_plays_the_game_the_session_plays():
    """reset(seed=s) + actions == Game(world, s, labs) with the rivals' compiled bots and the
    orders decode_action gives: the same state, bit for bit, every quarter."""
    env = E.BlitzgameEnv(rivals=["sprinter", "defender", "random"])
    rng = np.random.default_rng(2)
    obs, _ = env.reset(seed=77)
    game = Game(env.table.world, 77, list(env.table.setups))
    bots = {lab: make_bot(name) for lab, name in enumerate(env.rivals, start=1)}
    for _ in range(6):
        a = rng.random(env.action_space.shape[0], dtype=np.float32) * 0.5
        game.submit(0, env.decode_action(a))
        for lab, bot in bots.items():
            game.submit(lab, bot.orders_for(game, lab))
        game.advance()
        obs, _, terminated, _, _ = env.step(a)
        assert np.array_equal(env.state_labs, game.state_labs)
        assert np.array_equal(env.state_world, game.state_world)
        if terminated:
            break


def test_any_action_in_the_space_gives_valid_orders():
    env = E.BlitzgameEnv()
    rng = np.random.default_rng(0)
    env.reset(seed=1)
    corners = [np.zeros(env.action_space.shape), np.ones(env.action_space.shape)]
    for k in range(120):
        a = corners[k] if k < 2 else rng.random(env.action_space.shape[0])
        orders = env.decode_action(a)  # validated by the orders schema: a refusal would raise
        assert isinstance(orders, Orders)
        if k % 10 == 0 and env.step(a * 0.3)[2]:  # on to other states (a new game if this one ended)
            env.reset(seed=k)


def test_the_action_transform_does_what_its_docstring_says():
    env = E.BlitzgameEnv()
    env.reset(seed=1)
    lab, world = env.state_labs[0], env.state_world
    assert env.decode_action(action(env, **{"gpus[virginia]": 1.0})).gpus == {}  # no spend, nothing bought
    orders = env.decode_action(action(env, spend=1.0, **{"gpus[nevada]": 1.0}))
    unit = world[F.LIST_PRICE] * world[F.SPOT] + env.table.world.params[K.P.INFRA_CAPEX_PER_GPU]
    assert orders.gpus == {"nevada": pytest.approx(lab[F.CASH] / unit)}
    half = env.decode_action(action(env, spend=0.5, **{"gpus[nevada]": 1.0, "mw[nordics]": 1.0}))
    cost = half.gpus["nevada"] * unit + half.power_mw["nordics"] * env.table.world.hubs[2, F.HP_BUILD_COST]
    assert cost == pytest.approx(0.5 * lab[F.CASH])
    assert env.decode_action(action(env, package=0.0)).package == pytest.approx(0.5 * 2.0)
    assert env.decode_action(action(env, package=1.0)).package == pytest.approx(2.0 * 2.0)
    assert env.decode_action(action(env, open_source=0.5)).open_source is False
    assert env.decode_action(action(env, open_source=0.51)).open_source is True
    assert env.decode_action(action(env, train_split=2.0)).train_split == 1.0  # clipped to the box
    dilution = env.table.world.params[K.P.EQUITY_MAX_DILUTION]  # the largest round the market allows
    assert env.decode_action(action(env, equity=1.0)).equity == pytest.approx(lab[F.VALUATION] * dilution)


def test_rewards_rank_and_score_delta():
    rng = np.random.default_rng(9)
    actions = list(rng.random((40, 26), dtype=np.float32) * 0.3)
    dense = play(E.BlitzgameEnv(reward="score_delta"), 4, actions)
    start = E.BlitzgameEnv().table.lab0[0, F.SCORE]
    assert start == 0.0  # the founders have created nothing yet
    assert sum(r for _, r, _, _ in dense) == pytest.approx(dense[-1][3]["score"] - start)
    sparse = play(E.BlitzgameEnv(reward="rank"), 4, actions)
    assert all(r == 0.0 for _, r, _, _ in sparse[:-1])
    assert sparse[-1][1] == (5 - sparse[-1][3]["rank"]) / 4


def test_a_lab_out_of_the_race_ends_the_episode():
    """Out of cash: wound up, or bought by a rival that bid for it (M9); either ends the episode."""
    env = E.BlitzgameEnv()
    env.reset(seed=0)
    reckless = action(env, **RECKLESS)
    steps = 0
    while True:
        obs, reward, terminated, _, info = env.step(reckless)
        steps += 1
        if terminated:
            break
    assert info["status"] in ("bankrupt", "acquired") and steps < 32
    assert reward == 0.0 and info["rank"] == 5  # last place: (L - rank) / (L - 1) = 0
    assert obs[env.observation_names.index("me.alive")] == 0.0
    with pytest.raises(E.EnvError, match="reset"):
        env.step(reckless)


def test_bad_requests_are_refused_with_a_clear_message():
    env = E.BlitzgameEnv()
    with pytest.raises(E.EnvError, match="reset"):
        env.step(env.action_space.sample())
    env.reset(seed=0)
    with pytest.raises(E.EnvError, match=r"shape \(26,\), got \(25,\)"):
        env.step(np.zeros(25))
    with pytest.raises(E.EnvError, match=r"shape \(26,\), got \(1, 26\)") as bad:
        env.step(np.zeros((1, 26)))
    assert "(26,)" in str(bad.value)
    nan = np.zeros(26)
    nan[3] = np.nan
    with pytest.raises(E.EnvError, match="entry 3 is nan"):
        env.step(nan)
    with pytest.raises(E.EnvError, match="numbers"):
        env.step("buy")
    assert env.step(np.zeros(26))[1] == 0.0  # nothing was changed by the refusals: the game goes on
    with pytest.raises(E.EnvError, match="unknown rival 'nobody'"):
        E.BlitzgameEnv(rivals=["nobody"])
    with pytest.raises(E.EnvError, match=r"unknown rival 'Sprinter' \(did you mean 'sprinter'\?\)"):
        E.BlitzgameEnv(rivals=["Sprinter"])
    with pytest.raises(E.EnvError, match=r"rivals: 2 is not a bot name; give a list of names \(.*\) or a count"):
        E.BlitzgameEnv(rivals=["sprinter", 2])
    with pytest.raises(E.EnvError, match=r"in seat order\), not a set"):
        E.BlitzgameEnv(rivals={"pure", "defender"})
    with pytest.raises(E.EnvError, match="the agent's lab needs a name \\(text\\), got 123"):
        E.BlitzgameEnv(name=123)
    with pytest.raises(E.EnvError, match="unknown position 'bogus'; expected one of startup, challenger, incumbent"):
        E.BlitzgameEnv(position="bogus")
    from blitzgame.bots import Bot

    class Mine(Bot):
        pass

    for own in (Mine, Mine(), "bots/mine.py:Mine"):  # a user's bot: where it can play instead
        with pytest.raises(E.EnvError, match="Python bots cannot be rivals .* blitzgame.play or a tournament"):
            E.BlitzgameEnv(rivals=[own, "sprinter"])
    with pytest.raises(E.EnvError, match="2-8 labs"):
        E.BlitzgameEnv(rivals=["baseline"] * 8)
    with pytest.raises(E.EnvError, match="unknown reward"):
        E.BlitzgameEnv(reward="money")
    with pytest.raises(E.EnvError, match="unknown scenario"):
        E.BlitzgameEnv(scenario="atlantis")
    with pytest.raises(E.EnvError, match="missing.toml: no such file"):  # a file that is not there: said so
        E.BlitzgameEnv(scenario="/nowhere/missing.toml")
    from blitzgame.assets import assets_dir

    file = assets_dir() / "scenarios" / "power-crunch.toml"  # a pathlib.Path, not only its text
    assert E.BlitzgameEnv(scenario=file).table.world.scenario.id == "power-crunch"
    with pytest.raises(E.EnvError, match="unknown hub"):
        E.BlitzgameEnv(hub="moon")
    with pytest.raises(E.EnvError, match="render_mode"):
        E.BlitzgameEnv(render_mode="rgb_array")
    with pytest.raises(E.EnvError, match="seed"):
        env.reset(seed=-1)


def test_without_the_envs_extra_the_import_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "gymnasium", None)  # as if it were not installed
    for name in [m for m in sys.modules if m == "blitzgame.envs" or m.startswith("blitzgame.envs.")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ModuleNotFoundError, match=r"blitzgame.envs needs gymnasium.*pip install 'blitzgame\[envs\]'"):
        import blitzgame.envs  # noqa: F401


@pytest.mark.parametrize("make", [lambda: E.BlitzgameEnv(), lambda: E.BatchedEnv(num_games=2), lambda: E.parallel_env()],
                         ids=["gym", "batched", "pettingzoo"])
def test_an_env_says_on_stderr_when_its_first_run_compiles(make, capsys, monkeypatch):
    import blitzgame._jit_cache as jit_cache

    make()
    assert capsys.readouterr().err == ""  # the kernels are cached: nothing to say
    monkeypatch.setattr(jit_cache, "is_warm", lambda *kernels: False)  # as on a fresh machine
    monkeypatch.setattr(jit_cache, "_announced", set())
    make()
    make()  # once a process
    assert capsys.readouterr().err.count("compiling the engine's kernels for this version (once for each kind of game") == 1
