"""New game: your lab (name, position, home hub), hot-seat players, rivals, scenario, difficulty, seed.

Every choice is checked as it is made; problems show beside the field and Start stays
disabled until there are none. The campaign itself is made by the session (``Campaign.new``).
"""

import random

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from blitzgame.assets import load_archetypes, load_hubs, load_positions, load_scenario, scenario_ids
from blitzgame.limits import MAX_LABS, MAX_SEED, MIN_LABS, MIN_SEED, is_seed
from blitzgame.session.campaign import ARCHETYPES, DIFFICULTIES, POSITIONS, Campaign, Human, scenario_escape
from blitzgame.session.game import SetupError
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header
from blitzgame.tui.widgets.preview_select import PreviewSelect
from blitzgame.tui.widgets.typed_input import TypedInput

DEFAULT_NAME = "Your Lab"
DRAWN = "drawn"  # a rival seat the difficulty's pool fills (Campaign.new takes None for it)
NAME_LIMIT = 40
DEFAULT_RIVALS = 4


def parse_seed(text: str) -> tuple[int | None, str]:
    """The seed typed, or None and why it is not one."""
    try:
        seed = int(text.strip())
    except ValueError:
        return None, f"The seed is a whole number {MIN_SEED}..{MAX_SEED}."
    if not is_seed(seed):
        return None, f"The seed must be between {MIN_SEED} and {MAX_SEED}."
    return seed, ""


def new_seed() -> int:
    return random.SystemRandom().randrange(MIN_SEED, MAX_SEED + 1)


class HumanRow(Vertical):
    """One human lab: name, starting position and home hub, with the position's summary."""

    DEFAULT_CSS = """
    HumanRow { height: auto; margin-bottom: 1; }
    HumanRow .row { height: auto; }
    HumanRow .name { width: 1fr; min-width: 16; }
    HumanRow .position { width: 18; }
    HumanRow .hub { width: 26; }
    HumanRow .remove { min-width: 5; width: 5; }
    HumanRow .about { color: $foreground-muted; padding: 0 1; }
    HumanRow .problem { color: $error; padding: 0 1; height: auto; }
    """

    def __init__(self, name: str, position: str, hub: str, removable: bool) -> None:
        super().__init__(classes="human")
        self.start_name, self.start_position, self.start_hub = name, position, hub
        self.removable = removable

    def compose(self) -> ComposeResult:
        positions = load_positions()
        hubs = load_hubs().hub
        with Horizontal(classes="row"):
            yield TypedInput(self.start_name, placeholder="lab name", max_length=NAME_LIMIT, classes="name")
            yield PreviewSelect([(getattr(positions, p).title, p) for p in POSITIONS], value=self.start_position,
                                allow_blank=False, classes="position")
            yield PreviewSelect([(h.name, h.id) for h in hubs], value=self.start_hub, allow_blank=False, classes="hub")
            if self.removable:
                yield Button("✕", classes="remove", tooltip="remove this player")
        yield Static(classes="about")
        yield Label("", classes="problem")

    def on_mount(self) -> None:
        self.describe()

    def choice(self) -> Human:
        return Human(self.query_one(".name", Input).value.strip(), self.query_one(".position", Select).value,
                     self.query_one(".hub", Select).value)

    def describe(self, position_id: str | None = None, hub_id: str | None = None) -> None:
        """Show what the chosen position and hub mean (from the data files), or the ones under the
        cursor of an open list (``PreviewSelect.Previewed``)."""
        human = self.choice()
        position = getattr(load_positions(), position_id or human.position)
        hub = next(h for h in load_hubs().hub if h.id == (hub_id or human.hub))
        self.query_one(".about", Static).update(
            f"[b]{position.title}[/]: {escape(position.summary)}\n[b]{escape(hub.name)}[/]: {escape(hub.traits)}")

    def problem(self, text: str) -> None:
        self.query_one(".problem", Label).update(escape(text))
        self.query_one(".problem", Label).display = bool(text)


