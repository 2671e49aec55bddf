"""A campaign played by key presses: the title (interactive while the engine warms), the
new-game form, orders, the end-quarter confirm, the quarter report, and the debrief."""

import threading

import pytest
from pilot_tools import until
from rich.text import Text
from textual.widgets import DataTable

from blitzgame.engine import layout as F
from blitzgame.formats import ledger, money
from blitzgame.schemas.orders import Orders
from blitzgame.session.campaign import Campaign, Human
from blitzgame.tui.app import BlitzApp
from blitzgame.tui.screens.confirm import ConfirmScreen
from blitzgame.tui.screens.hq import HQScreen
from blitzgame.tui.screens.new_game import NewGameScreen
from blitzgame.tui.screens.report import ReportScreen
from blitzgame.tui.screens.title import TitleScreen

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def saves(tmp_path, monkeypatch):
    """Autosaves and saves go to a temporary folder."""
    folder = tmp_path / "saves"
    monkeypatch.setenv("BLITZGAME_SAVES", str(folder))
    return folder


def on_top(app, name: str) -> bool:
    return type(app.screen).__name__ == name


def text_of(widget) -> str:
    return str(widget.render())


# --- the title ------------------------------------------------------------------------------
async def test_the_title_is_interactive_while_the_engine_warms(monkeypatch):
    release = threading.Event()

    def slow_warm_up() -> float:
        release.wait(20)
        return 1.5

    monkeypatch.setattr("blitzgame.session.campaign.warm_up", slow_warm_up)
    app = BlitzApp(seed=7)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, TitleScreen))
            assert app.engine_state == "warming"
            assert "warming up" in text_of(app.screen.query_one("#engine"))
            await pilot.press("n")  # the menu answers while the engine is still warming
            assert isinstance(app.screen, NewGameScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, TitleScreen)
            release.set()
            await until(pilot, lambda: app.engine_state == "ready")
            await pilot.pause()
            assert "engine ready (1.5 s)" in text_of(app.screen.query_one("#engine"))
    finally:
        release.set()


async def test_a_first_run_says_the_engine_is_compiling_and_when_it_is_ready(monkeypatch):
    """On a machine without the compiled kernels, keys lag while the warm-up compiles them: say so,
    and say when it is done. With them cached, nothing is said."""
    release = threading.Event()
    monkeypatch.setattr("blitzgame.session.campaign.warm_up", lambda: release.wait(20) and 46.0)
    monkeypatch.setattr("blitzgame._jit_cache.is_warm", lambda *kernels: False)
    app = BlitzApp(seed=7)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: any(n.title == "First run" for n in app._notifications))
            assert "Compiling the engine for this machine" in next(iter(app._notifications)).message
            release.set()
            await until(pilot, lambda: app.engine_state == "ready")
            await pilot.pause()
            assert any("The engine is compiled (46 s) and ready" in n.message for n in app._notifications)
    finally:
        release.set()
    monkeypatch.setattr("blitzgame._jit_cache.is_warm", lambda *kernels: True)
    app = BlitzApp(seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.engine_state == "ready")
        await pilot.pause()
        assert not any(n.title == "First run" for n in app._notifications)


async def test_a_campaign_started_while_the_engine_warms_starts_when_it_is_ready_and_says_so(monkeypatch):
    release = threading.Event()
    monkeypatch.setattr("blitzgame.session.campaign.warm_up", lambda: release.wait(20) and 0.5)
    app = BlitzApp(seed=7)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, TitleScreen))
            await pilot.press("n")
            await pilot.press("ctrl+s")  # Start while the engine is still warming: the screen stays live
            await pilot.pause()
            assert isinstance(app.screen, NewGameScreen) and app.screen.waiting
            assert "Starting as soon as the engine is ready" in text_of(app.screen.query_one("#why-not"))
            assert app.screen.query_one("#form").disabled  # the choices it starts with cannot change meanwhile
            release.set()
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            await pilot.pause()
            assert app.campaign is not None and app.campaign.game.quarter == 0
    finally:
        release.set()


async def test_a_quarter_ended_while_the_engine_warms_resolves_when_it_is_ready(monkeypatch):
    release = threading.Event()
    monkeypatch.setattr("blitzgame.session.campaign.warm_up", lambda: release.wait(20) and 0.5)
    campaign = Campaign.new([Human("Early Bird")], seed=2, rivals=2)
    app = BlitzApp(campaign)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            await pilot.press("e", "y")
            assert campaign.game.quarter == 0 and app.engine_state == "warming"
            release.set()
            await until(pilot, lambda: isinstance(app.screen, ReportScreen))
            await pilot.pause()
            assert campaign.game.quarter == 1
    finally:
        release.set()


