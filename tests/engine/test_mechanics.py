"""One test (or a few) per mechanic of docs/design.md §3, each against a counterfactual.

Each test starts from a fresh game in a "calm" copy of the world (no random fines,
heatwaves or export controls unless the test wants them), edits the state arrays to
isolate one rule, resolves a quarter through the session (so reports are built too),
and compares with the same game without the cause.
"""

import dataclasses

import numpy as np
import pytest

from blitzgame.bots.policies import GRID_SCARCE_QUARTERS
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine import turn
from blitzgame.engine.batch import resolve_games
from blitzgame.engine.people import researchers_needed
from blitzgame.engine.rng import game_key
from blitzgame.engine.turn import SCORE_PER_MUSD, fair_value, full_run, kept_revenue, run_scale, stage, tier_ceiling, value_parts
from blitzgame.formats import count, money, money_apart
from blitzgame.schemas.assets import quarter_index
from blitzgame.session.game import Game, Snapshot
from blitzgame.session.headless import bots_for
from blitzgame.session.world import LabSetup, World, compile_world


# --- building controlled games ----------------------------------------------------------
def calm(world: World) -> World:
    """A private copy of ``world`` with no random fines, heatwaves or export controls."""
    copy = dataclasses.replace(world, params=world.params.copy(), hubs=world.hubs.copy(),
                               sched=world.sched.copy())
    copy.hubs[:, F.HP_HEAT_RISK] = 0.0
    copy.hubs[:, F.HP_REGULATORY_RISK] = 0.0
    copy.hubs[:, F.HP_EXPORT_RISK] = 0.0
    return copy


def lab_game(world: World, *labs: tuple[str, str], seed: int = 0) -> Game:
    """A game of the given (position, hub) labs."""
    setups = [LabSetup(f"Lab {k}", position, hub) for k, (position, hub) in enumerate(labs)]
    return Game(world, seed, setups)


def hub(game: Game, hub_id: str) -> int:
    return game.world.hub_index(hub_id)


def put_fleet(game: Game, lab: int, hub_id: str, gpus: float, powered: float | None = None) -> None:
    """Move all of a lab's GPUs to one hub, with power built for ``powered`` of them (all by default)."""
    row = game.state_labs[lab]
    h = hub(game, hub_id)
    for block in (F.HUB_GPUS, F.HUB_BACKLOG, F.HUB_MW, F.HUB_ONLINE, F.HUB_STRANDED):
        row[block:block + F.MAX_HUBS] = 0.0
    row[F.HUB_MW_PIPE:F.HUB_MW_PIPE + F.MAX_HUBS * F.PIPE] = 0.0
    powered = gpus if powered is None else powered
    row[F.HUB_GPUS + h] = gpus
    row[F.HUB_MW + h] = powered / game.world.hubs[h, F.HP_GPUS_PER_MW] * (1.0 + 1e-9)
    online = min(gpus, powered)
    row[F.HUB_ONLINE + h] = online
    row[F.HUB_STRANDED + h] = gpus - online
    row[F.GPUS] = gpus
    row[F.ONLINE] = online
    row[F.STRANDED] = gpus - online
    row[F.BACKLOG] = 0.0


def edited(game: Game) -> Game:
    """The hand-edited arrays become the quarter's starting snapshot (reports compare to it)."""
    game.history[-1] = Snapshot(game.state_labs.copy(), game.state_world.copy())
    return game


def play(game: Game, orders: dict[int, dict] | None = None):
    for lab, o in (orders or {}).items():
        game.submit(lab, o)
    game.advance()
    return game.reports[-1]


def lines(report, lab: int) -> str:
    return "\n".join(n.text for n in report.news if n.lab == lab)


def world_lines(report) -> str:
    return "\n".join(n.text for n in report.news if n.lab is None)


# --- M1 GPU scaling stages ---------------------------------------------------------------
@pytest.mark.parametrize("gpus, expected", [
    (0, 0), (1, 0), (99, 0), (99.999, 0), (100, 1), (999, 1), (1000, 2), (9999, 2),
    (10000, 3), (99999, 3), (100000, 4), (2_000_000, 4),
])
def test_m1_stage_thresholds(gpus, expected):
    assert stage(float(gpus)) == expected


def test_m1_each_10x_of_gpus_lifts_the_model_tier_ceiling(world):
    """Quality can only be trained up to stage + 1: a 500-GPU lab is stuck below 2.0, a
    5,000-GPU lab with the same team and the same lucky runs goes past it."""
    w = calm(world)
    w.params[P.TRAIN_BASE] = 1.0  # every run succeeds, so only the ceiling differs
    w.params[P.TRAIN_MAX] = 1.0
    game = lab_game(w, ("startup", "nordics"), ("startup", "nordics"))
    put_fleet(game, 0, "nordics", 500.0)
    put_fleet(game, 1, "nordics", 5000.0)
    for lab in (0, 1):
        game.state_labs[lab, F.QUALITY] = 1.5
        game.state_labs[lab, F.RESEARCHERS] = 200.0
        game.state_labs[lab, F.CASH] = 5000.0  # enough to pay the team all along (M7 makes it dear)
    game.state_world[F.FRONTIER] = 1.5
    edited(game)
    for _ in range(6):
        report = play(game, {0: {"train_split": 1.0}, 1: {"train_split": 1.0}})
        assert game.state_labs[:, F.TRAIN_RUN].tolist() == [1.0, 1.0]
        # the small lab's ceiling is tier 2 (stage 1 + 1), even as the frontier moves past it
        assert game.state_labs[0, F.QUALITY] <= 2.0
    assert game.state_labs[0, F.QUALITY] == pytest.approx(2.0, abs=0.05)
    assert game.state_labs[1, F.QUALITY] > 2.5
    assert game.state_world[F.FRONTIER] == game.state_labs[1, F.QUALITY]
    obs = game.observe(1)
    assert (obs.me.stage, obs.me.stage_name) == (2, "Competitor")
    assert game.observe(0).me.stage_name == "Startup"
    assert "tier ceiling is 2" in lines(report, 0) and "tier ceiling is 3" in lines(report, 1)


def test_m1_stage_change_is_reported(world):
    w = calm(world)
    game = lab_game(w, ("startup", "nordics"), ("startup", "nordics"))
    put_fleet(game, 0, "nordics", 950.0, powered=2000.0)
    edited(game)
    report = play(game, {0: {"gpus": {"nordics": 300.0}}})  # a delivery that crosses 1,000
    assert game.state_labs[0, F.GPUS_DELIVERED] == pytest.approx(300.0)
    assert stage(game.state_labs[0, F.ONLINE]) == 2
    assert game.observe(0).me.stage_name == "Competitor"
    assert "Stage: Startup -> Competitor" in lines(report, 0)


# --- M2 flywheel ----------------------------------------------------------------------
def test_m2_flywheel_driver_names_the_link_that_moved_most(world):
    """Renting a big cluster moves compute most; a hiring spree moves talent most."""
    w = calm(world)
    game = lab_game(w, ("startup", "nordics"), ("startup", "virginia"))
    before = game.state_labs.copy()
    report = play(game, {0: {"rent": 15000.0}, 1: {"hire": 500.0, "train_split": 0.0}})
    after = game.state_labs
    assert after[0, F.RENTED] == pytest.approx(15000.0)
    assert after[0, F.DRIVER] == F.LINK_COMPUTE
    assert after[1, F.DRIVER] == F.LINK_TALENT
    links = (F.COMPUTE, F.RESEARCHERS, F.QUALITY, F.SHARE, F.REVENUE)  # in LINK_* order
    floors = (1.0, 1.0, 0.1, 0.01, 1.0)  # a relative change is never taken against less
    for lab in (0, 1):
        relative = [abs(after[lab, f] - before[lab, f]) / max(abs(before[lab, f]), floor)
                    for f, floor in zip(links, floors)]
        assert int(after[lab, F.DRIVER]) == int(np.argmax(relative))
        # each link's entry moves with the sign of the link's change
        moves = after[lab, F.FLYWHEEL:F.FLYWHEEL + 5]
        for k, field in enumerate(links):
            assert np.sign(moves[k]) == np.sign(after[lab, field] - before[lab, field])
    assert "Flywheel: compute moved most" in lines(report, 0)
    assert "Flywheel: talent moved most" in lines(report, 1)


# --- M3 velocity: diffusion, lock-in, magnetism -----------------------------------------------
def _diffusion_game(world, *, open_source: bool = False, small_follower: bool = False):
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
    put_fleet(game, 0, "nordics", 20000.0)
    put_fleet(game, 1, "nordics", 500.0 if small_follower else 20000.0)
    game.state_labs[0, F.QUALITY] = 3.5
    game.state_labs[1, F.QUALITY] = 1.5
    game.state_world[F.FRONTIER] = 3.5
    edited(game)
    orders = {0: {"train_split": 0.0, "open_source": open_source}, 1: {"train_split": 0.0}}
    return game, orders


def test_m3_quality_leads_decay_by_diffusion(world):
    """Without training, a follower closes 30% of the gap a quarter: a lead halves in ~2 quarters."""
    game, orders = _diffusion_game(world)
    diffusion = game.world.params[P.DIFFUSION]
    play(game, orders)
    labs = game.state_labs
    assert labs[0, F.TRAIN_RUN] == 0.0 and labs[1, F.TRAIN_RUN] == 0.0
    assert labs[0, F.QUALITY] == 3.5  # the leader does not move
    assert labs[1, F.QUALITY] == pytest.approx(1.5 + diffusion * 2.0)
    assert labs[1, F.QUALITY_GAIN] == pytest.approx(diffusion * 2.0)
    play(game, orders)
    lead = labs[0, F.QUALITY] - labs[1, F.QUALITY]
    assert lead == pytest.approx(2.0 * (1 - diffusion) ** 2)
    assert 0.4 < lead / 2.0 < 0.6  # ~2-quarter leadership window


def test_m3_open_weights_speed_diffusion(world):
    closed, orders = _diffusion_game(world)
    play(closed, orders)
    opened, orders = _diffusion_game(world, open_source=True)
    play(opened, orders)
    spread = world.params[P.DIFFUSION] + world.params[P.DIFFUSION_OPEN]
    assert opened.state_world[F.OPEN_MODELS] == 1.0
    assert opened.state_labs[1, F.QUALITY] == pytest.approx(1.5 + spread * 2.0)
    assert opened.state_labs[1, F.QUALITY] > closed.state_labs[1, F.QUALITY]


