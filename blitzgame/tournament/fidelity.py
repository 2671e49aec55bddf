"""Does the game teach what the blitzscaling thesis claims? Measured, not scripted.

``measure(games, seed)`` plays tournaments between the built-in bots and checks each
teaching statement (T1-T7) and the balance rules against what came out of play.
Nothing here steers a result: the statements are read off ordinary games.
"""

from dataclasses import dataclass, field

import numpy as np

from blitzgame.assets import scenario_ids
from blitzgame.bots import arena as A
from blitzgame.bots.base import archetype_names
from blitzgame.engine import layout as F
from blitzgame.engine.people import DEATH_ZONE_HIGH, DEATH_ZONE_LOW
from blitzgame.session.world import LabSetup, compile_world, default_setups
from blitzgame.tournament.batch import Batch, play_batch
from blitzgame.tournament.schedule import game_seeds, lineups

ARCHETYPES = archetype_names()
FIELD = (*ARCHETYPES, "greedy", "random")  # the mixed field of the balance tournament
WALLS = ("capital-winter", "power-crunch")  # the scenarios where money or power caps velocity (T3w)
LABS = 5
MIN_CLASS = 0.002  # a T2 size class needs 0.2% of the labs measured (30 in 15,000) to be compared


@dataclass(frozen=True)
class Check:
    """One statement, the figure measured for it, and whether it holds."""

    id: str
    statement: str
    figure: float
    target: str
    met: bool
    detail: str = ""
    numbers: dict = field(default_factory=dict)


def _tournament(scenario: str, bots: tuple[str, ...], games: int, seed: int, level: bool = False) -> Batch:
    """A balanced tournament on the scenario's roster, or on a level field: every lab a
    challenger, one per hub, so that no seat starts ahead."""
    world = compile_world(scenario)
    setups = default_setups(world, LABS)
    if level:
        setups = [LabSetup(f"Lab {k + 1}", "challenger", world.hub_ids[k % len(world.hub_ids)]) for k in range(LABS)]
    return play_batch(world, setups, bots, lineups(len(bots), LABS, 0, games), game_seeds(seed, games),
                      parallel=True)


def _rate(hits: np.ndarray) -> float:
    return float(hits.mean()) if hits.size else float("nan")


def _alive(batch: Batch) -> np.ndarray:
    return batch.labs[:, :, F.STATUS] == F.ALIVE


def _won(batch: Batch) -> np.ndarray:
    return batch.labs[:, :, F.RANK] == 1.0


def t1_rich_get_richer(batch: Batch, id: str = "T1", field: str = "") -> Check:
    """The GPU leader after year 2 finishes first at least twice as often as chance (``field``:
    the field of bots, if not the mixed one, for the statement's wording)."""
    leader = np.argmax(batch.stats[:, :, A.ST_GPUS_Y2], axis=1)
    wins = _won(batch)[np.arange(batch.games), leader]
    chance = 1.0 / LABS
    ratio = _rate(wins) / chance
    return Check(id, f"rich get richer{field}: the GPU leader after year 2 finishes first at least twice as often as "
                 "chance", ratio, ">= 2x chance", ratio >= 2.0,
                 f"leader at year 2 wins {_rate(wins):.1%} of games; chance is {chance:.0%}")


def t2_death_zone(batch: Batch) -> Check:
    """Labs that end with 1,000-9,999 GPUs survive less often than those below and above.

    A lab that failed counts at the fleet it had when its cash first ran out (what it owned
    plus what arrived that quarter), before fire sales shrank it."""
    end = batch.stats[:, :, A.ST_END_GPUS]
    alive = _alive(batch)
    small = _rate(alive[end < DEATH_ZONE_LOW])
    zone = _rate(alive[(end >= DEATH_ZONE_LOW) & (end < DEATH_ZONE_HIGH)])
    big = _rate(alive[end >= DEATH_ZONE_HIGH])
    margin = min(small, big) - zone
    return Check("T2", "death zone: labs that end with 1,000-9,999 GPUs survive less often than smaller and bigger ones",
                 margin, "zone survival below both", bool(margin > 0.0),
                 f"survival by GPUs owned at the end (failed labs: when their cash ran out): "
                 f"under 1k {small:.1%}, 1k-10k {zone:.1%}, 10k+ {big:.1%}",
                 {"under_1k": small, "death_zone": zone, "over_10k": big})


