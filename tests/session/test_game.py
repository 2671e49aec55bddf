"""The game session: orders in (validated, never clipped), rewind, observations, setup errors,
and data files that fail loudly and precisely."""

import math
import shutil

import numpy as np
import pytest

import blitzgame.assets as assets
from blitzgame.assets import AssetError, load_scenario_file
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.limits import MAX_SEED
from blitzgame.schemas.observation import LabView, RivalView
from blitzgame.schemas.orders import MAX_GPU_ORDER, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE, Orders, OrdersError
from blitzgame.session.game import Game, SetupError
from blitzgame.session.headless import bots_for
from blitzgame.session.world import LabSetup

VALID = {"gpus": {"nordics": 500.0}, "hire": 5.0, "train_split": 0.6}


# --- orders are refused, never clipped ---------------------------------------------------------
@pytest.mark.parametrize("orders, field", [
    ({"gpus": {"virginia": -5.0}}, "gpus.virginia"),
    ({"gpus": {"virginia": math.nan}}, "gpus.virginia"),
    ({"gpus": {"nevada": math.inf}}, "gpus.nevada"),
    ({"gpus": {"nordics": MAX_GPU_ORDER * 2}}, "gpus.nordics"),
    ({"gpus": {"atlantis": 100.0}}, "gpus"),
    ({"power_mw": {"china": -1.0}}, "power_mw.china"),
    ({"power_mw": {"nordics": math.nan}}, "power_mw.nordics"),
    ({"power_mw": {"nordics": MAX_MW_ORDER + 1}}, "power_mw.nordics"),
    ({"power_mw": {"moon": 10.0}}, "power_mw"),
    ({"rent": -1.0}, "rent"),
    ({"rent": math.nan}, "rent"),
    ({"rent": -math.inf}, "rent"),
    ({"hire": MAX_PEOPLE + 1}, "hire"),
    ({"hire": -3.0}, "hire"),
    ({"layoff": math.inf}, "layoff"),
    ({"package": 0.0}, "package"),
    ({"package": 1e9}, "package"),
    ({"package": math.nan}, "package"),
    ({"cancel": 1.5}, "cancel"),
    ({"premium": -0.1}, "premium"),
    ({"train_split": 2.0}, "train_split"),
    ({"train_split": math.nan}, "train_split"),
    ({"equity": MAX_MONEY * 10}, "equity"),
    ({"equity": -100.0}, "equity"),
    ({"debt": -MAX_MONEY * 10}, "debt"),
    ({"debt": math.inf}, "debt"),
    ({"efficiency_rnd": -1.0}, "efficiency_rnd"),
    ({"silicon_rnd": math.nan}, "silicon_rnd"),
    ({"partnership": 1.01}, "partnership"),
    ({"open_source": "maybe"}, "open_source"),
    ({"open_source": 1}, "open_source"),
    ({"hire": "12"}, "hire"),
    ({"rent": True}, "rent"),
    ({"gpus": {"virginia": "100"}}, "gpus.virginia"),
    ({"gpus": [1, 2]}, "gpus"),
    ({"warp_drive": 1.0}, "warp_drive"),
    ({"GPUs": {"nordics": 1.0}}, "GPUs"),
])
def test_bad_orders_are_refused_naming_the_field_and_change_nothing(new_game, orders, field):
    game = new_game(labs=3, seed=4)
    game.advance()
    game.submit(1, VALID)
    digest, pending = game.digest(), dict(game.pending)
    with pytest.raises(OrdersError) as refused:
        game.submit(1, orders)
    message = str(refused.value)
    assert message.startswith(f"{field}:") or f"; {field}:" in message, message
    assert "\n" not in message
    assert game.digest() == digest
    assert game.pending == pending and game.pending[1] == Orders.model_validate(VALID)
    assert len(game.orders_log) == 1


def test_several_bad_fields_are_all_named(new_game):
    game = new_game(labs=2)
    with pytest.raises(OrdersError) as refused:
        game.submit(0, {"rent": -1.0, "hire": math.nan, "bogus": 3})
    message = str(refused.value)
    for field in ("rent", "hire", "bogus"):
        assert f"{field}:" in message
    assert 0 not in game.pending


