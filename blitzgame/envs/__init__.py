"""Environments for learning agents (``pip install 'blitzgame[envs]'``; from a checkout ``pip install '.[envs]'``).

- ``Blitzgame-v0`` (``BlitzgameEnv``): Gymnasium; you play one lab against built-in rivals.
  Importing this package registers it: ``import blitzgame.envs`` then
  ``gymnasium.make("Blitzgame-v0", scenario=..., rivals=..., reward=...)``, or in one go
  ``gymnasium.make("blitzgame.envs:Blitzgame-v0", ...)``.
- ``parallel_env(...)`` (``BlitzgameParallelEnv``): PettingZoo ``ParallelEnv``, every lab an agent.
- ``BatchedEnv(num_games=4096, ...)``: thousands of ``Blitzgame-v0`` games per call, stepped in
  compiled code over the core's game axis (a Gymnasium ``VectorEnv``; same-step auto-reset, or
  next-step with ``autoreset_mode``). ``gymnasium.make_vec("Blitzgame-v0", num_envs=N, ...)``
  makes one (``vectorization_mode="sync"``: Gymnasium's loop over N ``Blitzgame-v0`` instead).

All three are thin Python over the compiled kernels of ``blitzgame.envs.kernels``: bots'
policies and the engine's ``resolve_quarter`` play the game, nothing re-implements a rule.
"""

try:
    import gymnasium
    import pettingzoo  # noqa: F401  (parallel_env's base)
except ModuleNotFoundError as missing:  # an optional part: say how to get it
    raise ModuleNotFoundError(f"blitzgame.envs needs {missing.name}, which is not installed: pip install "
                              "'blitzgame[envs]' (or, in the project's folder, pip install '.[envs]')",
                              name=missing.name) from None

from blitzgame.envs.batched import BatchedEnv
from blitzgame.envs.common import DEFAULT_RIVALS, REWARDS, EnvError
from blitzgame.envs.gym_env import BlitzgameEnv
from blitzgame.envs.pz_env import BlitzgameParallelEnv, parallel_env

ENV_ID = "Blitzgame-v0"

if ENV_ID not in gymnasium.registry:
    gymnasium.register(id=ENV_ID, entry_point="blitzgame.envs.gym_env:BlitzgameEnv",
                       vector_entry_point="blitzgame.envs.batched:vector_env")

__all__ = ["ENV_ID", "DEFAULT_RIVALS", "REWARDS", "BatchedEnv", "BlitzgameEnv", "BlitzgameParallelEnv", "EnvError",
           "parallel_env"]