async def test_the_title_lists_new_game_load_encyclopedia_and_quit():
    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        labels = [str(button.label) for button in app.screen.query("Button")]
        assert labels == ["New game (n)", "Load a save (l)", "Encyclopedia (?)", "Quit (q)"]
        await pilot.press("l")
        assert on_top(app, "LoadScreen")
        await pilot.press("escape")
        await pilot.press("q")
        assert app.return_code == 0


# --- the new-game form ------------------------------------------------------------------------
async def test_the_new_game_form_checks_the_seed_and_the_lab_count_inline():
    app = BlitzApp(seed=5, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        screen = app.screen
        start = screen.query_one("#start")
        assert not start.disabled
        screen.query_one("#seed").value = ""
        await pilot.pause()
        assert start.disabled and "whole number" in text_of(screen.query_one("#seed-problem"))
        screen.query_one("#seed").value = str(2**63)
        await pilot.pause()
        assert start.disabled and "between 0 and" in text_of(screen.query_one("#seed-problem"))
        screen.query_one("#seed").value = "12"
        screen.query_one("#rival-count").value = 0
        await pilot.pause()
        assert start.disabled and "2-8 labs" in text_of(screen.query_one("#count-problem"))
        screen.query_one("#rival-count").value = 3
        name = screen.query_one(".name")
        name.value = "  "
        await pilot.pause()
        assert start.disabled
        name.value = "Prometheus"
        await pilot.pause()
        assert not start.disabled
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        game = app.campaign.game
        assert game.names[0] == "Prometheus" and game.n_labs == 4 and game.seed == 12


async def test_the_form_shows_each_positions_summary_from_the_data_files():
    from blitzgame.assets import load_positions

    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        row = app.screen.query_one("HumanRow")
        for position in ("startup", "challenger", "incumbent"):
            row.query_one(".position").value = position
            await pilot.pause()
            assert getattr(load_positions(), position).summary in text_of(row.query_one(".about"))


async def test_choosing_a_scenario_seats_its_roster_as_its_author_set_it_up():
    """A classroom scenario (six equal challengers): five rivals and your lab a challenger too;
    back on base-2024 (mixed positions), four rivals and your position left as you chose."""
    from blitzgame.assets import load_scenario

    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        screen = app.screen
        screen.query_one("#scenario").value = "classroom-famine-crash"
        await pilot.pause()
        labs = load_scenario("classroom-famine-crash").labs
        assert screen.query_one("#rival-count").value == len(labs) - 1
        assert screen.query_one("HumanRow").query_one(".position").value == "challenger"
        assert screen.query_one("#difficulty").value == "expert"  # the classroom worlds' planners
        screen.query_one("#scenario").value = "base-2024"
        await pilot.pause()
        assert screen.query_one("#rival-count").value == len(load_scenario("base-2024").labs) - 1
        assert screen.query_one("#difficulty").value == "normal"
        assert screen.query_one("HumanRow").query_one(".position").value == "challenger"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        assert app.campaign.game.n_labs == len(load_scenario("base-2024").labs)


async def test_play_new_skips_the_form_with_the_seed_scenario_and_position():
    from blitzgame.tui.screens.new_game import quick_campaign

    campaign = quick_campaign("gpu-famine", 99, "challenger")
    assert (campaign.game.seed, campaign.game.world.scenario.id) == (99, "gpu-famine")
    assert campaign.game.observe(0).me.position == "challenger"
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HQScreen)


def test_play_new_sets_up_a_scenario_as_the_form_would():
    """``play --new --scenario`` a classroom world: its six labs (five rivals, drawn at its
    difficulty: strategists) and your lab a challenger like the others, unless told."""
    from blitzgame.tui.screens.new_game import quick_campaign

    classroom = quick_campaign("classroom-grid-and-borders", 5)
    assert classroom.seats == [None] + ["strategist"] * 5
    assert classroom.game.observe(0).me.position == "challenger"
    assert quick_campaign("classroom-grid-and-borders", 5, "startup").game.observe(0).me.position == "startup"
    assert len(quick_campaign("base-2024", 5).seats) == 5