def test_orders_cannot_be_made_without_validation(new_game):
    """``model_construct`` (pydantic's way round validation) and ``model_copy(update=...)`` validate
    ``Orders`` too, so no ``Orders`` holds a bad value; submit checks the hubs and the per-hub
    orders, the one part a bot can change after making them."""
    from pydantic import ValidationError

    for sneaky in (lambda: Orders.model_construct(rent=-5.0), lambda: Orders.model_construct(equity=math.inf),
                   lambda: Orders().model_copy(update={"hire": -1.0})):
        with pytest.raises(ValidationError):
            sneaky()
    assert Orders(hire=2.0).model_copy(update={"hire": 3.0}) == Orders(hire=3.0)
    game = new_game(labs=2)
    digest = game.digest()
    with pytest.raises(OrdersError, match="^gpus: unknown hub 'mars'"):
        game.submit(0, Orders.model_construct(gpus={"mars": 3.0}))
    assert game.pending == {} and game.digest() == digest


def test_every_fault_of_refused_orders_is_named_at_once_unknown_hubs_too(new_game):
    """A bot author mends orders in one go: a bad field and an unknown hub in the same answer are
    both named (the hub was named only once everything else was mended)."""
    game = new_game(labs=2)
    with pytest.raises(OrdersError) as refused:
        game.submit(0, {"gpus": {"nordic": 100.0}, "hire": -3, "trainsplit": 0.5})
    said = str(refused.value)
    assert said.startswith("hire: ") and "trainsplit: not a field here" in said
    assert "gpus: unknown hub 'nordic' (did you mean 'nordics'?)" in said
    assert game.pending == {}


@pytest.mark.parametrize("change, field", [
    (lambda orders: orders.gpus.update(virginia=-5.0), "gpus.virginia"),
    (lambda orders: orders.gpus.update(virginia=math.nan), "gpus.virginia"),
    (lambda orders: orders.gpus.update(virginia="5"), "gpus.virginia"),  # the model's strictness holds after too
    (lambda orders: orders.power_mw.update(nevada=True), "power_mw.nevada"),
    (lambda orders: orders.power_mw.update(nevada=MAX_MW_ORDER * 2), "power_mw.nevada"),
    (lambda orders: orders.gpus.update(virginia=math.inf), "gpus.virginia"),
    (lambda orders: orders.gpus.update({3: 5.0}), "gpus.3"),
    (lambda orders: orders.gpus.update(atlantis=5.0), "gpus"),
])
def test_orders_changed_after_they_were_made_are_checked_again(new_game, change, field):
    """A bot may fill ``orders.gpus`` after making its orders: what it put there is checked too
    (the orders' fields are frozen, their per-hub dicts are not)."""
    game = new_game(labs=2)
    digest = game.digest()
    orders = Orders(gpus={"nordics": 100.0}, power_mw={"nevada": 5.0}, hire=3.0)
    game.submit(0, orders)
    game.pending.clear()
    change(orders)
    with pytest.raises(OrdersError, match=f"^{field}"):
        game.submit(0, orders)
    assert game.pending == {} and game.digest() == digest


def test_a_whole_number_put_in_orders_after_they_were_made_counts_as_a_float(new_game):
    """As ``Orders(gpus={"virginia": 5})`` takes 5 as 5.0, so does an order filled in later."""
    game = new_game(labs=2)
    orders = Orders(power_mw={"nevada": 5.0})
    orders.gpus["virginia"] = 5
    assert game.submit(0, orders).gpus == {"virginia": 5.0}
    assert type(game.pending[0].gpus["virginia"]) is float


@pytest.mark.parametrize("not_orders", [[1, 2], "buy gpus", 42, None])
def test_orders_must_be_a_mapping(new_game, not_orders):
    game = new_game(labs=2)
    with pytest.raises(OrdersError, match="mapping"):
        game.submit(0, not_orders)


@pytest.mark.parametrize("lab", [-1, 2, 7, 1.0, "0", None])
def test_orders_for_an_unknown_lab_are_refused(new_game, lab):
    game = new_game(labs=2)
    with pytest.raises(OrdersError, match="no lab"):
        game.submit(lab, VALID)
    assert game.pending == {}


def test_a_refused_order_leaves_the_quarter_as_if_it_was_never_sent(new_game):
    tried = new_game(labs=3, seed=8)
    control = new_game(labs=3, seed=8)
    for game in (tried, control):
        game.submit(0, VALID)
    with pytest.raises(OrdersError):
        tried.submit(0, {"gpus": {"nordics": -1.0}})
    with pytest.raises(OrdersError):
        tried.submit(2, {"rent": math.nan})
    tried.advance()
    control.advance()
    assert tried.digest() == control.digest()
    assert tried.orders_log == control.orders_log


