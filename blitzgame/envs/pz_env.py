"""Every lab an agent: a PettingZoo ``ParallelEnv`` (all labs order at once, as in the game)."""

from __future__ import annotations

import numpy as np
from pettingzoo import ParallelEnv

from blitzgame._jit_cache import announce_compile
from blitzgame.bots.actions import no_op_action
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.rng import game_key
from blitzgame.envs import kernels as K
from blitzgame.envs.common import (
    DEFAULT_SCENARIO,
    EnvError,
    action_rows,
    all_agents_table,
    ansi_table,
    draw_seed,
    episode_seed,
)
from blitzgame.envs.gym_env import action_space, observation_space


class BlitzgameParallelEnv(ParallelEnv):
    """A Blitzgame campaign in which every lab is an agent (``blitzgame.envs.parallel_env``).

    - ``scenario``: a scenario id, a path or a compiled ``World``; ``labs``: how many labs
      (2-8, the scenario's roster, extended with numbered startups) or a list of ``LabSetup``.
    - ``reward``: ``"rank"`` or ``"score_delta"``, as in ``Blitzgame-v0`` (see ``BlitzgameEnv``).

    Agents are ``"lab_0"`` ... ``"lab_{L-1}"`` (``lab_names`` gives the labs' names). Each sees
    the observation of ``Blitzgame-v0`` from its own seat (rivals start with the next seat) and
    acts with the same action space. A lab that goes bankrupt (or is acquired) is terminated
    that step and leaves ``agents``; when the game ends, every remaining lab is terminated.
    Nothing is ever truncated. ``reset(seed=s)`` plays the game ``Game(world, s, labs)`` would;
    ``reset()`` draws the next seed from the environment's generator. Every live agent must
    act each step; an action for an agent that has left (a loop over last step's observations
    still names it) is ignored.
    """

    metadata = {"name": "blitzgame_v0", "render_modes": ["ansi"], "is_parallelizable": True}

    def __init__(self, scenario=DEFAULT_SCENARIO, labs=5, reward: str = "rank", render_mode: str | None = None) -> None:
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise EnvError(f"unknown render_mode {render_mode!r}; choose one of: {', '.join(self.metadata['render_modes'])}")
        announce_compile(*K.STEP_KERNELS)  # a first run compiles for up to a minute: say so
        self.table = t = all_agents_table(scenario, labs, reward)
        self.render_mode = render_mode
        self.possible_agents = [f"lab_{i}" for i in range(t.n_labs)]
        self.agents: list[str] = []
        self.lab_names = dict(zip(self.possible_agents, t.names))
        self.observation_spaces = {a: observation_space(t) for a in self.possible_agents}
        self.action_spaces = {a: action_space(t) for a in self.possible_agents}
        self.observation_names = t.observation_names
        self.action_names = t.action_names
        self._seat = {a: i for i, a in enumerate(self.possible_agents)}
        self._lab = t.lab0.copy()
        self._world = t.world0.copy()
        self._orders = np.zeros((t.n_labs, F.ORDER_FIELDS))
        self._actions = np.zeros((t.n_labs, t.act_dim))
        self._prev = np.zeros(t.n_labs)
        self._key = 0
        self._rng = np.random.default_rng()
        self.seed_played: int | None = None

    def observation_space(self, agent: str):
        return self.observation_spaces[agent]

    def action_space(self, agent: str):
        return self.action_spaces[agent]

    def reset(self, seed: int | None = None, options: dict | None = None):
        if seed is not None:
            game_seed = episode_seed(seed)
            self._rng = np.random.default_rng(game_seed)
        else:
            game_seed = draw_seed(self._rng)
        t = self.table
        self._lab[:] = t.lab0
        self._world[:] = t.world0
        self._key = game_key(game_seed, 0)
        self.seed_played = game_seed
        self.agents = list(self.possible_agents)
        self._prev[:] = t.score0  # the start is the same for every seed: so is what it shows
        obs = t.obs0.copy()  # every lab is an agent: agent i is lab i
        infos = self._infos(self.agents)
        return {a: obs[i] for i, a in enumerate(self.agents)}, infos

    def step(self, actions: dict):
        live = self.agents
        if not live:
            raise EnvError("the game is over (or never started): call reset()")
        if not isinstance(actions, dict):
            raise EnvError(f"actions must be a dict of agent -> action, got {type(actions).__name__}")
        t = self.table
        rows = self._actions
        rows[:] = 0.0
        seat = self._seat
        shape = (t.act_dim,)
        acted = 0
        for agent, action in actions.items():
            i = seat.get(agent, -1)
            if i < 0:
                raise EnvError(f"{agent!r} is not a live agent; agents are {live}")
            if self._lab[i, F.STATUS] != F.ALIVE:
                continue  # it left the game (its last observation is often still in the caller's dict): ignored
            acted += 1
            try:
                array = np.asarray(action, dtype=np.float64)
            except (TypeError, ValueError):
                raise EnvError(f"action of {agent}: must be numbers, got {type(action).__name__}") from None
            if array.shape != shape:
                raise EnvError(f"action of {agent}: must have shape {shape}, got {array.shape}")
            rows[i] = array
        if acted != len(live):
            missing = [a for a in live if a not in actions]
            raise EnvError(f"every live agent acts each step; no action for {', '.join(missing)}")
        if not np.isfinite(rows).all():
            i, k = np.argwhere(~np.isfinite(rows))[0]
            raise EnvError(f"action of {self.possible_agents[i]}: entry {k} is {rows[i, k]}; actions must be finite")
        obs = np.empty((t.n_labs, t.obs_dim), dtype=np.float32)
        rewards = np.zeros(t.n_labs)
        done = np.zeros(t.n_labs, dtype=np.bool_)
        w = t.world
        K.step_game(self._lab, self._world, self._orders, rows, w.params, w.hubs, w.sched, self._key,
                    t.seat_bot, t.seat_agent, t.codes, t.knobs, t.logs, t.reward_mode, self._prev, obs, rewards, done)
        index = [seat[a] for a in live]
        ended = done.tolist()
        reward = rewards.tolist()
        observations = {a: obs[i] for a, i in zip(live, index)}
        terminations = {a: ended[i] for a, i in zip(live, index)}
        truncations = dict.fromkeys(live, False)
        infos = self._infos(live)
        self.agents = [a for a, i in zip(live, index) if not ended[i]]
        return observations, {a: reward[i] for a, i in zip(live, index)}, terminations, truncations, infos

    def render(self):
        if self.render_mode == "ansi":
            return ansi_table(self.table, self._lab, self._world, {})
        return None

    def no_op_action(self, agent: str) -> np.ndarray:
        """``agent``'s action that orders nothing (see ``BlitzgameEnv.no_op_action``)."""
        if agent not in self._seat:
            raise EnvError(f"no agent {agent!r}; agents are {self.possible_agents}")
        w = self.table.world
        return no_op_action(w.hubs.shape[0], self._lab[self._seat[agent], F.PACKAGE], w.params[P.PACKAGE_REF])

    def decode_action(self, agent: str, action):
        """The orders (``schemas.orders.Orders``) ``action`` gives ``agent``'s lab now."""
        from blitzgame.schemas.orders import Orders

        if agent not in self._seat:
            raise EnvError(f"no agent {agent!r}; agents are {self.possible_agents}")
        if self.seed_played is not None and agent not in self.agents:
            raise EnvError(f"{agent} has left the game (or the game is over): it orders nothing more; "
                           f"live agents are {self.agents}")
        t = self.table
        row = action_rows(action, (t.act_dim,), "action")[0]
        orders = np.zeros((t.n_labs, F.ORDER_FIELDS))
        i = self._seat[agent]
        K.apply_action(row, self._lab, self._world, t.world.params, t.world.hubs, i, orders)
        return Orders.from_array(orders[i], t.world.hub_ids)

    def close(self) -> None:
        pass

    @property
    def state_labs(self) -> np.ndarray:
        """A copy of the game's lab rows (``engine.layout``): the full state, for analysis."""
        return self._lab.copy()

    @property
    def state_world(self) -> np.ndarray:
        return self._world.copy()

    def _infos(self, agents: list[str]) -> dict:
        """Each agent's rank, score and status (alive, bankrupt, acquired), as ``Blitzgame-v0``'s info gives them."""
        ranks = self._lab[:, F.RANK].tolist()
        scores = self._lab[:, F.SCORE].tolist()
        statuses = self._lab[:, F.STATUS].tolist()
        seat = self._seat
        return {a: {"rank": int(ranks[seat[a]]), "score": scores[seat[a]], "status": F.STATUS_NAMES[statuses[seat[a]]]}
                for a in agents}


def parallel_env(scenario=DEFAULT_SCENARIO, labs=5, reward: str = "rank", render_mode: str | None = None) -> BlitzgameParallelEnv:
    """A ``BlitzgameParallelEnv`` (PettingZoo's ``parallel_env`` convention)."""
    return BlitzgameParallelEnv(scenario, labs, reward, render_mode)
