"""The orders forecast is the quarter: what it calls certain, the quarter shows exactly.

Hundreds of quarters with random orders (nothing at all, a little, more than the lab can pay
for), rivals played by the archetypes: before each, the forecast; after it, the same figures
read off the real outcome by the same function.
"""

import math

import numpy as np
import pytest

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.formats import money_apart
from blitzgame.schemas.orders import Orders
from blitzgame.session.campaign import Campaign, Human
from blitzgame.session.forecast import forecast_figures

FIGURES = ("spend", "cash_after", "runway", "gpus_arriving", "gpus_online", "revenue", "stranded", "power_headroom",
           "grid_headroom_mw", "hires", "rented", "equity_in", "debt_in", "valuation", "score")


def random_orders(rng: np.random.Generator, hub_ids: tuple[str, ...], cash: float, researchers: float) -> Orders:
    """Anything a player might type: often nothing, sometimes far beyond the lab's means."""
    if rng.random() < 0.2:
        return Orders()
    scale = max(cash, 1.0) * float(rng.choice([0.01, 0.05, 0.2, 3.0], p=[0.3, 0.4, 0.25, 0.05]))
    hubs = [str(h) for h in rng.choice(hub_ids, size=int(rng.integers(0, 3)), replace=False)]
    maybe = lambda p, x: x if rng.random() < p else 0.0  # noqa: E731
    return Orders(
        gpus={h: float(int(scale / 0.05 * rng.random()) + 1) for h in hubs},
        power_mw={h: float(round(scale / 10.0 * rng.random(), 1)) for h in hubs if rng.random() < 0.7},
        premium=maybe(0.2, float(rng.random()) * 0.3), cancel=maybe(0.1, float(rng.random())),
        rent=maybe(0.3, float(int(scale / 0.02 * rng.random()))),
        hire=maybe(0.6, float(rng.integers(0, 40))), layoff=maybe(0.1, float(int(researchers * 0.2 * rng.random()))),
        package=float(rng.choice([1.0, 2.0, 4.0])) if rng.random() < 0.3 else None,
        train_split=float(rng.random()), equity=maybe(0.3, float(int(scale * rng.random()))),
        debt=maybe(0.2, float(int(scale * (rng.random() - 0.5)))),
        efficiency_rnd=maybe(0.3, float(int(scale * 0.1 * rng.random()))),
        silicon_rnd=maybe(0.1, float(int(scale * 0.1 * rng.random()))),
        open_source=bool(rng.random() < 0.1), partnership=maybe(0.1, float(rng.random())),
        bid=maybe(0.1, float(int(scale * rng.random()))),
    )


@pytest.mark.slow
def test_every_figure_the_forecast_calls_certain_is_what_the_quarter_shows():
    checked = {name: 0 for name in FIGURES}
    quarters = 0
    for seed in range(14):
        campaign = Campaign.new([Human("Forecaster", position=("startup", "challenger")[seed % 2])], seed=seed, rivals=4)
        game, lab = campaign.game, campaign.player
        rng = np.random.default_rng(seed)
        while not game.over and game.alive(lab):
            me = game.observe(lab).me
            orders = random_orders(rng, game.world.hub_ids, me.cash, me.researchers)
            forecast = campaign.preview(lab, orders)
            campaign.submit(lab, orders)
            campaign.end_quarter()
            game = campaign.game
            outcome = forecast_figures(game.state_labs, game.state_world, lab, orders, game.world)
            for name in forecast.certain:
                said = getattr(forecast, name)
                assert math.isclose(said, outcome[name], rel_tol=1e-9, abs_tol=1e-6), (game.label, name, said, outcome)
                checked[name] += 1
            for name in FIGURES:
                assert forecast.low[name] <= getattr(forecast, name) <= forecast.high[name]
            quarters += 1
    assert quarters >= 200
    assert all(checked[name] >= 20 for name in ("spend", "gpus_arriving", "power_headroom", "hires")), checked


def test_the_forecast_shows_what_the_quarter_does_to_the_valuation_and_the_score():
    """A player's first quarter cut the valuation from $1.1B to $454M and the score below 0 with no
    word beforehand: GPUs bought ahead of their power count at a fire sale, power being built at
    nothing. The forecast shows both, as the quarter would leave them."""
    campaign = Campaign.new([Human("Forecaster", position="startup")], seed=2, rivals=4)
    hub = campaign.game.world.hub_ids[0]
    idle = campaign.preview(0, Orders(gpus={hub: 10_000.0}, power_mw={hub: 1.0}))
    calm = campaign.preview(0, Orders())
    assert idle.valuation < 0.7 * calm.valuation and idle.score < calm.score
    assert idle.low["valuation"] <= idle.valuation <= idle.high["valuation"]
    campaign.submit(0, Orders())
    campaign.end_quarter()
    me = campaign.game.observe(0).me
    assert calm.low["score"] - 1e-9 <= me.score <= calm.high["score"] + 1e-9


def test_hiring_and_laying_off_in_one_quarter_is_warned_of():
    """A player ordered a hire and a layoff of 1,000 (of 41) in the same quarter with one warning,
    about the layoff's size: both happen, and both cost."""
    campaign = Campaign.new([Human("Both", position="startup")], seed=2, rivals=2)
    both = [w for w in campaign.preview(0, Orders(hire=5.0, layoff=1_000.0)).warnings if "You both hire" in w]
    staff = campaign.game.state_labs[0, F.RESEARCHERS]
    assert both == [f"You both hire 5 and let {staff:,.0f} researchers go this quarter: both happen, so you pay "
                    "hiring bonuses and severance at once (M6); hiring fewer, or letting fewer go, would leave you "
                    "the same team for less."]
    assert not [w for w in campaign.preview(0, Orders(hire=5.0)).warnings if "You both hire" in w]


