"""The campaign the front ends play: seats, new-game choices, autosaves, rewind, saves, and the
figures HQ shows (flywheel, capital market, death zone, stages, the press)."""

import json
from dataclasses import replace

import numpy as np
import pytest

from blitzgame.bots.loader import make_bot
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.layout import STAGE_FLOORS
from blitzgame.engine.markets import debt_limit
from blitzgame.engine.turn import stage
from blitzgame.schemas.orders import Orders, OrdersError
from blitzgame.session.campaign import (
    AUTOSAVES,
    DIFFICULTIES,
    Campaign,
    Human,
    draw_rivals,
    list_saves,
    saves_dir,
    warm_up,
)
from blitzgame.session.game import SetupError
from blitzgame.session.saves import SaveError

BUILD = Orders(gpus={"virginia": 400.0}, power_mw={"virginia": 2.0}, hire=4.0, train_split=0.6)


@pytest.fixture(autouse=True)
def saves(tmp_path, monkeypatch):
    """Every campaign here autosaves into a temporary folder."""
    folder = tmp_path / "saves"
    monkeypatch.setenv("BLITZGAME_SAVES", str(folder))
    return folder


def new(seed: int = 3, **kwargs) -> Campaign:
    kwargs.setdefault("rivals", ["sprinter", "defender"])
    return Campaign.new([Human("Helix Labs", "startup", "nordics")], seed=seed, **kwargs)


# --- setting up --------------------------------------------------------------------------
def test_humans_take_the_first_seats_and_rivals_the_scenarios_roster():
    campaign = Campaign.new([Human("Orbit", "challenger", "nevada"), Human("Quanta")], seed=1, rivals=2)
    assert campaign.humans == [0, 1] and campaign.player == 0
    assert campaign.seats[:2] == [None, None] and all(campaign.seats[2:])
    assert campaign.game.names[:2] == ["Orbit", "Quanta"]
    assert campaign.game.names[2:] == ["Northstar AI", "Helix Labs"]  # the scenario's roster, in order


def test_a_human_named_like_a_roster_lab_replaces_it_even_with_spaces_around_the_name():
    campaign = Campaign.new([Human("  Northstar AI ")], seed=1, rivals=3)
    assert campaign.game.names == ["Northstar AI", "Helix Labs", "Aurora Research", "Mirage Intelligence"]


def test_bots_in_a_class_scenario_play_as_rivals_not_as_teams():
    """A solo game in a classroom world: the roster's "Team k" placeholders would pass a bot
    off as another team, so bots play as "Rival k" (as in a class of separate campaigns)."""
    campaign = Campaign.new([Human("Team 1", "challenger", "virginia")], "classroom-famine-crash", seed=1, rivals=5)
    assert campaign.game.names == ["Team 1", "Rival 1", "Rival 2", "Rival 3", "Rival 4", "Rival 5"]
    campaign = Campaign.new([Human("rival 2")], "classroom-famine-crash", seed=1, rivals=2)
    assert campaign.game.names == ["rival 2", "Rival 1", "Rival 2-2"]  # never two labs of a name


def test_random_rivals_are_drawn_from_the_difficulty_pool_with_the_seed():
    assert draw_rivals(4, 9, "hard") == draw_rivals(4, 9, "hard")
    assert set(draw_rivals(5, 9, "hard")) == set(DIFFICULTIES["hard"])  # each archetype once before any twice
    campaign = new(seed=9, rivals=["pure", None, None], difficulty="hard")
    drawn = draw_rivals(2, 9, "hard")
    assert campaign.seats[1:] == ["pure", *drawn]


