"""Phases 4 and 8: the talent market (M3, M6, M7) and the organisation (M6, M12)."""

import math

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.fastmath import log10_1p
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.markets import clamp, waterfill

DOUBLINGS_PER_DECADE = 3.321928094887362  # 1 / log10(2): a tenfold growth is 3.32 doublings
DEATH_ZONE_LOW = F.STAGE_FLOORS[2]  # M7: the Competitor stage, 1,000 to 10,000 GPUs
DEATH_ZONE_HIGH = F.STAGE_FLOORS[3]


@kernel
def in_death_zone(gpus):
    """M7: big enough to burn like a leader, too small to keep talent and customers."""
    return DEATH_ZONE_LOW <= gpus < DEATH_ZONE_HIGH


@kernel
def zone_pressure(lab, i, params):
    """M7: how hard the death zone squeezes lab ``i`` this quarter: 0 outside it, 1 on its
    first quarter in, more for every quarter it has lingered there (up to a cap). The zone's
    attrition, retention grants and customer defection are all multiplied by it."""
    if not in_death_zone(lab[i, F.ONLINE]):
        return 0.0
    return 1.0 + params[P.DEATH_ZONE_LINGER] * min(lab[i, F.DEATH_ZONE_QUARTERS], params[P.DEATH_ZONE_LINGER_CAP])


@kernel
def researchers_needed(lab, i, params):
    """M6: the researchers it takes to use a lab's compute: its own running GPUs and the rented
    and partner GPUs it runs beside them (as of its last quarter)."""
    used = lab[i, F.ONLINE] + lab[i, F.RENTED] + lab[i, F.PARTNER_GPUS]
    return used / 1000.0 * params[P.RESEARCHERS_PER_KGPU]


@kernel
def hire_quality(lab, i, params):
    """M6: the quality of a researcher lab ``i`` hires at its package: pay over the market's
    reference, within ``hire_quality_min``..``hire_quality_max``."""
    return clamp(params[P.HIRE_QUALITY_BASE] + params[P.HIRE_QUALITY_PAY] * lab[i, F.PACKAGE] / params[P.PACKAGE_REF],
                 params[P.HIRE_QUALITY_MIN], params[P.HIRE_QUALITY_MAX])


@kernel
def talent_density(lab, i, params):
    """Researchers per the number a lab of its size needs, capped at 1. Each counts at its
    quality: a researcher of quality 1.0 (what the market's reference pay hires) is one, a
    cheap hire of 0.5 half of one."""
    need = researchers_needed(lab, i, params)
    if need <= 1.0:
        return 1.0 if lab[i, F.RESEARCHERS] >= 1.0 else lab[i, F.RESEARCHERS]
    return min(1.0, lab[i, F.RESEARCHERS] * lab[i, F.TALENT_QUALITY] / need)


@kernel
def market_pay(lab):
    """M6: the market's pay, the mean package of the labs in the race (phase 4 reads it once this
    quarter's packages are set)."""
    paid = 0.0
    payers = 0.0
    for i in range(lab.shape[0]):
        if lab[i, F.STATUS] == F.ALIVE:
            paid += lab[i, F.PACKAGE]
            payers += 1.0
    return paid / max(payers, 1.0)


@kernel
def attrition_parts(lab, i, params, pay):
    """M6, M7: the shares of lab ``i``'s researchers who leave this quarter, part by part: every
    lab's base rate, more for a culture below full, more for pay under the market's (``pay``), and the
    death zone's pull."""
    return (params[P.ATTRITION_BASE],
            params[P.ATTRITION_CULTURE] * (1.0 - lab[i, F.CULTURE]),
            params[P.ATTRITION_UNDERPAID] * max(0.0, 1.0 - lab[i, F.PACKAGE] / pay),
            params[P.ATTRITION_DEATH_ZONE] * zone_pressure(lab, i, params))


@inline_kernel
def _magnetism(lab, i, params, hubs):
    """How strongly a lab pulls researchers: pay, cluster size, culture, local talent."""
    online = lab[i, F.ONLINE]
    local = lab[i, F.ONLINE_TALENT] / online if online > 0.0 else 1.0
    return ((lab[i, F.PACKAGE] / params[P.PACKAGE_REF])
            * (1.0 + params[P.MAGNETISM] * log10_1p(online))
            * (params[P.MAGNETISM_CULTURE_BASE] + lab[i, F.CULTURE]) * local * (1.0 + lab[i, F.ECOSYSTEM]))