def test_the_forecast_shows_the_revenue_the_training_share_leaves():
    """Compute that trains serves no customers (M2): a lab serving at full capacity earns less in the
    forecast the more of its compute it trains with."""
    campaign = Campaign.new([Human("Forecaster", position="challenger")], seed=2, rivals=4)
    serve, train = (campaign.preview(0, Orders(train_split=split)) for split in (0.1, 0.95))
    assert train.revenue < serve.revenue and serve.low["revenue"] <= serve.revenue <= serve.high["revenue"]


def test_the_forecast_says_what_depends_on_rivals_and_luck():
    campaign = Campaign.new([Human("Forecaster")], seed=1, rivals=4)
    hub = campaign.game.world.hub_ids[0]
    quiet = campaign.preview(0, Orders())
    assert {"spend", "hires", "gpus_arriving", "power_headroom"} <= quiet.certain  # nothing asked of a shared market
    assert "cash_after" not in quiet.certain  # revenue: customers choose among the labs
    assert "gpus_online" not in quiet.certain  # a heatwave can take GPUs down in a hot hub
    busy = campaign.preview(0, Orders(gpus={hub: 5000.0}, equity=500.0, hire=30.0))
    assert not {"gpus_arriving", "cash_after", "hires"} & busy.certain  # vendors, investors, the talent pool
    assert busy.low["gpus_arriving"] < busy.high["gpus_arriving"]


def test_power_is_counted_hub_by_hub_and_a_full_grid_is_warned_of():
    """A GPU runs only on its own hub's power: spare power in one hub hides no shortfall in another."""
    from blitzgame.engine import layout as F

    campaign = Campaign.new([Human("Forecaster", position="challenger", hub="virginia")], seed=1, rivals=4)
    game = campaign.game
    home, other = game.world.hub_index("virginia"), game.world.hub_index("nordics")
    game.state_labs[0, F.HUB_MW + home] += 100.0  # plenty of spare power at home
    game.state_world[F.HEADROOM + other] = 2.0  # and a nearly full grid in the Nordics
    preview = campaign.preview(0, Orders(gpus={"nordics": 3000.0}, power_mw={"nordics": 10.0}))
    short = [w for w in preview.warnings if "have no power built or building" in w]
    assert preview.power_headroom < -0.5 and len(short) == 1
    assert f"in {game.world.hub_names[other]}" in short[0] and f"{-preview.power_headroom:,.0f} GPUs" in short[0]
    grid = [w for w in preview.warnings if "its grid has 2 MW free" in w]
    assert len(grid) == 1 and grid[0].startswith(game.world.hub_names[other]) and "10 MW" in grid[0]


def test_a_hub_whose_power_is_exactly_full_is_not_short():
    """Power that runs exactly the GPUs a hub holds (to a rounding error) hides no spare power elsewhere."""
    from blitzgame.engine import layout as F
    from blitzgame.session.forecast import power_room

    campaign = Campaign.new([Human("Forecaster", position="challenger", hub="virginia")], seed=1, rivals=4)
    game, w = campaign.game, campaign.game.world
    home, other = w.hub_index("virginia"), w.hub_index("nordics")
    row = game.state_labs[0]
    row[F.HUB_MW + home] = (row[F.HUB_GPUS + home] + row[F.HUB_BACKLOG + home] - 1e-9) / w.hubs[home, F.HP_GPUS_PER_MW] \
        - sum(row[F.HUB_MW_PIPE + home * F.PIPE + k] for k in range(F.PIPE))
    row[F.HUB_MW + other] += 10.0  # spare power in the Nordics
    assert -1e-6 < power_room(game.state_labs, 0, w)[home] < 0.0
    figures = forecast_figures(game.state_labs, game.state_world, 0, Orders(), w)
    # spare: each hub's whole GPUs, as the form writes each hub's room (a player read "+5,935 spare" where
    # the hubs' rooms added up to 5,934)
    assert figures["power_headroom"] == sum(math.floor(r) for r in power_room(game.state_labs, 0, w) if r > 0.0)
    assert figures["power_headroom"] > 0.5


def test_gpus_that_arrive_before_their_power_are_warned_of():
    """GPUs delivered this quarter to a hub whose power is still being built sit idle: the forecast says so."""
    campaign = Campaign.new([Human("Forecaster", position="challenger", hub="virginia")], seed=1, rivals=4)
    preview = campaign.preview(0, Orders(gpus={"nevada": 3000.0}, power_mw={"nevada": 30.0}))
    idle = [w for w in preview.warnings if "would sit idle this quarter" in w]
    assert preview.stranded >= 0.5 and preview.power_headroom >= 0.0, "power is building for them"
    assert len(idle) == 1 and "in Nevada" in idle[0]


