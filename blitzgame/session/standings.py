"""Where every lab and the market stand at one point of a game: what front ends print.

The command line, the classroom's files and its leaderboard read a game through these
views rather than through the state arrays. Point ``k`` is ``game.history[k]``: 0 is the
start, the last point is now.
"""

from dataclasses import dataclass

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.engine.metrics import standing
from blitzgame.engine.people import in_death_zone
from blitzgame.engine.turn import stage

# why a game ended (``ending``), in the order ``engine.turn.victory`` tests it
ENDINGS = ("escape velocity", "campaign end", "no lab left", "last lab")
ESCAPE, CAMPAIGN_END, NO_LAB_LEFT, LAST_LAB = range(len(ENDINGS))


def ending(world: np.ndarray, labs: np.ndarray) -> np.ndarray:
    """Why an ended game ended, an index into ``ENDINGS``: a lab reached escape velocity, every
    quarter was played, no lab is left, or one lab is the last in the race. For one game
    (``world [W]``, ``labs [L, F]``) or a batch (``[G, W]``, ``[G, L, F]``), one code each."""
    alive = (labs[..., F.STATUS] == F.ALIVE).sum(axis=-1)
    return np.select([world[..., F.WINNER] >= 0, world[..., F.QUARTER] >= world[..., F.N_QUARTERS], alive == 0],
                     [ESCAPE, CAMPAIGN_END, NO_LAB_LEFT], LAST_LAB)


@dataclass(frozen=True)
class LabStanding:
    index: int
    name: str
    status: str  # alive / bankrupt / acquired
    alive: bool
    rank: int  # place in the table as it stands (1 = first)
    gpus: float  # GPUs online
    gpus_owned: float
    cash: float  # $M
    share: float  # of the customers, 0..1 (revenue is capped by serving compute)
    revenue: float  # $M that quarter
    valuation: float  # $M
    stake: float  # the founders' share of the lab, 0..1 (rounds sold dilute it)
    score: float  # points ($100M of founders' value each)
    stage_name: str  # M1
    in_death_zone: bool  # alive with 1,000-9,999 GPUs online (M7)
    won: bool  # reached escape velocity
    order: float  # the final table's order (``metrics.standing``), higher first: comparable across games


@dataclass(frozen=True)
class Standings:
    labs: list[LabStanding]  # in lab order
    sentiment: float  # capital-market mood, 1 = normal
    revenue_gap: float  # industry capex / AI revenue, 4 quarters
    spot: float  # GPU spot multiplier on list
    music_stopped: str | None  # the quarter the music stopped, None while it plays
    regime: str  # the endgame (M9), "undecided" until it shows
    winner: int | None  # the lab that reached escape velocity (its index), None if none did; first place is by_rank()[0]

    def by_rank(self) -> list[LabStanding]:
        return sorted(self.labs, key=lambda lab: (lab.rank, lab.index))


def standings(game, point: int = -1) -> Standings:
    """Every lab's figures and the market's at ``game.history[point]`` (default: now)."""
    snap = game.history[point]
    world = snap.world
    labs = []
    for i, row in enumerate(snap.labs):
        alive = bool(row[F.STATUS] == F.ALIVE)
        labs.append(LabStanding(
            index=i, name=game.names[i], status=F.STATUS_NAMES[float(row[F.STATUS])], alive=alive,
            rank=int(row[F.RANK]), gpus=float(row[F.ONLINE]), gpus_owned=float(row[F.GPUS]), cash=float(row[F.CASH]),
            share=float(row[F.SHARE]), valuation=float(row[F.VALUATION]),
            # (leaving the race zeroes a lab's revenue; what it earned in the quarter it left stays in the flows)
            revenue=float(row[F.REVENUE] if alive else row[F.IN_REVENUE]),
            stake=float(row[F.STAKE]), score=float(row[F.SCORE]), stage_name=F.STAGE_NAMES[stage(row[F.ONLINE])],
            in_death_zone=alive and bool(in_death_zone(row[F.ONLINE])), won=int(world[F.WINNER]) == i,
            order=float(standing(snap.labs, i, world))))
    music, winner = int(world[F.MUSIC_QUARTER]), int(world[F.WINNER])
    return Standings(
        labs=labs, sentiment=float(world[F.SENTIMENT]), revenue_gap=float(world[F.REVENUE_GAP]),
        spot=float(world[F.SPOT]), music_stopped=game.world.label(music) if music >= 0 else None,
        regime=F.REGIME_NAMES[int(world[F.REGIME])], winner=winner if winner >= 0 else None)


__all__ = ["LabStanding", "Standings", "standings"]