def test_rivals_are_drawn_at_the_scenario_s_difficulty_unless_told():
    """The classroom worlds seat planners (their difficulty is expert); a difficulty given wins."""
    from blitzgame.assets import load_scenario

    assert load_scenario("classroom-grid-and-borders").difficulty == "expert"
    assert load_scenario("base-2024").difficulty == "normal"
    planners = Campaign.new([Human("Team 1", "challenger")], scenario="classroom-famine-crash", seed=4, rivals=5)
    assert planners.seats[1:] == ["strategist"] * 5
    scripts = Campaign.new([Human("Team 1", "challenger")], scenario="classroom-famine-crash", seed=4, rivals=5,
                           difficulty="normal")
    assert scripts.seats[1:] == draw_rivals(5, 4, "normal")
    assert new(seed=4, rivals=4).seats[1:] == draw_rivals(4, 4, "normal")


@pytest.mark.parametrize("kwargs, message", [
    ({"rivals": 0}, "2-8 labs"),
    ({"rivals": 8}, "2-8 labs"),
    ({"difficulty": "brutal"}, "unknown difficulty"),
    ({"rivals": ["nobody"]}, "nobody"),
])
def test_a_campaign_that_cannot_be_played_is_refused_with_a_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        new(**kwargs)


@pytest.mark.parametrize("human, message", [
    (Human("Helix Labs", "emperor"), "unknown position"),
    (Human("   "), "needs a name"),
    (Human("Helix Labs", hub="atlantis"), "unknown hub"),
])
def test_a_human_lab_must_be_well_formed(human, message):
    with pytest.raises(SetupError, match=message):
        Campaign.new([human], rivals=1)


def test_two_humans_cannot_share_a_name():
    with pytest.raises(SetupError, match="unique"):
        Campaign.new([Human("Twin"), Human("Twin")], rivals=1)


# --- playing ------------------------------------------------------------------------------
def test_orders_are_held_until_the_quarter_ends_and_become_next_quarters_defaults():
    campaign = new()
    assert campaign.pending(0) is None and campaign.last_orders(0) == Orders()
    campaign.submit(0, BUILD)
    assert campaign.pending(0) == BUILD
    report = campaign.end_quarter()
    assert report.label == "2024Q1" and campaign.game.quarter == 1
    assert campaign.pending(0) is None
    assert campaign.last_orders(0) == BUILD
    assert campaign.game.orders_log[0][0] == BUILD


def test_bad_orders_are_refused_and_change_nothing():
    campaign = new()
    with pytest.raises(OrdersError, match="hire"):
        campaign.submit(0, {"hire": -1.0})
    assert campaign.pending(0) is None


def test_each_quarter_autosaves_to_rotating_files(saves):
    campaign = new()
    for _ in range(AUTOSAVES + 1):
        campaign.end_quarter()
    names = sorted(path.name for path in saves.glob("*.json"))
    assert names == [f"helix-labs-auto{k}.json" for k in range(1, AUTOSAVES + 1)]
    latest = Campaign.load(saves / f"helix-labs-auto{campaign.game.quarter % AUTOSAVES + 1}.json")
    assert latest.game.digest() == campaign.game.digest()


def test_saves_dir_follows_the_environment(saves):
    assert saves_dir() == saves


def test_rewind_then_the_same_orders_give_the_same_game():
    campaign = new()
    for quarter in range(3):
        campaign.submit(0, BUILD if quarter != 1 else Orders(rent=200.0))
        campaign.end_quarter()
    campaign.rewind(1)
    assert campaign.game.quarter == 1
    for orders in (Orders(hire=2.0), BUILD):
        campaign.submit(0, orders)
        campaign.end_quarter()
    fresh = new()
    for orders in (BUILD, Orders(hire=2.0), BUILD):
        fresh.submit(0, orders)
        fresh.end_quarter()
    assert campaign.game.digest() == fresh.game.digest()


def test_a_save_loads_to_the_same_campaign(tmp_path):
    campaign = new()
    campaign.submit(0, BUILD)
    campaign.end_quarter()
    path = campaign.save(tmp_path / "mine.json")
    loaded = Campaign.load(path)
    assert loaded.game.digest() == campaign.game.digest()
    assert loaded.seats == campaign.seats and loaded.autosave_name == "mine"