def test_gpus_where_customers_pay_less_are_said_to_price_all_the_revenue_lower():
    """A player's forecast fell from ~$128M to ~$121M of revenue for GPUs bought cheaply and already
    powered in the Middle East and China, with no word why: revenue is priced at the average of
    the hubs the GPUs run in, so the forecast says so, with both averages, and the hubs show it."""
    campaign = Campaign.new([Human("Forecaster", position="challenger", hub="virginia")], seed=77, rivals=4)
    for _ in range(3):  # power in the Middle East first, so GPUs there run the quarter they arrive
        campaign.submit(0, Orders(power_mw={"middle_east": 20.0}))
        campaign.end_quarter()
    said = [w for w in campaign.preview(0, Orders(gpus={"middle_east": 3000.0})).warnings if "Customers pay less" in w]
    assert len(said) == 1 and said[0].startswith("Customers pay less for compute served from Middle East (x0.85): "
                                                 "your revenue is priced at the average over the hubs your GPUs run "
                                                 "in, x1.15 last quarter, x1.")
    assert "with the GPUs that run this quarter" in said[0]
    assert not [w for w in campaign.preview(0, Orders(gpus={"virginia": 300.0})).warnings if "Customers pay" in w]
    # GPUs where no power runs them yet: said too, for when they do
    later = [w for w in campaign.preview(0, Orders(gpus={"china": 300.0})).warnings if "Customers pay less" in w]
    assert len(later) == 1 and "China (x0.80)" in later[0] and "lower once they run (power first)" in later[0]
    hubs = {hub.id: hub for hub in campaign.game.observe(0).me.hubs}  # what the factor is, for a bot and the screens
    assert (hubs["virginia"].revenue_factor, hubs["middle_east"].revenue_factor, hubs["china"].talent_factor) == (
        1.15, 0.85, campaign.game.world.hubs[4, F.HP_TALENT_FACTOR])


def test_orders_that_thin_talent_density_out_are_warned_of():
    """A player laid off 60 researchers and cut pay, then bought 19,480 GPUs with 165 researchers:
    talent density fell to 0.60 and 0.33 with no word. The forecast says how far it falls and how
    many more researchers would hold it; the observation (and HQ) show it."""
    campaign = Campaign.new([Human("Forecaster", position="challenger", hub="virginia")], seed=77, rivals=4)
    me = campaign.game.observe(0).me
    assert 0.0 < me.talent_density <= 1.0
    layoff = campaign.preview(0, Orders(layoff=0.8 * me.researchers))
    said = [w for w in layoff.warnings if w.startswith("Your talent density would fall from ")]
    assert len(said) == 1 and "Training runs fail more often and GPUs sit less used (M6)" in said[0]
    assert not [w for w in campaign.preview(0, Orders(hire=5.0)).warnings if "talent density would fall" in w]


def test_a_scheduled_grid_cut_and_export_controls_are_warned_of_and_named_in_the_report():
    """classroom-grid-and-borders pauses Virginia's grid in 2024Q3 and starts export controls in
    2025Q1: the forecast warns of both before the quarter, and the report names the event, not
    rivals, as the reason the grid connected nothing."""
    campaign = Campaign.new([Human("Grid Lab", hub="virginia")], scenario="classroom-grid-and-borders", seed=5,
                            rivals=["defender"])
    game = campaign.game
    while game.label != "2024Q3":
        campaign.end_quarter()
    orders = Orders(power_mw={"virginia": 5.0})
    preview = campaign.preview(0, orders)
    cut = [w for w in preview.warnings if w.startswith("Northern Virginia")]
    assert len(cut) == 1 and "0 MW free after this quarter's scheduled scenario event" in cut[0]
    campaign.submit(0, orders)
    campaign.end_quarter()
    lines = [n.text for n in game.reports[-1].for_lab(0) if n.phase == "power"]
    grid = [line for line in lines if line.startswith("The grid connected 0.0 of the 5.0 MW")]
    assert len(grid) == 1 and "a scheduled scenario event cut the grid's free headroom" in grid[0]
    while game.label != "2025Q1":
        campaign.end_quarter()
    controls = [w for w in campaign.preview(0, Orders()).warnings if w.startswith("Export controls are scheduled")]
    assert len(controls) == 1 and "China" in controls[0]


def test_laying_off_more_researchers_than_the_lab_has_is_warned_of():
    campaign = Campaign.new([Human("Lean Lab")], seed=1, rivals=2)
    staff = campaign.game.observe(0).me.researchers
    warned = [w for w in campaign.preview(0, Orders(layoff=staff + 100)).warnings if "researchers go but have" in w]
    assert len(warned) == 1 and f"have {staff:,.0f}" in warned[0]


def test_releasing_open_weights_and_ordering_past_the_cash_are_warned_of():
    """Open weights halve what a customer pays (the forecast's revenue falls with no word before);
    GPUs ordered past the cash take all of it, ahead of payroll."""
    campaign = Campaign.new([Human("Lean Lab")], seed=1, rivals=2)
    params = campaign.game.world.params
    [open_] = [w for w in campaign.preview(0, Orders(open_source=True)).warnings if w.startswith("Releasing open")]
    assert f"each pays {params[P.OPEN_PRICE]:.0%} of the price" in open_
    assert not [w for w in campaign.preview(0, Orders()).warnings if w.startswith("Releasing open")]
    hub = campaign.game.world.hub_ids[0]
    warnings = campaign.preview(0, Orders(gpus={hub: 2_000_000.0})).warnings
    [short] = [w for w in warnings if w.startswith("You cannot pay for all the GPUs ordered: your cash covers ≈")]
    assert "of the 2,000,000 ordered. Vendors queue only what a lab can pay for, so in a shortage your share is of " \
           "those, and they are paid before payroll" in short


