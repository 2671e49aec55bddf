"""The learning environments' compiled part: observations, actions and steps over the state arrays.

Numba only (no gymnasium): the Gymnasium, PettingZoo and batched environments are thin
Python around these kernels. A step writes every seat's orders (a built-in bot's compiled
policy from ``bots.policies``, or an agent's action decoded by ``apply_action``), resolves
the quarter with the engine's ``resolve_quarter`` and observes the agents' labs. No rule of
the game lives here.

Every number a kernel folds in is defined in this file, in ``engine``/``bots`` (whose edits
move the compile cache, ``blitzgame._jit_cache``) or in ``blitzgame.limits`` (as for the bots'
policies), and the parallel kernel lives here beside the serial one, so numba's per-file
cache check sees every change. ``observation_names`` and ``action_names`` give the index layouts.

Observation of lab ``i`` (float32, each entry clipped to [-OBS_BOUND, OBS_BOUND]): only what
the Bot API's ``Observation`` shows lab ``i`` -- its own state in full, public market and hub
figures, rivals' public figures. "slog" is ``sign(x) * log10(1 + |x|)``.

Action (float, 0..1 each, clipped; NaN counts as 0): see ``apply_action``.
"""

import math
from types import ModuleType

import numpy as np
from numba import get_num_threads, njit, prange, set_num_threads

import blitzgame.engine.jit  # noqa: F401  (configures the compile cache first)
from blitzgame.bots.actions import action_dim, action_names, apply_action  # noqa: F401  (the envs' action layout)
from blitzgame.bots.policies import policy
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.fastmath import split
from blitzgame.engine.jit import inline_kernel, kernel
from blitzgame.engine.markets import blocked, cloud_rate, debt_room, installed_price
from blitzgame.engine.metrics import NO_BURN_RUNWAY, burn, mw_building, quality_rank, quarters_to_escape, runway
from blitzgame.engine.people import talent_density
from blitzgame.engine.rng import game_key
from blitzgame.engine.turn import resolve_quarter, score, stage
from blitzgame.limits import MAX_SEED

OBS_BOUND = 10.0

# what an environment compiles on its first run (``_jit_cache.announce_compile``): its start, its step
STEP_KERNELS = ("kernels.observe_agents", "kernels.step_game")
BATCH_KERNELS = ("kernels.observe_agents", "kernels.step_batch_prange")

# --- rewards ------------------------------------------------------------------------------
REWARD_RANK = 0  # sparse: (L - rank) / (L - 1) at the step the agent's episode ends, else 0
REWARD_SCORE_DELTA = 1  # dense: the change of the lab's score this quarter (points)
REWARD_CODES = {"rank": REWARD_RANK, "score_delta": REWARD_SCORE_DELTA}