def t2_death_zone_from_year(batch: Batch, year: int) -> Check:
    """T2 measured from mid-campaign: labs still in the race at the end of ``year`` (alive, their
    cash never run out) with 1,000-9,999 GPUs survive to the end less often than those below and
    above. A class holding under MIN_CLASS of those labs is too small to compare: the detail says
    so and the others are compared."""
    then = batch.stats[:, :, A.ST_GPUS_YEAR + year - 1]
    standing = then >= 0.0
    alive = _alive(batch)
    classes = {"under_1k": standing & (then < DEATH_ZONE_LOW),
               "death_zone": standing & (then >= DEATH_ZONE_LOW) & (then < DEATH_ZONE_HIGH),
               "over_10k": standing & (then >= DEATH_ZONE_HIGH)}
    floor = max(MIN_CLASS * standing.sum(), 1.0)
    rates = {name: _rate(alive[mask]) if mask.sum() >= floor else float("nan") for name, mask in classes.items()}
    outside = [r for name, r in rates.items() if name != "death_zone" and r == r]
    margin = min(outside) - rates["death_zone"] if outside else float("nan")
    shown = ", ".join(f"{label} {rates[name]:.1%}" if rates[name] == rates[name]
                      else f"{label}: {int(classes[name].sum())} labs, too few to compare"
                      for name, label in (("under_1k", "under 1k"), ("death_zone", "1k-10k"), ("over_10k", "10k+")))
    return Check(f"T2y{year}", f"death zone from year {year}: labs still in the race at the end of year {year} with "
                 "1,000-9,999 GPUs survive to the end less often than smaller and bigger ones", margin,
                 "zone survival below both", bool(margin > 0.0),
                 f"survival to the end by GPUs owned at the end of year {year}: {shown}", rates)


def _first_to_10k(batch: Batch) -> tuple[float, int]:
    """How often the first lab to reach 10,000 GPUs wins, and in how many games one did; labs
    that begin at 10,000+ are left out of "first"."""
    start_big = batch.stats[:, :, A.ST_Q_10K] == 0.0  # already there when the game began
    q = np.where(start_big | (batch.stats[:, :, A.ST_Q_10K] < 0.0), np.inf, batch.stats[:, :, A.ST_Q_10K])
    reached = np.isfinite(q).any(axis=1)
    first = np.argmin(q, axis=1)
    return _rate(_won(batch)[np.arange(batch.games), first][reached]), int(reached.sum())


def t3_velocity(batch: Batch, id: str = "T3", field: str = "") -> Check:
    """The first lab to reach 10,000 GPUs wins more often than chance. Measured on a level
    field (every lab starts a challenger below 10,000), so that reaching it is velocity,
    not a head start."""
    rate, games = _first_to_10k(batch)
    chance = 1.0 / LABS
    return Check(id, f"velocity{field}: the first lab to reach 10,000 GPUs wins more often than chance",
                 rate / chance, "> 1x chance", bool(rate > chance),
                 f"level field: the first to 10k wins {rate:.1%} of {games} games; chance is {chance:.0%}")


def t3_walls(level: Batch, walls: dict[str, Batch]) -> Check:
    """T3's other side: where money or power is the wall (capital-winter, power-crunch), getting
    big first pays less: the first to 10,000 GPUs wins less often there than on base-2024's
    level field (``level``), about as often as chance or less."""
    base, _ = _first_to_10k(level)
    rates = {scenario: _first_to_10k(batch) for scenario, batch in walls.items()}
    top = max(rate for rate, _ in rates.values())
    return Check("T3w", "velocity hits the wall: where money or power binds (" + ", ".join(walls) + "), the first lab "
                 "to reach 10,000 GPUs wins less often than on base-2024", top / base, "< 1x base-2024's",
                 bool(top < base),
                 "level fields: the first to 10k wins " + "; ".join(
                     f"{rate:.1%} of {games} games in {scenario}" for scenario, (rate, games) in rates.items())
                 + f"; on base-2024 {base:.1%}; chance is {1.0 / LABS:.0%}")


