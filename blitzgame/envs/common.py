"""What the three environments share: the table (who sits where), the spaces and the checks.

No gymnasium here either: the spaces are built by the environment modules from the sizes and
names given by ``Table``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from blitzgame.bots.base import archetype_names
from blitzgame.engine import layout as F
from blitzgame.envs import kernels as K
from blitzgame.limits import MAX_LABS, MAX_SEED, MIN_LABS
from blitzgame.session.game import Game, SetupError, check_seed
from blitzgame.session.world import LabSetup, World, compile_world, default_setups

DEFAULT_SCENARIO = "base-2024"
RIVAL_CYCLE = archetype_names()  # for a count of rivals: the archetypes in turn
DEFAULT_RIVALS = RIVAL_CYCLE[:4]  # sprinter, platform, integrator, pure: a mix of styles
REWARDS = tuple(K.REWARD_CODES)


class EnvError(ValueError):
    """An environment asked for something it cannot do; the message says what and why."""


@dataclass(frozen=True, eq=False)
class Table:
    """A game's fixed inputs for an environment: the compiled world, the labs, who plays each
    seat and the start state every episode copies."""

    world: World
    setups: tuple[LabSetup, ...]
    bots: tuple[str, ...]  # the built-in bots at the table (seat_bot indexes it)
    seat_bot: np.ndarray  # [L] int64: bot index, or -1 for an agent's seat
    seat_agent: np.ndarray  # [L] int64: agent index, or -1 for a bot's seat
    codes: np.ndarray  # [B] int64 policy kernels
    knobs: np.ndarray  # [B, KNOB_COUNT]
    lab0: np.ndarray  # [L, LAB_FIELDS] at the start
    world0: np.ndarray  # [WORLD_FIELDS] at the start
    reward_mode: int
    reward: str
    logs: np.ndarray  # [obs_dim] bool: which observation entries are slog'd (kernels.observation_logs)
    obs0: np.ndarray  # [agents, obs_dim] float32: every agent's first observation (the start is the same for any seed)
    score0: np.ndarray  # [agents]: the score each agent's lab starts from

    @property
    def n_labs(self) -> int:
        return len(self.setups)

    @property
    def n_agents(self) -> int:
        return int((self.seat_agent >= 0).sum())

    @property
    def obs_dim(self) -> int:
        return K.observation_dim(len(self.world.hub_ids), self.n_labs)

    @property
    def act_dim(self) -> int:
        return K.action_dim(len(self.world.hub_ids))

    @property
    def observation_names(self) -> tuple[str, ...]:
        return K.observation_names(self.world.hub_ids, self.n_labs)

    @property
    def observation_spec(self) -> tuple[tuple[str, str], ...]:
        return K.observation_spec(self.world.hub_ids, self.n_labs)

    @property
    def action_names(self) -> tuple[str, ...]:
        return K.action_names(self.world.hub_ids)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.setups]


def _world(scenario) -> World:
    from blitzgame.schemas.assets import Scenario

    if isinstance(scenario, World):
        return scenario
    if isinstance(scenario, os.PathLike):
        scenario = os.fspath(scenario)
    if not isinstance(scenario, (str, Scenario)):
        raise EnvError(f"scenario is a scenario id (see `blitzgame scenarios`), a .toml file's path or a loaded "
                       f"Scenario, not {scenario!r}")
    try:
        return compile_world(scenario)
    except (FileNotFoundError, KeyError, ValueError) as error:
        raise EnvError(str(error)) from None


def _reward(reward: str) -> int:
    if reward not in K.REWARD_CODES:
        raise EnvError(f"unknown reward {reward!r}; choose one of: {', '.join(REWARDS)}")
    return K.REWARD_CODES[reward]


def rival_names(rivals) -> tuple[str, ...]:
    """``None`` (the default mix), a count (archetypes in turn) or bot names, checked."""
    from blitzgame.bots.base import available_bots

    if rivals is None:
        names = DEFAULT_RIVALS
    elif isinstance(rivals, (int, np.integer)) and not isinstance(rivals, bool):
        if not MIN_LABS - 1 <= rivals <= MAX_LABS - 1:
            raise EnvError(f"rivals must be {MIN_LABS - 1}-{MAX_LABS - 1}, got {rivals}")
        names = tuple(RIVAL_CYCLE[k % len(RIVAL_CYCLE)] for k in range(int(rivals)))
    elif isinstance(rivals, str):
        raise EnvError(f"rivals={rivals!r} is one name: give a list of names ([{rivals!r}] for one rival, "
                       f"[{rivals!r}] * 4 for four) or a count (the archetypes in turn)")
    else:
        if isinstance(rivals, (set, frozenset, dict)):  # no order: the seats would be drawn by hash
            raise EnvError(f"rivals must be a count or a list of bot names (in seat order), not a "
                           f"{type(rivals).__name__}")
        try:
            names = tuple(rivals)
        except TypeError:
            raise EnvError(f"rivals must be a count or a list of bot names, got {rivals!r}") from None
    from blitzgame.bots.knobs import CODE_STRATEGIST

    known = {name: cls for name, cls in available_bots().items() if cls.code != CODE_STRATEGIST}
    for name in names:
        if name == "strategist":
            raise EnvError("the strategist cannot be a rival in the learning environments: it plans by playing "
                           f"whole games forward, too slow for a training step; rivals are: {', '.join(known)}")
        if isinstance(name, type) or hasattr(name, "decide") or (isinstance(name, str) and ":" in name):
            shown = getattr(name, "__name__", type(name).__name__) if not isinstance(name, str) else name
            raise EnvError(f"rival {shown!r}: rivals here are built-in bots, named ({', '.join(known)}); your own "
                           "Python bots cannot be rivals in the learning environments (the game runs compiled): "
                           "play them against each other with blitzgame.play or a tournament")
        if not isinstance(name, str):
            raise EnvError(f"rivals: {name!r} is not a bot name; give a list of names ({', '.join(known)}) "
                           "or a count (the archetypes in turn)")
        if name not in known:
            hint = f" (did you mean {name.lower()!r}?)" if name.lower() in known else ""
            raise EnvError(f"unknown rival {name!r}{hint}: rivals are built-in bots ({', '.join(known)})")
    if not MIN_LABS <= len(names) + 1 <= MAX_LABS:
        raise EnvError(f"a game has {MIN_LABS}-{MAX_LABS} labs; {len(names)} rival(s) and you make {len(names) + 1}")
    return names


def _table(world: World, setups: list[LabSetup], seat_bot: list[int], bots: tuple[str, ...], reward: str) -> Table:
    from blitzgame.bots.base import bot_table

    try:
        start = Game(world, 0, setups)  # checks the labs (names, hubs, positions, count)
    except SetupError as error:
        raise EnvError(str(error)) from None
    codes, knobs = bot_table(bots) if bots else (np.zeros(0, dtype=np.int64), np.zeros((0, 1)))
    seat_bot_arr = np.array(seat_bot, dtype=np.int64)
    seat_agent = np.full(len(setups), -1, dtype=np.int64)
    agents = np.flatnonzero(seat_bot_arr < 0)
    seat_agent[agents] = np.arange(len(agents))
    lab0, world0 = start.state_labs.copy(), start.state_world.copy()
    logs = K.observation_logs(world.hub_ids, len(setups))
    obs0 = np.zeros((len(agents), K.observation_dim(len(world.hub_ids), len(setups))), dtype=np.float32)
    score0 = np.zeros(len(agents))
    K.observe_agents(lab0, world0, world.params, world.hubs, seat_agent, logs, score0, obs0)
    return Table(world, tuple(setups), bots, seat_bot_arr, seat_agent, codes, np.ascontiguousarray(knobs), lab0, world0,
                 _reward(reward), reward, logs, obs0, score0)


def single_agent_table(scenario=DEFAULT_SCENARIO, rivals=None, reward: str = "rank", name: str = "Agent",
                       position: str = "startup", hub: str = "virginia") -> Table:
    """You (seat 0: ``name``, ``position``, home ``hub``) against built-in ``rivals``, who take
    the scenario's roster as a new campaign gives it to them."""
    world = _world(scenario)
    bots = rival_names(rivals)
    _reward(reward)
    if not isinstance(name, str) or not name.strip():
        raise EnvError(f"the agent's lab needs a name (text), got {name!r}")
    roster = [s for s in default_setups(world, MAX_LABS + 1) if s.name != name.strip()]
    setups = [LabSetup(name.strip(), position, hub)] + roster[:len(bots)]
    return _table(world, setups, [-1] + list(range(len(bots))), bots, reward)