def test_valid_orders_reach_the_core_unclipped(new_game):
    game = new_game(labs=2)
    game.submit(0, {"gpus": {"nordics": MAX_GPU_ORDER}, "equity": MAX_MONEY, "power_mw": {"china": MAX_MW_ORDER}})
    game.advance()
    row = game.state_labs[0]
    assert row[F.GPUS_ORDERED] == MAX_GPU_ORDER
    assert row[F.EQUITY_ASKED] == MAX_MONEY
    assert row[F.MW_ASKED] == MAX_MW_ORDER
    assert row[F.BACKLOG] > 0.0 and np.all(np.isfinite(game.state_labs))


def test_no_orders_after_the_game_is_over(new_game):
    game = new_game(labs=2)
    game.state_world[F.GAME_OVER] = 1.0
    with pytest.raises(OrdersError, match="over"):
        game.submit(0, VALID)
    with pytest.raises(OrdersError, match="over"):
        game.advance()


# --- rewind and replay ---------------------------------------------------------------------------
def _played(new_game, quarters: int = 6) -> tuple[Game, list[str]]:
    game = new_game(labs=4, seed=21)
    bots = bots_for(["baseline"], 3)
    digests = [game.digest()]
    for q in range(quarters):
        for lab, bot in enumerate(bots):
            game.submit(lab, bot.orders_for(game, lab))
        game.submit(3, {"gpus": {"china": 3000.0 * q}, "rent": 500.0, "open_source": q % 2 == 0,
                        "equity": 400.0, "partnership": 0.3})
        game.advance()
        digests.append(game.digest())
    return game, digests


def test_rewind_reproduces_the_exact_state_of_each_quarter(new_game):
    game, digests = _played(new_game)
    assert len(set(digests)) == len(digests)  # every quarter changed the state
    final = game.digest()
    for q in range(len(digests)):
        back = game.rewind(q)
        assert back.quarter == q
        assert back.digest() == digests[q]
        assert np.array_equal(back.state_labs, game.history[q].labs)
        assert back.orders_log == game.orders_log[:q]
        assert [r.news for r in back.reports] == [r.news for r in game.reports[:q]]
    assert game.digest() == final and game.quarter == len(digests) - 1  # the original is untouched


def test_a_rewound_game_replayed_with_the_same_orders_ends_in_the_same_state(new_game):
    game, digests = _played(new_game)
    back = game.rewind(2)
    for quarter in game.orders_log[2:]:
        for lab, orders in enumerate(quarter):
            back.submit(lab, orders)
        back.advance()
    assert back.digest() == digests[-1]
    # ... and a different order after the rewind gives a different future
    other = game.rewind(2)
    other.submit(3, {"gpus": {"nordics": 9000.0}})
    other.advance()
    assert other.digest() != digests[3]


@pytest.mark.parametrize("quarter", [-1, 7, 100])
def test_rewind_out_of_range_is_refused(new_game, quarter):
    game, _ = _played(new_game)
    with pytest.raises(SetupError):
        game.rewind(quarter)


# --- observations -------------------------------------------------------------------------------
PRIVATE = {"cash", "debt", "stake", "runway", "burn", "backlog", "researchers", "talent_quality",
           "staff", "package", "culture", "tech_debt", "utilization", "efficiency", "silicon", "hubs",
           "last_quarter", "stranded"}


def test_observation_shows_own_state_in_full_and_rivals_only_public_fields(new_game):
    game = new_game(labs=4, seed=5)
    game.advance()
    labs = game.state_labs
    # give a rival unmistakable private numbers; none of them may leak into lab 0's view
    secrets = {F.CASH: 98765.4321, F.DEBT: 4321.1234, F.RESEARCHERS: 777.125, F.PACKAGE: 9.8765,
               F.CULTURE: 0.123456, F.BACKLOG: 55555.5, F.EFFICIENCY: 2.71828}
    for field, value in secrets.items():
        labs[2, field] = value
    obs = game.observe(0)
    assert isinstance(obs.me, LabView)
    assert obs.me.index == 0 and obs.me.name == game.names[0]
    assert obs.me.cash == labs[0, F.CASH] and obs.me.researchers == labs[0, F.RESEARCHERS]
    assert obs.me.gpus == labs[0, F.GPUS] and len(obs.me.hubs) == len(game.world.hub_ids)
    assert obs.me.last_quarter["gpus_delivered"] == labs[0, F.GPUS_DELIVERED]
    assert [r.index for r in obs.rivals] == [1, 2, 3]
    for rival in obs.rivals:
        assert isinstance(rival, RivalView)
        assert not PRIVATE & set(rival.model_dump())
        assert rival.gpus == labs[rival.index, F.ONLINE]
        assert rival.share == labs[rival.index, F.SHARE]
        assert rival.partner_take == labs[rival.index, F.OUT_PARTNER]  # a partnership deal is public
        assert not hasattr(rival, "cash")
    assert not PRIVATE & set(RivalView.model_fields)
    dumped = obs.model_dump_json()
    for value in secrets.values():
        assert repr(value) not in dumped, f"rival's private {value} leaked into the observation"
    # lab 2 itself sees its own numbers
    own = game.observe(2).me
    assert own.cash == secrets[F.CASH] and own.researchers == secrets[F.RESEARCHERS]
    assert own.efficiency == secrets[F.EFFICIENCY]