def test_an_autosave_keeps_its_campaigns_autosave_name(saves):
    campaign = new()
    campaign.end_quarter()
    loaded = Campaign.load(saves / "helix-labs-auto2.json")
    assert loaded.autosave_name == "helix-labs"


def test_a_save_without_a_human_is_refused(tmp_path):
    from blitzgame.session.game import Game
    from blitzgame.session.saves import save_game

    path = save_game(Game.new("base-2024", seed=1, labs=2), tmp_path / "bots.json", ["baseline", "baseline"])
    with pytest.raises(SaveError, match="every lab in it is a bot"):
        Campaign.load(path)


def test_list_saves_shows_each_save_newest_first_and_says_why_a_broken_one_cannot_load(saves):
    campaign = new()
    first = campaign.save(saves.parent / "first.json")
    saves.mkdir(parents=True, exist_ok=True)
    older = json.loads(first.read_text())
    older["saved_at"] = "2020-01-01T00:00:00Z"
    (saves / "older.json").write_text(json.dumps(older))
    campaign.end_quarter()  # autosave: helix-labs-auto2.json, now
    (saves / "broken.json").write_text("{not json")
    infos = list_saves()
    assert [info.path.name for info in infos] == ["helix-labs-auto2.json", "older.json", "broken.json"]
    newest = infos[0]
    assert (newest.lab, newest.quarter, newest.scenario, newest.error) == ("Helix Labs", "2024Q2", "base-2024", "")
    assert infos[1].quarter == "2024Q1"
    assert "not valid JSON" in infos[2].error and infos[2].saved_at is None


def test_list_saves_of_a_missing_folder_is_empty(tmp_path):
    assert list_saves(tmp_path / "nowhere") == []


# --- what HQ shows --------------------------------------------------------------------------
def test_the_flywheel_names_the_link_the_report_says_moved_most():
    campaign = new()
    assert campaign.flywheel(0).driver is None
    for _ in range(3):
        campaign.submit(0, BUILD)
        report = campaign.end_quarter()
        flywheel = campaign.flywheel(0)
        line = next(n.text for n in report.for_lab(0) if n.text.startswith("Flywheel:"))
        assert line.startswith(f"Flywheel: {flywheel.driver} moved most")
        moved = {link.name: abs(link.relative) for link in flywheel.links}
        assert moved[flywheel.driver] == pytest.approx(max(moved.values()))
        assert [link.name for link in flywheel.links] == list(F.LINK_NAMES)


def test_the_capital_market_shows_the_gap_against_the_danger_line():
    campaign = new()
    campaign.end_quarter()
    market = campaign.capital_market()
    world = campaign.game.state_world
    assert market.revenue_gap == world[F.REVENUE_GAP] and market.sentiment == world[F.SENTIMENT]
    assert market.danger_gap > 0 and market.sentiment_peak >= market.sentiment
    assert not market.music_stopped and market.music_quarter is None and market.regime == "undecided"


def test_the_music_stopping_shows_in_the_capital_market():
    campaign = new()
    game = campaign.game
    game.state_world[F.MUSIC_STOPPED] = 1.0
    game.state_world[F.MUSIC_QUARTER] = 0.0
    market = campaign.capital_market()
    assert market.music_stopped and market.music_quarter == "2024Q1"