async def test_play_new_difficulty_draws_the_rivals_from_its_pool_and_prefills_the_form():
    """``play --difficulty hard`` (a player found no flag for it): strategists among the rivals of
    ``--new``, and the new-game form opened at that difficulty."""
    from blitzgame.tui.screens.new_game import quick_campaign

    assert "strategist" in quick_campaign("base-2024", 5, difficulty="hard").seats
    assert "strategist" not in quick_campaign("base-2024", 5).seats  # (the scenario's own: normal)
    app = BlitzApp(difficulty="hard", warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(NewGameScreen(**app.new_game_defaults))
        await until(pilot, lambda: isinstance(app.screen, NewGameScreen))
        await pilot.pause()
        assert app.screen.query_one("#difficulty").value == "hard"


# --- quarters ----------------------------------------------------------------------------------
async def test_the_confirm_keeps_its_buttons_on_a_small_terminal_and_scrolls_the_rest():
    """At 80x24, four warnings pushed the end-quarter dialog's buttons off the screen: the orders
    and warnings scroll (pagedown too) and the buttons stay."""
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=2)
    hubs = {hub: 50_000.0 for hub in campaign.game.world.hub_ids}
    campaign.submit(0, Orders(gpus=hubs, power_mw=dict.fromkeys(hubs, 5.0), hire=500.0, rent=100_000.0, layoff=3.0,
                              equity=100_000.0, efficiency_rnd=50.0, silicon_rnd=50.0, open_source=True, partnership=1.0))
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        screen = app.screen
        body = screen.query_one("#body")
        assert len(screen.query(".warning")) >= 2 and body.max_scroll_y > 0  # (more than fits)
        await until(pilot, lambda: "pgdn" in str(screen.query_one("#dialog").border_subtitle))  # and it says so
        for button in ("#yes", "#no"):
            assert screen.region.contains_region(screen.query_one(button).region), button
        await pilot.press("pagedown")
        await until(pilot, lambda: body.scroll_y > 0)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))


async def test_the_confirm_summarises_the_pending_orders_or_says_there_are_none():
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=2)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmScreen)
        assert "No orders: the lab does nothing this quarter." in text_of(app.screen.query_one("#orders"))
        await pilot.press("n")
        assert isinstance(app.screen, HQScreen) and campaign.game.quarter == 0
        campaign.submit(0, Orders(gpus={"nordics": 500.0}, hire=3.0))
        await pilot.press("e")
        summary = text_of(app.screen.query_one("#orders"))
        assert "Order 500 GPUs for Nordic Countries" in summary and "Hire 3 researchers" in summary
        await pilot.press("escape")
        assert campaign.game.quarter == 0


async def test_ending_a_quarter_draws_the_report_and_explains_it():
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=["sprinter", "defender"])
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        campaign.submit(0, Orders(gpus={"nordics": 500.0}, hire=3.0))
        await pilot.press("e")
        await pilot.press("y")  # how fast: blitzgame bench's quarter_to_report_ms, not a timed test
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        assert campaign.game.quarter == 1
        report = app.screen
        news = text_of(report.query_one("#news"))
        assert "GPU market" in news and "You got" in news and "Flywheel:" in news
        cash = report.query_one("#cash-table")
        assert cash.row_count >= 4  # start, flows, net, end
        press = report.query_one("#press-table")
        assert press.row_count == 2  # the two rivals, in the press
        assert report.query_one("#accounts-table").row_count >= 12  # five accounts: each a start and an end
        await pilot.press("escape")
        assert isinstance(app.screen, HQScreen)
        assert "News of 2024Q1" in str(app.screen.query_one("#news").border_title)


async def test_hq_opens_each_new_quarter_at_the_top():
    """A player who scrolled HQ down to the race and the news finds it at the top (cash first) when
    the next quarter's HQ comes back from the report; within a quarter HQ keeps its place."""
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=["sprinter", "defender"])
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        body = app.screen.query_one("#hq-body")
        await until(pilot, lambda: body.max_scroll_y > 0)
        body.scroll_end(animate=False)
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("r")  # a view within the quarter: HQ keeps its place
        await pilot.press("escape")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("e", "y")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        await pilot.pause()
        assert campaign.game.quarter == 1 and body.scroll_y == 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_line_of_the_reports_ledgers_shows_whole_wrapping_where_it_is_long(size):
    """The cash flow and accounts never cut a line: one longer than the screen's text column takes
    more rows, and after a resize the ledgers wrap again for the new width."""
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=["sprinter", "defender"])
    app = BlitzApp(campaign, warm=False)

    def cut_lines() -> list[str]:
        cut = []
        for name in ("#cash-table", "#accounts-table"):
            table = app.screen.query_one(name, DataTable)
            width = table.ordered_columns[2].width
            for row in table.ordered_rows:
                text = Text.from_markup(str(table.get_row(row.key)[2]))
                if len(text.wrap(app.console, width)) > row.height:
                    cut.append(text.plain)
        return cut

    async with app.run_test(size=size) as pilot:
        campaign.submit(0, Orders(gpus={"nordics": 500.0}, hire=3.0))
        await pilot.press("e", "y")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        table = app.screen.query_one("#accounts-table", DataTable)
        assert any(row.height > 1 for row in table.ordered_rows) or size == (120, 40)
        assert cut_lines() == []
        for ledger in app.screen.query(DataTable):  # whole: the report scrolls, never a table inside it
            assert ledger.max_scroll_y == 0, ledger.id  # (a table wider than the screen scrolls sideways)
        await pilot.resize_terminal(60 if size[0] > 80 else 140, size[1])
        await pilot.pause()
        assert cut_lines() == []