def test_m3_diffusion_cannot_lift_a_lab_past_its_tier_ceiling(world):
    game, orders = _diffusion_game(world, small_follower=True)  # 500 GPUs: ceiling 2.0
    play(game, orders)
    assert game.state_labs[1, F.QUALITY] == pytest.approx(2.0)


def test_m3_copying_the_frontier_takes_researchers(world):
    """Absorptive capacity: a follower with a tenth of the researchers its compute needs closes a
    tenth of the gap that a fully staffed one closes."""
    staffed, orders = _diffusion_game(world)
    play(staffed, orders)
    thin, orders = _diffusion_game(world)
    need = researchers_needed(thin.state_labs, 1, world.params)
    thin.state_labs[1, F.RESEARCHERS] = 0.1 * need
    play(edited(thin), orders)
    full_gain = staffed.state_labs[1, F.QUALITY_GAIN]
    assert full_gain == pytest.approx(world.params[P.DIFFUSION] * 2.0)
    assert thin.state_labs[1, F.QUALITY_GAIN] == pytest.approx(0.1 * full_gain, rel=0.05)  # a few left this quarter


def _two_lab_market(world, share: float, qualities: tuple[float, float], regime: int = F.REGIME_NONE):
    """Two challengers with 20k GPUs each in the Nordics, each holding ``share`` of the market,
    with these model qualities; one quarter played with ample serving capacity."""
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
    for lab, quality in enumerate(qualities):
        put_fleet(game, lab, "nordics", 20000.0)
        game.state_labs[lab, F.SHARE] = share
        game.state_labs[lab, F.QUALITY] = quality
    game.state_world[F.FRONTIER] = max(qualities)
    game.state_world[F.REGIME] = regime
    edited(game)
    play(game, {lab: {"train_split": 0.0, "partnership": 1.0} for lab in (0, 1)})
    return game.state_labs


def test_m3_customer_lock_in_moves_share_only_part_of_the_way(world):
    labs = _two_lab_market(world, 0.5, (3.5, 2.5))
    assert labs[0, F.REVENUE] == pytest.approx(labs[0, F.DEMAND])  # not capacity-limited
    lock = world.params[P.LOCK_IN]
    # the better model gains, but only (1 - lock_in) of the way to where appeal alone would put it
    assert 0.5 < labs[0, F.SHARE] < lock * 0.5 + (1 - lock) * 1.0
    assert labs[1, F.SHARE] > lock * 0.5
    assert labs[0, F.SHARE] + labs[1, F.SHARE] == pytest.approx(1.0)


def test_m3_bigger_clusters_pull_more_researchers(world):
    """Talent magnetism: with a scarce pool, the lab with 100x the GPUs wins more hires and raids."""
    w = calm(world)

    def run(big_gpus: float) -> np.ndarray:
        game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
        put_fleet(game, 0, "nordics", big_gpus)
        put_fleet(game, 1, "nordics", 500.0)
        employed = game.state_labs[:, F.RESEARCHERS].sum()
        game.state_world[F.TALENT_POOL] = employed + 100.0  # 100 free researchers
        edited(game)
        play(game, {0: {"hire": 300.0}, 1: {"hire": 300.0}})
        return game.state_labs

    big = run(50000.0)
    same = run(500.0)
    assert same[0, F.HIRES_WON] == pytest.approx(same[1, F.HIRES_WON])
    assert big[0, F.HIRES_WON] > 1.25 * big[1, F.HIRES_WON]
    assert big[0, F.HIRES_WON] > same[0, F.HIRES_WON] and big[1, F.HIRES_WON] < same[1, F.HIRES_WON]
    assert big[0, F.POACHED] > 0.0 and big[1, F.RAIDED] > 0.0  # the magnet raids the weaker lab
    assert same[0, F.RAIDED] == 0.0 and same[1, F.RAIDED] == 0.0


# --- M4 GPU shortage --------------------------------------------------------------------
def _shortage_game(world, supply: float, *, premium=(0.0, 0.0), relationship=(300.0, 300.0)):
    w = calm(world)
    game = lab_game(w, ("startup", "nordics"), ("startup", "nordics"))
    for lab in (0, 1):
        game.state_labs[lab, F.CASH] = 100000.0
        game.state_labs[lab, F.RELATIONSHIP] = relationship[lab]
    game.state_world[F.VENDOR_SUPPLY] = supply
    edited(game)
    orders = {lab: {"gpus": {"nordics": 5000.0}, "premium": premium[lab]} for lab in (0, 1)}
    return game, orders


def test_m4_when_orders_exceed_supply_premium_and_relationship_win_allocation(world):
    game, orders = _shortage_game(world, 1000.0, premium=(0.5, 0.0))
    report = play(game, orders)
    labs, w = game.state_labs, game.state_world
    assert w[F.SUPPLY] == 1000.0 and w[F.DEMAND_GPUS] == pytest.approx(10000.0)
    assert w[F.DELIVERED] == pytest.approx(1000.0)
    assert labs[0, F.GPUS_DELIVERED] + labs[1, F.GPUS_DELIVERED] == pytest.approx(1000.0)
    assert labs[0, F.GPUS_DELIVERED] > 1.5 * labs[1, F.GPUS_DELIVERED]  # the premium buys priority
    assert labs[0, F.BACKLOG] == pytest.approx(5000.0 - labs[0, F.GPUS_DELIVERED])
    assert labs[0, F.UNIT_PRICE] > labs[1, F.UNIT_PRICE]  # ... at a price
    assert "You got 667 of the 5,000 GPUs you could pay for" in lines(report, 0)
    assert "Vendors are short" in lines(report, 1)

    game, orders = _shortage_game(world, 1000.0, relationship=(100000.0, 0.0))
    play(game, orders)
    labs = game.state_labs
    assert labs[0, F.GPUS_DELIVERED] > 1.5 * labs[1, F.GPUS_DELIVERED]  # past buyers go first
    assert labs[0, F.RELATIONSHIP] == 100000.0 + labs[0, F.GPUS_DELIVERED]  # the rich get richer

    # counterfactual: with supply to spare everyone gets everything, at the same price
    game, orders = _shortage_game(world, 1e6, premium=(0.5, 0.0))
    play(game, orders)
    assert game.state_labs[0, F.GPUS_DELIVERED] == pytest.approx(5000.0)
    assert game.state_labs[1, F.GPUS_DELIVERED] == pytest.approx(5000.0)


def test_m4_shortage_raises_spot_price_and_lead_time(world):
    short, orders = _shortage_game(world, 1000.0)
    spot0 = short.state_world[F.SPOT]
    play(short, orders)
    glut, orders = _shortage_game(world, 1e6)
    play(glut, orders)
    assert short.state_world[F.SPOT] > spot0 > glut.state_world[F.SPOT]
    assert short.state_world[F.LEAD_TIME] > 1.0  # 9,000 GPUs of backlog over 1,000 a quarter
    assert glut.state_world[F.LEAD_TIME] == 0.0
    obs = short.observe(0)
    assert obs.market.spot == short.state_world[F.SPOT] and obs.market.lead_time > 1.0


def test_m4_orders_beyond_cash_are_not_delivered(world):
    game, orders = _shortage_game(world, 1e6)
    game.state_labs[0, F.CASH] = 50.0
    edited(game)
    play(game, orders)
    labs = game.state_labs
    assert labs[0, F.GPUS_WANTED] < 5000.0
    assert labs[0, F.OUT_GPUS] <= 50.0 + 1e-9
    assert labs[0, F.CASH] >= 0.0


# --- M5 power caps and hubs --------------------------------------------------------------
def test_m5_gpus_beyond_the_power_cap_sit_idle(world):
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
    put_fleet(game, 0, "nordics", 10000.0, powered=4000.0)
    put_fleet(game, 1, "nordics", 10000.0)
    edited(game)
    report = play(game)
    labs = game.state_labs
    h = hub(game, "nordics")
    assert labs[0, F.ONLINE] == pytest.approx(4000.0)
    assert labs[0, F.STRANDED] == pytest.approx(6000.0)
    assert labs[0, F.HUB_STRANDED + h] == pytest.approx(6000.0)
    assert labs[1, F.ONLINE] == pytest.approx(10000.0) and labs[1, F.STRANDED] == pytest.approx(0.0)
    # stranded capital: idle GPUs draw no power but still cost overhead
    energy = w.hubs[h, F.HP_ENERGY_PER_GPU]
    assert labs[0, F.OUT_POWER] == pytest.approx(4000.0 * energy)
    assert labs[1, F.OUT_POWER] == pytest.approx(10000.0 * energy)
    assert labs[0, F.OUT_OVERHEAD] == labs[1, F.OUT_OVERHEAD] == pytest.approx(10000.0 * w.params[P.OVERHEAD_PER_GPU])
    assert labs[0, F.COMPUTE] < 0.5 * labs[1, F.COMPUTE]
    assert "6,000 GPUs sit idle for lack of power" in lines(report, 0)
    assert game.observe(0).me.hubs[h].stranded == pytest.approx(6000.0)


def test_m5_a_grid_the_labs_fill_is_news(world):
    """A player's Nordic grid went from 75 MW free to none with no word of who took it."""
    game = Game.new(world, seed=1, labs=2)
    h = world.hub_index("nordics")
    game.state_world[F.HEADROOM + h] = 10.0
    report = play(edited(game), {0: {"power_mw": {"nordics": 50.0}}})
    assert (f"The {world.hub_names[h]} grid is full: the labs building there took its last 10.0 MW free; no more power "
            "connects there until the grid grows (M5).") in world_lines(report)
    assert "grid is full" not in world_lines(play(game, {0: {"power_mw": {"nordics": 5.0}}}))  # full already


def test_m5_a_power_crunch_is_news_when_it_begins(world):
    """The archetypes start to build power before GPUs once the grid is scarce (M10); every player
    reads the quarter that begins, once."""
    game = Game.new(world, seed=1, labs=2)
    assert "Power crunch" not in world_lines(play(game))
    h, w = world.hub_index("nordics"), game.state_world  # one grid left, just past scarce; a lab's build tips it
    enough = GRID_SCARCE_QUARTERS * w[F.VENDOR_SUPPLY] / world.hubs[h, F.HP_GPUS_PER_MW]  # MW
    w[F.HEADROOM:F.HEADROOM + len(world.hub_ids)] = 0.0
    w[F.HEADROOM + h] = 1.05 * enough
    said = world_lines(play(edited(game), {0: {"power_mw": {"nordics": 0.1 * enough}}}))
    assert (f"Power crunch: the grid left where vendors can ship ({0.95 * enough:,.0f} MW free) could not power "
            f"{GRID_SCARCE_QUARTERS:.0f} quarters of their shipments; rival labs the game plays now build power before "
            "GPUs: what is free goes to the labs that claim it soonest, and may be gone within a quarter or two "
            "(M5, M10).") in said
    assert "Power crunch" not in world_lines(play(game))  # said once, not every quarter
    scarce = Game.new(world, seed=1, labs=2)  # a world whose grid is scarce from the start: its first report
    scarce.state_world[F.HEADROOM:F.HEADROOM + len(world.hub_ids)] *= 0.1
    assert "Power crunch" in world_lines(play(edited(scarce)))


