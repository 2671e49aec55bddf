"""Per-quarter series of a game, read from its history: what the charts and debriefs plot.

Point 0 is the state at the start of the campaign; point k (k >= 1) is the state at the
end of the k-th quarter played, labelled with that quarter (as its report is). So a game
after ``n`` quarters has ``n + 1`` points. Values come straight from the snapshots in
``Game.history``; nothing is recomputed here except runway, which uses the engine's own
``runway`` on each snapshot.

Every lab's figures are here (a teacher's class report sees them all); a player's screen
shows rivals only the public ones (``PUBLIC_FIELDS``), as ``RivalView`` does.
"""

from dataclasses import dataclass

from blitzgame.engine import layout as F
from blitzgame.engine.metrics import runway

START_LABEL = "start"
# what the press knows about a rival (RivalView); cash and runway stay private
PUBLIC_FIELDS = ("gpus", "share", "revenue", "valuation")


@dataclass(frozen=True)
class LabSeries:
    """One lab's figures, one value per point of the game's series."""

    index: int
    name: str
    gpus: list[float]  # GPUs online (the race everyone sees)
    owned: list[float]  # GPUs owned, idle ones included
    stranded: list[float]  # GPUs idle for lack of power (M5), as the report and the lessons count them
    heat_dark: list[float]  # GPUs a heatwave took dark that quarter (M11), idle too but not for want of power
    cash: list[float]  # $M
    runway: list[float]  # quarters at that quarter's burn; 99 = cash-flow positive; 0 once out
    share: list[float]  # of the customers, 0..1 (revenue is capped by serving compute)
    revenue: list[float]  # $M that quarter
    valuation: list[float]  # $M
    score: list[float]  # points ($100M of founders' value each)
    status: list[str]  # alive / bankrupt / acquired


@dataclass(frozen=True)
class Series:
    """A game's history as chartable series (see the module docstring for the points)."""

    labels: list[str]  # "start", then the label of each quarter played
    labs: list[LabSeries]
    revenue_gap: list[float]  # industry capex / AI revenue, trailing 4 quarters
    sentiment: list[float]  # capital-market mood, 1 = normal
    spot: list[float]  # GPU spot multiplier on list price
    music_point: int | None  # the point of the quarter the music stopped, None if it has not

    @property
    def points(self) -> int:
        return len(self.labels)

    @property
    def quarters_played(self) -> int:
        return len(self.labels) - 1

    def lab(self, index: int) -> LabSeries:
        return self.labs[index]


def game_series(game) -> Series:
    """Every lab's and the world's figures at each point of ``game`` (a ``Game``)."""
    history = game.history
    labels = [START_LABEL] + [report.label for report in game.reports]
    labs = []
    for i, name in enumerate(game.names):
        rows = [snap.labs[i] for snap in history]
        labs.append(LabSeries(
            index=i, name=name,
            gpus=[float(r[F.ONLINE]) for r in rows],
            owned=[float(r[F.GPUS]) for r in rows],
            stranded=[float(r[F.STRANDED] - r[F.HEAT_DARK]) for r in rows],
            heat_dark=[float(r[F.HEAT_DARK]) for r in rows],
            cash=[float(r[F.CASH]) for r in rows],
            runway=[float(runway(snap.labs, i)) if snap.labs[i, F.STATUS] == F.ALIVE else 0.0 for snap in history],
            share=[float(r[F.SHARE]) for r in rows],
            revenue=[float(r[F.REVENUE]) for r in rows],
            valuation=[float(r[F.VALUATION]) for r in rows],
            score=[float(r[F.SCORE]) for r in rows],
            status=[F.STATUS_NAMES[float(r[F.STATUS])] for r in rows],
        ))
    music = int(history[-1].world[F.MUSIC_QUARTER])
    return Series(
        labels=labels, labs=labs,
        revenue_gap=[float(s.world[F.REVENUE_GAP]) for s in history],
        sentiment=[float(s.world[F.SENTIMENT]) for s in history],
        spot=[float(s.world[F.SPOT]) for s in history],
        music_point=music + 1 if music >= 0 else None,
    )


__all__ = ["PUBLIC_FIELDS", "START_LABEL", "LabSeries", "Series", "game_series"]
