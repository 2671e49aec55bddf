"""The orders form: every order, checked by the schema as it is typed, a live forecast, and
nothing refused ever reaching the game."""

import pytest
from pilot_tools import until
from textual.app import App
from textual.widgets import Button, Input, Label, Static, Switch

from blitzgame.engine import layout as F
from blitzgame.formats import money
from blitzgame.limits import MAX_GPU_ORDER, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE
from blitzgame.schemas.observation import HubView
from blitzgame.schemas.orders import Orders
from blitzgame.session.campaign import Campaign, Human
from blitzgame.tui.screens.orders import OrdersScreen, hub_summary
from blitzgame.tui.widgets.order_field import OrderField, field_bounds, parse_number, range_label
from blitzgame.tui.widgets.preview_panel import PreviewPanel


class OrdersApp(App):
    """Just the orders form, over a campaign; keeps what the form dismissed with."""

    def __init__(self, campaign: Campaign, lab: int = 0) -> None:
        super().__init__()
        self.campaign = campaign
        self.lab = lab
        self.results: list[Orders | None] = []

    def on_mount(self) -> None:
        self.push_screen(OrdersScreen(self.campaign, self.lab), self.results.append)


@pytest.fixture
def campaign(tmp_path, monkeypatch) -> Campaign:
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    return Campaign.new([Human("Test Lab")], seed=1)


async def type_into(pilot, input_id: str, text: str) -> None:
    """Focus an input, empty it and type ``text`` key by key, as a player would."""
    box = pilot.app.screen.query_one(f"#{input_id}", Input)
    box.focus()
    box.clear()
    await pilot.press(*text)
    await pilot.pause()


def form(pilot) -> OrdersScreen:
    screen = pilot.app.screen
    assert isinstance(screen, OrdersScreen)
    return screen


# every kind of bad value, by input: (input id, what is typed)
REFUSED = [
    ("gpus-virginia", "-5"),  # negative GPUs
    ("gpus-nevada", str(int(MAX_GPU_ORDER) + 1)),  # more GPUs than any order may ask
    ("gpus-virginia", "lots"),  # text in a number field
    ("power_mw-nordics", "-1"),  # negative power
    ("power_mw-china", str(int(MAX_MW_ORDER) + 1)),
    ("train_split", "1.5"),  # a share above 1
    ("premium", "1.2"),
    ("cancel", "2"),
    ("partnership", "1.1"),
    ("package", "0"),  # nobody works for nothing
    ("hire", "nan"),  # NaN
    ("equity", "inf"),  # infinity
    ("silicon_rnd", "1e400"),  # overflows to infinity
    ("layoff", "-3"),  # negative layoffs
    ("layoff", str(int(MAX_PEOPLE) + 1)),
    ("debt", str(int(MAX_MONEY) * 10)),  # borrowing beyond the limit
    ("debt", str(-int(MAX_MONEY) * 10)),  # repaying beyond the limit
    ("rent", "-10"),
    ("efficiency_rnd", "12abc"),
    ("hire", "1,5"),  # a decimal comma: refused, not read as 15
]


async def test_every_invalid_order_is_flagged_and_refused(campaign):
    held = campaign.submit(0, Orders(hire=1.0))  # what was submitted before must survive
    app = OrdersApp(campaign)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        for input_id, typed in REFUSED:
            case = f"{input_id} = {typed!r}"
            box = screen.query_one(f"#{input_id}", Input)
            box.value = typed  # as typed (test_typing_* press the keys; this keeps the sweep fast)
            await pilot.pause()
            field = screen.query_one(f"#field-{input_id}", OrderField)
            assert not box.is_valid and box.has_class("-invalid"), case
            assert field.has_class("-invalid") and field.problem, case
            assert field.query_one(".order-problem", Static).display, case  # the reason, under the input
            assert screen.query_one("#orders-submit", Button).disabled, case
            assert screen.orders is None and field.title in screen.refusal, case
            await pilot.press("ctrl+s")
            assert campaign.game.pending == {0: held}, case
            assert app.results == [] and app.screen is screen, case
            box.clear()  # empty again: the schema's default, valid
            await pilot.pause()
            assert not field.has_class("-invalid"), case
            assert not screen.query_one("#orders-submit", Button).disabled, case


