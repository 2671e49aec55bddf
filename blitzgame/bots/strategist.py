"""The strategist: a built-in bot that plans each quarter by playing the game forward.

Each quarter it picks one play from its *playbook* (archetypes' policies, some with knobs of
its own: ``[bot.plays]`` in ``assets/archetypes.toml``) by rolling the world forward on the
compiled engine: for each play, and for each of a few *determinizations*
(guesses of what it cannot see), it plays the rest of the game (or ``horizon`` quarters) with
itself following that play and each rival following a playbook style, then counts where it
finished. It plays the quarter's orders of the play that finished best on average. Planning
afresh every quarter, it switches plays as the game turns (policy switching, as real-time
strategy planners do).

What it cannot see it estimates from what its ``Observation`` shows (``believe``): a rival is
assumed to be like itself in everything private (culture, tech debt, efficiency, pay) except
what the rival's public figures reveal. Its net cash follows from its published valuation
(which investors price as customers plus running GPUs plus net cash), its founders' stake from
its published score, its researchers from the ones its GPUs need, its GPUs on order from the
industry's lead time. The future is guessed too: each determinization draws its own luck and
gives each rival a different style, so no rollout replays the real game's dice.

Its knobs row (``strategist_row``): ``[determinizations, horizon, plays, play rows...]``, each
play row an archetype policy's knobs (``bots.knobs``). Deterministic: the same state and key give the
same orders.
"""

import numpy as np

from blitzgame.bots import knobs as K
from blitzgame.bots.policies import _within_form as within_form
from blitzgame.bots.policies import archetype_orders
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.jit import kernel
from blitzgame.engine.markets import installed_price
from blitzgame.engine.metrics import quality_rank, standing
from blitzgame.engine.rng import _fmix32
from blitzgame.engine.turn import SCORE_PER_MUSD, kept_revenue, resolve_quarter

S_DETERMINIZATIONS = 0  # rollouts per play: each a different guess of the rivals' styles and the luck
S_HORIZON = 1  # quarters each rollout plays ahead (0: to the end of the game)
S_PLAYS = 2  # how many plays the playbook holds
S_ROWS = 3  # the plays' knob rows follow, KNOB_COUNT numbers each
# a rival's figures any lab can see (the rivals view, the news, the scenario), copied as they are;
# its model quality is public only as a rank (``metrics.quality_rank``)
PUBLIC = (F.STATUS, F.POSITION, F.PARENT_CF, F.ONLINE, F.SHARE, F.REVENUE, F.OUT_PARTNER, F.VALUATION, F.OPEN_SOURCE,
          F.SCORE, F.RANK, F.DOMINANT_QUARTERS, F.DEATH_ZONE_QUARTERS, F.PEAK_GPUS, F.START_VALUE, F.BOUGHT_BY, F.RESCUED)
DEFAULT_DETERMINIZATIONS = 8
DEFAULT_HORIZON = 0


def strategist_row(plays: list[np.ndarray], determinizations: int = DEFAULT_DETERMINIZATIONS,
                   horizon: int = DEFAULT_HORIZON) -> np.ndarray:
    """The strategist's knobs: its settings, then its playbook (a knob row of the archetype policy per play)."""
    row = np.zeros(S_ROWS + len(plays) * K.KNOB_COUNT)
    row[S_DETERMINIZATIONS] = determinizations
    row[S_HORIZON] = horizon
    row[S_PLAYS] = len(plays)
    for p, play in enumerate(plays):
        row[S_ROWS + p * K.KNOB_COUNT:S_ROWS + (p + 1) * K.KNOB_COUNT] = play
    return row


