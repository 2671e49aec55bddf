"""Whole games between built-in bots in compiled code, with the figures tournaments keep.

``play_arena`` plays a batch of games to their ends: seat ``i`` of game ``g`` is played
by bot ``seats[g, i]``, whose kernel is ``codes[b]`` with ``knobs[b]``. Besides the final
state it fills ``stats[g, i, STAT_FIELDS]`` with what the results table and the
fidelity checks need (M1, M5, M8 in docs/design.md §3).
"""

from blitzgame.bots.knobs import CODE_STRATEGIST
from blitzgame.bots.policies import policy
from blitzgame.bots.strategist import strategist_orders
from blitzgame.engine import layout as F
from blitzgame.engine.jit import kernel
from blitzgame.engine.layout import _Registry
from blitzgame.engine.metrics import runway
from blitzgame.engine.turn import resolve_quarter

YEAR_TWO = 8  # quarters played at the end of the second year

_s = _Registry()
ST_GPUS_Y2 = _s.add("gpus_y2")  # GPUs online at the end of quarter 8 (or at the end, if sooner)
ST_Q_10K = _s.add("q_10k")  # index of the quarter it first had 10,000 online, -1 if never
ST_RUNWAY_AT_STOP = _s.add("runway_at_stop")  # quarters of runway going into the quarter the music stopped, -1
ST_STRANDED_SUM = _s.add("stranded_sum")  # sum over quarters of the share of its GPUs idle for lack of power
ST_STRANDED_QUARTERS = _s.add("stranded_quarters")  # quarters counted in that sum
ST_END_GPUS = _s.add("end_gpus")  # GPUs owned when its fate was sealed: at the end, or when its cash first ran out
ST_DISTRESSED = _s.add("distressed")  # 1 once its cash has run out (a fire sale, or the end)
ST_RUNWAY_BEFORE = _s.add("runway_before")  # scratch: runway at the start of the current quarter
ST_GPUS_YEAR = _s.add("gpus_year", 3)  # GPUs owned at the end of years 1, 2 and 3 if still in the race, else -1
ST_LAB_QUARTERS = _s.add("lab_quarters")  # quarters it played alive (the denominator of a per-quarter average)
STAT_FIELDS = _s.size
STAT_NAMES = _s.names
LEADER_GPUS = F.STAGE_FLOORS[3]  # T3: the first lab to run 10,000 GPUs (the Leader stage)


@kernel
def stats_begin(stats):
    """Figures of a game about to start: nothing counted, "never" where never is possible."""
    for i in range(stats.shape[0]):
        for k in range(STAT_FIELDS):
            stats[i, k] = 0.0
        stats[i, ST_GPUS_Y2] = -1.0
        stats[i, ST_Q_10K] = -1.0
        stats[i, ST_RUNWAY_AT_STOP] = -1.0
        for y in range(3):
            stats[i, ST_GPUS_YEAR + y] = -1.0


@kernel
def stats_before(lab, world, i, stats):
    """Lab ``i`` going into a quarter: its runway (while the music plays) and its GPUs, until
    it is in distress (fire sales shrink a dying lab; it failed at the size it was)."""
    if world[F.MUSIC_STOPPED] == 0.0:
        stats[i, ST_RUNWAY_BEFORE] = runway(lab, i)
    if lab[i, F.STATUS] == F.ALIVE and stats[i, ST_DISTRESSED] == 0.0:
        stats[i, ST_END_GPUS] = lab[i, F.GPUS]


@kernel
def stats_after(lab, stats, quarter, played, stopped_now):
    """Every lab after quarter ``quarter`` resolved (``played`` quarters so far)."""
    for i in range(lab.shape[0]):
        row = lab[i]
        if stats[i, ST_DISTRESSED] == 0.0 and (row[F.FIRE_SOLD] > 0.0 or row[F.STATUS] != F.ALIVE):
            # its cash ran out this quarter: its fleet is what it had plus what just arrived
            stats[i, ST_DISTRESSED] = 1.0
            stats[i, ST_END_GPUS] += row[F.GPUS_DELIVERED] + row[F.GPUS_CUSTOM]
        if row[F.STATUS] == F.ALIVE:
            stats[i, ST_LAB_QUARTERS] += 1.0
            if played % 4 == 0 and played <= 12:
                # still in the race: its cash has not run out (a lab in a fire sale has failed, as T2 counts it)
                if stats[i, ST_DISTRESSED] == 0.0:
                    stats[i, ST_GPUS_YEAR + played // 4 - 1] = row[F.GPUS]
        if row[F.STATUS] == F.ALIVE and row[F.GPUS] > 0.0:
            stats[i, ST_STRANDED_SUM] += row[F.STRANDED] / row[F.GPUS]
            stats[i, ST_STRANDED_QUARTERS] += 1.0
        if stats[i, ST_Q_10K] < 0.0 and row[F.ONLINE] >= LEADER_GPUS:
            stats[i, ST_Q_10K] = quarter
        if played == YEAR_TWO:
            stats[i, ST_GPUS_Y2] = row[F.ONLINE]
        if stopped_now:
            stats[i, ST_RUNWAY_AT_STOP] = stats[i, ST_RUNWAY_BEFORE]


@kernel
def stats_end(lab, stats):
    """The game is over: year-two figures for games that ended sooner, survivors' final GPUs."""
    for i in range(lab.shape[0]):
        if stats[i, ST_GPUS_Y2] < 0.0:
            stats[i, ST_GPUS_Y2] = lab[i, F.ONLINE]
        if lab[i, F.STATUS] == F.ALIVE:
            stats[i, ST_END_GPUS] = lab[i, F.GPUS]


@kernel
def play_arena_game(lab, world, orders, params, hubs, sched, key, seats, codes, knobs, stats, plan_labs, plan_world,
                    plan_orders):
    """Play one game to its end; returns the quarters played. A strategist plans in the
    ``plan_*`` scratch (``strategist.plan_buffers``)."""
    stats_begin(stats)
    played = 0
    while world[F.GAME_OVER] == 0.0:
        playing = world[F.MUSIC_STOPPED] == 0.0
        for i in range(lab.shape[0]):
            b = seats[i]
            if codes[b] == CODE_STRATEGIST:
                strategist_orders(knobs[b], lab, world, params, hubs, sched, i, orders, key, plan_labs, plan_world,
                                  plan_orders)
            else:
                policy(codes[b], knobs[b], lab, world, params, hubs, i, orders, key)
            stats_before(lab, world, i, stats)
        quarter = world[F.QUARTER]
        resolve_quarter(lab, world, orders, params, hubs, sched, key)
        played += 1
        stats_after(lab, stats, quarter, played, playing and world[F.MUSIC_STOPPED] > 0.0)
    stats_end(lab, stats)
    return played


@kernel
def play_arena(labs, worlds, orders, params, hubs, sched, keys, seats, codes, knobs, stats, played, plan_labs,
               plan_world, plan_orders):
    """Every game of a batch, one after another; ``played[g]`` counts its quarters. The games
    share one set of planning scratch."""
    for g in range(labs.shape[0]):
        played[g] = play_arena_game(labs[g], worlds[g], orders[g], params, hubs, sched, keys[g], seats[g],
                                    codes, knobs, stats[g], plan_labs, plan_world, plan_orders)
