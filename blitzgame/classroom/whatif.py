"""The what-if of a team's debrief: its game replayed from its worst quarter by the best archetype.

**The worst quarter.** For a team whose lab ran out of cash (bankrupt or acquired), it is
the start of the fatal spiral: the first of the run of quarters in which its cash never
rose (a lab living at $0 on fire sales is in it), up to and including the quarter the cash
ran out. For any other team, it is the quarter from which the lab lost the most ground to
its rivals: its score less its rivals' average score, in points (so it means something when
every score is near 0, and a crash that hits every lab alike moves it little), fell most from
the start of that quarter to the end of a later one (a slip in one quarter, or a slow decline
over many, such as a team that stopped giving orders), among the quarters that leave at
least ``PLAY_ON`` quarters to play on when the campaign is long enough. A lab that lost
ground only nearer the end is replayed from ``PLAY_ON`` quarters before it; one that never
lost ground gets quarter 1: the what-if replays its whole campaign.

**The rewind.** A game is fully determined by its scenario, seed and orders log, so
``Game.rewind`` rebuilds the exact state at the start of that quarter.

**The best archetype.** From there each of the six archetypes (M10) plays the team's lab
to the horizon, the bot rivals playing as they do in every game of the class and other
people's labs (the other teams of a shared class) giving the orders they gave; the best is the
one with the best outcome (still in the race first, then the highest score). A team whose
lab a bot played (``class autoplay``) is not compared with that same bot. The horizon
is the end of the campaign when the team's game is over (or its lab out), else the quarter
the team has reached, so actual and what-if are compared at the same point.
"""

from dataclasses import dataclass, field

from blitzgame.session.campaign import ARCHETYPES
from blitzgame.session.series import game_series
from blitzgame.session.standings import Standings, standings

PLAY_ON = 2  # quarters a what-if plays at least, when the campaign has them
FLAT = 0.5  # $M: cash that moved less than this did not rise
SHOWN = 0.05  # points: ground lost smaller than the 0.1 of a point the report shows is none


@dataclass(frozen=True)
class Line:
    """One way the rest of the game went: the team's own orders, or an archetype's."""

    who: str  # "actual" or an archetype's name
    status: str  # alive / bankrupt / acquired, at the horizon
    rank: int
    score: float
    valuation: float
    gpus: float
    cash: float
    won: bool  # reached escape velocity
    order: float  # its place in the final table (``Standings``' order), higher first
    scores: list[float]  # the lab's score at each point from the worst quarter's start to the horizon

    @property
    def outcome(self) -> str:
        if self.won:
            return "dominance win"
        return "in the race" if self.status == "alive" else self.status  # (the leaderboard's "survival" is another outcome)


@dataclass(frozen=True)
class WhatIf:
    """The what-if of one team (see the module docstring)."""

    quarter: int  # 0-based index of the worst quarter (the rewind goes to its start)
    label: str  # e.g. 2025Q3
    reason: str  # why this quarter, in a sentence
    horizon: int  # quarters played at the end of every line
    actual: Line
    lines: list[Line]  # one per archetype, best first
    labels: list[str] = field(default_factory=list)  # the points of ``Line.scores``

    @property
    def best(self) -> Line:
        return self.lines[0]

    @property
    def improved(self) -> bool:
        """Whether the best archetype did better than the team from the worst quarter on (the final
        table's order: outcome, then score)."""
        return self.best.order > self.actual.order


