"""The Blitzgame app: the title, a campaign quarter by quarter, hot seat, saves and rewind.

The app keeps the campaign (``self.campaign``, the session layer's ``Campaign``) and the
human lab at the keyboard (``self.lab``); screens show them and never re-implement rules.
A quarter goes: HQ -> orders (o) -> end quarter (e) -> confirm -> [hot seat: the next
player's turn behind a handoff screen] -> the quarter resolves -> report -> HQ. Heavy
modules (numba, the session) load lazily so the title is interactive at once while a
thread worker warms the compiled core.
"""

import importlib

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from blitzgame.tui.messages import EngineFailed, EngineReady
from blitzgame.tui.screens.title import TitleScreen


def blitz_commands():
    """The palette's provider, imported when the palette first opens (it loads the encyclopedia)."""
    from blitzgame.tui.commands import BlitzCommands

    return BlitzCommands


# actions that need a campaign and HQ (or a plain view over it) on top
GAME_ACTIONS = frozenset({"end_quarter", "orders", "hubs", "rivals", "market", "charts", "news", "report", "save",
                          "rewind", "debrief"})
PLAY_ACTIONS = frozenset({"end_quarter", "orders", "rewind"})  # none of them applies to a finished campaign
# screens that only show things: a game action closes them first (they hold nothing unsaved)
VIEW_SCREENS = frozenset({"ViewScreen", "HubsScreen", "RivalsScreen", "MarketScreen", "ChartsScreen", "NewsScreen",
                          "HelpScreen", "DebriefScreen"})


def is_view(screen: Screen) -> bool:
    """A read-only screen (the views share a ``ViewScreen`` base; some are named here)."""
    return any(cls.__name__ in VIEW_SCREENS for cls in type(screen).__mro__)

VIEWS = Binding.Group("Views", compact=True)  # one footer entry for hubs, rivals, market, charts, news