async def test_the_rivals_table_wider_than_the_screen_pans_with_the_arrow_keys():
    """At 80 columns the rivals' Valuation and Status were off the screen, and Right did nothing."""
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=4)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "y")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("3")
        table = app.screen.query_one("#press-table", DataTable)
        await until(pilot, lambda: table.max_scroll_x > 0)  # (wider than the screen)
        await pilot.press("right", "right")
        await until(pilot, lambda: table.scroll_x > 0)
        await pilot.press("left", "left", "left")
        await until(pilot, lambda: table.scroll_x == 0)
        assert isinstance(app.screen, ReportScreen)


async def test_the_report_screen_is_built_once_and_shows_each_new_quarter_whole():
    """The report is kept between quarters and filled in again: each quarter it shows that
    quarter alone, with the same rows a report built afresh has."""
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=["sprinter", "defender"])
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        first = None
        for quarter in range(1, 4):
            campaign.submit(0, Orders(gpus={"nordics": 300.0 * quarter}, hire=2.0))
            await pilot.press("e", "y")
            await until(pilot, lambda: isinstance(app.screen, ReportScreen))
            await pilot.pause()
            report = app.screen
            first = first or report
            assert report is first, "one report screen, filled in again"
            label = campaign.game.reports[-1].label
            assert report.sub_title == label and label in text_of(report.query_one("#headline"))
            cash = campaign.game.reports[-1].cash[0]
            flows = [v for v in (*cash.inflows.values(), *(-v for v in cash.outflows.values())) if abs(v) > 1e-6]
            shown = sum(term is not None for term in ledger("money", cash.start, flows, cash.end)[1])
            assert report.query_one("#cash-table").row_count == shown + 3  # start, the flows written, net, end
            assert report.query_one("#press-table").row_count == 2
            assert report.query_one("#body").scroll_y == 0
            report.query_one("#body").scroll_end(animate=False)  # read to the end: the next opens at the top
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HQScreen))


async def test_the_last_report_opens_again_from_hq_with_its_ledgers():
    """A player found the quarter's ledgers gone once the report closed: `l` (or the palette's
    "Last report") opens it again, for the quarter just played, and closes back to HQ."""
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=2)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")  # nothing played yet: said, nothing opens
        await pilot.pause()
        assert isinstance(app.screen, HQScreen)
        assert any("No quarter played yet" in str(n.message) for n in app._notifications)
        await pilot.press("e", "y")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        await pilot.press("h", "l")  # from a view too: it closes first
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert app.screen.sub_title == campaign.game.reports[-1].label and app.screen.query_one("#cash-table").row_count
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        assert campaign.game.quarter == 1  # reading it again played nothing


async def test_orders_from_the_orders_screen_are_held_for_the_quarter():
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=2)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert on_top(app, "OrdersScreen")
        app.screen.dismiss(Orders(hire=7.0))  # what the orders screen hands back on submit
        await until(pilot, lambda: isinstance(app.screen, HQScreen) and campaign.pending(0) is not None)
        await pilot.pause()
        assert campaign.pending(0) == Orders(hire=7.0)
        assert "Hire 7 researchers" in text_of(app.screen.query_one("#orders"))


async def test_the_death_zone_warning_shows_between_one_and_ten_thousand_gpus():
    campaign = Campaign.new([Human("Middling", "challenger")], seed=3, rivals=2)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-death-zone")
        assert "DEATH ZONE" in text_of(app.screen.query_one("#death-zone"))
        assert "the way out is up" in text_of(app.screen.query_one("#death-zone"))


async def test_a_lab_a_heatwave_put_in_the_death_zone_is_told_its_gpus_come_back():
    """A player with 12,961 GPUs had 3,000 taken dark by a heatwave: HQ said "the way out is up"."""
    campaign = Campaign.new([Human("Middling", "challenger")], seed=3, rivals=2)
    labs = campaign.game.state_labs
    labs[0, F.HEAT_DARK] = 10_500.0 - labs[0, F.ONLINE]  # dark last quarter: online again once the heat passes
    campaign.game.refresh_views()
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = " ".join(text_of(app.screen.query_one("#death-zone")).split())
        assert "went dark in last quarter's heatwave and run again when it passes, which takes you past 10,000" in said
        assert "the way out is up" not in said