def test_m5_pue_sets_how_many_gpus_a_megawatt_runs(world):
    """The same 10 MW runs more GPUs in the Nordics (low PUE) than in the Middle East (high PUE)."""
    w = calm(world)
    game = lab_game(w, ("startup", "nordics"), ("startup", "middle_east"))
    for lab, hub_id in ((0, "nordics"), (1, "middle_east")):
        put_fleet(game, lab, hub_id, 20000.0, powered=0.0)
        game.state_labs[lab, F.HUB_MW + hub(game, hub_id)] = 10.0
    edited(game)
    play(game)
    kw = w.params[P.KW_PER_GPU]
    pue_nordics = w.hubs[hub(game, "nordics"), F.HP_PUE]
    pue_gulf = w.hubs[hub(game, "middle_east"), F.HP_PUE]
    assert pue_nordics < pue_gulf
    nordics, gulf = game.state_labs[0, F.ONLINE], game.state_labs[1, F.ONLINE]
    assert nordics == pytest.approx(10.0 * 1000.0 / (kw * pue_nordics))
    assert gulf == pytest.approx(10.0 * 1000.0 / (kw * pue_gulf))
    assert nordics / gulf == pytest.approx(pue_gulf / pue_nordics)


@pytest.mark.parametrize("hub_id", ["virginia", "nevada", "middle_east"])
def test_m5_power_arrives_after_the_hubs_build_lead_time(world, hub_id):
    w = calm(world)
    game = lab_game(w, ("challenger", hub_id), ("startup", "nordics"))
    h = hub(game, hub_id)
    lead = int(w.hubs[h, F.HP_BUILD_LEAD])
    mw0 = game.state_labs[0, F.HUB_MW + h]
    report = play(game, {0: {"power_mw": {hub_id: 50.0}}})
    assert game.state_labs[0, F.MW_GRANTED] == pytest.approx(50.0)
    assert game.state_labs[0, F.OUT_POWER_BUILD] == pytest.approx(50.0 * w.hubs[h, F.HP_BUILD_COST])
    assert "Started building 50.0 MW" in lines(report, 0)
    for _ in range(lead - 1):
        assert game.state_labs[0, F.HUB_MW + h] == mw0  # still under construction
        play(game)
    assert game.state_labs[0, F.HUB_MW + h] == mw0
    assert game.observe(0).me.hubs[h].mw_building == pytest.approx(50.0)
    play(game)
    assert game.state_labs[0, F.HUB_MW + h] == pytest.approx(mw0 + 50.0)


def test_m5_energy_is_paid_per_running_gpu_at_the_hubs_price_and_pue(world):
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nevada"))
    put_fleet(game, 0, "nordics", 10000.0)
    put_fleet(game, 1, "nevada", 10000.0)
    edited(game)
    play(game)
    kw, hours = w.params[P.KW_PER_GPU], w.params[P.HOURS_PER_QUARTER]
    for lab, hub_id in ((0, "nordics"), (1, "nevada")):
        h = hub(game, hub_id)
        mwh = game.state_labs[lab, F.ONLINE] * kw / 1000.0 * w.hubs[h, F.HP_PUE] * hours
        assert game.state_labs[lab, F.OUT_POWER] == pytest.approx(mwh * w.hubs[h, F.HP_POWER_PRICE] / 1e6)
    # the same fleet costs less to run where power is cheap and cooling natural
    assert game.state_labs[0, F.OUT_POWER] < game.state_labs[1, F.OUT_POWER]


# --- M6 hidden costs -----------------------------------------------------------------------
def _one_quarter_runs(world, seeds, tech_debt: float) -> np.ndarray:
    runs = []
    for seed in seeds:
        game = lab_game(world, ("challenger", "nordics"), ("startup", "virginia"), seed=seed)
        game.state_labs[0, F.TECH_DEBT] = tech_debt
        play(game, {0: {"train_split": 0.5}})
        runs.append((game.state_labs[0, F.TRAIN_RUN], game.state_labs[0, F.QUALITY_GAIN]))
    return np.array(runs)


def test_m2_a_small_run_gets_a_proportional_share_of_a_good_runs_gain(world):
    """Within a tier, compute matters: the same lucky run on a tenth of the training GPUs closes a
    proportional share of the gap; from full_run's size up, all of it."""
    def run(split: float, seed: int):
        game = lab_game(calm(world), ("challenger", "nordics"), ("challenger", "nordics"), seed=seed)
        put_fleet(game, 0, "nordics", 6000.0)
        game.state_labs[:, F.QUALITY] = 1.0  # it leads after a good run: nothing to copy from others
        game.state_world[F.FRONTIER] = 1.0
        play(edited(game), {0: {"train_split": split}, 1: {"train_split": 0.0}})
        return game.state_labs[0]

    for seed in range(40):
        big = run(1.0, seed)
        if big[F.TRAIN_RUN] > 0:  # a good run (the draw does not depend on the split)
            break
    small = run(0.1, seed)
    assert small[F.TRAIN_RUN] > 0
    ceiling = tier_ceiling(small.reshape(1, -1), 0)
    assert big[F.COMPUTE] >= full_run(ceiling, world.params)  # 6,000 GPUs: a full-size Competitor run
    scale = run_scale(0.1 * small[F.COMPUTE], ceiling, world.params)
    assert 0.0 < scale < 1.0
    assert small[F.QUALITY_GAIN] == pytest.approx(scale * big[F.QUALITY_GAIN], rel=1e-9)


def test_m6_failed_training_runs_happen(world):
    """Even a fully staffed lab without tech debt fails a good share of its runs; a failed run
    spends the compute and moves nothing; tech debt makes failure more likely."""
    w = calm(world)
    seeds = range(40)
    clean = _one_quarter_runs(w, seeds, 0.0)
    failed = clean[:, 0] == -1.0
    assert set(np.unique(clean[:, 0])) == {-1.0, 1.0}  # every lab with compute runs
    assert 0.2 <= failed.mean() <= 0.7
    assert np.all(clean[failed, 1] == 0.0)  # the frontier lab: no gain from a failed run
    assert np.all(clean[~failed, 1] > 0.0)
    # tech debt breaks runs: with the same draws, every run that failed still fails, and more do
    indebted = _one_quarter_runs(w, seeds, 1.0)
    failed_indebted = indebted[:, 0] == -1.0
    assert np.all(failed_indebted[failed])
    assert failed_indebted.sum() > failed.sum()


def test_m6_most_training_runs_fail_in_play(world):
    """docs/design.md §2: training is stochastic and most runs fail (thin teams, tech debt, bad luck),
    in games of the archetypes, the rivals a player meets. (A lab that staffs fully and pays over
    the market, as the baseline bot does, runs about a coin flip: the balance's best case.)"""
    from blitzgame.bots.base import archetype_names

    field = list(archetype_names())
    runs = []
    for seed in range(12):
        game = Game.new(world, seed=seed, labs=5)
        bots = bots_for(field[seed % 6:] + field[:seed % 6], 5)
        while not game.over:
            for lab, bot in enumerate(bots):
                if game.state_labs[lab, F.STATUS] == F.ALIVE:
                    game.submit(lab, bot.orders_for(game, lab))
            game.advance()
            outcome = game.state_labs[:, F.TRAIN_RUN]
            runs.extend(outcome[outcome != 0.0])
    runs = np.array(runs)
    assert len(runs) > 200
    assert 0.5 < np.mean(runs == -1.0) < 0.9


def test_m6_thin_teams_leave_compute_idle(world):
    """Idle capacity 30-50%: a lab with too few researchers for its cluster uses less of it."""
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
    for lab in (0, 1):
        put_fleet(game, lab, "nordics", 20000.0)
    game.state_labs[0, F.RESEARCHERS] = 100.0  # needs 80 for 20k GPUs
    game.state_labs[1, F.RESEARCHERS] = 10.0
    edited(game)
    for _ in range(3):
        play(game)
    util = game.state_labs[:, F.UTILIZATION]
    assert util[1] < util[0]
    assert 0.5 <= util[1] and util[0] <= 0.75 + 1e-12  # idle 25-50%
    assert game.state_labs[1, F.CULTURE] < game.state_labs[0, F.CULTURE]  # and the thin team burns out


def test_m6_rented_and_partner_compute_need_researchers_too(world):
    """A lab running rented or partner GPUs needs researchers for them as for its own."""
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
    labs = game.state_labs
    own = researchers_needed(labs, 0, w.params)
    labs[0, F.RENTED] = 5000.0
    labs[0, F.PARTNER_GPUS] = 3000.0
    per_gpu = w.params[P.RESEARCHERS_PER_KGPU] / 1000.0
    assert researchers_needed(labs, 0, w.params) == pytest.approx(own + 8000.0 * per_gpu)


def test_m6_breakneck_growth_builds_tech_debt_and_dilutes_culture(world):
    w = calm(world)

    def run(grow: bool) -> np.ndarray:
        game = lab_game(w, ("startup", "nordics"), ("startup", "nordics"))
        game.state_labs[0, F.CASH] = 100000.0
        game.state_world[F.VENDOR_SUPPLY] = 1e6
        edited(game)
        orders = {"gpus": {"nordics": 5000.0}, "hire": 300.0} if grow else {}
        report = play(game, {0: orders})
        return game.state_labs[0], lines(report, 0)

    grown, text = run(True)
    steady, _ = run(False)
    assert grown[F.GPUS_DELIVERED] == pytest.approx(5000.0)
    assert grown[F.TECH_DEBT] > steady[F.TECH_DEBT] + 0.2
    assert grown[F.CULTURE] < steady[F.CULTURE] - 0.1
    assert grown[F.STAFF_GROWTH] > 1.0
    assert "Culture" in text
    # the report says what grew: the GPUs that arrived, against the fleet (or the small team's floor),
    # and each part of the change, adding up as written
    debt = f"Tech debt 0.00 -> {grown[F.TECH_DEBT]:.2f}: growth added "
    assert debt in text
    added = float(text.split(debt)[1].split(" ")[0])
    assert ("(5,000 GPUs arrived against the 1,000 a small team runs without strain, powered or not: each doubling "
            "of the fleet in a quarter adds 0.25) and engineers chipped 0.02 away (M6).") in text
    assert round(added - 0.02, 2) == round(grown[F.TECH_DEBT], 2)


