"""``Blitzgame-v0``: one lab (yours) against built-in rivals, as a Gymnasium environment."""

from __future__ import annotations

from dataclasses import dataclass

import gymnasium
import numpy as np
from gymnasium import spaces

from blitzgame._jit_cache import announce_compile
from blitzgame.bots.actions import no_op_action
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.rng import game_key
from blitzgame.envs import kernels as K
from blitzgame.envs.common import (
    DEFAULT_SCENARIO,
    EnvError,
    Table,
    action_rows,
    ansi_table,
    draw_seed,
    episode_seed,
    single_agent_table,
)


def observation_space(table: Table) -> spaces.Box:
    return spaces.Box(-K.OBS_BOUND, K.OBS_BOUND, shape=(table.obs_dim,), dtype=np.float32)


def action_space(table: Table) -> spaces.Box:
    return spaces.Box(0.0, 1.0, shape=(table.act_dim,), dtype=np.float32)


@dataclass
class _GameView:
    """What ``session.observe`` reads from a game, over an environment's arrays."""

    world: object
    state_labs: np.ndarray
    state_world: np.ndarray
    names: list[str]
    seed: int  # the game's seed (``Observation.seed`` comes from it)
    game_id: int = 0

    @property
    def n_labs(self) -> int:
        return len(self.names)

    @property
    def quarter(self) -> int:
        return int(self.state_world[F.QUARTER])

    @property
    def label(self) -> str:
        return self.world.label(self.quarter)


