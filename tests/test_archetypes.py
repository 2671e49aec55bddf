"""The built-in bots (M10): data-driven, distinct in their orders, and playing whole games.

Each archetype's signature shows in the orders it gives from the same state; a batch of
games between built-in bots is the same game ``sim`` plays with the same seed and lineup.
"""

import numpy as np
import pytest

from blitzgame.assets import AssetError, assets_dir, read_toml, validate
from blitzgame.bots import arena as A
from blitzgame.bots import knobs as K
from blitzgame.bots.base import CompiledBot, available_bots, knob_row, make_bot
from blitzgame.bots.policies import GRID_SCARCE_QUARTERS, MAX_TRAIN_SPLIT, grid_scarce
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.metrics import serving_capacity
from blitzgame.engine.people import DEATH_ZONE_HIGH, DEATH_ZONE_LOW
from blitzgame.schemas.assets import Archetypes
from blitzgame.session.game import Game
from blitzgame.session.world import LabSetup, default_setups
from blitzgame.tournament.batch import play_batch

ARCHETYPES = ("sprinter", "platform", "integrator", "pure", "defender", "efficient")


# --- the data ---------------------------------------------------------------------------------
def test_every_builtin_bot_has_a_name_a_strategy_line_and_a_paragraph():
    bots = available_bots()
    assert set(ARCHETYPES) | {"greedy", "random", "baseline"} <= set(bots)
    for name, cls in bots.items():
        assert issubclass(cls, CompiledBot) and cls.name == name
        assert cls.title and cls.summary and "\n" not in cls.summary
        assert len(cls.description) > 100, name
    for name in ARCHETYPES:
        assert bots[name].code == K.CODE_ARCHETYPE and bots[name].knobs.shape == (K.KNOB_COUNT,)


def _archetype_data() -> dict:
    return read_toml(assets_dir() / "archetypes.toml")


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["bot"][0]["knobs"].update(premium=-1.0), "knobs.premium"),
    (lambda d: d["bot"][1].update(name=d["bot"][0]["name"]), "repeated: sprinter"),
    (lambda d: d["bot"][0].update(code="psychic"), "code"),
    (lambda d: d["bot"][-1].update(knobs={"premium": 0.1}), "only archetype and strategist bots have knobs"),
])
def test_a_bad_archetype_file_is_refused_naming_the_field(change, expected):
    data = _archetype_data()
    change(data)
    with pytest.raises(AssetError) as error:
        validate(Archetypes, data, "archetypes.toml")
    assert "archetypes.toml" in str(error.value) and expected in str(error.value)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda knobs: knobs.pop("premium"), "missing premium"),
    (lambda knobs: knobs.update(turbo=1.0), "unknown turbo"),
])
def test_an_archetype_whose_knobs_its_policy_does_not_know_is_refused(change, expected):
    data = _archetype_data()
    change(data["bot"][0]["knobs"])
    entry = validate(Archetypes, data, "archetypes.toml").bot[0]
    with pytest.raises(AssetError, match=f"archetypes.toml: bot sprinter: knobs: {expected}"):
        knob_row(entry, "archetypes.toml")


def test_the_shipped_archetype_file_is_valid():
    assert [b.name for b in validate(Archetypes, _archetype_data(), "archetypes.toml").bot][:6] == list(ARCHETYPES)


# --- behaviour: the same state, six different plans ------------------------------------------
@pytest.fixture(scope="module")
def startup_game(world):
    """Quarter 4 of a base-2024 game, seen from the startup in seat 3 (a spot price above 1)."""
    game = Game.new(world, seed=3, labs=5)
    baseline = make_bot("baseline")
    for _ in range(4):
        for lab in range(5):
            game.submit(lab, baseline.orders_for(game, lab))
        game.advance()
    assert game.alive(3) and game.state_world[F.SPOT] > 1.0
    return game