class BlitzApp(App):
    """The terminal game. ``campaign`` starts straight at HQ; otherwise the title screen,
    whose new-game form is prefilled with ``scenario``, ``seed`` and ``position``."""

    TITLE = "Blitzgame"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {blitz_commands}
    BINDINGS = [
        # priority: the screen they open is ready before the next key is read (typed ahead keys land in it)
        Binding("e", "end_quarter", "End quarter", priority=True),
        Binding("o", "orders", "Orders", priority=True),
        Binding("h", "hubs", "Hubs", group=VIEWS),
        Binding("r", "rivals", "Rivals", group=VIEWS),
        Binding("m", "market", "Market", group=VIEWS),
        Binding("c", "charts", "Charts", group=VIEWS),
        Binding("n", "news", "News", group=VIEWS),
        Binding("l", "report", "Last report", group=VIEWS),
        Binding("s", "save", "Save"),
        Binding("ctrl+z", "rewind", "Rewind"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    engine_state: reactive[str] = reactive("warming")  # warming -> ready | failed

    def __init__(self, campaign=None, *, scenario: str | None = None, seed: int | None = None,
                 position: str | None = None, warm: bool = True, join=None, think: int = 1,
                 difficulty: str | None = None) -> None:
        super().__init__()
        self.campaign = campaign
        self._join = join  # (team, join(code) -> campaign): a served shared class's team, behind its join code
        self.lab = campaign.player if campaign is not None else 0
        self.new_game_defaults = {"scenario": scenario, "seed": seed, "position": position, "think": think,
                                  "difficulty": difficulty}
        self.engine_seconds: float | None = None
        self._warm = warm
        self._compiling = False  # the engine is being compiled for this machine (a first run), as the worker found
        self._turns: list[int] = []  # humans still to take the keyboard this quarter, the first has it
        self._unseen: set[int] = set()  # humans yet to read the last quarter's report
        self._resolve_when_ready = False
        self._form = None  # the orders form, kept between quarters (``_orders_form``)
        self._draft = None  # (lab, quarter label, ``OrdersScreen.draft``): a form a shared class's quarter closed on
        self._report = None  # the quarter report, kept between quarters (``_report_screen``)
        self._form_mounted = None  # awaits the form's widgets while it is built off screen
        self._class_timer = None  # a shared class's seat: asks every poll_seconds whether the quarter closed

    # --- start-up and the engine ------------------------------------------------------
    def on_mount(self) -> None:
        if self.campaign is not None:
            self.start_campaign(self.campaign)
        elif self._join is not None:
            from blitzgame.tui.screens.join import JoinScreen

            self.push_screen(JoinScreen(*self._join), self.start_campaign)
        else:
            self.push_screen(TitleScreen())
        if self._warm:  # once the first screen is drawn: the worker's imports would slow drawing it
            self.screen.call_after_refresh(self.run_worker, self._warm_engine, name="warm the engine",
                                           thread=True, exit_on_error=False)
        else:
            self.engine_state = "ready"

    def _warm_engine(self) -> None:
        """Compile or load the kernels off the UI thread; say so with a message when done."""
        try:
            from blitzgame._jit_cache import is_warm
            from blitzgame.session.campaign import warm_up
            from blitzgame.session.headless import GAME_KERNELS, STRATEGIST_KERNELS

            self._compiling = not is_warm(*GAME_KERNELS, *STRATEGIST_KERNELS)  # warm_up loads every kind of bot
            if self._compiling:  # a first run on this machine: the compiler holds the UI back in bursts, say why
                self.call_from_thread(self.notify, "Compiling the engine for this machine: the first run only, up to "
                                      "a minute. Keys may lag until it says it is ready.", title="First run", timeout=20)
            seconds = warm_up()
        except Exception as error:  # reported in the UI; the game may still run, slower at first
            self.post_message(EngineFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(EngineReady(seconds))

    def on_engine_ready(self, message: EngineReady) -> None:
        self.engine_seconds = message.seconds
        self.engine_state = "ready"
        if self._compiling:
            self.notify(f"The engine is compiled ({message.seconds:.0f} s) and ready; later runs load it at once.",
                        title="First run")
        if self._resolve_when_ready:
            self._resolve_when_ready = False
            self._resolve()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.engine_state = "failed"
        self.notify(message.error, title="The engine did not warm up", severity="error", timeout=15)
        if self._resolve_when_ready:
            self._resolve_when_ready = False
            self._resolve()

    # --- which actions apply -----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PLAY_ACTIONS and self.finished:
            return False  # hidden: a finished campaign has nothing left to play
        if action == "save" and self.campaign is not None and self.campaign.live:
            return False  # hidden: a shared class's world is kept in its database
        # (rewind stays on where the campaign refuses it, a shared class or a class without rewinds: the key says why)
        if action in GAME_ACTIONS:
            return self._in_play()
        return True

    @property
    def finished(self) -> bool:
        """The campaign on screen has ended (escape velocity, its last quarter, or no human left in it)."""
        return self.campaign is not None and (self.campaign.game.over or not self.campaign.alive_humans())

    def _hq(self):
        from blitzgame.tui.screens.hq import HQScreen

        return next((s for s in self.screen_stack if isinstance(s, HQScreen)), None)

    def _in_play(self) -> bool:
        """A campaign is on and HQ, or a plain view over it, is on top."""
        if self.campaign is None:
            return False
        hq = self._hq()
        return hq is not None and (self.screen is hq or is_view(self.screen))

    def _to_hq(self) -> bool:
        """Close the views over HQ so an action starts from it; False (saying why) if it cannot."""
        if self.campaign is None:
            self.notify("Start a new game or load one first.", severity="warning")
            return False
        hq = self._hq()
        if hq is None:
            self.notify("Start a new game or load one first.", severity="warning")
            return False
        above = self.screen_stack[self.screen_stack.index(hq) + 1:]
        if not all(is_view(screen) for screen in above):
            self.notify("Finish with the screen in front first (escape closes most).", severity="warning")
            return False
        for _ in above:
            self.pop_screen()
        return True

    @property
    def hot_seat(self) -> bool:
        """Several people share the keyboard."""
        return self.campaign is not None and len(self.campaign.humans) > 1

    # --- a campaign --------------------------------------------------------------------
    def start_campaign(self, campaign) -> None:
        """Play ``campaign`` from its current quarter: HQ for the first human in the race."""
        from blitzgame.tui.screens.hq import HQScreen

        self.campaign = campaign
        self._resolve_when_ready = False
        self._unseen = set()
        self._turns = campaign.alive_humans()
        self.lab = self._turns[0] if self._turns else campaign.player
        self._reset_to(HQScreen())
        if self._class_timer is not None:
            self._class_timer.stop()
            self._class_timer = None
        if campaign.live:
            self._class_timer = self.set_interval(campaign.poll_seconds, self._poll_class)
        elif campaign.refresh_seconds is not None:  # a class team: the teacher's hold and release show by themselves
            self._class_timer = self.set_interval(campaign.refresh_seconds, self._refresh_class_line)
        if self._form is not None:
            self.uninstall_screen(self._form)  # the last campaign's orders form
            self._form = self._form_mounted = None
            self._draft = None
        if self._report is not None:
            self.uninstall_screen(self._report)  # and its report
            self._report = None
        if campaign.game.over or not self._turns:
            self._show_debrief()
            return
        if self.hot_seat:
            self._give_keyboard(self.lab)
        self.call_after_refresh(self._build_form)  # while the player reads HQ

    def _build_form(self) -> None:
        """Build the orders form off screen, so that even its first opening only fills it in."""
        if self._form is not None or self.campaign is None or self.campaign.game.over:
            return
        form = self._orders_form()
        if form is not None:  # Textual's own step of a push that mounts a screen, without showing it
            self._form_mounted = self._get_screen(form)[1]

    def _reset_to(self, screen: Screen) -> None:
        """Make ``screen`` the only screen above the app's blank base."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _refresh_hq(self, covered: bool = False) -> None:
        """Redraw HQ, or, if a screen is about to cover it (``covered``), when it is back on top."""
        hq = self._hq()
        if hq is not None:
            hq.show(now=not covered)

    def _give_keyboard(self, lab: int) -> None:
        """Make ``lab`` the player at the keyboard; in hot seat, behind a handoff screen."""
        from blitzgame.tui.screens.handoff import HandoffScreen

        self.lab = lab
        self._refresh_hq(covered=self.hot_seat or lab in self._unseen)
        if self.hot_seat:
            game = self.campaign.game
            self.push_screen(HandoffScreen(game.names[lab], game.label), lambda _: self._after_handoff(lab))
        else:
            self._after_handoff(lab)

    def _after_handoff(self, lab: int) -> None:
        """A player who has not read the last quarter's report reads it first."""
        if lab in self._unseen:
            self._unseen.discard(lab)
            self.push_screen(self._report_screen(lab), lambda _: self._after_report(lab))

    def _report_screen(self, lab: int):
        """The campaign's report screen, for ``lab`` and the quarter just played: built at the first
        report and kept (installed), like the orders form, since filling it in is much quicker."""
        from blitzgame.tui.screens.report import ReportScreen

        if self._report is not None:
            self._report.load(lab)
            return self._report
        self._report = ReportScreen(self.campaign, lab)
        self.install_screen(self._report, "report")
        return self._report

    def _after_report(self, lab: int) -> None:
        game = self.campaign.game
        if game.over or not self.campaign.alive_humans():
            self._show_debrief()
        elif not game.alive(lab):  # a hot-seat player whose lab went under this quarter
            self.notify(f"{game.names[lab]} is out of the race.", severity="warning")
            if lab in self._turns:
                self._turns.remove(lab)
            self._next_turn()

    def _end_turn(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        if self._turns and self._turns[0] == self.lab:
            self._turns.pop(0)
        self._next_turn()

    def _next_turn(self) -> None:
        """The next human plays, or, when all have, the quarter resolves."""
        if self._turns:
            self._give_keyboard(self._turns[0])
        elif self.engine_state == "warming":
            self._resolve_when_ready = True
            self.notify("The engine is still warming up: the quarter resolves the moment it is ready.")
        else:
            self._resolve()

    def _resolve(self) -> None:
        """Bots decide, the quarter resolves (and autosaves); every human in the race reads the report."""
        in_race = self.campaign.alive_humans()
        if not in_race or self.campaign.game.over:
            self._show_debrief()
            return
        if self.campaign.live:
            self._send_orders(in_race)
            return
        self.campaign.end_quarter()
        self._quarter_played(in_race)

    def _quarter_played(self, in_race: list[int]) -> None:
        self._unseen = set(in_race)
        self._turns = list(in_race)
        self._give_keyboard(in_race[0])

    # --- a shared class's seat ----------------------------------------------------------
    def _send_orders(self, in_race: list[int]) -> None:
        """End the turn in a shared class: the team's orders go in; the quarter resolves when
        every team is in (perhaps now), at its deadline, or when the teacher closes it."""
        campaign = self.campaign
        label = campaign.game.label
        self._turns = list(in_race)
        try:
            report = campaign.end_quarter()
        except ValueError as error:  # the quarter closed before the orders came in
            self.notify(str(error), title="Orders not taken", severity="error", timeout=10)
            self._class_quarter_closed()
            return
        if report is not None:
            self._class_quarter_closed()
            return
        self.notify(f"Your orders for {label} are in. You can change them until the quarter closes "
                    "(o, then e again); its report shows the moment it does.", title="Orders in")
        self._refresh_hq()

    def _poll_class(self) -> None:
        """Every ``poll_seconds`` in a shared class: has the quarter closed?"""
        campaign = self.campaign
        if campaign is None or not campaign.live:
            return
        try:
            reports = campaign.poll()
        except ValueError as error:  # the class's database went wrong: say so once, stop asking
            self._class_timer.stop()
            self.notify(str(error), title="The class cannot go on", severity="error", timeout=30)
            return
        if reports:
            self._class_quarter_closed()
        else:
            self._refresh_class_line()

    def _refresh_class_line(self) -> None:
        """The class's quarter as it stands: HQ's line, and the time left in the orders form's title."""
        hq = self._hq()
        if hq is not None and hq.is_mounted:
            hq.show_class_line()
        if self.campaign is not None and self.campaign.live and self._form is not None and self.screen is self._form:
            self._form.show_closing(self.campaign.closes_in())

    def _class_quarter_closed(self) -> None:
        """The class's quarter resolved: back to HQ from wherever the player was, and its report."""
        campaign = self.campaign
        hq = self._hq()
        if hq is None:
            return
        orders = self._screen("orders", "OrdersScreen")
        editing = orders is not None and any(isinstance(screen, orders) for screen in self.screen_stack)
        draft = self._form.draft() if editing and self._form is not None else None
        while self.screen is not hq:
            self.pop_screen()
        played = campaign.game.quarter - 1
        if editing:  # the form goes with the quarter: say so, or a half-typed order seems to vanish
            label = campaign.game.world.label(played)
            if draft is not None:  # nothing typed is lost: the next form opens with it
                self._draft = (self.lab, label, draft)
            back = " It is back on the form when you open it again (o)." if draft is not None else ""
            self.notify(f"{label} closed while your orders form was open: what you had not sent (ctrl+s, then e) "
                        f"was not played.{back}", title="The quarter closed", severity="warning", timeout=15)
        if played >= 0 and campaign.played_for_me(played) in ("autopilot", "empty"):  # the report says it too
            self.notify(campaign.report_note(self.lab), title="Not in time", severity="warning", timeout=15)
        in_race = campaign.alive_humans()
        if in_race and not campaign.game.over:
            self._quarter_played(in_race)
            return
        moves = campaign.press()
        if moves and moves[self.lab].status_before == "alive":  # out, or the campaign over, this quarter
            self._unseen, self._turns = {self.lab}, []
            self._give_keyboard(self.lab)  # its report, then the debrief
        elif campaign.game.over:
            self._refresh_hq()
            self._show_debrief()
        else:  # out of the race earlier: HQ follows the race, quarter by quarter, without the debrief again
            self._refresh_hq()

    def _show_debrief(self) -> None:
        screen = self._screen("debrief", "DebriefScreen")
        if screen is not None:
            self.push_screen(screen(self.campaign, self.lab), self._after_debrief)

    def _after_debrief(self, _result: object) -> None:
        campaign = self.campaign
        if campaign is not None and campaign.live and not campaign.game.over:
            return  # a shared class goes on without this lab: HQ follows the race
        if self.finished:
            self._reset_to(TitleScreen())  # the campaign is done: autosaves keep it

    def _screen(self, module: str, name: str) -> type[Screen] | None:
        """A screen class from ``blitzgame.tui.screens.<module>``, or None (and say so)."""
        try:
            return getattr(importlib.import_module(f"blitzgame.tui.screens.{module}"), name)
        except (ImportError, AttributeError) as error:
            self.notify(f"The {module} screen could not load ({error}). If Blitzgame was updated while it ran, "
                        "restart it: your campaign is autosaved every quarter (Load game on the title screen).",
                        severity="error", timeout=30)
            return None

    def _new_campaign_made(self, campaign) -> None:
        if campaign is not None:
            self.start_campaign(campaign)

    def _save_chosen(self, stem: str | None) -> None:
        from blitzgame.session.campaign import saves_dir
        from blitzgame.session.saves import SaveError

        if stem is None:
            return
        folder = saves_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = self.campaign.save(folder / f"{stem}.json")
        except (SaveError, OSError) as error:
            self.notify(str(error), title="Not saved", severity="error")
            return
        pending = " Orders not yet ended are not part of it." if self.campaign.game.pending else ""
        self.notify(f"Saved {self.campaign.game.label} to {path}.{pending}", title="Saved")

    def _load_chosen(self, path, new_rules: bool = False) -> None:
        from blitzgame.session.campaign import Campaign
        from blitzgame.session.saves import RulesChanged, SaveError

        if path is None:
            return
        try:
            campaign = Campaign.load(path, new_rules=new_rules)
        except RulesChanged:
            from blitzgame.tui.screens.ask import AskScreen

            question = (f"{path.name} was saved by another version of the game, whose rules or numbers differ. "
                        "Its orders can be replayed under this version's rules, but the game will turn out "
                        "differently from what you saw. The save file itself is kept as it is.")
            self.push_screen(AskScreen("Saved under other rules", question, yes="Play it on under today's rules",
                                       no="Back"),
                             lambda yes: self._load_chosen(path, new_rules=True) if yes else None)
            return
        except SaveError as error:
            self.notify(str(error), title="Cannot load", severity="error", timeout=10)
            return
        self.start_campaign(campaign)
        self.notify(f"Loaded {path.name}: {campaign.game.progress}" + (" under today's rules." if new_rules else "."))

    def _rewind_chosen(self, quarter: int | None) -> None:
        if quarter is None:
            return
        campaign = self.campaign
        campaign.rewind(quarter)
        self._resolve_when_ready = False
        self._unseen = set()
        self._turns = campaign.alive_humans()
        self.lab = self._turns[0] if self._turns else campaign.player
        self._refresh_hq()
        self.notify(f"Back at the start of {campaign.game.label}; play on from here.", title="Rewound")
        if self.hot_seat:
            self._give_keyboard(self.lab)

    def _orders_given(self, orders) -> None:
        from blitzgame.schemas.orders import OrdersError

        if orders is None:
            return
        try:
            if self.campaign.pending(self.lab) != orders:  # the orders screen usually holds them already
                self.campaign.submit(self.lab, orders)
        except OrdersError as error:
            self.notify(str(error), title="Orders refused", severity="error", timeout=10)
        self._refresh_hq()

    # --- actions (keys and the command palette) ------------------------------------------
    async def action_end_quarter(self) -> None:
        """Confirm the orders and end the quarter (in hot seat: this player's turn)."""
        from blitzgame.tui.screens.confirm import ConfirmScreen

        if not self._to_hq():
            return
        campaign = self.campaign
        if campaign.game.over or not campaign.alive_humans():
            self._show_debrief()
            return
        refused = campaign.end_refusal(self.lab)
        if refused:
            self.notify(refused, title="Held", severity="warning", timeout=10)
            self._refresh_hq()
            return
        others = [campaign.game.names[lab] for lab in self._turns[1:]]
        self.clear_notifications()  # the form's toasts (a suggestion, orders saved) would lie over the question
        await self.push_screen(ConfirmScreen(campaign, self.lab, others), self._end_turn)

    async def action_orders(self) -> None:
        """Give this quarter's orders."""
        if not self._to_hq():
            return
        game = self.campaign.game
        if game.over or not game.alive(self.lab):
            self.notify("No more orders: your campaign is over.", severity="warning")
            return
        if self._form_mounted is not None:  # built off screen: its widgets must be there to fill in
            await self._form_mounted
            self._form_mounted = None
        form = self._orders_form()
        if form is not None:
            await self.push_screen(form, self._orders_given)  # keys typed meanwhile wait, then land in it
            self._restore_draft(form)
            form.ready()

    def _restore_draft(self, form) -> None:
        """The orders a shared class's quarter closed on, back on the form for the next quarter
        (unless orders are in for it already): typed, never sent, not lost."""
        if self._draft is None:
            return
        lab, label, draft = self._draft
        self._draft = None
        if lab != self.lab or self.campaign.pending(lab) is not None:
            return
        form.restore(draft)
        self.notify(f"What you had typed for {label} is back on the form: check it against this quarter's figures "
                    "before you send it.", title="Your unsent orders", timeout=10)

    def _orders_form(self):
        """The campaign's orders form: built once (off screen as the campaign starts, or on first
        use) and kept (installed) until another campaign starts, since building it takes several
        times longer than filling it in again."""
        if self._form is not None:
            self._form.load(self.lab)
            return self._form
        screen = self._screen("orders", "OrdersScreen")
        if screen is None:
            return None
        self._form = screen(self.campaign, self.lab)
        self.install_screen(self._form, "orders")
        return self._form

    def _open_view(self, module: str, name: str) -> None:
        if not self._to_hq():
            return
        screen = self._screen(module, name)
        if screen is not None:
            self.push_screen(screen(self.campaign, self.lab))

    def action_hubs(self) -> None:
        """Your hubs: GPUs, power, headroom."""
        self._open_view("tables", "HubsScreen")

    def action_rivals(self) -> None:
        """Rivals' public figures."""
        self._open_view("tables", "RivalsScreen")

    def action_market(self) -> None:
        """The GPU, cloud, talent and capital markets."""
        self._open_view("tables", "MarketScreen")

    def action_charts(self) -> None:
        """The campaign so far, in charts."""
        self._open_view("charts", "ChartsScreen")

    def action_news(self) -> None:
        """Every quarter's news."""
        self._open_view("news", "NewsScreen")

    def action_report(self) -> None:
        """The last quarter's report again, its ledgers included (it closes back to HQ)."""
        if not self._to_hq():
            return
        if not self.campaign.game.quarter:
            self.notify("No quarter played yet: its report opens when you end one (e).", severity="warning")
            return
        self.push_screen(self._report_screen(self.lab))

    def action_debrief(self) -> None:
        """Why each lab won or died."""
        if self._to_hq():
            self._show_debrief()

    def action_help(self) -> None:
        """The encyclopedia and the keys."""
        if type(self.screen).__name__ == "HelpScreen":
            return
        screen = self._screen("help", "HelpScreen")
        if screen is not None:
            self.push_screen(screen())

    def action_save(self) -> None:
        """Save the campaign to a named slot."""
        from blitzgame.session.campaign import saves_dir
        from blitzgame.tui.screens.save import SaveScreen

        if not self._to_hq():
            return
        refused = self.campaign.save_refusal()  # a class: the team's game is kept for it
        if refused:
            self.notify(refused)
            return
        folder = saves_dir()
        existing = {path.stem for path in folder.glob("*.json")} if folder.is_dir() else set()
        self.push_screen(SaveScreen(self.campaign.autosave_name, folder, existing), self._save_chosen)

    def action_load(self) -> None:
        """Load a saved campaign."""
        from blitzgame.session.campaign import list_saves, saves_dir
        from blitzgame.tui.screens.load import LoadScreen

        if type(self.screen).__name__ in ("LoadScreen", "HandoffScreen"):
            return
        self.push_screen(LoadScreen(list_saves(), saves_dir()), self._load_chosen)

    async def action_quit(self) -> None:
        """Quit (ctrl+q); first asks, if orders given for this quarter would go with it: a save, the
        autosave too, holds the quarters played, not orders waiting for the quarter to end."""
        from blitzgame.tui.screens.ask import AskScreen

        campaign = self.campaign
        if campaign is not None and campaign.live and type(self.screen) is not AskScreen:
            lost = campaign.unsent()  # a shared class: only orders sent are in the class's database
            if lost is not None:
                self.push_screen(AskScreen("Quit without sending your orders?", f"{lost} Send them first (e) to keep "
                                           "them; you can come back to this team any time.", yes="Quit", no="Stay"),
                                 lambda yes: self.exit() if yes else None)
                return
        waiting = [] if campaign is None or campaign.live or campaign.game.over or type(self.screen) is AskScreen \
            else [campaign.game.names[lab] for lab in campaign.humans if campaign.pending(lab) is not None]
        if not waiting:
            self.exit()
            return
        held = campaign.end_refusal(campaign.humans[0])  # a class held by its teacher: the quarter cannot end yet
        keep = ("the quarter cannot end until your teacher releases the class, so note them to give them again"
                if held else "end the quarter first (e) to keep them")
        question = (f"The orders of {' and '.join(waiting)} for {campaign.game.label} are not played yet. A save "
                    f"holds the quarters played, so they go if you quit now; {keep}.")
        self.push_screen(AskScreen("Quit and lose this quarter's orders?", question, yes="Quit", no="Stay"),
                         lambda yes: self.exit() if yes else None)

    def action_new_game(self) -> None:
        """Set up a new campaign."""
        from blitzgame.tui.screens.new_game import NewGameScreen

        if type(self.screen).__name__ in ("NewGameScreen", "HandoffScreen"):
            return
        self.push_screen(NewGameScreen(**self.new_game_defaults), self._new_campaign_made)

    def action_rewind(self) -> None:
        """Go back to the start of an earlier quarter."""
        from blitzgame.tui.screens.rewind import RewindScreen

        if not self._to_hq():
            return
        refused = self.campaign.rewind_refusal()
        if refused:
            self.notify(refused, severity="warning")
            return
        if self.campaign.game.quarter == 0:
            self.notify("No quarter played yet: nothing to rewind.")
            return
        self.push_screen(RewindScreen(self.campaign, self.lab), self._rewind_chosen)