def test_observation_tracks_the_quarter_and_market(new_game):
    game = new_game(labs=3)
    quarters = game.world.quarters
    obs = game.observe(1)
    assert (obs.quarter, obs.label, obs.quarters_left) == (0, game.world.scenario.start, quarters)
    game.advance()
    obs = game.observe(1)
    assert (obs.quarter, obs.label, obs.quarters_left) == (1, game.world.label(1), quarters - 1)
    assert obs.label != game.world.scenario.start
    assert obs.market.spot == game.state_world[F.SPOT]
    assert obs.market.revenue_gap == game.state_world[F.REVENUE_GAP]
    assert obs.scenario == "base-2024"
    # what a bot needs to plan without copying balance numbers
    params, w = game.world.params, game.state_world
    assert obs.market.gpu_installed_cost == w[F.LIST_PRICE] * w[F.SPOT] + params[P.INFRA_CAPEX_PER_GPU]
    assert obs.market.market_pay == params[P.PACKAGE_REF]
    assert obs.market.researchers_per_kgpu == params[P.RESEARCHERS_PER_KGPU]
    assert [hub.gpus_per_mw for hub in obs.me.hubs] == list(game.world.hubs[:, F.HP_GPUS_PER_MW])
    with pytest.raises(OrdersError):
        game.observe(3)


# --- setup errors --------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, 2**64, 1.5, 3.0, "7", True, False, None, np.float64(2.0), [1]])
def test_a_bad_seed_is_refused(world, seed):
    with pytest.raises(SetupError, match="seed"):
        Game.new(world, seed=seed)


@pytest.mark.parametrize("seed", [0, 1, MAX_SEED, np.int64(12)])
def test_good_seeds_are_accepted(world, seed):
    assert Game.new(world, seed=seed, labs=2).seed == int(seed)


@pytest.mark.parametrize("labs", [0, 1, 9, 100, -2])
def test_a_bad_lab_count_is_refused(world, labs):
    with pytest.raises(SetupError, match="labs"):
        Game.new(world, seed=0, labs=labs)


@pytest.mark.parametrize("labs", [2, 5, 8])
def test_lab_counts_from_2_to_8_are_accepted(world, labs):
    game = Game.new(world, seed=0, labs=labs)
    assert game.n_labs == labs and len(set(game.names)) == labs


@pytest.mark.parametrize("setups, words", [
    ([LabSetup("A"), LabSetup("A")], "unique"),
    ([LabSetup("A"), LabSetup("B", hub="atlantis")], "atlantis"),
    ([LabSetup("A"), LabSetup("B", position="emperor")], "emperor"),
    ([LabSetup("A")], "2-30 labs"),
    ([LabSetup(f"L{k}") for k in range(31)], "2-30 labs"),
])
def test_bad_lab_setups_are_refused(world, setups, words):
    with pytest.raises(SetupError, match=words):
        Game.new(world, seed=0, labs=setups)


def test_an_unknown_scenario_is_refused_with_the_choices(world):
    with pytest.raises(AssetError) as refused:
        Game.new("base-2042", seed=0)
    message = str(refused.value)
    assert "base-2042" in message and "base-2024" in message and "power-crunch" in message
    assert "\n" not in message


# --- corrupted data files ---------------------------------------------------------------------------
@pytest.fixture
def broken_assets(tmp_path, monkeypatch):
    """A copy of assets/ to break; the loaders read from it (their caches bypassed)."""
    copy = tmp_path / "assets"
    shutil.copytree(assets.assets_dir(), copy)
    monkeypatch.setattr(assets, "assets_dir", lambda: copy)

    def corrupt(name: str, old: str, new: str):
        path = copy / name
        text = path.read_text()
        assert text.count(old) == 1, f"{old!r} is not unique in {name}"
        path.write_text(text.replace(old, new))
        return path

    return corrupt