def t4_music_stops(batch: Batch) -> Check:
    """When the music stops, labs under 4 quarters of runway go bankrupt 3x as often as labs with 8+."""
    stopped = batch.worlds[:, F.MUSIC_STOPPED] > 0.0
    runway = batch.stats[stopped][:, :, A.ST_RUNWAY_AT_STOP]
    failed = batch.labs[stopped][:, :, F.STATUS] != F.ALIVE  # wound up, or sold in distress
    known = runway >= 0.0
    short = _rate(failed[known & (runway < 4.0)])
    long = _rate(failed[known & (runway >= 8.0)])
    ratio = short / long if long > 0.0 else (np.inf if short > 0.0 else float("nan"))
    return Check("T4", "music stops: labs with under 4 quarters of runway go bankrupt at least 3x as often as labs with 8+",
                 float(ratio), ">= 3x", bool(ratio >= 3.0),
                 f"out of money (wound up or sold in distress) after a stop: "
                 f"under 4 quarters of runway {short:.1%}, 8+ quarters {long:.1%} "
                 f"({int(stopped.sum())} games where it stopped)", {"short": short, "long": long})


def _stop_quarter(batch: Batch) -> np.ndarray:
    """The quarter the music stopped in each game; games where it never did count as after the end."""
    q = batch.worlds[:, F.MUSIC_QUARTER]
    return np.where(q >= 0.0, q, batch.worlds[:, F.N_QUARTERS])


def t5_unsustainable(sprint: Batch, mixed: Batch) -> Check:
    """Fields of all sprinters and pure blitzscalers see the music stop earlier than mixed fields."""
    a = float(np.median(_stop_quarter(sprint)))
    b = float(np.median(_stop_quarter(mixed)))
    return Check("T5", "unsustainable: fields of all sprinter/pure see the music stop earlier (median quarter) than mixed fields",
                 b - a, "earlier", bool(a < b),
                 f"median stop quarter: sprinter/pure fields {a:.1f}, mixed fields {b:.1f}")


def t6_efficiency(batch: Batch) -> Check:
    """The efficiency player ranks better in commoditization and disruption than in consolidation."""
    eff = np.array(batch.bots).tolist().index("efficient")
    mine = batch.seats == eff
    regime = np.broadcast_to(batch.worlds[:, F.REGIME][:, None], mine.shape)
    rank = batch.labs[:, :, F.RANK]
    cons = float(rank[mine & (regime == F.REGIME_CONSOLIDATION)].mean())
    other = float(rank[mine & ((regime == F.REGIME_COMMODITIZATION) | (regime == F.REGIME_DISRUPTION))].mean())
    return Check("T6", "efficiency: efficient ranks better in commoditization and disruption regimes than in consolidation",
                 cons - other, "better (lower) mean rank", bool(other < cons),
                 f"efficient's mean rank: commoditization/disruption {other:.2f}, consolidation {cons:.2f}")


POWER_CAP = 0.5  # T7: power-crunch's fleets end at most this share of base-2024's
STRANDING = 1.25  # T7q: power-crunch strands at least this many times base-2024's share of GPUs


def _online_at_end(batch: Batch) -> float:
    """GPUs online at the end, averaged over every lab (a lab out of the race has none)."""
    return float(batch.labs[:, :, F.ONLINE].mean())


def t7_power_caps(crunch: Batch, base: Batch, id: str = "T7", field: str = "") -> Check:
    """The grid caps growth: in power-crunch labs end with at most half the GPUs online that the
    same field of bots reaches on base-2024 (``field``: the field, if not the mixed one, for the
    wording). Measured on fleets, not on stranded GPUs: a lab that buys GPUs only where power
    will run them (every archetype) strands few, and is capped all the same."""
    ratio = _online_at_end(crunch) / max(_online_at_end(base), 1.0)
    return Check(id, f"power caps bind{field}: in power-crunch labs end with at most half the GPUs online the same "
                 "bots reach on base-2024", ratio, f"<= {POWER_CAP:.0%}", bool(ratio <= POWER_CAP),
                 f"GPUs online at the end, mean over labs: power-crunch {_online_at_end(crunch):,.0f}, "
                 f"base-2024 {_online_at_end(base):,.0f} ({ratio:.0%})")


