"""Thousands of games per call: ``Blitzgame-v0`` batched along the compiled core's game axis."""

from __future__ import annotations

import sys

import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from blitzgame._jit_cache import announce_compile
from blitzgame.bots.actions import A_PACKAGE, keep_pay, no_op_action
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.envs import kernels as K
from blitzgame.envs.common import DEFAULT_SCENARIO, EnvError, action_rows, episode_seed, single_agent_table
from blitzgame.envs.gym_env import action_space, observation_space
from blitzgame.limits import MAX_SEED

MAX_GAMES = 1_000_000
PARALLEL_FROM = 256  # batches this big step over all cores unless told otherwise


class BatchedEnv(VectorEnv):
    """``num_games`` games of ``Blitzgame-v0`` stepped together in compiled code.

    ``BatchedEnv(num_games=4096, scenario="base-2024", rivals=None, reward="rank", seed=0)``
    takes the arguments of ``Blitzgame-v0`` (``BlitzgameEnv``) plus:

    - ``num_games``: games in the batch (1 .. 1,000,000); ``seed``: the batch's base seed.
    - ``parallel``: step the games over all cores (numba ``prange``), or on this one thread if
      ``False``; ``None`` (default) goes parallel from 256 games. Results are bit-identical either
      way, whatever the thread count: games share nothing and every random draw is keyed by its game.

    ``reset(seed=None)`` -> ``(obs[N, obs_dim] float32, info)``;
    ``step(actions[N, act_dim])`` -> ``(obs, reward[N] float64, terminated[N], truncated[N], info)``.

    Seeds: after ``reset(seed=S)`` game ``g`` plays seed ``S + g``, and each new episode of a game
    plays its previous seed ``+ N`` (all mod 2**63), so episode ``e`` of game ``g`` is exactly the
    ``Blitzgame-v0`` episode of ``reset(seed=S + g + e * N)``. ``reset()`` without a seed starts
    every game's next episode. ``reset(seed=[s_0, ..., s_{N-1}])`` gives each game its seed.
    ``seeds`` holds the seeds being played.

    Auto-reset (``autoreset_mode``, Gymnasium's ``AutoresetMode`` or its value as a string):

    - ``SAME_STEP`` (the default, the fastest): a game whose episode ends in a step is reset in
      that same step. Its ``terminated`` is True, its reward is the last step's, ``obs`` holds the
      first observation of its next episode, and ``info`` carries the ended episode:
      ``info["final_obs"]`` ([N, obs_dim], rows of games that did not end are 0) and
      ``info["final_info"]`` with arrays ``rank``, ``score``, ``episode_return``,
      ``episode_length`` and ``seed``; ``info["_final_obs"]`` / ``info["_final_info"]`` mark the
      games that ended.
    - ``NEXT_STEP`` (what Gymnasium's own vector envs do, and what its vector wrappers such as
      ``NormalizeObservation`` require): a game whose episode ends returns its last
      observation in ``obs``, ``terminated`` True and ``info["final_info"]`` as above (no
      ``final_obs``: ``obs`` is it); the next step ignores that game's action and returns the
      first observation of its next episode, with reward 0 and ``terminated`` False (its
      ``state`` and ``seeds`` entry are the next episode's already). The episodes are the
      same, seed for seed, as in ``SAME_STEP``.

    Nothing is truncated.

    The arrays ``step`` returns are the caller's to keep: their memory is used again only once
    nothing refers to them (nor to a view of them) any more.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": []}

    def __init__(self, num_games: int = 4096, scenario=DEFAULT_SCENARIO, rivals=None, reward: str = "rank",
                 seed: int = 0, name: str = "Agent", position: str = "startup", hub: str = "virginia",
                 parallel: bool | None = None, autoreset_mode: AutoresetMode | str = AutoresetMode.SAME_STEP,
                 render_mode: str | None = None) -> None:
        if render_mode is not None:  # (as Blitzgame-v0 says it: the game is played in the terminal, not rendered)
            raise EnvError(f"render_mode: BatchedEnv renders nothing (None), got {render_mode!r}")
        if isinstance(num_games, bool) or not isinstance(num_games, (int, np.integer)) or not 1 <= num_games <= MAX_GAMES:
            raise EnvError(f"num_games must be a whole number 1..{MAX_GAMES:,}, got {num_games!r}")
        announce_compile(*K.BATCH_KERNELS)  # a first run compiles for up to a minute: say so
        self.table = t = single_agent_table(scenario, rivals, reward, name, position, hub)
        n = self.num_envs = int(num_games)
        self.single_observation_space = observation_space(t)
        self.single_action_space = action_space(t)
        self.observation_space = batch_space(self.single_observation_space, n)
        self.action_space = batch_space(self.single_action_space, n)
        self.observation_names = t.observation_names
        self.action_names = t.action_names
        self.rivals = t.bots
        if parallel not in (None, True, False):
            raise EnvError(f"parallel is True, False or None (by the batch's size), got {parallel!r}")
        self.parallel = n >= PARALLEL_FROM if parallel is None else bool(parallel)
        modes = {m.value.casefold(): m for m in (AutoresetMode.SAME_STEP, AutoresetMode.NEXT_STEP)}
        mode = modes.get(str(getattr(autoreset_mode, "value", autoreset_mode)).replace("_", "").casefold())
        if mode is None:
            raise EnvError(f"autoreset_mode is AutoresetMode.SAME_STEP or NEXT_STEP ('same_step', 'next_step'), "
                           f"got {autoreset_mode!r}")
        self.metadata = {**type(self).metadata, "autoreset_mode": mode}
        self._next_step = mode is AutoresetMode.NEXT_STEP
        self._pending = np.zeros(n, dtype=np.bool_)  # NEXT_STEP: games that ended last step, reset but not shown
        self._first_obs = np.zeros((n, t.obs_dim), np.float32)  # ... and their next episode's first observation
        self._base_seed = episode_seed(seed)
        self._labs = np.repeat(t.lab0[None], n, axis=0)
        self._worlds = np.repeat(t.world0[None], n, axis=0)
        self._orders = np.zeros((K.chunks(n), t.n_labs, F.ORDER_FIELDS))  # scratch, a chunk's games in turn
        self._keys = np.zeros(n, dtype=np.int64)
        self._seeds = _spread(self._base_seed, n)  # what the first reset() plays (``seeds`` before it)
        self._prev = np.zeros((n, 1))
        self._ep_return = np.zeros(n)
        self._ep_length = np.zeros(n, dtype=np.int64)
        self._obs_out = _Recycler((n, 1, t.obs_dim), np.float32)
        self._final_obs_out = _Recycler((n, t.obs_dim), np.float32, clean=True)
        self._started = False

    @property
    def seeds(self) -> np.ndarray:
        """The game seed each game is playing now, or before the first ``reset`` will play (a copy)."""
        return self._seeds.astype(np.uint64)

    def reset(self, *, seed=None, options: dict | None = None):
        n = self.num_envs
        if seed is None:
            if self._started:  # every game's next episode, as an auto-reset would seed it
                self._seeds[:] = _advance(self._seeds, n)
            else:
                self._seeds[:] = _spread(self._base_seed, n)
        elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            self._base_seed = episode_seed(seed)  # a bad seed is refused before anything changes
            super().reset(seed=self._base_seed)
            self._seeds[:] = _spread(self._base_seed, n)
        else:
            try:
                seeds = [episode_seed(s) for s in seed]
            except TypeError:
                raise EnvError(f"seed must be a whole number or {n} of them, got {seed!r}") from None
            if len(seeds) != n:
                raise EnvError(f"seed: {len(seeds)} seeds given for {n} games")
            self._seeds[:] = seeds
        t = self.table
        obs = np.empty((n, 1, t.obs_dim), dtype=np.float32)
        K.reset_batch(self._labs, self._worlds, self._keys, self._seeds, t.lab0, t.world0, t.obs0, t.score0, self._prev,
                      obs, self._ep_return, self._ep_length)
        self._pending[:] = False
        self._started = True
        return obs[:, 0, :], {"seed": self.seeds}

    def step(self, actions):
        if not self._started:
            raise EnvError("call reset() before step()")
        t = self.table
        n = self.num_envs
        rows = action_rows(actions, (n, t.act_dim), "actions").reshape(n, 1, t.act_dim)
        obs = self._obs_out.take()  # every row is written
        rewards = np.empty((n, 1))
        done = np.empty((n, 1), dtype=np.bool_)
        final_obs = self._final_obs_out.take()  # all 0: only the rows of games that end are written
        final_rank = np.zeros(n, dtype=np.int64)
        final_score = np.zeros(n)
        out_return = np.zeros(n)
        out_length = np.zeros(n, dtype=np.int64)
        out_seed = np.zeros(n, dtype=np.int64)
        w = t.world
        pending = np.flatnonzero(self._pending) if self._next_step else ()
        if len(pending):  # reset last step, already: their step is undone below
            kept = self._game_state(pending)
        K.step_batch(self.parallel, self._labs, self._worlds, self._orders, rows, w.params, w.hubs, w.sched,
                     self._keys, self._seeds, t.seat_bot, t.seat_agent, t.codes, t.knobs, t.logs, t.lab0, t.world0,
                     t.obs0, t.score0, t.reward_mode, self._prev, obs, rewards, done, final_obs, final_rank,
                     final_score, self._ep_return, self._ep_length, out_return, out_length, out_seed)
        self._final_obs_out.wrote(final_obs, done[:, 0])  # the rows the kernel wrote
        ended = done[:, 0]
        if self._next_step:
            if len(pending):  # back to the start of their new episode, which this step shows
                self._set_game_state(pending, kept)
                obs[pending, 0] = self._first_obs[pending]
                rewards[pending] = 0.0
                ended[pending] = False
                final_obs[pending] = 0.0
            self._first_obs[ended] = obs[ended, 0]  # shown next step
            obs[ended, 0] = final_obs[ended]
            self._pending = ended.copy()
        info = {
            "final_info": {"rank": final_rank, "score": final_score, "episode_return": out_return,
                           "episode_length": out_length, "seed": out_seed.astype(np.uint64),
                           "_rank": ended, "_score": ended, "_episode_return": ended, "_episode_length": ended,
                           "_seed": ended},
            "_final_info": ended,
        }
        if not self._next_step:
            info |= {"final_obs": final_obs, "_final_obs": ended}
        return obs[:, 0, :], rewards[:, 0], ended, np.zeros(n, dtype=np.bool_), info

    def _per_game(self) -> tuple[np.ndarray, ...]:
        """Every array of per-game state a step changes (one row per game)."""
        return self._labs, self._worlds, self._keys, self._seeds, self._prev, self._ep_return, self._ep_length

    def _game_state(self, games: np.ndarray) -> tuple:
        """Copies of ``games``' rows of ``_per_game`` (``_set_game_state`` puts them back)."""
        return tuple(a[games] for a in self._per_game())

    def _set_game_state(self, games: np.ndarray, state: tuple) -> None:
        for a, kept in zip(self._per_game(), state):
            a[games] = kept

    def render(self):
        return None

    def no_op_action(self) -> np.ndarray:
        """Every game's action that orders nothing now (``[num_games, act_dim]``; see
        ``BlitzgameEnv.no_op_action``): each game's lab keeps its pay."""
        w = self.table.world
        rows = np.tile(no_op_action(w.hubs.shape[0]), (self.num_envs, 1))
        rows[:, A_PACKAGE] = keep_pay(self._labs[:, 0, F.PACKAGE], w.params[P.PACKAGE_REF])
        return rows

    def decode_action(self, action, game: int = 0):
        """The orders (``schemas.orders.Orders``) ``action`` gives your lab in game ``game`` now:
        ``action`` is that game's (``[act_dim]``) or the whole batch's (``[num_games, act_dim]``,
        as ``step`` takes them and ``no_op_action`` gives them; its row ``game`` is used)."""
        from blitzgame.schemas.orders import Orders

        game = self._game(game)
        t = self.table
        if np.ndim(action) == 2:
            row = action_rows(action, (self.num_envs, t.act_dim), "actions")[game]
        else:
            row = action_rows(action, (t.act_dim,), "action")[0]
        orders = np.zeros((t.n_labs, F.ORDER_FIELDS))
        K.apply_action(row, self._labs[game], self._worlds[game], t.world.params, t.world.hubs, 0, orders)
        return Orders.from_array(orders[0], t.world.hub_ids)

    def state(self, game: int) -> tuple[np.ndarray, np.ndarray]:
        """A copy of game ``game``'s lab rows and world row (the full state, for analysis)."""
        game = self._game(game)
        return self._labs[game].copy(), self._worlds[game].copy()

    def _game(self, game) -> int:
        """``game`` as an index of the batch, or EnvError."""
        if isinstance(game, bool) or not isinstance(game, (int, np.integer)) or not 0 <= game < self.num_envs:
            raise EnvError(f"no game {game!r}; games are whole numbers 0..{self.num_envs - 1}")
        return int(game)