def test_the_music_banner_says_freeze_then_thaw():
    """Right after the crash funding is frozen; from two quarters on, HQ says it comes back slowly
    (a player read "funding frozen" years after investors were back)."""
    from blitzgame.tui.widgets.gauge import music_banner

    campaign = new()
    for now in range(1, 5):  # the quarter being played: 2024Q2, Q3, Q4, 2025Q1
        campaign.end_quarter()
        game = campaign.game
        game.state_world[F.MUSIC_STOPPED] = 1.0
        game.state_world[F.MUSIC_QUARTER] = 0.0  # it stopped in the first quarter
        market = campaign.capital_market()
        assert market.quarters_since_stop == now  # counted as the header counts: from 2024Q1 to the quarter now
        banner = music_banner(market)
        if now <= 2:
            assert banner == "THE MUSIC HAS STOPPED (2024Q1): funding frozen, valuations crushed."
        else:
            assert banner.startswith(f"THE MUSIC STOPPED in 2024Q1, {now} quarters ago: investors' money comes back")


def test_the_death_zone_is_one_to_ten_thousand_gpus_online():
    campaign = Campaign.new([Human("Mid", "challenger")], seed=1, rivals=1)
    assert campaign.in_death_zone(0)  # a challenger starts inside it (M7)
    assert not new().in_death_zone(0)


@pytest.mark.parametrize("k", range(len(STAGE_FLOORS)))
def test_a_lab_enters_each_stage_at_its_floor(k):
    assert stage(STAGE_FLOORS[k]) == k
    if k:
        assert stage(np.nextafter(STAGE_FLOORS[k], 0.0)) == k - 1


def test_stage_outlook_says_what_the_next_stage_takes():
    outlook = new().stage_outlook(0)
    assert (outlook.name, outlook.next_name, outlook.next_at) == ("Startup", "Competitor", 1000.0)
    campaign = new()
    campaign.game.state_labs[0, F.ONLINE] = 150_000.0
    top = campaign.stage_outlook(0)
    assert top.name == "Dominator" and top.next_name is None and top.next_at is None


def test_the_press_reports_every_labs_public_moves_over_the_quarter():
    campaign = new()
    assert campaign.press() == []
    campaign.end_quarter()
    moves = campaign.press()
    before, after = campaign.game.history[-2].labs, campaign.game.history[-1].labs
    assert [m.name for m in moves] == campaign.game.names
    for k, move in enumerate(moves):
        assert (move.gpus_before, move.gpus) == (before[k, F.ONLINE], after[k, F.ONLINE])
        assert (move.share_before, move.share) == (before[k, F.SHARE], after[k, F.SHARE])
        assert move.status == "alive"


def test_alive_humans_leave_out_a_bankrupt_lab():
    campaign = Campaign.new([Human("A"), Human("B")], seed=1, rivals=1)
    assert campaign.alive_humans() == [0, 1]
    campaign.game.state_labs[0, F.STATUS] = F.BANKRUPT
    assert campaign.alive_humans() == [1]


def test_a_preview_leaves_the_game_untouched():
    campaign = new()
    digest = campaign.game.digest()
    preview = campaign.preview(0, BUILD)
    assert campaign.game.digest() == digest and campaign.pending(0) is None
    assert preview.spend > 0 and preview.gpus_arriving > 0


def test_the_forecast_shows_the_likely_fill_of_a_round_and_says_why():
    """M8: a $5B ask from a startup is forecast at what investors would give, with the report's
    own reason; a round they would fund in full gets no warning."""
    campaign = new()
    campaign.end_quarter()
    cash = campaign.game.state_labs[0, F.CASH]
    big = campaign.preview(0, Orders(equity=5000.0))
    assert cash < big.cash_after < cash + 5000.0  # not the whole ask
    assert any("of the $5.0B asked" in w for w in big.warnings)
    assert not any("asked" in w for w in campaign.preview(0, Orders(equity=10.0)).warnings)


def test_warm_up_plays_a_throwaway_quarter_and_saves_nothing(saves):
    assert warm_up() >= 0.0
    assert not saves.exists()