def _orders(game, name, lab=3) -> np.ndarray:
    return make_bot(name).orders_for(game, lab).to_array(game.world.hub_ids)


def test_the_six_archetypes_give_six_different_plans_from_the_same_state(startup_game):
    plans = {name: _orders(startup_game, name) for name in ARCHETYPES}
    assert len({plan.tobytes() for plan in plans.values()}) == len(ARCHETYPES)


def test_the_sprinter_pays_a_premium_rents_and_opens_its_weights(startup_game):
    plan = _orders(startup_game, "sprinter")
    assert plan[F.O_PREMIUM] > 0.0 and plan[F.O_RENT] > 0.0 and plan[F.O_OPEN_SOURCE] == 1.0
    assert plan[F.O_TRAIN_SPLIT] > _orders(startup_game, "defender")[F.O_TRAIN_SPLIT]


@pytest.mark.parametrize("name", ARCHETYPES)
def test_an_archetype_rents_with_the_power_budget_full_grids_leave(startup_game, name):
    """With every grid full, the money an archetype meant for new power is not built; it rents
    compute, which needs no power (M13)."""
    game = Game.replay(startup_game.world, startup_game.seed, startup_game.setups, startup_game.orders_log)
    world, hubs = game.state_world, game.world.hub_ids
    game.state_labs[3, F.CASH] = 5_000.0  # well beyond its reserve
    world[F.CLOUD_POOL] = 1e9  # (so the cloud's pool does not cap either plan's rental)
    open_grids = _orders(game, name)
    world[F.HEADROOM:F.HEADROOM + len(hubs)] = 0.0
    full_grids = _orders(game, name)
    mw = slice(F.O_MW, F.O_MW + len(hubs))
    built = open_grids[mw].sum()
    assert built > 0.0 and full_grids[mw].sum() == 0.0
    assert full_grids[F.O_RENT] > open_grids[F.O_RENT]  # the unbuilt budget rents instead


@pytest.mark.parametrize("name", ARCHETYPES)
def test_an_archetype_builds_at_the_next_hub_with_grid_when_its_favourites_are_full(startup_game, name):
    """Its favourite hubs' grids full, the power it meant to build goes to the next hubs with grid
    to spare before any of it rents (a power crunch's land rush, M5)."""
    game = Game.replay(startup_game.world, startup_game.seed, startup_game.setups, startup_game.orders_log)
    world, hubs = game.state_world, game.world.hub_ids
    game.state_labs[3, F.CASH] = 5_000.0
    world[F.CLOUD_POOL] = 1e9
    mw = slice(F.O_MW, F.O_MW + len(hubs))
    favourites = np.flatnonzero(_orders(game, name)[mw] > 0.0)
    spare = next(h for h in range(len(hubs)) if h not in favourites and not game.world.hubs[h, F.HP_EXPORT_CONTROLLED])
    world[F.HEADROOM:F.HEADROOM + len(hubs)] = 0.0
    world[F.HEADROOM + spare] = 1_000.0
    plan = _orders(game, name)
    assert plan[F.O_MW + spare] > 0.0 and plan[mw].sum() == plan[F.O_MW + spare]


def test_a_power_crunch_is_read_from_the_grid_left_against_the_vendors_shipments():
    """``grid_scarce``: power-crunch's grids could power two years of shipments when it starts, not
    once its labs have built on a third of them (its first quarter's rush); base-2024's until they
    have built on most of them."""
    for scenario, still, short in (("power-crunch", 1.0, 0.65), ("base-2024", 0.5, 0.1)):
        game = Game.new(scenario, seed=1)
        grids = game.state_world[F.HEADROOM:F.HEADROOM + len(game.world.hub_ids)]
        start = grids.copy()
        grids[:] = still * start
        assert not grid_scarce(game.state_world, game.world.hubs)
        grids[:] = short * start
        assert grid_scarce(game.state_world, game.world.hubs)