def test_orders_that_do_nothing_or_get_less_than_asked_are_warned_of():
    """Repaying debt the lab does not owe, cancelling an empty backlog, renting more than the
    cloud's pool: each is said, where the confirmation would otherwise list them as orders."""
    from blitzgame.formats import count

    campaign = Campaign.new([Human("Lean Lab")], seed=1, rivals=2)
    me = campaign.game.observe(0).me
    assert me.debt == 0.0 and me.backlog == 0.0
    warnings = campaign.preview(0, Orders(debt=-50.0, cancel=1.0)).warnings
    assert "You ask to repay $50M of debt but owe nothing." in warnings
    assert "You ask to cancel 100% of your GPU backlog, but nothing is on order." in warnings
    pool = campaign.game.observe(0).market.cloud_pool
    preview = campaign.preview(0, Orders(rent=pool * 10))
    [rented] = [w for w in preview.warnings if w.startswith("The cloud would rent you about ")]
    assert f" of the {count(pool * 10)} GPUs asked for" in rented and f": its pool of {count(pool)} would run out, " \
        "shared among" in rented
    hub = campaign.game.world.hub_ids[0]  # GPUs that take every dollar leave none for rent: the cash is why
    preview = campaign.preview(0, Orders(gpus={hub: 1_000_000.0}, rent=pool / 2))
    [rented] = [w for w in preview.warnings if w.startswith("The cloud would rent you about ")]
    assert rented.endswith(": your cash would cover no more (rent is paid from what GPUs ordered leave) (M13).")
    # all of it as rivals rented last quarter (nothing: the first quarter), less if they rent more: said too (a
    # player got 29 of 100 in a first quarter)
    maybe = campaign.preview(0, Orders(rent=pool / 2))
    assert maybe.rented == pytest.approx(pool / 2) and maybe.low["rented"] < pool / 2
    [rented] = [w for w in maybe.warnings if w.startswith("The cloud may rent you fewer than the ")]
    assert rented.endswith(f"rivals renting more than last quarter would leave you as few as "
                           f"{count(maybe.low['rented'])} (M13).")
    quiet = campaign.preview(0, Orders(rent=1.0, hire=5.0)).warnings
    assert not any(w.startswith(("The cloud would", "You ask to repay", "You ask to cancel")) for w in quiet)


def test_leaving_the_death_zone_and_training_at_the_tier_ceiling_are_said():
    """A forecast whose cash rose for no reason a player could see (retention grants ending as the
    lab leaves the death zone), and a training split that buys nothing, each get a line."""
    from blitzgame.engine.turn import tier_ceiling

    campaign = Campaign.new([Human("Mid Lab", position="startup", hub="virginia")], seed=1, rivals=2)
    game = campaign.game
    h = game.world.hub_index("virginia")
    labs = game.state_labs
    labs[0, F.HUB_GPUS + h] = labs[0, F.ONLINE] = labs[0, F.GPUS] = 9_000.0  # in the zone...
    labs[0, F.HUB_BACKLOG + h] = labs[0, F.BACKLOG] = 3_000.0  # ... with enough on its way to leave it
    labs[0, F.HUB_MW + h] = 20.0  # power for them all
    labs[0, F.RETENTION] = 7.0
    labs[0, F.CASH] = 5_000.0
    game.refresh_views()
    left = [w for w in campaign.preview(0, Orders(train_split=0.0)).warnings if "out of the death zone" in w]
    assert len(left) == 1 and "retention grants, $7.0M of last quarter's payroll, which Cash after counts (M7)" in left[0]

    assert tier_ceiling(labs, 0) == 3.0  # 9,000 GPUs online; the quarter's training meets 12,000: a ceiling of 4
    labs[0, F.QUALITY] = 4.0
    game.refresh_views()
    [idle] = [w for w in campaign.preview(0, Orders(train_split=0.7)).warnings if "tier ceiling" in w]
    assert "a training run adds nothing this quarter; the 70% of compute it takes serves no customers, and ≈$" in idle
    assert idle.endswith("of what they wanted goes unserved (M1, M2).")
    assert not [w for w in campaign.preview(0, Orders(train_split=0.0)).warnings if "tier ceiling" in w]
    # compute to spare: customers served either way, as when the Suggest button's bot trains at the ceiling
    labs[0, F.HUB_GPUS + h] = labs[0, F.ONLINE] = labs[0, F.GPUS] = 99_000.0
    labs[0, F.HUB_MW + h] = 200.0
    labs[0, F.QUALITY] = 5.0
    game.refresh_views()
    [spare] = [w for w in campaign.preview(0, Orders(train_split=0.1)).warnings if "tier ceiling" in w]
    assert spare.endswith("your customers are served either way, so the 10% of compute it takes costs no revenue (M1).")


def test_a_ceiling_that_rented_gpus_may_lift_is_not_called_certain():
    """A player was told training buys nothing at the tier ceiling, then rented GPUs lifted the
    quarter's ceiling and the model gained. Where some of the forecast's runs reach the next tier,
    the forecast says it depends on the rental, not that training adds nothing."""
    campaign = Campaign.new([Human("Big Lab", position="startup", hub="virginia")], seed=1, rivals=2)
    game = campaign.game
    h = game.world.hub_index("virginia")
    labs = game.state_labs
    labs[0, F.HUB_GPUS + h] = labs[0, F.ONLINE] = labs[0, F.GPUS] = 95_000.0  # 5,000 short of the next tier
    labs[0, F.HUB_MW + h] = 200.0
    labs[:, F.CASH] = 50_000.0
    labs[0, F.QUALITY] = 4.0
    game.refresh_views()
    pool = game.state_world[F.CLOUD_POOL]
    game.orders_log.append([Orders()] + [Orders(rent=pool)] * 2)  # the rivals took the whole cloud last quarter
    [maybe] = [w for w in campaign.preview(0, Orders(train_split=0.7, rent=10_000)).warnings if "ceiling" in w]
    assert "at your tier ceiling of 4 as the figures shown have it" in maybe
    assert "reach the next tier, a ceiling of 5: whether training adds anything depends on how many" in maybe
    [idle] = [w for w in campaign.preview(0, Orders(train_split=0.7)).warnings if "ceiling" in w]
    assert "a training run adds nothing this quarter" in idle


