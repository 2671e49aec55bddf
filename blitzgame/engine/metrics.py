"""Figures derived from a lab's row that players, bots and reports all read the same way."""

from blitzgame.engine.jit import kernel
from blitzgame.engine.layout import (
    CASH, IN_PARENT, IN_REVENUE, IN_SUBSIDY, OUT_EFFICIENCY_RND, OUT_EVENTS, OUT_HIRING,
    OUT_INTEREST, OUT_OVERHEAD, OUT_PARTNER, OUT_PAYROLL, OUT_POWER, OUT_RENTAL,
    OUT_SILICON_RND,
)

NO_BURN_RUNWAY = 99.0  # shown as "cash-flow positive"


@kernel
def burn(lab_row):
    """Net operating cash out per quarter: running costs minus operating income.

    Capex (GPUs, power builds) and debt repayment are choices, so they are left out.
    """
    spend = (lab_row[OUT_RENTAL] + lab_row[OUT_HIRING] + lab_row[OUT_PARTNER] + lab_row[OUT_POWER]
             + lab_row[OUT_PAYROLL] + lab_row[OUT_OVERHEAD] + lab_row[OUT_INTEREST]
             + lab_row[OUT_EFFICIENCY_RND] + lab_row[OUT_SILICON_RND] + lab_row[OUT_EVENTS])
    return spend - (lab_row[IN_REVENUE] + lab_row[IN_PARENT] + lab_row[IN_SUBSIDY])


@kernel
def runway(lab_row):
    """Quarters until cash runs out at last quarter's burn (NO_BURN_RUNWAY if none)."""
    b = burn(lab_row)
    if b <= 0.0:
        return NO_BURN_RUNWAY
    return min(NO_BURN_RUNWAY, max(lab_row[CASH], 0.0) / b)