def plan_buffers(n_labs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scratch a strategist plans in (compiled kernels cannot allocate): the believed and
    the rolled-out labs, a world and the orders of a rollout."""
    return np.zeros((2, n_labs, F.LAB_FIELDS)), np.zeros(F.WORLD_FIELDS), np.zeros((n_labs, F.ORDER_FIELDS))


@kernel
def believe(lab, world, params, hubs, me, out):
    """``out``: the labs as lab ``me`` believes them to be, from what its observation shows.

    Its own row is the truth. A rival's row starts as a copy of its own (what it cannot see, it
    assumes is like itself), then takes every public figure (status, GPUs online, share,
    revenue, valuation, open weights, score, rank, quarters of dominance, its position and the
    parent behind it, how it started) and the estimates those figures allow."""
    n = lab.shape[0]
    n_hubs = hubs.shape[0]
    mine = lab[me]
    my_online = mine[F.ONLINE]
    backlog_left = max(world[F.LEAD_TIME] * world[F.VENDOR_SUPPLY] - mine[F.BACKLOG], 0.0)
    rivals_online = 0.0
    for k in range(n):
        if k != me and lab[k, F.STATUS] == F.ALIVE:
            rivals_online += lab[k, F.ONLINE]
    my_rank = quality_rank(lab, me)
    for k in range(n):
        for f in range(F.LAB_FIELDS):
            out[k, f] = mine[f]
        if k == me:
            continue
        for f in PUBLIC:
            out[k, f] = lab[k, f]
        online = lab[k, F.ONLINE]
        # its fleet: all running, spread over the hubs as its own is (or at the first hub)
        out[k, F.GPUS] = online
        out[k, F.STRANDED] = 0.0
        backlog = backlog_left * online / rivals_online if rivals_online > 0.0 else 0.0
        out[k, F.BACKLOG] = backlog
        for h in range(n_hubs):
            part = mine[F.HUB_ONLINE + h] / my_online if my_online > 0.0 else (1.0 if h == 0 else 0.0)
            out[k, F.HUB_GPUS + h] = online * part
            out[k, F.HUB_ONLINE + h] = online * part
            out[k, F.HUB_STRANDED + h] = 0.0
            out[k, F.HUB_BACKLOG + h] = backlog * part
            out[k, F.HUB_MW + h] = online * part / hubs[h, F.HP_GPUS_PER_MW]
            for t in range(F.PIPE):
                out[k, F.HUB_MW_PIPE + h * F.PIPE + t] = 0.0
        # its money: the valuation is customers + running GPUs + net cash, every part but the cash public
        customers = 4.0 * kept_revenue(out, k) * params[P.REVENUE_MULTIPLE]  # (its partner's take is public)
        running = online * params[P.GPU_OPTION_VALUE]
        net = (lab[k, F.VALUATION] - customers * world[F.SENTIMENT]
               - running * installed_price(world, params, world[F.SPOT], 0.0))
        out[k, F.CASH] = max(net, 0.0)
        out[k, F.DEBT] = max(-net, 0.0)
        fair = customers + running * installed_price(world, params, 1.0, 0.0) + net
        stake = (lab[k, F.SCORE] / SCORE_PER_MUSD + lab[k, F.START_VALUE]) / fair if fair > 0.0 else mine[F.STAKE]
        out[k, F.STAKE] = min(max(stake, 0.0), 1.0)
        # its people: as many researchers as its GPUs need, staff in proportion; paid the market's rate
        researchers = max(online / 1000.0 * params[P.RESEARCHERS_PER_KGPU], 20.0)
        out[k, F.RESEARCHERS] = researchers
        out[k, F.STAFF] = mine[F.STAFF] * researchers / max(mine[F.RESEARCHERS], 1.0)
        out[k, F.PACKAGE] = params[P.PACKAGE_REF]
        out[k, F.COMPUTE] = online * mine[F.EFFICIENCY]
        out[k, F.RENTED] = 0.0
        out[k, F.PARTNER_GPUS] = 0.0
        out[k, F.RELATIONSHIP] = online
        out[k, F.SPENDING] = mine[F.SPENDING] * (online + 1000.0) / (my_online + 1000.0)
        # its model, public only as a rank: the best if it ranks first, else between its betters and its worse
        rank = quality_rank(lab, k)
        if rank == 1:
            out[k, F.QUALITY] = world[F.FRONTIER]
        elif rank < my_rank:
            out[k, F.QUALITY] = 0.5 * (world[F.FRONTIER] + mine[F.QUALITY])
        elif rank == my_rank:  # a model as good as its own
            out[k, F.QUALITY] = mine[F.QUALITY]
        else:
            out[k, F.QUALITY] = mine[F.QUALITY] * 0.95


@kernel
def rollout_key(key, quarter, d):
    """The luck of determinization ``d`` planned in ``quarter``: a stream of its own, never the game's."""
    h = _fmix32((int(key) ^ 0x5BD1E995) & 0xFFFFFFFF)  # (Python ints when interpreted: exact, as compiled)
    h = _fmix32(h ^ ((int(quarter) * 0x9E3779B1) & 0xFFFFFFFF))
    return _fmix32(h ^ ((int(d) * 0x85EBCA77 + 0x27D4EB2F) & 0xFFFFFFFF))