def all_agents_table(scenario=DEFAULT_SCENARIO, labs=5, reward: str = "rank") -> Table:
    """Every lab an agent: ``labs`` is a count (the scenario's roster) or a list of ``LabSetup``."""
    world = _world(scenario)
    _reward(reward)
    if isinstance(labs, (int, np.integer)) and not isinstance(labs, bool):
        if not MIN_LABS <= labs <= MAX_LABS:
            raise EnvError(f"a game needs {MIN_LABS}-{MAX_LABS} labs, got {labs}")
        setups = default_setups(world, int(labs))
    else:
        setups = list(labs) if isinstance(labs, (list, tuple)) else None
        if setups is None or not all(isinstance(s, LabSetup) for s in setups):
            raise EnvError(f"labs must be a count ({MIN_LABS}-{MAX_LABS}) or a list of LabSetup, got {labs!r}")
    return _table(world, setups, [-1] * len(setups), (), reward)


def episode_seed(seed) -> int:
    """A game seed as ``Game`` takes it (0..2**63-1), or EnvError."""
    try:
        return check_seed(seed)
    except SetupError as error:
        raise EnvError(str(error)) from None


def draw_seed(rng: np.random.Generator) -> int:
    """The next episode's seed from an environment's own generator."""
    return int(rng.integers(0, MAX_SEED, endpoint=True))