async def test_a_disabled_submit_button_submits_nothing(campaign):
    app = OrdersApp(campaign)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "premium", "5")
        await pilot.click("#orders-submit")
        await pilot.pause()
        assert campaign.game.pending == {} and app.results == []
        assert isinstance(app.screen, OrdersScreen)


async def test_the_schema_gives_the_reason(campaign):
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "premium", "1.2")
        assert "less than or equal to 1" in form(pilot).query_one("#field-premium", OrderField).problem
        await type_into(pilot, "gpus-virginia", "lots")
        assert form(pilot).query_one("#field-gpus-virginia", OrderField).problem == "not a number"
        for field in ("gpus-virginia", "hire", "rent", "layoff"):  # 2.5 GPUs read "≈2 arriving"
            await type_into(pilot, field, "2.5")
            assert form(pilot).query_one(f"#field-{field}", OrderField).problem == (
                "must be a whole number (GPUs and people come whole)"), field
            await type_into(pilot, field, "2")
            assert form(pilot).query_one(f"#field-{field}", OrderField).problem == "", field
        await type_into(pilot, "equity", "2.5")  # money and shares take decimals
        assert form(pilot).query_one("#field-equity", OrderField).problem == ""


async def test_fixing_a_value_allows_submitting_again(campaign):
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "cancel", "2")
        assert form(pilot).query_one("#orders-submit", Button).disabled
        await type_into(pilot, "cancel", "0.25")
        screen = form(pilot)
        assert not screen.query_one("#orders-submit", Button).disabled
        assert not screen.query_one("#field-cancel", OrderField).has_class("-invalid")
        assert screen.orders is not None and screen.orders.cancel == 0.25


async def test_the_refusal_notice_goes_once_the_form_is_fixed(campaign):
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "cancel", "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n.title for n in pilot.app._notifications] == ["Orders not submitted"]
        await type_into(pilot, "cancel", "0.5")
        await pilot.pause()
        assert list(pilot.app._notifications) == []  # no notice saying the fixed form is refused


async def test_a_refused_submit_says_where_it_moved_the_cursor(campaign):
    """A player's refused ctrl+s moved focus to the bad field without a word, and their next keys
    went into another field than they thought."""
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "cancel", "2")
        pilot.app.screen.query_one("#hire", Input).focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        [notice] = list(pilot.app._notifications)
        field = form(pilot).query_one("#field-cancel", OrderField)
        assert notice.message.endswith(f"The cursor is on {field.title}.")
        assert pilot.app.focused is field.input


async def test_the_forecast_says_it_is_updating_while_its_figures_are_the_last_orders(campaign):
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        panel = form(pilot).query_one(PreviewPanel)
        form(pilot)._changed()  # keys typed: the figures shown are the last orders' until the new ones come
        assert panel.has_class("-stale") and panel.border_subtitle.startswith("updating")
        await until(pilot, lambda: not panel.has_class("-stale"))  # (a forecast takes ~30 ms, slower on a busy machine)
        assert not panel.border_subtitle.startswith("updating")