# --- the observation: entries in the order the kernel writes them ---------------------------
# (name, scale): the entry is the figure divided by ``scale`` (a number), or as a text says;
# LOG (and any text starting with it): the entry is slog(figure) = sign * log10(1 + |figure|).
LOG = "slog"
K_PER_GPU = "slog of $k per GPU"
ESCAPE = "quarters of dominance left / dominance_quarters; -1 while not dominant"  # ``escape_in`` (docs/design.md §4)
TIME_OBS = (("time.progress", "quarters played / quarters of the scenario"),)
ME_OBS = (  # the lab's own state, in full (the Bot API's ``LabView``)
    ("me.alive", 1.0), ("me.position", 2.0), ("me.cash", LOG), ("me.debt", LOG), ("me.debt_room", LOG),
    ("me.valuation", LOG), ("me.stake", 1.0), ("me.runway", NO_BURN_RUNWAY), ("me.burn", LOG), ("me.gpus", LOG),
    ("me.online", LOG), ("me.stranded", LOG), ("me.backlog", LOG), ("me.stage", 4.0), ("me.researchers", LOG),
    ("me.talent_quality", 1.0), ("me.talent_density", 1.0), ("me.staff", LOG),
    ("me.package", "/ the market's reference pay"), ("me.quality", 5.0),
    ("me.quality_rank", "(rank - 1) / (labs - 1)"), ("me.share", 1.0), ("me.revenue", LOG), ("me.culture", 1.0),
    ("me.tech_debt", 1.0), ("me.utilization", 1.0), ("me.efficiency", 1.0), ("me.silicon", 1.0),
    ("me.ecosystem", 1.0), ("me.open_source", 1.0), ("me.death_zone_quarters", "/ quarters of the scenario"),
    ("me.score", LOG), ("me.rank", "(rank - 1) / (labs - 1)"), ("me.velocity", 1.0), ("me.escape_in", ESCAPE),
    ("me.spending", LOG), ("me.rescued", 1.0),
)
LAST_OBS = (  # what happened to it last quarter (``LabView.last_quarter``)
    ("last.gpus_delivered", LOG), ("last.gpus_custom", LOG), ("last.rented", LOG), ("last.mw_granted", LOG),
    ("last.hires_won", LOG), ("last.attrition", LOG), ("last.laid_off", LOG), ("last.in_equity", LOG),
    ("last.in_debt", LOG), ("last.fire_sold", LOG), ("last.demand", LOG), ("last.out_gpus", LOG),
    ("last.train_run", 1.0), ("last.quality_gain", 1.0), ("last.event_outage", 1.0), ("last.event_fine", 1.0),
    ("last.event_export", 1.0), ("last.event_heatwave", 1.0),
)
MARKET_OBS = (  # public market figures (``MarketView``)
    ("market.list_price", K_PER_GPU), ("market.spot", 1.0), ("market.lead_time", LOG),
    ("market.vendor_supply", LOG), ("market.cloud_price", K_PER_GPU), ("market.cloud_pool", LOG),
    ("market.gpu_installed_cost", K_PER_GPU),
    ("market.talent_pool", LOG), ("market.talent_free", LOG), ("market.revenue_pool", LOG),
    ("market.frontier", 5.0), ("market.sentiment", 1.0), ("market.sentiment_peak", 1.0),
    ("market.revenue_gap", LOG), ("market.music_stopped", 1.0), ("market.export_controls", 1.0),
    ("market.regime_undecided", 1.0), ("market.regime_consolidation", 1.0),
    ("market.regime_commoditization", 1.0), ("market.regime_disruption", 1.0),
    ("market.equity_pool", LOG), ("market.loan_pool", LOG), ("market.market_pay", LOG),
    ("market.equity_plan_quarters", 8.0),
)
HUB_OBS = (  # per hub: the lab's footprint, public headroom and controls, the hub's numbers (``HubView``)
    ("gpus", LOG), ("online", LOG), ("stranded", LOG), ("backlog", LOG), ("mw", LOG), ("mw_building", LOG),
    ("headroom", LOG), ("export_blocked", 1.0), ("power_price", 100.0), ("build_lead", float(F.PIPE)),
    ("build_cost", LOG), ("revenue_factor", 1.0), ("talent_factor", 1.0), ("subsidy_per_gpu", K_PER_GPU),
    ("export_risk", 1.0), ("regulatory_risk", 1.0), ("sovereign_funding", 1.0),
)
RIVAL_OBS = (  # per rival, as the press sees it (``RivalView``)
    ("alive", 1.0), ("acquired", 1.0), ("gpus", LOG), ("stage", 4.0), ("share", 1.0), ("revenue", LOG),
    ("partner_take", LOG), ("valuation", LOG), ("quality_rank", "(rank - 1) / (labs - 1)"), ("open_source", 1.0), ("score", LOG),
    ("rank", "(rank - 1) / (labs - 1)"), ("escape_in", ESCAPE),
)
N_FIXED_OBS = len(TIME_OBS) + len(ME_OBS) + len(LAST_OBS) + len(MARKET_OBS)
HUB_WIDTH = len(HUB_OBS)
RIVAL_WIDTH = len(RIVAL_OBS)


def _indices(name: str, spec: tuple) -> ModuleType:
    """The entries of ``spec`` as a namespace of their indices, which ``observe`` writes by name
    (``me.cash`` is ``ME_CASH``; numba reads a module's integers as constants)."""
    space = ModuleType(f"{__name__}.{name}")
    for k, (entry, _) in enumerate(spec):
        setattr(space, entry.replace(".", "_").upper(), k)
    return space