@inline_kernel
def talent(lab, world, orders, params, hubs):
    """Phase 4: attrition, layoffs, hiring from the free pool, then raids on weaker labs.

    A scarce pool goes to the most magnetic labs (M3); a lab in the death zone (M7)
    and one with a worn culture (M6) lose people faster.
    """
    n = lab.shape[0]
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        package = orders[i, F.O_PACKAGE]
        if package > 0.0:
            lab[i, F.PACKAGE] = package
    pay = market_pay(lab)
    employed = 0.0
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        people = lab[i, F.RESEARCHERS]
        base, culture, underpaid, zone = attrition_parts(lab, i, params, pay)
        rate = base + culture + underpaid
        rate += zone
        leave = people * clamp(rate, 0.0, 1.0)
        laid_off = clamp(orders[i, F.O_LAYOFF], 0.0, people - leave)
        lab[i, F.ATTRITION] = leave
        lab[i, F.LAID_OFF] = laid_off
        lab[i, F.RESEARCHERS] = people - leave - laid_off
        employed += lab[i, F.RESEARCHERS]
        lab[i, F.HIRES_ASKED] = max(orders[i, F.O_HIRE], 0.0)
        lab[i, F.SCRATCH] = _magnetism(lab, i, params, hubs)
        lab[i, F.WEIGHT] = lab[i, F.HIRES_ASKED] * lab[i, F.SCRATCH]
    free = max(0.0, world[F.TALENT_POOL] - employed)
    waterfill(lab, free, F.HIRES_ASKED, F.WEIGHT, F.HIRES_WON, params)
    # raids: a lab the pool could not satisfy poaches from less magnetic rivals
    for i in range(n):
        lab[i, F.RAIDED] = 0.0
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        short = lab[i, F.HIRES_ASKED] - lab[i, F.HIRES_WON]
        if short <= 1e-9:
            continue
        # a rival loses up to RAID_RATE of its people, more the weaker its pull next to ours
        pull = lab[i, F.SCRATCH]
        inv_pull = 1.0 / pull
        reach = 0.0
        for k in range(n):
            if k != i and lab[k, F.STATUS] == F.ALIVE and lab[k, F.SCRATCH] < pull:
                reach += lab[k, F.RESEARCHERS] * (1.0 - lab[k, F.SCRATCH] * inv_pull)
        reach *= params[P.RAID_RATE]
        if reach <= 0.0:
            continue
        take = min(short, reach)
        scale = take / reach * params[P.RAID_RATE]
        for k in range(n):
            if k != i and lab[k, F.STATUS] == F.ALIVE and lab[k, F.SCRATCH] < pull:
                lab[k, F.RAIDED] += scale * lab[k, F.RESEARCHERS] * (1.0 - lab[k, F.SCRATCH] * inv_pull)
        lab[i, F.POACHED] = take
    for i in range(n):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        raided = min(lab[i, F.RAIDED], lab[i, F.RESEARCHERS])
        lab[i, F.RAIDED] = raided
        lab[i, F.ATTRITION] += raided
        before = lab[i, F.RESEARCHERS] - raided
        hired = lab[i, F.HIRES_WON] + lab[i, F.POACHED]
        lab[i, F.HIRES_WON] = hired
        quality = hire_quality(lab, i, params)
        total = before + hired
        if total > 0.0:
            lab[i, F.TALENT_QUALITY] = (lab[i, F.TALENT_QUALITY] * before + quality * hired) / total
        lab[i, F.RESEARCHERS] = total
        quarter_pay = lab[i, F.PACKAGE] / 4.0
        cost = (hired * quarter_pay * params[P.SIGNING_QUARTERS]
                + lab[i, F.LAID_OFF] * quarter_pay * params[P.SEVERANCE_QUARTERS])
        lab[i, F.OUT_HIRING] = cost
        lab[i, F.CASH] -= cost
        # staff grow with the lab; the growth rate is kept for culture dilution
        staff = (params[P.STAFF_BASE] + total * params[P.STAFF_PER_RESEARCHER]
                 + lab[i, F.ONLINE] / 1000.0 * params[P.STAFF_PER_KGPU])
        lab[i, F.STAFF_GROWTH] = max(0.0, staff - lab[i, F.STAFF]) / max(lab[i, F.STAFF], 1.0)
        lab[i, F.STAFF] = staff
    world[F.TALENT_POOL] *= 1.0 + params[P.TALENT_GROWTH]
    employed = 0.0
    for i in range(n):
        if lab[i, F.STATUS] == F.ALIVE:
            employed += lab[i, F.RESEARCHERS]
    world[F.TALENT_FREE] = max(0.0, world[F.TALENT_POOL] - employed)


