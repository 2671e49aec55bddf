"""Figures derived from a lab's state that players, bots and reports all read the same way."""

from blitzgame.engine.jit import kernel
from blitzgame.engine.layout import (
    CASH,
    IN_PARENT,
    IN_REVENUE,
    IN_SUBSIDY,
    OUT_EFFICIENCY_RND,
    OUT_EVENTS,
    OUT_HIRING,
    OUT_INTEREST,
    OUT_OVERHEAD,
    OUT_PARTNER,
    OUT_PAYROLL,
    OUT_POWER,
    OUT_RENTAL,
    OUT_SILICON_RND,
)

NO_BURN_RUNWAY = 99.0  # shown as "cash-flow positive"


@kernel
def burn(lab, i):
    """Net operating cash out per quarter: running costs minus operating income.

    Capex (GPUs, power builds) and debt repayment are choices, so they are left out.
    """
    spend = (lab[i, OUT_RENTAL] + lab[i, OUT_HIRING] + lab[i, OUT_PARTNER] + lab[i, OUT_POWER]
             + lab[i, OUT_PAYROLL] + lab[i, OUT_OVERHEAD] + lab[i, OUT_INTEREST]
             + lab[i, OUT_EFFICIENCY_RND] + lab[i, OUT_SILICON_RND] + lab[i, OUT_EVENTS])
    return spend - (lab[i, IN_REVENUE] + lab[i, IN_PARENT] + lab[i, IN_SUBSIDY])


@kernel
def runway(lab, i):
    """Quarters until cash runs out at last quarter's burn (NO_BURN_RUNWAY if none)."""
    b = burn(lab, i)
    if b <= 0.0:
        return NO_BURN_RUNWAY
    return min(NO_BURN_RUNWAY, max(lab[i, CASH], 0.0) / b)