async def test_typing_orders_updates_the_forecast(campaign, monkeypatch):
    import blitzgame.tui.screens.orders as orders_screen

    monkeypatch.setattr(orders_screen, "PREVIEW_DELAY", 1.0)  # a pause in typing long enough to look at the panel
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        panel = form(pilot).query_one(PreviewPanel)
        await until(pilot, lambda: panel.preview is not None and not panel.has_class("-stale"))
        before = panel.preview
        assert before.gpus_arriving == 0
        form(pilot).set_focus(form(pilot).query_one("#gpus-virginia", Input))
        await pilot.press("1")
        assert panel.has_class("-stale") and panel.preview is before  # dim: the figures are the last orders'
        await pilot.press(",", "0", "0", "0")
        await pilot.pause(1.3)  # the forecast waits for a pause in typing
        assert not panel.has_class("-stale")
        after = panel.preview
        assert after.spend > before.spend and after.cash_after < before.cash_after
        assert after.gpus_arriving > 0
        assert after == campaign.preview(0, Orders(gpus={"virginia": 1000.0}))
        assert "1,000" in str(panel.query_one("#preview-arriving", Static).render())
        assert after.warnings  # GPUs without power are warned about
        assert campaign.game.pending == {}  # a forecast changes nothing


async def test_valid_orders_are_submitted_and_held(campaign):
    app = OrdersApp(campaign)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "gpus-virginia", "1000")
        await type_into(pilot, "power_mw-virginia", "2")
        await type_into(pilot, "hire", "3")
        await type_into(pilot, "package", "3.5")
        await type_into(pilot, "train_split", "0.6")
        await type_into(pilot, "debt", "-10")
        form(pilot).query_one("#open_source", Switch).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    expected = Orders(gpus={"virginia": 1000.0}, power_mw={"virginia": 2.0}, hire=3.0, package=3.5,
                      train_split=0.6, debt=-10.0, open_source=True)
    assert campaign.game.pending == {0: expected}
    assert app.results == [expected]


async def test_submit_dismisses_with_the_orders(campaign):
    app = OrdersApp(campaign)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "rent", "50")
        await pilot.click("#orders-submit")
        await pilot.pause()
        assert app.results == [Orders(rent=50.0)]
        assert not isinstance(app.screen, OrdersScreen)
    assert campaign.game.pending[0] == Orders(rent=50.0)


async def test_escape_changes_nothing(campaign):
    held = campaign.submit(0, Orders(hire=2.0))
    app = OrdersApp(campaign)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "hire", "40")
        await type_into(pilot, "gpus-virginia", "5000")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        assert not isinstance(app.screen, OrdersScreen)
    assert campaign.game.pending == {0: held}


async def test_the_form_opens_as_hq_says_and_repeating_last_quarter_is_a_choice(campaign):
    """HQ says "No orders" and the form opens empty; ctrl+l puts last quarter's orders back,
    the open-weights switch says its state in words, and focus returns to the first field."""
    played = Orders(gpus={"virginia": 500.0}, power_mw={"nevada": 1.5}, hire=2.0, package=3.0,
                    train_split=0.7, open_source=True, partnership=0.2)
    campaign.submit(0, played)
    campaign.end_quarter()
    assert campaign.last_orders(0) == played and campaign.pending(0) is None
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        assert screen.orders == Orders()
        assert all(not field.input.value for field in screen.fields)
        assert "off" in str(screen.query_one("#open-source-state", Label).render())
        screen.fields[5].input.focus()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen.orders == played
        assert screen.query_one("#gpus-virginia", Input).value == "500"
        assert screen.query_one("#power_mw-nevada", Input).value == "1.5"
        assert screen.query_one("#package", Input).value == "3"
        assert screen.query_one("#open_source", Switch).value is True
        assert "ON" in str(screen.query_one("#open-source-state", Label).render())
        assert screen.focused is screen.fields[0].input
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert campaign.game.pending == {0: played}


async def test_clear_empties_the_form_and_returns_to_the_first_field(campaign):
    campaign.submit(0, Orders(hire=5.0, rent=10.0))
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        screen.fields[-1].input.focus()
        await screen.action_clear()
        await pilot.pause()
        assert screen.orders == Orders() and screen.focused is screen.fields[0].input