LOADERS = {
    "balance.toml": lambda: assets.load_balance.__wrapped__(),
    "hubs.toml": lambda: assets.load_hubs.__wrapped__(),
    "positions.toml": lambda: assets.load_positions.__wrapped__(),
}


@pytest.mark.parametrize("name, old, new, field", [
    ("balance.toml", "spot_max = { value = 2.5,", 'spot_max = { value = "high",', "spot_max"),
    ("balance.toml", "spot_max = { value = 2.5,", "spot_max = { value = -2.5,", "spot_max"),
    ("balance.toml", "spot_max = { value = 2.5,", "spot_max = { value = nan,", "spot_max"),
    ("balance.toml", "lock_in = { value = 0.75,", "lock_in = { value = inf,", "lock_in"),
    ("balance.toml", "diffusion = { value", "diffusion_typo = { value", "diffusion"),
    ("balance.toml", 'fire_sale_price = { value = 0.4, source = "design: distressed GPUs sell at 40% of spot" }',
     "fire_sale_price = { value = 0.4 }", "fire_sale_price"),
    ("hubs.toml", "pue = { value = 1.1,", "pue = { value = 0.5,", "pue"),
    ("hubs.toml", "build_lead_quarters = { value = 1.0, source = \"design: state-backed speed",
     "build_lead_quarters = { value = 7.0, source = \"design: state-backed speed", "build_lead_quarters"),
    ("hubs.toml", 'id = "nordics"', 'id = "Nordics!"', "id"),
    ("hubs.toml", "heat_risk = { value = 0.08,", "heat_risk = { value = 1.5,", "heat_risk"),
    ("positions.toml", "share = { value = 0.02,", "share = { value = 1.5,", "share"),
    ("positions.toml", "gpus = { value = 300.0,", "gpus = { value = -300.0,", "gpus"),
    ("positions.toml", 'title = "Startup"', 'title = "Startup"\nmotto = "move fast"', "motto"),
])
def test_a_corrupted_data_file_gives_one_error_naming_the_file_and_field(broken_assets, name, old, new, field):
    path = broken_assets(name, old, new)
    with pytest.raises(AssetError) as refused:
        LOADERS[name]()
    message = str(refused.value)
    assert str(path) in message, message
    assert field in message, message
    assert len(message.splitlines()) == 1, message


def test_a_data_file_with_broken_toml_names_the_file(broken_assets):
    path = broken_assets("balance.toml", "[capital]", "[capital")
    with pytest.raises(AssetError, match="not valid TOML") as refused:
        LOADERS["balance.toml"]()
    assert str(path) in str(refused.value)


def test_the_unbroken_copy_loads(broken_assets):
    """Control: the copied assets load, so the errors above come from the corruption alone."""
    for load in LOADERS.values():
        load()


@pytest.mark.parametrize("old, new, field", [
    ("quarters = 32", "quarters = 2", "quarters"),
    ("quarters = 32", 'quarters = "many"', "quarters"),
    ('start = "2024Q1"', 'start = "2024Q5"', "start"),
    ('regime = "drawn"', 'regime = "anarchy"', "regime"),
    ("sentiment = { value = 1.2,", "sentiment = { value = 5.0,", "sentiment"),
    ("vendor_supply = { value = 40000.0,", "vendor_supply = { value = -40000.0,", "vendor_supply"),
    ('hub = "nordics"', 'hub = "atlantis"', "labs[2].hub"),
    ('position = "startup"\nhub = "middle_east"', 'position = "emperor"\nhub = "middle_east"', "position"),
])
def test_a_corrupted_scenario_gives_one_error_naming_the_file_and_field(tmp_path, old, new, field):
    source = assets.assets_dir() / "scenarios" / "base-2024.toml"
    text = source.read_text()
    assert text.count(old) == 1
    path = tmp_path / "broken-scenario.toml"
    path.write_text(text.replace(old, new))
    with pytest.raises(AssetError) as refused:
        load_scenario_file(path)
    message = str(refused.value)
    assert str(path) in message and field in message, message
    assert len(message.splitlines()) == 1, message
    # the same file through the front door of a game
    with pytest.raises(AssetError):
        Game.new(str(path), seed=0)


