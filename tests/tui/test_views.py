"""The information screens: hubs, rivals, market, charts, news, help and the debrief mount at
80x24 and 120x40 before and after play, show the game's own figures, and close with escape;
the command palette reaches every action and every encyclopedia topic."""

import asyncio

import pytest
from pilot_tools import until
from rich.console import Console
from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, ListView, Markdown, Select, Static, TabbedContent

from blitzgame.assets import load_archetypes, load_hubs
from blitzgame.encyclopedia import topic, topics
from blitzgame.formats import money
from blitzgame.session.campaign import Campaign, Human
from blitzgame.session.report import count
from blitzgame.session.views import dark_share
from blitzgame.tui.commands import ACTIONS
from blitzgame.tui.screens.charts import ChartsScreen
from blitzgame.tui.screens.debrief import DebriefScreen
from blitzgame.tui.screens.help import HelpScreen
from blitzgame.tui.screens.news import NewsScreen
from blitzgame.tui.screens.tables import HubsScreen, MarketScreen, RivalsScreen
from blitzgame.tui.widgets.race_chart import QuarterChart

SIZES = [(120, 40), (80, 24)]


class Recorder(App):
    """An app that keeps the notices it shows."""

    def __init__(self) -> None:
        super().__init__()
        self.notices: list[str] = []

    def notify(self, message, **kwargs) -> None:
        self.notices.append(str(message))
        super().notify(message, **kwargs)


class Host(Recorder):
    """Just one view over a campaign; counts the app actions a view asks for."""

    def __init__(self, campaign: Campaign | None, make_screen) -> None:
        super().__init__()
        self.campaign = campaign
        self.lab = campaign.player if campaign is not None else 0
        self.make_screen = make_screen
        self.asked: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())

    def action_new_game(self) -> None:
        self.asked.append("new_game")


def text_of(renderable, width: int = 200) -> str:
    """What a Rich renderable shows, as plain text."""
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def static_text(screen, selector: str) -> str:
    return text_of(screen.query_one(selector, Static).content)


def cells(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(k)] for k in range(table.row_count)]


def campaign_after(quarters: int) -> Campaign:
    campaign = Campaign.new([Human("Test Lab", "challenger", "nevada")], seed=5)
    for _ in range(quarters):
        campaign.end_quarter()
    return campaign


@pytest.fixture(autouse=True)
def saves(tmp_path, monkeypatch):
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    return tmp_path


# --- what each view shows ----------------------------------------------------------------
def check_hubs(screen, campaign):
    me = campaign.game.observe(campaign.player).me
    rows = cells(screen.query_one("#hubs", DataTable))
    assert [row[0] for row in rows] == [hub.name for hub in load_hubs().hub]
    number = lambda text: int(text.replace(",", ""))  # noqa: E731
    for row, hub in zip(rows, me.hubs):  # each hub's figures, rounded so that the columns add up to the lab's
        assert number(row[6]) == number(row[7]) + number(row[8])
        for cell, exact in ((row[6], hub.gpus), (row[7], hub.online), (row[9], hub.backlog)):
            assert abs(number(cell) - exact) < 1.0
    for column, total in ((6, me.gpus), (7, me.online), (9, me.backlog)):  # as HQ and the report show the lab
        assert sum(number(row[column]) for row in rows) == round(total)
    totals = static_text(screen, "#totals")
    assert f"You own {count(me.gpus)} GPUs: {count(me.online)} online" in totals
    assert f"{count(me.backlog)} more on order" in totals or (round(me.backlog) == 0 and "none on order" in totals)
    # the highlighted hub's traits say the odds of a fine there (a player met a fine the view never mentioned)
    first = me.hubs[0]
    assert (f"Regulators: a {first.regulatory_risk:.0%} chance a quarter of a fine" in static_text(screen, "#hub-detail")
            and first.regulatory_risk > 0)