OBS = _indices("OBS", TIME_OBS + ME_OBS + LAST_OBS + MARKET_OBS)  # the fixed entries
HUB = _indices("HUB", HUB_OBS)  # offsets within a hub's block
RIVAL = _indices("RIVAL", RIVAL_OBS)  # offsets within a rival's block
assert [OBS.MARKET_REGIME_UNDECIDED + k for k in range(len(F.REGIME_NAMES))] == [
    getattr(OBS, f"MARKET_REGIME_{name.upper()}") for name in F.REGIME_NAMES]  # written by regime code


def observation_spec(hub_ids: tuple[str, ...], n_labs: int) -> tuple[tuple[str, str], ...]:
    """(name, how it is scaled) for each entry of a lab's observation, in order. Rival ``k``
    (1..L-1) is the lab ``k`` seats after the observer's (wrapping round)."""
    def how(scale) -> str:
        if isinstance(scale, str):
            return scale
        return "as is" if scale == 1.0 else f"/ {scale:g}"

    hubs = tuple((f"hub[{h}].{f}", s) for h in hub_ids for f, s in HUB_OBS)
    rivals = tuple((f"rival[{k}].{f}", s) for k in range(1, n_labs) for f, s in RIVAL_OBS)
    return tuple((name, how(scale)) for name, scale in TIME_OBS + ME_OBS + LAST_OBS + MARKET_OBS + hubs + rivals)


def observation_logs(hub_ids: tuple[str, ...], n_labs: int) -> np.ndarray:
    """Which entries of the observation are slog'd: the ``logs`` argument of ``observe``. (An
    argument, not a global array: numba would not vectorise ``_finish`` over a global one.)"""
    return np.array([how.startswith(LOG) for _, how in observation_spec(hub_ids, n_labs)])


def observation_names(hub_ids: tuple[str, ...], n_labs: int) -> tuple[str, ...]:
    """The name of each entry of a lab's observation, in order (see ``observation_spec``)."""
    return tuple(name for name, _ in observation_spec(hub_ids, n_labs))


def observation_dim(n_hubs: int, n_labs: int) -> int:
    return N_FIXED_OBS + n_hubs * HUB_WIDTH + (n_labs - 1) * RIVAL_WIDTH


# --- kernels --------------------------------------------------------------------------------
_LOG10_2 = 0.30102999566398120


@kernel
def _finish(out, count, logs):
    """Scale the first ``count`` entries of ``out`` as the observation gives them: entry ``f`` is
    slog'd if ``logs[f]``, then NaN becomes 0 and everything is clipped to +-OBS_BOUND.

    slog(x) = sign(x) * log10(1 + |x|) is ``engine.fastmath.log10_1p``'s arithmetic (the same
    bits, but 0 for 0 exactly, where the quartic is 3e-5 off), written out so the loop needs no
    call: 1 + |x| split into mantissa and exponent (``engine.fastmath.split``, integer bit work),
    then the same quartic.
    Branch-free, so the loop runs in SIMD lanes.
    """
    for f in range(count):
        v = float(out[f])  # (float64 in both modes: 1.0 * a float32 stays float32 in numpy)
        y = 1.0 + abs(v)
        m, e = split(y)  # y = m * 2**e, m in [1, 2)
        log2_m = -2.5056310311827317 + (4.04965617771415 + (-2.0994362163558495
                  + (0.6355235319362095 - 0.08001247940572417 * m) * m) * m) * m
        slog = (e + log2_m) * _LOG10_2
        slog = slog if y < math.inf else y  # infinity stays infinite, NaN stays NaN
        slog = slog if v != 0.0 else 0.0  # exactly 0 (the quartic gives 3e-5 there: a figure of 0 must read 0)
        slog = slog if v >= 0.0 else -slog
        v = slog if logs[f] else v
        v = v if v == v else 0.0
        v = v if v < OBS_BOUND else OBS_BOUND
        v = v if v > -OBS_BOUND else -OBS_BOUND
        out[f] = v


@kernel
def _escape(lab, i, params):
    """Lab ``i``'s ``escape_in`` (``engine.metrics.quarters_to_escape``) as the observation gives
    it: the share of ``dominance_quarters`` it must still dominate, -1 while it is not dominant."""
    left = quarters_to_escape(lab, i, params)
    return left / params[P.DOMINANCE_QUARTERS] if left >= 0.0 else -1.0


