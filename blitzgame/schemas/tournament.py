"""A tournament's configuration (docs/design.md §7 ``blitzgame tournament``), validated.

The same model serves the command line and the Python API. Each field's name is its flag
with ``-`` for ``_`` (``move_budget`` is ``--move-budget``), so a problem reads the same
in both. The model checks the data alone; ``tournament.config.prepare`` looks up the bots
and the scenario it names (a schema never loads code or reads files).
"""

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from blitzgame.limits import DEFAULT_GAMES, DEFAULT_MOVE_BUDGET, DEFAULT_OUT, MAX_LABS, MAX_SEED, MIN_LABS, MIN_SEED, is_seed
from blitzgame.schemas.errors import problems


class TournamentConfig(BaseModel):
    """Who plays, how many games, and where and how they run.

    ``bots``, ``games``, ``labs``, ``seed``, ``scenario`` and ``move_budget`` decide the
    results (``identity``); ``workers``, ``backend``, ``address``, ``out`` and ``resume``
    only decide how they are computed and where they go.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    bots: tuple[str, ...] = Field(description="bot specs: built-in or installed names, or path/to/file.py:Class")
    games: int = Field(default=DEFAULT_GAMES, description="games to play")
    labs: int | None = Field(default=None, description="labs per game (None: the scenario's roster)")
    seed: int = Field(default=0, description="tournament seed; game seeds are drawn from it")
    scenario: str = Field(default="base-2024", description="scenario id or path to a .toml file")
    workers: int | None = Field(default=None, description="worker processes (None: one per core)")
    backend: Literal["local", "ray"] = "local"
    address: str | None = Field(default=None, description="Ray cluster address (backend ray; None starts a local Ray)")
    move_budget: float = Field(default=DEFAULT_MOVE_BUDGET, description="seconds a Python bot may take per decision")
    out: str = Field(default=DEFAULT_OUT, description="output folder")
    resume: bool = False

    @field_validator("bots", mode="before")
    @classmethod
    def _split_bots(cls, value):
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, (list, tuple)):
            value = tuple(v.strip() if isinstance(v, str) else v for v in value)
            if "" in value:
                raise ValueError(f"an empty bot name in {','.join(map(str, value))!r} (a comma too many?)")
        return value

    @field_validator("bots")
    @classmethod
    def _bots(cls, bots: tuple[str, ...]) -> tuple[str, ...]:
        if len(bots) < 2:
            raise ValueError(f"a tournament needs at least 2 bots, got {len(bots)}")
        for k, spec in enumerate(bots):
            if "," in spec:
                raise ValueError(f"a bot spec cannot contain a comma: {spec!r}")
            if spec in bots[:k]:
                raise ValueError(f"bot {spec!r} is named twice (each bot plays under one rating)")
        return bots

    @field_validator("games", "seed", "workers", mode="before")
    @classmethod
    def _whole(cls, value, info):
        return _whole_number(value, info.field_name)

    @field_validator("labs", mode="before")
    @classmethod
    def _labs_whole(cls, value):
        return _whole_number(value, "labs")

    @field_validator("games")
    @classmethod
    def _games(cls, games: int) -> int:
        if games < 1:
            raise ValueError(f"play at least 1 game, got {games}")
        return games

    @field_validator("labs")
    @classmethod
    def _labs(cls, labs: int | None) -> int | None:
        if labs is not None and not MIN_LABS <= labs <= MAX_LABS:
            raise ValueError(f"a game has {MIN_LABS} to {MAX_LABS} labs, got {labs}")
        return labs

    @field_validator("seed")
    @classmethod
    def _seed(cls, seed: int) -> int:
        if not is_seed(seed):
            raise ValueError(f"the seed must be between {MIN_SEED} and {MAX_SEED}, got {seed}")
        return seed

    @field_validator("workers")
    @classmethod
    def _workers(cls, workers: int | None) -> int | None:
        if workers is not None and workers < 1:
            raise ValueError(f"use at least 1 worker, got {workers}")
        return workers

    @field_validator("move_budget", mode="before")
    @classmethod
    def _budget_number(cls, value):
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise ValueError(f"must be a number of seconds, got {value!r}") from None
        return value

    @field_validator("move_budget")
    @classmethod
    def _budget(cls, budget: float) -> float:
        if not budget > 0:
            raise ValueError(f"must be more than 0 seconds, got {budget:g}")
        return budget

    @field_validator("scenario")
    @classmethod
    def _scenario(cls, scenario: str) -> str:
        if not scenario.strip():
            raise ValueError("name a scenario id or a .toml file")
        return scenario

    @field_validator("out")
    @classmethod
    def _out(cls, out: str) -> str:
        if not out.strip():
            raise ValueError("name an output folder")
        return out

    @model_validator(mode="after")
    def _whole_config(self) -> "TournamentConfig":
        if self.address is not None and self.backend != "ray":
            raise ValueError("--address is for --backend ray")
        return self

    # --- reading it ------------------------------------------------------------------
    @property
    def worker_count(self) -> int:
        """Workers to use: as asked, or one per core."""
        return self.workers or os.cpu_count() or 1


def _whole_number(value, name: str):
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, got {value!r}")
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise ValueError(f"must be a whole number, got {value!r}") from None
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"must be a whole number, got {value!r}")
        return int(value)
    return value


def flag(field: str) -> str:
    """The command-line flag of a config field."""
    return "--" + field.replace("_", "-")


def config_error(error: ValidationError, limit: int = 2) -> str:
    """A validation error as one line that names flags, e.g. ``--games: play at least 1 game, got 0``."""
    lines = []
    for problem in error.errors():
        loc = [str(part) for part in problem["loc"]]
        where = flag(loc[0]) if loc else ""
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] in ("int_type", "int_parsing", "float_type", "float_parsing"):
            message = f"{message} (got {problem.get('input')!r})"
        lines.append(f"{where}: {message}" if where else message)
    shown = lines[:limit] + ([f"and {len(lines) - limit} more problem(s)"] if len(lines) > limit else [])
    return "; ".join(shown) or "; ".join(problems(error))