async def test_suggest_fills_in_what_each_bot_would_order_in_turn(campaign):
    from blitzgame.session.campaign import SUGGESTERS

    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        for bot in SUGGESTERS[:3]:  # ctrl+b: the baseline bot's orders, then the next bot's
            await pilot.press("ctrl+b")
            await until(pilot, lambda bot=bot: screen.orders == _shown(campaign.suggestion(0, bot)))
            assert screen.focused is screen.fields[0].input
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.results[-1] == _shown(campaign.suggestion(0, SUGGESTERS[2]))


def _shown(orders: Orders) -> Orders:
    """``orders`` as the form shows them: every number as it is written in a field, read back."""
    from blitzgame.tui.widgets.order_field import parse_number, shown_number

    data = orders.model_dump()
    for key, value in data.items():
        if isinstance(value, dict):
            data[key] = {hub: parse_number(shown_number(v)) for hub, v in value.items() if v}
        elif isinstance(value, float):
            data[key] = parse_number(shown_number(value))
    return Orders.model_validate(data)


async def test_reopening_shows_what_was_submitted_this_quarter(campaign):
    campaign.submit(0, Orders(gpus={"virginia": 10.0}))
    campaign.end_quarter()
    pending = campaign.submit(0, Orders(rent=20.0, hire=1.0))
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        assert screen.orders == pending
        await pilot.press("ctrl+l")  # last quarter's, as played
        await pilot.pause()
        assert screen.orders == Orders(gpus={"virginia": 10.0})
        await pilot.press("ctrl+n")  # do nothing
        await pilot.pause()
        assert screen.orders == Orders()
        assert screen.query_one("#gpus-virginia", Input).value == ""
    assert campaign.game.pending == {0: pending}


async def test_enter_moves_to_the_next_field(campaign):
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        assert screen.focused is screen.query_one("#gpus-virginia", Input)
        await pilot.press("1", "0", "enter")
        assert screen.focused is screen.query_one("#power_mw-virginia", Input)
        assert campaign.game.pending == {}  # Enter never submits


async def test_a_hub_under_export_controls_says_so(campaign):
    campaign.game.state_world[F.EXPORT_CONTROLS] = 1.0
    blocked = [hub.name for hub in campaign.game.observe(0).me.hubs if hub.export_blocked]
    assert blocked
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        names = [str(w.render()) for w in form(pilot).query(".hub-blocked")]
        assert len(names) == len(blocked)
        assert all("export controls" in name for name in names)


async def test_every_order_has_an_input(campaign):
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        named = {field.field for field in screen.fields} | {"open_source"}
        assert named == set(Orders.model_fields)
        hubs = {field.hub for field in screen.fields if field.field == "gpus"}
        assert hubs == set(campaign.game.world.hub_ids)


async def test_the_forecast_scrolls_from_the_keyboard_at_80_by_24(campaign):
    """At 80x24 the forecast's last figures and its warnings ran below its box, for a mouse only:
    pagedown and pageup scroll it, whatever field has the cursor."""
    async with OrdersApp(campaign).run_test(size=(80, 24)) as pilot:
        screen = form(pilot)
        preview = screen.query_one(PreviewPanel)
        await until(pilot, lambda: preview.preview is not None)
        await pilot.pause()
        assert preview.max_scroll_y > 0  # (more than the box shows)
        focused = screen.focused
        await pilot.press("pagedown")
        await until(pilot, lambda: preview.scroll_y > 0)
        assert screen.focused is focused  # the cursor stays in its field
        await pilot.press("pageup")
        await until(pilot, lambda: preview.scroll_y == 0)