@kernel
def _rank_share(rank, n):
    """A rank 1..n as 0 (first) .. 1 (last)."""
    return (rank - 1.0) / (n - 1.0) if n > 1 else 0.0


@inline_kernel
def observe(lab, world, params, hubs, i, logs, out):
    """Lab ``i``'s observation into ``out`` (the layout of ``observation_spec``; ``logs`` from
    ``observation_logs``).

    The figures are written first, then scaled all at once (``_finish``): one compact,
    branch-free loop instead of a logarithm per entry."""
    n = lab.shape[0]
    n_quarters = max(world[F.N_QUARTERS], 1.0)
    row = lab[i]
    out[OBS.TIME_PROGRESS] = world[F.QUARTER] / n_quarters
    # the lab itself, in full
    out[OBS.ME_ALIVE] = 1.0 if row[F.STATUS] == F.ALIVE else 0.0
    out[OBS.ME_POSITION] = row[F.POSITION] / 2.0
    out[OBS.ME_CASH] = max(row[F.CASH], 0.0)  # as the Bot API shows it (``session.observe``)
    out[OBS.ME_DEBT] = row[F.DEBT]
    out[OBS.ME_DEBT_ROOM] = debt_room(lab, i, world, params)
    out[OBS.ME_VALUATION] = row[F.VALUATION]
    out[OBS.ME_STAKE] = row[F.STAKE]
    out[OBS.ME_RUNWAY] = runway(lab, i) / NO_BURN_RUNWAY
    out[OBS.ME_BURN] = burn(lab, i)
    out[OBS.ME_GPUS] = row[F.GPUS]
    out[OBS.ME_ONLINE] = row[F.ONLINE]
    out[OBS.ME_STRANDED] = row[F.STRANDED]
    out[OBS.ME_BACKLOG] = row[F.BACKLOG]
    out[OBS.ME_STAGE] = stage(row[F.ONLINE]) / 4.0
    out[OBS.ME_RESEARCHERS] = row[F.RESEARCHERS]
    out[OBS.ME_TALENT_QUALITY] = row[F.TALENT_QUALITY]
    out[OBS.ME_TALENT_DENSITY] = talent_density(lab, i, params)
    out[OBS.ME_STAFF] = row[F.STAFF]
    out[OBS.ME_PACKAGE] = row[F.PACKAGE] / params[P.PACKAGE_REF]
    out[OBS.ME_QUALITY] = row[F.QUALITY] / 5.0
    out[OBS.ME_QUALITY_RANK] = _rank_share(quality_rank(lab, i), n)
    out[OBS.ME_SHARE] = row[F.SHARE]
    out[OBS.ME_REVENUE] = row[F.REVENUE]
    out[OBS.ME_CULTURE] = row[F.CULTURE]
    out[OBS.ME_TECH_DEBT] = row[F.TECH_DEBT]
    out[OBS.ME_UTILIZATION] = row[F.UTILIZATION]
    out[OBS.ME_EFFICIENCY] = row[F.EFFICIENCY]
    out[OBS.ME_SILICON] = row[F.SILICON]
    out[OBS.ME_ECOSYSTEM] = row[F.ECOSYSTEM]
    out[OBS.ME_OPEN_SOURCE] = 1.0 if row[F.OPEN_SOURCE] > 0.0 else 0.0
    out[OBS.ME_DEATH_ZONE_QUARTERS] = row[F.DEATH_ZONE_QUARTERS] / n_quarters
    out[OBS.ME_SCORE] = row[F.SCORE]
    out[OBS.ME_RANK] = _rank_share(row[F.RANK], n)
    out[OBS.ME_VELOCITY] = row[F.VELOCITY]
    out[OBS.ME_ESCAPE_IN] = _escape(lab, i, params)
    out[OBS.ME_SPENDING] = row[F.SPENDING]
    out[OBS.ME_RESCUED] = 1.0 if row[F.RESCUED] > 0.0 else 0.0
    # its last quarter
    out[OBS.LAST_GPUS_DELIVERED] = row[F.GPUS_DELIVERED]
    out[OBS.LAST_GPUS_CUSTOM] = row[F.GPUS_CUSTOM]
    out[OBS.LAST_RENTED] = row[F.RENTED]
    out[OBS.LAST_MW_GRANTED] = row[F.MW_GRANTED]
    out[OBS.LAST_HIRES_WON] = row[F.HIRES_WON]
    out[OBS.LAST_ATTRITION] = row[F.ATTRITION]
    out[OBS.LAST_LAID_OFF] = row[F.LAID_OFF]
    out[OBS.LAST_IN_EQUITY] = row[F.IN_EQUITY]
    out[OBS.LAST_IN_DEBT] = row[F.IN_DEBT]
    out[OBS.LAST_FIRE_SOLD] = row[F.FIRE_SOLD]
    out[OBS.LAST_DEMAND] = row[F.DEMAND]
    out[OBS.LAST_OUT_GPUS] = row[F.OUT_GPUS]
    out[OBS.LAST_TRAIN_RUN] = row[F.TRAIN_RUN]
    out[OBS.LAST_QUALITY_GAIN] = row[F.QUALITY_GAIN]
    out[OBS.LAST_EVENT_OUTAGE] = 1.0 if row[F.EVENT] == F.EV_OUTAGE else 0.0
    out[OBS.LAST_EVENT_FINE] = 1.0 if row[F.EVENT] == F.EV_FINE else 0.0
    out[OBS.LAST_EVENT_EXPORT] = 1.0 if row[F.EVENT] == F.EV_EXPORT_SEIZED else 0.0
    out[OBS.LAST_EVENT_HEATWAVE] = 1.0 if row[F.HEAT_DARK] > 0.0 else 0.0  # (the event code may name a later one)
    # public market figures ($M per GPU as $k)
    out[OBS.MARKET_LIST_PRICE] = world[F.LIST_PRICE] * 1000.0
    out[OBS.MARKET_SPOT] = world[F.SPOT]
    out[OBS.MARKET_LEAD_TIME] = world[F.LEAD_TIME]
    out[OBS.MARKET_VENDOR_SUPPLY] = world[F.VENDOR_SUPPLY]
    out[OBS.MARKET_CLOUD_PRICE] = cloud_rate(world) * 1000.0  # at today's spot, as rent is charged
    out[OBS.MARKET_CLOUD_POOL] = world[F.CLOUD_POOL]
    out[OBS.MARKET_GPU_INSTALLED_COST] = installed_price(world, params, world[F.SPOT], 0.0) * 1000.0
    out[OBS.MARKET_TALENT_POOL] = world[F.TALENT_POOL]
    out[OBS.MARKET_TALENT_FREE] = world[F.TALENT_FREE]
    out[OBS.MARKET_REVENUE_POOL] = world[F.REVENUE_POOL]
    out[OBS.MARKET_FRONTIER] = world[F.FRONTIER] / 5.0
    out[OBS.MARKET_SENTIMENT] = world[F.SENTIMENT]
    out[OBS.MARKET_SENTIMENT_PEAK] = world[F.SENTIMENT_PEAK]
    out[OBS.MARKET_REVENUE_GAP] = world[F.REVENUE_GAP]
    out[OBS.MARKET_MUSIC_STOPPED] = 1.0 if world[F.MUSIC_STOPPED] > 0.0 else 0.0
    out[OBS.MARKET_EXPORT_CONTROLS] = 1.0 if world[F.EXPORT_CONTROLS] > 0.0 else 0.0
    for regime in range(4):
        out[OBS.MARKET_REGIME_UNDECIDED + regime] = 1.0 if world[F.REGIME] == regime else 0.0
    out[OBS.MARKET_EQUITY_POOL] = world[F.EQUITY_POOL]
    out[OBS.MARKET_LOAN_POOL] = world[F.LOAN_POOL]
    out[OBS.MARKET_MARKET_PAY] = params[P.PACKAGE_REF]
    out[OBS.MARKET_EQUITY_PLAN_QUARTERS] = params[P.EQUITY_PLAN_QUARTERS] / 8.0
    # hubs
    k = N_FIXED_OBS
    for h in range(hubs.shape[0]):
        out[k + HUB.GPUS] = row[F.HUB_GPUS + h]
        out[k + HUB.ONLINE] = row[F.HUB_ONLINE + h]
        out[k + HUB.STRANDED] = row[F.HUB_STRANDED + h]
        out[k + HUB.BACKLOG] = row[F.HUB_BACKLOG + h]
        out[k + HUB.MW] = row[F.HUB_MW + h]
        out[k + HUB.MW_BUILDING] = mw_building(lab, i, h)
        out[k + HUB.HEADROOM] = world[F.HEADROOM + h]
        out[k + HUB.EXPORT_BLOCKED] = 1.0 if blocked(world, hubs, h) else 0.0
        out[k + HUB.POWER_PRICE] = hubs[h, F.HP_POWER_PRICE] / 100.0
        out[k + HUB.BUILD_LEAD] = hubs[h, F.HP_BUILD_LEAD] / F.PIPE
        out[k + HUB.BUILD_COST] = hubs[h, F.HP_BUILD_COST]
        out[k + HUB.REVENUE_FACTOR] = hubs[h, F.HP_REVENUE_FACTOR]
        out[k + HUB.TALENT_FACTOR] = hubs[h, F.HP_TALENT_FACTOR]
        out[k + HUB.SUBSIDY_PER_GPU] = hubs[h, F.HP_SUBSIDY_PER_GPU] * 1000.0  # $M as $k
        # (as ``HubView`` gives it: 0 where controls would not stop deliveries)
        out[k + HUB.EXPORT_RISK] = hubs[h, F.HP_EXPORT_RISK] if hubs[h, F.HP_EXPORT_CONTROLLED] > 0.0 else 0.0
        out[k + HUB.REGULATORY_RISK] = hubs[h, F.HP_REGULATORY_RISK]
        out[k + HUB.SOVEREIGN_FUNDING] = hubs[h, F.HP_SOVEREIGN_FUNDING]
        k += HUB_WIDTH
    # rivals, starting with the next seat
    for step in range(1, n):
        j = (i + step) % n
        status = lab[j, F.STATUS]
        out[k + RIVAL.ALIVE] = 1.0 if status == F.ALIVE else 0.0
        out[k + RIVAL.ACQUIRED] = 1.0 if status == F.ACQUIRED else 0.0
        out[k + RIVAL.GPUS] = lab[j, F.ONLINE]
        out[k + RIVAL.STAGE] = stage(lab[j, F.ONLINE]) / 4.0
        out[k + RIVAL.SHARE] = lab[j, F.SHARE]
        out[k + RIVAL.REVENUE] = lab[j, F.REVENUE]
        out[k + RIVAL.PARTNER_TAKE] = lab[j, F.OUT_PARTNER]  # its compute partner's share of that revenue
        out[k + RIVAL.VALUATION] = lab[j, F.VALUATION]
        out[k + RIVAL.QUALITY_RANK] = _rank_share(quality_rank(lab, j), n)
        out[k + RIVAL.OPEN_SOURCE] = 1.0 if lab[j, F.OPEN_SOURCE] > 0.0 else 0.0
        out[k + RIVAL.SCORE] = lab[j, F.SCORE]
        out[k + RIVAL.RANK] = _rank_share(lab[j, F.RANK], n)
        out[k + RIVAL.ESCAPE_IN] = _escape(lab, j, params)
        k += RIVAL_WIDTH
    _finish(out, k, logs)
    return k