async def test_hq_fits_80x24_and_uses_a_grid_when_wide():
    campaign = Campaign.new([Human("Helix Labs")], seed=3, rivals=2)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        grid = app.screen.query_one("#hq-grid")
        assert all(panel.region.width <= 80 for panel in grid.children)
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert app.screen.has_class("-huge")
        summary, status = app.screen.query_one("#summary"), app.screen.query_one("#status-col")
        assert summary.region.y == status.region.y and summary.region.x < status.region.x  # side by side


async def test_every_game_key_waits_for_a_campaign():
    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("e", "o", "h", "r", "m", "c", "s", "ctrl+z"):
            await pilot.press(key)
            assert isinstance(app.screen, TitleScreen), key


# --- the command line ----------------------------------------------------------------------------
@pytest.fixture
def launched(monkeypatch):
    """Apps `blitzgame play` would run on a terminal, recorded instead of run."""
    import blitzgame.cli

    apps: list[BlitzApp] = []
    monkeypatch.setattr(BlitzApp, "run", lambda self, *args, **kwargs: apps.append(self))
    monkeypatch.setattr(blitzgame.cli, "in_terminal", lambda: True)
    return apps


def test_blitzgame_alone_plays_in_a_terminal(launched, monkeypatch):
    import blitzgame.cli

    monkeypatch.setattr(blitzgame.cli, "in_terminal", lambda: True)
    assert blitzgame.cli.main([]) == 0
    assert len(launched) == 1 and launched[0].campaign is None  # the title screen


def test_blitzgame_alone_without_a_terminal_shows_help(launched, capsys, monkeypatch):
    import blitzgame.cli

    monkeypatch.setattr(blitzgame.cli, "in_terminal", lambda: False)  # piped or scripted
    assert blitzgame.cli.main([]) == 0
    assert "play" in capsys.readouterr().out and not launched


def test_play_without_a_terminal_is_refused_not_drawn_into_a_pipe(launched, capsys, monkeypatch):
    import blitzgame.cli

    monkeypatch.setattr(blitzgame.cli, "in_terminal", lambda: False)
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert blitzgame.cli.main(["play", "--new"]) == 2 and not launched
    err = capsys.readouterr().err
    assert err.startswith("blitzgame: error: play draws the game on a terminal") and "blitzgame serve" in err
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")  # a page textual-serve opened
    assert blitzgame.cli.main(["play", "--new"]) == 0 and len(launched) == 1


def test_play_new_starts_the_campaign_the_flags_describe(launched):
    from blitzgame.cli import main

    assert main(["play", "--new", "--seed", "77", "--scenario", "power-crunch", "--position", "incumbent"]) == 0
    campaign = launched[0].campaign
    assert campaign.game.seed == 77 and campaign.game.world.scenario.id == "power-crunch"
    assert campaign.game.observe(0).me.position == "incumbent"


def test_play_load_opens_the_save(launched, tmp_path):
    from blitzgame.cli import main

    campaign = Campaign.new([Human("Saver")], seed=4, rivals=2)
    campaign.end_quarter()
    path = campaign.save(tmp_path / "mine.json")
    assert main(["play", "--load", str(path)]) == 0
    assert launched[0].campaign.game.digest() == campaign.game.digest()


