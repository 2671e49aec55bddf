"""What the front ends read of a campaign and its saves: frozen views of the figures, and the
thresholds the screens draw against (the stages, the death zone)."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from blitzgame.engine import layout as F
from blitzgame.engine.people import DEATH_ZONE_HIGH, DEATH_ZONE_LOW

STAGE_NAMES = F.STAGE_NAMES  # Experiment .. Dominator, by stage number
RUNWAY_SHORT = 4.0  # quarters: below this a lab's runway is short (HQ warns, the forecast says so)


def dark_share(stranded: float, heat_dark: float, idle: int) -> int:
    """Of ``idle`` GPUs as the screens write them (``stranded`` in fact), those a heatwave took
    dark: the rest are idle for want of power (the heatwave's take up the rounding, so a fleet
    with power to spare never reads "1 stranded for lack of power"). None without a heatwave:
    rounding alone never reads as GPUs dark."""
    from blitzgame.formats import ledger_values

    dark = min(heat_dark, stranded)
    if dark <= 0.0:
        return 0
    share = round(ledger_values("gpus", 0.0, [stranded - dark, dark], idle, pinned=(0,))[1][1])
    return min(max(share, 0), idle)


def idle_total(gpus: float, online: float) -> int:
    """A lab's GPUs owned but not running, whole: owned less running as each is written (rounded on
    its own), so the three figures add up wherever they stand together."""
    return max(round(gpus) - round(online), 0)


def idle_shown(gpus: float, online: float, stranded: float, heat_dark: float) -> tuple[int, int]:
    """A lab's GPUs owned but not running as every screen and report writes them (``idle_total``),
    split: (idle for want of power, M5; dark in a heatwave, M11)."""
    idle = idle_total(gpus, online)
    dark = dark_share(stranded, heat_dark, idle)
    return idle - dark, dark


@dataclass(frozen=True)
class Preview:
    """What the orders would do this quarter if rivals played as they did last quarter.

    A forecast from the real rules on a copy of the state with dice of its own. ``certain``
    names the figures that neither the rivals' orders nor the dice can change (the same
    whether rivals do nothing or ask for everything, whatever the dice): the quarter will
    show exactly them. The others (``low`` to ``high`` over those runs) depend on the
    shortage, the talent market, investors and luck."""

    spend: float  # $M of capex and choices: GPUs, power builds, rental, hiring, R&D
    cash_after: float
    runway: float  # quarters, at most 99: cash-flow positive, or 99 quarters and more (``burning`` says which)
    gpus_arriving: float
    gpus_online: float
    stranded: float  # GPUs without power after the quarter
    power_headroom: float  # GPUs more that built and building power could run
    grid_headroom_mw: float  # MW still free on the grids of the hubs it orders in (every hub if none)
    hires: float
    bankrupt: bool
    burning: bool = True  # the quarter would end with a net burn (its runway is cash over it), else cash-flow positive
    equity_in: float = 0.0  # $M investors would put in (of what was asked)
    debt_in: float = 0.0  # $M lenders would lend (of what was asked)
    grid_hubs: tuple[str, ...] = ()  # the hubs grid_headroom_mw adds up (names; empty: every hub)
    revenue: float = 0.0  # $M of revenue the quarter would earn: customers served with the compute not training
    valuation: float = 0.0  # $M the lab would be valued at after the quarter (winning.md)
    score: float = 0.0  # its score after the quarter: what the founders' stake of the value built is worth
    rented: float = 0.0  # cloud GPUs rented this quarter (M13): the cloud's pool is shared with the rivals that rent
    warnings: list[str] = field(default_factory=list)
    certain: frozenset[str] = frozenset()  # names of the figures above the quarter will show exactly
    low: dict[str, float] = field(default_factory=dict)  # each figure's lowest over the forecast's runs
    high: dict[str, float] = field(default_factory=dict)  # ... and highest

    def is_certain(self, name: str) -> bool:
        return name in self.certain


@dataclass(frozen=True)
class SaveInfo:
    """A save as the load screen lists it."""

    path: Path
    lab: str
    quarter: str  # the quarter about to be played, e.g. 2025Q3; "finished after 2031Q4" for an ended campaign
    scenario: str
    saved_at: datetime | None
    error: str = ""  # why it cannot be loaded, if it cannot


@dataclass(frozen=True)
class FlywheelLink:
    """One link of the flywheel (M2) and how it moved over the quarter just played."""

    name: str  # compute, talent, models, customers, revenue
    value: float  # now: effective compute, researchers, model quality, share, revenue $M
    change: float  # over the quarter just played
    relative: float  # change against the link's size at the start of the quarter


@dataclass(frozen=True)
class Flywheel:
    """The flywheel of a lab: its five links and the one that drove last quarter's change."""

    links: list[FlywheelLink]
    driver: str | None  # None before the first quarter is played