@kernel
def finish(lab, world, me):
    """How well lab ``me`` stands: minus its place (1 = first), and a sliver of its score to
    break ties between plays that place the same."""
    mine = standing(lab, me, world)
    place = 1
    for k in range(lab.shape[0]):
        if k != me and standing(lab, k, world) > mine:
            place += 1
    return -place + 1e-4 * min(max(lab[me, F.SCORE], -1000.0), 1000.0)


@kernel
def rollout(knobs, play, d, belief, world, params, hubs, sched, me, plan_lab, plan_world, plan_orders, key):
    """Lab ``me`` plays ``play`` from the believed state; each rival ``k`` plays the playbook's
    style ``(d + k) % plays``. Returns how well ``me`` finished."""
    n = belief.shape[0]
    plays = int(knobs[S_PLAYS])
    for k in range(n):
        for f in range(F.LAB_FIELDS):
            plan_lab[k, f] = belief[k, f]
    for f in range(F.WORLD_FIELDS):
        plan_world[f] = world[f]
    horizon = int(knobs[S_HORIZON])
    rkey = rollout_key(key, int(world[F.QUARTER]), d)
    played = 0
    while plan_world[F.GAME_OVER] == 0.0 and (horizon <= 0 or played < horizon):
        for k in range(n):
            style = play if k == me else (d + k) % plays
            start = S_ROWS + style * K.KNOB_COUNT  # the style's archetype knob row
            archetype_orders(knobs[start:start + K.KNOB_COUNT], plan_lab, plan_world, params, hubs, k, plan_orders)
            within_form(plan_orders, k, hubs)
        resolve_quarter(plan_lab, plan_world, plan_orders, params, hubs, sched, rkey)
        played += 1
    return finish(plan_lab, plan_world, me)


@kernel
def best_play(knobs, lab, world, params, hubs, sched, me, key, plan_labs, plan_world, plan_orders):
    """The playbook's play that finishes best for lab ``me`` over the determinizations."""
    believe(lab, world, params, hubs, me, plan_labs[0])
    plays = int(knobs[S_PLAYS])
    draws = max(int(knobs[S_DETERMINIZATIONS]), 1)
    best, best_value = 0, -1e300
    for p in range(plays):
        total = 0.0
        for d in range(draws):
            total += rollout(knobs, p, d, plan_labs[0], world, params, hubs, sched, me, plan_labs[1], plan_world,
                             plan_orders, key)
        if total > best_value:
            best, best_value = p, total
    return best


@kernel
def strategist_orders(knobs, lab, world, params, hubs, sched, i, orders, key, plan_labs, plan_world, plan_orders):
    """Lab ``i``'s orders: the quarter's orders of its best play, given as it believes the world."""
    for f in range(orders.shape[1]):
        orders[i, f] = 0.0
    if lab[i, F.STATUS] != F.ALIVE:
        return
    p = best_play(knobs, lab, world, params, hubs, sched, i, key, plan_labs, plan_world, plan_orders)
    start = S_ROWS + p * K.KNOB_COUNT
    archetype_orders(knobs[start:start + K.KNOB_COUNT], plan_labs[0], world, params, hubs, i, orders)
    within_form(orders, i, hubs)
