"""Figures derived from a lab's state that players, bots and reports all read the same way."""

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import kernel

NO_BURN_RUNWAY = 99.0  # shown as "cash-flow positive"


@kernel
def burn(lab, i):
    """Net operating cash out per quarter: running costs minus operating income.

    Capex (GPUs, power builds) and debt repayment are choices, so they are left out.
    """
    spend = (lab[i, F.OUT_RENTAL] + lab[i, F.OUT_HIRING] + lab[i, F.OUT_PARTNER] + lab[i, F.OUT_POWER]
             + lab[i, F.OUT_PAYROLL] + lab[i, F.OUT_OVERHEAD] + lab[i, F.OUT_INTEREST]
             + lab[i, F.OUT_EFFICIENCY_RND] + lab[i, F.OUT_SILICON_RND] + lab[i, F.OUT_EVENTS])
    return spend - (lab[i, F.IN_REVENUE] + lab[i, F.IN_PARENT] + lab[i, F.IN_SUBSIDY])


@kernel
def runway(lab, i):
    """Quarters until cash runs out at last quarter's burn (NO_BURN_RUNWAY if none)."""
    b = burn(lab, i)
    if b <= 0.0:
        return NO_BURN_RUNWAY
    return min(NO_BURN_RUNWAY, max(lab[i, F.CASH], 0.0) / b)


@kernel
def quarters_to_escape(lab, i, params):
    """§5: quarters lab ``i`` must stay dominant to reach escape velocity; -1 while it is not dominant."""
    if lab[i, F.STATUS] != F.ALIVE or lab[i, F.DOMINANT_QUARTERS] <= 0.0:
        return -1.0
    return max(params[P.DOMINANCE_QUARTERS] - lab[i, F.DOMINANT_QUARTERS], 0.0)