@pytest.mark.parametrize("name", ARCHETYPES)
def test_in_a_power_crunch_an_archetype_secures_the_grid_and_buys_the_gpus_later(startup_game, name):
    """The budget it gives to power buys each MW at its build cost alone once the grid is scarce,
    where it had kept money for the GPUs the MW will run: the same money, more MW (M5)."""
    game = Game.replay(startup_game.world, startup_game.seed, startup_game.setups, startup_game.orders_log)
    world, hubs = game.state_world, game.world
    game.state_labs[3, F.CASH] = 2_000.0
    mw = slice(F.O_MW, F.O_MW + len(hubs.hub_ids))
    world[F.HEADROOM:F.HEADROOM + len(hubs.hub_ids)] = 1e5
    plenty = _orders(game, name)
    threshold = GRID_SCARCE_QUARTERS * world[F.VENDOR_SUPPLY]  # GPUs; spread just under it over the hubs
    world[F.HEADROOM:F.HEADROOM + len(hubs.hub_ids)] = 0.99 * threshold / len(hubs.hub_ids) / hubs.hubs[:, F.HP_GPUS_PER_MW]
    assert grid_scarce(world, hubs.hubs)
    crunch = _orders(game, name)
    assert plenty[mw].sum() > 0.0
    assert crunch[mw].sum() > 2.0 * plenty[mw].sum()
    assert crunch[F.O_MW + np.argmax(plenty[mw])] > plenty[mw].max()  # its favourite first
    unchanged = [k for k in range(F.ORDER_FIELDS) if not F.O_MW <= k < F.O_MW + len(hubs.hub_ids) and k != F.O_RENT]
    assert (crunch[unchanged] == plenty[unchanged]).all()  # only power (and what a full grid leaves to rent) moved


@pytest.mark.parametrize("name", ARCHETYPES)
def test_an_archetype_serves_half_again_what_its_customers_wanted_and_trains_the_rest(startup_game, name):
    """``serve_margin``: the split leaves serving compute for that multiple of last quarter's
    demand (the engine's own ``serving_capacity``), never below the style's split, at most 85%."""
    game = Game.replay(startup_game.world, startup_game.seed, startup_game.setups, startup_game.orders_log)
    knobs, w, lab = make_bot(name).knobs, game.world, game.state_labs
    assert knobs[K.SERVE] == 1.5
    full = serving_capacity(lab, 3, game.state_world, w.params, 0.0)
    assert full > 0.0

    def split_for(demand: float) -> float:
        lab[3, F.DEMAND] = demand
        return _orders(game, name)[F.O_TRAIN_SPLIT]

    assert split_for(0.0) == knobs[K.TRAIN]  # nothing to go by: the style's split
    assert split_for(full) == knobs[K.TRAIN]  # customers want all it can serve
    assert split_for(1e-6 * full) == MAX_TRAIN_SPLIT  # customers want next to nothing: most of it trains
    split = split_for(0.2 * full)  # serving 30% of its compute covers them half again
    assert split == pytest.approx(0.7) and split >= knobs[K.TRAIN]
    assert serving_capacity(lab, 3, game.state_world, w.params, split) == pytest.approx(1.5 * 0.2 * full)


def test_the_sprinter_and_the_pure_blitzscaler_sell_stock_every_quarter_even_in_a_panic(startup_game):
    """Their steady round (``raise_always``) asks whatever the mood; the cautious archetypes'
    rounds wait for warmer investors, so in a panic they ask for a sliver at most."""
    game = Game.replay(startup_game.world, startup_game.seed, startup_game.setups, startup_game.orders_log)
    game.state_world[F.SENTIMENT] = 0.2  # investors in a panic
    game.refresh_views()
    valuation = game.state_labs[3, F.VALUATION]
    for name in ("sprinter", "pure"):
        assert _orders(game, name)[F.O_EQUITY] >= 0.08 * valuation, name
    for name in ("integrator", "efficient"):
        assert _orders(game, name)[F.O_EQUITY] <= 0.01 * valuation, name


