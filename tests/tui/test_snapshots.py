"""Every screen at 120x40, compared with the picture accepted before (pytest-textual-snapshot).

The pictures live in ``tests/tui/__snapshots__/test_snapshots/``. Textual is pinned exactly
(pyproject.toml) because its drawing changes between releases. After a change to a screen,
look at the new pictures (``pytest tests/tui/test_snapshots.py --snapshot-report report.html``
shows the differences) and accept them with ``--snapshot-update``.

Everything drawn is fixed: seeded campaigns, the engine "ready" from the start (no warm-up
thread), no animations, no blinking cursors, the saves folder a relative path holding a
save with a fixed date, shown in UTC.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from blitzgame.schemas.orders import Orders
from blitzgame.session.campaign import Campaign, Human
from blitzgame.tui.app import BlitzApp

SIZE = (120, 40)
SEED = 2024
RIVALS = ["sprinter", "platform", "integrator", "pure"]  # named, not drawn: the roster is part of the picture
FIXTURE_SAVE = Path(__file__).resolve().parents[1] / "fixtures" / "saves" / "v1.json"


@pytest.fixture(autouse=True)
def steady(monkeypatch, tmp_path):
    """Saves in ``./saves`` under a fresh folder (so the path drawn is always "saves"), UTC."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BLITZGAME_SAVES", "saves")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def campaign(world, quarters: int = 0) -> Campaign:
    """A seeded campaign (one human, four named rivals) with ``quarters`` played, the human
    buying GPUs and power and hiring each quarter."""
    played = Campaign.new([Human("Snapshot Labs", "startup", "virginia")], scenario=world, seed=SEED, rivals=RIVALS)
    hub = played.game.world.hub_ids[0]
    for _ in range(quarters):
        if played.game.over or not played.alive_humans():
            break
        played.submit(played.player, Orders(gpus={hub: 400.0}, power_mw={hub: 2.0}, hire=4.0))
        played.end_quarter()
    return played


def finished(world) -> Campaign:
    """A campaign played to its end (or to the human lab's end)."""
    return campaign(world, quarters=world.quarters + 1)


def app(campaign: Campaign | None = None) -> BlitzApp:
    """The game as ``blitzgame play`` runs it, minus the engine warm-up thread (its "ready"
    would come at a different moment each run)."""
    game = BlitzApp(campaign, seed=SEED, warm=False)
    game.animation_level = "none"
    return game


def steps(*keys: str, shows: str):
    """A ``run_before``: press ``keys`` as a player would, check the screen on top is the
    one named ``shows`` (a picture of the wrong screen must not pass), then still every
    blinking cursor."""

    async def run(pilot: Pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        on_top = type(pilot.app.screen).__name__
        assert on_top == shows, f"{' '.join(keys) or 'start'} shows {on_top}, not {shows}"
        for widget in pilot.app.screen.query("*"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = False
        await pilot.pause()

    return run


def shot(snap_compare, game: BlitzApp, *keys: str, shows: str) -> bool:
    """The picture of ``game`` at 120x40 after ``keys``, with the screen ``shows`` on top."""
    return snap_compare(game, terminal_size=SIZE, run_before=steps(*keys, shows=shows))


# --- before a campaign --------------------------------------------------------------------
def test_title(snap_compare):
    assert shot(snap_compare, app(), shows="TitleScreen")


def test_new_game(snap_compare):
    assert shot(snap_compare, app(), "n", shows="NewGameScreen")


def test_load(snap_compare, tmp_path):
    (tmp_path / "saves").mkdir()
    data = json.loads(FIXTURE_SAVE.read_text())
    data["saved_at"] = "2026-01-15T10:00:00Z"  # the listing shows it: fixed, so regenerating the fixture changes nothing here
    (tmp_path / "saves" / "snapshot-labs.json").write_text(json.dumps(data))
    assert shot(snap_compare, app(), "l", shows="LoadScreen")


# --- a campaign, two quarters in ------------------------------------------------------------
def test_hq(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), shows="HQScreen")


def test_orders(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "o", shows="OrdersScreen")


def test_confirm(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "e", shows="ConfirmScreen")


def test_report(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "e", "y", shows="ReportScreen")


def test_report_accounts(snap_compare, world):
    """The cash flow and the accounts: a line too long for the screen wraps, none is cut."""
    assert shot(snap_compare, app(campaign(world, 2)), "e", "y", "2", shows="ReportScreen")


def test_rewind(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "ctrl+z", shows="RewindScreen")


def test_hubs(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "h", shows="HubsScreen")


def test_rivals(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "r", shows="RivalsScreen")


def test_market(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "m", shows="MarketScreen")


def test_charts(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 6)), "c", shows="ChartsScreen")


def test_news(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "n", shows="NewsScreen")


def test_help(snap_compare, world):
    assert shot(snap_compare, app(campaign(world, 2)), "question_mark", shows="HelpScreen")


# --- the end ------------------------------------------------------------------------------------
def test_debrief(snap_compare, world):
    assert shot(snap_compare, app(finished(world)), shows="DebriefScreen")


# --- the smallest terminal the game supports --------------------------------------------------
SMALL = (80, 24)


@pytest.mark.parametrize(("keys", "shows"), [((), "HQScreen"), (("o",), "OrdersScreen"), (("e", "y"), "ReportScreen"),
                                             (("e", "y", "2"), "ReportScreen"), (("r",), "RivalsScreen"),
                                             (("h",), "HubsScreen"), (("question_mark",), "HelpScreen")],
                         ids=["hq", "orders", "report", "report-accounts", "rivals", "hubs", "help"])
def test_at_80x24(snap_compare, world, keys, shows):
    """Two quarters in, at 80x24: every panel and table fits, scrolling or wrapping, none cut."""
    game = app(campaign(world, 2))
    assert snap_compare(game, terminal_size=SMALL, run_before=steps(*keys, shows=shows))