def test_a_scenario_shock_outside_the_campaign_is_refused(tmp_path):
    text = (assets.assets_dir() / "scenarios" / "base-2024.toml").read_text()
    path = tmp_path / "late-shock.toml"
    path.write_text(text + '\n[[shocks]]\nquarter = "2040Q1"\nkind = "music_stops"\nwhy = "far too late"\n')
    with pytest.raises(AssetError, match=r"shocks\[0\]\.quarter") as refused:
        load_scenario_file(path)
    assert str(path) in str(refused.value)


def test_a_scenario_can_set_its_own_escape_velocity(worlds):
    from blitzgame.engine import params as P

    assert worlds["gpu-famine"].params[P.DOMINANCE_GPUS] == 60000.0
    assert worlds["base-2024"].params[P.DOMINANCE_GPUS] == 100000.0


def test_a_dominance_condition_out_of_range_is_refused(tmp_path):
    from blitzgame.assets import AssetError, assets_dir, load_scenario_file

    text = (assets_dir() / "scenarios" / "base-2024.toml").read_text()
    text += '\n[dominance]\ngpus = { value = 1e5, source = "test" }\nshare = { value = 1.5, source = "test" }\n' \
            'quarters = { value = 2.0, source = "test" }\n'
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(AssetError) as refused:
        load_scenario_file(path)
    message = str(refused.value)
    assert "bad.toml" in message and "dominance" in message and "share" in message


def test_vendor_shipments_are_what_the_quarter_ships_through_supply_events_and_fire_sales():
    """``market.vendor_shipments`` is the supply the coming quarter shares out (``world.supply``
    once it is played): the vendors' output under the scenario's events, plus fire-sold GPUs;
    the GPU market's news names the event that cut it."""
    from blitzgame.api import play

    game = play(["sprinter", "platform", "pure", "defender", "efficient"], scenario="gpu-famine", seed=7).game
    cut = [k for k in range(game.quarter) if game.world.sched[k, F.S_SUPPLY_MULT] < 1.0]
    assert cut, "gpu-famine cuts vendors' output"
    replayed = Game(game.world, game.seed, game.setups, game.game_id)
    for k in range(game.quarter):
        market = replayed.observe(0).market
        world = game.history[k].world
        assert market.vendor_supply == world[F.VENDOR_SUPPLY] and market.resold_gpus == world[F.SECONDARY]
        assert market.vendor_shipments == game.history[k + 1].world[F.SUPPLY]  # what the quarter shared out
        assert (market.vendor_shipments < market.vendor_supply + market.resold_gpus) == (k in cut)
        for lab, orders in enumerate(game.orders_log[k]):
            replayed.submit(lab, orders)
        replayed.advance()
        news = [n.text for n in game.reports[k].news if n.phase == "gpu market" and n.lab is None][0]
        assert ("A packaging bottleneck cuts vendor output to 45% for a year" in news) == (
            game.world.sched[k, F.S_SUPPLY_MULT] == pytest.approx(0.45)), news


def test_an_observation_is_a_whole_valid_model_and_its_own_copy(new_game):
    """Observations are built without pydantic's checks (from the engine's own numbers, once a
    quarter for what every lab sees alike): each is still the model it claims, every field set
    and of its type, and what one bot does to its observation's lists reaches no other."""
    from blitzgame.schemas.observation import Observation

    game = new_game(labs=4)
    for lab in range(4):
        game.submit(lab, {"gpus": {"virginia": 500.0}, "hire": 10.0})
    game.advance()
    first, second = game.observe(0), game.observe(1)
    for obs in (first, second):
        again = Observation.model_validate(obs.model_dump())
        assert again == obs and again.model_dump() == obs.model_dump()
        assert obs.model_fields_set == set(Observation.model_fields)
        assert obs.me.model_fields_set == set(type(obs.me).model_fields)
        dumped = obs.model_dump()  # every part lists its fields in the model's order, as a validated one does
        for part, model in ((dumped, Observation), (dumped["me"], type(obs.me)), (dumped["market"], type(obs.market)),
                            (dumped["me"]["hubs"][0], type(obs.me.hubs[0])), (dumped["rivals"][0], type(obs.rivals[0])),
                            (dumped["me"]["last_quarter"], type(obs.me.last_quarter))):
            assert list(part) == list(model.model_fields)
        assert all(isinstance(getattr(obs.me, name), (int, float, str, bool, list, type(obs.me.last_quarter)))
                   for name in type(obs.me).model_fields)
    first.rivals.clear()
    first.me.hubs.clear()
    assert len(game.observe(1).rivals) == 3 and len(game.observe(0).rivals) == 3 and game.observe(0).me.hubs
    game.advance()
    assert game.observe(0).quarter == 2 and game.observe(0).label == game.world.label(2)