@kernel
def start_score(lab, i, world, params):
    """The score a lab starts from (the engine scores from quarter 1): 0 at a campaign's start."""
    return score(lab, i, world, params)


@kernel
def observe_agents(lab, world, params, hubs, seat_agent, logs, prev_score, obs):
    """Every agent's observation (``obs[a]``) and its score baseline, at the start of an episode."""
    for i in range(lab.shape[0]):
        a = seat_agent[i]
        if a >= 0:
            observe(lab, world, params, hubs, i, logs, obs[a])
            prev_score[a] = start_score(lab, i, world, params)


@inline_kernel
def step_game(lab, world, orders, actions, params, hubs, sched, key, seat_bot, seat_agent, codes, knobs, logs,
              reward_mode, prev_score, obs, rewards, done):
    """One quarter of one game: bots and agents order, the engine resolves, agents observe.

    Seat ``i`` is played by built-in bot ``seat_bot[i]`` (``codes``/``knobs`` rows) or, if that is
    -1, by agent ``seat_agent[i]`` with the action ``actions[a]``. For each agent ``a`` it writes
    ``obs[a]``, ``rewards[a]`` and ``done[a]`` (its lab is out of the game, or the game is over).
    """
    order_game(lab, world, orders, actions, params, hubs, key, seat_bot, seat_agent, codes, knobs)
    resolve_quarter(lab, world, orders, params, hubs, sched, key)
    outcome_game(lab, world, params, hubs, seat_agent, logs, reward_mode, prev_score, obs, rewards, done)