@pytest.mark.parametrize("scenario", ["power-crunch", "gpu-famine"])
def test_the_hubs_view_rounds_each_column_to_the_labs_own_totals(scenario):
    """Whole GPUs per hub whose columns add up to the lab's totals as HQ shows them (no 13,709
    here and 13,710 there), owned = online + idle in every row, and nothing below 0."""
    from blitzgame.testing import observation
    from blitzgame.tui.fleet import footprint

    for quarter in range(0, 24, 3):
        for lab in range(5):
            me = observation(scenario, seed=quarter, quarter=quarter, lab=lab,
                             bots=["sprinter", "platform", "integrator", "pure", "random"]).me
            rows = footprint(me)
            assert all(owned == online + idle and min(owned, online, idle, backlog) >= 0
                       for owned, online, idle, backlog in rows)
            owned, online, idle, backlog = (sum(column) for column in zip(*rows))
            assert (owned, online, backlog) == (round(me.gpus), round(me.online), round(me.backlog))
            for row, hub in zip(rows, me.hubs):
                assert all(abs(shown - exact) < 1.0 for shown, exact in zip(row, (hub.gpus, hub.online, hub.stranded,
                                                                                  hub.backlog)))


def check_rivals(screen, campaign):
    game = campaign.game
    rows = cells(screen.query_one("#rivals", DataTable))
    assert sorted(row[2] for row in rows) == sorted(game.names)
    titles = {bot.name: bot for bot in load_archetypes().bot}
    panel = static_text(screen, "#archetypes")
    for lab, seat in enumerate(campaign.seats):
        if seat is not None:
            row = next(r for r in rows if r[2] == game.names[lab])
            assert row[4] == seat  # the bot by name in the table (narrow enough for 120 columns) ...
            assert game.names[lab] in panel and titles[seat].summary[:40] in panel  # ... and by title below
            assert f"{titles[seat].title} ({seat})" in panel
            assert panel.count(titles[seat].summary[:40]) == 1  # rivals of one bot share its line


async def test_the_rivals_view_names_the_compute_partners_takes():
    """A partner's take is public (``RivalView.partner_take``): the rivals view names it, as the strategist reads it."""
    from blitzgame.engine import layout as F

    campaign = campaign_after(1)
    labs = campaign.game.state_labs
    labs[:, F.OUT_PARTNER] = 0.0
    labs[2, F.OUT_PARTNER] = 0.3 * labs[2, F.REVENUE]
    app = Host(campaign, lambda: RivalsScreen(campaign, campaign.player))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        caption = " ".join(static_text(app.screen, "#revenue-caption").split())  # (as one line, unwrapped)
        name = campaign.game.names[2]
        assert f"Compute partners took last quarter: {name} {money(labs[2, F.OUT_PARTNER])} (30% of revenue)" in caption
        assert caption.count("of revenue)") == 1 and "investors value only the revenue a lab keeps" in caption


def check_market(screen, campaign):
    market = campaign.game.observe(campaign.player).market
    rows = {row[0]: row[1] for row in cells(screen.query_one("#market", DataTable))}
    assert rows["Sentiment"].startswith(f"{market.sentiment:.2f}")
    assert rows["Revenue gap"] == f"{market.revenue_gap:.1f}x"
    assert rows["Vendor supply"] == count(market.vendor_shipments)


def check_charts(screen, campaign):
    game = campaign.game
    race = screen.query_one("#race-chart", QuarterChart)
    labels, lines, _, _ = race._data
    assert len(labels) == game.quarter + 1
    assert len(lines) == game.n_labs and lines[0].label.startswith("Test Lab")
    for chart_id in ("#cash-chart", "#runway-chart"):  # rivals' cash is private
        _, own, _, _ = screen.query_one(chart_id, QuarterChart)._data
        assert len(own) == 1 and not any(name in own[0].label for name in game.names)
    for tab in range(4):
        screen.action_tab(tab)
        assert screen.query_one(TabbedContent).active == ChartsScreen.TABS[tab]


def check_news(screen, campaign):
    text = static_text(screen, "#news")
    if not campaign.game.reports:
        assert "No news yet" in text
    else:
        assert campaign.game.reports[-1].label in text
        assert campaign.game.reports[0].label in text
        first = campaign.game.reports[-1].for_lab(campaign.player)[0].text
        assert first[:30] in text


def check_help(screen, campaign):
    assert "M7 · The death zone" in screen.query_one("#page", Markdown).source
    assert len(screen.query("#topics TopicItem")) == len(topics())


