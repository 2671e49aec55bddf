"""The orders form (docs/design.md §2): every order of a quarter, checked as it is typed, with a live
forecast beside it.

Values are checked by the orders schema alone (``validate_orders``); the forecast is
``Campaign.preview``. A refused value is marked where it was typed and the orders cannot be
submitted until it is fixed. The form opens with what this lab already submitted this
quarter, else empty, as HQ says ("No orders"); repeating last quarter's orders is the
player's choice (Last quarter, ctrl+l).

No key is lost: the app waits for the form before it reads the next key, every key of the
form acts in the order typed (priority bindings), and Submit, Clear and Last quarter first
let each field take the digits already sent to it. The app builds the form once per campaign
and fills it in again each quarter (``load``).
"""

import asyncio

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Static, Switch

from blitzgame.formats import count, ledger_values, money
from blitzgame.schemas.observation import HubView, Observation
from blitzgame.schemas.orders import Orders, OrdersError, validate_orders
from blitzgame.session.campaign import Campaign
from blitzgame.session.forecast import controls_when, hub_room, terms, whole_room
from blitzgame.session.order_words import FORM_SECTIONS, HUB_FIELDS, OPEN_SOURCE_LABEL
from blitzgame.tui.fleet import footprint
from blitzgame.tui.screens.kept import KeptScreen
from blitzgame.tui.scrolling import scroll_pages
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header
from blitzgame.tui.widgets.order_field import OrderField, shown_number
from blitzgame.tui.widgets.orders_summary import describe_orders
from blitzgame.tui.widgets.preview_panel import PreviewPanel

CLOSING_WARNING_S = 60.0  # a shared class's quarter this close to its deadline: the form warns, once
SUGGESTION_LINES = 8  # orders a suggestion's note lists before "and N more" (N of 2 or more)
PREVIEW_DELAY = 0.1  # seconds of quiet typing before the forecast is recomputed


def _mw(mw: float) -> str:
    """MW to the digits that let a player check what they run: 0.485 MW x 649 GPUs/MW is 315 GPUs,
    where "0.5 MW" read as 325."""
    if mw < 0.0005:
        return "0"  # (none: not "0.000")
    return f"{mw:,.3f}" if mw < 1.0 else f"{mw:,.2f}" if mw < 10.0 else f"{mw:,.1f}"


def hub_summary(hub: HubView, shown: tuple[int, int, int, int] | None = None, controls: str = "") -> str:
    """A hub's terms and this lab's footprint there, on three lines: the grid's terms, its GPUs,
    and its power with the GPUs that power could run and the room left (``forecast.hub_room``),
    written so that they add up: power runs = owned + on order + room. ``shown``: the hub's row of
    ``fleet.footprint`` (GPUs owned, online, idle, on order), so the form says what the hubs view says.
    ``controls``: when export controls would stop deliveries here (``forecast.controls_when``), if
    they could and have not; by default, by chance at the hub's ``export_risk``."""
    terms = (f"grid {count(hub.headroom_mw)} MW free · ${hub.power_price:.0f}/MWh · PUE {hub.pue:.2f}"
             f" · builds in {hub.build_lead_quarters}q at ${hub.build_cost_per_mw:,.1f}M/MW"
             f" · customers pay x{hub.revenue_factor:.2f}"
             + (f" · a state pays ${hub.subsidy_per_gpu * 1e6:,.0f} a quarter per GPU running here (M3)"
                if hub.subsidy_per_gpu > 0.0 else "")
             + (f" · sovereign funds: a round sells up to {hub.sovereign_funding:.0%} more, by the share of your "
                "power built here (M11)" if hub.sovereign_funding > 0.0 else "")
             + (" · export controls: vendors ship nothing here (M11)" if hub.export_blocked else
                f" · {controls or controls_when(hub.export_risk)}: vendors would then ship nothing here"
                if controls or hub.export_risk > 0.0 else ""))
    owned, online, _, on_order = shown or (round(hub.gpus), round(hub.online), 0, round(hub.backlog))
    gpus = f"you: {count(owned)} GPUs, {count(online)} online · {count(on_order)} on order"
    per_mw = f"{count(hub.gpus_per_mw)} GPUs/MW"
    if not (hub.mw or hub.mw_building or hub.gpus or hub.backlog):
        return f"{terms}\n{gpus} · no power here yet ({per_mw})"
    room = hub_room(hub.mw, hub.mw_building, hub.gpus_per_mw, hub.gpus, hub.backlog)
    if room >= 0.0:  # whole GPUs the power will run: rounded down, so ordering them all strands none
        room = whole_room(room)
        runs = owned + on_order + room
    else:
        runs, _, room = ledger_values("gpus", room + hub.gpus + hub.backlog, [-owned, -on_order], room, pinned=(0, 1))
    fits = (f"room for {count(room)} more" if room >= 1 else f"{count(-room)} GPUs short" if room <= -0.5
            else "no room to spare")
    if hub.mw_building >= 0.05:  # (as written: 0.0 MW building is none)
        power = f"power {_mw(hub.mw)} + {_mw(hub.mw_building)} MW building: runs {count(runs)} GPUs once built"
    else:
        power = f"power {_mw(hub.mw)} MW: runs {count(runs)} GPUs"
    return f"{terms}\n{gpus}\n{power} ({per_mw}); {fits}"


