"""The encyclopedia agrees with the engine: each page is rendered with the balance numbers, and
the rules it states in words (tiers, the death zone, a premium doubling priority, a hub's power
and lead time...) are checked against the parameters and data files the engine plays by.

Numbers a page takes from the balance file cannot disagree (they are placeholders); these are the
statements written out in prose, which could."""

import math
import re

import pytest

from blitzgame.assets import gpus_per_mw, load_balance, load_hubs, load_positions, load_scenario
from blitzgame.encyclopedia import topic
from blitzgame.engine import layout as F
from blitzgame.engine.people import DEATH_ZONE_HIGH, DEATH_ZONE_LOW

balance = load_balance()
hubs = {hub.id: hub for hub in load_hubs().hub}


def number(hub, name: str) -> float:
    return hub.numbers[name].value


def said(page: str, pattern: str) -> re.Match:
    """The statement ``pattern`` (a regular expression) in the rendered page, one line or several."""
    text = " ".join(topic(page).text.replace("**", "").split())  # as read, without the bold marks
    match = re.search(pattern, text)
    assert match, f"{page}: no longer says {pattern!r}"
    return match


def as_number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_stages_table_is_the_engines_stage_floors():
    for floor, upper in zip(F.STAGE_FLOORS[1:], (*F.STAGE_FLOORS[2:], None)):
        row = f"{floor:,.0f}+" if upper is None else f"{floor:,.0f}-{upper - 1:,.0f}"
        said("m01-stages", re.escape(row))
    said("m01-stages", f"under {F.STAGE_FLOORS[1]:,.0f}")


def test_a_model_a_tier_behind_keeps_what_the_appeal_curve_says():
    kept = as_number(said("m01-stages", r"keeps only about (\d+)% of a leader's appeal").group(1))
    assert kept == round(100 * math.exp(-balance.value("share_beta")))


def test_a_50_percent_premium_doubles_priority():
    said("m04-shortage", r"a 50% premium doubles it")
    assert 1.0 + balance.value("premium_weight") * 0.5 == pytest.approx(2.0)  # markets.gpu_market's weight


def test_the_base_scenarios_vendor_supply_is_as_stated():
    supply = as_number(said("m04-shortage", r"\(([\d,]+) at the start of the base scenario").group(1))
    assert supply == load_scenario("base-2024").world.vendor_supply.value


def test_power_per_gpu_lead_times_build_costs_and_prices_are_the_hubs():
    kw = balance.value("kw_per_gpu")
    text = " ".join(topic("m05-power").text.split())
    for hub_id, shown in (("nordics", r"about ([\d,]+) in the Nordics \(PUE ([\d.]+)\)"),
                          ("virginia", r"([\d,]+) in Northern Virginia \(PUE ([\d.]+)\)")):
        match = re.search(shown, text)
        assert match, shown
        pue = number(hubs[hub_id], "pue")
        assert as_number(match.group(2)) == pue
        assert abs(as_number(match.group(1)) - gpus_per_mw(kw, pue)) <= 10  # "about", to the nearest ten
    low, high = (as_number(x) for x in said("m05-power", r"100,000 GPUs need about (\d+)-(\d+) MW").groups())
    need = [100_000 / gpus_per_mw(kw, number(hub, "pue")) for hub in hubs.values()]
    assert low == pytest.approx(min(need), abs=5) and high == pytest.approx(max(need), abs=5)
    low, high = (as_number(x) for x in said("m05-power", r"Each MW costs \$(\d+)-(\d+)M to build").groups())
    costs = [number(hub, "build_cost_per_mw") for hub in hubs.values()]
    assert low == math.floor(min(costs)) and high == math.ceil(max(costs))
    lead = said("m05-power", r"1 quarter in the Middle East and China, 2 in Nevada and the Nordics, 3 in Northern "
                             r"Virginia")
    assert lead and {h: number(hub, "build_lead_quarters") for h, hub in hubs.items()} == {
        "middle_east": 1, "china": 1, "nevada": 2, "nordics": 2, "virginia": 3}
    cheap, dear = (as_number(x) for x in said("m05-power", r"\$(\d+)/MWh in the Nordics to \$(\d+) in Nevada").groups())
    prices = {h: number(hub, "power_price") for h, hub in hubs.items()}
    assert cheap == prices["nordics"] == min(prices.values()) and dear == prices["nevada"] == max(prices.values())


def test_the_death_zone_is_the_engines_and_a_third_quarter_in_it_costs_twice_the_first():
    low, high = (as_number(x) for x in said("m07-death-zone", r"Between ([\d,]+) and ([\d,]+) GPUs online").groups())
    assert (low, high + 1) == (DEATH_ZONE_LOW, DEATH_ZONE_HIGH)
    said("m07-death-zone", r"on its third quarter in the zone loses twice the talent and customers")
    linger, cap = balance.value("death_zone_linger"), balance.value("death_zone_linger_cap")
    assert 1.0 + linger * min(2, cap) == pytest.approx(2.0)  # people.zone_pressure after two quarters there
    gpus = as_number(said("m07-death-zone", r"A challenger starts inside it, with ([\d,]+) GPUs").group(1))
    start = load_positions().challenger.gpus.value
    assert gpus == start and DEATH_ZONE_LOW <= start < DEATH_ZONE_HIGH


def test_escape_velocity_on_the_winning_page_is_the_balances_condition():
    text = " ".join(topic("winning").text.split())
    assert f"{balance.value('dominance_gpus'):,.0f} GPUs" in text
    assert f"{balance.value('dominance_quarters'):g} quarters in a row" in text


def test_the_music_page_gives_the_forecasts_crash_warning_threshold():
    from blitzgame.session.forecast import CRASH_WARNING

    shown = as_number(said("m08-music-stops", r"the orders forecast warns you from (\d+)%").group(1))
    assert shown == round(100 * CRASH_WARNING)