@inline_kernel
def order_game(lab, world, orders, actions, params, hubs, key, seat_bot, seat_agent, codes, knobs):
    """Every seat's orders for the quarter: its bot's, or its agent's action's."""
    for i in range(lab.shape[0]):
        b = seat_bot[i]
        if b >= 0:
            policy(codes[b], knobs[b], lab, world, params, hubs, i, orders, key)
        else:
            apply_action(actions[seat_agent[i]], lab, world, params, hubs, i, orders)


@inline_kernel
def outcome_game(lab, world, params, hubs, seat_agent, logs, reward_mode, prev_score, obs, rewards, done):
    """After the quarter: every agent's observation, reward and done."""
    n = lab.shape[0]
    over = world[F.GAME_OVER] > 0.0
    for i in range(n):
        a = seat_agent[i]
        if a < 0:
            continue
        observe(lab, world, params, hubs, i, logs, obs[a])
        ended = over or lab[i, F.STATUS] != F.ALIVE
        score = lab[i, F.SCORE]
        if reward_mode == REWARD_RANK:
            rewards[a] = (n - lab[i, F.RANK]) / (n - 1.0) if ended else 0.0
        else:
            rewards[a] = score - prev_score[a]
        prev_score[a] = score
        done[a] = ended


@kernel
def next_seed(seed, step):
    """``seed + step`` modulo 2**63, without overflowing int64."""
    if seed <= MAX_SEED - step:
        return seed + step
    return seed - (MAX_SEED - step + 1)