def check_debrief(screen, campaign):
    report = screen.report
    assert screen.query_one("#outcome", Static).border_title == report.outcome.capitalize()
    assert f"rank {report.rank} of {campaign.game.n_labs}" in static_text(screen, "#outcome")
    assert "Death zone" in screen.query_one("#lessons-text", Markdown).source
    rows = cells(screen.query_one("#standings", DataTable))
    assert len(rows) == campaign.game.n_labs
    # who played each lab, as the exported Markdown says it: a player could not tell the strategists there
    played = {row[1]: row[-1] for row in rows}
    game = campaign.game
    assert played == {name: "you" if k == campaign.player else campaign.seats[k] for k, name in enumerate(game.names)}


VIEWS = [
    ("hubs", lambda c: HubsScreen(c, c.player), check_hubs),
    ("rivals", lambda c: RivalsScreen(c, c.player), check_rivals),
    ("market", lambda c: MarketScreen(c, c.player), check_market),
    ("charts", lambda c: ChartsScreen(c, c.player), check_charts),
    ("news", lambda c: NewsScreen(c, c.player), check_news),
    ("help", lambda c: HelpScreen("m07-death-zone"), check_help),
    ("debrief", lambda c: DebriefScreen(c, c.player), check_debrief),
]


@pytest.mark.parametrize("quarters", [0, 3])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name, make, check", VIEWS, ids=[v[0] for v in VIEWS])
async def test_each_view_shows_the_game_and_closes_with_escape(name, make, check, size, quarters):
    campaign = campaign_after(quarters)
    app = Host(campaign, lambda: make(campaign))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__.lower().startswith(name)
        check(screen, campaign)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen and len(app.screen_stack) == 1


# --- behaviour of single views -----------------------------------------------------------------
@pytest.mark.parametrize("quarters", [0, 1])
async def test_every_chart_draws_before_and_after_the_first_quarter(quarters):
    campaign = campaign_after(quarters)
    app = Host(campaign, lambda: ChartsScreen(campaign, campaign.player))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for tab, pane in enumerate(ChartsScreen.TABS, start=1):
            await pilot.press(str(tab))
            await pilot.pause()
            charts = app.screen.query_one(f"#{pane}").query(QuarterChart)
            assert charts
            for chart in charts:
                assert chart.plot._datasets, f"{chart.id} drew nothing"
                assert chart.plot.size.height > 0


@pytest.mark.parametrize("make", [VIEWS[0][1], VIEWS[1][1]], ids=["hubs", "rivals"])
async def test_a_wide_table_scrolls_sideways_at_80_columns(make):
    """At 80x24 the hubs and rivals tables are wider than the screen: the table has the focus
    when the view opens, so the arrow keys reach every column."""
    campaign = campaign_after(1)
    app = Host(campaign, lambda: make(campaign))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert app.focused is table and table.max_scroll_x > 0
        await pilot.press(*["right"] * 60)
        await pilot.pause()
        assert table.scroll_x == table.max_scroll_x


async def test_the_rivals_view_counts_down_to_a_labs_escape_velocity():
    """A lab the engine counts dominant for a quarter shows "EV in 3" (of the 4 quarters it
    needs) as its status; the rest are alive."""
    from blitzgame.engine import layout as F
    from blitzgame.engine.turn import victory

    campaign = campaign_after(1)
    game = campaign.game
    game.state_labs[3, F.ONLINE], game.state_labs[3, F.SHARE] = 300_000.0, 0.65
    victory(game.state_labs, game.state_world, game.world.params, 0)
    app = Host(campaign, lambda: RivalsScreen(campaign, campaign.player))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#rivals", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        status = {row[labels.index("Lab")]: row[labels.index("Status")] for row in cells(table)}
        assert status == {name: ("EV in 3" if k == 3 else "alive") for k, name in enumerate(game.names)}


async def test_news_filters_by_phase():
    campaign = campaign_after(3)
    app = Host(campaign, lambda: NewsScreen(campaign, campaign.player))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("f")  # all -> the race -> financing -> ...
        await pilot.pause()
        assert screen.query_one("#phase", Select).value == "victory"  # the race: first, as in every report
        if not any(n.phase == "victory" for r in campaign.game.reports for n in r.for_lab(campaign.player)):
            assert static_text(screen, "#news").startswith("No race news for your lab in 3 quarters")  # not "No The race"
        screen.query_one("#phase", Select).value = "training"
        await pilot.pause()
        text = static_text(screen, "#news")
        training = [n.text for r in campaign.game.reports for n in r.for_lab(campaign.player) if n.phase == "training"]
        others = [n.text for r in campaign.game.reports for n in r.for_lab(campaign.player) if n.phase == "costs"]
        assert all(line[:25] in text for line in training)
        assert not any(line[:25] in text for line in others)
        await pilot.press("F")
        await pilot.pause()
        assert screen.query_one("#phase", Select).value == "talent"


