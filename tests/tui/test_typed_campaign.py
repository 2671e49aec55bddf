"""A whole campaign played through the screens by keys alone, from the title to the debrief,
the orders typed at full speed.

Each quarter's keys (``o``, the orders field by field with Tab between them, slips put right
with backspace, ctrl+u and the cursor keys, Ctrl+S, ``e``, ``y``) are queued all at once, as a
fast typist's or a terminal paste's would be, before the app has read the first of them.
Nothing may be lost or land in the wrong field: the orders the game played, and the ones its
autosave keeps, are exactly the ones typed.
"""

import numpy as np
import pytest
from pilot_tools import until
from textual import events

from blitzgame.schemas.orders import Orders, validate_orders
from blitzgame.session.order_words import FORM_SECTIONS
from blitzgame.session.saves import load_game
from blitzgame.tui.app import BlitzApp
from blitzgame.tui.screens.debrief import DebriefScreen
from blitzgame.tui.screens.hq import HQScreen
from blitzgame.tui.screens.new_game import NewGameScreen
from blitzgame.tui.screens.report import ReportScreen
from blitzgame.tui.screens.title import TitleScreen

SEED = 11
SCENARIO = "classroom-famine-crash"  # a whole campaign in 16 quarters, a GPU famine and a crash in it


def form_fields(hub_ids: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """The form's number fields in Tab order: per hub GPUs and power, then the sections."""
    per_hub = [(name, hub) for hub in hub_ids for name in ("gpus", "power_mw")]
    return per_hub + [(name, None) for fields in FORM_SECTIONS.values() for name, _, _ in fields]


def typed_orders(rng: np.random.Generator, hub_ids: tuple[str, ...], cash: float) -> dict[tuple[str, str | None], str]:
    """A quarter's orders as a player types them: a few fields, digits as text, within the lab's
    means (a few percent of its cash on GPUs, at ~$50k each installed), so the lab lives on."""
    spare = max(cash, 0.0) * rng.uniform(0.02, 0.1)
    values = {
        ("gpus", str(rng.choice(hub_ids))): str(int(spare / 0.05) + 1),
        ("power_mw", str(rng.choice(hub_ids))): f"{rng.integers(0, 4)}.{rng.integers(1, 10)}",
        ("hire", None): str(int(rng.integers(0, 8))),
        ("train_split", None): f"0.{rng.integers(2, 7)}",
    }
    if rng.random() < 0.3:
        values[("equity", None)] = str(int(max(cash, 100.0) * rng.uniform(0.1, 0.5)))
    if rng.random() < 0.3:
        values[("efficiency_rnd", None)] = str(int(rng.integers(1, 20)))
    if rng.random() < 0.2:
        values[("package", None)] = "2.5"
    return values


def as_typed(text: str, rng: np.random.Generator) -> list[str]:
    """The keys of a value as a fast typist enters it: straight, with a slip put right with
    backspace, or a wrong start cleared with ctrl+u, or the cursor moved back to insert a digit."""
    style = rng.integers(0, 4)
    if style == 1:  # a slip: one digit too many, taken back
        return [*text, "7", "backspace"]
    if style == 2:  # a wrong start, cleared
        return ["9", "9", "ctrl+u", *text]
    if style == 3 and len(text) > 1:  # the last digit first, the rest typed in front of it
        return [text[-1], "home", *text[:-1], "end"]
    return list(text)


def keys_for(values: dict, hub_ids: tuple[str, ...], rng: np.random.Generator) -> list[str]:
    """Every key of the quarter: open the form, each field typed (editing keys and all) or
    skipped with Tab up to the last one typed, submit, end the quarter."""
    fields = form_fields(hub_ids)
    last = max(fields.index(field) for field in values)
    keys = ["o"]
    for field in fields[:last + 1]:
        keys += (as_typed(values[field], rng) if field in values else []) + ["tab"]
    return keys + ["ctrl+s", "e", "y"]


def as_orders(values: dict, hub_ids: tuple[str, ...]) -> Orders:
    data: dict = {}
    for (name, hub), text in values.items():
        if hub is None:
            data[name] = float(text)
        else:
            data.setdefault(name, {})[hub] = float(text)
    return validate_orders(data, hub_ids)


@pytest.mark.slow
async def test_a_whole_campaign_by_keys_from_the_title_to_the_debrief_plays_exactly_what_was_typed(
        tmp_path, monkeypatch):
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    app = BlitzApp(seed=SEED, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewGameScreen)
        app.screen.query_one("#scenario").value = SCENARIO
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, HQScreen))
        campaign = app.campaign
        assert campaign.game.seed == SEED and campaign.game.n_labs == 6  # the classroom's six equal labs
        hub_ids = campaign.game.world.hub_ids
        rng = np.random.default_rng(SEED)
        typed: list[Orders] = []
        while not isinstance(app.screen, DebriefScreen):
            assert isinstance(app.screen, HQScreen), type(app.screen).__name__
            values = typed_orders(rng, hub_ids, campaign.game.observe(campaign.player).me.cash)
            typed.append(as_orders(values, hub_ids))
            for key in keys_for(values, hub_ids, rng):  # all queued before the app reads the first
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await until(pilot, lambda: isinstance(app.screen, ReportScreen))
            assert len(campaign.game.orders_log) == len(typed), f"{campaign.game.label}: the quarter did not end"
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, ReportScreen))
        game = campaign.game
        assert game.over or not campaign.alive_humans()
        assert len(typed) == game.quarter == len(game.reports) == game.world.quarters  # to its end
        played = [quarter[campaign.player] for quarter in game.orders_log]
        assert played == typed
        saved = load_game(campaign.autosave(tmp_path))
        assert [quarter[campaign.player] for quarter in saved.game.orders_log] == typed
        await pilot.press("escape")  # the debrief closes: the campaign is done, back to the title
        await until(pilot, lambda: isinstance(app.screen, TitleScreen))