@pytest.mark.parametrize("argv, expected", [
    (["play", "--seed", "abc"], "seed must be a whole number"),
    (["play", "--seed", "-3"], "seed must be between 0 and"),
    (["play", "--scenario", "nope"], "unknown scenario 'nope'"),
    (["play", "--position", "emperor"], "expected one of startup, challenger, incumbent"),
    (["play", "--load", "missing.json"], "missing.json: no such save file"),
    (["play", "--load", "x.json", "--new"], "--load plays a saved campaign"),
    (["play", "--load", "x.json", "--difficulty", "hard"], "--load plays a saved campaign"),
    (["play", "--difficulty", "godlike"], "unknown difficulty 'godlike'"),
    (["play", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["serve", "--port", "99999"], "the port must be a whole number 1..65535"),
])
def test_a_bad_play_or_serve_flag_is_one_line_and_exit_2(capsys, launched, argv, expected):
    from blitzgame.cli import main

    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("blitzgame: error: ") and expected in captured.err
    assert not launched


def test_serve_runs_the_play_command_on_localhost_by_default(monkeypatch, capsys, tmp_path):
    import sys

    import textual_serve.server

    from blitzgame.cli import main

    served = []
    pages = []

    class FakeServer:
        def __init__(self, command, host, port, title=None, public_url=None, templates_path=None):
            served.append((command, host, port, public_url))
            pages.append((templates_path / "app_index.html").read_text())  # (the folder is gone once serve returns)

        def serve(self):
            return None

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    assert main(["serve"]) == 0
    assert served == [(f'"{sys.executable}" -m blitzgame play', "127.0.0.1", 8000, "http://localhost:8000")]
    assert "Serving Blitzgame at http://localhost:8000 (Ctrl+C stops)" in capsys.readouterr().out
    # textual-serve's own page, less the typeface it fetches from Google: nothing from outside the room
    assert "textual.js" in pages[0] and "data-session-websocket-url" in pages[0]
    assert "https://" not in pages[0] and "googleapis" not in pages[0]
    served.clear()
    assert main(["serve", "--host", "0.0.0.0", "--port", "8700", "--public-url", "http://lab-pc.local:8700"]) == 0
    assert served[0][1:] == ("0.0.0.0", 8700, "http://lab-pc.local:8700")  # the page loads its script from there
    assert "http://lab-pc.local:8700 (listening on every interface)" in capsys.readouterr().out
    from blitzgame.classroom.shared import new_shared_class  # a shared class's team: the page asks for its code

    manifest = new_shared_class(tmp_path / "room", team_names=["Red", "Blue"], seed=1, rivals=[])
    assert main(["serve", "--class", str(tmp_path / "room"), "--team", "red"]) == 0
    assert f"(Ctrl+C stops); the page asks for join code {manifest.teams[0].code}" in capsys.readouterr().out


@pytest.mark.parametrize("size, charted", [((200, 60), True), ((120, 40), False), ((200, 40), False)])
async def test_a_big_terminal_also_charts_the_gpu_race_at_hq(size, charted):
    """At 200x60 HQ uses the room for the GPU race as a chart (every lab, public figures);
    smaller terminals keep the table only."""
    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=2)
    campaign.end_quarter()
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#race-chart-box")
        assert box.display is charted
        if charted:
            chart = box.query_one("#hq-race-chart")
            assert len(chart.plot._datasets) >= campaign.game.n_labs and box.region.height >= 20


# --- HQ warnings: escape velocity (docs/design.md §4) and the debt covenant (M8) ---------
def dominated(lab: int, left: int) -> Campaign:
    """A campaign one quarter in where ``lab`` has dominated until ``left`` quarters of dominance
    stand between it and escape velocity, as the engine's own end-of-quarter test
    (``turn.victory``) counts it."""
    from blitzgame.engine import layout as F
    from blitzgame.engine import params as P
    from blitzgame.engine.turn import victory

    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=2)
    campaign.end_quarter()
    game = campaign.game
    labs = game.state_labs
    labs[lab, F.ONLINE] = 400_000.0
    labs[lab, F.SHARE] = 0.72
    for _ in range(int(game.world.params[P.DOMINANCE_QUARTERS]) - left):
        victory(labs, game.state_world, game.world.params, 0)
    return campaign


async def test_hq_warns_every_player_of_a_rival_heading_to_escape_velocity():
    campaign = dominated(2, left=2)
    rival = campaign.game.names[2]
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-escape") and not screen.has_class("-escape-mine")
        text = text_of(screen.query_one("#escape"))
        assert f"{rival} is 2 quarters from winning the race" in text
        assert "400,000 GPUs online" in text and "72% of the market (60% needed)" in text
        assert "a lab past 80,000 GPUs online" in text and "its share under 60%" in text  # 400,000 / the 5x lead
        assert screen.query_one("#escape").region.height > 0  # on screen, above the panels


async def test_hq_tells_the_player_it_is_near_escape_velocity_in_its_own_words():
    campaign = dominated(0, left=1)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-escape-mine")
        text = text_of(app.screen.query_one("#escape"))
        assert "you are 1 quarter from it" in text and "Stay dominant through this quarter and you win" in text


def after_a_quarter(hub: str = "virginia") -> tuple[Campaign, BlitzApp]:
    """A campaign one quarter in (seed 3, two rivals) and the app that shows it at HQ."""
    campaign = Campaign.new([Human("Helix Labs", hub=hub)], seed=3, rivals=2)
    campaign.end_quarter()
    return campaign, BlitzApp(campaign, warm=False)


async def test_hq_warns_of_the_debt_covenant_only_when_close():
    from blitzgame.engine import layout as F
    from blitzgame.engine.metrics import covenant_line

    campaign, app = after_a_quarter("nordics")
    game = campaign.game
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.has_class("-covenant") and not screen.has_class("-escape")
        line = covenant_line(game.state_labs, 0, game.state_world, game.world.params)
        game.state_labs[0, F.DEBT] = 0.9 * line
        screen.show()
        await pilot.pause()
        assert screen.has_class("-covenant")
        text = text_of(screen.query_one("#covenant"))
        assert "is 90% of your covenant line" in text and "A 10% fall in what lenders would lend" in text