async def test_help_moves_between_topics_and_follows_links():
    app = Host(None, lambda: HelpScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.topic_id == "intro"
        await pilot.press("down")
        await pilot.pause()
        await pilot.pause()
        assert screen.topic_id == topics()[1].id
        assert topics()[1].title in screen.query_one("#page", Markdown).source
        screen.query_one("#page", Markdown).post_message(
            Markdown.LinkClicked(screen.query_one("#page", Markdown), "m08-music-stops"))
        await pilot.pause()
        await pilot.pause()
        assert screen.topic_id == "m08-music-stops"
        listing = screen.query_one("#topics", ListView)
        assert listing.highlighted_child.topic_id == "m08-music-stops"


async def test_arrows_held_down_in_the_topics_draw_the_last_page_and_keep_the_game_running():
    """Arrow keys held down (a key every few milliseconds, as a terminal repeats them) ask for a
    page per key while the last is still being drawn: the pages are drawn one after another,
    none cancelled halfway (that took the app down), and the one shown is the last asked for."""
    app = Host(None, lambda: HelpScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        listing = screen.query_one("#topics", ListView)
        page = screen.query_one("#page", Markdown)
        for _ in range(3):
            for key in ["down"] * 25 + ["up"] * 9:
                app.post_message(events.Key(key, None))  # not waited for: the next comes mid-draw
                await asyncio.sleep(0.004)
            handled = []
            app.call_later(handled.append, True)  # queued after the keys: every key handled once it runs
            # (none left for when the test closes the app, where a key finds no screen), the last page drawn
            await until(pilot, lambda handled=handled: not app.is_running or (
                handled and page.source == topic(listing.highlighted_child.topic_id).text))
            assert app.is_running and app.screen is screen
            shown = topic(listing.highlighted_child.topic_id)
            assert screen.topic_id == shown.id and screen.sub_title == shown.title


async def test_help_opens_at_the_start_for_an_unknown_topic():
    app = Host(None, lambda: HelpScreen("no-such-topic"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.topic_id == "intro"


async def test_the_debrief_exports_markdown_and_offers_a_new_game(saves):
    campaign = campaign_after(3)
    app = Host(campaign, lambda: DebriefScreen(campaign, campaign.player))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        exported = list(saves.glob("*-debrief-*.md"))
        assert len(exported) == 1
        text = exported[0].read_text(encoding="utf-8")
        assert "# Debrief: Test Lab" in text and "## Lessons" in text
        assert any(str(exported[0]) in notice for notice in app.notices)
        await pilot.press("g")
        await pilot.pause()
        assert app.asked == ["new_game"]
        for tab, pane in enumerate(DebriefScreen.TABS, start=1):
            await pilot.press(str(tab))
            await pilot.pause()
            assert app.screen.query_one(TabbedContent).active == pane
        # left and right go round the tabs, whatever has the focus (here the standings table)
        app.screen.query_one("#standings", DataTable).focus()
        await pilot.pause()
        tabs = app.screen.query_one(TabbedContent)
        for key, pane in (("right", "lessons"), ("right", "timeline"), ("left", "lessons"), ("left", "standings-pane")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == pane, key


async def test_page_keys_scroll_the_debrief_tab_shown_from_the_start():
    """The tab bar has the focus when the debrief opens: page down still scrolls the lessons."""
    campaign = campaign_after(3)
    app = Host(campaign, lambda: DebriefScreen(campaign, campaign.player))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("HeaderTitle")))
        pane = app.screen.query_one("#lessons .pane")
        await until(pilot, lambda: pane.max_scroll_y > 0)  # the lessons, drawn, are longer than the screen
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert pane.scroll_y == 0


async def test_a_lesson_link_opens_its_encyclopedia_page():
    campaign = campaign_after(1)
    app = Host(campaign, lambda: DebriefScreen(campaign, campaign.player))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("HeaderTitle")))  # the debrief fully mounted
        lessons = app.screen.query_one("#lessons-text", Markdown)
        assert "(m07-death-zone)" in lessons.source
        lessons.post_message(Markdown.LinkClicked(lessons, "m07-death-zone"))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.topic_id == "m07-death-zone"


# --- the real app: keys and the palette ---------------------------------------------------------
def game_app(quarters: int = 1):
    from blitzgame.tui.app import BlitzApp

    return BlitzApp(campaign_after(quarters), warm=False)


@pytest.mark.parametrize("key, screen", [("h", HubsScreen), ("r", RivalsScreen), ("m", MarketScreen),
                                         ("c", ChartsScreen), ("n", NewsScreen), ("question_mark", HelpScreen)])
async def test_the_app_keys_open_each_view(key, screen):
    app = game_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home


async def palette_entries(pilot, query: str = "") -> list[str]:
    pilot.app.action_command_palette()
    await pilot.pause()
    if query:
        await pilot.press(*query)
    for _ in range(20):  # the palette gathers hits from its providers in a worker
        await pilot.pause(0.05)
        options = pilot.app.screen.query_one(CommandList).options
        if options:
            break
    return [option.hit.text for option in pilot.app.screen.query_one(CommandList).options]


async def test_the_palette_lists_every_action_and_every_topic():
    app = game_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await palette_entries(pilot)
        assert isinstance(app.screen, CommandPalette)
        for name, _, _ in ACTIONS:
            assert name in shown
        for t in topics():
            assert f"Encyclopedia: {t.title}" in shown


async def test_a_palette_command_runs_its_action():
    app = game_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await palette_entries(pilot, "rivals")
        assert any("Rivals" in s for s in shown)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, RivalsScreen)


