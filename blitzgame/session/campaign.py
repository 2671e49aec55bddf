"""A campaign as the front ends play it: human labs and bot rivals around one game.

``Campaign`` adds to a ``Game`` who sits in each seat (a human, or a bot by name), the
new-game choices (position, home hub, rivals, difficulty), last quarter's orders as the
defaults of the next, a live preview of orders, autosaves and rewind. It is the TUI's
whole view of the rules: the screens call it and never re-implement them. What it shows
them is in ``views``; ``saves_folder``, ``rivals`` and ``warmup`` are re-exported here.
"""

import math
import os
from dataclasses import dataclass
from pathlib import Path

from blitzgame.bots.base import thinking
from blitzgame.bots.loader import make_bot
from blitzgame.bots.sandbox import InProcessSeat
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.metrics import (
    COVENANT_WARNING,
    biggest_rival,
    covenant_headroom,
    covenant_line,
    dominance_break,
    quarters_to_escape,
)
from blitzgame.engine.params import PARAM_NAMES
from blitzgame.engine.people import in_death_zone
from blitzgame.engine.turn import stage
from blitzgame.limits import MAX_LABS, MIN_LABS
from blitzgame.schemas.assets import POSITIONS
from blitzgame.schemas.orders import Orders, validate_orders
from blitzgame.session.crash import (
    chance_sources,
    crash_chance,
    crash_next,
    crash_rule,
    crash_scheduled,
    music_can_stop,
)
from blitzgame.session.forecast import forecast
from blitzgame.session.game import Game, SetupError
from blitzgame.session.race import Contender, contender_line, contenders, escape_condition
from blitzgame.session.report import QuarterReport
from blitzgame.session.rivals import ARCHETYPES, DIFFICULTIES, draw_rivals
from blitzgame.session.saves import SaveError, load_game, save_game
from blitzgame.session.saves_folder import AUTOSAVES, SAVES_ENV, autosave_path, campaign_name, list_saves, saves_dir
from blitzgame.session.views import (
    DEATH_ZONE_HIGH,
    DEATH_ZONE_LOW,
    RUNWAY_SHORT,
    STAGE_NAMES,
    CapitalMarket,
    CovenantRisk,
    Dominance,
    Flywheel,
    FlywheelLink,
    LabMove,
    Preview,
    SaveInfo,
    StageOutlook,
)
from blitzgame.session.warmup import warm_up
from blitzgame.session.world import LabSetup, World, compile_world, default_setups, dominance_numbers, rival_name

SUGGESTERS = ("baseline", *ARCHETYPES, "strategist")  # the bots the orders form's Suggest asks, in turn
@dataclass(frozen=True)
class Human:
    """A human player's lab at the start: its name, position and home hub."""

    name: str
    position: str = "startup"
    hub: str = "virginia"


def _toward_zero(value: float, step: float) -> float:
    return math.trunc(value / step) * step if value >= 0 else -math.trunc(-value / step) * step


WHOLE_ORDERS = frozenset({"gpus", "rent", "hire", "layoff"})  # what a player orders in whole numbers: GPUs and people


def _whole(values: dict) -> dict:
    """Orders' values (``model_dump``) with GPUs and people (``WHOLE_ORDERS``) whole, toward zero."""
    values = {**values, **{name: float(_toward_zero(values[name], 1.0)) for name in WHOLE_ORDERS - {"gpus"}}}
    values["gpus"] = {hub: float(math.floor(n)) for hub, n in values["gpus"].items() if n >= 1.0}
    return values


def typed_counts(orders: Orders, hub_ids: tuple[str, ...]) -> Orders:
    """``orders`` with whole GPUs and people, the rest as it is: a bot's orders (a class's autoplay)
    as the orders form takes them back ("Last quarter")."""
    return validate_orders(_whole(orders.model_dump()), hub_ids)