@dataclass(frozen=True)
class CapitalMarket:
    """The leading indicators of the music stopping (M8), as the press reports them."""

    sentiment: float  # 1 = normal
    sentiment_peak: float
    revenue_gap: float  # industry capex / AI revenue, trailing 4 quarters
    danger_gap: float  # past this gap, crash pressure builds
    music_stopped: bool
    music_quarter: str | None  # the quarter it stopped
    regime: str  # the endgame (M9), "undecided" until it shows
    chance_crash: bool = True  # False: the scenario's crash comes only on its schedule, pressure or not
    crash_rule: str = ""  # what stops the music in this world, in words (``crash.crash_rule``)
    music_can_stop: bool = True  # False: nothing stops it in this world (no chance crash, none scheduled)
    crash_chance: float = 0.0  # the chance the music stops by chance this quarter, at today's gap and mood
    crash_sources: str = ""  # what the pressure behind that chance comes from, a word each (``crash.chance_sources``)
    crash_scheduled: bool = False  # the scenario's schedule stops the music this quarter
    crash_next: bool = False  # ... as the next quarter opens: this quarter's rounds are the last before it
    quarters_since_stop: int = 0  # from the quarter the music stopped in to the one now being played (1: the next)


@dataclass(frozen=True)
class Dominance:
    """A lab heading to escape velocity (docs/design.md §4), and what would stop it, from public figures."""

    lab: int
    name: str
    quarters_left: int  # quarters it must still dominate; it wins when the last of them ends
    online: float  # its GPUs online
    share: float
    rival_best: float  # GPUs online of the next-biggest lab
    rival_break: float  # a rival with more GPUs online than this ends the dominance
    lead: float  # the lead it needs (dominance_lead: 4x)
    share_needed: float  # the share it needs (dominance_share: 60%)
    gpus_needed: float  # the GPUs online it needs (dominance_gpus: 100,000)


@dataclass(frozen=True)
class CovenantRisk:
    """A lab's debt close to its covenant line (M8): past it, the excess is due at once."""

    debt: float  # $M
    line: float  # $M: the covenant line (``covenant`` times what lenders would lend today)
    headroom: float  # how far what lenders lend may fall before the line is crossed (0 = crossed)
    covenant: float  # the line as a multiple of what lenders would lend (1.25)
    crash_lending: float | None  # what lenders lend after the music stops (0.5x); None once it has
    crash_due: str | None = None  # "as this quarter opens" or "as next quarter opens": the scenario's crash is due


@dataclass(frozen=True)
class StageOutlook:
    """Where a lab stands on the GPU scaling stages (M1) and what the next one takes."""

    stage: int
    name: str
    online: float
    next_name: str | None  # None at the top stage
    next_at: float | None  # GPUs online that reach it


@dataclass(frozen=True)
class LabMove:
    """A lab's public figures at the start and end of the quarter just played (the press)."""

    lab: int
    name: str
    status_before: str
    status: str
    gpus_before: float  # GPUs online
    gpus: float
    share_before: float
    share: float
    revenue: float
    valuation_before: float
    valuation: float


__all__ = ["CapitalMarket", "CovenantRisk", "Dominance", "Flywheel", "FlywheelLink", "LabMove", "Preview", "SaveInfo",
           "StageOutlook", "RUNWAY_SHORT", "STAGE_NAMES", "DEATH_ZONE_LOW", "DEATH_ZONE_HIGH"]