def test_saves_made_within_one_second_list_the_last_written_first(saves):
    import os

    campaign = new()
    saves.mkdir(parents=True)
    first, second = campaign.save(saves / "a.json"), campaign.save(saves / "b.json")
    for path, when in ((first, 1_000_000_000), (second, 2_000_000_000)):
        os.utime(path, (when, when))
        data = json.loads(path.read_text())
        data["saved_at"] = "2024-05-01T12:00:00Z"
        path.write_text(json.dumps(data))
        os.utime(path, (when, when))
    assert [info.path.name for info in list_saves()] == ["b.json", "a.json"]


# --- warnings at HQ: escape velocity (docs/design.md §4) and the debt covenant (M8) ------
def dominate(campaign: Campaign, lab: int, quarters: int = 1) -> None:
    """Make ``lab`` dominant (GPUs far past the lead over everyone's and 70% of the market) and let the
    engine's own end-of-quarter test (``turn.victory``) count ``quarters`` quarters of it."""
    from blitzgame.engine.turn import victory

    game = campaign.game
    labs = game.state_labs
    labs[lab, F.ONLINE] = max(200_000.0, 2.0 * game.world.params[P.DOMINANCE_LEAD] * labs[:, F.ONLINE].max())
    labs[lab, F.SHARE] = 0.7
    for _ in range(quarters):
        victory(labs, game.state_world, game.world.params, 0)


def test_a_dominant_lab_is_named_with_its_countdown_and_what_breaks_it():
    campaign = new()
    campaign.end_quarter()
    assert campaign.dominance() == []
    dominate(campaign, 1)
    labs = campaign.game.state_labs
    [d] = campaign.dominance()
    others = [labs[k, F.ONLINE] for k in (0, 2)]
    params = campaign.game.world.params
    needed = int(params[P.DOMINANCE_QUARTERS])
    assert (d.lab, d.name, d.quarters_left) == (1, campaign.game.names[1], needed - 1)
    assert d.online == labs[1, F.ONLINE] and d.share == pytest.approx(0.7) and d.rival_best == max(others)
    lead = params[P.DOMINANCE_LEAD]
    assert (d.lead, d.share_needed, d.gpus_needed) == (lead, params[P.DOMINANCE_SHARE], params[P.DOMINANCE_GPUS])
    assert d.rival_break == labs[1, F.ONLINE] / lead
    assert campaign.game.observe(0).rivals[0].escape_in == needed - 1  # the Bot API says the same
    for left in range(needed - 2, 0, -1):
        dominate(campaign, 1)
        assert campaign.dominance()[0].quarters_left == left
    dominate(campaign, 1)  # the last quarter it needed: escape velocity, the game is won
    assert campaign.game.state_world[F.WINNER] == 1 and campaign.dominance() == []


def test_a_lab_closing_in_on_escape_velocity_is_named_before_it_dominates():
    """From public figures, every player is told when a lab passes 80% of each of the three tests
    (GPUs online, lead over the next lab, share) and not all three: in a scenario whose
    countdown is short, the countdown alone would leave one quarter to answer."""
    from blitzgame.engine.turn import victory
    from blitzgame.session.race import CLOSING_IN, contender_line

    campaign = new()
    campaign.end_quarter()
    game, params = campaign.game, campaign.game.world.params
    labs = game.state_labs
    assert campaign.closing_in() == []
    gpus, lead, share = params[P.DOMINANCE_GPUS], params[P.DOMINANCE_LEAD], params[P.DOMINANCE_SHARE]
    labs[:, F.ONLINE] = 20_000.0
    labs[1, F.ONLINE] = 0.9 * lead * 20_000.0  # 90% of the lead it needs (and past the GPUs, for base-2024's 100,000)
    labs[1, F.SHARE] = 1.1 * share
    assert labs[1, F.ONLINE] >= CLOSING_IN * gpus
    victory(labs, game.state_world, params, 0)  # the engine's own test: not dominant
    [c] = campaign.closing_in()
    assert (c.lab, c.name, c.online, c.rival_best) == (1, game.names[1], labs[1, F.ONLINE], 20_000.0)
    line = contender_line(c, 0)
    assert line.startswith(f"{game.names[1]} is closing in on escape velocity: ")
    assert f"{0.9 * lead:.1f}x the next lab's GPUs ({lead:g}x needed)" in line
    assert f"{labs[1, F.SHARE]:.0%} of the market ({share:.0%} needed)" in line
    assert contender_line(c, 1).startswith("You are closing in on escape velocity")
    almost = contender_line(replace(c, online=c.rival_best * lead * 0.999), 0)
    assert f"{lead - 0.1:.1f}x the next lab's GPUs ({lead:g}x needed)" in almost  # just short never reads as enough
    labs[1, F.SHARE] = 0.7 * share  # under 80% of one test: not yet
    assert campaign.closing_in() == []
    labs[1, F.SHARE] = 1.1 * share
    labs[1, F.ONLINE] = 1.2 * lead * 20_000.0  # all three passed: dominant, the countdown's to say
    victory(labs, game.state_world, params, 0)
    assert campaign.closing_in() == [] and [d.lab for d in campaign.dominance()] == [1]