@inline_kernel
def reset_game(g, labs, worlds, keys, seeds, lab0, world0, obs0, score0, prev_score, obs):
    """Game ``g`` back to the start, keyed by ``seeds[g]`` as ``Game`` keys a seed (game id 0).
    The start is the same for every seed, so are its observations ``obs0`` and the score
    baselines ``score0`` (``observe_agents`` of the start, worked out once)."""
    for i in range(lab0.shape[0]):
        for f in range(lab0.shape[1]):
            labs[g, i, f] = lab0[i, f]
    for f in range(world0.shape[0]):
        worlds[g, f] = world0[f]
    keys[g] = game_key(seeds[g], 0)
    for a in range(obs0.shape[0]):
        prev_score[g, a] = score0[a]
        for d in range(obs0.shape[1]):
            obs[g, a, d] = obs0[a, d]


@kernel
def reset_batch(labs, worlds, keys, seeds, lab0, world0, obs0, score0, prev_score, obs, ep_return, ep_length):
    for g in range(labs.shape[0]):
        reset_game(g, labs, worlds, keys, seeds, lab0, world0, obs0, score0, prev_score, obs)
        ep_return[g] = 0.0
        ep_length[g] = 0


@inline_kernel
def end_step(g, labs, worlds, keys, seeds, seat_agent, lab0, world0, obs0, score0, prev_score, obs, rewards, done,
             final_obs, final_rank, final_score, ep_return, ep_length, out_return, out_length, out_seed):
    """Game ``g`` of a batch (one agent per game) after its step: the episode's tally, and a new
    episode if this one ended.

    An ended game's last observation goes to ``final_obs[g]`` with its rank, score, return,
    length and seed; the next episode is seeded ``seeds[g] + G`` (mod 2**63, G = batch size)
    and its first observation is left in ``obs[g]``.
    """
    ep_return[g] += rewards[g, 0]
    ep_length[g] += 1
    if not done[g, 0]:
        return
    lab = labs[g]
    seat = 0
    for i in range(lab.shape[0]):
        if seat_agent[i] == 0:
            seat = i
    for d in range(obs.shape[2]):
        final_obs[g, d] = obs[g, 0, d]
    final_rank[g] = lab[seat, F.RANK]
    final_score[g] = lab[seat, F.SCORE]
    out_return[g] = ep_return[g]
    out_length[g] = ep_length[g]
    out_seed[g] = seeds[g]
    ep_return[g] = 0.0
    ep_length[g] = 0
    seeds[g] = next_seed(seeds[g], labs.shape[0])
    reset_game(g, labs, worlds, keys, seeds, lab0, world0, obs0, score0, prev_score, obs)