def test_renting_says_it_spreads_the_researchers_over_more_compute():
    """A player saw revenue fall as they rented GPUs: the rented compute needs researchers too (M6)."""
    from blitzgame.engine.people import researchers_needed

    campaign = Campaign.new([Human("Renter", position="startup")], seed=1, rivals=2)
    labs = campaign.game.state_labs
    labs[0, F.RESEARCHERS] = researchers_needed(labs, 0, campaign.game.world.params) * 1.05  # enough for its own GPUs
    labs[0, F.TALENT_QUALITY] = 1.0
    campaign.game.refresh_views()
    [note] = [w for w in campaign.preview(0, Orders(rent=5000.0)).warnings if w.startswith("Rented GPUs need")]
    assert "your talent density would be" in note and "against 100% without" in note
    assert not [w for w in campaign.preview(0, Orders()).warnings if w.startswith("Rented GPUs need")]


def test_entering_the_death_zone_nearing_the_covenant_and_a_likely_crash_are_warned_of():
    """What bites next quarter is said before it is played: GPUs that cross into the death zone,
    debt close to the covenant line, the chance the music stops."""
    from blitzgame.engine import layout as F
    from blitzgame.session.crash import crash_chance
    from blitzgame.session.forecast import CRASH_WARNING

    startup = Campaign.new([Human("Small Lab", position="startup", hub="nordics")], seed=1, rivals=2)
    game = startup.game
    game.state_labs[0, F.HUB_MW + game.world.hub_index("nordics")] += 5.0  # power for 4,000 GPUs more
    game.refresh_views()
    zone = [w for w in startup.preview(0, Orders(gpus={"nordics": 2000.0})).warnings if "death zone" in w]
    assert len(zone) == 1 and "(M7)" in zone[0]
    assert not [w for w in startup.preview(0, Orders(gpus={"nordics": 100.0})).warnings if "death zone" in w]

    borrower = Campaign.new([Human("Debt Lab", position="challenger")], seed=1, rivals=2)
    covenant = [w for w in borrower.preview(0, Orders(debt=5000.0)).warnings if "covenant line" in w]
    assert len(covenant) == 1 and "lenders call the excess" in covenant[0]
    assert not [w for w in borrower.preview(0, Orders(debt=10.0)).warnings if "covenant line" in w]
    borrower.game.state_labs[0, F.DEBT] = 50_000.0  # far past the line: lenders call the excess this quarter
    borrower.game.refresh_views()
    called = [w for w in borrower.preview(0, Orders()).warnings if w.startswith("Lenders would call ")]
    assert len(called) == 1 and "of debt this quarter" in called[0]
    borrower.game.state_labs[0, F.DEBT] = 0.0
    borrower.game.refresh_views()

    game = borrower.game
    game.state_world[F.MUSIC_PRESSURE] = 10.0  # a long boom's pressure piled up
    game.refresh_views()
    chance = crash_chance(game)
    assert chance >= CRASH_WARNING and borrower.capital_market().crash_chance == chance
    crash = [w for w in borrower.preview(0, Orders()).warnings if w.startswith("The music may stop this quarter")]
    assert len(crash) == 1 and f"≈{chance:.1%}" in crash[0]


def test_a_scheduled_crash_is_said_to_come_this_quarter_not_given_a_chance():
    """Capital Winter's music stops on schedule in 2025Q3: HQ and the forecast say it stops that
    quarter, whatever the chance of a crash by pressure."""
    from blitzgame.engine.turn import interest_rate
    from blitzgame.session.crash import crash_scheduled
    from blitzgame.session.forecast import terms

    campaign = Campaign.new([Human("Winter Lab", position="challenger")], scenario="capital-winter", seed=3, rivals=2)
    game = campaign.game
    while game.label != "2025Q3":
        assert not crash_scheduled(game) and not campaign.capital_market().crash_scheduled
        ahead = [w for w in campaign.preview(0, Orders()).warnings if w.startswith("The music stops as next quarter")]
        assert campaign.capital_market().crash_next == (game.label == "2025Q2") == bool(ahead)  # a quarter's warning
        campaign.end_quarter()
        game = campaign.game
    assert crash_scheduled(game) and campaign.capital_market().crash_scheduled
    warned = [w for w in campaign.preview(0, Orders()).warnings if w.startswith("The music stops this quarter")]
    assert len(warned) == 1 and "scheduled for 2025Q3" in warned[0]
    # what this quarter's loans and GPU orders meet is the market the crash leaves, not the one before it
    now, before = terms(game, 0), game.state_world
    assert now.crash and now.spot < before[F.SPOT] and now.rate > float(interest_rate(before, game.world.params))
    spot = now.spot
    campaign.end_quarter()
    assert campaign.capital_market().music_stopped and not campaign.capital_market().crash_scheduled
    paid = [n.text for n in campaign.game.reports[-1].news if n.text.startswith("Vendors shipped")]
    assert f"spot x{spot:.2f} (this quarter's orders paid it, the music stopping as the quarter opened" in paid[0]
    assert terms(campaign.game, 0).crash is False