async def test_hq_warns_of_a_short_runway_and_of_the_revenue_gap_before_they_bite():
    from blitzgame.engine import layout as F
    from blitzgame.session.campaign import RUNWAY_SHORT

    campaign, app = after_a_quarter()
    game = campaign.game
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        market = campaign.capital_market()
        assert market.revenue_gap < market.danger_gap and game.observe(0).me.runway >= RUNWAY_SHORT
        assert not screen.has_class("-runway-short") and not screen.has_class("-gap")
        me = game.observe(0).me
        game.state_labs[0, F.CASH] = 2.5 * me.burn  # 2.5 quarters left at last quarter's burn
        game.state_world[F.REVENUE_GAP] = market.danger_gap + 2.0
        game.refresh_views()
        screen.show()
        await pilot.pause()
        assert screen.has_class("-runway-short") and screen.has_class("-gap")
        assert "2.5 quarters of cash at last quarter's burn" in text_of(screen.query_one("#runway-warning"))
        gap = text_of(screen.query_one("#gap-warning"))
        assert f"{market.danger_gap + 2.0:.1f}x its AI revenue" in gap and f"{market.danger_gap:g}x danger line" in gap
        game.state_world[F.MUSIC_STOPPED] = 1.0  # the music stopped: the gap is no longer a warning, it happened
        screen.show()
        await pilot.pause()
        assert not screen.has_class("-gap")
        game.state_world[F.MUSIC_STOPPED] = 0.0
        game.state_world[F.GAME_OVER] = 1.0  # the campaign over: no advice for quarters that will not be played
        game.refresh_views()
        screen.show()
        await pilot.pause()
        assert game.over and not screen.has_class("-runway-short") and not screen.has_class("-gap")


async def test_keys_typed_ahead_across_the_end_of_a_quarter_act_in_the_order_typed():
    """``e y escape`` queued at once (a fast typist): one quarter ends, its report is drawn and
    the escape then closes it, back at HQ; ``e y escape e y`` ends two quarters and leaves the
    second report on top. No key acts early, late or twice."""
    from textual import events

    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=2)
    app = BlitzApp(campaign, warm=False)

    def type_ahead(*keys: str) -> None:
        for key in keys:
            app.post_message(events.Key(key, key if len(key) == 1 else None))

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_ahead("e", "y", "escape")
        await until(pilot, lambda: campaign.game.quarter == 1 and isinstance(app.screen, HQScreen))
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["HQScreen"]
        type_ahead("e", "y", "escape", "e", "y")
        await until(pilot, lambda: campaign.game.quarter == 3 and isinstance(app.screen, ReportScreen))
        await pilot.pause()
        assert campaign.game.quarter == 3 and [type(s).__name__ for s in app.screen_stack[1:]] == ["HQScreen", "ReportScreen"]


def test_the_revenue_gap_warning_says_what_stops_the_music_in_this_world():
    """Where neither chance nor the schedule stops the music (classroom-grid-and-borders), the
    warning says so instead of promising a crash; where the schedule does, it names the quarter."""
    from dataclasses import replace

    from blitzgame.tui.screens.hq import gap_warning

    for scenario, says, never in (
            ("classroom-grid-and-borders", "nothing stops the music", "When the music stops"),
            ("classroom-famine-crash", "only its schedule stops the music (2027Q1)", "grows more likely")):
        campaign = Campaign.new([Human("Gap Lab")], scenario=scenario, seed=2, rivals=["defender"])
        market = campaign.capital_market()
        text = gap_warning(replace(market, revenue_gap=market.danger_gap + 1.0))
        assert says in text and never not in text