@pytest.mark.parametrize("route", ["attribute", "dump", "json", "equality", "repr", "copy", "deepcopy", "pickle", "iterate"])
def test_an_observations_hubs_and_last_quarter_are_there_by_every_route(new_game, route):
    """``me.hubs`` and ``me.last_quarter`` are made on first use (docs/design.md §8): whichever
    way a bot or a tool first reaches them, it finds the same values as one made eagerly."""
    import copy
    import pickle

    game = new_game(labs=3)
    for lab in range(3):
        game.submit(lab, {"gpus": {"virginia": 500.0}, "power_mw": {"nevada": 5.0}, "hire": 10.0})
    game.advance()
    made = game.observe(1)
    whole = made.model_dump()
    assert whole["me"]["hubs"][0]["gpus"] > 0 and whole["me"]["last_quarter"]["gpus_ordered"] > 0
    game.refresh_views()
    obs = game.observe(1)
    me = obs.me
    if route == "attribute":
        assert [hub.model_dump() for hub in me.hubs] == whole["me"]["hubs"]
        assert me.last_quarter.model_dump() == whole["me"]["last_quarter"]
    elif route == "dump":
        assert obs.model_dump() == whole
    elif route == "json":
        assert type(obs).model_validate_json(obs.model_dump_json()).model_dump() == whole
    elif route == "equality":
        assert obs == made and me == made.me
    elif route == "repr":
        assert "hubs=[HubView(" in repr(me) and "last_quarter=LastQuarter(" in repr(me)
    elif route == "copy":
        assert copy.copy(me).model_dump() == whole["me"] and me.model_copy().hubs == made.me.hubs
    elif route == "deepcopy":
        assert copy.deepcopy(obs).model_dump() == whole
    elif route == "pickle":
        assert pickle.loads(pickle.dumps(obs)).model_dump() == whole
    else:
        assert dict(me)["hubs"] == made.me.hubs and dict(me)["last_quarter"] == made.me.last_quarter
    assert me.unpowered == made.me.unpowered


def test_an_observation_read_after_the_game_moved_on_shows_its_own_quarter(new_game):
    """The parts of an observation made when first read are what the lab saw when it was
    observed, not what the game holds by the time a bot (or a log) reads them."""
    game = new_game(labs=2)
    game.submit(0, {"gpus": {"virginia": 500.0}, "power_mw": {"nevada": 5.0}})
    game.advance()
    kept = game.observe(0)
    eager = game.observe(0).model_dump()["me"]
    for _ in range(3):
        game.submit(0, {"gpus": {"nordics": 900.0}, "power_mw": {"nordics": 9.0}, "hire": 5.0})
        game.advance()
    assert [hub.model_dump() for hub in kept.me.hubs] == eager["hubs"]
    assert kept.me.last_quarter.model_dump() == eager["last_quarter"]


def test_each_hub_view_shows_the_labs_own_footprint_there(new_game):
    """Every lab's view of every hub, against the state arrays: where a lab has something, its
    own numbers; where it has nothing, zeros (one frozen view shared by every such lab)."""
    game = new_game(labs=3)
    game.submit(0, {"gpus": {"virginia": 500.0}, "power_mw": {"nevada": 5.0, "nordics": 2.0}})
    game.submit(1, {"power_mw": {"china": 3.0}})
    game.advance()
    labs, hub_ids = game.state_labs, game.world.hub_ids
    seen = {}
    for lab in range(3):
        for h, hub in enumerate(game.observe(lab).me.hubs):
            pipe = F.HUB_MW_PIPE + h * F.PIPE
            mine = (labs[lab, F.HUB_GPUS + h], labs[lab, F.HUB_ONLINE + h], labs[lab, F.HUB_STRANDED + h],
                    labs[lab, F.HUB_BACKLOG + h], labs[lab, F.HUB_MW + h], labs[lab, pipe:pipe + F.PIPE].sum())
            assert hub.id == hub_ids[h]
            assert (hub.gpus, hub.online, hub.stranded, hub.backlog, hub.mw, hub.mw_building) == pytest.approx(mine)
            assert hub.headroom_mw == game.state_world[F.HEADROOM + h]
            if not any(mine):
                assert seen.setdefault(h, hub) is hub  # a bare hub: the same view for every lab
    assert seen and any(game.observe(0).me.hubs[h].mw_building > 0 for h in range(len(hub_ids)))