def test_a_bid_that_could_buy_a_rival_in_distress_is_said():
    """A bid can buy a rival whose cash runs out (M9): the runs where it does send the ranges high,
    and the forecast says which rival and why; without a bid it says nothing of the kind."""
    campaign = Campaign.new([Human("Helix Labs", "challenger", "nordics")], seed=3, rivals=["sprinter", "defender"])
    campaign.end_quarter()
    game = campaign.game
    game.state_labs[2, F.CASH] = -5000.0  # Aurora Research, out of cash: in distress this quarter
    game.refresh_views()
    said = [w for w in campaign.preview(0, Orders(bid=2000.0)).warnings if w.startswith("Your bid could buy")]
    assert said == [f"Your bid could buy {game.names[2]} this quarter, if it falls into distress (M9): its GPUs, power, "
                    "customers and some of its researchers would become yours, which is why some ranges here run so high; "
                    "so would their running costs from next quarter (energy, payroll, overhead)."]
    assert not [w for w in campaign.preview(0, Orders()).warnings if w.startswith("Your bid could buy")]


def test_a_quarter_that_piles_on_tech_debt_is_said():
    """A player bought GPUs a quarter before their power and found tech debt 0.00 -> 0.63 in the
    report, outages after it, and no word in the forecast."""
    campaign = Campaign.new([Human("Fast Lab", position="startup", hub="virginia")], seed=1, rivals=2)
    game = campaign.game
    game.state_labs[0, F.CASH] = 5_000.0
    game.refresh_views()
    [said] = [w for w in campaign.preview(0, Orders(gpus={"virginia": 2_000.0})).warnings if "Tech debt" in w]
    assert said.startswith("Tech debt would rise 0.00 -> ") and "M6)" in said
    assert "(≈2,000, powered or not; fewer in other runs, as few as " in said  # (vendors may ship fewer)
    campaign.submit(0, Orders(gpus={"virginia": 2_000.0}))
    campaign.end_quarter()
    assert said.startswith(f"Tech debt would rise 0.00 -> {game.state_labs[0, F.TECH_DEBT]:.2f}")  # as it came
    assert not [w for w in campaign.preview(0, Orders(hire=1.0)).warnings if "Tech debt" in w]


def test_a_partnership_says_what_the_partner_takes_and_what_its_compute_asks_of_researchers():
    """A player saw revenue rise with a partnership and cash fall: the partner's share was said nowhere."""
    from blitzgame.engine.people import researchers_needed

    campaign = Campaign.new([Human("Partner", position="startup")], seed=1, rivals=2)
    labs = campaign.game.state_labs
    labs[0, F.RESEARCHERS] = researchers_needed(labs, 0, campaign.game.world.params) * 1.05
    labs[0, F.TALENT_QUALITY] = 1.0
    campaign.game.refresh_views()
    preview = campaign.preview(0, Orders(partnership=1.0))
    [take] = [w for w in preview.warnings if w.startswith("Your compute partner would supply")]
    take_share = campaign.game.world.params[P.PARTNER_REVENUE_TAKE]
    assert f"for {take_share:.0%} of your revenue" in take and "which Cash after counts (M13)" in take
    [density] = [w for w in preview.warnings if w.startswith("Partner GPUs need researchers too")]
    assert "against 100% without" in density
    assert not [w for w in campaign.preview(0, Orders()).warnings if "partner" in w.lower()]


def test_a_scenario_event_that_moves_a_grid_this_quarter_is_said_before_it_happens():
    """The forecast showed Nevada's grid at 95 MW where the orders form said 0 free: a transmission line
    the scenario opens that quarter, which the player learnt of only afterwards."""
    campaign = Campaign.new([Human("Builder", position="startup")], scenario="power-crunch", seed=11, rivals=4)
    game = campaign.game
    said = {}
    while game.quarter < 12:
        label = game.world.label(game.quarter)
        said[label] = [w for w in campaign.preview(0, Orders()).warnings if w.startswith("A scenario event")]
        game.advance()
    assert said["2026Q1"] == ["A scenario event as this quarter opens: A new transmission line opens in Nevada "
                              "(100 MW more free grid in Nevada Desert); the figures here count it."]
    assert said["2025Q2"] and "up to 150 MW less free grid in Northern Virginia" in said["2025Q2"][0]
    assert said["2025Q4"] == ["A scenario event as next quarter opens: A new transmission line opens in Nevada "
                              "(the grid in Nevada Desert; M5)."]  # and the quarter before, to plan for
    assert said["2025Q1"] and said["2025Q1"][0].startswith("A scenario event as next quarter opens: ")
    assert not any(lines for label, lines in said.items() if label not in ("2025Q1", "2025Q2", "2025Q4", "2026Q1"))


def test_hiring_past_what_the_compute_needs_is_warned_of():
    """A player hired 40 researchers for 900 GPUs with no word: the staffing guide was in the market view only."""
    campaign = Campaign.new([Human("Hirer", position="startup")], seed=1, rivals=2)  # 300 GPUs: 1.2 researchers
    campaign.game.state_labs[0, F.RESEARCHERS] = 10.0  # (a core team of ten is never called too many)
    campaign.game.refresh_views()
    assert not [w for w in campaign.preview(0, Orders(hire=2.0)).warnings if "researchers where" in w]
    [note] = [w for w in campaign.preview(0, Orders(hire=20.0)).warnings if "researchers where" in w]
    assert note.startswith("You would have ≈30 researchers where the compute you run, and the GPUs you own or have "
                           "on order once powered, need ≈1 (4 per 1,000 GPUs, M6)")
    assert note.endswith("talent density stops at 100%, so those past it add pay, not speed.")
    # hiring ahead of a jump (M1, M6): 10,000 GPUs ordered with no power for them yet need 40 researchers
    hub = campaign.game.world.hub_ids[0]
    jump = campaign.preview(0, Orders(hire=20.0, gpus={hub: 10_000.0}, power_mw={hub: 18.0})).warnings
    assert not [w for w in jump if "researchers where" in w]
    # power alone is no jump: it needs no researchers until GPUs are ordered for it, and the note says so
    [ahead] = [w for w in campaign.preview(0, Orders(hire=20.0, power_mw={hub: 18.0})).warnings
               if "researchers where" in w]
    assert ahead.endswith("add pay, not speed (power being built counts only once GPUs are ordered for it).")