async def test_everything_is_reachable_at_80_by_24(campaign):
    async with OrdersApp(campaign).run_test(size=(80, 24)) as pilot:
        screen = form(pilot)
        scroller = screen.query_one("#orders-form")
        preview = screen.query_one(PreviewPanel)
        assert not scroller.region.overlaps(preview.region)
        inputs = list(screen.query(Input)) + [screen.query_one("#open_source", Switch)]
        seen = set()
        for _ in range(len(inputs) + 6):  # and the preview and the buttons
            await pilot.press("tab")
            focused = screen.focused
            if focused in inputs:
                seen.add(focused.id)
                assert scroller.region.contains_region(focused.region), focused.id
        assert seen == {box.id for box in inputs}
        # a field's help fits its two lines: "... new GPU orders at this" was cut beside five buttons
        status = screen.query_one("#orders-status", Static)
        help_text = screen.fields[0].help
        assert len(help_text) <= 2 * (status.content_region.width - 1), (help_text, status.content_region.width)
        assert not screen.query_one("#orders-clear", Button).display  # (^n in the footer does it)


def test_ranges_are_read_off_the_schema():
    assert field_bounds("premium") == (0.0, 1.0)
    assert field_bounds("gpus") == (0.0, MAX_GPU_ORDER)
    assert range_label("partnership") == "0–1"  # one word: a narrow help line never splits a range
    assert parse_number(" 1,000 ") == 1000.0 and parse_number("") is None
    assert parse_number("-2,500,000.5") == -2500000.5
    for not_a_number in ("ten", "0,5", "1,5", "12,50"):  # a decimal comma is refused, not read as 5 or 15
        with pytest.raises(ValueError):
            parse_number(not_a_number)


def test_hq_and_the_confirmation_list_a_standing_bid():
    from blitzgame.tui.widgets.orders_summary import describe_orders

    assert "Offer up to $300M for a rival in distress" in describe_orders(Orders(bid=300.0), {})
    assert not any("rival" in line for line in describe_orders(Orders(), {}))
    # power in the form's tenths (a note said "Build 16 MW" of a field holding 16.5)
    power = describe_orders(Orders(power_mw={"nevada": 16.5, "nordics": 1_234.0, "china": 0.04}), {"nevada": "Nevada"})
    assert "Build 16.5 MW of power in Nevada" in power and "Build 1,234 MW of power in nordics" in power
    assert "Build 0.04 MW of power in china" in power


