"""A team of a shared class at the terminal: its orders go in, and the report comes when the
quarter closes for every team (``blitzgame play --class DIR --team NAME`` on a shared class)."""

import pytest
from pilot_tools import notices, until
from textual.css.query import NoMatches
from textual.widgets import Static

from blitzgame.classroom.shared import SharedClass, new_shared_class
from blitzgame.classroom.shared_play import SharedCampaign
from blitzgame.tui.app import BlitzApp
from blitzgame.tui.screens.hq import HQScreen
from blitzgame.tui.screens.report import ReportScreen


@pytest.fixture
def room(tmp_path):
    folder = tmp_path / "room"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=5, rivals=["defender"],
                     quarters=4, autopilot="efficient")
    return folder


def shown(app, selector: str) -> str:
    """The text of the widget ``selector`` on the screen on top ('' until that screen has it)."""
    try:
        return " ".join(str(app.screen.query_one(selector, Static).render()).split())
    except NoMatches:
        return ""


def headline(app) -> str:
    return shown(app, "#headline")


def class_line(app) -> str:
    return shown(app, "#class-line")


async def test_orders_go_in_and_the_report_comes_when_the_quarter_closes(room):
    campaign = SharedCampaign.open(room, "Red")
    assert campaign.export_folder() == room  # a debrief exported goes to the class's folder
    blue = SharedClass(room)  # another team's process
    app = BlitzApp(campaign, warm=False)
    said = notices(app)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            assert "Your orders are not in yet" in class_line(app) and "waiting for Red, Blue" in class_line(app)
            await pilot.press("o")
            await until(pilot, lambda: type(app.screen).__name__ == "OrdersScreen")
            await pilot.press(*"1500", "ctrl+s")  # the first field: GPUs in the first hub
            await pilot.press("e")
            await until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
            await pilot.press("y")
            await until(pilot, lambda: campaign.submitted())
            assert isinstance(app.screen, HQScreen) and campaign.game.quarter == 0
            await until(pilot, lambda: "Your orders are in" in class_line(app) and "waiting for Blue" in class_line(app))
            assert not app.check_action("save", ())
            await pilot.press("ctrl+z")  # a teacher pressed it and nothing happened: it says why
            await pilot.pause()
            assert any("A shared class cannot go back" in m for m in said) and isinstance(app.screen, HQScreen)

            blue.submit(1, {})  # the last team in: the quarter resolves in Blue's process
            await until(pilot, lambda: isinstance(app.screen, ReportScreen), timeout=5)
            assert campaign.game.quarter == 1 and campaign.played_for_me(0) == "team"
            await until(pilot, lambda: "2024Q1 closed when every team was in; your orders were in" in headline(app))
            assert sum(campaign.game.orders_log[0][0].gpus.values()) == 1500

            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            blue.resolve(force=True)  # the teacher closes 2024Q2 before Red sent anything
            await until(pilot, lambda: isinstance(app.screen, ReportScreen) and campaign.game.quarter == 2, timeout=5)
            assert campaign.played_for_me(1) == "autopilot"
            assert campaign.played_by(campaign.player) == {1: "efficient (autopilot)"}
            from blitzgame.session.debrief import debrief  # the team's own debrief says whose orders those were

            said_first = debrief(campaign.game, campaign.player, campaign.seats, campaign.played_by(campaign.player))
            assert said_first.summary.endswith("Orders by efficient (autopilot) in 1 of the 2 quarters played, not the "
                                               "player's (the timeline marks them).")
            await until(pilot, lambda: "2024Q2 closed when your teacher closed it, before your orders were in: "
                                       "efficient, the class's autopilot, played your lab" in headline(app))
            assert any("2024Q2 closed when your teacher closed it, before your orders were in: efficient" in m
                       for m in said)

            await pilot.press("escape")  # the form open, an order half typed, when the teacher closes 2024Q3
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            await pilot.press("o")
            await until(pilot, lambda: type(app.screen).__name__ == "OrdersScreen")
            await pilot.press(*"25")
            blue.resolve(force=True)
            await until(pilot, lambda: isinstance(app.screen, ReportScreen) and campaign.game.quarter == 3, timeout=5)
            assert any("2024Q3 closed while your orders form was open: what you had not sent" in m
                       and "It is back on the form when you open it again (o)." in m for m in said)
            await pilot.press("escape")  # ... and the next quarter's form opens with it, as it was typed
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            await pilot.press("o")
            await until(pilot, lambda: type(app.screen).__name__ == "OrdersScreen")
            assert app.screen.fields[0].input.value == "25"
            assert any("What you had typed for 2024Q3 is back on the form" in m for m in said)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            await pilot.press("o")  # once: a form opened again shows what was typed there, not the old draft
            await until(pilot, lambda: type(app.screen).__name__ == "OrdersScreen")
            assert sum("is back on the form: check" in m for m in said) == 1
    finally:
        blue.close()
        campaign.close()


