"""Hot seat: several people, one keyboard. Each human lab gives orders in turn behind a handoff
screen, nobody sees another's HQ or orders, and the quarter resolves after the last one."""


import pytest
from pilot_tools import until

from blitzgame.engine import layout as F
from blitzgame.schemas.orders import Orders
from blitzgame.session.campaign import Campaign, Human
from blitzgame.tui.app import BlitzApp
from blitzgame.tui.screens.confirm import ConfirmScreen
from blitzgame.tui.screens.handoff import HandoffScreen
from blitzgame.tui.screens.hq import HQScreen
from blitzgame.tui.screens.new_game import HumanRow, NewGameScreen
from blitzgame.tui.screens.report import ReportScreen

SIZE = (120, 40)
ALPHA = Orders(gpus={"virginia": 500.0}, hire=4.0)
BETA = Orders(rent=250.0, train_split=0.8)


@pytest.fixture(autouse=True)
def saves(tmp_path, monkeypatch):
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path / "saves"))


def text_of(widget) -> str:
    return str(widget.render())


async def take_keyboard(pilot, app, name: str) -> None:
    """The handoff screen names the next player and hides everything until a key is pressed."""
    await until(pilot, lambda: isinstance(app.screen, HandoffScreen))
    assert f"{name}, take the keyboard" in text_of(app.screen.query_one("#who"))
    assert not app.screen.query("LabSummary, OrdersSummary")  # nothing of any lab shows
    await pilot.press("space")


async def give_orders(pilot, app, orders: Orders) -> None:
    """Open the orders screen and hand back ``orders``, as submitting it does."""
    await pilot.press("o")
    await until(pilot, lambda: type(app.screen).__name__ == "OrdersScreen")
    assert app.screen.lab == app.lab
    app.screen.dismiss(orders)
    await until(pilot, lambda: isinstance(app.screen, HQScreen) and app.campaign.pending(app.lab) == orders)


async def hq_of(pilot, app, name: str) -> HQScreen:
    await until(pilot, lambda: isinstance(app.screen, HQScreen))
    await pilot.pause()
    hq = app.screen
    assert name in hq.title and name in str(hq.query_one("LabSummary").border_title)
    return hq


async def test_two_humans_play_two_quarters_in_turn_behind_the_handoff_screen():
    app = BlitzApp(seed=21, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewGameScreen)
        await pilot.click("#add-human")
        await until(pilot, lambda: len(app.screen.query(HumanRow)) == 2)
        first, second = app.screen.query(HumanRow)
        first.query_one(".name").value = "Alpha Labs"
        second.query_one(".name").value = "Beta Labs"
        app.screen.query_one("#rival-count").value = 2
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.campaign is not None)
        campaign = app.campaign
        assert campaign.humans == [0, 1] and campaign.game.names[:2] == ["Alpha Labs", "Beta Labs"]
        assert campaign.game.n_labs == 4

        for quarter in range(2):
            if quarter:  # each player reads their own report of the quarter first
                await take_keyboard(pilot, app, "Alpha Labs")
                await until(pilot, lambda: isinstance(app.screen, ReportScreen))
                assert app.screen.lab == 0
                await pilot.press("escape")
            else:
                await take_keyboard(pilot, app, "Alpha Labs")
            hq = await hq_of(pilot, app, "Alpha Labs")
            assert "No orders" in text_of(hq.query_one("#orders"))
            await give_orders(pilot, app, ALPHA)
            await pilot.press("e")
            assert isinstance(app.screen, ConfirmScreen)
            assert "Beta Labs" in text_of(app.screen.query_one("#next"))
            await pilot.press("y")

            await take_keyboard(pilot, app, "Beta Labs")
            assert campaign.game.quarter == quarter  # nothing resolves until the last player is done
            if quarter:
                await until(pilot, lambda: isinstance(app.screen, ReportScreen))
                assert app.screen.lab == 1
                await pilot.press("escape")
            hq = await hq_of(pilot, app, "Beta Labs")
            assert "No orders" in text_of(hq.query_one("#orders"))  # Alpha's orders stay hidden
            await give_orders(pilot, app, BETA)
            await pilot.press("e", "y")
            await until(pilot, lambda done=quarter + 1: campaign.game.quarter == done)

        log = campaign.game.orders_log
        assert [(q[0], q[1]) for q in log] == [(ALPHA, BETA), (ALPHA, BETA)]
        await take_keyboard(pilot, app, "Alpha Labs")


async def test_a_bankrupt_human_no_longer_takes_the_keyboard():
    campaign = Campaign.new([Human("Alpha Labs"), Human("Beta Labs")], seed=5, rivals=1)
    campaign.game.state_labs[1, F.STATUS] = F.BANKRUPT  # Beta is out before the campaign starts here
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, app, "Alpha Labs")
        await hq_of(pilot, app, "Alpha Labs")
        await pilot.press("e", "y")
        await take_keyboard(pilot, app, "Alpha Labs")  # straight back to Alpha: Beta is skipped
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert campaign.game.quarter == 1 and app.screen.lab == 0


async def test_the_handoff_screen_blocks_the_game_keys_and_the_palette_actions():
    campaign = Campaign.new([Human("Alpha Labs"), Human("Beta Labs")], seed=5, rivals=1)
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HandoffScreen))
        await app.action_orders()  # as the palette would call it
        await app.action_end_quarter()
        app.action_save()
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        await pilot.press("e")  # any key only passes the keyboard: it does not end the quarter
        assert isinstance(app.screen, HQScreen) and campaign.game.quarter == 0