def test_the_platform_builds_power_at_several_hubs(startup_game):
    plan = _orders(startup_game, "platform")
    assert np.count_nonzero(plan[F.O_MW:F.O_MW + F.MAX_HUBS]) >= 3


def test_the_integrator_invests_in_custom_silicon_and_borrows(startup_game):
    plan = _orders(startup_game, "integrator")
    assert plan[F.O_SILICON_RND] > 0.0 and plan[F.O_DEBT] > 0.0
    assert all(_orders(startup_game, other)[F.O_SILICON_RND] == 0.0 for other in ARCHETYPES if other != "integrator")


def test_the_pure_blitzscaler_raids_talent_borrows_and_builds_at_risky_hubs(startup_game):
    plan = _orders(startup_game, "pure")
    ref = startup_game.world.params[P.PACKAGE_REF]
    assert plan[F.O_PACKAGE] >= 1.7 * ref
    assert plan[F.O_PACKAGE] == max(_orders(startup_game, n)[F.O_PACKAGE] for n in ARCHETYPES)
    assert plan[F.O_DEBT] > 0.0
    risky = [startup_game.world.hub_index(h) for h in ("middle_east", "china")]
    assert any(plan[F.O_MW + h] > 0.0 for h in risky)


def test_the_defender_partners_for_compute_and_keeps_out_of_the_death_zone(startup_game):
    plan = _orders(startup_game, "defender")
    assert plan[F.O_PARTNERSHIP] > 0.0
    owned = startup_game.state_labs[3, F.GPUS] + startup_game.state_labs[3, F.BACKLOG]
    assert owned > make_bot("defender").knobs[K.NICHE]
    ordered = plan[F.O_GPUS:F.O_GPUS + F.MAX_HUBS].sum()
    if owned < DEATH_ZONE_LOW:
        assert ordered == 0.0  # past its niche, below the zone: no more GPUs while they are dear
    else:
        assert ordered > 0.0  # inside the zone: it grows across rather than linger (M7)


@pytest.mark.parametrize("seed", range(2, 8))
def test_a_niche_defender_enters_the_death_zone_only_to_cross_it(world, seed):
    """Below the zone a defender keeps to its niche; it buys more only in a glut, and only when
    the order would carry it past 10,000 GPUs."""
    game = Game.new(world, seed=seed, labs=5)
    players = [make_bot(n) for n in ("platform", "sprinter", "pure", "defender", "integrator")]
    niche = make_bot("defender").knobs[K.NICHE]
    while not game.over and game.alive(3):
        w = game.state_world
        cheap = w[F.SPOT] < 1.0 or w[F.MUSIC_STOPPED] > 0.0
        fleet = game.state_labs[3, F.GPUS] + game.state_labs[3, F.BACKLOG]
        for lab, bot in enumerate(players):
            game.submit(lab, bot.orders_for(game, lab))
        ordered = sum(game.pending[3].gpus.values())
        if fleet < DEATH_ZONE_LOW and ordered > 0.0:
            assert fleet + ordered <= niche + 1e-6 or (cheap and fleet + ordered >= DEATH_ZONE_HIGH)
        game.advance()


def test_the_efficiency_player_spends_on_efficiency_and_waits_for_cheap_gpus(startup_game):
    plan = _orders(startup_game, "efficient")
    assert plan[F.O_EFFICIENCY_RND] == max(_orders(startup_game, n)[F.O_EFFICIENCY_RND] for n in ARCHETYPES)
    assert plan[F.O_GPUS:F.O_GPUS + F.MAX_HUBS].sum() == 0.0  # spot above list: no GPUs