def test_m6_culture_recovers_and_the_report_says_so(world):
    game = lab_game(calm(world), ("startup", "nordics"), ("startup", "nordics"))
    game.state_labs[0, F.CULTURE] = 0.5
    edited(game)
    report = play(game, {0: {}})
    after = game.state_labs[0, F.CULTURE]
    assert after > 0.52
    assert (f"Culture 0.50 -> {after:.2f}: it recovers 10% of the way back to full each quarter, less what fast "
            "hiring, overwork and layoffs take (M6).") in lines(report, 0)


def test_m6_a_startups_first_cluster_does_not_max_out_tech_debt(world):
    """Growth is counted in doublings of a fleet of at least tech_debt_simple_fleet GPUs: a
    startup going from 300 to 1,300 GPUs adds one doubling's worth, not the whole scale."""
    w = calm(world)
    game = lab_game(w, ("startup", "nordics"), ("startup", "nordics"))
    game.state_world[F.VENDOR_SUPPLY] = 1e6
    edited(game)
    play(game, {0: {"gpus": {"nordics": 1000.0}}})
    grown = game.state_labs[0]
    assert grown[F.GPUS_DELIVERED] == pytest.approx(1000.0)
    expected = world.params[P.DEBT_GROWTH] * 1.0 - world.params[P.DEBT_DECAY]  # one doubling, less the quarter's easing
    assert grown[F.TECH_DEBT] == pytest.approx(expected)
    assert grown[F.TECH_DEBT] < 0.3


def test_m6_efficiency_rnd_visibly_pays_tech_debt_down(world):
    w = calm(world)

    def run(rnd: float):
        game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
        game.state_labs[0, F.TECH_DEBT] = 0.6
        edited(game)
        report = play(game, {0: {"efficiency_rnd": rnd}})
        return game.state_labs[0], lines(report, 0)

    (paid, text), (left, _) = run(30.0), run(0.0)  # $30M: half the cleanup cost of a 6,000-GPU fleet
    assert left[F.TECH_DEBT] == pytest.approx(0.6 - world.params[P.DEBT_DECAY])
    assert paid[F.TECH_DEBT] == pytest.approx(left[F.TECH_DEBT] - world.params[P.DEBT_PAYDOWN] / 2)
    assert f"Tech debt 0.60 -> {paid[F.TECH_DEBT]:.2f}: efficiency R&D ($30M) paid 0.20 down and engineers " \
           "chipped 0.02 away (M6)." in text


def test_m6_a_failed_run_says_what_its_chance_was_and_why(world):
    w = calm(world)
    for seed in range(20):
        game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"), seed=seed)
        game.state_labs[0, F.TECH_DEBT] = 0.8
        edited(game)
        report = play(game)
        if game.state_labs[0, F.TRAIN_RUN] < 0:
            text = lines(report, 0)
            chance = game.state_labs[0, F.TRAIN_CHANCE]
            assert f"Its chance was {chance:.0%}" in text and "tech debt 0.80 took 20%" in text
            assert f"every run starts at {world.params[P.TRAIN_BASE]:.0%}" in text  # the base is stated too
            return
    pytest.fail("no run failed in 20 seeds at tech debt 0.8")


def test_m6_a_failed_run_above_a_fallen_tier_ceiling_says_above_not_at(world):
    """A report said "the model was already at your tier ceiling of 4" of a model at 4.80, after a
    heatwave took its lab a stage down."""
    w = calm(world)
    for seed in range(30):
        game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"), seed=seed)
        game.state_labs[0, F.TECH_DEBT] = 0.8
        ceiling = int(tier_ceiling(game.state_labs, 0))
        game.state_labs[0, F.QUALITY] = ceiling + 0.8
        edited(game)
        report = play(game)
        if game.state_labs[0, F.TRAIN_RUN] < 0 and int(tier_ceiling(game.state_labs, 0)) == ceiling:
            text = lines(report, 0)
            assert f"the model was already at {ceiling + 0.8:.2f}, above your tier ceiling of {ceiling} " in text
            return
    pytest.fail("no run failed in 30 seeds at tech debt 0.8")


def test_m6_tech_debt_causes_outages(world):
    w = calm(world)
    outages = 0
    for seed in range(30):
        clean = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"), seed=seed)
        indebted = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"), seed=seed)
        indebted.state_labs[0, F.TECH_DEBT] = 1.0
        play(clean)
        play(indebted)
        assert clean.state_labs[0, F.EVENT] != F.EV_OUTAGE
        if indebted.state_labs[0, F.EVENT] == F.EV_OUTAGE:
            outages += 1
            assert indebted.state_labs[0, F.OUT_EVENTS] > 0.0
    assert 3 <= outages <= 20  # ~35% of quarters at full tech debt


# --- M7 death zone ----------------------------------------------------------------------
def _zone_game(world):
    """Three identical labs with 900, 5,000 (the death zone) and 12,000 GPUs online."""
    w = calm(world)
    game = lab_game(w, *[("challenger", "nordics")] * 3)
    for lab, gpus in enumerate((900.0, 5000.0, 12000.0)):
        put_fleet(game, lab, "nordics", gpus)
        game.state_labs[lab, F.SHARE] = 0.1
        game.state_labs[lab, F.RESEARCHERS] = 120.0
    game.state_world[F.REVENUE_POOL] = 50.0  # a market small enough that serving capacity never limits revenue
    edited(game)
    return game, {lab: {"train_split": 0.0} for lab in range(3)}


def test_m7_death_zone_labs_lose_more_researchers(world):
    game, orders = _zone_game(world)
    report = play(game, orders)
    labs = game.state_labs
    extra = world.params[P.ATTRITION_DEATH_ZONE] * 120.0
    assert labs[0, F.ATTRITION] == pytest.approx(labs[2, F.ATTRITION])
    assert labs[1, F.ATTRITION] == pytest.approx(labs[0, F.ATTRITION] + extra)
    assert labs[1, F.RESEARCHERS] < labs[0, F.RESEARCHERS]
    assert list(labs[:, F.DEATH_ZONE_QUARTERS]) == [0.0, 1.0, 0.0]
    assert "death zone" in lines(report, 1) and "death zone" not in lines(report, 0)


def test_m7_death_zone_labs_lose_customers(world):
    game, orders = _zone_game(world)
    play(game, orders)
    labs = game.state_labs
    assert all(labs[k, F.REVENUE] == pytest.approx(labs[k, F.DEMAND]) for k in range(3))
    assert labs[0, F.SHARE] == pytest.approx(labs[2, F.SHARE])
    assert labs[1, F.SHARE] == pytest.approx(labs[0, F.SHARE] * (1 - world.params[P.DEATH_ZONE_DEFECTION]))


# --- M8 the music stops --------------------------------------------------------------------
def _music_games(world, stop_at: int):
    stopped_world = calm(world)
    stopped_world.sched[stop_at, F.S_MUSIC_STOPS] = 1.0
    games = [Game.new(stopped_world, seed=3, labs=5), Game.new(calm(world), seed=3, labs=5)]
    return games


def test_m8_music_stops_when_scheduled_and_equity_markets_shut(world):
    stopped, control = _music_games(world, 2)
    for _ in range(2):  # lab 3 spends, so investors see a plan to fund (M8)
        reports = [play(g, {3: {"equity": 100.0, "efficiency_rnd": 300.0}}) for g in (stopped, control)]
        assert stopped.digest() == control.digest()
        assert stopped.state_world[F.MUSIC_STOPPED] == 0.0
    # the scheduled quarter: the stop comes as it opens, so a round asked for it (the schedule is
    # public) finds investors gone, where the same round is sold in full in the calm world
    reports = [play(g, {3: {"equity": 150.0}}) for g in (stopped, control)]
    sw, cw = stopped.state_world, control.state_world
    assert cw[F.MUSIC_STOPPED] == 0.0
    assert sw[F.MUSIC_STOPPED] == 1.0 and sw[F.MUSIC_QUARTER] == 2.0
    assert sw[F.SENTIMENT] <= world.params[P.CRASH_SENTIMENT] < cw[F.SENTIMENT]
    assert sw[F.SPOT] < cw[F.SPOT]  # the GPU glut
    alive = stopped.state_labs[:, F.STATUS] == F.ALIVE
    assert np.all(stopped.state_labs[alive, F.VALUATION] < control.state_labs[alive, F.VALUATION])
    assert stopped.state_labs[3, F.IN_EQUITY] == 0.0
    assert control.state_labs[3, F.IN_EQUITY] == pytest.approx(150.0)
    assert "equity markets are shut" in lines(reports[0], 3)
    assert "THE MUSIC STOPS" in world_lines(reports[0]) and "MUSIC" not in world_lines(reports[1])
    # the crash was scheduled: the news says so, and names the revenue gap only if past its line
    gap = sw[F.REVENUE_GAP] > world.params[P.MUSIC_GAP]
    assert "came on schedule" in world_lines(reports[0])
    assert ("the revenue gap and the hype" not in world_lines(reports[0])) and (("danger line" in world_lines(reports[0])) == gap)
    assert stopped.observe(0).market.music_stopped and stopped.observe(0).market.music_quarter == world.label(2)
    # the next quarter, investors have not come back: the same round raises nothing
    reports = [play(g, {3: {"equity": 150.0}}) for g in (stopped, control)]
    assert stopped.state_labs[3, F.IN_EQUITY] == 0.0
    assert control.state_labs[3, F.EQUITY_CAP] > 150.0
    assert control.state_labs[3, F.IN_EQUITY] == pytest.approx(150.0)
    assert "equity markets are shut" in lines(reports[0], 3)