def typed_numbers(orders: Orders, hub_ids: tuple[str, ...]) -> Orders:
    """``orders`` in round numbers (see ``Campaign.suggestion``), checked again."""
    values = _whole(orders.model_dump())
    for name in ("equity", "debt", "efficiency_rnd", "silicon_rnd", "bid"):
        values[name] = round(_toward_zero(values[name], 0.1), 1)
    for name in ("premium", "cancel", "train_split", "partnership"):
        values[name] = round(values[name], 2)
    if values["package"] is not None:
        values["package"] = round(values["package"], 2)
    values["power_mw"] = {hub: round(_toward_zero(mw, 0.1), 1) for hub, mw in values["power_mw"].items() if mw >= 0.1}
    return validate_orders(values, hub_ids)


class Campaign:
    """One campaign: the game, who plays each lab, and the player-facing services."""

    # a seat in a shared class (``classroom.shared_play``): the quarter resolves when every team
    # is in, elsewhere as often as here, and ``poll`` brings it; no rewind, no saves
    live = False
    refresh_seconds: float | None = None  # how often the screens read its class's rules again (a class team's)

    def __init__(self, game: Game, seats: list[str | None], autosave_name: str | None = None) -> None:
        if len(seats) != game.n_labs:
            raise SetupError(f"need a seat for each of the {game.n_labs} labs, got {len(seats)}")
        if all(seat is not None for seat in seats):
            raise SetupError("a campaign needs at least one human lab")
        self.game = game
        self.seats = list(seats)
        self.bots: dict[int, InProcessSeat] = {}
        for lab, spec in enumerate(seats):
            if spec is not None:
                self.bots[lab] = InProcessSeat(make_bot(spec))
                self.bots[lab].new_game()
        self.autosave_name = autosave_name or _slug(game.names[self.humans[0]])

    # --- setting up ----------------------------------------------------------------
    @classmethod
    def new(cls, humans: list[Human], scenario: str | World = "base-2024", seed: int = 0,
            rivals: list[str | None] | int = 4, difficulty: str | None = None, think: int = 1) -> "Campaign":
        """A new campaign: ``humans`` take the first seats, then ``rivals`` (bot names, or
        a count drawn from the difficulty's pool with the seed) fill the scenario's roster.
        A ``None`` in a list of rivals is drawn from the pool too, the others kept; the pool is
        the scenario's own difficulty unless ``difficulty`` names another. Strategist
        rivals weigh ``think`` times their default futures per decision."""
        world = scenario if isinstance(scenario, World) else compile_world(scenario)
        difficulty = world.scenario.difficulty if difficulty is None else difficulty
        if difficulty not in DIFFICULTIES:
            raise SetupError(f"unknown difficulty {difficulty!r}; expected one of {', '.join(DIFFICULTIES)}")
        if not humans:
            raise SetupError("a campaign needs at least one human lab")
        if isinstance(rivals, int):
            rivals = draw_rivals(rivals, seed, difficulty)
        elif None in rivals:
            drawn = iter(draw_rivals(sum(r is None for r in rivals), seed, difficulty))
            rivals = [next(drawn) if r is None else r for r in rivals]
        rivals = [thinking(r, think) for r in rivals]
        total = len(humans) + len(rivals)
        if not MIN_LABS <= total <= MAX_LABS:
            raise SetupError(f"a game has {MIN_LABS}-{MAX_LABS} labs; {len(humans)} human(s) and "
                             f"{len(rivals)} rival(s) make {total}")
        taken = {h.name.strip() for h in humans}  # the names the labs will carry
        roster = [s for s in default_setups(world, MAX_LABS + len(humans)) if s.name not in taken]
        for human in humans:
            if human.position not in POSITIONS:
                raise SetupError(f"unknown position {human.position!r}; expected one of {', '.join(POSITIONS)}")
            if not human.name.strip():
                raise SetupError("a lab needs a name")
        named = {name.casefold() for name in taken}  # a class scenario's "Team k" plays as "Rival k"
        setups = ([LabSetup(h.name.strip(), h.position, h.hub) for h in humans]
                  + [LabSetup(rival_name(s.name, k, named), s.position, s.hub) for k, s in enumerate(roster[:len(rivals)], 1)])
        game = Game(world, seed, setups)
        return cls(game, [None] * len(humans) + list(rivals))

    @classmethod
    def load(cls, path: str | os.PathLike, new_rules: bool = False) -> "Campaign":
        """A campaign from a save file (``SaveError`` says what is wrong with it; a save made
        under other rules raises ``RulesChanged`` unless ``new_rules`` plays it on under today's)."""
        loaded = load_game(path, new_rules=new_rules)
        if all(bot is not None for bot in loaded.bots):
            raise SaveError(f"{path}: every lab in it is a bot; watch it with `blitzgame replay`")
        return cls(loaded.game, loaded.bots, autosave_name=campaign_name(path))

    # --- reading ---------------------------------------------------------------------
    def left_out(self) -> list[str]:
        """The scenario's own labs that play no part in this game, by name: its roster fills the
        seats in order after the humans', so the last of it makes way for them."""
        from blitzgame.session.world import is_placeholder

        playing = set(self.game.names)
        return [s.name for s in self.game.world.scenario.labs if s.name not in playing and not is_placeholder(s.name)]

    @property
    def humans(self) -> list[int]:
        """The labs people play, in seat order."""
        return [lab for lab, seat in enumerate(self.seats) if seat is None]

    @property
    def player(self) -> int:
        """The first human lab (the only one outside hot seat)."""
        return self.humans[0]

    def rival_bot(self, lab: int) -> str | None:
        return self.seats[lab]

    def last_orders(self, lab: int) -> Orders:
        """Last quarter's orders of a lab (empty orders before the first quarter): what the orders
        form's "Last quarter" puts back."""
        if not self.game.orders_log:
            return Orders()
        return typed_counts(self.game.orders_log[-1][lab], self.game.world.hub_ids)  # (a bot's, in a class: whole)

    def pending(self, lab: int) -> Orders | None:
        """The orders a lab has submitted for this quarter, or None (it would do nothing)."""
        return self.game.pending.get(lab)

    def alive_humans(self) -> list[int]:
        """The human labs still in the race, in seat order (hot seat plays them in turn)."""
        return [lab for lab in self.humans if self.game.alive(lab)]

    def flywheel(self, lab: int) -> Flywheel:
        """The lab's flywheel links and which one moved most over the quarter just played (M2)."""
        game = self.game
        row = game.state_labs[lab]
        played = len(game.history) > 1
        before = game.history[-2].labs[lab] if played else row
        links = []
        for k, name in enumerate(F.LINK_NAMES):
            change = float(row[F.FLYWHEEL + k]) if played else 0.0
            base = max(abs(float(before[F.LINK_FIELDS[k]])), F.LINK_FLOORS[k])
            links.append(FlywheelLink(name, float(row[F.LINK_FIELDS[k]]), change, change / base))
        return Flywheel(links, F.LINK_NAMES[int(row[F.DRIVER])] if played else None)

    def capital_market(self) -> CapitalMarket:
        """Sentiment against its peak, the revenue gap against the danger line, and the crash."""
        game = self.game
        world = game.state_world
        music = int(world[F.MUSIC_QUARTER])
        return CapitalMarket(
            sentiment=float(world[F.SENTIMENT]), sentiment_peak=float(world[F.SENTIMENT_PEAK]),
            revenue_gap=float(world[F.REVENUE_GAP]),
            danger_gap=float(game.world.params[PARAM_NAMES.index("music_gap")]),
            music_stopped=bool(world[F.MUSIC_STOPPED] > 0),
            music_quarter=game.world.label(music) if music >= 0 else None,
            regime=F.REGIME_NAMES[int(world[F.REGIME])],
            chance_crash=game.world.scenario.chance_crash, crash_rule=crash_rule(game),
            music_can_stop=music_can_stop(game), crash_chance=crash_chance(game), crash_sources=chance_sources(game, short=True),
            crash_scheduled=crash_scheduled(game), crash_next=crash_next(game),
            quarters_since_stop=max(game.quarter - music, 0) if music >= 0 else 0,
        )

    def in_death_zone(self, lab: int) -> bool:
        """Whether the lab's GPUs online put it in the death zone (M7)."""
        return bool(in_death_zone(self.game.state_labs[lab, F.ONLINE]))

    def dominance(self) -> list[Dominance]:
        """The labs heading to escape velocity (docs/design.md §4), public to every player: dominant now, the
        game not yet won."""
        game = self.game
        labs, params = game.state_labs, game.world.params
        if game.over or game.state_world[F.WINNER] >= 0:
            return []
        out = []
        for k in range(game.n_labs):
            left = quarters_to_escape(labs, k, params)
            if left > 0:
                out.append(Dominance(
                    lab=k, name=game.names[k], quarters_left=int(left), online=float(labs[k, F.ONLINE]),
                    share=float(labs[k, F.SHARE]), rival_best=float(biggest_rival(labs, k)),
                    rival_break=float(dominance_break(labs, k, params)), lead=float(params[P.DOMINANCE_LEAD]),
                    share_needed=float(params[P.DOMINANCE_SHARE]), gpus_needed=float(params[P.DOMINANCE_GPUS])))
        return out

    def closing_in(self) -> list[Contender]:
        """The labs closing in on escape velocity, not dominant yet (``session.race``), public to every player."""
        game = self.game
        if game.over or game.state_world[F.WINNER] >= 0:
            return []
        return contenders(game.state_labs, game.names, game.world.params)

    def escape_condition(self) -> str:
        """This campaign's escape-velocity condition in words (the scenario's own, or the balance's)."""
        return scenario_escape(self.game.world.scenario)

    def covenant_risk(self, lab: int) -> CovenantRisk | None:
        """The lab's debt covenant if it is close to tripping (M8), else None."""
        game = self.game
        labs, world, params = game.state_labs, game.state_world, game.world.params
        if labs[lab, F.STATUS] != F.ALIVE or labs[lab, F.DEBT] <= 0.0:
            return None
        headroom = float(covenant_headroom(labs, lab, world, params))
        line, debt = float(covenant_line(labs, lab, world, params)), float(labs[lab, F.DEBT])
        due = "as this quarter opens" if crash_scheduled(game) else "as next quarter opens" if crash_next(game) else None
        # a scheduled crash cuts what lenders lend, and the line with it (a headroom this wide has a line above 0)
        if headroom >= COVENANT_WARNING and (due is None or
                                             1.0 - debt / (line * params[P.CRASH_LENDING]) >= COVENANT_WARNING):
            return None
        return CovenantRisk(
            debt=debt, line=line, headroom=max(headroom, 0.0), covenant=float(params[P.COVENANT]),
            crash_lending=None if world[F.MUSIC_STOPPED] > 0 else float(params[P.CRASH_LENDING]), crash_due=due)

    def stage_outlook(self, lab: int) -> StageOutlook:
        """The lab's stage (M1) and the GPUs online the next one takes."""
        online = float(self.game.state_labs[lab, F.ONLINE])
        now = stage(online)
        top = now + 1 >= len(F.STAGE_FLOORS)
        return StageOutlook(now, F.STAGE_NAMES[now], online,
                            None if top else F.STAGE_NAMES[now + 1], None if top else F.STAGE_FLOORS[now + 1])

    def press(self) -> list[LabMove]:
        """Every lab's public figures before and after the quarter just played (empty before)."""
        game = self.game
        if len(game.history) < 2:
            return []
        before, after = game.history[-2].labs, game.history[-1].labs
        return [LabMove(
            lab=k, name=game.names[k],
            status_before=F.STATUS_NAMES[before[k, F.STATUS]], status=F.STATUS_NAMES[after[k, F.STATUS]],
            gpus_before=float(before[k, F.ONLINE]), gpus=float(after[k, F.ONLINE]),
            share_before=float(before[k, F.SHARE]), share=float(after[k, F.SHARE]),
            revenue=float(after[k, F.REVENUE]),
            valuation_before=float(before[k, F.VALUATION]), valuation=float(after[k, F.VALUATION]),
        ) for k in range(game.n_labs)]

    # --- playing ---------------------------------------------------------------------
    def submit(self, lab: int, orders: Orders | dict) -> Orders:
        """Validate and hold a human lab's orders (``OrdersError`` says what is wrong)."""
        return self.game.submit(lab, orders)

    def end_quarter(self) -> QuarterReport:
        """The bots decide, the quarter resolves, the campaign autosaves; returns the report."""
        game = self.game
        for lab, seat in self.bots.items():
            if game.alive(lab):
                decision = seat.decide(game, lab)
                if decision.orders is not None:
                    game.submit(lab, decision.orders)
        game.advance()
        self.autosave()
        return game.reports[-1]

    def poll(self) -> list[QuarterReport]:
        """The quarters resolved elsewhere since the last look (a shared class's seat); none here."""
        return []

    def class_line(self, lab: int) -> str | None:
        """What HQ says about a shared class's quarter (who is in, the time left); None here."""
        return None

    def end_refusal(self, lab: int) -> str | None:
        """Why ``lab`` cannot end the quarter now (a class held by its teacher), or None."""
        return None

    def rewind_refusal(self) -> str | None:
        """Why this campaign cannot go back (a shared class, a class without rewinds), or None."""
        return None

    def save_refusal(self) -> str | None:
        """Why the player has nothing to save by hand (a class keeps the team's game), or None."""
        return None

    def report_note(self, lab: int) -> str | None:
        """What the last quarter's report adds for a shared class's team (whose orders played); None here."""
        return None

    def played_by(self, lab: int) -> dict[int, str]:
        """Who gave ``lab``'s orders in the quarters its player did not (a class's autopilot), by
        quarter index: none in a campaign of one's own."""
        return {}

    def rewind(self, quarter: int) -> None:
        """Go back to the start of ``quarter`` (0-based) and play on from there, exactly."""
        self.game = self.game.rewind(quarter)
        for seat in self.bots.values():
            seat.new_game()

    def suggestion(self, lab: int, bot: str) -> Orders:
        """What the built-in bot ``bot`` would order for ``lab`` this quarter, from the same view
        of the world (the orders form's Suggest: a starting point the player changes), in the
        round numbers a player types: whole GPUs, researchers and cloud GPUs, tenths of a MW and
        of a $M, shares to the hundredth (amounts rounded toward zero, so none grows past what
        the bot could order)."""
        return typed_numbers(make_bot(bot).orders_for(self.game, lab), self.game.world.hub_ids)

    def preview(self, lab: int, orders: Orders) -> Preview:
        """What ``orders`` would do for ``lab`` this quarter (``session.forecast``)."""
        return forecast(self.game, lab, orders)

    # --- saving ------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Save the campaign (the quarters played) atomically to ``path``."""
        return save_game(self.game, path, self.seats)

    def autosave(self, folder: Path | None = None) -> Path:
        """Save to the next of ``AUTOSAVES`` rotating files; the oldest is replaced."""
        return self.save(autosave_path(self.autosave_name, self.game.quarter, folder))

    def export_folder(self) -> Path:
        """Where what a player exports (a debrief's Markdown) goes: the saves folder."""
        return saves_dir()


def _slug(name: str) -> str:
    keep = "".join(c.lower() if c.isalnum() else "-" for c in name).strip("-")
    return "-".join(part for part in keep.split("-") if part) or "lab"


def scenario_escape(scenario) -> str:
    """A scenario's escape-velocity condition in words, saying when it is the scenario's own."""
    return escape_condition(dominance_numbers(scenario), own=scenario.dominance is not None)


__all__ = ["WHOLE_ORDERS", "Campaign", "CapitalMarket", "Contender", "CovenantRisk", "Dominance", "contender_line", "Flywheel",
           "FlywheelLink", "Human", "LabMove",
           "Preview", "SaveInfo", "StageOutlook", "RUNWAY_SHORT", "STAGE_NAMES", "DEATH_ZONE_LOW", "DEATH_ZONE_HIGH",
           "ARCHETYPES", "AUTOSAVES", "DIFFICULTIES", "POSITIONS", "SUGGESTERS", "SAVES_ENV", "draw_rivals",
           "list_saves", "saves_dir", "scenario_escape", "warm_up"]