@kernel
def _warm(lab, scratch):
    """Read one number from each cache line of a game's state, in order, before the quarter reads
    it in its own order: a batch bigger than the cache is streamed in at the memory's pace instead
    of one miss at a time. (The loads feed a test no state passes, so the compiler keeps them.)"""
    total = 0.0
    for i in range(lab.shape[0]):
        for f in range(0, lab.shape[1], 8):
            total += lab[i, f]
    if total == -1.2345e300:
        scratch[0, 0] = total


@kernel
def step_games(lo, hi, labs, worlds, orders, actions, params, hubs, sched, keys, seeds, seat_bot, seat_agent, codes,
               knobs, logs, lab0, world0, obs0, score0, reward_mode, prev_score, obs, rewards, done, final_obs,
               final_rank, final_score, ep_return, ep_length, out_return, out_length, out_seed):
    """A step of games ``lo`` .. ``hi - 1`` (one agent per game), one after another:
    ``step_game`` and ``end_step``, inlined here (a call per game costs more than some phases).

    ``orders`` [L, ORDER_FIELDS] is scratch the games share in turn: every seat's row is
    written afresh before the quarter reads it, so none needs its own (nor to stream it
    through memory)."""
    for g in range(lo, hi):
        _warm(labs[g], orders)
        step_game(labs[g], worlds[g], orders, actions[g], params, hubs, sched, keys[g], seat_bot, seat_agent, codes,
                  knobs, logs, reward_mode, prev_score[g], obs[g], rewards[g], done[g])
        end_step(g, labs, worlds, keys, seeds, seat_agent, lab0, world0, obs0, score0, prev_score, obs, rewards, done,
                 final_obs, final_rank, final_score, ep_return, ep_length, out_return, out_length, out_seed)


PARALLEL_CHUNK = 64  # games a thread steps at a time


@kernel
def chunks(games):
    """How many chunks of ``PARALLEL_CHUNK`` games a batch of ``games`` is stepped in."""
    return (games + PARALLEL_CHUNK - 1) // PARALLEL_CHUNK


# (numba reserves the name "sched" inside prange loops: "schedule" here)
@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def step_batch_prange(labs, worlds, orders, actions, params, hubs, schedule, keys, seeds, seat_bot, seat_agent,
                      codes, knobs, logs, lab0, world0, obs0, score0, reward_mode, prev_score, obs, rewards, done,
                      final_obs, final_rank, final_score, ep_return, ep_length, out_return, out_length, out_seed):
    """A step of every game of the batch (``step_games``), the games spread over numba's threads
    ``PARALLEL_CHUNK`` at a time (chunk ``c`` uses the scratch ``orders[c]``: ``chunks(G)`` of
    them). Games share nothing and every draw is keyed by its game, so the results are the same
    bits whatever the thread count, one included: a serial batch is this kernel on one thread
    (one entry point to compile, each of which costs minutes, as it inlines a whole quarter)."""
    n = labs.shape[0]
    for c in prange(chunks(n)):
        lo = c * PARALLEL_CHUNK
        step_games(lo, min(lo + PARALLEL_CHUNK, n), labs, worlds, orders[c], actions, params, hubs, schedule, keys,
                   seeds, seat_bot, seat_agent, codes, knobs, logs, lab0, world0, obs0, score0, reward_mode,
                   prev_score, obs, rewards, done, final_obs, final_rank, final_score, ep_return, ep_length,
                   out_return, out_length, out_seed)


def step_batch(parallel: bool, *arrays) -> None:
    """``step_batch_prange(*arrays)`` over numba's threads, or on this thread alone if not
    ``parallel`` (the same bits either way)."""
    threads = get_num_threads()
    if not parallel:
        set_num_threads(1)  # this thread's setting, for this call
    try:
        step_batch_prange(*arrays)
    finally:
        set_num_threads(threads)