async def test_a_team_out_of_the_race_follows_it_from_hq(room):
    from blitzgame.tui.screens.debrief import DebriefScreen

    campaign = SharedCampaign.open(room, "Red")
    blue = SharedClass(room)
    app = BlitzApp(campaign, warm=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            campaign.submit(0, {"hire": 3000, "package": 5.0})  # a payroll no lab can carry
            await pilot.press("e")
            await until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
            await pilot.press("y")
            await until(pilot, lambda: campaign.submitted())
            blue.submit(1, {})
            await until(pilot, lambda: isinstance(app.screen, ReportScreen), timeout=5)
            assert not campaign.game.alive(0), "Red ran out of cash in its first quarter"
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
            assert app.screen.active_bindings["escape"].binding.description == "Back"  # the class plays on: to HQ
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            assert "your lab is out of the race; the class plays on" in class_line(app)
            blue.submit(1, {})  # the class plays on: Red is not awaited
            await until(pilot, lambda: campaign.game.quarter == 2, timeout=5)
            await pilot.pause(0.3)
            assert isinstance(app.screen, HQScreen), "no second debrief: HQ follows the race"
            assert "2024Q3" in class_line(app)
    finally:
        blue.close()
        campaign.close()


async def test_a_teams_hq_shows_the_teachers_hold_and_release_by_itself(tmp_path, capsys):
    """A class of separate campaigns: HQ reads the teacher's rules again every few seconds."""
    from blitzgame.classroom.create import new_class
    from blitzgame.classroom.team import open_team
    from blitzgame.cli import main

    folder = tmp_path / "class"
    new_class(folder, team_names=["Team 1"], scenario="base-2024", seed=3, quarters=4)
    campaign = open_team(folder, "Team 1")
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        assert "Held" not in class_line(app)
        assert main(["class", "hold", str(folder), "--at", "2024Q1"]) == 0
        await until(pilot, lambda: "Held at 2024Q1" in class_line(app), timeout=6)
        from blitzgame.schemas.orders import Orders
        from blitzgame.tui.screens.ask import AskScreen

        campaign.submit(campaign.player, Orders(hire=2.0))  # quitting now: held, the quarter cannot end to keep them
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        assert "cannot end until your teacher releases the class" in str(app.screen.question)
        assert "end the quarter first" not in str(app.screen.question)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        assert main(["class", "release", str(folder)]) == 0
        await until(pilot, lambda: "Held" not in class_line(app), timeout=6)


async def test_quitting_with_orders_saved_but_not_sent_asks_first(room):
    """A teacher saved orders (ctrl+s) and quit (ctrl+q): the game left at once and the orders
    were gone on rejoin. Unsent orders, or orders changed since sent, ask first."""
    from blitzgame.schemas.orders import Orders
    from blitzgame.tui.screens.ask import AskScreen

    campaign = SharedCampaign.open(room, "Red")
    app = BlitzApp(campaign, warm=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            campaign.submit(0, Orders(hire=4.0))  # saved on this screen, not sent
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, AskScreen))
            assert "Your orders for 2024Q1 are not sent" in str(app.screen.question)
            assert "the class's autopilot (efficient) plays your lab" in str(app.screen.question)
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            campaign.end_quarter()  # sent
            campaign.submit(0, Orders(hire=9.0))  # and changed since
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, AskScreen))
            assert "since you sent them: the ones you sent play" in str(app.screen.question)
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            campaign.submit(0, Orders(hire=4.0))  # as sent: nothing to lose
            await pilot.press("ctrl+q")
            await until(pilot, lambda: not app.is_running)
    finally:
        campaign.close()


async def test_the_orders_form_shows_the_time_left_and_warns_in_the_last_minute(tmp_path):
    """A teacher found the time left only on HQ: at 16 s left the orders form, where teams spend
    the quarter, said nothing, then closed. Its title counts down; a minute before, it warns."""
    folder = tmp_path / "timed"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=5, rivals=["defender"],
                     quarters=4, deadline=50.0)
    campaign = SharedCampaign.open(folder, "Red")
    app = BlitzApp(campaign, warm=False)
    said = notices(app)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HQScreen))
            await pilot.press("o")
            await until(pilot, lambda: type(app.screen).__name__ == "OrdersScreen")
            app._refresh_class_line()
            assert app.screen.sub_title.startswith("Red · 2024Q1 · closes in ")  # (50 s: under a minute)
            assert sum("closes in" in m and "or what is on this form does not play" in m for m in said) == 1
            app._refresh_class_line()
            assert sum("or what is on this form does not play" in m for m in said) == 1  # once a quarter
    finally:
        campaign.close()
