"""Labs closing in on escape velocity: the early warning before a lab dominates (docs/design.md §4).

A lab dominates when it passes all three of escape velocity's tests at once, and the countdown
(HQ's banner, the news' WARNING, the rivals' "EV in N") starts then. In a scenario whose
condition is short (two quarters) that leaves one quarter to answer, so every player is also
told, from public figures, when a lab that does not dominate yet passes at least
``CLOSING_IN`` of every test.
"""

import math
from dataclasses import dataclass

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.metrics import biggest_rival, dominance_reach, quarters_to_escape
from blitzgame.formats import count

CLOSING_IN = 0.8  # a lab passing this share of each of the three tests, not yet all of them


@dataclass(frozen=True)
class Contender:
    """A lab closing in on dominance, and each test as it stands (public figures)."""

    lab: int
    name: str
    online: float  # GPUs online
    share: float
    rival_best: float  # GPUs online of the next-biggest lab
    gpus_needed: float  # dominance_gpus
    share_needed: float  # dominance_share
    lead: float  # dominance_lead: the multiple of the next lab's GPUs it needs
    quarters: int  # dominance_quarters: how long it must then dominate


def contenders(labs, names: list[str], params) -> list[Contender]:
    """Every living lab passing ``CLOSING_IN`` of each of escape velocity's tests but not all of them
    (``labs``: the state after a quarter); none once a lab has won."""
    out = []
    for k in range(labs.shape[0]):
        if labs[k, F.STATUS] != F.ALIVE or quarters_to_escape(labs, k, params) >= 0:
            continue
        if CLOSING_IN <= dominance_reach(labs, k, params) < 1.0:
            out.append(Contender(k, names[k], float(labs[k, F.ONLINE]), float(labs[k, F.SHARE]),
                                 float(biggest_rival(labs, k)), float(params[P.DOMINANCE_GPUS]),
                                 float(params[P.DOMINANCE_SHARE]), float(params[P.DOMINANCE_LEAD]),
                                 int(params[P.DOMINANCE_QUARTERS])))
    return out


def contender_line(c: Contender, lab: int | None = None) -> str:
    """What every player reads of a lab closing in (``lab``: the reader's own, said as "you")."""
    lead = math.floor(10.0 * c.online / c.rival_best) / 10.0 if c.rival_best > 0 else 0.0  # 4.99x reads 4.9x, not 5.0x
    tests = [f"{count(c.online)} GPUs online ({count(c.gpus_needed)} needed)",
             f"{lead:.1f}x the next lab's GPUs ({c.lead:g}x needed)" if c.rival_best > 0 else "no rival left",
             f"{c.share:.0%} of the market ({c.share_needed:.0%} needed)"]
    held = "a quarter" if c.quarters == 1 else f"{c.quarters} quarters in a row"
    who = "You are" if c.lab == lab else f"{c.name} is"
    return (f"{who} closing in on escape velocity: {', '.join(tests)}. Passing all three for {held} wins the race "
            "and ends the game.")


def escape_condition(numbers: dict[str, float], own: bool = False) -> str:
    """Escape velocity's condition in words, from ``session.world.dominance_numbers`` (``own``: the
    scenario sets its own)."""
    held = "a quarter" if numbers["quarters"] == 1 else f"{numbers['quarters']:g} quarters in a row"
    return (f"Escape velocity{' in this scenario' if own else ''}: {count(numbers['gpus'])} GPUs online, "
            f"{numbers['lead']:g}x the next lab's and {numbers['share']:.0%} of the market, held {held}, "
            "wins the race and ends the game.")
