"""Phases 4 and 8: the talent market (M3, M6, M7) and the organisation (M6, M12)."""

from blitzgame.engine.fastmath import log10_1p
from blitzgame.engine.jit import kernel
from blitzgame.engine.layout import (
    ALIVE,
    ATTRITION,
    CASH,
    CULTURE,
    ECOSYSTEM,
    EFFICIENCY,
    GPUS,
    GPUS_CUSTOM,
    GPUS_DELIVERED,
    HIRES_ASKED,
    HIRES_WON,
    LAID_OFF,
    O_EFFICIENCY_RND,
    O_HIRE,
    O_LAYOFF,
    O_PACKAGE,
    O_SILICON_RND,
    ONLINE,
    ONLINE_TALENT,
    OUT_EFFICIENCY_RND,
    OUT_HIRING,
    OUT_SILICON_RND,
    PACKAGE,
    POACHED,
    RAIDED,
    RESEARCHERS,
    SCRATCH,
    SILICON,
    STAFF,
    STAFF_GROWTH,
    STATUS,
    TALENT_FREE,
    TALENT_POOL,
    TALENT_QUALITY,
    TECH_DEBT,
    UTILIZATION,
    WEIGHT,
)
from blitzgame.engine.markets import clamp, waterfill
from blitzgame.engine.params import (
    P_ATTRITION_BASE,
    P_ATTRITION_CULTURE,
    P_ATTRITION_DEATH_ZONE,
    P_ATTRITION_UNDERPAID,
    P_CULTURE_BURNOUT,
    P_CULTURE_DILUTION,
    P_CULTURE_LAYOFF,
    P_CULTURE_RECOVERY,
    P_DEBT_GROWTH,
    P_DEBT_PAYDOWN,
    P_EFFICIENCY_MAX,
    P_EFFICIENCY_SCALE,
    P_MAGNETISM,
    P_PACKAGE_REF,
    P_RAID_RATE,
    P_RESEARCHERS_PER_KGPU,
    P_SEVERANCE_QUARTERS,
    P_SIGNING_QUARTERS,
    P_SILICON_COST,
    P_SILICON_MAX_STEP,
    P_STAFF_PER_KGPU,
    P_STAFF_PER_RESEARCHER,
    P_TALENT_GROWTH,
    P_UTIL_BASE,
    P_UTIL_DEBT,
    P_UTIL_TALENT,
)

DEATH_ZONE_LOW = 1000.0
DEATH_ZONE_HIGH = 10000.0


@kernel
def in_death_zone(gpus):
    """M7: big enough to burn like a leader, too small to keep talent and customers."""
    return DEATH_ZONE_LOW <= gpus < DEATH_ZONE_HIGH


@kernel
def talent_density(lab, i, params):
    """Researchers per the number a lab of its size needs, capped at 1."""
    need = lab[i, ONLINE] / 1000.0 * params[P_RESEARCHERS_PER_KGPU]
    if need <= 1.0:
        return 1.0 if lab[i, RESEARCHERS] >= 1.0 else lab[i, RESEARCHERS]
    return min(1.0, lab[i, RESEARCHERS] / need)


@kernel
def _magnetism(lab, i, params, hubs):
    """How strongly a lab pulls researchers: pay, cluster size, culture, local talent."""
    online = lab[i, ONLINE]
    local = lab[i, ONLINE_TALENT] / online if online > 0.0 else 1.0
    return ((lab[i, PACKAGE] / params[P_PACKAGE_REF])
            * (1.0 + params[P_MAGNETISM] * log10_1p(online))
            * (0.5 + lab[i, CULTURE]) * local * (1.0 + lab[i, ECOSYSTEM]))