def action_rows(actions, shape: tuple[int, ...], what: str) -> np.ndarray:
    """Actions of exactly ``shape`` as a float64 ``[rows, act_dim]`` array, or EnvError naming the problem."""
    if actions is None:  # (numpy would read it as a NaN of shape ())
        raise EnvError(f"{what} is None; give an array of shape {shape}")
    try:
        array = np.asarray(actions, dtype=np.float64)
    except (TypeError, ValueError):
        raise EnvError(f"{what} must be numbers, got {type(actions).__name__}") from None
    if array.shape != shape:
        raise EnvError(f"{what} must have shape {shape}, got {array.shape}")
    array = array.reshape(-1, shape[-1])
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        where = f"entry {bad[1]}" if len(shape) == 1 else f"game {bad[0]}, entry {bad[1]}"
        raise EnvError(f"{what}: {where} is {array[tuple(bad)]}; actions must be finite")
    return np.ascontiguousarray(array)


def ansi_table(table: Table, lab: np.ndarray, world: np.ndarray, marks: dict[int, str]) -> str:
    """A text table of the game for ``render_mode="ansi"``."""
    quarter = int(world[F.QUARTER])
    head = f"{table.world.label(min(quarter, table.world.quarters))}  quarter {quarter}/{table.world.quarters}"
    if world[F.GAME_OVER] > 0:
        head += "  game over"
    lines = [head, f"{'':2}{'lab':<22}{'status':<10}{'GPUs on':>10}{'cash $M':>11}{'share':>7}{'score':>9}{'rank':>5}"]
    for i, setup in enumerate(table.setups):
        row = lab[i]
        lines.append(f"{marks.get(i, ''):<2}{setup.name[:21]:<22}{F.STATUS_NAMES[row[F.STATUS]]:<10}"
                     f"{row[F.ONLINE]:>10,.0f}{row[F.CASH]:>11,.0f}{row[F.SHARE]:>7.1%}{row[F.SCORE]:>9.1f}"
                     f"{int(row[F.RANK]):>5}")
    return "\n".join(lines) + "\n"