def test_m8_a_crash_by_chance_comes_at_the_quarters_end(world):
    """Unannounced, a crash by chance falls after the quarter's rounds were sold: investors price
    every lab again at the mood and GPU prices it leaves, and a valuation stays the sum of its parts."""
    chance = calm(world)
    chance.params[P.MUSIC_HAZARD] = 1e9  # any pressure at all stops it
    stopped, control = Game.new(chance, seed=3, labs=5), Game.new(calm(world), seed=3, labs=5)
    stopped.state_world[F.REVENUE_GAP] = control.state_world[F.REVENUE_GAP] = 0.0
    for g in (stopped, control):
        g.state_world[F.SENTIMENT] = 1.2  # euphoria: pressure builds this quarter
    report = play(stopped, {3: {"equity": 100.0, "efficiency_rnd": 300.0}})
    play(control, {3: {"equity": 100.0, "efficiency_rnd": 300.0}})
    assert stopped.state_world[F.MUSIC_STOPPED] == 1.0 and stopped.state_world[F.MUSIC_QUARTER] == 0.0
    # the news names what built the pressure: here the mood alone, no revenue gap past its line
    assert "THE MUSIC STOPS: the market broke under euphoric investors (sentiment above normal)." in world_lines(report)
    assert "revenue gap at" not in world_lines(report)
    assert stopped.state_labs[3, F.IN_EQUITY] == control.state_labs[3, F.IN_EQUITY] > 0.0  # sold before the stop
    labs, w = stopped.state_labs, stopped.state_world
    for i in np.flatnonzero(labs[:, F.STATUS] == F.ALIVE):
        customers, running, idle, _, _ = value_parts(labs, i, w, chance.params, w[F.SENTIMENT], w[F.SPOT])
        assert (labs[i, F.VALUE_CUSTOMERS], labs[i, F.VALUE_RUNNING], labs[i, F.VALUE_IDLE]) == (customers, running, idle)
        assert labs[i, F.VALUATION] == customers + running + idle + labs[i, F.VALUE_NET_CASH]
        assert labs[i, F.VALUE_NET_CASH] == control.state_labs[i, F.VALUE_NET_CASH]  # as priced before the stop
        assert labs[i, F.VALUE_CUSTOMERS] < 0.25 * control.state_labs[i, F.VALUE_CUSTOMERS]  # mood 1.2 -> 0.25
        assert labs[i, F.VALUATION] < control.state_labs[i, F.VALUATION]


def test_m8_lenders_halve_credit_after_the_crash(world):
    stopped, control = _music_games(world, 0)
    for g in (stopped, control):
        play(g)
        play(g, {1: {"debt": 1e6}})
    s, c = stopped.state_labs[1], control.state_labs[1]
    assert 0.0 < s[F.IN_DEBT] < 0.75 * c[F.IN_DEBT]


def test_m8_a_wide_revenue_gap_makes_the_music_stop(world):
    """A leading indicator: capex far ahead of revenue; past 5x the crash becomes likely."""
    def run(capex: float):
        game = Game.new(calm(world), seed=11, labs=3)
        game.state_world[F.CAPEX_4Q:F.CAPEX_4Q + 4] = capex
        edited(game)
        report = play(game)
        return game, report

    wide, report = run(1e6)
    narrow, _ = run(0.0)
    assert wide.state_world[F.REVENUE_GAP] > 100.0 and wide.observe(0).market.revenue_gap > 100.0
    assert wide.state_world[F.MUSIC_STOPPED] == 1.0
    assert narrow.state_world[F.REVENUE_GAP] < 5.0 and narrow.state_world[F.MUSIC_STOPPED] == 0.0
    assert wide.state_world[F.SENTIMENT] < narrow.state_world[F.SENTIMENT]


def _payroll_crisis(world, gpus: float, cash: float, *, unwanted: bool = False, labs: int = 2):
    """Lab 0 cannot meet its payroll this quarter and owns ``gpus`` to sell; the others are untouched.

    ``unwanted``: a weak model and no customers, so no buyer takes the lab over.
    """
    game = lab_game(calm(world), *[("challenger", "nordics")] * labs)
    put_fleet(game, 0, "nordics", gpus)
    game.state_labs[0, F.CASH] = cash
    game.state_labs[0, F.RESEARCHERS] = 100.0
    game.state_labs[0, F.PACKAGE] = 8.0
    if unwanted:
        game.state_labs[0, F.SHARE] = 0.0
        game.state_labs[0, F.QUALITY] = 0.1
    edited(game)
    return game


def test_m8_out_of_cash_labs_with_nothing_to_sell_go_bankrupt(world):
    game = _payroll_crisis(world, 300.0, 1.0, unwanted=True)
    secondary = game.state_world[F.SECONDARY]
    report = play(game, {0: {"package": 8.0, "train_split": 0.0}})
    labs, w = game.state_labs, game.state_world
    assert labs[0, F.FIRE_SOLD] == pytest.approx(300.0) and "Fire sale" in lines(report, 0)
    # every player reads a lab's fire sale in the world's news
    assert (f"Lab 0 sold 300 GPUs in a fire sale for {money(labs[0, F.IN_FIRE_SALE])} to meet cash calls (M8)."
            in world_lines(report))
    assert labs[0, F.STATUS] == F.BANKRUPT
    assert labs[0, F.CASH] == pytest.approx(0.0, abs=1e-9) and labs[0, F.DEBT] == 0.0
    assert labs[0, F.IN_WRITE_OFF] > 100.0  # creditors absorb the deficit
    assert labs[0, F.GPUS] == 0.0 and labs[0, F.RESEARCHERS] == 0.0 and labs[0, F.SHARE] == 0.0
    assert f"{game.names[0]} is wound up" in world_lines(report)  # the world's news: every lab reads it
    assert labs[1, F.STATUS] == F.ALIVE and labs[1, F.FIRE_SOLD] == 0.0
    assert w[F.ALIVE_LABS] == 1.0 and w[F.GAME_OVER] == 1.0  # one lab left standing
    # the dumped GPUs are resold to the market as secondary supply
    assert w[F.SECONDARY] == pytest.approx(secondary + 300.0)


def test_m8_fire_sold_gpus_flood_next_quarters_market(world):
    game = _payroll_crisis(world, 3000.0, 1.0, unwanted=True, labs=3)
    play(game, {0: {"package": 8.0, "train_split": 0.0}})
    assert game.state_labs[0, F.STATUS] == F.BANKRUPT
    dumped = game.state_labs[0, F.FIRE_SOLD]
    vendor = game.state_world[F.VENDOR_SUPPLY]
    play(game)
    assert game.state_world[F.SUPPLY] == pytest.approx(vendor + dumped)
    assert game.state_world[F.SECONDARY] == 0.0
    assert game.state_labs[0, F.STATUS] == F.BANKRUPT  # the dead stay dead
    assert game.state_world[F.ALIVE_LABS] == 2.0


def test_m8_a_fire_sale_that_covers_the_deficit_keeps_the_lab_alive(world):
    """A lab short of cash whose GPUs are worth far more than its deficit sells some and survives.

    Swept over starting cash: the sale is sized to cover the deficit exactly, so the lab
    must end with cash >= 0, alive, still owning most of its GPUs.
    """
    died = []
    for k in range(40):
        cash = 5.0 + 2.5 * k
        game = _payroll_crisis(world, 60000.0, cash)
        game.state_labs[0, F.RESCUED] = 1.0  # its one rescue is spent, so it must sell
        edited(game)
        report = play(game, {0: {"package": 8.0}})
        row = game.state_labs[0]
        assert row[F.FIRE_SOLD] > 0.0 and "Fire sale" in lines(report, 0)
        assert row[F.FIRE_SOLD] < 30000.0  # the deficit needs well under half the fleet
        if row[F.STATUS] != F.ALIVE:
            fate = "bankrupt" if row[F.STATUS] == F.BANKRUPT else "acquired"
            died.append((cash, fate, float(row[F.IN_WRITE_OFF])))
            continue
        assert row[F.CASH] >= 0.0
        assert row[F.GPUS] == pytest.approx(60000.0 - row[F.FIRE_SOLD])
    assert not died, f"labs whose fire sale covered the deficit were wound up (cash, fate, write-off): {died}"


def test_m8_a_lab_at_scale_is_rescued_once_then_sells_like_anyone(world):
    """Out of cash with a fleet past the death zone, a strategic backer covers the shortfall and
    a cushion of running costs for a stake; the second time there is only the fire sale."""
    params = world.params
    game = _payroll_crisis(world, 60000.0, 5.0)
    stake = game.state_labs[0, F.STAKE]
    report = play(game, {0: {"package": 8.0}})
    row = game.state_labs[0]
    running = row[F.OUT_POWER] + row[F.OUT_PAYROLL] + row[F.OUT_OVERHEAD] + row[F.OUT_INTEREST]
    assert row[F.STATUS] == F.ALIVE and row[F.FIRE_SOLD] == 0.0 and row[F.GPUS] == 60000.0
    assert row[F.RESCUED] == 1.0  # the quarter of the rescue, counted from 1
    assert row[F.CASH] == pytest.approx(params[P.RESCUE_CUSHION] * running)
    assert row[F.STAKE] < stake
    assert "Rescued" in lines(report, 0)
    assert "rescued it" in world_lines(report)
    game.state_labs[0, F.CASH] = 1.0
    edited(game)
    report = play(game, {0: {"package": 8.0}})
    assert game.state_labs[0, F.IN_RESCUE] == 0.0 and game.state_labs[0, F.FIRE_SOLD] > 0.0
    assert "Fire sale" in lines(report, 0)


@pytest.mark.parametrize("gpus", [3000.0, 60000.0])  # a small fleet (a fire sale could not cover it) and a big one
def test_m8_called_debt_is_paid_from_cash_first(world, gpus):
    """Lenders call the debt past the covenant line; a lab with the cash to pay it does, and
    nothing else happens: no rescue, no fire sale, no sale in distress."""
    game = lab_game(calm(world), ("challenger", "nordics"), ("challenger", "nordics"))
    put_fleet(game, 0, "nordics", gpus)
    game.state_labs[0, F.CASH] = 4000.0
    game.state_labs[0, F.DEBT] = 3000.0  # far past what lenders would lend a lab of its revenue
    edited(game)
    report = play(game, {1: {"bid": 1000.0}})  # a rival bids for any lab in distress
    row = game.state_labs[0]
    assert row[F.COVENANT_CALLED] > 0.0 and row[F.STATUS] == F.ALIVE
    assert row[F.IN_RESCUE] == 0.0 and row[F.FIRE_SOLD] == 0.0 and row[F.IN_SALE] == 0.0
    assert row[F.GPUS] == pytest.approx(gpus) and row[F.OUT_REPAY] >= row[F.COVENANT_CALLED]
    assert "repaid at once from your cash" in lines(report, 0)