def switch_label(on: bool, open_now: bool = False) -> str:
    """The open-weights switch's state in words, against the weights' state now (``open_now``:
    released last quarter): the order is given each quarter."""
    if on:  # (short: beside the switch, a narrow form cut "ON: the weights are released this quarter")
        return "ON: stay released" if open_now else "ON: released this quarter"
    return "off: closed again this quarter" if open_now else "off: stay closed"


class OrdersScreen(KeptScreen):
    """A lab's orders for the quarter; dismisses with the submitted ``Orders``, or ``None``."""

    # Every key of the form is a priority binding: it acts the moment it is read, in the order
    # typed, so a digit typed after Tab lands in the next field, never in the one Tab left (a
    # plain binding acts only once the key has bubbled up from the focused input, after the
    # keys typed behind it have gone into that input).
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+l", "last_quarter", "Last quarter", priority=True),
        Binding("ctrl+n", "clear", "Clear", priority=True),
        Binding("ctrl+b", "suggest", "Suggest", priority=True),
        Binding("tab", "step(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "step(-1)", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Next field", show=False, priority=True),
        # (a field has no use for them; the forecast's box says so, where the key bar has no room)
        Binding("pagedown", "forecast(1)", "Forecast ↓", show=False, priority=True),
        Binding("pageup", "forecast(-1)", "Forecast ↑", show=False, priority=True),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = "OrderField Input"

    DEFAULT_CSS = """
    OrdersScreen {
        layout: vertical;
        & #orders-body { height: 1fr; }
        & #orders-form { width: 1fr; height: 1fr; }
        & #orders-preview { width: 48; height: 1fr; }
        &.-narrow #orders-body { layout: vertical; }
        &.-narrow #orders-preview { width: 1fr; height: 9; }
        &.-narrow #preview-figures { grid-size: 2; }
        /* narrow: the field's help gets the room of the buttons whose keys the footer shows (^l, ^n) */
        &.-narrow #orders-last-quarter, &.-narrow #orders-clear { display: none; }
        & .orders-section {
            margin-top: 1; padding: 0 1; width: 1fr;
            background: $primary-muted; color: $text-primary; text-style: bold;
        }
        & .orders-context { padding: 0 1; color: $text-muted; }
        & .hub-name { padding: 0 1; margin-top: 1; text-style: bold; }
        & .hub-blocked { color: $error; }
        & .hub-terms { padding: 0 1; color: $text-muted; }
        & #open-source-row { layout: grid; grid-size: 3; grid-columns: 22 17 1fr; height: 1; padding: 0 1; }
        & #open-source-row:focus-within { background: $boost; }
        & #open_source { border: none; height: 1; padding: 0; }
        & #open-source-row .order-unit { color: $text-muted; }
        & #orders-actions { height: 2; background: $panel; }
        & #orders-status {
            width: 1fr; height: 2; padding: 0 1; color: $text-muted;
            text-overflow: ellipsis;  # two lines, always, so the form never jumps
        }
        & #orders-status.-refused { color: $error; }
        & #orders-actions Button { margin-left: 1; width: auto; min-width: 8; }
        & #textual-toastrack { margin-bottom: 3; }  # notices above the buttons (and the footer), never over Submit
    }
    """

    def __init__(self, campaign: Campaign, lab: int) -> None:
        super().__init__()
        self.campaign = campaign
        self.hub_ids: tuple[str, ...] = campaign.game.world.hub_ids
        self.refusal = ""  # why the form's orders cannot be submitted ('' when they can)
        self._preview_timer: Timer | None = None
        self._status_text = ""
        self._fields: list[OrderField] = []
        self._suggested = 0  # how many times Suggest was pressed this quarter (it cycles the bots)
        self._refused = False  # an "Orders not submitted" notice is up: it goes once the form is fixed
        self.title = "Orders"
        # the class for the app's width now (Textual sets it again on every resize): a form built
        # off screen is then styled for it, and its first showing need not restyle every widget
        self.add_class(*self._get_breakpoint_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS))
        self._read(lab)

    def _read(self, lab: int) -> None:
        """Take ``lab``'s view of the quarter: what the form shows and starts from."""
        self.lab = lab
        self.observation: Observation = self.campaign.game.observe(lab)
        # what HQ shows: this quarter's orders if any were submitted, else none (last quarter's are a key away)
        self.defaults: Orders = self.campaign.pending(lab) or Orders()
        self.orders: Orders | None = self.defaults  # the form's orders while they are valid
        self._help = "Tab/Enter: next field · Ctrl+S: submit · Esc: cancel"  # the focused field's help
        self._title = f"{self.observation.me.name} · {self.observation.label}"  # (a shared class adds its clock)
        self.sub_title = self._title
        self._warned_close = False  # the last-minute warning of a shared class's deadline, once a quarter

    def show_closing(self, seconds: float | None) -> None:
        """A shared class's deadline in the title, where the team spends the quarter: the time left
        (none without a deadline), and once, a minute or less before it, a warning if the orders
        on this form are not sent (what is not sent when the quarter closes does not play)."""
        from blitzgame.formats import clock

        self.sub_title = self._title if seconds is None else f"{self._title} · closes in {clock(seconds)}"
        if seconds is not None and seconds <= CLOSING_WARNING_S and not self._warned_close:
            self._warned_close = True
            self.notify(f"{self.observation.label} closes in {clock(seconds)}: submit (ctrl+s), then send (e), or "
                        "what is on this form does not play.", title="Closing soon", severity="warning", timeout=15)

    def load(self, lab: int) -> None:
        """Open again, for ``lab`` and the quarter now being played: the form is built once and
        kept (building it costs far more than filling it), and shows the new quarter's figures."""
        self._read(lab)
        self._suggested = 0
        obs = self.observation
        for key, text in self._section_figures().items():
            self.query_one(f"#context-{key}", Static).update(text)
        for hub, shown in zip(obs.me.hubs, footprint(obs.me)):
            name = self.query_one(f"#hub-name-{hub.id}", Static)
            name.update(self._hub_title(hub))
            name.set_class(hub.export_blocked, "hub-blocked")
            self.query_one(f"#hub-terms-{hub.id}", Static).update(hub_summary(hub, shown, self._controls(hub)))
        self.query_one("#field-package", OrderField).input.placeholder = f"keep {shown_number(obs.me.package)}"
        self.query_one(PreviewPanel).border_title = f"Forecast {obs.label}"
        self.fill(self.defaults)
        self.query_one("#orders-form", VerticalScroll).scroll_home(animate=False)
        self._check()
        self.query_one(PreviewPanel).add_class("-stale")  # last quarter's figures, dim, until the new ones
        self.call_after_refresh(self._refresh_preview)  # once the form is on screen: it opens at once

    def ready(self) -> None:
        """Focus the first field now, so keys typed while the form opened land there, and show
        its help (when it kept the focus from the last opening, no focus event says so)."""
        first = self.fields[0]
        self._focus_field(first.input)
        self._help = first.help
        if not self.refusal:
            self._status(self._help)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":  # Enter moves on from a number field; on a button it presses it
            return isinstance(self.focused, Input)
        return True

    # --- building the form ------------------------------------------------------------
    def _section_figures(self) -> dict[str, str]:
        """The figures above each section, by section key."""
        obs = self.observation
        me = obs.me
        now = terms(self.campaign.game, self.lab)
        crash = " as the music stops (the scenario's crash opens this quarter)" if now.crash else ""
        return {
            "gpus": f"GPU list price ${obs.market.list_price * 1000:,.0f}k × spot {now.spot:.2f}"
                    f", ${now.installed * 1000:,.0f}k each installed (racks and network"
                    f" included){crash}, paid on delivery at the spot then · lead time {obs.market.lead_time:.1f}q",
            "Compute": f"{count(me.backlog)} GPUs on order · cloud ${obs.market.cloud_price * 1000:,.1f}k"
                       f" per GPU-quarter (${obs.market.cloud_price_hour:,.2f}/GPU-hour) at today's spot (a rental pays "
                       "the spot this quarter's GPU market leaves), "
                       f"{count(obs.market.cloud_pool)} in the pool"
                       + (f" · last quarter {self.campaign.last_orders(self.lab).train_split:.0%} training (each "
                          "quarter's orders stand alone: ^l repeats last quarter's)" if obs.quarter else ""),
            "People": f"{count(me.researchers)} researchers at {money(me.package)}/yr · "
                      f"{count(obs.market.talent_free)} free in the market",
            "Money": f"cash {money(me.cash)} · debt {money(me.debt)} · lenders lend up to {money(now.lend)} more at "
                     f"{now.rate:.1%} a year{crash or ' now'} (M8) · valuation {money(me.valuation)}",
            "Strategy": f"efficiency ×{me.efficiency:.2f} · custom silicon {me.silicon:.0%} · "
                        f"ecosystem {me.ecosystem:.2f} · weights {'open' if me.open_source else 'closed'}",
        }

    def compose(self) -> ComposeResult:
        obs = self.observation
        context = self._section_figures()
        yield Header()
        with Horizontal(id="orders-body"):
            # the inputs take focus, not the scroller: focusing an input scrolls it into view
            with VerticalScroll(id="orders-form", can_focus=False):
                yield Static("GPUs & power, per hub", classes="orders-section")
                yield Static(context["gpus"], classes="orders-context", id="context-gpus", markup=False)
                for hub, shown in zip(obs.me.hubs, footprint(obs.me)):
                    yield from self._hub_rows(hub, shown)
                for section, fields in FORM_SECTIONS.items():  # (the hubs' orders came first)
                    yield Static(section, classes="orders-section")
                    yield Static(context[section], classes="orders-context", id=f"context-{section}", markup=False)
                    for name, label, unit in fields:
                        yield self._field(name, label, unit)
                    if section == "Strategy":
                        with Container(id="open-source-row"):  # laid out like an OrderField
                            yield Label(OPEN_SOURCE_LABEL)
                            yield Switch(self.defaults.open_source, id="open_source",
                                         tooltip="release model weights this quarter: more customers, each paying "
                                                 "less (M10); decided anew each quarter")
                            yield Label(switch_label(self.defaults.open_source, obs.me.open_source),
                                        id="open-source-state",
                                        classes="order-unit")
            yield PreviewPanel(obs.label, id="orders-preview")
        with Horizontal(id="orders-actions"):
            yield Static(id="orders-status")
            yield Button("Last quarter", id="orders-last-quarter", compact=True)
            yield Button("Clear", id="orders-clear", compact=True)
            yield Button("Cancel", id="orders-cancel", compact=True)
            yield Button("Submit", id="orders-submit", variant="primary", compact=True)
        yield GameFooter()

    def _controls(self, hub: HubView) -> str:
        """When the scenario's export controls stop deliveries to ``hub``, if it schedules them and
        they would ('' otherwise: the hub line gives the chance alone)."""
        game = self.campaign.game
        w = game.world
        due = w.controls_due(game.quarter)
        if hub.export_blocked or due is None or not w.export_controlled(w.hub_index(hub.id)):
            return ""
        return controls_when(hub.export_risk, w.label(due))

    @staticmethod
    def _hub_title(hub: HubView) -> str:
        return hub.name + (" — export controls: vendors ship nothing here" if hub.export_blocked else "")

    def _hub_rows(self, hub: HubView, shown: tuple[int, int, int, int]) -> ComposeResult:
        yield Static(self._hub_title(hub), classes="hub-name" + (" hub-blocked" if hub.export_blocked else ""),
                     id=f"hub-name-{hub.id}", markup=False)
        yield Static(hub_summary(hub, shown, self._controls(hub)), classes="hub-terms", id=f"hub-terms-{hub.id}",
                     markup=False)
        for name, label, unit in HUB_FIELDS:
            value = getattr(self.defaults, name).get(hub.id)
            yield OrderField(name, hub=hub.id, label=f"  {label}", unit=unit, hub_ids=self.hub_ids, value=value or None,
                             placeholder="0", title=f"{'GPUs' if name == 'gpus' else 'power'} in {hub.name}")

    def _field(self, name: str, label: str, unit: str) -> OrderField:
        default = Orders.model_fields[name].default
        value = getattr(self.defaults, name)
        placeholder = shown_number(default) if default is not None else f"keep {shown_number(self.observation.me.package)}"
        return OrderField(name, label=label, unit=unit, hub_ids=self.hub_ids,
                          value=None if value == default else value, placeholder=placeholder)

    @property
    def fields(self) -> list[OrderField]:
        """Every number input of the form, in order (the form's fields never change: found once)."""
        if not self._fields:
            self._fields = list(self.query(OrderField))
        return self._fields

    def on_mount(self) -> None:
        self._check()
        self._refresh_preview()

    # --- reading the form -------------------------------------------------------------
    def form_data(self) -> dict:
        """The typed values as an orders dict: empty inputs are left out (the schema's default)."""
        data: dict = {}
        for field in self.fields:
            number = field.number
            if number is None:
                continue
            if field.hub is None:
                data[field.field] = number
            elif number != 0:  # zero per-hub orders are left out, as Orders.from_array does
                data.setdefault(field.field, {})[field.hub] = number
        data["open_source"] = self.query_one("#open_source", Switch).value
        return data

    def _check(self) -> Orders | None:
        """Validate the form; set ``orders`` (or ``refusal``) and the submit button."""
        bad = [field for field in self.fields if not field.is_valid]
        if bad:
            self.orders = None
            self.refusal = f"{len(bad)} to fix: " + ", ".join(field.title for field in bad)
        else:
            try:
                self.orders = validate_orders(self.form_data(), self.hub_ids)
                self.refusal = ""
            except OrdersError as error:
                self.orders, self.refusal = None, str(error)
        self._status(self.refusal or self._help)
        self.query_one("#orders-submit", Button).disabled = self.orders is None
        if self._refused and self.orders is not None:  # fixed: the refusal's notice no longer holds
            self.app.clear_notifications()
            self._refused = False
        return self.orders

    def _status(self, text: str) -> None:
        status = self.query_one("#orders-status", Static)
        status.set_class(bool(self.refusal), "-refused")
        if text != self._status_text:  # an update re-lays the screen out: skip it when nothing changed
            self._status_text = text
            status.update(text, layout=False)  # its size is fixed

    # --- reacting ---------------------------------------------------------------------
    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        self.query_one("#open-source-state", Label).update(  # said, not only coloured
            switch_label(event.value, self.observation.me.open_source))

    @on(Input.Changed)
    @on(Switch.Changed)
    def _changed(self) -> None:
        panel = self.query_one(PreviewPanel)
        if self._check() is None:
            panel.show_refused(self.refusal)
        else:
            panel.mark_stale()  # the figures are the last orders', dim, until these orders' come
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._refresh_preview)

    def _refresh_preview(self) -> None:
        self._preview_timer = None
        panel = next(self.query(PreviewPanel).results(), None)  # none while the app closes under the timer
        if self.orders is not None and panel is not None:
            panel.show(self.campaign.preview(self.lab, self.orders))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Show the focused order's range and meaning on the help line."""
        field = next((node for node in event.widget.ancestors_with_self if isinstance(node, OrderField)), None)
        if field is not None:
            self._help = field.help
        elif isinstance(event.widget, Switch):
            self._help = "Open-source weights: release model weights this quarter (Space toggles)"
        elif isinstance(event.widget, Button):  # (not the last field's help: what is typed now goes nowhere)
            self._help = (f"The {event.widget.label} button: Enter presses it · Tab/Shift+Tab: the next or previous "
                          "field or button")
        if not self.refusal:
            self._status(self._help)

    @on(Button.Pressed, "#orders-submit")
    async def _submit_pressed(self) -> None:
        await self.action_submit()

    @on(Button.Pressed, "#orders-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#orders-clear")
    async def _clear_pressed(self) -> None:
        await self.action_clear()

    @on(Button.Pressed, "#orders-last-quarter")
    async def _last_pressed(self) -> None:
        await self.action_last_quarter()

    # --- actions ----------------------------------------------------------------------
    def action_step(self, direction: int) -> None:
        """Tab and Shift+Tab: the next or previous field, at once (``set_focus`` is immediate)."""
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_enter(self) -> None:
        """Enter in a number field: on to the next."""
        self.focus_next()

    async def _settled(self) -> None:
        """Wait until every field has read the keys already sent to it. A priority key acts the
        moment the app reads it, and digits typed just before it may still be waiting in their
        input's queue: a callback queued behind them runs once they are in."""
        loop = asyncio.get_running_loop()
        waits = []
        for field in self.fields:
            done = loop.create_future()
            if field.input.call_later(done.set_result, None):
                waits.append(done)
        await asyncio.gather(*waits)

    async def action_submit(self) -> None:
        """Hold the orders for the quarter and close, unless something is refused."""
        await self._settled()
        orders = self._check()
        if orders is None:
            bad = next((field for field in self.fields if not field.is_valid), None)
            moved = f" The cursor is on {bad.title}." if bad is not None and self.focused is not bad.input else ""
            self.notify(self.refusal + moved, title="Orders not submitted", severity="error")
            self._refused = True
            if bad is not None:
                self.set_focus(bad.input)
            return
        try:
            held = self.campaign.submit(self.lab, orders)
        except OrdersError as error:
            self.refusal = str(error)
            self._status(self.refusal)
            self.notify(self.refusal, title="Orders not submitted", severity="error")
            self._refused = True
            return
        self.dismiss(held)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    async def action_clear(self) -> None:
        """Do-nothing orders, and back to the first field."""
        await self._settled()  # digits typed before the key are cleared too, not left to arrive after
        self.fill(Orders())
        self._focus_field(self.fields[0].input)

    def action_forecast(self, pages: int) -> None:
        """Scroll the forecast a page down (1) or up (-1): its figures and warnings can run past
        its box on a small terminal, and the keyboard reads them there too."""
        scroll_pages(self.query_one(PreviewPanel), pages, animate=False)

    async def action_suggest(self) -> None:
        """Fill the form with what a built-in bot would order this quarter; again, the next bot."""
        from blitzgame.session.campaign import SUGGESTERS

        await self._settled()
        bot = SUGGESTERS[self._suggested % len(SUGGESTERS)]
        self._suggested += 1
        suggested = self.campaign.suggestion(self.lab, bot)
        self.fill(suggested)
        self._focus_field(self.fields[0].input)
        following = SUGGESTERS[self._suggested % len(SUGGESTERS)]
        game = self.campaign.game
        lines = describe_orders(suggested, dict(zip(game.world.hub_ids, game.world.hub_names)))
        shown = (lines if len(lines) <= SUGGESTION_LINES + 1  # ("and 1 more" would take the line it hides)
                 else lines[:SUGGESTION_LINES] + [f"and {len(lines) - SUGGESTION_LINES} more"])
        self.app.clear_notifications()  # pressed again: this bot's note replaces the last one's, not piled on it
        # short, and gone soon: it sits over the forecast, whose warnings are what to read next
        self.notify("; ".join(shown) + f". Change anything; ctrl+b again: the {following} bot's.",
                    title=f"Filled in: the {bot} bot's orders", markup=False, timeout=6)

    async def action_last_quarter(self) -> None:
        """Last quarter's orders, as played, and back to the first field."""
        await self._settled()
        self.fill(self.campaign.last_orders(self.lab))
        self._focus_field(self.fields[0].input)

    def _focus_field(self, box: Input) -> None:
        """Focus ``box`` with its text selected, so what is typed next replaces it (a field that kept
        the focus while the form filled it gets no focus event to select it)."""
        self.set_focus(box)
        box.select_all()

    def draft(self) -> tuple[list[str], bool] | None:
        """What the form holds now, sent or not, valid or not, as typed (``restore`` puts it
        back); None for an empty form."""
        texts = [field.input.value for field in self.fields]
        release = self.query_one("#open_source", Switch).value
        return (texts, release) if any(text.strip() for text in texts) or release else None

    def restore(self, draft: tuple[list[str], bool]) -> None:
        """Put back what ``draft`` kept, as it was typed."""
        texts, release = draft
        for field, text in zip(self.fields, texts):
            field.input.value = text
        self.query_one("#open_source", Switch).value = release
        self._changed()

    def fill(self, orders: Orders) -> None:
        """Put ``orders`` in the form (values equal to the schema's default are left empty)."""
        for field in self.fields:
            if field.hub is not None:
                field.set_number(getattr(orders, field.field).get(field.hub) or None)
            else:
                default = Orders.model_fields[field.field].default
                value = getattr(orders, field.field)
                field.set_number(None if value == default else value)
        self.query_one("#open_source", Switch).value = orders.open_source
        self._changed()
