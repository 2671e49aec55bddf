"""Figures derived from a lab's state that players, bots and reports all read the same way."""

from blitzgame.engine import layout as F
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