def test_m8_a_rescue_is_told_as_dilution_in_the_debrief(world):
    from blitzgame.session.debrief import debrief

    game = _payroll_crisis(world, 60000.0, 5.0)
    play(game, {0: {"package": 8.0}})
    assert game.state_labs[0, F.IN_RESCUE] > 0.0
    text = debrief(game, 0).lesson("score").text
    assert "You sold no equity yourself, but a strategic rescue put in" in text and "the founders went from" in text
    assert "the founders kept" not in text


def test_m7_below_scale_nobody_comes_to_the_rescue(world):
    game = _payroll_crisis(world, world.params[P.RESCUE_GPUS] - 1.0, 5.0)
    play(game, {0: {"package": 8.0}})
    assert game.state_labs[0, F.IN_RESCUE] == 0.0 and game.state_labs[0, F.RESCUED] == 0.0
    assert game.state_labs[0, F.FIRE_SOLD] > 0.0


def test_m7_the_death_zone_pays_retention_grants(world):
    """Same team, same pay: the lab in the death zone pays its researchers the premium on top."""
    game = lab_game(calm(world), ("challenger", "nordics"), ("challenger", "nordics"))
    put_fleet(game, 0, "nordics", 500.0)
    put_fleet(game, 1, "nordics", 5000.0)
    edited(game)
    report = play(game, {})
    labs, params = game.state_labs, world.params
    for lab, premium in ((0, 0.0), (1, params[P.RETENTION_DEATH_ZONE])):
        pay = labs[lab, F.RESEARCHERS] * labs[lab, F.PACKAGE] / 4.0 * (1.0 + premium)
        assert labs[lab, F.OUT_PAYROLL] == pytest.approx(pay + labs[lab, F.STAFF] * params[P.STAFF_COST])
        grants = labs[lab, F.RESEARCHERS] * labs[lab, F.PACKAGE] / 4.0 * premium
        assert labs[lab, F.RETENTION] == pytest.approx(grants) and bool(labs[lab, F.RETENTION] > 0.0) == (premium > 0.0)
    assert "Retention grants" not in lines(report, 0)
    assert "Retention grants" in lines(report, 1)


# --- M9 endgames ---------------------------------------------------------------------


def _distressed_game(world, bids: dict[int, float]):
    """Lab 0, a challenger, ends the quarter $5B short (far past what selling its GPUs would
    fetch); labs 1 and 2 are rich rivals with the given standing bids."""
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("incumbent", "virginia"), ("incumbent", "nevada"))
    game.state_labs[0, F.CASH] = -5000.0
    edited(game)
    report = play(game, {k: {"bid": bid} for k, bid in bids.items()})
    return game, report


def test_m9_a_lab_past_saving_is_bought_by_the_highest_bidder_at_the_runner_ups_price(world):
    before = _distressed_game(world, {})[0].history[-2].labs.copy()
    game, report = _distressed_game(world, {1: 900.0, 2: 400.0})
    labs = game.state_labs
    assert labs[0, F.STATUS] == F.ACQUIRED and labs[0, F.BOUGHT_BY] == 2.0
    assert labs[0, F.IN_SALE] == pytest.approx(400.0) and labs[1, F.OUT_ACQUISITION] == pytest.approx(400.0)
    # the GPUs, the power and the power under construction moved to the buyer, hub by hub
    h = game.world.hub_index("nordics")
    assert labs[0, F.GPUS] == 0.0 and labs[1, F.HUB_GPUS + h] == pytest.approx(labs[0, F.SALE_GPUS])
    assert labs[0, F.SALE_GPUS] == pytest.approx(before[0, F.GPUS])
    assert labs[1, F.HUB_MW + h] > 0.0
    # part of its people and customers followed
    assert labs[0, F.SALE_RESEARCHERS] > 0.0 and labs[0, F.SALE_SHARE] > 0.0
    assert labs[0, F.RESEARCHERS] == 0.0 and labs[0, F.SHARE] == 0.0
    assert labs[0, F.SCORE] == pytest.approx(-labs[0, F.START_VALUE] * 0.01)  # the price went to creditors
    assert "sold to Lab 1 for $400M" in lines(report, 0)
    assert "You bought Lab 0 in distress for $400M" in lines(report, 1)
    moved = f"{100 * labs[0, F.SALE_SHARE]:+.1f} points from the customers of a lab you bought (M9)"
    assert moved in lines(report, 1)  # the revenue line says what moved the share, the purchase too
    news = world_lines(report)
    floor = labs[0, F.SALE_GPUS] * turn.fire_price(game.state_world, game.world.params)
    ledger = {acc.name: acc.shown() for acc in report.accounts[1]}  # the buyer's accounts, as written
    gpus = ledger["GPUs owned"]["came with a lab you bought"]
    assert gpus == pytest.approx(labs[0, F.SALE_GPUS], abs=1.0)
    assert (f"Acquisition: Lab 1 buys Lab 0 in distress for $400M, the next-best offer, above the fire-sale value of "
            f"its {count(gpus)} GPUs ({money(floor)}); the highest bidder pays the higher of the two (M9).") in news
    assert "the price pays the quarter's unpaid bills, then its lenders as far as it goes" in lines(report, 0)
    assert "Stage:" not in lines(report, 0) and "quarters of runway left" not in lines(report, 0)  # out of the race
    assert f"for $400M: {count(gpus)} GPUs with their power" in lines(report, 1)  # the buyer's line and ledger agree


def test_m9_a_lone_bid_pays_the_fire_sale_value_and_the_news_says_so(world):
    game, report = _distressed_game(world, {1: 900.0})
    labs = game.state_labs
    assert labs[0, F.STATUS] == F.ACQUIRED and labs[0, F.IN_SALE] < 900.0
    assert (f"for {money(labs[0, F.IN_SALE])}, the fire-sale value of its") in world_lines(report)
    assert "no other offer was above it" in world_lines(report)


def test_m9_with_no_bid_above_its_fire_sale_value_a_lab_past_saving_is_wound_up(world):
    game, report = _distressed_game(world, {1: 1.0})  # $1M: less than its GPUs fetch in a fire sale
    labs = game.state_labs
    assert labs[0, F.STATUS] == F.BANKRUPT and labs[0, F.BOUGHT_BY] == 0.0 and labs[1, F.OUT_ACQUISITION] == 0.0
    assert labs[0, F.FIRE_SOLD] > 0.0 and f"{game.names[0]} is wound up" in world_lines(report)


def test_m9_a_lab_a_fire_sale_can_save_is_not_sold(world):
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("incumbent", "virginia"))
    put_fleet(game, 0, "nordics", 9000.0)  # under the size a strategic backer rescues
    game.state_labs[0, F.CASH] = -10.0  # short by less than its GPUs fetch in a fire sale
    edited(game)
    play(game, {1: {"bid": 5000.0}})
    labs = game.state_labs
    assert labs[0, F.STATUS] == F.ALIVE and labs[0, F.FIRE_SOLD] > 0.0 and labs[1, F.OUT_ACQUISITION] == 0.0


@pytest.mark.parametrize("regime", ["consolidation", "commoditization", "disruption"])
def test_m9_fixed_regime_is_applied(world, regime):
    scenario = world.scenario.model_copy(update={"regime": regime})
    fixed = compile_world(scenario)
    code = F.REGIME_NAMES.index(regime)
    for seed in range(4):
        game = Game.new(fixed, seed=seed, labs=3)
        assert game.state_world[F.REGIME_FIXED] == code
        game.state_world[F.REGIME_QUARTER] = 2.0
        edited(game)
        play(game)
        assert game.state_world[F.REGIME] == F.REGIME_NONE  # not yet
        report = play(game)
        assert game.state_world[F.REGIME] == code
        assert game.observe(0).market.regime == regime
        assert f"The endgame shows itself: {regime}: " in world_lines(report)
        p = fixed.params
        assert {"consolidation": f"customers chase the best model {p[P.CONSOLIDATION_BETA]:g}x harder (M9).",
                "commoditization": f"every customer pays {p[P.COMMODITY_PRICE]:.0%} of the price, so revenue falls",
                "disruption": f"erodes existing models {p[P.DISRUPTION_DECAY]:.0%} a quarter (M9)."}[regime] in world_lines(
            report)


def test_m9_drawn_regimes_follow_60_25_15(world):
    games = 600
    base = Game.new(world, seed=0, labs=2)
    labs = np.repeat(base.state_labs[None], games, axis=0)
    worlds = np.repeat(base.state_world[None], games, axis=0)
    worlds[:, F.REGIME_QUARTER] = 1.0  # the endgame shows itself in the first quarter
    orders = np.zeros((games, 2, F.ORDER_FIELDS))
    keys = np.array([game_key(seed, 0) for seed in range(games)], dtype=np.int64)
    resolve_games(labs, worlds, orders, world.params, world.hubs, world.sched, keys)
    regimes = worlds[:, F.REGIME]
    share = {code: float(np.mean(regimes == code)) for code in (1, 2, 3)}
    assert set(np.unique(regimes)) == {1.0, 2.0, 3.0}
    assert share[F.REGIME_CONSOLIDATION] == pytest.approx(world.params[P.REGIME_CONSOLIDATION], abs=0.06)
    assert share[F.REGIME_COMMODITIZATION] == pytest.approx(world.params[P.REGIME_COMMODITIZATION], abs=0.06)
    assert share[F.REGIME_DISRUPTION] == pytest.approx(
        1 - world.params[P.REGIME_CONSOLIDATION] - world.params[P.REGIME_COMMODITIZATION], abs=0.06)


def test_m9_music_stopping_reveals_the_endgame_early(world):
    w = calm(world)
    w.sched[0, F.S_MUSIC_STOPS] = 1.0
    game = Game.new(w, seed=5, labs=3)
    play(game)
    assert game.state_world[F.REGIME] != F.REGIME_NONE
    assert game.state_world[F.REGIME_QUARTER] > 1


def _regime_games(world, regime: int):
    return _two_lab_market(world, 0.4, (3.5, 3.0), regime)


