"""Invariants that hold for any valid orders, any seed, any scenario (hypothesis).

Small games (2-5 labs, a few quarters) driven by random orders drawn within the bounds
of ``blitzgame.schemas.orders.Orders``; after every quarter the whole state is checked.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from blitzgame.engine import layout as F
from blitzgame.schemas.orders import MAX_GPU_ORDER, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE, Orders
from blitzgame.session.game import MAX_SEED, Game

CASH_TOLERANCE = 1e-6  # $M
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# fields that count things or money that cannot go below zero
NON_NEGATIVE_LAB = [
    F.DEBT, F.VALUATION, F.STAKE, F.GPUS, F.ONLINE, F.STRANDED, F.BACKLOG, F.RESEARCHERS,
    F.STAFF, F.QUALITY, F.SHARE, F.REVENUE, F.RELATIONSHIP, F.PACKAGE, F.PEAK_GPUS, F.COMPUTE,
    F.GPUS_ORDERED, F.GPUS_WANTED, F.GPUS_DELIVERED, F.GPUS_CUSTOM, F.RENTED, F.PARTNER_GPUS,
    F.MW_ASKED, F.MW_GRANTED, F.ATTRITION, F.RAIDED, F.LAID_OFF, F.HIRES_ASKED, F.HIRES_WON,
    F.POACHED, F.DEMAND, F.FIRE_SOLD, F.DEATH_ZONE_QUARTERS, F.DOMINANT_QUARTERS,
    *range(F.HUB_GPUS, F.HUB_GPUS + F.MAX_HUBS),
    *range(F.HUB_BACKLOG, F.HUB_BACKLOG + F.MAX_HUBS),
    *range(F.HUB_MW, F.HUB_MW + F.MAX_HUBS),
    *range(F.HUB_MW_PIPE, F.HUB_MW_PIPE + F.MAX_HUBS * F.PIPE),
    *range(F.HUB_ONLINE, F.HUB_ONLINE + F.MAX_HUBS),
    *range(F.HUB_STRANDED, F.HUB_STRANDED + F.MAX_HUBS),
    *F.INFLOWS, *F.OUTFLOWS,
]
NON_NEGATIVE_WORLD = [
    F.VENDOR_SUPPLY, F.SECONDARY, F.SUPPLY, F.DEMAND_GPUS, F.DELIVERED, F.LIST_PRICE, F.SPOT,
    F.LEAD_TIME, F.CLOUD_POOL, F.CLOUD_PRICE, F.CLOUD_RENTED, F.TALENT_POOL, F.TALENT_FREE,
    F.REVENUE_POOL, F.FRONTIER, F.SENTIMENT, F.REVENUE_GAP, F.OPEN_MODELS, F.ALIVE_LABS,
    *range(F.HEADROOM, F.HEADROOM + F.MAX_HUBS),
    *range(F.CAPEX_4Q, F.CAPEX_4Q + 4), *range(F.REVENUE_4Q, F.REVENUE_4Q + 4),
]
BOUNDED_LAB = {  # field: (low, high)
    F.STAKE: (0.0, 1.0), F.SHARE: (0.0, 1.0), F.CULTURE: (0.1, 1.0), F.TECH_DEBT: (0.0, 1.0),
    F.SILICON: (0.0, 1.0), F.ECOSYSTEM: (0.0, 1.0), F.OPEN_SOURCE: (0.0, 1.0),
}
LAB_NAMES = {index: name for name, index in F.LAB_FIELD_NAMES.items()}
WORLD_NAMES = {index: name for name, index in F.WORLD_FIELD_NAMES.items()}


def amount(top: float) -> st.SearchStrategy[float]:
    """Mostly everyday sizes, sometimes anything up to the Orders ceiling."""
    return st.one_of(
        st.just(0.0),
        st.floats(0.0, min(top, 1000.0), allow_nan=False),
        st.floats(0.0, top, allow_nan=False),
    )


def orders_for(hub_ids) -> st.SearchStrategy[dict]:
    hubs = st.sampled_from(hub_ids)
    return st.fixed_dictionaries({}, optional={
        "gpus": st.dictionaries(hubs, amount(MAX_GPU_ORDER), max_size=3),
        "cancel": st.floats(0.0, 1.0),
        "premium": st.floats(0.0, 1.0),
        "rent": amount(MAX_GPU_ORDER),
        "power_mw": st.dictionaries(hubs, amount(MAX_MW_ORDER), max_size=3),
        "hire": amount(MAX_PEOPLE),
        "package": st.one_of(st.none(), st.floats(0.1, 100.0)),
        "layoff": amount(MAX_PEOPLE),
        "train_split": st.floats(0.0, 1.0),
        "equity": amount(MAX_MONEY),
        "debt": st.one_of(amount(MAX_MONEY), amount(MAX_MONEY).map(lambda x: -x)),
        "efficiency_rnd": amount(MAX_MONEY),
        "silicon_rnd": amount(MAX_MONEY),
        "open_source": st.booleans(),
        "partnership": st.floats(0.0, 1.0),
    })


def _bad(names: dict[int, str], fields, values) -> list[str]:
    return [f"{names.get(f, f)}={values[f]!r}" for f in fields]


def check_state(game: Game, report, before_labs: np.ndarray) -> None:
    """Every invariant of a resolved quarter; failures name the lab, field and value."""
    labs, world, w = game.state_labs, game.state_world, game.world
    quarter = game.quarter - 1
    where = f"quarter {quarter} of seed {game.seed} ({game.world.scenario.id}, {game.n_labs} labs)"

    # no NaN or infinity anywhere
    bad = [(i, f) for i, f in zip(*np.nonzero(~np.isfinite(labs)))]
    assert not bad, f"{where}: non-finite lab fields: " + ", ".join(
        f"lab {i} {LAB_NAMES.get(f, f)}={labs[i, f]}" for i, f in bad)
    bad_world = np.nonzero(~np.isfinite(world))[0]
    assert not bad_world.size, f"{where}: non-finite world fields: {_bad(WORLD_NAMES, bad_world, world)}"

    # nothing negative that cannot be
    for i in range(game.n_labs):
        negative = [f for f in NON_NEGATIVE_LAB if labs[i, f] < -1e-9]
        assert not negative, f"{where}: lab {i} negative: {_bad(LAB_NAMES, negative, labs[i])}"
        out_of_range = [f for f, (lo, hi) in BOUNDED_LAB.items() if not lo - 1e-12 <= labs[i, f] <= hi + 1e-12]
        assert not out_of_range, f"{where}: lab {i} out of range: {_bad(LAB_NAMES, out_of_range, labs[i])}"
        # bankruptcy writes the deficit off: no lab ends a quarter owing cash
        assert labs[i, F.CASH] >= -1e-9, f"{where}: lab {i} ends the quarter with cash {labs[i, F.CASH]}"
    negative = [f for f in NON_NEGATIVE_WORLD if world[f] < -1e-9]
    assert not negative, f"{where}: world negative: {_bad(WORLD_NAMES, negative, world)}"
    assert 0.05 <= world[F.SENTIMENT] <= 2.0
    assert labs[:, F.SHARE].sum() <= 1.0 + 1e-9, f"{where}: shares sum to {labs[:, F.SHARE].sum()}"

    # cash: start + inflows - outflows == end, as the report shows it
    assert len(report.cash) == game.n_labs
    for i, flow in enumerate(report.cash):
        assert flow.start == before_labs[i, F.CASH], f"{where}: lab {i} starts from {flow.start}, was {before_labs[i, F.CASH]}"
        assert flow.end == labs[i, F.CASH]
        expected = flow.start + math.fsum(flow.inflows.values()) - math.fsum(flow.outflows.values())
        assert flow.end == pytest.approx(expected, abs=CASH_TOLERANCE, rel=1e-12), (
            f"{where}: lab {i} cash {flow.start} -> {flow.end}, flows give {expected}: "
            f"in {flow.inflows}, out {flow.outflows}")

    # the GPU market: nothing delivered that vendors did not ship
    supply = world[F.SUPPLY]
    delivered = labs[:, F.GPUS_DELIVERED].sum()
    assert world[F.DELIVERED] <= supply * (1 + 1e-12) + 1e-6, f"{where}: delivered {world[F.DELIVERED]} > supply {supply}"
    assert delivered <= supply * (1 + 1e-12) + 1e-6, f"{where}: labs got {delivered} > supply {supply}"
    assert delivered == pytest.approx(world[F.DELIVERED], rel=1e-9, abs=1e-6)
    assert labs[:, F.RENTED].sum() <= before_world_cloud_pool(game) * (1 + 1e-12) + 1e-6

    # capital (M8, M11): investors and lenders never give more than their pools held, this
    # quarter or in all, and no lab more than it asked or its round's and loan's caps allowed
    before_world = game.history[-2].world
    assert labs[:, F.IN_EQUITY].sum() <= world[F.EQUITY_POOL] * (1 + 1e-12) + 1e-6, f"{where}: equity over the pool"
    assert labs[:, F.IN_DEBT].sum() <= world[F.LOAN_POOL] * (1 + 1e-12) + 1e-6, f"{where}: loans over the pool"
    assert world[F.EQUITY_RAISED] <= world[F.EQUITY_SUPPLIED] * (1 + 1e-12) + 1e-6
    assert world[F.LOANS_RAISED] <= world[F.LOANS_SUPPLIED] * (1 + 1e-12) + 1e-6
    assert world[F.EQUITY_RAISED] - before_world[F.EQUITY_RAISED] == pytest.approx(labs[:, F.IN_EQUITY].sum(), abs=1e-6)
    for i in range(game.n_labs):
        assert labs[i, F.IN_EQUITY] <= min(labs[i, F.EQUITY_ASKED], labs[i, F.EQUITY_CAP]) * (1 + 1e-12) + 1e-9
        assert labs[i, F.IN_DEBT] <= min(labs[i, F.DEBT_ASKED], labs[i, F.DEBT_CAP]) * (1 + 1e-12) + 1e-9
        # no money from nowhere: cash only grows by what the quarter's inflows brought in
        income = sum(labs[i, f] for f in (F.IN_EQUITY, F.IN_DEBT, F.IN_PARENT, F.IN_SUBSIDY, F.IN_REVENUE,
                                          F.IN_FIRE_SALE, F.IN_RESCUE, F.IN_WRITE_OFF))
        assert labs[i, F.CASH] <= before_labs[i, F.CASH] + income + 1e-6

    # power: no hub runs more GPUs than its built power can carry
    n_hubs = len(w.hub_ids)
    for i in range(game.n_labs):
        for h in range(n_hubs):
            cap = labs[i, F.HUB_MW + h] * w.hubs[h, F.HP_GPUS_PER_MW]
            online = labs[i, F.HUB_ONLINE + h]
            assert online <= cap * (1 + 1e-9) + 1e-6, (
                f"{where}: lab {i} runs {online} GPUs at {w.hub_ids[h]} with power for {cap}")
            assert online <= labs[i, F.HUB_GPUS + h] * (1 + 1e-12) + 1e-9
        hub_gpus = labs[i, F.HUB_GPUS:F.HUB_GPUS + n_hubs].sum()
        assert labs[i, F.GPUS] == pytest.approx(hub_gpus, rel=1e-9, abs=1e-6)
        assert labs[i, F.ONLINE] + labs[i, F.STRANDED] == pytest.approx(labs[i, F.GPUS], rel=1e-9, abs=1e-6)

    # the dead stay dead, with nothing left
    for i in range(game.n_labs):
        if before_labs[i, F.STATUS] != F.ALIVE:
            assert labs[i, F.STATUS] == before_labs[i, F.STATUS]
        if labs[i, F.STATUS] != F.ALIVE:
            assert labs[i, F.GPUS] == 0.0 and labs[i, F.BACKLOG] == 0.0 and labs[i, F.RESEARCHERS] == 0.0
    assert world[F.ALIVE_LABS] == np.sum(labs[:, F.STATUS] == F.ALIVE)


def before_world_cloud_pool(game: Game) -> float:
    return float(game.history[-2].world[F.CLOUD_POOL])


@st.composite
def games(draw, worlds):
    scenario = draw(st.sampled_from(sorted(worlds)))
    n_labs = draw(st.integers(2, 5))
    seed = draw(st.one_of(st.integers(0, 1000), st.integers(0, MAX_SEED)))
    quarters = draw(st.integers(1, 5))
    return worlds[scenario], n_labs, seed, quarters


@SETTINGS
@given(data=st.data())
def test_random_orders_keep_every_invariant(worlds, data):
    world, n_labs, seed, quarters = data.draw(games(worlds))
    game = Game.new(world, seed=seed, labs=n_labs)
    strategy = orders_for(world.hub_ids)
    for _ in range(quarters):
        if game.over:
            break
        for lab in range(n_labs):
            if game.state_labs[lab, F.STATUS] == F.ALIVE:
                game.submit(lab, data.draw(strategy, label=f"q{game.quarter} lab {lab}"))
        before = game.state_labs.copy()
        game.advance()
        report = game.reports[-1]
        check_state(game, report, before)
        note_coverage(game)


def note_coverage(game: Game) -> None:
    """Hypothesis statistics (--hypothesis-show-statistics) show which situations were reached."""
    labs, world = game.state_labs, game.state_world
    if np.any(labs[:, F.FIRE_SOLD] > 0):
        event("a fire sale")
    if np.any(labs[:, F.STATUS] != F.ALIVE):
        event("a lab went under")
    if world[F.MUSIC_STOPPED] > 0:
        event("the music stopped")
    if world[F.DELIVERED] < world[F.DEMAND_GPUS] - 0.5:
        event("a GPU shortage")
    if np.any(labs[:, F.STRANDED] > 0.5):
        event("stranded GPUs")


@SETTINGS
@given(data=st.data())
def test_one_order_repeated_keeps_every_invariant_over_a_longer_game(worlds, data):
    """The same (possibly extreme) orders every quarter for 12 quarters: stress on one strategy."""
    world, n_labs, seed, _ = data.draw(games(worlds))
    game = Game.new(world, seed=seed, labs=n_labs)
    plan = [Orders.model_validate(data.draw(orders_for(world.hub_ids))) for _ in range(n_labs)]
    for _ in range(12):
        if game.over:
            break
        for lab in range(n_labs):
            game.submit(lab, plan[lab])
        before = game.state_labs.copy()
        game.advance()
        report = game.reports[-1]
        check_state(game, report, before)
        note_coverage(game)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, MAX_SEED), n_labs=st.integers(2, 5))
def test_orders_are_never_clipped_on_the_way_in(world, seed, n_labs):
    """What a lab asked for is what the report and the core see (docs/design.md §2: never clipped silently)."""
    game = Game.new(world, seed=seed, labs=n_labs)
    asked = {"gpus": {"nordics": 1234.5}, "power_mw": {"nevada": 7.25}, "hire": 3.0, "equity": 42.0}
    game.submit(0, asked)
    game.advance()
    row = game.state_labs[0]
    assert row[F.GPUS_ORDERED] == 1234.5
    assert row[F.MW_ASKED] == 7.25
    assert row[F.HIRES_ASKED] == 3.0
    assert row[F.EQUITY_ASKED] == 42.0
    assert game.orders_log[0][0].gpus == {"nordics": 1234.5}
