"""The observation shows what the Bot API's ``Observation`` shows a lab, and nothing more."""

import math

import numpy as np
import pytest

import blitzgame.envs as E
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.envs import kernels as K


def slog(x: float) -> float:
    return math.copysign(math.log10(1.0 + abs(x)), x)


@pytest.fixture(scope="module")
def mid_game():
    """A 5-lab env some quarters into a game, with its Bot API observation of lab 0."""
    env = E.BlitzgameEnv(reward="score_delta")
    env.reset(seed=21)
    rng = np.random.default_rng(3)
    for _ in range(5):
        env.step(rng.random(env.action_space.shape[0], dtype=np.float32) * 0.4)
    obs = np.empty((1, env.table.obs_dim), dtype=np.float32)
    t = env.table
    K.observe_agents(env._lab, env._world, t.world.params, t.world.hubs, t.seat_agent, t.logs, np.zeros(1), obs)
    return env, obs[0], env.bot_observation(0)


def test_entries_match_the_bot_api_observation(mid_game):
    env, obs, seen = mid_game
    at = {name: obs[k] for k, name in enumerate(env.observation_names)}
    ref = env.table.world.params[K.P.PACKAGE_REF]
    expected = {
        "time.progress": seen.quarter / seen.quarters,
        "me.cash": slog(seen.me.cash), "me.debt": slog(seen.me.debt), "me.valuation": slog(seen.me.valuation),
        "me.runway": seen.me.runway / 99.0, "me.burn": slog(seen.me.burn), "me.online": slog(seen.me.online),
        "me.stage": seen.me.stage / 4, "me.researchers": slog(seen.me.researchers), "me.package": seen.me.package / ref,
        "me.quality": seen.me.quality / 5, "me.quality_rank": (seen.me.quality_rank - 1) / 4,
        "me.share": seen.me.share, "me.culture": seen.me.culture, "me.rank": (seen.me.rank - 1) / 4,
        "last.hires_won": slog(seen.me.last_quarter["hires_won"]),
        "last.gpus_delivered": slog(seen.me.last_quarter["gpus_delivered"]),
        "market.spot": seen.market.spot, "market.sentiment": seen.market.sentiment,
        "market.gpu_installed_cost": slog(seen.market.gpu_installed_cost * 1000),
        "market.cloud_pool": slog(seen.market.cloud_pool), "market.frontier": seen.market.frontier / 5,
        f"market.regime_{seen.market.regime}": 1.0,
        "me.velocity": seen.me.velocity, "me.escape_in": -1.0 if seen.me.escape_in < 0 else seen.me.escape_in / 4,
        "market.equity_pool": slog(seen.market.equity_pool), "market.loan_pool": slog(seen.market.loan_pool),
        "me.talent_density": seen.me.talent_density,
    }
    for hub in seen.me.hubs:
        expected[f"hub[{hub.id}].gpus"] = slog(hub.gpus)
        expected[f"hub[{hub.id}].mw_building"] = slog(hub.mw_building)
        expected[f"hub[{hub.id}].headroom"] = slog(hub.headroom_mw)
        expected[f"hub[{hub.id}].export_blocked"] = float(hub.export_blocked)
        expected[f"hub[{hub.id}].revenue_factor"] = hub.revenue_factor
        expected[f"hub[{hub.id}].talent_factor"] = hub.talent_factor
        expected[f"hub[{hub.id}].subsidy_per_gpu"] = slog(hub.subsidy_per_gpu * 1000)
        expected[f"hub[{hub.id}].export_risk"] = hub.export_risk
        expected[f"hub[{hub.id}].regulatory_risk"] = hub.regulatory_risk
        expected[f"hub[{hub.id}].sovereign_funding"] = hub.sovereign_funding
    for rival in seen.rivals:  # rival k is k seats after lab 0
        k = rival.index
        expected[f"rival[{k}].gpus"] = slog(rival.gpus)
        expected[f"rival[{k}].share"] = rival.share
        expected[f"rival[{k}].valuation"] = slog(rival.valuation)
        expected[f"rival[{k}].partner_take"] = slog(rival.partner_take)
        expected[f"rival[{k}].quality_rank"] = (rival.quality_rank - 1) / 4
        expected[f"rival[{k}].rank"] = (rival.rank - 1) / 4
        expected[f"rival[{k}].alive"] = float(rival.status == "alive")
        expected[f"rival[{k}].escape_in"] = -1.0 if rival.escape_in < 0 else rival.escape_in / 4
    for name, value in expected.items():
        assert at[name] == pytest.approx(min(10.0, value), abs=1e-4, rel=1e-4), name
    assert np.isfinite(obs).all() and np.abs(obs).max() <= K.OBS_BOUND


def test_a_rivals_partner_take_is_seen_as_the_bot_api_shows_it():
    """A compute partner's share of a rival's revenue is public (``RivalView.partner_take``): investors
    value only the revenue a lab keeps, and the env's rival block shows it as bots see it."""
    env = E.BlitzgameEnv(rivals=["defender", "efficient", "defender", "efficient"])
    env.reset(seed=5)
    for _ in range(3):
        obs, *_ = env.step(env.no_op_action())
    seen = env.bot_observation(0)
    takes = {rival.index: rival.partner_take for rival in seen.rivals}
    assert min(takes.values()) > 0.0  # the defender and the efficiency player partner
    for k, take in takes.items():
        assert obs[env.observation_names.index(f"rival[{k}].partner_take")] == pytest.approx(slog(take), abs=1e-4, rel=1e-4)