def test_the_news_names_a_lab_closing_in(monkeypatch):
    """The quarter's news carries the same line as a WATCH headline, for every player."""
    from blitzgame.session import race

    campaign = new()
    monkeypatch.setattr(race, "CLOSING_IN", 0.0)  # every lab that is not dominant closes in
    campaign.end_quarter()
    news = [n.text for n in campaign.game.reports[-1].news if n.headline]
    assert any(text.startswith("WATCH: ") and "closing in on escape velocity" in text for text in news)


def test_a_campaign_just_over_warns_no_one(monkeypatch):
    """The quarter that ends the campaign carries no escape-velocity warning or WATCH line: there
    is no next quarter for them to be about."""
    from blitzgame.session import race

    campaign = new()
    monkeypatch.setattr(race, "CLOSING_IN", 0.0)
    while not campaign.game.over:
        campaign.end_quarter()
    def warned(report):
        return [n.text for n in report.news if n.headline and n.text.startswith(("WATCH: ", "WARNING: "))]
    assert warned(campaign.game.reports[-2])  # the quarter before still did
    assert warned(campaign.game.reports[-1]) == []


def test_the_covenant_warns_when_debt_nears_its_line():
    campaign = new()
    campaign.end_quarter()
    game = campaign.game
    labs, world, params = game.state_labs, game.state_world, game.world.params
    line = 1.25 * debt_limit(labs, 0, world, params)
    assert campaign.covenant_risk(0) is None  # no debt
    labs[0, F.DEBT] = 0.5 * line
    assert campaign.covenant_risk(0) is None  # half way: lenders' terms could halve first
    labs[0, F.DEBT] = 0.9 * line
    risk = campaign.covenant_risk(0)
    assert risk.line == pytest.approx(line) and risk.headroom == pytest.approx(0.1) and risk.covenant == 1.25
    assert risk.crash_lending == 0.5  # the music still plays: a crash would halve what lenders lend
    labs[0, F.DEBT] = 2.0 * line
    assert campaign.covenant_risk(0).headroom == 0.0


def test_the_covenant_warns_before_a_scheduled_crash_halves_what_lenders_lend():
    """A player borrowed $100M the quarter before capital-winter's crash: HQ said nothing, and the
    crash's halved lending called $78M of it."""
    from blitzgame.tui.screens.hq import covenant_warning

    campaign = Campaign.new([Human("Borrower", position="challenger")], "capital-winter", seed=12, rivals=4)
    game = campaign.game
    while game.world.label(game.quarter) != "2025Q2":  # the quarter before the crash
        campaign.submit(0, Orders())
        campaign.end_quarter()
        game = campaign.game
    labs, world, params = game.state_labs, game.state_world, game.world.params
    line = 1.25 * debt_limit(labs, 0, world, params)
    labs[0, F.DEBT] = 0.6 * line  # 40% headroom today: no warning without the crash
    risk = campaign.covenant_risk(0)
    assert risk is not None and risk.crash_due == "as next quarter opens"
    assert ("The music stops as next quarter opens (the scenario's schedule), and lenders then lend 50% as much: "
            "your line falls to") in covenant_warning(risk) and "below your debt" in covenant_warning(risk)
    [said] = [x for x in campaign.preview(0, Orders()).warnings if x.startswith("The music stops")]
    assert "your covenant line falls to ≈" in said and "the excess is called that quarter" in said
    labs[0, F.DEBT] = 0.2 * line  # well under even the halved line
    assert campaign.covenant_risk(0) is None