@kernel
def talent(lab, world, orders, params, hubs):
    """Phase 4: attrition, layoffs, hiring from the free pool, then raids on weaker labs.

    A scarce pool goes to the most magnetic labs (M3); a lab in the death zone (M7)
    and one with a worn culture (M6) lose people faster.
    """
    n = lab.shape[0]
    paid = 0.0
    payers = 0.0
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        package = orders[i, O_PACKAGE]
        if package > 0.0:
            lab[i, PACKAGE] = package
        paid += lab[i, PACKAGE]
        payers += 1.0
    market_pay = paid / max(payers, 1.0)
    employed = 0.0
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        people = lab[i, RESEARCHERS]
        rate = (params[P_ATTRITION_BASE]
                + params[P_ATTRITION_CULTURE] * (1.0 - lab[i, CULTURE])
                + params[P_ATTRITION_UNDERPAID] * max(0.0, 1.0 - lab[i, PACKAGE] / market_pay))
        if in_death_zone(lab[i, ONLINE]):
            rate += params[P_ATTRITION_DEATH_ZONE]
        leave = people * clamp(rate, 0.0, 1.0)
        laid_off = clamp(orders[i, O_LAYOFF], 0.0, people - leave)
        lab[i, ATTRITION] = leave
        lab[i, LAID_OFF] = laid_off
        lab[i, RESEARCHERS] = people - leave - laid_off
        employed += lab[i, RESEARCHERS]
        lab[i, HIRES_ASKED] = max(orders[i, O_HIRE], 0.0)
        lab[i, SCRATCH] = _magnetism(lab, i, params, hubs)
        lab[i, WEIGHT] = lab[i, HIRES_ASKED] * lab[i, SCRATCH]
    free = max(0.0, world[TALENT_POOL] - employed)
    waterfill(lab, free, HIRES_ASKED, WEIGHT, HIRES_WON)
    # raids: a lab the pool could not satisfy poaches from less magnetic rivals
    for i in range(n):
        lab[i, RAIDED] = 0.0
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        short = lab[i, HIRES_ASKED] - lab[i, HIRES_WON]
        if short <= 1e-9:
            continue
        # a rival loses up to RAID_RATE of its people, more the weaker its pull next to ours
        pull = lab[i, SCRATCH]
        inv_pull = 1.0 / pull
        reach = 0.0
        for k in range(n):
            if k != i and lab[k, STATUS] == ALIVE and lab[k, SCRATCH] < pull:
                reach += lab[k, RESEARCHERS] * (1.0 - lab[k, SCRATCH] * inv_pull)
        reach *= params[P_RAID_RATE]
        if reach <= 0.0:
            continue
        take = min(short, reach)
        scale = take / reach * params[P_RAID_RATE]
        for k in range(n):
            if k != i and lab[k, STATUS] == ALIVE and lab[k, SCRATCH] < pull:
                lab[k, RAIDED] += scale * lab[k, RESEARCHERS] * (1.0 - lab[k, SCRATCH] * inv_pull)
        lab[i, POACHED] = take
    for i in range(n):
        if lab[i, STATUS] != ALIVE:
            continue
        raided = min(lab[i, RAIDED], lab[i, RESEARCHERS])
        lab[i, RAIDED] = raided
        lab[i, ATTRITION] += raided
        before = lab[i, RESEARCHERS] - raided
        hired = lab[i, HIRES_WON] + lab[i, POACHED]
        lab[i, HIRES_WON] = hired
        quality = clamp(0.5 + 0.25 * lab[i, PACKAGE] / params[P_PACKAGE_REF], 0.3, 1.5)
        total = before + hired
        if total > 0.0:
            lab[i, TALENT_QUALITY] = (lab[i, TALENT_QUALITY] * before + quality * hired) / total
        lab[i, RESEARCHERS] = total
        quarter_pay = lab[i, PACKAGE] / 4.0
        cost = (hired * quarter_pay * params[P_SIGNING_QUARTERS]
                + lab[i, LAID_OFF] * quarter_pay * params[P_SEVERANCE_QUARTERS])
        lab[i, OUT_HIRING] = cost
        lab[i, CASH] -= cost
        # staff grow with the lab; the growth rate is kept for culture dilution
        staff = (10.0 + total * params[P_STAFF_PER_RESEARCHER]
                 + lab[i, ONLINE] / 1000.0 * params[P_STAFF_PER_KGPU])
        lab[i, STAFF_GROWTH] = max(0.0, staff - lab[i, STAFF]) / max(lab[i, STAFF], 1.0)
        lab[i, STAFF] = staff
    world[TALENT_POOL] *= 1.0 + params[P_TALENT_GROWTH]
    employed = 0.0
    for i in range(n):
        if lab[i, STATUS] == ALIVE:
            employed += lab[i, RESEARCHERS]
    world[TALENT_FREE] = max(0.0, world[TALENT_POOL] - employed)


@kernel
def research_spending(lab, world, orders, params):
    """Efficiency R&D (M12) and custom silicon (M13): spent from cash, with diminishing returns."""
    for i in range(lab.shape[0]):
        if lab[i, STATUS] != ALIVE:
            continue
        spend = clamp(orders[i, O_EFFICIENCY_RND], 0.0, max(lab[i, CASH], 0.0))
        lab[i, OUT_EFFICIENCY_RND] = spend
        lab[i, CASH] -= spend
        top = params[P_EFFICIENCY_MAX]
        lab[i, EFFICIENCY] += (top - lab[i, EFFICIENCY]) * spend / (spend + params[P_EFFICIENCY_SCALE])
        chips = clamp(orders[i, O_SILICON_RND], 0.0, max(lab[i, CASH], 0.0))
        if lab[i, SILICON] >= 1.0:
            chips = 0.0  # done: nothing left to buy
        lab[i, OUT_SILICON_RND] = chips
        lab[i, CASH] -= chips
        step = min(params[P_SILICON_MAX_STEP], chips / params[P_SILICON_COST])
        lab[i, SILICON] = min(1.0, lab[i, SILICON] + step)


@kernel
def organisation(lab, world, params):
    """Phase 8 (M6): utilization, tech debt from fast growth, culture diluted by headcount."""
    for i in range(lab.shape[0]):
        if lab[i, STATUS] != ALIVE:
            continue
        density = talent_density(lab, i, params)
        target = clamp(params[P_UTIL_BASE] + params[P_UTIL_TALENT] * density
                       - params[P_UTIL_DEBT] * lab[i, TECH_DEBT], 0.3, 0.95)
        lab[i, UTILIZATION] += 0.5 * (target - lab[i, UTILIZATION])
        arrived = lab[i, GPUS_DELIVERED] + lab[i, GPUS_CUSTOM]
        growth = arrived / max(lab[i, GPUS] - arrived, 100.0)
        rnd = lab[i, OUT_EFFICIENCY_RND]
        paydown = params[P_DEBT_PAYDOWN] * rnd / (rnd + params[P_EFFICIENCY_SCALE])
        lab[i, TECH_DEBT] = clamp(lab[i, TECH_DEBT] + params[P_DEBT_GROWTH] * growth - paydown - 0.02,
                                  0.0, 1.0)
        culture = lab[i, CULTURE]
        culture -= params[P_CULTURE_DILUTION] * lab[i, STAFF_GROWTH]
        culture -= params[P_CULTURE_BURNOUT] * (1.0 - density)
        culture -= params[P_CULTURE_LAYOFF] * lab[i, LAID_OFF] / max(lab[i, RESEARCHERS] + lab[i, LAID_OFF], 1.0)
        culture += params[P_CULTURE_RECOVERY] * (1.0 - culture)
        lab[i, CULTURE] = clamp(culture, 0.1, 1.0)