def test_a_runway_past_the_cap_is_cash_flow_positive_only_without_a_burn():
    """The forecast said "Runway after ≈cash-flow positive" of a quarter that burned $42M: 99 quarters is
    the rules' cap, reached by a big pile of cash as by a lab that earns more than it spends."""
    from blitzgame.tui.widgets.preview_panel import runway_label

    campaign = Campaign.new([Human("Rich", position="startup")], seed=1, rivals=2)
    campaign.game.state_labs[0, F.CASH] = 1e6  # $1T: any burn is 99+ quarters of runway
    campaign.game.refresh_views()
    preview = campaign.preview(0, Orders(hire=5.0))
    assert preview.runway == 99.0 and preview.burning
    assert runway_label(preview.runway, preview.burning) == "99+ quarters"
    assert runway_label(99.0, burning=False) == "cash-flow positive" and runway_label(12.34) == "12.3 quarters"


def test_the_figures_shown_are_a_quarter_without_a_chance_crash(monkeypatch):
    """Like a heatwave, a chance crash is luck, not the plan: the figures shown come from dice
    where the music plays on (the range and the crash warning show the rest), or a quarter's
    forecast could read half the valuation the quarter brings."""
    from blitzgame.session import forecast as module
    from blitzgame.session.game import Game

    game = Game.new("base-2024", seed=17)
    real = module._resolve
    calls = []

    def first_crashes(game, lab, orders, table, key):
        figures, labs, world = real(game, lab, orders, table, key)
        calls.append(key)
        if len(calls) == 1:  # the first dice tried stop the music by chance
            world = world.copy()
            world[F.MUSIC_STOPPED] = 1.0
            figures = {**figures, "valuation": -1.0}
        return figures, labs, world

    monkeypatch.setattr(module, "_resolve", first_crashes)
    preview = module.forecast(game, 0, Orders())
    assert preview.valuation > 0.0 and len(calls) > 2  # shown from the next dice; the other runs as before


def test_gpus_ordered_where_export_controls_may_start_are_warned_of_and_blocked_power_is_not_spare():
    """A player ordered 10,000 GPUs in China and controls then started; the form had not said the
    chance, and afterwards the forecast counted China's power as spare for GPUs no vendor can ship."""
    campaign = Campaign.new([Human("Forecaster", position="challenger", hub="virginia")], seed=5, rivals=4)
    game = campaign.game
    risk = game.world.hubs[4, F.HP_EXPORT_RISK]
    said = [w for w in campaign.preview(0, Orders(gpus={"china": 500.0})).warnings if w.startswith("Export controls")]
    assert said == [f"Export controls may start at the end of any quarter (≈{risk:.0%} a quarter, M11): from then "
                    "vendors ship nothing to China, GPUs still on order there included; GPUs running there keep running."]
    assert not [w for w in campaign.preview(0, Orders(gpus={"virginia": 500.0})).warnings if "Export controls" in w]
    china = next(hub for hub in game.observe(0).me.hubs if hub.id == "china")
    assert china.export_risk == risk > 0 and not china.export_blocked  # a bot sees the chance too
    game.state_labs[0, F.HUB_MW + 4] = 50.0  # power built in China, no GPUs there
    game.refresh_views()
    open_spare = campaign.preview(0, Orders()).power_headroom
    game.state_world[F.EXPORT_CONTROLS] = 1.0  # controls on: no vendor ships there
    game.refresh_views()
    assert campaign.preview(0, Orders()).power_headroom < open_spare - 1000.0


def test_export_controls_a_scenario_schedules_are_said_with_their_quarter():
    """On sovereign-ai the form said "≈4% a quarter" for China while the scenario cuts it off for
    certain at the end of 2024Q3."""
    from blitzgame.tui.screens.orders import hub_summary

    campaign = Campaign.new([Human("Forecaster", position="startup", hub="china")], "sovereign-ai", seed=5, rivals=4)
    game, w = campaign.game, campaign.game.world
    assert w.controls_due(0) == 2 and w.label(2) == "2024Q3" and w.controls_due(3) is None
    risk = w.hubs[w.hub_index("china"), F.HP_EXPORT_RISK]
    when = f"export controls start at the end of 2024Q3 (a scenario event; ≈{risk:.0%} a quarter by chance before then; M11)"
    said = [x for x in campaign.preview(0, Orders(gpus={"china": 500.0})).warnings if x.startswith("Export controls")]
    assert said == [f"E{when[1:]}: from then vendors ship nothing to China, GPUs still on order there included; GPUs "
                    "running there keep running."]
    china = next(hub for hub in game.observe(0).me.hubs if hub.id == "china")
    assert f" · {when}: vendors would then ship nothing here" in hub_summary(china, None, when).splitlines()[0]
    assert "≈" in hub_summary(china).splitlines()[0]  # without a schedule: the chance alone