class BlitzgameEnv(gymnasium.Env):
    """You play one lab of a Blitzgame campaign; the other seats are built-in compiled bots.

    ``gymnasium.make("Blitzgame-v0", scenario="base-2024", rivals=None, reward="rank")``

    - ``scenario``: a scenario id (``blitzgame scenarios``), a path to a scenario file, or a
      compiled ``World``.
    - ``rivals``: built-in bot names (``blitzgame bots``), a count of rivals (archetypes in turn:
      sprinter, platform, integrator, pure, defender, efficient) or ``None`` for the default mix
      (sprinter, platform, integrator, pure). Together with you, 2-8 labs.
    - ``reward``: ``"rank"`` (sparse: ``(L - rank) / (L - 1)`` at the step your episode ends, so
      1 for first place and 0 for last; 0 on other steps) or ``"score_delta"`` (dense: the
      change of your lab's score this quarter, in points of $100M of equity value; an
      episode's return is its final score minus the score of its starting valuation).
    - ``name``, ``position`` (startup, challenger, incumbent) and ``hub``: your lab, seat 0.
      The rivals take the scenario's roster, as a new campaign gives it to them.

    Observation: ``Box(-10, 10, (obs_dim,), float32)``, named by ``observation_names``: what the
    Bot API shows your lab -- its own state in full, the market and hubs, rivals' public
    figures -- normalised (see ``blitzgame.envs.kernels``). Action: ``Box(0, 1, (act_dim,),
    float32)``, named by ``action_names``, turned into valid orders by a fixed rule
    (``blitzgame.bots.actions.apply_action``; ``decode_action`` shows the orders).

    An episode is a campaign: it terminates when the game is over or your lab is out
    (bankrupt or acquired). It is never truncated. ``reset(seed=s)`` plays the game that
    ``Game(world, s, labs)`` would (the same dice); ``reset()`` draws the next seed from the
    environment's generator, itself seeded by the last ``reset(seed=...)``.
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 4}

    def __init__(self, scenario=DEFAULT_SCENARIO, rivals=None, reward: str = "rank", name: str = "Agent",
                 position: str = "startup", hub: str = "virginia", render_mode: str | None = None,
                 seed: int | None = None) -> None:
        if seed is not None:  # (``gym.make_vec(..., seed=S)`` hands it on to each env in "sync" and "async" modes)
            raise EnvError(f"seed={seed!r}: this env is seeded by reset(seed=...); gym.make_vec's seed= is "
                           "BatchedEnv's (its default vectorization mode): with vectorization_mode='sync' or "
                           "'async', seed the vector env's reset(seed=...) instead")
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise EnvError(f"unknown render_mode {render_mode!r}; choose one of: {', '.join(self.metadata['render_modes'])}")
        announce_compile(*K.STEP_KERNELS)  # a first run compiles for up to a minute: say so
        self.table = single_agent_table(scenario, rivals, reward, name, position, hub)
        self.render_mode = render_mode
        self.observation_space = observation_space(self.table)
        self.action_space = action_space(self.table)
        self.observation_names = self.table.observation_names
        self.action_names = self.table.action_names
        self.rivals = self.table.bots
        t = self.table
        self._lab = t.lab0.copy()
        self._world = t.world0.copy()
        self._orders = np.zeros((t.n_labs, F.ORDER_FIELDS))
        self._prev = np.zeros(1)
        self._key = 0
        self.seed_played: int | None = None  # the game seed of the current episode
        self._ended = True

    # --- the Gymnasium API ----------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None):
        chosen = episode_seed(seed) if seed is not None else None  # a bad seed changes nothing
        super().reset(seed=chosen)  # (as a Python int: a numpy seed, as BatchedEnv.seeds gives, passes too)
        game_seed = chosen if chosen is not None else draw_seed(self.np_random)
        t = self.table
        self._lab[:] = t.lab0
        self._world[:] = t.world0
        self._key = game_key(game_seed, 0)
        self.seed_played = game_seed
        self._ended = False
        self._prev[:] = t.score0  # the start is the same for every seed: so is what it shows
        return t.obs0[0].copy(), self._info()

    def step(self, action):
        if self._ended:
            raise EnvError("the episode has ended (or never started): call reset()")
        t = self.table
        actions = action_rows(action, (t.act_dim,), "action")
        obs = np.empty((1, t.obs_dim), dtype=np.float32)
        rewards = np.zeros(1)
        done = np.zeros(1, dtype=np.bool_)
        w = t.world
        K.step_game(self._lab, self._world, self._orders, actions, w.params, w.hubs, w.sched, self._key,
                    t.seat_bot, t.seat_agent, t.codes, t.knobs, t.logs, t.reward_mode, self._prev, obs, rewards, done)
        self._ended = bool(done[0])
        return obs[0], float(rewards[0]), self._ended, False, self._info()

    def render(self):
        if self.render_mode == "ansi":
            return ansi_table(self.table, self._lab, self._world, {0: "*"})
        return None

    # --- for people and tests --------------------------------------------------------------
    def no_op_action(self) -> np.ndarray:
        """The action that orders nothing in the current state (``bots.actions.no_op_action``):
        your lab's pay as it is and half the compute training, nothing else. (All zeros is not
        it: that pays half the market's rate and trains nothing.)"""
        w = self.table.world
        return no_op_action(w.hubs.shape[0], self._lab[0, F.PACKAGE], w.params[P.PACKAGE_REF])

    def decode_action(self, action):
        """The orders (``schemas.orders.Orders``) this action gives your lab in the current state
        (before the first ``reset``, the start's); refused once the episode has ended."""
        from blitzgame.schemas.orders import Orders

        if self._ended and self.seed_played is not None:
            raise EnvError("the episode has ended: your lab orders nothing more; call reset()")
        t = self.table
        actions = action_rows(action, (t.act_dim,), "action")
        orders = np.zeros((t.n_labs, F.ORDER_FIELDS))
        K.apply_action(actions[0], self._lab, self._world, t.world.params, t.world.hubs, 0, orders)
        return Orders.from_array(orders[0], t.world.hub_ids)

    def bot_observation(self, lab: int = 0):
        """What the Bot API's ``Observation`` shows lab ``lab`` now (the figures ``observation_names`` encode)."""
        from blitzgame.session.observe import observe

        return observe(_GameView(self.table.world, self._lab, self._world, self.table.names, self.seed_played or 0), lab)

    @property
    def state_labs(self) -> np.ndarray:
        """A copy of the game's lab rows (``engine.layout``): the full state, for analysis, not for agents."""
        return self._lab.copy()

    @property
    def state_world(self) -> np.ndarray:
        return self._world.copy()

    def _info(self) -> dict:
        row = self._lab[0]
        return {"seed": self.seed_played, "quarter": int(self._world[F.QUARTER]),
                "status": F.STATUS_NAMES[row[F.STATUS]], "score": float(row[F.SCORE]), "rank": int(row[F.RANK])}