def vector_env(num_envs: int = 4096, **kwargs) -> BatchedEnv:
    """``gymnasium.make_vec("Blitzgame-v0", num_envs=N, **kwargs)``: a ``BatchedEnv`` of ``N``
    games (``kwargs`` as ``BatchedEnv`` takes them: ``scenario``, ``rivals``, ``autoreset_mode``...)."""
    return BatchedEnv(num_games=num_envs, **kwargs)


def _spread(base: int, n: int) -> np.ndarray:
    """Seeds base, base + 1, ..., base + n - 1, mod 2**63."""
    return ((np.uint64(base) + np.arange(n, dtype=np.uint64)) & np.uint64(MAX_SEED)).astype(np.int64)


def _advance(seeds: np.ndarray, n: int) -> np.ndarray:
    """Each seed + n, mod 2**63 (``kernels.next_seed`` for a whole batch)."""
    return ((seeds.astype(np.uint64) + np.uint64(n)) & np.uint64(MAX_SEED)).astype(np.int64)


class _Recycler:
    """``step``'s big output arrays, handed out again once the caller has let go of them.

    Fresh memory for a big batch's observations every step would be faulted in by the OS page
    by page, about a seventh of the step's time. An array whose only references are this
    recycler's is out of the caller's sight (a view of it, a dict or a tensor holding it, all
    keep a reference), so writing over it changes nothing the caller can see.

    ``take()`` gives an array of whatever it held before, for a caller that overwrites all of
    it, or, with ``clean=True``, one that is all 0: the rows given values since (``wrote``)
    are cleared again, not the whole array.
    """

    KEEP = 3  # enough for a loop that holds the last step's arrays while taking the next

    def __init__(self, shape: tuple[int, ...], dtype, clean: bool = False) -> None:
        self._shape = shape
        self._dtype = dtype
        self._clean = clean
        self._arrays: list[np.ndarray] = []
        self._written: dict[int, np.ndarray] = {}  # id of a kept array -> a bool mask of rows written

    def take(self) -> np.ndarray:
        for array in self._arrays:
            if sys.getrefcount(array) <= 3:  # the list's, the loop's and getrefcount's own
                if self._clean:  # (rows unknown, say after an error: all of it)
                    rows = self._written.pop(id(array), None)
                    array[slice(None) if rows is None else rows] = 0
                return array
        array = np.zeros(self._shape, self._dtype)
        if len(self._arrays) < self.KEEP:
            self._arrays.append(array)
        return array

    def wrote(self, array: np.ndarray, rows: np.ndarray) -> None:
        """``rows`` (a bool mask) of ``array`` were given values: ``take`` clears them."""
        if self._clean and any(kept is array for kept in self._arrays):
            self._written[id(array)] = rows.copy()