class NewGameScreen(Screen):
    """The new-game form; dismisses with a new ``Campaign``, or None on cancel."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("ctrl+s", "start", "Start"),
        Binding("ctrl+n", "new_seed", "New seed"),
    ]
    DEFAULT_CSS = """
    NewGameScreen #form { padding: 0 1; }
    NewGameScreen #humans { height: auto; }
    NewGameScreen .heading { text-style: bold; color: $accent; margin-top: 1; }
    NewGameScreen .hint { color: $foreground-muted; width: 1fr; }
    NewGameScreen .problem { color: $error; height: auto; }
    NewGameScreen #options { height: auto; }
    NewGameScreen #rival-count { width: 12; margin-right: 2; }
    NewGameScreen #difficulty { width: 18; }
    NewGameScreen #options Label { padding: 1 1 0 0; width: auto; }
    NewGameScreen #rivals { grid-size: 2; grid-rows: auto; height: auto; grid-gutter: 0 1; }
    NewGameScreen.-wide #rivals { grid-size: 4; }
    NewGameScreen #seed-row { height: auto; }
    NewGameScreen #seed { width: 1fr; max-width: 30; }
    NewGameScreen #scenario-about { color: $foreground-muted; padding: 0 1; }
    NewGameScreen #actions { dock: bottom; height: auto; align-horizontal: right; padding: 0 1; background: $panel; }
    NewGameScreen #actions Button { margin-left: 1; }
    NewGameScreen #why-not { width: 1fr; color: $error; padding: 1 0 0 0; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    def __init__(self, scenario: str | None = None, seed: int | None = None, position: str | None = None,
                 think: int = 1, difficulty: str | None = None) -> None:
        super().__init__()
        self.think = think  # ``play --think N``: strategist rivals weigh N times as many futures
        self.difficulty = difficulty if difficulty in DIFFICULTIES else None  # ``play --difficulty D``, else the scenario's
        self.scenario = scenario if scenario in scenario_ids() else ("base-2024" if "base-2024" in scenario_ids()
                                                                     else scenario_ids()[0])
        self.seed = new_seed() if seed is None else seed
        self.position = position if position in POSITIONS else "startup"
        self.waiting = False  # Start was pressed while the engine warms up: it starts once it is ready

    def compose(self) -> ComposeResult:
        yield Header()
        hubs = [h.id for h in load_hubs().hub]
        bots = {b.name: b.title for b in load_archetypes().bot}
        with VerticalScroll(id="form"):
            yield Label("Your lab", classes="heading")
            with Vertical(id="humans"):
                yield HumanRow(DEFAULT_NAME, self.position, hubs[0], removable=False)
            yield Button("+ Add a human player (hot seat)", id="add-human")
            yield Label("Hot seat: 2-8 people share this keyboard, each playing a lab in turn.", classes="hint")
            yield Label("Rivals", classes="heading")
            yield Label("Archetype bots (M10) or strategists, which plan ahead; \"by difficulty\" draws from the "
                        "difficulty's pool.", classes="hint")
            with Horizontal(id="options"):
                yield Label("How many")
                yield Select([(str(k), k) for k in range(0, MAX_LABS)], value=DEFAULT_RIVALS, allow_blank=False,
                             id="rival-count")
                yield Label("Difficulty")
                yield Select([(d, d) for d in DIFFICULTIES],
                             value=self.difficulty or load_scenario(self.scenario).difficulty,
                             allow_blank=False, id="difficulty")
            with Grid(id="rivals"):
                for k in range(MAX_LABS - 1):
                    yield Select([("by difficulty", DRAWN)]
                                 + [(bots.get(a, a), a) for a in (*ARCHETYPES, "strategist")],
                                 value=DRAWN, allow_blank=False, id=f"rival-{k}", classes="rival")
            yield Label("", id="count-problem", classes="problem")
            yield Label("Scenario", classes="heading")
            yield PreviewSelect([(load_scenario(s).title, s) for s in scenario_ids()], value=self.scenario,
                                allow_blank=False, id="scenario")
            yield Static(id="scenario-about")
            yield Label("Seed (the same seed and choices replay the same world)", classes="heading")
            with Horizontal(id="seed-row"):
                yield TypedInput(str(self.seed), id="seed", restrict=r"[0-9]*")
                yield Button("New seed", id="new-seed")
            yield Label("", id="seed-problem", classes="problem")
        with Horizontal(id="actions"):
            yield Label("", id="why-not")
            yield Button("Cancel", id="cancel")
            yield Button("Start the campaign", id="start", variant="primary")
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = "New game"
        self._describe_scenario()
        self.validate()
        self.query_one(HumanRow).query_one(".name", Input).focus()

    # --- reacting to choices ---------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self.validate()

    def on_preview_select_previewed(self, event: PreviewSelect.Previewed) -> None:
        """Describe the option under the cursor of an open list, before it is chosen."""
        select = event.select
        if select.id == "scenario":
            self._describe_scenario(str(event.value))
            return
        row = next((a for a in select.ancestors if isinstance(a, HumanRow)), None)
        if row is not None:
            kind = "position_id" if select.has_class("position") else "hub_id"
            row.describe(**{kind: str(event.value)})

    def on_select_changed(self, event: Select.Changed) -> None:
        for row in self.query(HumanRow):
            if row in event.select.ancestors:
                row.describe()
        if event.select.id == "scenario":
            self._describe_scenario()
            self._fit_to_scenario()
        self.validate()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        if button.id == "add-human":
            await self._add_human()
        elif button.id == "new-seed":
            self.action_new_seed()
        elif button.id == "cancel":
            self.action_cancel()
        elif button.id == "start":
            self.action_start()
        elif button.has_class("remove"):
            row = next(a for a in button.ancestors if isinstance(a, HumanRow))
            await row.remove()
            self.validate()

    async def _add_human(self) -> None:
        rows = list(self.query(HumanRow))
        if len(rows) >= MAX_LABS:
            self.notify(f"A game has at most {MAX_LABS} labs.", severity="warning")
            return
        hubs = [h.id for h in load_hubs().hub]
        taken = {row.choice().name for row in rows}
        number = len(rows) + 1
        while f"Player {number}" in taken:
            number += 1
        row = HumanRow(f"Player {number}", "startup", hubs[len(rows) % len(hubs)], removable=True)
        await self.query_one("#humans").mount(row)
        count = self.query_one("#rival-count", Select)
        if len(rows) + 1 + count.value > MAX_LABS:  # keep the table full but legal
            count.value = MAX_LABS - len(rows) - 1
        self.validate()
        row.query_one(".name", Input).focus()

    def _fit_to_scenario(self) -> None:
        """A scenario chosen sets the number of rivals to fill its roster and the difficulty its
        rivals are drawn at (unless ``play --difficulty`` named one), and where every lab of it
        starts alike (a classroom's equal teams), each human's position too: the world as its
        author set it up, which the player can still change."""
        scenario = load_scenario(self.query_one("#scenario", Select).value)
        humans = list(self.query(HumanRow))
        rivals, position = scenario_defaults(scenario, len(humans))
        self.query_one("#rival-count", Select).value = rivals
        self.query_one("#difficulty", Select).value = self.difficulty or scenario.difficulty
        if position is not None:
            for row in humans:
                row.query_one(".position", Select).value = position

    def _describe_scenario(self, scenario_id: str | None = None) -> None:
        scenario = load_scenario(scenario_id or self.query_one("#scenario", Select).value)
        own = f" {escape(scenario_escape(scenario))}" if scenario.dominance is not None else ""
        self.query_one("#scenario-about", Static).update(
            f"{escape(scenario.summary)}\n{scenario.start}, {scenario.quarters} quarters.{own}")

    # --- checking ----------------------------------------------------------------------
    def validate(self) -> list[str]:
        """Check every field, show the problems inline, enable Start only if there are none."""
        problems = []
        rows = list(self.query(HumanRow))
        seen: set[str] = set()
        for row in rows:
            name = row.choice().name
            if not name:
                text = "Give the lab a name."
            elif name.lower() in seen:
                text = f"Another player already leads {name}."
            else:
                text = ""
            seen.add(name.lower())
            row.problem(text)
            problems += [text] if text else []
        rivals = self.query_one("#rival-count", Select).value
        for k, select in enumerate(self.query(".rival").results(Select)):
            select.display = k < rivals
        total = len(rows) + rivals
        count_problem = "" if MIN_LABS <= total <= MAX_LABS else (
            f"A game has {MIN_LABS}-{MAX_LABS} labs: {len(rows)} human and {rivals} rival make {total}.")
        self.query_one("#count-problem", Label).update(count_problem)
        self.query_one("#count-problem", Label).display = bool(count_problem)
        problems += [count_problem] if count_problem else []
        _, seed_problem = parse_seed(self.query_one("#seed", Input).value)
        self.query_one("#seed-problem", Label).update(seed_problem)
        self.query_one("#seed-problem", Label).display = bool(seed_problem)
        problems += [seed_problem] if seed_problem else []
        self.query_one("#start", Button).disabled = bool(problems)
        self.query_one("#why-not", Label).update(escape(problems[0]) if problems else "")
        self.query_one("#add-human", Button).disabled = len(rows) >= MAX_LABS
        return problems

    # --- actions -------------------------------------------------------------------------
    def action_new_seed(self) -> None:
        self.query_one("#seed", Input).value = str(new_seed())

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_start(self) -> None:
        if self.validate():
            return
        if self.app.engine_state == "warming":  # making the campaign would freeze the screen until it is ready
            if not self.waiting:
                self.waiting = True
                self.query_one("#form").disabled = True  # the choices made are the ones it starts with
                self.query_one("#start", Button).disabled = True
                self.query_one("#why-not", Label).update(
                    "⏳ Starting as soon as the engine is ready (the first run on a machine compiles it)…")
                self.watch(self.app, "engine_state", self._engine_changed, init=False)
            return
        humans = [row.choice() for row in self.query(HumanRow)]
        count = self.query_one("#rival-count", Select).value
        rivals = [None if s.value == DRAWN else s.value for s in list(self.query(".rival").results(Select))[:count]]
        seed, _ = parse_seed(self.query_one("#seed", Input).value)
        try:
            campaign = Campaign.new(humans, scenario=self.query_one("#scenario", Select).value, seed=seed,
                                    rivals=rivals, difficulty=self.query_one("#difficulty", Select).value,
                                    think=self.think)
        except (SetupError, ValueError) as error:
            self.query_one("#why-not", Label).update(escape(str(error)))
            return
        self.dismiss(campaign)


    def _engine_changed(self, state: str) -> None:
        if self.waiting and state != "warming":
            self.waiting = False
            self.query_one("#form").disabled = False
            self.query_one("#start", Button).disabled = False
            self.query_one("#why-not", Label).update("")
            self.call_later(self.action_start)


def scenario_defaults(scenario, humans: int) -> tuple[int, str | None]:
    """What a scenario sets up for ``humans`` players, as its author did: rivals to fill its
    roster, and the position every lab of it starts in if they all start alike (a classroom's
    equal teams; else None)."""
    positions = {lab.position for lab in scenario.labs}
    return max(1, min(len(scenario.labs), MAX_LABS) - humans), (next(iter(positions)) if len(positions) == 1 else None)


def quick_campaign(scenario: str | None = None, seed: int | None = None, position: str | None = None,
                   think: int = 1, difficulty: str | None = None) -> Campaign:
    """A campaign with the new-game screen's defaults for the scenario (``blitzgame play --new``):
    its roster filled at its difficulty (or ``difficulty``), your lab in the scenario's position
    where every lab starts alike (else a startup), unless ``position`` says."""
    chosen = scenario or "base-2024"
    rivals, alike = scenario_defaults(load_scenario(chosen), 1)
    human = Human(DEFAULT_NAME, position or alike or "startup", load_hubs().hub[0].id)
    return Campaign.new([human], scenario=chosen, seed=new_seed() if seed is None else seed, rivals=rivals, think=think,
                        difficulty=difficulty)