def worst_quarter(game, lab: int) -> tuple[int, str]:
    """The worst quarter of ``lab`` (0-based) and why (see the module docstring)."""
    points = [standings(game, k) for k in range(len(game.history))]
    played = len(points) - 1
    exit_point = next((k for k in range(1, len(points)) if not points[k].labs[lab].alive), None)
    if exit_point is not None:
        start = exit_point
        while start > 1 and points[start - 1].labs[lab].cash <= points[start - 2].labs[lab].cash + FLAT:
            start -= 1
        q = start - 1
        ran_out = game.world.label(exit_point - 1)
        if q == exit_point - 1:
            return q, f"the lab ran out of cash in {ran_out}"
        return q, (f"from {game.world.label(q)} the lab's cash never rose until it ran out in {ran_out}: "
                   "the start of its fatal spiral")
    last = played - PLAY_ON if played > PLAY_ON else 0  # the last quarter that leaves PLAY_ON to play on
    ahead = [_ahead(point, lab) for point in points]
    falls = [(ahead[k] - ahead[j], -k, j) for k in range(played) for j in range(k + 1, played + 1)]
    fall, at, to = max((f for f in falls if -f[1] <= last), default=(0.0, 0, 0))
    worst = -at
    if fall < SHOWN:
        late, at, to = max(falls, default=(0.0, 0, 0))
        if late < SHOWN:
            return 0, ("the lab never lost ground to its rivals (its score never fell against their average), so "
                       "the what-if replays the whole campaign")
        return last, (f"the lab lost ground to its rivals only {_span(game, -at, to - 1)} ({late:,.1f} points "
                      "against their average score), too near the "
                      f"end to replay from; the what-if replays from {game.world.label(last)}, {PLAY_ON} quarters "
                      "before the end")
    then, now = points[worst], points[to]
    return worst, (f"{_span(game, worst, to - 1)} the lab lost the most ground to "
                   f"its rivals: its score went {then.labs[lab].score:,.1f} -> {now.labs[lab].score:,.1f} while "
                   f"their average went {_rivals(then, lab):,.1f} -> {_rivals(now, lab):,.1f}, {fall:,.1f} points "
                   "lost against them")


def _span(game, first: int, last: int) -> str:
    """Quarters ``first`` .. ``last`` in words: "from 2024Q2 to 2025Q1", or "in 2024Q4" for one."""
    if first == last:
        return f"in {game.world.label(first)}"
    return f"from {game.world.label(first)} to {game.world.label(last)}"


def _rivals(point: Standings, lab: int) -> float:
    """The average score of ``lab``'s rivals (every other lab, those out of the race at their last score)."""
    others = [other.score for k, other in enumerate(point.labs) if k != lab]
    return sum(others) / len(others) if others else 0.0


def _ahead(point: Standings, lab: int) -> float:
    """How far ``lab``'s score stands above its rivals' average, in points."""
    return point.labs[lab].score - _rivals(point, lab)


def what_if(game, lab: int, seats: list[str | None], archetypes: tuple[str, ...] = ARCHETYPES,
            played_by: dict[int, str] | None = None) -> WhatIf | None:
    """The what-if of ``lab`` in ``game``; None before the first quarter is played. ``played_by``:
    the bot that gave the lab's orders in each quarter a bot did (a class team autoplayed, or its
    autopilot); those that played from the rewind on are left out (their line is the actual one)."""
    from blitzgame.bots.sandbox import InProcessSeat

    if game.quarter == 0:
        return None
    quarter, reason = worst_quarter(game, lab)
    finished = game.over or not game.alive(lab)
    horizon = game.world.scenario.quarters if finished else game.quarter
    lines = []
    others = [k for k, seat in enumerate(seats) if seat is None and k != lab]
    left_out = {bot for q, bot in (played_by or {}).items() if q >= quarter}
    for name in (name for name in archetypes if name not in left_out):
        replay = game.rewind(quarter)
        players = {k: InProcessSeat(seat) for k, seat in enumerate(seats) if seat is not None}
        players[lab] = InProcessSeat(name)
        for seat in players.values():
            seat.new_game()
        while not replay.over and replay.quarter < horizon:
            for k in others:  # other people's labs (a shared class's teams) give the orders they gave
                if replay.alive(k) and replay.quarter < len(game.orders_log):
                    replay.submit(k, game.orders_log[replay.quarter][k])
            for k, seat in players.items():
                if replay.alive(k):
                    decision = seat.decide(replay, k)
                    if decision.orders is not None:
                        replay.submit(k, decision.orders)
            replay.advance()
        lines.append(_line(name, replay, lab, quarter))
    lines.sort(key=lambda line: line.order, reverse=True)  # the final table's order
    # point k is the state after k quarters (labelled with the quarter just played), the first the rewind's
    labels = [f"before {game.world.label(quarter)}"] + [game.world.label(k - 1) for k in range(quarter + 1, horizon + 1)]
    return WhatIf(quarter, game.world.label(quarter), reason, horizon, _line("actual", game, lab, quarter), lines, labels)


def _line(who: str, game, lab: int, quarter: int) -> Line:
    me = standings(game).labs[lab]
    return Line(who=who, status=me.status, rank=me.rank, score=me.score, valuation=me.valuation, gpus=me.gpus,
                cash=me.cash, won=me.won, order=me.order,
                scores=game_series(game).lab(lab).score[quarter:])


__all__ = ["Line", "WhatIf", "what_if", "worst_quarter"]