# --- the form in the game: opened again each quarter, never losing a key ---------------------
def send(app, *keys: str) -> None:
    """Queue keys all at once, as a fast typist's or a paste's arrive, before the app reads the first."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_while_the_form_opens_land_in_the_fields_they_were_typed_for(campaign):
    from blitzgame.tui.app import BlitzApp

    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # o, 20000 in the first field, Tab, 12.5 in the next, Tab Tab (one left empty), 3, Ctrl+S
        send(app, "o", *"20000", "tab", *"12.5", "tab", "tab", "3", "ctrl+s")
        await until(pilot, lambda: campaign.pending(0) is not None)
        first, second = campaign.game.world.hub_ids[:2]
        assert campaign.pending(0) == Orders(gpus={first: 20000.0}, power_mw={first: 12.5, second: 3.0})
        # Ctrl+N clears what was typed before it, not only what had arrived when it was read
        send(app, "o", *"999", "ctrl+n", *"7", "ctrl+s")
        await until(pilot, lambda: campaign.pending(0) == Orders(gpus={first: 7.0}))


async def test_editing_keys_in_a_burst_act_in_the_field_and_order_they_were_typed(campaign):
    """Backspace, ctrl+u and the rest are the input's bindings: typed at full speed, each still
    edits the field that had the cursor, before the keys typed after it."""
    from blitzgame.tui.app import BlitzApp

    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first, second = campaign.game.world.hub_ids[:2]
        # 44, two backspaces and Tab: the first field is emptied, the second untouched; then ctrl+u
        # clears "999" in the second field and 45 goes in after it, not before
        send(app, "o", *"44", "backspace", "backspace", "tab", *"999", "ctrl+u", *"45", "ctrl+s")
        await until(pilot, lambda: campaign.pending(0) is not None)
        assert campaign.pending(0) == Orders(power_mw={first: 45.0})
        # left arrow then a digit: the digit goes before the last one typed
        send(app, "o", "ctrl+n", *"12", "left", "7", "ctrl+s")
        await until(pilot, lambda: campaign.pending(0) == Orders(gpus={first: 172.0}))
        assert second  # two hubs at least: the form has a second field to move to


async def test_the_form_is_built_once_and_opens_again_on_the_quarter_being_played(campaign):
    from blitzgame.tui.app import BlitzApp

    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        built = form(pilot)
        await type_into(pilot, "hire", "12")
        await pilot.press("escape")  # cancelled: HQ still says no orders, and so does the form next time
        campaign.submit(0, Orders(rent=5.0))
        campaign.end_quarter()
        await pilot.pause()
        await pilot.press("escape")  # the report
        await pilot.press("o")
        again = form(pilot)
        assert again is built and again.observation.label == campaign.game.label
        assert campaign.game.label in again.sub_title
        assert again.orders == Orders() and all(field.input.value == "" for field in again.fields)
        assert app.focused is again.fields[0].input
        cash = again.query_one("#context-Money", Static).render()
        assert f"cash {money(campaign.game.observe(0).me.cash)}" in str(cash)


async def test_a_new_theme_reaches_the_form_kept_between_quarters(campaign):
    from blitzgame.tui.app import BlitzApp

    app = BlitzApp(campaign, warm=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        dark = form(pilot).query_one("#orders-actions").styles.background
        await pilot.press("escape")
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("o")
        assert form(pilot).query_one("#orders-actions").styles.background != dark


def test_a_refusal_shows_numbers_as_the_form_does():
    from blitzgame.schemas.orders import OrdersError, validate_orders
    from blitzgame.tui.widgets.order_field import inline_message

    with pytest.raises(OrdersError) as refused:
        validate_orders({"gpus": {"virginia": 300010000.0}}, ("virginia",))
    assert inline_message(refused.value) == "must be less than or equal to 2,000,000 (got 300,010,000)"
    with pytest.raises(OrdersError) as refused:
        validate_orders({"premium": 1.5}, ("virginia",))
    assert inline_message(refused.value) == "must be less than or equal to 1 (got 1.5)"
    with pytest.raises(OrdersError) as refused:
        validate_orders({"gpus": {"virginia": -50.0}}, ("virginia",))
    assert inline_message(refused.value) == "must be greater than or equal to 0 (got -50)"  # a whole number as typed


async def test_a_forecast_made_before_the_panel_is_on_screen_shows_once_it_is(campaign):
    """Keys typed while the form opens can make a forecast before the panel's figures exist:
    it waits for them instead of taking the app down (a burst of keys under load did)."""
    panel = PreviewPanel("2024Q1")
    panel.show_refused("hire: not a number")
    panel.show(campaign.preview(0, Orders(hire=5.0)))  # the figures are not there yet

    class Host(App):
        def compose(self):
            yield panel

    async with Host().run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        hires = str(panel.query_one("#preview-hires", Static).render())
        assert "Hires" in hires and "5" in hires
        assert "No forecast" not in str(panel.query_one("#preview-warnings", Static).render())


async def test_an_order_field_can_be_read_before_it_has_composed():
    """The form reads its fields as soon as it is mounted; under load that came before a field had
    composed its input (NoMatches took the app down in a test run): a field reads its value from
    the start."""
    from blitzgame.tui.widgets.order_field import OrderField

    async with App().run_test():  # an app is running, the fields are made but not mounted
        field = OrderField("hire", label="Hire", unit="researchers", hub_ids=("virginia",), value=3.0)
        assert field.is_valid and field.number == 3.0
        empty = OrderField("gpus", hub="virginia", label="GPUs", unit="GPUs", hub_ids=("virginia",))
        assert empty.is_valid and empty.number is None


async def test_typing_into_a_field_the_form_filled_replaces_what_it_shows(campaign):
    """A field's text is selected when the form fills it under the cursor (reopened on this
    quarter's orders, last quarter's, a suggestion), as Tab selects it: a typed 5 is 5, not 105."""
    campaign.submit(0, Orders(gpus={"virginia": 10.0}))
    campaign.end_quarter()
    campaign.submit(0, Orders(gpus={"virginia": 20.0}))
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        box = screen.query_one("#gpus-virginia", Input)
        await until(pilot, lambda: screen.focused is box)
        assert box.value == "20"
        await pilot.press("5")
        assert box.value == "5"
        await pilot.press("ctrl+l")  # last quarter's, under the cursor
        await pilot.pause()
        assert box.value == "10" and screen.focused is box
        await pilot.press("7")
        await pilot.pause()
        assert box.value == "7" and screen.orders == Orders(gpus={"virginia": 7.0})


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_notice_never_covers_the_buttons(campaign, size):
    """A player found the Suggest notice over Submit: notices stand above the form's buttons."""
    from pathlib import Path

    from textual.widgets._toast import Toast

    import blitzgame.tui.app as game_app

    class StyledApp(OrdersApp):  # with the game's own styles, notices' width included
        CSS_PATH = str(Path(game_app.__file__).parent / game_app.BlitzApp.CSS_PATH)

    async with StyledApp(campaign).run_test(size=size, notifications=True) as pilot:
        await pilot.press("ctrl+b")
        await until(pilot, lambda: bool(pilot.app.screen.query(Toast)))
        await pilot.pause()
        buttons = pilot.app.screen.query_one("#orders-actions").region
        toasts = [toast.region for toast in pilot.app.screen.query(Toast)]
        assert toasts and all(not toast.overlaps(buttons) for toast in toasts), (toasts, buttons)