def test_m9_regimes_change_the_late_game(world):
    none = _regime_games(world, F.REGIME_NONE)
    commodity = _regime_games(world, F.REGIME_COMMODITIZATION)
    consolidation = _regime_games(world, F.REGIME_CONSOLIDATION)
    disruption = _regime_games(world, F.REGIME_DISRUPTION)
    # commoditization: the same customers pay about half
    assert commodity[0, F.DEMAND] == pytest.approx(none[0, F.DEMAND] * world.params[P.COMMODITY_PRICE])
    # consolidation: customers chase the best model harder
    assert consolidation[0, F.SHARE] > none[0, F.SHARE]
    assert consolidation[1, F.SHARE] < none[1, F.SHARE]
    # disruption: the old models erode
    decay = world.params[P.DISRUPTION_DECAY]
    assert disruption[0, F.QUALITY] == pytest.approx(3.5 * (1 - decay))
    assert none[0, F.QUALITY] == 3.5


# --- M11 physical limits ------------------------------------------------------------------
def test_m11_grid_headroom_is_shared_and_finite(world):
    w = calm(world)
    h = world.hub_index("nevada")

    def run(builders: int):
        game = lab_game(w, *[("startup", "nordics")] * 3)
        game.state_labs[:, F.CASH] = 1e5
        game.state_world[F.HEADROOM + h] = 450.0
        edited(game)
        report = play(game, {lab: {"power_mw": {"nevada": 400.0, "nordics": 5.0}} for lab in range(builders)})
        return game, report

    alone, _ = run(1)
    assert alone.state_labs[0, F.MW_GRANTED] == pytest.approx(405.0)
    assert alone.state_world[F.HEADROOM + h] == pytest.approx(50.0)
    crowded, report = run(2)
    granted = crowded.state_labs[:, F.MW_GRANTED]
    assert granted[0] == pytest.approx(230.0) and granted[1] == pytest.approx(230.0)
    assert crowded.state_world[F.HEADROOM + h] == pytest.approx(0.0, abs=1e-9)
    nordics = w.hub_index("nordics")
    assert crowded.state_labs[0, F.OUT_POWER_BUILD] == pytest.approx(225.0 * w.hubs[h, F.HP_BUILD_COST]
                                                                     + 5.0 * w.hubs[nordics, F.HP_BUILD_COST])
    assert "The grid connected 230 of the 405 MW" in lines(report, 0)
    # the line says which hub's grid ran out, and which had grid to spare
    assert "the grid headroom in Nevada Desert is shared by every lab building there and ran out (Nordic Countries " \
           "had grid to spare)" in lines(report, 0)
    # the grid is full: the next request gets nothing, and pays nothing
    play(crowded, {2: {"power_mw": {"nevada": 100.0}}})
    assert crowded.state_labs[2, F.MW_GRANTED] == 0.0 and crowded.state_labs[2, F.OUT_POWER_BUILD] == 0.0


def test_m11_scenario_power_caps_cut_headroom(worlds):
    """power-crunch's scheduled power_cap shocks move grid headroom in their quarter (never below 0)."""
    crunch = worlds["power-crunch"]
    shocks = [s for s in crunch.scenario.shocks if s.kind == "power_cap"]
    assert shocks
    game = Game.new(crunch, seed=0, labs=5)  # nobody orders anything: only the shocks move headroom
    last = max(quarter_index(crunch.scenario.start, s.quarter) for s in shocks)
    for q in range(last + 1):
        headroom = game.state_world[F.HEADROOM:F.HEADROOM + len(crunch.hub_ids)].copy()
        play(game)
        expected = headroom.copy()
        for s in shocks:
            if quarter_index(crunch.scenario.start, s.quarter) == q:
                h = crunch.hub_index(s.hub)
                expected[h] = max(0.0, expected[h] + s.mw)
        assert np.allclose(game.state_world[F.HEADROOM:F.HEADROOM + len(crunch.hub_ids)], expected), q
    for s in shocks:
        if s.mw < 0:  # a cut leaves less than the hub's data file offered
            h = crunch.hub_index(s.hub)
            assert game.state_world[F.HEADROOM + h] < crunch.hubs[h, F.HP_HEADROOM]


def test_m11_the_talent_pool_is_finite(world):
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
    pool = game.state_world[F.TALENT_POOL]
    report = play(game, {0: {"hire": 50000.0}, 1: {"hire": 50000.0}})
    labs, w_ = game.state_labs, game.state_world
    # they asked for 100,000: they get the whole pool and not one researcher more
    assert labs[:, F.RESEARCHERS].sum() == pytest.approx(pool)
    assert labs[0, F.HIRES_WON] < 2000.0 and labs[:, F.POACHED].sum() == 0.0  # equal magnetism: no raids
    # the pool grows slowly; what is free now is only that growth
    assert w_[F.TALENT_POOL] > pool
    assert w_[F.TALENT_FREE] == pytest.approx(w_[F.TALENT_POOL] - pool)
    assert "of 50,000 researchers sought" in lines(report, 0)


def test_m11_capital_markets_cap_a_raise(world):
    w = calm(world)
    game = lab_game(w, ("startup", "nordics"), ("startup", "middle_east"))
    game.state_world[F.REVENUE_POOL] = 1e6  # a pool deep enough that only the round's size binds
    valuation = game.state_labs[:, F.VALUATION].copy()
    report = play(edited(game), {0: {"equity": 1e6}, 1: {"equity": 1e6}})
    dilution = world.params[P.EQUITY_MAX_DILUTION]
    labs = game.state_labs
    assert labs[0, F.IN_EQUITY] == pytest.approx(valuation[0] * dilution)
    assert labs[1, F.IN_EQUITY] == pytest.approx(2.0 * valuation[1] * dilution)  # sovereign funds double it
    # the report's rule accounts for the round: 15% of the valuation, and the sovereign part said apart
    assert "15% of the company's valuation at sentiment 1.00 or above" in lines(report, 0)
    assert "sovereign" not in lines(report, 0)
    assert "15% of the company's valuation at sentiment 1.00 or above, less as the mood sours, nothing at 0.35, " \
           "100% more for the sovereign funds behind your hubs (+100% in Middle East, where 100% of your power is " \
           "built):" in lines(report, 1)
    assert labs[0, F.STAKE] == pytest.approx(0.8 * valuation[0] / (valuation[0] + labs[0, F.IN_EQUITY]))


def test_m8_investors_share_a_finite_pool_leaders_first(world):
    w = calm(world)
    game = lab_game(w, ("incumbent", "virginia"), ("challenger", "nevada"), ("startup", "nordics"))
    asks = {k: {"equity": 1e6} for k in range(3)}
    report = play(game, asks)
    labs, wa = game.state_labs, game.state_world
    pool = wa[F.EQUITY_POOL]
    assert pool > 0 and labs[:, F.IN_EQUITY].sum() == pytest.approx(pool)  # every dollar of the pool, no more
    assert wa[F.EQUITY_RAISED] == pytest.approx(pool) and wa[F.EQUITY_SUPPLIED] == pytest.approx(pool)
    assert labs[0, F.IN_EQUITY] > labs[1, F.IN_EQUITY] > labs[2, F.IN_EQUITY] > 0  # the leader first
    assert "went to the leaders and fast growers first" in lines(report, 2)
    assert "Investors had" in world_lines(report)
    got = money_apart(labs[2, F.IN_EQUITY], 1e6)[0]
    assert f"growers first, so {got} of the " in lines(report, 2) and " on offer came to you" in lines(report, 2)


def test_m8_a_lone_raise_is_capped_by_the_pool_and_shut_markets_give_nothing(world):
    w = calm(world)
    game = lab_game(w, ("challenger", "nevada"), ("startup", "nordics"))
    game.state_world[F.SENTIMENT] = 0.2  # below equity_min_sentiment: markets shut
    report = play(edited(game), {0: {"equity": 1000.0}})
    assert game.state_labs[0, F.IN_EQUITY] == 0.0 and game.state_world[F.EQUITY_POOL] == 0.0
    assert "equity markets are shut" in lines(report, 0)


def test_m8_lenders_share_a_finite_pool_pro_rata(world):
    w = calm(world)
    game = lab_game(w, ("incumbent", "virginia"), ("incumbent", "nevada"))
    report = play(game, {0: {"debt": 1e5}, 1: {"debt": 1e5}})
    labs, wa = game.state_labs, game.state_world
    assert labs[:, F.IN_DEBT].sum() == pytest.approx(min(wa[F.LOAN_POOL], labs[:, F.DEBT_CAP].sum()))
    assert labs[0, F.IN_DEBT] <= labs[0, F.DEBT_CAP] + 1e-9
    assert "Lenders gave" in lines(report, 0)


def test_m8_investors_fund_a_plan_not_a_pile(world):
    """A round tops cash up to at most equity_plan_quarters of what the lab has been spending: a
    lab sitting on its cash raises nothing and is told why; the same lab spending raises."""
    def run(spending: float):
        game = lab_game(calm(world), ("challenger", "nevada"), ("startup", "nordics"))
        game.state_labs[0, F.SPENDING] = spending
        report = play(edited(game), {0: {"equity": 500.0}})
        return game.state_labs[0], lines(report, 0)

    cash = lab_game(calm(world), ("challenger", "nevada"), ("startup", "nordics")).state_labs[0, F.CASH]
    quarters = world.params[P.EQUITY_PLAN_QUARTERS]
    idle, text = run(cash / quarters / 2.0)  # its cash already covers twice its plan
    assert idle[F.EQUITY_PLAN] == 0.0 and idle[F.IN_EQUITY] == 0.0
    assert "investors fund a plan, not a pile" in text
    busy, text = run(cash / quarters + 1000.0)  # room for $8B more
    assert busy[F.EQUITY_PLAN] > 500.0 and busy[F.IN_EQUITY] == pytest.approx(500.0)
    assert "Raised $500M of equity" in text


def test_raising_at_a_fair_price_does_not_raise_the_score(world):
    """docs/design.md §4: the score is the founders' stake of the lab's fair value (a normal market: mood 1,
    GPUs at list). A round sold at that value leaves the score where it was; one sold above it
    (a hot market's price) adds a little of what the new investors overpaid; one sold cheaper
    lowers it."""
    def run(price: float, amount: float):
        w = calm(world)
        game = lab_game(w, ("challenger", "nevada"), ("startup", "nordics"))
        game.state_world[F.REVENUE_POOL] = 1e6
        game.state_labs[0, F.VALUATION] = price
        game.state_labs[0, F.SPENDING] = 1e4  # a plan big enough that investors fund the round
        play(edited(game), {0: {"equity": amount}})
        return game

    after = run(1e4, 0.0)
    fair = fair_value(after.state_labs, 0, after.state_world, world.params)  # what the lab is worth
    held = run(fair, 0.0).state_labs[0]
    raised = run(fair, 1000.0).state_labs[0]
    assert raised[F.IN_EQUITY] == pytest.approx(1000.0) and raised[F.STAKE] < held[F.STAKE]
    assert raised[F.SCORE] == pytest.approx(held[F.SCORE], rel=1e-9)
    hot = run(1.5 * fair, 1000.0).state_labs[0]
    gain = hot[F.SCORE] - held[F.SCORE]
    overpaid = held[F.STAKE] * 1000.0 * (1.0 - 1.0 / 1.5) * SCORE_PER_MUSD
    assert 0.0 < gain < overpaid
    assert run(fair / 2, 1000.0).state_labs[0][F.SCORE] < held[F.SCORE]