def test_a_suggestion_is_in_the_round_numbers_a_player_types():
    from blitzgame.session.campaign import SUGGESTERS

    campaign = new()
    campaign.end_quarter()
    for bot in SUGGESTERS:
        raw = make_bot(bot).orders_for(campaign.game, 0)
        typed = campaign.suggestion(0, bot)
        assert all(n == int(n) for n in typed.gpus.values()) and typed.rent == int(typed.rent)
        assert all(round(mw, 1) == mw for mw in typed.power_mw.values())
        assert round(typed.efficiency_rnd, 1) == typed.efficiency_rnd and round(typed.train_split, 2) == typed.train_split
        assert sum(typed.gpus.values()) <= sum(raw.gpus.values()) and typed.rent <= raw.rent  # never more than the bot's
        assert abs(typed.efficiency_rnd - raw.efficiency_rnd) < 0.1


def test_the_escape_condition_is_said_as_the_campaign_plays_it():
    """A scenario may set its own condition (gpu-famine's is smaller and shorter): the words come
    from the numbers the engine plays, the balance's where the scenario sets none."""
    from blitzgame.assets import load_scenario
    from blitzgame.session.campaign import scenario_escape

    params = new().game.world.params
    assert new().escape_condition() == (
        f"Escape velocity: {params[P.DOMINANCE_GPUS]:,.0f} GPUs online, {params[P.DOMINANCE_LEAD]:g}x the next lab's and "
        f"{params[P.DOMINANCE_SHARE]:.0%} of the market, held {params[P.DOMINANCE_QUARTERS]:g} quarters in a row, wins "
        "the race and ends the game.")
    famine = Campaign.new([Human("Helix Labs")], scenario="gpu-famine", seed=3, rivals=2)
    fp = famine.game.world.params
    assert (fp[P.DOMINANCE_GPUS], fp[P.DOMINANCE_SHARE], fp[P.DOMINANCE_QUARTERS]) == (60_000.0, 0.5, 2.0)
    assert famine.escape_condition() == scenario_escape(load_scenario("gpu-famine")) == (
        f"Escape velocity in this scenario: 60,000 GPUs online, {fp[P.DOMINANCE_LEAD]:g}x the next lab's and 50% of the "
        "market, held 2 quarters in a row, wins the race and ends the game.")


def test_the_scenario_labs_a_campaign_leaves_out_are_named():
    """A player's `--new` game of power-crunch had no Dragonfly Models, which the scenario lists: the
    players' labs take the last seats of the roster, and HQ says whose."""
    from blitzgame.assets import load_scenario
    from blitzgame.session.campaign import Campaign, Human

    roster = [lab.name for lab in load_scenario("power-crunch").labs]
    one = Campaign.new([Human("Mine", "startup")], scenario="power-crunch", seed=1, rivals=len(roster) - 1)
    assert one.left_out() == roster[-1:] and roster[-1] not in one.game.names
    two = Campaign.new([Human("A", "startup"), Human("B", "startup")], scenario="power-crunch", seed=1,
                       rivals=len(roster) - 2)
    assert two.left_out() == roster[-2:]
    full = Campaign.new([Human("Mine", "startup")], scenario="power-crunch", seed=1, rivals=len(roster))
    assert full.left_out() == []
