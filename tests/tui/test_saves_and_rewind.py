"""Saves and rewind in the terminal game: save -> quit -> load gives the same game (digest),
broken saves say why and cannot be picked, and rewind then play on equals a fresh game."""


import pytest
from pilot_tools import until

from blitzgame.schemas.orders import Orders
from blitzgame.session.campaign import Campaign, Human
from blitzgame.tui.app import BlitzApp
from blitzgame.tui.screens.hq import HQScreen
from blitzgame.tui.screens.load import LoadScreen
from blitzgame.tui.screens.report import ReportScreen
from blitzgame.tui.screens.rewind import RewindScreen
from blitzgame.tui.screens.save import SaveScreen, slot_problem, slot_stem
from blitzgame.tui.screens.title import TitleScreen

SIZE = (120, 40)
RIVALS = ["sprinter", "integrator", "defender"]
PLAN = [  # the human's orders, quarter by quarter
    Orders(gpus={"nevada": 600.0}, power_mw={"nevada": 3.0}, hire=5.0),
    Orders(rent=300.0, train_split=0.7),
    Orders(gpus={"nevada": 400.0}, hire=2.0, efficiency_rnd=20.0),
    Orders(equity=500.0, hire=3.0),
]


@pytest.fixture(autouse=True)
def saves(tmp_path, monkeypatch):
    folder = tmp_path / "saves"
    monkeypatch.setenv("BLITZGAME_SAVES", str(folder))
    return folder


def new_campaign() -> Campaign:
    return Campaign.new([Human("Helix Labs", "startup", "nevada")], seed=42, rivals=RIVALS)


def record_notes(app) -> list[str]:
    """What the app tells the player (its notifications), as a list that fills as it plays."""
    notes: list[str] = []
    app.notify = lambda message, *args, **kwargs: notes.append(str(message))
    return notes


async def play_quarter(pilot, app, orders: Orders | None) -> None:
    """Give orders (as the orders screen would hand them back) and end the quarter by keys."""
    if orders is not None:
        app.campaign.submit(app.lab, orders)
    played = app.campaign.game.quarter
    await pilot.press("e", "y")
    await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.campaign.game.quarter == played + 1)
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, HQScreen))


# --- save -> quit -> load ----------------------------------------------------------------------
def test_slot_names_are_checked():
    assert slot_stem("  My Great Run ") == "my-great-run"
    assert slot_problem("my run") == ""
    assert "name" in slot_problem("   ")
    assert "letters" in slot_problem("../etc/passwd")
    assert "autosaves" in slot_problem("helix-labs-auto2")


async def test_save_quit_load_gives_the_same_game(saves):
    app = BlitzApp(new_campaign(), warm=False)
    async with app.run_test(size=SIZE) as pilot:
        for orders in PLAN[:2]:
            await play_quarter(pilot, app, orders)
        await pilot.press("s")
        assert isinstance(app.screen, SaveScreen)
        slot = app.screen.query_one("#slot")
        assert slot.value == "helix-labs"  # the lab's name by default
        slot.value = "Before the crash"
        await pilot.press("enter")
        await until(pilot, lambda: (saves / "before-the-crash.json").exists())
        saved_digest = app.campaign.game.digest()
        await pilot.press("ctrl+q")
    assert app.return_code == 0

    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TitleScreen))
        await pilot.press("l")
        assert isinstance(app.screen, LoadScreen)
        names = [info.path.name for info in app.screen.saves]
        assert "before-the-crash.json" in names
        options = app.screen.query_one("#saves")
        options.highlighted = names.index("before-the-crash.json")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        assert app.campaign.game.digest() == saved_digest
        assert app.campaign.game.quarter == 2 and app.campaign.game.label == "2024Q3"
        await play_quarter(pilot, app, PLAN[2])  # and it plays on

    fresh = new_campaign()
    for orders in PLAN[:3]:
        fresh.submit(0, orders)
        fresh.end_quarter()
    assert app.campaign.game.digest() == fresh.game.digest()


async def test_a_broken_save_is_listed_with_its_error_and_cannot_be_loaded(saves):
    saves.mkdir(parents=True)
    (saves / "cut-short.json").write_text('{"format": "blitzgame-save", "version": 1, "orders": [[{')
    new_campaign().save(saves / "good.json")
    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        screen = app.screen
        broken = next(k for k, info in enumerate(screen.saves) if info.path.name == "cut-short.json")
        option = screen.query_one("#saves").get_option_at_index(broken)
        assert option.disabled
        assert "truncated" in str(option.prompt)
        good = next(k for k, info in enumerate(screen.saves) if info.path.name == "good.json")
        prompt = str(screen.query_one("#saves").get_option_at_index(good).prompt)
        assert "Helix Labs" in prompt and "2024Q1" in prompt and "base-2024" in prompt