def test_a_round_the_cap_holds_back_says_what_the_sovereign_funds_added_and_why():
    """A player's round grew by 195%, then 131%, then 158% "for the sovereign funds", with no word on why."""
    from blitzgame.tui.screens.orders import hub_summary

    campaign = Campaign.new([Human("Forecaster", position="startup", hub="middle_east")], "sovereign-ai", seed=5,
                            rivals=4)
    game = campaign.game
    me = game.observe(0).me
    gulf = next(hub for hub in me.hubs if hub.id == "middle_east")
    assert gulf.sovereign_funding == 2.0  # a bot sees it too
    assert "sovereign funds: a round sells up to 200% more, by the share of your power built here (M11)" in \
        hub_summary(gulf)
    game.state_labs[0, F.HUB_MW + game.world.hub_index("middle_east")] = 3.0
    game.state_labs[0, F.HUB_MW + game.world.hub_index("virginia")] = 1.0  # a quarter of its power elsewhere
    game.refresh_views()
    [said] = [x for x in campaign.preview(0, Orders(equity=50_000.0)).warnings if "sovereign" in x]
    assert "150% more for the sovereign funds behind your hubs (+200% in Middle East, where 75% of your power is " \
           "built)" in said


def test_running_out_of_cash_says_first_when_the_round_asked_would_come_in_short():
    """A player asked for $400M, ran out of cash, and found why (investors fund a plan, not a
    pile) only in the seventh warning, two pages down."""
    campaign = Campaign.new([Human("Forecaster", position="startup", hub="virginia")], seed=5, rivals=4)
    game = campaign.game
    game.state_labs[0, F.CASH] = 0.5
    game.state_labs[0, F.SPENDING] = 1.0  # a plan of $8M at most: the round comes in short
    game.refresh_views()
    preview = campaign.preview(0, Orders(equity=5000.0, hire=50.0))
    first = preview.warnings[0]
    assert first.startswith("These orders run the lab out of cash this quarter")
    assert f"Investors would put in {money_apart(preview.equity_in, 5000.0)[0]} of the $5.0B asked (why: below)." in first


def test_a_scenarios_supply_cut_is_said_from_the_quarter_before():
    """gpu-famine's packaging bottleneck came with no word the quarter before, while the market
    (and the bots that read it) ran ahead of it."""
    campaign = Campaign.new([Human("Forecaster", "startup", "virginia")], scenario="gpu-famine", seed=31, rivals=4)
    said = {}
    while campaign.game.label != "2025Q2":
        said[campaign.game.label] = [w for w in campaign.preview(0, Orders()).warnings if "scenario event" in w]
        campaign.end_quarter()
    cut = "A packaging bottleneck cuts vendor output to 45% for a year (vendors ship 45% of their output for 4 quarters)"
    assert said["2024Q3"] == []
    assert said["2024Q4"] == [f"A scenario event as next quarter opens: {cut}: GPUs ordered now wait in a queue that "
                              "ships less (M4)."]
    assert said["2025Q1"] == [f"A scenario event as this quarter opens: {cut}; the figures here count it (M4)."]


def test_runs_where_the_orders_run_the_lab_out_of_cash_are_said_and_the_cash_range_reaches_down():
    """A player's cash fell to $11M against a forecast range whose floor was $138M: the floor came
    from runs where more GPUs arrived and a backer's rescue topped the cash up, unsaid."""
    campaign = Campaign.new([Human("Your Lab")], scenario="power-crunch", seed=8, difficulty="hard")
    for orders in (Orders(power_mw={"virginia": 0.2, "nordics": 8.0, "middle_east": 30.0}, equity=165.0),
                   Orders(gpus={"middle_east": 11000.0}, hire=25.0, equity=120.0, efficiency_rnd=20.0)):
        campaign.submit(0, orders)
        campaign.end_quarter()
    orders = Orders(gpus={"nordics": 3000.0}, premium=0.4, hire=10.0, equity=110.0, debt=50.0, efficiency_rnd=15.0)
    preview = campaign.preview(0, orders)
    assert preview.warnings[0].startswith("With more GPUs arriving than the figures show (up to ")
    assert "could run the lab out of cash this quarter: a strategic backer would rescue it" in preview.warnings[0]
    assert preview.low["cash_after"] < 50.0 < preview.cash_after
    campaign.submit(0, orders)
    campaign.end_quarter()
    assert preview.low["cash_after"] <= campaign.game.state_labs[0, F.CASH] <= preview.high["cash_after"]


def test_the_revenue_range_counts_the_labs_run_failing_where_its_rivals_succeed():
    """A player's revenue came in at $12.8M against a range of $14.0-16.3M: their training run
    failed while its three biggest rivals' succeeded, a side of luck no run of the forecast took."""
    campaign = Campaign.new([Human("Your Lab")], scenario="gpu-famine", seed=31)
    campaign.submit(0, Orders(gpus={"middle_east": 10000.0}, power_mw={"middle_east": 18.0}, hire=25.0, equity=165.0))
    campaign.end_quarter()
    orders = Orders(debt=100.0, efficiency_rnd=15.0)
    preview = campaign.preview(0, orders)
    campaign.submit(0, orders)
    campaign.end_quarter()
    labs = campaign.game.state_labs
    assert labs[0, F.TRAIN_RUN] < 0 and (labs[1:4, F.TRAIN_RUN] > 0).all()  # it failed, they succeeded
    assert preview.low["revenue"] <= labs[0, F.REVENUE] <= preview.high["revenue"]
