"""From data to arrays: a scenario, the balance and the hubs compiled for the core."""

import re
from dataclasses import dataclass, replace

import numpy as np

from blitzgame.assets import gpus_per_mw, load_balance, load_hubs, load_positions, load_scenario
from blitzgame.engine import layout as F
from blitzgame.engine.layout import HUB_PARAM_NAMES, REGIME_NAMES
from blitzgame.engine.params import PARAM_COUNT, PARAM_NAMES
from blitzgame.engine.turn import founders_value, price_lab
from blitzgame.schemas.assets import Scenario, quarter_index, quarter_label

POSITION_CODES = {"startup": 0.0, "challenger": 1.0, "incumbent": 2.0}
_POSITION_FIELDS = ("cash", "debt", "stake", "parent_cf", "researchers", "quality", "share", "package")


@dataclass(frozen=True)
class LabSetup:
    """Who a lab is at the start: its name, starting position and home hub."""

    name: str
    position: str = "startup"
    hub: str = "virginia"


@dataclass(frozen=True, eq=False)
class World:
    """The fixed inputs of a game: scenario, balance, hubs and shock schedule as arrays."""

    scenario: Scenario
    params: np.ndarray  # [PARAM_COUNT]
    hubs: np.ndarray  # [H, HUB_PARAM_COUNT]
    hub_ids: tuple[str, ...]
    hub_names: tuple[str, ...]
    sched: np.ndarray  # [T, SCHED_FIELDS]

    @property
    def quarters(self) -> int:
        return self.scenario.quarters

    def label(self, index: int) -> str:
        """'2025Q3' for quarter ``index`` of the campaign (0 = the first)."""
        return quarter_label(self.scenario.start, index)

    def hub_index(self, hub_id: str) -> int:
        return self.hub_ids.index(hub_id)

    def controls_due(self, quarter: int) -> int | None:
        """The first quarter from ``quarter`` on at whose end the scenario starts export controls
        (M11; they then stop shipments from the next), or None if it schedules none."""
        due = np.flatnonzero(self.sched[quarter:, F.S_EXPORT_CONTROLS] > 0.0)
        return quarter + int(due[0]) if len(due) else None

    def export_controlled(self, h: int) -> bool:
        """Whether export controls, once on, stop shipments to hub ``h``."""
        return bool(self.hubs[h, F.HP_EXPORT_CONTROLLED] > 0.0)


def dominance_numbers(scenario: Scenario) -> dict[str, float]:
    """Escape velocity's numbers in ``scenario`` (docs/design.md §4): ``gpus``, ``lead``, ``share`` and
    ``quarters``, the balance's where the scenario sets none."""
    balance = load_balance()
    numbers = {name: balance.value(f"dominance_{name}") for name in ("gpus", "lead", "share", "quarters")}
    if scenario.dominance is not None:
        numbers.update({name: number.value for name, number in scenario.dominance if number is not None})
    return numbers


def compile_world(scenario: Scenario | str) -> World:
    """Arrays for the core from a scenario (an id, a path, or a loaded model)."""
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    balance = load_balance()
    params = np.array([balance.value(name) for name in PARAM_NAMES], dtype=np.float64)
    assert params.shape == (PARAM_COUNT,)
    for name, value in dominance_numbers(scenario).items():  # the scenario's own escape-velocity condition, if any
        params[PARAM_NAMES.index(f"dominance_{name}")] = value
    if not scenario.chance_crash:  # the music stops only where a music_stops shock says
        params[PARAM_NAMES.index("music_hazard")] = 0.0
    hub_models = load_hubs().hub
    hubs = np.zeros((len(hub_models), F.HUB_PARAM_COUNT))
    for h, hub in enumerate(hub_models):
        numbers = {name: n.value for name, n in hub.numbers.items()}
        numbers.update({name: n.value for name, n in scenario.hubs.get(hub.id, {}).items()})
        for name, index in HUB_PARAM_NAMES.items():
            hubs[h, index] = numbers[name]
        kw_per_gpu = balance.value("kw_per_gpu")
        hubs[h, F.HP_GPUS_PER_MW] = gpus_per_mw(kw_per_gpu, numbers["pue"])
        hubs[h, F.HP_ENERGY_PER_GPU] = (kw_per_gpu / 1000.0 * numbers["pue"] * balance.value("hours_per_quarter")
                                        * numbers["power_price"] / 1e6)
    hub_ids = tuple(h.id for h in hub_models)
    sched = np.zeros((scenario.quarters, F.SCHED_FIELDS))
    sched[:, F.S_SUPPLY_MULT] = 1.0
    for shock in scenario.shocks:
        at = quarter_index(scenario.start, shock.quarter)
        if shock.kind == "gpu_supply":
            span = shock_quarters(scenario, shock)
            sched[span.start:span.stop, F.S_SUPPLY_MULT] *= shock.multiplier
        elif shock.kind == "power_cap":
            sched[at, F.S_HEADROOM_DELTA + hub_ids.index(shock.hub)] += shock.mw
        elif shock.kind == "export_controls":
            sched[at, F.S_EXPORT_CONTROLS] = 1.0
        elif shock.kind == "music_stops":
            sched[at, F.S_MUSIC_STOPS] = 1.0
        elif shock.kind == "sentiment":
            sched[at, F.S_SENTIMENT_SHOCK] += shock.delta
    return World(scenario, params, hubs, hub_ids, tuple(h.name for h in hub_models), sched)