async def test_a_palette_topic_opens_the_encyclopedia_there():
    app = game_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await palette_entries(pilot, "death zone")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.topic_id == "m07-death-zone"


async def test_an_action_the_app_lacks_fails_softly():
    from blitzgame.tui.commands import BlitzCommands

    class Bare(Recorder):
        COMMANDS = {BlitzCommands}

    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = await palette_entries(pilot, "end quarter")
        assert "End quarter" in shown
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert any("not available" in notice for notice in app.notices)


def finished_campaign() -> Campaign:
    campaign = campaign_after(0)
    while not campaign.game.over and campaign.alive_humans():
        campaign.end_quarter()
    return campaign


async def test_a_finished_campaign_offers_nothing_to_play(saves):
    """After the end: the debrief and the views, but no End quarter, Orders or Rewind in the
    footer or the palette; its autosave is listed by the last quarter played, as finished."""
    from blitzgame.session.saves_folder import list_saves
    from blitzgame.tui.app import PLAY_ACTIONS, BlitzApp

    campaign = finished_campaign()
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        shown = {binding.action for _, binding, enabled, _ in app.screen.active_bindings.values() if enabled}
        assert not shown & PLAY_ACTIONS and "hubs" in shown
        entries = await palette_entries(pilot)
        assert "Debrief" in entries and "Hubs" in entries
        assert not {"End quarter", "Orders", "Rewind"} & set(entries)
        hq = next(s for s in app.screen_stack if type(s).__name__ == "HQScreen")  # under the debrief
        last_played = campaign.game.world.label(campaign.game.quarter - 1)
        assert hq.sub_title.startswith(f"campaign finished after {last_played}")
        summary = hq.query_one("OrdersSummary")
        assert "o to edit" not in str(summary.border_title) and "No more orders" in str(summary.render())
    assert campaign.game.progress == f"finished after {campaign.game.world.label(campaign.game.quarter - 1)}"
    last = campaign.game.world.label(len(campaign.game.orders_log) - 1)
    labels = {info.quarter for info in list_saves(saves)}
    assert f"finished after {last}" in labels


async def test_hq_says_last_quarters_orders_are_not_repeated_unless_chosen():
    from blitzgame.schemas.orders import Orders
    from blitzgame.tui.app import BlitzApp
    from blitzgame.tui.widgets.orders_summary import NO_ORDERS, REPEAT_HINT, OrdersSummary

    campaign = campaign_after(0)
    campaign.submit(campaign.player, Orders(hire=3.0))
    campaign.end_quarter()
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one(OrdersSummary).render())
        assert NO_ORDERS in shown and REPEAT_HINT in shown