async def test_a_save_that_fails_to_replay_says_why_and_leaves_the_title(saves):
    import json

    saves.mkdir(parents=True)
    campaign = new_campaign()
    campaign.end_quarter()
    path = campaign.save(saves / "tampered.json")
    data = json.loads(path.read_text())
    data["digest"] = "0" * 64
    path.write_text(json.dumps(data))
    app = BlitzApp(warm=False)
    notes = record_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        names = [info.path.name for info in app.screen.saves]
        app.screen.query_one("#saves").highlighted = names.index("tampered.json")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.campaign is None
        assert any("does not reproduce" in note for note in notes)


async def test_a_save_from_other_rules_asks_before_playing_it_on_under_todays(saves, monkeypatch):
    import json

    from blitzgame.tui.screens.ask import AskScreen

    saves.mkdir(parents=True)
    campaign = new_campaign()
    campaign.end_quarter()
    path = campaign.save(saves / "older.json")
    data = json.loads(path.read_text())
    data["rules"] = "0.0.1:0123456789abcdef"  # another version's rules ...
    data["digest"] = "f" * 64  # ... which led to another state
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    app = BlitzApp(warm=False)
    async with app.run_test(size=SIZE) as pilot:
        for answer, loaded in (("n", False), ("y", True)):
            await pilot.press("l")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AskScreen)
            await pilot.press(answer)
            await pilot.pause()
            assert (app.campaign is not None) is loaded
        assert app.campaign.game.quarter == 1
    assert path.read_bytes() == before


# --- rewind ----------------------------------------------------------------------------------
async def test_rewind_then_play_on_equals_a_fresh_game_with_the_same_orders():
    app = BlitzApp(new_campaign(), warm=False)
    async with app.run_test(size=SIZE) as pilot:
        for orders in PLAN[:3]:
            await play_quarter(pilot, app, orders)
        assert app.campaign.game.quarter == 3
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, RewindScreen)
        quarters = app.screen.query_one("#quarters")
        assert [str(quarters.get_option_at_index(k).id) for k in range(quarters.option_count)] == ["2", "1", "0"]
        quarters.highlighted = 1  # back to the start of quarter 1 (2024Q2)
        await pilot.press("enter")
        await until(pilot, lambda: app.campaign.game.quarter == 1)
        assert isinstance(app.screen, HQScreen)
        assert "2024Q2" in app.screen.sub_title
        for orders in (PLAN[3], PLAN[1]):
            await play_quarter(pilot, app, orders)
        rewound = app.campaign.game.digest()

    fresh = new_campaign()
    for orders in (PLAN[0], PLAN[3], PLAN[1]):
        fresh.submit(0, orders)
        fresh.end_quarter()
    assert rewound == fresh.game.digest()


async def test_rewind_before_any_quarter_says_there_is_nothing_to_undo():
    app = BlitzApp(new_campaign(), warm=False)
    notes = record_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, HQScreen)
        assert any("nothing to rewind" in note for note in notes)


async def test_a_lab_that_went_under_can_rewind_from_its_debrief_and_play_on(tmp_path, monkeypatch):
    """A team whose lab ran out of cash keeps learning: its debrief offers the rewind."""
    from blitzgame.tui.screens.debrief import DebriefScreen

    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    campaign = Campaign.new([Human("Spendthrift", "startup", "nevada")], seed=3, rivals=RIVALS)
    while campaign.game.alive(0) and not campaign.game.over:
        campaign.submit(0, {"efficiency_rnd": 100000.0, "hire": 500.0, "package": 20.0})
        campaign.end_quarter()
    gone = campaign.game.quarter
    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(DebriefScreen(campaign, 0))
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        assert app.screen.check_action("rewind_and_play", ())
        await pilot.press("ctrl+z")
        await until(pilot, lambda: isinstance(app.screen, RewindScreen))
        await pilot.press("enter")  # the last quarter played, the first in the list
        await until(pilot, lambda: app.campaign.game.quarter == gone - 1)
        assert app.campaign.game.alive(0) and isinstance(app.screen, HQScreen)