async def test_the_new_game_name_takes_a_burst_of_typing_and_editing_in_order():
    """Every text input edits in the order keys were typed: ctrl+u, a name, a slip taken back."""
    from textual import events
    from textual.widgets import Input

    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        name = app.screen.query_one(".name", Input)
        assert app.focused is name
        for key in ("ctrl+u", *"Tesla Labz", "backspace", "s", "home", "X", "backspace", "end"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await until(pilot, lambda: name.value == "Tesla Labs")


async def test_the_race_ranks_no_lab_before_the_first_quarter():
    """Every lab starts at score 0: the race's # column says no rank yet, then ranks after a quarter."""
    campaign = Campaign.new([Human("Fresh Lab")], seed=4, rivals=2)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#race", DataTable)
        assert [str(table.get_row_at(k)[0]) for k in range(table.row_count)] == ["–"] * 3
        campaign.end_quarter()
        app.screen.show()
        await pilot.pause()
        assert sorted(str(table.get_row_at(k)[0]) for k in range(table.row_count)) == ["1", "2", "3"]


async def test_the_race_shows_a_dominant_labs_countdown_as_the_rivals_view_does():
    """HQ's race table gives a dominant lab's status as "EV in N", as the rivals view does (it
    read "alive" while the rivals view counted down)."""
    from blitzgame.engine.turn import victory

    campaign = Campaign.new([Human("Fresh Lab")], seed=4, rivals=2)
    campaign.end_quarter()
    game = campaign.game
    game.state_labs[2, F.ONLINE], game.state_labs[2, F.SHARE] = 300_000.0, 0.65
    victory(game.state_labs, game.state_world, game.world.params, 0)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#race", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        rows = [[Text.from_markup(str(cell)).plain for cell in table.get_row_at(k)] for k in range(table.row_count)]
        status = {row[labels.index("Lab")].replace(" (you)", ""): row[labels.index("Status")] for row in rows}
        assert status == {name: ("EV in 3" if k == 2 else "alive") for k, name in enumerate(game.names)}


async def test_quitting_with_orders_not_yet_played_asks_first():
    """A save holds the quarters played: ctrl+q with orders waiting asks before they go; with
    none, it quits at once."""
    from blitzgame.tui.screens.ask import AskScreen

    campaign = Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=["sprinter", "defender"])
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        campaign.submit(0, Orders(hire=3.0))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        assert "The orders of Helix Labs for 2024Q1 are not played yet" in str(app.screen.question)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        assert app.is_running and campaign.pending(0) is not None
        await pilot.press("ctrl+q", "y")
        await until(pilot, lambda: not app.is_running)
    app = BlitzApp(Campaign.new([Human("Helix Labs", hub="nordics")], seed=3, rivals=["sprinter"]), warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running)


async def test_hq_says_what_the_forecast_expects_of_a_round_or_loan_too_big():
    """Orders asking investors or lenders for more than they would give: HQ lists them as asked,
    and says what the forecast expects to come in."""
    from blitzgame.tui.widgets.orders_summary import OrdersSummary

    campaign = Campaign.new([Human("Winter Lab", position="challenger")], scenario="capital-winter", seed=3, rivals=4)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        orders = Orders(equity=3000.0, debt=1000.0)
        campaign.submit(0, orders)
        app._refresh_hq()
        await pilot.pause()
        shown = " ".join(text_of(app.screen.query_one(OrdersSummary)).split())
        preview = campaign.preview(0, orders)
        assert preview.equity_in < 3000.0 and preview.debt_in < 1000.0
        def expected(got: float, least: float) -> str:  # and how little may come when rivals ask for much
            return money(got) + (f" (as little as {money(least)} if rivals ask for much)" if least < got - 0.5 else "")

        assert (f"The forecast: ≈{expected(preview.equity_in, preview.low['equity_in'])} of the $3.0B of equity "
                f"asked; ≈{expected(preview.debt_in, preview.low['debt_in'])} of the $1.0B of debt asked") in shown, shown
        assert preview.low["equity_in"] < preview.equity_in  # the shared pool: rivals asking take part of it
        campaign.submit(0, Orders(equity=10.0))  # a small round comes in whole: nothing more to say
        app._refresh_hq()
        await pilot.pause()
        assert "The forecast" not in text_of(app.screen.query_one(OrdersSummary))


async def test_the_new_game_form_describes_the_option_under_the_cursor_before_it_is_chosen():
    from textual.widgets import Select, Static

    from blitzgame.assets import load_positions, load_scenario

    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NewGameScreen))
        screen = app.screen

        def about(selector: str) -> str:
            return str(screen.query_one(selector, Static).render())

        challenger, startup = load_positions().challenger, load_positions().startup
        screen.query_one(".position", Select).focus()
        await pilot.press("enter", "down")  # the list open, the cursor on Challenger
        await until(pilot, lambda: about(".about").startswith(f"{challenger.title}:"))
        assert screen.query_one(".position", Select).value == "startup"  # not chosen yet
        await pilot.press("escape")  # closed without choosing: the choice's description again
        await until(pilot, lambda: about(".about").startswith(f"{startup.title}:"))
        scenario = screen.query_one("#scenario", Select)
        scenario.focus()
        await pilot.press("enter", "down")
        under = scenario._options[1][1]  # the second scenario, under the cursor
        await until(pilot, lambda: load_scenario(under).summary[:40] in about("#scenario-about"))
        await pilot.press("enter")  # chosen: it stays described
        await until(pilot, lambda: scenario.value == under)
        assert load_scenario(under).summary[:40] in about("#scenario-about")
