"""A campaign as the front ends play it: human labs and bot rivals around one game.

``Campaign`` adds to a ``Game`` who sits in each seat (a human, or a bot by name), the
new-game choices (position, home hub, rivals, difficulty), last quarter's orders as the
defaults of the next, a live preview of orders, autosaves and rewind. It is the TUI's
whole view of the rules: the screens call it and never re-implement them. What it shows
them is in ``views``; ``saves_folder``, ``rivals`` and ``warmup`` are re-exported here.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from blitzgame.bots.loader import make_bot
from blitzgame.bots.sandbox import InProcessSeat
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.markets import heat_slices
from blitzgame.engine.metrics import (
    COVENANT_WARNING,
    biggest_rival,
    covenant_headroom,
    covenant_line,
    dominance_break,
    quarters_to_escape,
    runway,
)
from blitzgame.engine.params import PARAM_NAMES
from blitzgame.engine.people import in_death_zone
from blitzgame.engine.rng import STREAM_EVENT, STREAM_EXPORT, STREAM_MUSIC, STREAM_TRAIN, STREAM_TRAIN_GAIN, fixed_luck, game_key
from blitzgame.engine.turn import regime_slices, resolve_quarter, stage
from blitzgame.limits import MAX_GPU_ORDER, MAX_LABS, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE, MIN_LABS
from blitzgame.schemas.orders import Orders
from blitzgame.session.game import Game, SetupError
from blitzgame.session.report import QuarterReport, financing_lines
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
from blitzgame.session.world import LabSetup, World, compile_world, default_setups

POSITIONS = ("startup", "challenger", "incumbent")
PREVIEW_GAME = 0x5EED_0F_0BE5  # a game id of its own: previews never show the real dice
FORECAST_EXACT = 1e-9  # relative: a figure that moves less than this between the forecast's runs is certain
# the draws that decide by a threshold (a run succeeds, an outage strikes, the music stops, export
# controls start): the forecast tries every combination of each one's two sides
THRESHOLD_STREAMS = (STREAM_TRAIN, STREAM_TRAIN_GAIN, STREAM_EVENT, STREAM_MUSIC, STREAM_EXPORT)


def luck_to_try(params: np.ndarray, hubs: np.ndarray) -> list[int]:
    """Fixed-luck keys (``engine.rng.fixed_luck``) that between them take every side of every
    chance of a quarter: each combination of the threshold draws' two sides with no heatwave,
    then a draw in each heatwave slice and each endgame slice with every threshold low, then high."""
    past_heat = max([hi for _, hi in heat_slices(hubs)] + [0.0])
    no_heat = (past_heat + 1.0) / 2.0
    keys = []
    for combo in range(1 << len(THRESHOLD_STREAMS)):
        high = sum(1 << stream for k, stream in enumerate(THRESHOLD_STREAMS) if combo >> k & 1)
        keys.append(fixed_luck(high, no_heat))
    every = sum(1 << stream for stream in THRESHOLD_STREAMS)
    for lo, hi in heat_slices(hubs) + regime_slices(params):
        if hi > lo:
            keys += [fixed_luck(0, (lo + hi) / 2.0), fixed_luck(every, (lo + hi) / 2.0)]
    return keys


def all_out(hub_ids: tuple[str, ...]) -> Orders:
    """A rival asking for everything the orders form allows: every GPU, MW, rented GPU, hire,
    dollar of equity and of debt, at the top price and pay (the forecast's harshest rival)."""
    return Orders(gpus={hub: MAX_GPU_ORDER for hub in hub_ids}, power_mw={hub: MAX_MW_ORDER for hub in hub_ids},
                  premium=1.0, rent=MAX_GPU_ORDER, hire=MAX_PEOPLE, package=100.0, equity=MAX_MONEY,
                  debt=MAX_MONEY, bid=MAX_MONEY)


def rivals_to_try(last: list[Orders], hub_ids: tuple[str, ...]) -> list[list[Orders]]:
    """The rivals the forecast plays against, each a list of every lab's orders: as last quarter,
    doing nothing, and asking for everything (also without GPUs, and without GPUs or power: a
    rival's cash goes to GPUs first, so only then does it press on the grid, then on the cloud
    and the talent pool); and each of those with and without a bid for a lab in distress (a bid
    decides between a sale to a rival and a fire sale)."""
    n = len(last)
    everything = all_out(hub_ids)
    no_gpus = everything.model_copy(update={"gpus": {}})
    no_build = no_gpus.model_copy(update={"power_mw": {}})
    out = []
    for orders in (last, [Orders()] * n, [everything] * n, [no_gpus] * n, [no_build] * n):
        out.append(orders)
        out.append([o.model_copy(update={"bid": 0.0 if o.bid > 0.0 else MAX_MONEY}) for o in orders])
    return out


def forecast_figures(labs: np.ndarray, world: np.ndarray, lab: int, orders: Orders, w: World) -> dict[str, float]:
    """The figures the orders forecast shows, read off lab ``lab`` after a quarter (``Preview``).
    The same function reads the real quarter's outcome, so forecast and outcome are compared alike."""
    row = labs[lab]
    hubs = range(len(w.hub_ids))
    per_mw = w.hubs[:, F.HP_GPUS_PER_MW]
    powered = sum((row[F.HUB_MW + h] + sum(row[F.HUB_MW_PIPE + h * F.PIPE + k] for k in range(F.PIPE))) * per_mw[h]
                  for h in hubs)
    ordered_in = [h for h, hub in enumerate(w.hub_ids) if orders.gpus.get(hub, 0) > 0 or orders.power_mw.get(hub, 0) > 0]
    return {
        "spend": float(sum(row[f] for f in (F.OUT_GPUS, F.OUT_POWER_BUILD, F.OUT_RENTAL, F.OUT_HIRING,
                                            F.OUT_EFFICIENCY_RND, F.OUT_SILICON_RND))),
        "cash_after": float(row[F.CASH]),
        "runway": float(runway(labs, lab)),
        "gpus_arriving": float(row[F.GPUS_DELIVERED]),
        "gpus_online": float(row[F.ONLINE]),
        "stranded": float(row[F.STRANDED]),
        "power_headroom": float(powered - row[F.GPUS] - row[F.BACKLOG]),
        "grid_headroom_mw": float(sum(world[F.HEADROOM + h] for h in (ordered_in or hubs))),
        "hires": float(row[F.HIRES_WON]),
    }


@dataclass(frozen=True)
class Human:
    """A human player's lab at the start: its name, position and home hub."""

    name: str
    position: str = "startup"
    hub: str = "virginia"


class Campaign:
    """One campaign: the game, who plays each lab, and the player-facing services."""

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
            rivals: list[str | None] | int = 4, difficulty: str = "normal") -> "Campaign":
        """A new campaign: ``humans`` take the first seats, then ``rivals`` (bot names, or
        a count drawn from the difficulty's pool with the seed) fill the scenario's roster.
        A ``None`` in a list of rivals is drawn from the pool too, the others kept."""
        world = scenario if isinstance(scenario, World) else compile_world(scenario)
        if difficulty not in DIFFICULTIES:
            raise SetupError(f"unknown difficulty {difficulty!r}; expected one of {', '.join(DIFFICULTIES)}")
        if not humans:
            raise SetupError("a campaign needs at least one human lab")
        if isinstance(rivals, int):
            rivals = draw_rivals(rivals, seed, difficulty)
        elif None in rivals:
            drawn = iter(draw_rivals(sum(r is None for r in rivals), seed, difficulty))
            rivals = [next(drawn) if r is None else r for r in rivals]
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
        setups = [LabSetup(h.name.strip(), h.position, h.hub) for h in humans] + roster[:len(rivals)]
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
        return self.game.orders_log[-1][lab]

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
            pressure=float(world[F.MUSIC_PRESSURE]), music_stopped=bool(world[F.MUSIC_STOPPED] > 0),
            music_quarter=game.world.label(music) if music >= 0 else None,
            regime=F.REGIME_NAMES[int(world[F.REGIME])],
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

    def covenant_risk(self, lab: int) -> CovenantRisk | None:
        """The lab's debt covenant if it is close to tripping (M8), else None."""
        game = self.game
        labs, world, params = game.state_labs, game.state_world, game.world.params
        if labs[lab, F.STATUS] != F.ALIVE or labs[lab, F.DEBT] <= 0.0:
            return None
        headroom = float(covenant_headroom(labs, lab, world, params))
        if headroom >= COVENANT_WARNING:
            return None
        return CovenantRisk(
            debt=float(labs[lab, F.DEBT]), line=float(covenant_line(labs, lab, world, params)),
            headroom=max(headroom, 0.0), covenant=float(params[P.COVENANT]),
            crash_lending=None if world[F.MUSIC_STOPPED] > 0 else float(params[P.CRASH_LENDING]))

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
        report = game.advance()
        self.autosave()
        return report

    def rewind(self, quarter: int) -> None:
        """Go back to the start of ``quarter`` (0-based) and play on from there, exactly."""
        self.game = self.game.rewind(quarter)
        for seat in self.bots.values():
            seat.new_game()

    def preview(self, lab: int, orders: Orders) -> Preview:
        """What ``orders`` would do for ``lab`` this quarter (see ``Preview``).

        The real engine resolves the quarter on a copy of the real state: first with the rivals
        playing last quarter's orders and dice of the forecast's own (the figures shown), then
        with the rivals playing as last quarter, doing nothing, and asking for everything the
        orders form allows, each under every luck of ``luck_to_try``. A figure the same in all of
        them depends on neither the rivals nor the dice (``Preview.certain``); the others show
        the range seen."""
        game = self.game
        w = game.world
        last = game.orders_log[-1] if game.orders_log else [Orders()] * game.n_labs
        shown, labs, world = self._forecast(lab, orders, self._table(lab, orders, last), game_key(game.seed, PREVIEW_GAME))
        seen = [shown]
        luck = luck_to_try(w.params, w.hubs)
        for rivals in rivals_to_try(last, w.hub_ids):
            table = self._table(lab, orders, rivals)
            seen += [self._forecast(lab, orders, table, key)[0] for key in luck]
        low = {name: min(f[name] for f in seen) for name in shown}
        high = {name: max(f[name] for f in seen) for name in shown}
        certain = frozenset(name for name in shown if high[name] - low[name] <= FORECAST_EXACT * max(1.0, abs(high[name])))
        row = labs[lab]
        warnings = []
        bankrupt = row[F.STATUS] != F.ALIVE
        if bankrupt:
            warnings.append("These orders run the lab out of cash this quarter.")
        elif runway(labs, lab) < RUNWAY_SHORT:
            warnings.append(f"Runway after this quarter: {runway(labs, lab):.1f} quarters.")
        if shown["power_headroom"] < -0.5:
            warnings.append(f"{-shown['power_headroom']:,.0f} GPUs owned or on order have no power built or building.")
        if row[F.GPUS_WANTED] < sum(orders.gpus.values()) - 0.5:
            warnings.append("You cannot pay for all the GPUs ordered; vendors take what your cash covers.")
        short = (orders.equity > 0 and row[F.IN_EQUITY] < orders.equity - 0.5
                 or orders.debt > 0 and row[F.IN_DEBT] < orders.debt - 0.5)
        if short:  # the report's own words for a round or a loan that falls short
            warnings += [line for line in financing_lines(game.state_labs[lab], row, game.state_world, world,
                                                          orders.debt, w.params)
                         if not line.startswith(("Raised", "Borrowed"))]
        return Preview(
            spend=shown["spend"], cash_after=shown["cash_after"], runway=shown["runway"],
            gpus_arriving=shown["gpus_arriving"], gpus_online=shown["gpus_online"], stranded=shown["stranded"],
            power_headroom=shown["power_headroom"], grid_headroom_mw=shown["grid_headroom_mw"], hires=shown["hires"],
            bankrupt=bool(bankrupt), warnings=warnings, certain=certain, low=low, high=high,
        )

    def _table(self, lab: int, orders: Orders, rivals: list[Orders]) -> np.ndarray:
        """The quarter's orders table: ``lab`` plays ``orders``, every other lab its entry of ``rivals``."""
        game = self.game
        table = np.zeros((game.n_labs, F.ORDER_FIELDS))
        for other in range(game.n_labs):
            (orders if other == lab else rivals[other]).to_array(game.world.hub_ids, table[other])
        return table

    def _forecast(self, lab: int, orders: Orders, table: np.ndarray, key) -> tuple[dict[str, float], np.ndarray,
                                                                                  np.ndarray]:
        """One resolution of the quarter on a copy of the state with the orders ``table`` and dice
        ``key``. Returns the forecast's figures for ``lab``, the labs and the world."""
        game = self.game
        w = game.world
        labs = game.state_labs.copy()
        world = game.state_world.copy()
        resolve_quarter(labs, world, table, w.params, w.hubs, w.sched, key)
        return forecast_figures(labs, world, lab, orders, w), labs, world

    # --- saving ------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Save the campaign (the quarters played) atomically to ``path``."""
        return save_game(self.game, path, self.seats)

    def autosave(self, folder: Path | None = None) -> Path:
        """Save to the next of ``AUTOSAVES`` rotating files; the oldest is replaced."""
        return self.save(autosave_path(self.autosave_name, self.game.quarter, folder))


def _slug(name: str) -> str:
    keep = "".join(c.lower() if c.isalnum() else "-" for c in name).strip("-")
    return "-".join(part for part in keep.split("-") if part) or "lab"


__all__ = ["Campaign", "CapitalMarket", "CovenantRisk", "Dominance", "Flywheel", "FlywheelLink", "Human", "LabMove",
           "Preview", "SaveInfo", "StageOutlook", "RUNWAY_SHORT", "STAGE_NAMES", "DEATH_ZONE_LOW", "DEATH_ZONE_HIGH",
           "ARCHETYPES",
           "AUTOSAVES", "DIFFICULTIES", "POSITIONS", "PREVIEW_GAME", "SAVES_ENV", "all_out", "draw_rivals",
           "forecast_figures", "list_saves", "luck_to_try", "rivals_to_try", "saves_dir", "warm_up"]