def test_m11_heatwaves_take_gpus_down_at_hot_hubs(world):
    def run(heat: float):
        w = calm(world)
        w.hubs[world.hub_index("virginia"), F.HP_HEAT_RISK] = heat
        game = lab_game(w, ("challenger", "virginia"), ("challenger", "virginia"))
        report = play(game)
        return game.state_labs[0], lines(report, 0)

    hot, text = run(1.0)
    cool, _ = run(0.0)
    assert hot[F.EVENT] == F.EV_HEATWAVE and cool[F.EVENT] == F.EV_NONE
    assert hot[F.ONLINE] == pytest.approx(cool[F.ONLINE] * (1 - world.params[P.HEATWAVE_LOSS]))
    assert "heatwave" in text and f"in {world.hub_names[world.hub_index('virginia')]}" in text  # it names the hub


def test_m11_export_controls_stop_deliveries_to_controlled_hubs(world):
    w = calm(world)
    game = lab_game(w, ("startup", "china"), ("startup", "nordics"))
    game.state_world[F.EXPORT_CONTROLS] = 1.0
    for lab in (0, 1):
        game.state_labs[lab, F.CASH] = 10000.0
    edited(game)
    play(game, {0: {"gpus": {"china": 1000.0}}, 1: {"gpus": {"nordics": 1000.0}}})
    labs = game.state_labs
    assert labs[0, F.GPUS_DELIVERED] == 0.0 and labs[0, F.BACKLOG] == pytest.approx(1000.0)
    assert labs[1, F.GPUS_DELIVERED] == pytest.approx(1000.0)
    assert game.observe(0).me.hubs[world.hub_index("china")].export_blocked


# --- M12 efficiency -------------------------------------------------------------------------
def test_m12_efficiency_rnd_multiplies_compute(world):
    w = calm(world)
    game = lab_game(w, ("challenger", "nordics"), ("challenger", "nordics"))
    for lab in (0, 1):
        put_fleet(game, lab, "nordics", 8000.0)
        game.state_labs[lab, F.CASH] = 1e5
    edited(game)
    orders = {0: {"efficiency_rnd": w.params[P.EFFICIENCY_SCALE], "train_split": 0.0}, 1: {"train_split": 0.0}}
    report = play(game, orders)
    labs = game.state_labs
    top = w.params[P.EFFICIENCY_MAX]
    # spending the scale closes half the way to the maximum
    assert labs[0, F.EFFICIENCY] == pytest.approx(1.0 + (top - 1.0) * 0.5)
    assert labs[1, F.EFFICIENCY] == 1.0
    assert labs[0, F.OUT_EFFICIENCY_RND] == pytest.approx(w.params[P.EFFICIENCY_SCALE])
    assert "Efficiency R&D: effective compute x2.00" in lines(report, 0)
    assert labs[0, F.COMPUTE] == pytest.approx(labs[1, F.COMPUTE])  # R&D pays off from next quarter
    play(game, {0: {"train_split": 0.0}, 1: {"train_split": 0.0}})
    assert labs[0, F.COMPUTE] == pytest.approx(labs[1, F.COMPUTE] * labs[0, F.EFFICIENCY])
    # diminishing returns: the same spend again gets less, and never reaches the maximum
    play(game, {0: {"efficiency_rnd": w.params[P.EFFICIENCY_SCALE]}})
    assert labs[0, F.EFFICIENCY] == pytest.approx(2.5)
    assert labs[0, F.EFFICIENCY] < top


def test_m12_efficiency_matters_more_after_the_music_stops(world):
    def run(music: bool) -> np.ndarray:
        w = calm(world)
        game = lab_game(w, ("startup", "nordics"), ("startup", "nordics"))
        for lab in (0, 1):
            game.state_labs[lab, F.SHARE] = 0.3  # far more demand than 300 GPUs can serve
        game.state_labs[0, F.EFFICIENCY] = 2.0
        game.state_world[F.MUSIC_STOPPED] = 1.0 if music else 0.0
        game.state_world[F.MUSIC_QUARTER] = 0.0 if music else -1.0
        edited(game)
        play(game, {0: {"train_split": 0.0}, 1: {"train_split": 0.0}})
        return game.state_labs

    before, after = run(False), run(True)
    assert before[0, F.REVENUE] < before[0, F.DEMAND]  # capacity-limited
    assert before[0, F.REVENUE] / before[1, F.REVENUE] == pytest.approx(2.0)
    boost = 1.0 + world.params[P.EFFICIENCY_AFTER_MUSIC] * (2.0 - 1.0)
    assert after[0, F.REVENUE] / after[1, F.REVENUE] == pytest.approx(2.0 * boost)


# --- M13 alternatives in a shortage ---------------------------------------------------------
def test_m13_cloud_rental_partnership_and_custom_silicon_deliver_compute(world):
    w = calm(world)
    game = lab_game(w, *[("startup", "nordics")] * 4)
    game.state_world[F.VENDOR_SUPPLY] = 0.0  # vendors have nothing: only the alternatives work
    for lab in range(4):
        game.state_labs[lab, F.CASH] = 10000.0
    game.state_labs[3, F.SILICON] = 1.0
    edited(game)
    cloud_price = game.state_world[F.CLOUD_PRICE]
    report = play(game, {
        0: {"rent": 5000.0},
        1: {"partnership": 0.5},
        2: {"gpus": {"nordics": 2000.0}},
        3: {"gpus": {"nordics": 2000.0}},
    })
    labs = game.state_labs
    base = labs[2, F.COMPUTE]  # vendor orders alone deliver nothing this quarter
    assert labs[2, F.GPUS_DELIVERED] == 0.0 and labs[2, F.BACKLOG] == pytest.approx(2000.0)
    # cloud: immediate, at the spot-linked rental price
    assert labs[0, F.RENTED] == pytest.approx(5000.0)
    # (the rental price follows the spot market as this quarter's shortage left it)
    assert labs[0, F.OUT_RENTAL] == pytest.approx(5000.0 * cloud_price * game.state_world[F.SPOT])
    assert labs[0, F.COMPUTE] == pytest.approx(base + 5000.0)
    assert "Rented 5,000 of 5,000 cloud GPUs" in lines(report, 0)
    # partnership: compute now, matched to the lab's own running fleet, paid for with a share of revenue
    partner = 0.5 * min(w.params[P.PARTNER_GPUS], w.params[P.PARTNER_MATCH] * 300.0)
    assert labs[1, F.PARTNER_GPUS] == pytest.approx(partner)
    assert labs[1, F.COMPUTE] == pytest.approx(base + partner)
    assert labs[1, F.OUT_PARTNER] == pytest.approx(labs[1, F.REVENUE] * 0.5 * w.params[P.PARTNER_REVENUE_TAKE])
    assert labs[1, F.OUT_PARTNER] > 0.0
    # investors value the revenue the lab keeps: the partner's share is in neither its valuation nor its score
    kept = labs[1, F.REVENUE] - labs[1, F.OUT_PARTNER]
    assert kept_revenue(labs, 1) == pytest.approx(kept)
    customers = value_parts(labs, 1, game.state_world, w.params, 1.0, 1.0)[0]
    assert customers == pytest.approx(4.0 * kept * w.params[P.REVENUE_MULTIPLE])
    assert kept_revenue(labs, 0) == labs[0, F.REVENUE]  # no partner, nothing taken
    # custom silicon: own chips skip the empty vendor queue
    assert labs[3, F.GPUS_CUSTOM] == pytest.approx(2000.0)
    assert labs[3, F.GPUS] == pytest.approx(300.0 + 2000.0)
    assert labs[3, F.OUT_GPUS] < 2000.0 * labs[2, F.UNIT_PRICE]
    assert "Your own silicon delivered 2,000" in lines(report, 3)


def test_m13_the_cloud_pool_is_shared(world):
    w = calm(world)
    game = lab_game(w, ("startup", "nordics"), ("startup", "nordics"))
    pool = game.state_world[F.CLOUD_POOL]
    play(game, {0: {"rent": pool}, 1: {"rent": pool}})
    rented = game.state_labs[:, F.RENTED]
    assert rented.sum() == pytest.approx(pool)
    assert rented[0] == pytest.approx(pool / 2)
    assert game.state_world[F.CLOUD_RENTED] == pytest.approx(pool)


def test_m13_custom_silicon_takes_years_of_rnd_and_skips_export_controls(world):
    w = calm(world)
    game = lab_game(w, ("challenger", "china"), ("challenger", "china"))
    game.state_labs[0, F.CASH] = 1e6
    edited(game)
    step = w.params[P.SILICON_MAX_STEP]
    quarters = int(round(1.0 / step))
    for q in range(quarters):
        assert game.state_labs[0, F.SILICON] < 1.0
        play(game, {0: {"silicon_rnd": 1e5}})
        assert game.state_labs[0, F.SILICON] == pytest.approx(min(1.0, (q + 1) * step))
    assert game.state_labs[0, F.SILICON] == 1.0
    assert game.state_labs[1, F.SILICON] == 0.0
    # export controls start: vendors stop shipping to China, own chips keep coming
    game.state_world[F.EXPORT_CONTROLS] = 1.0
    game.state_world[F.VENDOR_SUPPLY] = 1e6
    edited(game)
    play(game, {lab: {"gpus": {"china": 5000.0}} for lab in (0, 1)})
    labs = game.state_labs
    assert labs[0, F.GPUS_CUSTOM] == pytest.approx(5000.0)
    assert labs[1, F.GPUS_DELIVERED] == 0.0 and labs[1, F.GPUS_CUSTOM] == 0.0
    assert labs[0, F.OUT_SILICON_RND] == 0.0  # nothing left to buy once done
    assert w.params[P.CUSTOM_CAPACITY] >= 5000.0