def test_greedy_spends_all_its_cash_on_gpus_and_builds_no_power(startup_game):
    plan = _orders(startup_game, "greedy")
    lab = startup_game.state_labs[3]
    w = startup_game.state_world
    unit = w[F.LIST_PRICE] * w[F.SPOT] + startup_game.world.params[P.INFRA_CAPEX_PER_GPU]
    assert plan[F.O_GPUS:F.O_GPUS + F.MAX_HUBS].sum() * unit == pytest.approx(lab[F.CASH])
    assert plan[F.O_MW:F.O_MW + F.MAX_HUBS].sum() == 0.0


def test_random_orders_are_valid_vary_and_replay_exactly(startup_game):
    first = [make_bot("random").orders_for(startup_game, lab) for lab in range(5)]
    again = [make_bot("random").orders_for(startup_game, lab) for lab in range(5)]
    assert first == again  # drawn from the game's keyed random numbers
    assert len({o.model_dump_json() for o in first}) == 5


def test_dead_labs_give_empty_orders(world):
    game = Game.new(world, seed=1, labs=2)
    game.state_labs[1, F.STATUS] = F.BANKRUPT
    for name in available_bots():
        assert not np.any(_orders(game, name, lab=1)), name


# --- whole games ----------------------------------------------------------------------------
def test_a_batch_game_is_the_game_sim_plays_with_the_same_seed_and_lineup(world):
    bots = ("pure", "defender", "random", "sprinter", "efficient")
    setups = default_setups(world, 5)
    out = play_batch(world, setups, bots, np.array([[0, 1, 2, 3, 4], [4, 3, 2, 1, 0]]), np.array([7, 8], dtype=np.uint64))
    for g, order in enumerate(([0, 1, 2, 3, 4], [4, 3, 2, 1, 0])):
        game = Game.new(world, seed=7 + g, labs=setups)
        players = [make_bot(bots[k]) for k in order]
        quarters = 0
        while not game.over:
            for lab, bot in enumerate(players):
                game.submit(lab, bot.orders_for(game, lab))
            game.advance()
            quarters += 1
        assert out.played[g] == quarters
        assert out.labs[g].tobytes() == game.state_labs.tobytes()
        assert out.worlds[g].tobytes() == game.state_world.tobytes()


def test_arena_stats_follow_the_game(world):
    bots = ("sprinter", "platform", "integrator", "pure", "greedy")
    setups = [LabSetup(f"L{k}", "startup", world.hub_ids[k]) for k in range(5)]
    seats = np.array([[0, 1, 2, 3, 4]])
    out = play_batch(world, setups, bots, seats, np.array([11], dtype=np.uint64))
    game = Game.new(world, seed=11, labs=setups)
    players = [make_bot(b) for b in bots]
    online, stranded = [], []
    while not game.over:
        for lab, bot in enumerate(players):
            game.submit(lab, bot.orders_for(game, lab))
        game.advance()
        online.append(game.state_labs[:, F.ONLINE].copy())
        gpus = game.state_labs[:, F.GPUS]
        share = np.where(gpus > 0, game.state_labs[:, F.STRANDED] / np.maximum(gpus, 1), 0)
        alive = (game.state_labs[:, F.STATUS] == F.ALIVE) & (game.state_labs[:, F.GPUS] > 0)
        stranded.append(np.where(alive, share, 0.0))
    stats = out.stats[0]
    online = np.array(online)
    assert np.array_equal(stats[:, A.ST_GPUS_Y2], online[A.YEAR_TWO - 1])
    for lab in range(5):
        reached = np.nonzero(online[:, lab] >= 10000)[0]
        assert stats[lab, A.ST_Q_10K] == (reached[0] if reached.size else -1)
    assert np.allclose(stats[:, A.ST_STRANDED_SUM], np.array(stranded).sum(axis=0))
    assert (greedy := stats[4, A.ST_STRANDED_SUM] / max(stats[4, A.ST_STRANDED_QUARTERS], 1)) > 0.3, greedy
    music = out.worlds[0, F.MUSIC_QUARTER]
    assert (stats[:, A.ST_RUNWAY_AT_STOP] >= 0).all() == (music >= 0)
