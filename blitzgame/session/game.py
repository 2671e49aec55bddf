"""A game in progress: new game, orders in, a quarter resolved, reports and history out.

A game is fully determined by (scenario, seed, lab setups, orders log): saves, replays,
rewind and tournaments all rebuild a game by replaying its log through the core.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.engine.rng import game_key
from blitzgame.engine.turn import resolve_quarter
from blitzgame.limits import MAX_LABS, MAX_SEED, MAX_WORLD_LABS, MIN_LABS, MIN_SEED, is_seed
from blitzgame.schemas.assets import POSITIONS
from blitzgame.schemas.orders import Orders, OrdersError, validate_orders, write_rows
from blitzgame.session.observe import fixed_views, observe, public_views
from blitzgame.session.report import QuarterReport, build_report
from blitzgame.session.world import LabSetup, World, compile_world, default_setups, initial_labs, initial_world

NOTHING = Orders()  # a lab that sent no orders: do nothing (orders are frozen, so one serves every lab)


class SetupError(ValueError):
    """A game that cannot be started as asked; the message says why."""


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The state at the start of a quarter (after the previous one resolved)."""

    labs: np.ndarray
    world: np.ndarray


def check_seed(seed: object) -> int:
    """A seed is a whole number 0..2**63-1; anything else is refused."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise SetupError(f"seed must be a whole number, got {seed!r}")
    if not is_seed(int(seed)):
        raise SetupError(f"seed must be between {MIN_SEED} and {MAX_SEED}, got {seed}")
    return int(seed)


class Reports(Sequence[QuarterReport]):
    """A game's quarter reports, oldest first, each written the first time it is read: the
    report of quarter k is made from the snapshots before and after it and the orders played
    (``report.build_report``), so a headless game or a tournament that never reads a report
    never pays for one."""

    def __init__(self, game: "Game") -> None:
        self._game = game
        self._made: dict[int, QuarterReport] = {}

    def __len__(self) -> int:
        return len(self._game.orders_log)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(len(self)))]
        n = len(self)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError(f"no report {k}: {n} quarters played")
        report = self._made.get(k)
        if report is None:
            g = self._game
            report = self._made[k] = build_report(g, g.history[k], g.history[k + 1], g.orders_log[k])
        return report


class Game:
    """One game: labs, their pending orders, history and reports."""

    def __init__(self, world: World, seed: int, setups: list[LabSetup], game_id: int = 0) -> None:
        self.world = world
        self.seed = check_seed(seed)
        self.game_id = check_seed(game_id)
        if not MIN_LABS <= len(setups) <= MAX_WORLD_LABS:
            raise SetupError(f"a game needs {MIN_LABS}-{MAX_WORLD_LABS} labs, got {len(setups)}")
        names = [s.name for s in setups]
        if len(set(names)) != len(names):
            raise SetupError(f"lab names must be unique, got {names}")
        for setup in setups:
            if setup.hub not in world.hub_ids:
                raise SetupError(f"lab {setup.name!r}: unknown hub {setup.hub!r}; expected one of {', '.join(world.hub_ids)}")
            if setup.position not in POSITIONS:
                raise SetupError(f"lab {setup.name!r}: unknown position {setup.position!r}; "
                                 f"expected one of {', '.join(POSITIONS)}")
        self.setups = list(setups)
        self.state_world = initial_world(world)
        self.state_labs = initial_labs(world, self.setups, self.state_world)
        self.key = game_key(self.seed, self.game_id)
        self._orders = np.zeros((len(setups), F.ORDER_FIELDS))
        self.pending: dict[int, Orders] = {}
        self.orders_log: list[list[Orders]] = []
        self.history: list[Snapshot] = [self._snapshot()]
        self.reports = Reports(self)
        self._public = None  # observe.public_views: made at the quarter's first observation
        self._fixed = None  # observe.fixed_views: what observations show that no quarter changes, made once

    @classmethod
    def new(cls, scenario: str | World = "base-2024", seed: int = 0,
            labs: int | list[LabSetup] | None = None, game_id: int = 0) -> "Game":
        """A new game of a scenario; ``labs`` is a count (the scenario's roster) or setups."""
        world = scenario if isinstance(scenario, World) else compile_world(scenario)
        if labs is None or isinstance(labs, int):
            if labs is not None and not MIN_LABS <= labs <= MAX_LABS:
                raise SetupError(f"a game needs {MIN_LABS}-{MAX_LABS} labs, got {labs}")
            labs = default_setups(world, labs)
        return cls(world, seed, labs, game_id)

    @classmethod
    def replay(cls, world: World, seed: int, setups: list[LabSetup],
               orders_log: list[list[Orders]], game_id: int = 0, stop_at_end: bool = False) -> "Game":
        """Rebuild a game by playing its orders log again (with ``stop_at_end``, a log that
        runs past the end of the game is played up to it: the game went otherwise)."""
        game = cls(world, seed, setups, game_id)
        for quarter in orders_log:
            if game.over and stop_at_end:
                break
            if game.over:
                raise SetupError("the orders log runs past the end of the game")
            if len(quarter) != len(setups):
                raise SetupError(f"each quarter of the log needs orders for {len(setups)} labs, got {len(quarter)}")
            for lab, orders in enumerate(quarter):
                game.submit(lab, orders)
            game.advance()
        return game

    # --- reading the game -------------------------------------------------------
    @property
    def quarter(self) -> int:
        """Quarters already played (0 before the first)."""
        return int(self.state_world[F.QUARTER])

    @property
    def label(self) -> str:
        return self.world.label(self.quarter)

    @property
    def progress(self) -> str:
        """Where the campaign stands, as a title or a message says it: the quarter about to be
        played, or once it is over "finished after" its last quarter."""
        if not self.over:
            return self.label
        return f"finished after {self.world.label(self.quarter - 1)}" if self.quarter else "finished"

    @property
    def over(self) -> bool:
        return bool(self.state_world[F.GAME_OVER] > 0.0)

    @property
    def n_labs(self) -> int:
        return len(self.setups)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.setups]

    def alive(self, lab: int) -> bool:
        """Whether lab ``lab`` is still in the race (neither bankrupt nor acquired)."""
        self._check_lab(lab)
        return bool(self.state_labs[lab, F.STATUS] == F.ALIVE)

    def alive_labs(self) -> list[bool]:
        """Whether each lab is still in the race, in lab order."""
        return (self.state_labs[:, F.STATUS] == F.ALIVE).tolist()

    def observe(self, lab: int):
        """What lab ``lab`` sees now: its own state in full, rivals' public figures."""
        self._check_lab(lab)
        if self._public is None:  # (``advance`` forgets it)
            if self._fixed is None:
                self._fixed = fixed_views(self)
            self._public = public_views(self, self._fixed)  # the same for every lab this quarter
        return observe(self, lab, self._public)

    def refresh_views(self) -> None:
        """Forget the views made this quarter: after the state arrays were changed by hand (a tool,
        a test), the next observation reads them again. Playing never needs it."""
        self._public = None
        self._fixed = None

    def digest(self) -> str:
        """SHA-256 of the exact state bytes: equal digests mean bit-identical games."""
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(self.state_labs).tobytes())
        h.update(np.ascontiguousarray(self.state_world).tobytes())
        return h.hexdigest()

    # --- playing ----------------------------------------------------------------
    def submit(self, lab: int, orders: Orders | dict, checked: bool = False) -> Orders:
        """Validate and hold a lab's orders for this quarter; bad orders change nothing.
        ``checked``: ``orders`` is what ``validate_orders`` returned for this game's hubs (a
        seat's decision), so it is held as it is."""
        self._check_lab(lab)
        if self.over:
            raise OrdersError("the game is over; no more orders")
        checked = orders if checked and isinstance(orders, Orders) else validate_orders(orders, self.world.hub_ids)
        self.pending[lab] = checked
        return checked

    def advance(self) -> None:
        """Resolve the quarter with the pending orders (none = do nothing); its report is
        ``reports[-1]``."""
        if self.over:
            raise OrdersError("the game is over")
        played = [self.pending.get(i, NOTHING) for i in range(self.n_labs)]
        write_rows(played, self.world.hub_ids, self._orders)
        w = self.world
        resolve_quarter(self.state_labs, self.state_world, self._orders, w.params, w.hubs, w.sched, self.key)
        self.pending = {}
        self._public = None
        self.orders_log.append(played)
        self.history.append(self._snapshot())

    def rewind(self, quarter: int) -> "Game":
        """A new game at the start of ``quarter`` (0-based), replayed exactly from the log."""
        if not 0 <= quarter <= self.quarter:
            raise SetupError(f"can rewind to quarters 0..{self.quarter}, not {quarter}")
        return Game.replay(self.world, self.seed, self.setups, self.orders_log[:quarter], self.game_id)

    def _snapshot(self) -> Snapshot:
        return Snapshot(self.state_labs.copy(), self.state_world.copy())

    def _check_lab(self, lab: int) -> None:
        if type(lab) is int and 0 <= lab < len(self.setups):
            return  # (the common case first: every observation and every order passes here)
        if not isinstance(lab, (int, np.integer)) or not 0 <= lab < self.n_labs:
            raise OrdersError(f"no lab {lab!r}; labs are 0..{self.n_labs - 1}")