def _stranded_share(batch: Batch) -> float:
    """The share of GPUs idle for lack of power, averaged over every lab and quarter it owned GPUs."""
    return float(batch.stats[:, :, A.ST_STRANDED_SUM].sum() / max(batch.stats[:, :, A.ST_STRANDED_QUARTERS].sum(), 1.0))


def t7_stranding(fields: dict[str, tuple[Batch, Batch]]) -> Check:
    """GPUs wait for power: in power-crunch a bigger share of GPUs sits stranded than on base-2024,
    averaged over every lab and quarter, in each field of bots (``fields``: name -> (crunch, base))."""
    shares = {name: (_stranded_share(crunch), _stranded_share(base)) for name, (crunch, base) in fields.items()}
    ratios = {name: crunch / max(base, 1e-9) for name, (crunch, base) in shares.items()}
    low = min(ratios.values())
    return Check("T7q", f"GPUs wait for power, every lab-quarter: in power-crunch at least {STRANDING:g}x the share of "
                 "GPUs sits stranded that does on base-2024, in the mixed field and among the archetypes alone", low,
                 f">= {STRANDING:g}x", bool(low >= STRANDING),
                 "; ".join(f"{name}: {crunch:.1%} against {base:.1%} ({ratios[name]:.1f}x)"
                           for name, (crunch, base) in shares.items()))


def per_bot(batch: Batch) -> dict[str, dict[str, float]]:
    """Win and survival rates and mean rank of each bot of a batch."""
    won, alive, rank = _won(batch), _alive(batch), batch.labs[:, :, F.RANK]
    out = {}
    for b, name in enumerate(batch.bots):
        mine = batch.seats == b
        out[name] = {"games": int(mine.sum()), "win_rate": _rate(won[mine]), "survival_rate": _rate(alive[mine]),
                     "mean_rank": float(rank[mine].mean())}
    return out


def balance(batch: Batch) -> list[Check]:
    """On base-2024: every archetype wins 5-40%; greedy is not the best; defender survives best
    but does not win most."""
    bots = per_bot(batch)
    wins = {n: bots[n]["win_rate"] for n in ARCHETYPES}
    low, high = min(wins.values()), max(wins.values())
    fair = low >= 0.05 and high <= 0.40
    table = ", ".join(f"{n} {w:.0%}" for n, w in wins.items())
    best_rank = min(bots, key=lambda n: bots[n]["mean_rank"])
    survival = {n: v["survival_rate"] for n, v in bots.items()}
    best_survival = max(survival.values())
    defender = bots["defender"]
    best_win = max(wins, key=wins.get)
    return [
        Check("B1", "balance: every archetype wins at least 5% and at most 40% of its games",
              high, "5%..40%", fair, table),
        Check("B2", "balance: greedy is not the top-rated bot", bots["greedy"]["mean_rank"], "not the best",
              best_rank != "greedy", f"best mean rank: {best_rank} ({bots[best_rank]['mean_rank']:.2f}); "
              f"greedy {bots['greedy']['mean_rank']:.2f}"),
        Check("B3", "balance: defender has the best survival rate but not the best win rate",
              defender["survival_rate"], "best survival, not best wins",
              defender["survival_rate"] >= best_survival and best_win != "defender",
              f"defender survives {defender['survival_rate']:.1%} (best {best_survival:.1%}), "
              f"wins {defender['win_rate']:.1%} (best: {best_win} {wins[best_win]:.1%})"),
    ]


def archetype_balance(batch: Batch) -> Check:
    """B1 in the field of the six archetypes alone: every archetype wins 5-40%."""
    wins = {n: v["win_rate"] for n, v in per_bot(batch).items()}
    low, high = min(wins.values()), max(wins.values())
    return Check("B1a", "balance among the archetypes alone: every archetype wins at least 5% and at most 40%",
                 high, "5%..40%", low >= 0.05 and high <= 0.40, ", ".join(f"{n} {w:.0%}" for n, w in wins.items()))