@inline_kernel
def research_spending(lab, world, orders, params):
    """Efficiency R&D (M12) and custom silicon (M13): spent from cash, with diminishing returns."""
    for i in range(lab.shape[0]):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        spend = clamp(orders[i, F.O_EFFICIENCY_RND], 0.0, max(lab[i, F.CASH], 0.0))
        lab[i, F.OUT_EFFICIENCY_RND] = spend
        lab[i, F.CASH] -= spend
        top = params[P.EFFICIENCY_MAX]
        lab[i, F.EFFICIENCY] += (top - lab[i, F.EFFICIENCY]) * spend / (spend + params[P.EFFICIENCY_SCALE])
        chips = clamp(orders[i, F.O_SILICON_RND], 0.0, max(lab[i, F.CASH], 0.0))
        if lab[i, F.SILICON] >= 1.0:
            chips = 0.0  # done: nothing left to buy
        lab[i, F.OUT_SILICON_RND] = chips
        lab[i, F.CASH] -= chips
        step = min(params[P.SILICON_MAX_STEP], chips / params[P.SILICON_COST])
        lab[i, F.SILICON] = min(1.0, lab[i, F.SILICON] + step)


@inline_kernel
def tech_debt_moves(arrived, gpus, rnd, params):
    """M6: what a quarter adds to tech debt and what efficiency R&D pays down, for a lab that owns
    ``gpus`` of which ``arrived`` came this quarter and spent ``rnd`` on efficiency R&D. Debt grows
    with each doubling of a fleet past the size a small team runs without strain; R&D pays it down
    in proportion to the fleet it has to clean up. (Engineers also chip ``tech_debt_decay`` away.)"""
    growth = arrived / max(gpus - arrived, params[P.DEBT_SIMPLE_FLEET])
    # (log10(1) is 0 exactly: a quarter without deliveries needs no library call)
    doublings = math.log10(1.0 + growth) * DOUBLINGS_PER_DECADE if growth != 0.0 else 0.0
    scale = params[P.DEBT_CLEANUP_COST] * max(gpus, params[P.DEBT_SIMPLE_FLEET]) / 1000.0
    return params[P.DEBT_GROWTH] * doublings, params[P.DEBT_PAYDOWN] * rnd / (rnd + scale)


@inline_kernel
def organisation(lab, world, params):
    """Phase 8 (M6): utilization, tech debt from fast growth, culture diluted by headcount."""
    for i in range(lab.shape[0]):
        if lab[i, F.STATUS] != F.ALIVE:
            continue
        density = talent_density(lab, i, params)
        target = clamp(params[P.UTIL_BASE] + params[P.UTIL_TALENT] * density
                       - params[P.UTIL_DEBT] * lab[i, F.TECH_DEBT], params[P.UTIL_MIN], params[P.UTIL_MAX])
        lab[i, F.UTILIZATION] += params[P.UTIL_ADJUST] * (target - lab[i, F.UTILIZATION])
        added, paydown = tech_debt_moves(lab[i, F.GPUS_DELIVERED] + lab[i, F.GPUS_CUSTOM], lab[i, F.GPUS],
                                         lab[i, F.OUT_EFFICIENCY_RND], params)
        lab[i, F.TECH_DEBT] = clamp(lab[i, F.TECH_DEBT] + added - paydown - params[P.DEBT_DECAY], 0.0, 1.0)
        culture = lab[i, F.CULTURE]
        culture -= params[P.CULTURE_DILUTION] * lab[i, F.STAFF_GROWTH]
        culture -= params[P.CULTURE_BURNOUT] * (1.0 - density)
        culture -= params[P.CULTURE_LAYOFF] * lab[i, F.LAID_OFF] / max(lab[i, F.RESEARCHERS] + lab[i, F.LAID_OFF], 1.0)
        culture += params[P.CULTURE_RECOVERY] * (1.0 - culture)
        lab[i, F.CULTURE] = clamp(culture, params[P.CULTURE_MIN], 1.0)