async def test_page_down_scrolls_the_help_page_whichever_side_has_the_focus():
    app = Host(None, lambda: HelpScreen("m08-music-stops"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        page = screen.query_one("#page-scroll")
        await until(pilot, lambda: page.max_scroll_y > 0)
        assert screen.query_one("#topics", ListView).has_focus and page.scroll_y == 0
        await pilot.press("pagedown")
        await until(pilot, lambda: page.scroll_y > 0)
        assert screen.topic_id == "m08-music-stops"  # the topic stays: only the page moved
        await pilot.press("pageup")
        await until(pilot, lambda: page.scroll_y == 0)


def test_a_runway_line_names_the_choices_its_burn_holds():
    """HQ said 'running costs less revenue' of a burn that held $40M of R&D and $8M of cloud rental."""
    from blitzgame.testing import observation
    from blitzgame.tui.widgets.lab_summary import burn_words

    me = observation(quarter=2, burn=78.0, last_quarter={"out_hiring": 0.0, "out_efficiency_rnd": 40.0,
                                                         "out_silicon_rnd": 0.0, "out_rental": 8.0}).me
    assert burn_words(me) == ("$78M/qtr: costs less revenue, before GPUs and power; the costs held $48M of R&D and "
                              "cloud rental, which the runway counts as going on")
    quiet = observation(quarter=2, burn=78.0, last_quarter={"out_hiring": 1.0, "out_efficiency_rnd": 0.0,
                                                            "out_silicon_rnd": 0.0, "out_rental": 0.0}).me
    assert burn_words(quiet) == "$78M/qtr: costs less revenue, before GPUs and power"  # under a tenth: not named
    outage = observation(quarter=2, burn=140.0, last_quarter={"out_hiring": 1.0, "out_efficiency_rnd": 0.0,
                                                              "out_events": 39.9}).me  # a player's runway of 5.1
    assert burn_words(outage) == ("$140M/qtr: costs less revenue, before GPUs and power; the costs held $41M of "
                                  "hiring and severance pay and a one-off outage or fine, which the runway counts as going on")
    layoff = observation(quarter=2, burn=60.0, last_quarter={"out_hiring": 17.0, "hires_won": 0.0, "laid_off": 12.0,
                                                             "out_efficiency_rnd": 0.0, "out_rental": 0.0}).me
    assert "the costs held $17M of hiring and severance pay, which the runway" in burn_words(layoff)  # the ledger's words


async def test_the_debrief_footer_says_escape_goes_to_the_title_screen(saves):
    """A player pressed the debrief's "esc Back" and found the title screen: once the campaign is
    over, closing the debrief ends it, and the footer says so."""
    campaign = campaign_after(3)
    app = Host(campaign, lambda: DebriefScreen(campaign, campaign.player))
    async with app.run_test(size=(130, 30)) as pilot:
        await pilot.pause()
        escape = app.screen.active_bindings["escape"]
        assert escape.binding.description == "Title screen" and escape.enabled
        assert "Back" not in [b.binding.description for b in app.screen.active_bindings.values()]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DebriefScreen)


@pytest.mark.parametrize("stranded, heat_dark, idle, dark", [
    (4106.45, 4106.45, 4107, 4107),  # all idle is the heatwave's: rounding up never leaves "1 stranded"
    (4105.7, 4105.7, 4105, 4105),
    (4106.45 + 300.2, 4106.45, 4407, 4107),  # 300 short of power, as the report counts them
    (0.0, 0.0, 0, 0),
    (12.0, 0.0, 12, 0),
    (238.6, 0.0, 238, 0),  # no heatwave: rounding never reads "-1 dark in a heatwave" (nor "1")
    (12193.4, 0.0, 12194, 0),
    (0.6, 0.3, 0, 0),  # never below none, never past the idle
])
def test_the_hubs_view_splits_idle_gpus_between_power_and_a_heatwave(stranded, heat_dark, idle, dark):
    assert dark_share(stranded, heat_dark, idle) == dark


def test_hq_and_the_hubs_view_say_the_same_idle_gpus():
    """A player read "stranded 239" at HQ and "238 idle (239 stranded for lack of power, -1 dark in a
    heatwave)" in the hubs view, with no heatwave: both now write the hubs view's whole GPUs."""
    import blitzgame
    from blitzgame.tui.fleet import footprint, idle_split
    from blitzgame.tui.widgets.lab_summary import stranded_words

    seen = dark_seen = 0
    for seed in range(4):
        game = blitzgame.play(["sprinter", "pure", "greedy", "integrator", "random"], scenario="power-crunch",
                              seed=seed).game
        for quarter, snap in enumerate(game.history[1:], 1):
            game.state_labs[:], game.state_world[:] = snap.labs, snap.world
            game.refresh_views()
            for lab in range(game.n_labs):
                me = game.observe(lab).me
                unpowered, dark = idle_split(me)
                assert unpowered >= 0 and dark >= 0 and unpowered + dark == sum(row[2] for row in footprint(me))
                assert dark == 0 or me.last_quarter.heat_dark > 0.0, (seed, quarter, lab)
                words = stranded_words(me)
                assert f"stranded {unpowered:,}" in words and ("dark in a heatwave" in words) == (dark > 0)
                seen += unpowered > 0
                dark_seen += dark > 0
    assert seen > 50 and dark_seen > 0, (seen, dark_seen)


async def test_the_key_bar_never_runs_under_the_palette_key_and_keeps_help():
    """At 80 columns the news view's keys ran under the command palette's and a stray letter
    showed ("^p palettel"): keys that do not fit are left off, the last first, help kept."""
    from blitzgame.tui.app import BlitzApp
    from blitzgame.tui.widgets.footer import GameFooter

    for width in (80, 160):
        app = BlitzApp(campaign_after(1), warm=False)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.press("n")
            await until(pilot, lambda app=app: isinstance(app.screen, NewsScreen))
            await pilot.pause()
            footer = app.screen.query_one(GameFooter)
            palette = next(w for w in footer.children if w.has_class("-command-palette"))
            shown = [w for w in footer.children if w.display and w is not palette]
            assert all(w.region.right <= palette.region.x for w in shown)
            assert any(getattr(w, "key", None) == "question_mark" for w in shown)  # help stays
            assert (len(shown) + 1 < len(footer.children)) == (width == 80)  # room for all: all shown


def test_a_model_just_behind_the_best_says_so_with_the_decimals_that_show_it():
    """HQ read "Model quality 5.00, #4 of the labs" beside a frontier of 5.00."""
    from types import SimpleNamespace

    from blitzgame.tui.widgets.lab_summary import quality_words

    behind = SimpleNamespace(quality=4.9983, quality_rank=4)
    assert quality_words(behind, 5.0) == "Model quality 4.998, [b]#4[/] of the labs (the best 5.000)"
    assert quality_words(behind, 5.3) == "Model quality 5.00, [b]#4[/] of the labs"  # apart already
    first = SimpleNamespace(quality=5.0, quality_rank=1)
    assert quality_words(first, 5.0) == "Model quality 5.00, [b]#1[/] of the labs"


def test_each_line_of_a_chart_has_a_marker_of_its_own():
    """A player could tell the five labs' lines apart only by colour (not at all in a plain capture):
    each line's last value and its legend entry share a shape of their own."""
    from blitzgame.tui.widgets.race_chart import _markers

    assert _markers(1) == "●" and len(set(_markers(5))) == 5 and len(_markers(8)) == 8


async def test_the_players_marker_is_drawn_over_the_guides_and_the_rivals_lines():
    """A player at 8,823 GPUs found no "●" on the GPU race: the death zone's 10k guide, drawn
    after the lines, covered it, at the chart's top edge. Guides go under the lines, the player's
    line and marker on top, with room above the top decade."""
    from textual.app import App

    from blitzgame.tui.widgets.race_chart import Guide, Line

    class One(App):
        def compose(self):
            yield QuarterChart("GPUs online", log_scale=True, id="race-chart")

    labels = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    lines = [Line("You (you)", [300.0, 2_000.0, 6_000.0, 8_823.0]),
             Line("Rival", [300.0, 3_000.0, 7_000.0, 8_823.0], "warning")]  # (ends on the same point)
    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(QuarterChart)
        chart.show(labels, lines, [Guide(1_000.0, "death zone 1k-10k"), Guide(10_000.0, "")])
        await pilot.pause()
        await pilot.pause()
        shown = app.export_screenshot()  # the legend's two markers, and the plot's
        assert shown.count("●") == 2 and shown.count("■") == 1  # the player's over the rival's, at the end they share