def no_runaway(batches: dict[str, Batch]) -> Check:
    """On every built-in scenario, in the mixed field, no bot wins more than half its games (the
    strategist, a planner built to beat them, is not in it: the tournaments rate it)."""
    best = {scenario: max(per_bot(b).items(), key=lambda kv: kv[1]["win_rate"]) for scenario, b in batches.items()}
    top = max(v["win_rate"] for _, v in best.values())
    return Check("B4", "no runaway bot: on every built-in scenario, in the mixed field (the six archetypes, greedy and "
                 "random), no bot wins more than 50% of its games",
                 top, "<= 50%", top <= 0.5,
                 "; ".join(f"{s}: {name} {v['win_rate']:.0%}" for s, (name, v) in best.items()))


def measure(games: int = 20000, seed: int = 2024) -> tuple[list[Check], dict]:
    """Play the fidelity tournaments and check every statement; also returns per-bot figures."""
    mixed = _tournament("base-2024", FIELD, games, seed)
    side = max(games // 4, 200)
    sprint = _tournament("base-2024", ("sprinter", "pure"), side, seed + 1)
    crunch = _tournament("power-crunch", FIELD, side, seed + 2)
    level = _tournament("base-2024", FIELD, side, seed + 3, level=True)
    archetypes = _tournament("base-2024", ARCHETYPES, side, seed + 4)
    archetypes_level = _tournament("base-2024", ARCHETYPES, side, seed + 5 + len(scenario_ids()), level=True)
    walls = {s: _tournament(s, FIELD, side, seed + 6 + len(scenario_ids()) + k, level=True)
             for k, s in enumerate(WALLS)}
    crunch_archetypes = _tournament("power-crunch", ARCHETYPES, side, seed + 6 + len(scenario_ids()) + len(WALLS))
    per_scenario = max(games // 10, 200)
    scenarios = {s: _tournament(s, FIELD, per_scenario, seed + 5 + k) for k, s in enumerate(scenario_ids())}
    alone = " among the archetypes alone"
    checks = [t1_rich_get_richer(mixed), t1_rich_get_richer(archetypes, "T1a", alone), t2_death_zone(mixed),
              *(t2_death_zone_from_year(mixed, y) for y in (1, 2, 3)),
              t3_velocity(level), t3_velocity(archetypes_level, "T3a", alone), t3_walls(level, walls),
              t4_music_stops(mixed), t5_unsustainable(sprint, mixed), t6_efficiency(mixed),
              t7_power_caps(crunch, mixed), t7_power_caps(crunch_archetypes, archetypes, "T7a", alone),
              t7_stranding({"mixed field": (crunch, mixed), "archetypes alone": (crunch_archetypes, archetypes)}),
              *balance(mixed), archetype_balance(archetypes),
              no_runaway(scenarios)]
    return checks, per_bot(mixed)


def render(checks: list[Check], bots: dict, games: int) -> str:
    """The statements as a teacher reads them: verdict, statement, measured figure."""
    lines = [f"Fidelity: what {games:,} base-2024 games (plus side tournaments) teach", ""]
    for c in checks:
        lines.append(f"{'holds ' if c.met else 'FAILS '} {c.id}  {c.statement}")
        lines.append(f"        {c.detail}")
    lines += ["", f"{'bot':<11}{'games':>8}{'win rate':>10}{'survival':>10}{'mean rank':>11}"]
    for name, v in bots.items():
        lines.append(f"{name:<11}{v['games']:>8}{v['win_rate']:>10.1%}{v['survival_rate']:>10.1%}{v['mean_rank']:>11.2f}")
    held = sum(c.met for c in checks)
    lines += ["", f"{held} of {len(checks)} statements hold."]
    return "\n".join(lines)


def _number(x: float) -> float | None:
    """A figure for JSON: a rate that could not be measured (a class too small) is null, not NaN."""
    return None if x != x else x


def as_json(checks: list[Check], bots: dict, games: int, seed: int) -> dict:
    return {"games": games, "seed": seed, "held": sum(c.met for c in checks), "statements": len(checks),
            "checks": [{"id": c.id, "statement": c.statement, "figure": _number(c.figure), "target": c.target,
                        "met": c.met, "detail": c.detail,
                        **({"numbers": {k: _number(v) for k, v in c.numbers.items()}} if c.numbers else {})}
                       for c in checks],
            "bots": bots}