def shock_quarters(scenario: Scenario, shock) -> range:
    """The quarters (indices) a scenario's GPU supply event cuts vendors' output in."""
    at = quarter_index(scenario.start, shock.quarter)
    return range(at, at + shock.quarters)


def supply_events(world: World, quarter: int) -> str:
    """The scenario's GPU supply events that cut vendors' output in quarter ``quarter``, in its
    author's words, as one clause ("" if none)."""
    return "; ".join(shock.why.rstrip(".") for shock in world.scenario.shocks
                     if shock.kind == "gpu_supply" and quarter in shock_quarters(world.scenario, shock))


# the markets that grow with a world's labs when it holds more labs than its scenario's roster
SCALED_MARKETS = ("vendor_supply", "cloud_pool", "talent_pool", "revenue_pool")


def scaled_world(scenario: Scenario, labs: int) -> World:
    """The scenario compiled for ``labs`` labs (a shared class's world): past its own roster, its
    markets (GPU supply, the cloud pool, the talent pool, the revenue pool) and every hub's grid,
    with the grid's scheduled changes, grow in proportion, so that each lab meets the scarcity a
    lab of the scenario meets."""
    factor = max(1.0, labs / len(scenario.labs))
    if factor == 1.0:
        return compile_world(scenario)
    data = scenario.model_dump()
    for name in SCALED_MARKETS:
        data["world"][name]["value"] *= factor
    world = compile_world(Scenario.model_validate(data))
    hubs, sched = world.hubs.copy(), world.sched.copy()
    hubs[:, F.HP_HEADROOM] *= factor
    sched[:, F.S_HEADROOM_DELTA:F.S_HEADROOM_DELTA + hubs.shape[0]] *= factor
    return replace(world, hubs=hubs, sched=sched)


def initial_world(world: World) -> np.ndarray:
    """The world row at the start of the campaign."""
    start = world.scenario.world
    w = np.zeros(F.WORLD_FIELDS)
    w[F.N_QUARTERS] = world.quarters
    w[F.WINNER] = -1.0
    w[F.MUSIC_QUARTER] = -1.0
    for name, number in start:  # the scenario's [world] names are world fields
        w[F.WORLD_FIELD_NAMES[name]] = number.value
    w[F.SENTIMENT_PEAK] = start.sentiment.value
    regime = world.scenario.regime
    w[F.REGIME_FIXED] = 0.0 if regime == "drawn" else float(REGIME_NAMES.index(regime))
    w[F.REGIME_QUARTER] = np.floor(world.quarters * world.params[PARAM_NAMES.index("regime_at")])
    for h in range(world.hubs.shape[0]):
        w[F.HEADROOM + h] = world.hubs[h, F.HP_HEADROOM]
    return w