def test_hub_views_kept_from_earlier_quarters_show_what_fresh_ones_would(new_game):
    """A game keeps the hub views it made and shows one again where nothing it shows moved
    (``observe._hubs``): every observation of a campaign equals one made from nothing, and
    views do come back (a quiet hub, a quarter later)."""
    from blitzgame.session.observe import observe, public_views

    game = new_game(labs=4)
    bots = bots_for(["sprinter", "defender", "pure", "efficient"], 4)
    earlier: set[int] = set()
    again = 0
    while not game.over and game.quarter < 12:
        for lab in range(4):
            kept = game.observe(lab)
            assert kept.model_dump() == observe(game, lab, public_views(game)).model_dump()
            again += sum(id(hub) in earlier for hub in kept.me.hubs)
            earlier.update(id(hub) for hub in kept.me.hubs)
            game.submit(lab, bots[lab].orders_for(game, lab))
        game.advance()
    assert again > 0


def test_numpy_numbers_and_yes_no_pass_as_orders():
    """A bot that works in numpy (``shares.mean() > 0.1``) gives numpy's bools and numbers."""
    shares = np.array([0.2, 0.1])
    orders = Orders(open_source=shares.mean() > 0.1, hire=np.float64(3.0), gpus={"virginia": np.float32(10.0)})
    assert orders.open_source is True and orders.hire == 3.0 and orders.gpus == {"virginia": 10.0}
    assert Orders.model_validate({"open_source": np.bool_(False)}).open_source is False


def test_a_misspelt_order_names_the_one_meant_and_frozen_orders_say_how_to_change_them(new_game):
    from pydantic import ValidationError

    from blitzgame.bots.loader import describe_exception

    game = new_game(labs=2)
    with pytest.raises(OrdersError, match=r"^hier: not a field here: did you mean 'hire'\? \(got 5\.0\)$"):
        game.submit(0, {"hier": 5.0})
    try:
        Orders(trian_split=0.4)
    except ValidationError as error:
        assert "trian_split: not a field here: did you mean 'train_split'?" in describe_exception(error)
    orders = Orders(hire=1.0)
    with pytest.raises(ValidationError) as frozen:
        orders.hire = 5.0
    assert "hire: Instance is frozen; make a changed copy instead: model_copy(update={...})" in describe_exception(
        frozen.value)


@pytest.mark.parametrize("seed, why", [(3, "The campaign is over: Northstar AI is the last lab in the race."),
                                       (4, "The campaign is over: all 32 of its quarters are played.")])
def test_the_last_quarter_s_news_says_why_the_campaign_ended(seed, why):
    """``blitzgame sim --seed 3`` ends when one lab is left, ``--seed 4`` when its quarters run out:
    the first headline says which (the race is the quarter's first news; an escape velocity names
    the lab that reached it)."""
    from blitzgame.api import play

    game = play(["baseline"], seed=seed).game
    headlines = [n.text for n in game.reports[-1].news if n.headline]
    assert headlines[0] == why
    assert not any("campaign is over" in n.text for report in list(game.reports)[:-1] for n in report.news)


def test_labs_beyond_a_roster_are_startups_with_names_of_their_own():
    from blitzgame.session.world import SPARE_NAMES, compile_world, default_setups

    world = compile_world("base-2024")
    roster = [lab.name for lab in world.scenario.labs]
    setups = default_setups(world, 8)
    assert [s.name for s in setups[:len(roster)]] == roster
    extra = setups[len(roster):]
    assert [s.name for s in extra] == list(SPARE_NAMES[:len(extra)]) and {s.position for s in extra} == {"startup"}
    assert len({s.name.casefold() for s in setups}) == 8
    game = Game(world, 3, setups)
    assert game.names[len(roster):] == [s.name for s in extra]


def test_a_lab_about_to_win_is_the_quarters_first_news():
    """The escape-velocity warnings sat at the very bottom of a long report: the race comes first."""
    from blitzgame.api import play

    warned = 0
    for seed in range(12):
        game = play(["sprinter", "pure", "platform", "defender", "efficient"], seed=seed).game
        for report in game.reports:
            news = report.for_lab(0)
            if any("dominates the race" in n.text for n in news):
                assert news[0].phase == "victory", [n.text[:60] for n in news[:3]]
                warned += 1
    assert warned > 0