async def test_a_figure_with_a_range_and_a_note_is_never_cut():
    """A player read "+7,068–+11,252 · counts power still being": a figure that takes three lines
    in a narrow panel gets three."""
    from dataclasses import replace

    from blitzgame.session.views import Preview

    preview = Preview(spend=0.0, cash_after=100.0, runway=8.0, gpus_arriving=0.0, gpus_online=300.0, stranded=0.0,
                      power_headroom=7_068.0, grid_headroom_mw=10.0, hires=0.0, bankrupt=False,
                      low={"power_headroom": 7_068.0}, high={"power_headroom": 11_252.0},
                      certain=frozenset({"spend", "cash_after", "runway", "gpus_arriving", "gpus_online", "stranded",
                                         "grid_headroom_mw", "hires", "revenue", "valuation", "score"}))
    panel = PreviewPanel("2024Q1")

    class Host(App):
        def compose(self):
            yield panel

    async with Host().run_test(size=(40, 40)) as pilot:
        panel.show(replace(preview, certain=preview.certain | {"power_headroom"}))  # two lines, without the range
        await pilot.pause()
        panel.show(preview)  # then three
        await pilot.pause()
        await pilot.pause()
        figure = panel.query_one("#preview-power", Static)
        lines = figure.render_lines(figure.region.reset_offset)  # what the figure shows, line by line
        shown = " ".join("".join(segment.text for segment in line).strip() for line in lines)
        assert "+7,068–+11,252" in shown and shown.rstrip().endswith("power being built counts"), shown