def initial_labs(world: World, setups: list[LabSetup], w: np.ndarray) -> np.ndarray:
    """The lab rows at the start; also books the labs' starting power against grid headroom
    and sets the world's revenue history from their starting revenue."""
    positions = load_positions()
    params = dict(zip(PARAM_NAMES, world.params))
    labs = np.zeros((len(setups), F.LAB_FIELDS))
    revenue = 0.0
    for i, setup in enumerate(setups):
        p = getattr(positions, setup.position)
        h = world.hub_index(setup.hub)
        row = labs[i]
        row[F.POSITION] = POSITION_CODES[setup.position]
        for name in _POSITION_FIELDS:  # numbers of positions.toml named as lab fields
            row[F.LAB_FIELD_NAMES[name]] = getattr(p, name).value
        gpus = p.gpus.value
        mw = gpus / world.hubs[h, F.HP_GPUS_PER_MW] * world.scenario.start_power_ratio.value
        row[F.HUB_GPUS + h] = gpus
        row[F.HUB_MW + h] = mw
        w[F.HEADROOM + h] = max(0.0, w[F.HEADROOM + h] - mw)
        online = min(gpus, mw * world.hubs[h, F.HP_GPUS_PER_MW])
        row[F.HUB_ONLINE + h] = online
        row[F.HUB_STRANDED + h] = gpus - online
        row[F.GPUS] = gpus
        row[F.ONLINE] = online
        row[F.STRANDED] = gpus - online
        row[F.PEAK_GPUS] = online
        row[F.RELATIONSHIP] = gpus
        row[F.TALENT_QUALITY] = 1.0
        row[F.STAFF] = 10.0 + p.researchers.value * params["staff_per_researcher"] + gpus / 1000.0 * params["staff_per_kgpu"]
        row[F.CULTURE] = 0.8
        row[F.UTILIZATION] = params["utilization_base"] + params["utilization_talent"] * 0.8
        row[F.EFFICIENCY] = 1.0
        row[F.COMPUTE] = online * row[F.UTILIZATION]
        row[F.REVENUE] = min(p.share.value * w[F.REVENUE_POOL], row[F.COMPUTE] * 0.5 * params["revenue_per_gpu"])
        revenue += row[F.REVENUE]
        row[F.RANK] = i + 1.0
        row[F.SPENDING] = row[F.CASH] / 4.0  # investors take a lab's starting cash as a year of its plan
    for i in range(len(setups)):  # priced as investors price it every quarter; the founders' value is the score's zero
        price_lab(labs, i, w, world.params)
        labs[i, F.START_VALUE] = founders_value(labs, i, w, world.params)
    w[F.FRONTIER] = float(labs[:, F.QUALITY].max())
    w[F.ALIVE_LABS] = len(setups)
    employed = float(labs[:, F.RESEARCHERS].sum())
    w[F.TALENT_POOL] = max(w[F.TALENT_POOL], employed)
    w[F.TALENT_FREE] = w[F.TALENT_POOL] - employed
    for k in range(4):
        w[F.REVENUE_4Q + k] = revenue
        w[F.CAPEX_4Q + k] = revenue * w[F.REVENUE_GAP]
    return labs


SPARE_NAMES = ("Kestrel Compute", "Lumen Works", "Quasar Systems", "Tidewater AI", "Basalt Labs",
               "Orchid Intelligence", "Vantage Models", "Cobalt Reasoning")  # startups beyond a roster


def default_setups(world: World, count: int | None = None) -> list[LabSetup]:
    """The scenario's roster, cut or extended with startups to ``count`` labs: named from
    ``SPARE_NAMES`` (any the roster already uses skipped), then "Lab k"."""
    roster = [LabSetup(lab.name, lab.position, lab.hub) for lab in world.scenario.labs]
    count = len(roster) if count is None else count
    taken = {lab.name.casefold() for lab in roster}
    names = [name for name in SPARE_NAMES if name.casefold() not in taken]
    extra = [LabSetup(names.pop(0) if names else f"Lab {k + 1}", "startup", world.hub_ids[k % len(world.hub_ids)])
             for k in range(len(roster), count)]
    return (roster + extra)[:count]


def is_placeholder(name: str) -> bool:
    """Whether a roster name only holds a seat for a team ("Team 3" in a class scenario)."""
    return re.fullmatch(r"team \d+", name.casefold()) is not None


def rival_name(name: str, k: int, taken: set[str]) -> str:
    """The name a bot's lab plays under: its roster name, unless that is taken (``taken``:
    names already in the game, casefolded) or a class scenario's placeholder ("Team 3"),
    which would pass a bot off as a team; then ``Rival k`` (``Rival k-2``... if that is taken
    too). The name is added to ``taken``."""
    if name.casefold() in taken or is_placeholder(name):
        name, n = f"Rival {k}", 2
        while name.casefold() in taken:
            name, n = f"Rival {k}-{n}", n + 1
    taken.add(name.casefold())
    return name