def test_a_rivals_private_state_is_not_seen(mid_game):
    """Change everything a rival keeps to itself: lab 0's observation must not move."""
    env, _, _ = mid_game
    t = env.table
    labs, world = env.state_labs, env.state_world

    def seen_by_0(state) -> np.ndarray:
        out = np.empty(t.obs_dim, dtype=np.float32)
        K.observe(state, world, t.world.params, t.world.hubs, 0, t.logs, out)
        return out

    before = seen_by_0(labs)
    private = [F.CASH, F.DEBT, F.STAKE, F.RESEARCHERS, F.TALENT_QUALITY, F.STAFF, F.PACKAGE, F.CULTURE, F.TECH_DEBT,
               F.EFFICIENCY, F.SILICON, F.BACKLOG, F.STRANDED, F.GPUS, F.EQUITY_ASKED, F.HIRES_ASKED, F.ATTRITION,
               F.OUT_GPUS, F.IN_EQUITY, F.EVENT, F.TRAIN_RUN, F.DEMAND, F.MW_ASKED, F.VELOCITY]
    private += [F.HUB_GPUS + h for h in range(5)] + [F.HUB_MW + h for h in range(5)]
    changed = labs.copy()
    for lab in range(1, 5):
        for field in private:
            changed[lab, field] = changed[lab, field] * 3.0 + 7.0
    assert np.array_equal(seen_by_0(changed), before)
    changed[2, F.SHARE] += 0.1  # a public figure does show
    assert not np.array_equal(seen_by_0(changed), before)


def test_escape_velocity_shows_for_the_lab_and_its_rivals(mid_game):
    """A lab dominant for a quarter is 3 of 4 quarters from escape velocity: its own entry and
    every other lab's rival entry for it read 3/4, as the Bot API's ``escape_in`` says 3."""
    env, _, _ = mid_game
    t = env.table
    labs, world = env.state_labs.copy(), env.state_world
    names = t.observation_names

    def seen_by(i: int) -> dict[str, float]:
        out = np.empty(t.obs_dim, dtype=np.float32)
        K.observe(labs, world, t.world.params, t.world.hubs, i, t.logs, out)
        return dict(zip(names, out.tolist()))

    assert all(v == -1.0 for name, v in seen_by(0).items() if name.endswith("escape_in"))
    labs[2, F.STATUS], labs[2, F.DOMINANT_QUARTERS] = F.ALIVE, 1.0
    assert t.world.params[P.DOMINANCE_QUARTERS] == 4.0
    assert seen_by(2)["me.escape_in"] == pytest.approx(3 / 4)
    assert seen_by(0)["rival[2].escape_in"] == pytest.approx(3 / 4)  # lab 2 is 2 seats after lab 0
    assert seen_by(4)["rival[3].escape_in"] == pytest.approx(3 / 4)  # ... and 3 after lab 4
    assert seen_by(0)["me.escape_in"] == -1.0 and seen_by(0)["rival[1].escape_in"] == -1.0


def test_the_log_scaling_is_the_engines_log10_1p():
    """The same bits as the engine's fast log10(1 + x), but 0 for 0 (where the quartic is 3e-5 off)."""
    from blitzgame.engine.fastmath import log10_1p

    values = np.array([0.0, 0.5, 3.0, 99.0, 12345.6, 4.2e6, 1e9, 3e12, -5.0, -1e6], dtype=np.float32)
    out = values.copy()
    K._finish(out, len(out), np.ones(len(out), dtype=np.bool_))
    for v, got in zip(values.astype(np.float64), out):
        want = math.copysign(log10_1p(abs(v)), v) if v != 0.0 else 0.0  # (a figure of 0 reads 0, exactly)
        assert got == np.float32(max(-10.0, min(10.0, want))), v
    assert log10_1p(0.0) != 0.0 and out[0] == 0.0 and not np.signbit(out[0])
    out = np.array([np.nan, np.inf, -np.inf, 11.0, -0.25], dtype=np.float32)
    K._finish(out, len(out), np.zeros(len(out), dtype=np.bool_))
    assert out.tolist() == [0.0, 10.0, -10.0, 10.0, -0.25]
    # past 2**64 too: the largest figures (and infinities) scale to the bound with their sign
    out = np.array([3e38, -3e38, 2e19, np.inf, -np.inf, np.nan], dtype=np.float32)
    K._finish(out, len(out), np.ones(len(out), dtype=np.bool_))
    assert out.tolist()[:5] == [math.copysign(min(10.0, log10_1p(abs(float(v)))), v) if np.isfinite(v) else
                                math.copysign(10.0, v) for v in (3e38, -3e38, np.float32(2e19), np.inf, -np.inf)]
    assert out[5] == 0.0


def test_a_reset_shows_the_start_as_observing_it_would():
    """Resets hand out the start's observation worked out once (``Table.obs0``): it must be
    what observing the start state gives, for every seed."""
    env = E.BlitzgameEnv(reward="score_delta")
    t = env.table
    for seed in (0, 5, 2**40):
        shown, _ = env.reset(seed=seed)
        obs = np.empty((1, t.obs_dim), dtype=np.float32)
        baseline = np.zeros(1)
        K.observe_agents(env._lab, env._world, t.world.params, t.world.hubs, t.seat_agent, t.logs, baseline, obs)
        assert np.array_equal(shown, obs[0]) and env._prev[0] == baseline[0]
    pz = E.parallel_env(labs=3)
    first, _ = pz.reset(seed=9)
    obs = np.empty((3, pz.table.obs_dim), dtype=np.float32)
    K.observe_agents(pz._lab, pz._world, pz.table.world.params, pz.table.world.hubs, pz.table.seat_agent,
                     pz.table.logs, np.zeros(3), obs)
    assert all(np.array_equal(first[agent], obs[i]) for i, agent in enumerate(pz.possible_agents))