def test_a_hub_s_room_says_when_it_counts_power_still_building():
    """A hub's room for more GPUs counts its built and building power: the line says what that
    power runs (a player could not get "room for 15 more" from 0.5 MW x 649 GPUs/MW and 300
    GPUs: 0.485 MW was built), so that runs = owned + on order + room, as written."""
    hub = HubView(id="virginia", name="Virginia", power_price=80.0, pue=1.2, headroom_mw=100.0, build_lead_quarters=2,
                  build_cost_per_mw=10.0, gpus_per_mw=1000.0, export_blocked=False, gpus=5000.0, online=5000.0,
                  stranded=0.0, backlog=1000.0, mw=5.0, mw_building=3.0)
    assert hub_summary(hub).endswith("power 5.00 + 3.00 MW building: runs 8,000 GPUs once built (1,000 GPUs/MW); "
                                     "room for 2,000 more")
    short = hub.model_copy(update={"backlog": 4000.0})
    assert hub_summary(short).endswith("runs 8,000 GPUs once built (1,000 GPUs/MW); 1,000 GPUs short")
    built = hub.model_copy(update={"mw": 8.0, "mw_building": 0.0})
    assert hub_summary(built).endswith("power 8.00 MW: runs 8,000 GPUs (1,000 GPUs/MW); room for 2,000 more")
    big = hub.model_copy(update={"mw": 12.0, "mw_building": 0.0, "gpus": 10_000.0, "backlog": 0.0})
    assert hub_summary(big).endswith("power 12.0 MW: runs 12,000 GPUs (1,000 GPUs/MW); room for 2,000 more")
    small = hub.model_copy(update={"mw": 0.4853, "mw_building": 0.0, "gpus_per_mw": 649.0, "gpus": 300.4,
                                   "online": 300.4, "backlog": 0.0})
    # 314.96 GPUs' power: 14 more whole GPUs run (a player who ordered the "15" of the room found one idle)
    assert hub_summary(small).endswith("power 0.485 MW: runs 314 GPUs (649 GPUs/MW); room for 14 more")
    none_built = hub.model_copy(update={"mw": 0.0, "mw_building": 2.97})
    assert "power 0 + 2.97 MW building" in hub_summary(none_built)  # (not "0.000")


def test_the_form_writes_a_hub_s_gpus_as_the_hubs_view_does():
    """The form said "9,330 GPUs, 9,330 online · 670 on order" where the hubs view said 9,331 and 669:
    given the hub's row of the hubs view's whole GPUs, it writes those."""
    hub = HubView(id="middle-east", name="Middle East", power_price=60.0, pue=1.3, headroom_mw=50.0,
                  build_lead_quarters=2, build_cost_per_mw=9.0, gpus_per_mw=1000.0, export_blocked=False,
                  gpus=9330.4, online=9330.4, stranded=0.0, backlog=669.6, mw=10.0, mw_building=0.0)
    assert "you: 9,330 GPUs, 9,330 online · 670 on order" in hub_summary(hub)  # each rounded alone
    assert "you: 9,331 GPUs, 9,331 online · 669 on order" in hub_summary(hub, (9331, 9331, 0, 669))
    assert hub_summary(hub, (9331, 9331, 0, 669)).endswith("runs 10,000 GPUs (1,000 GPUs/MW); no room to spare")


def test_a_hub_that_pays_a_subsidy_says_so_where_a_player_picks_hubs():
    """A player met China's subsidy first in a report: the form's hub line (and the hubs view) say it."""
    from blitzgame.testing import observation
    from blitzgame.tui.screens.orders import hub_summary

    hubs = {hub.id: hub for hub in observation().me.hubs}
    assert hubs["china"].subsidy_per_gpu > 0.0 == hubs["virginia"].subsidy_per_gpu
    assert "a state pays $1,500 a quarter per GPU running here (M3)" in hub_summary(hubs["china"])
    assert "a state pays" not in hub_summary(hubs["virginia"])


async def test_a_focused_button_says_so_on_the_help_line(campaign):
    """A player shift+tabbed past the first field onto the buttons: the help line still named that
    field, so the next number they typed went where they did not expect."""
    async with OrdersApp(campaign).run_test(size=(120, 40)) as pilot:
        screen = form(pilot)
        status = screen.query_one("#orders-status", Static)
        await until(pilot, lambda: isinstance(screen.focused, Input))
        await pilot.press("shift+tab")
        await until(pilot, lambda: isinstance(screen.focused, Button))
        button = screen.focused
        assert str(status.render()).startswith(f"The {button.label} button: Enter presses it")
        await pilot.press("tab")
        await until(pilot, lambda: isinstance(screen.focused, Input))
        assert str(status.render()) == screen.fields[0].help
