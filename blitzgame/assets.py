"""Finding and loading ``assets/``: the same code path from a checkout and from a wheel.

A wheel carries the folder as ``blitzgame/assets`` (see pyproject.toml); a checkout or
editable install has it beside the package. Every file is validated on load; a bad
one raises ``AssetError`` naming the file, the field and what was expected.
"""

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from blitzgame.schemas.assets import Archetypes, Balance, Hubs, Positions, Scenario, field_name
from blitzgame.schemas.errors import field_names, located, problems
from blitzgame.toml_lines import key_lines, line_of, toml_error_line


class AssetError(ValueError):
    """A data file that cannot be used, with a message fit to show a user."""


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong in a file: where (line, field, when known) and what."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ScenarioError(AssetError):
    """A scenario file that cannot be used; ``problems`` lists every problem found, one a line
    in the message (``file:line: field: what is wrong``)."""

    def __init__(self, found: list[FileProblem]) -> None:
        self.problems = list(found)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def assets_dir() -> Path:
    """The folder holding hubs, balance, positions and scenarios."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "assets", package.parent / "assets"):
        if (candidate / "balance.toml").is_file():
            return candidate
    raise AssetError(f"cannot find the game's assets/ folder next to {package}")



def gpus_per_mw(kw_per_gpu: float, pue: float) -> float:
    """M5: GPUs one MW of grid power runs at a hub: 1,000 kW / (IT power per GPU x the hub's PUE)."""
    return 1000.0 / (kw_per_gpu * pue)


def read_toml(path: Path) -> dict:
    """Parse a TOML file; a syntax error names the file, line and column."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise AssetError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise AssetError(f"{path}: not valid TOML: {error}") from None
    except OSError as error:
        raise AssetError(f"{path}: cannot read: {error.strerror}") from None


def validate(model: type[BaseModel], data: dict, source: str):
    """Validate ``data`` read from ``source``; each problem becomes a line naming the file."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise AssetError("\n".join(f"{source}: {line}" for line in problems(error))) from None


def _sourced_table(data: dict) -> dict:
    """Hub files keep id/name/traits beside their numbers; split the numbers out."""
    text = {k: v for k, v in data.items() if not isinstance(v, dict)}
    return {**text, "numbers": {k: v for k, v in data.items() if isinstance(v, dict)}}


@cache
def load_balance() -> Balance:
    path = assets_dir() / "balance.toml"
    return validate(Balance, {"sections": read_toml(path)}, str(path))


@cache
def load_hubs() -> Hubs:
    path = assets_dir() / "hubs.toml"
    data = read_toml(path)
    data["hub"] = [_sourced_table(h) for h in data.get("hub", []) if isinstance(h, dict)]
    return validate(Hubs, data, str(path))


@cache
def load_positions() -> Positions:
    path = assets_dir() / "positions.toml"
    return validate(Positions, read_toml(path), str(path))


@cache
def load_archetypes() -> Archetypes:
    path = assets_dir() / "archetypes.toml"
    return validate(Archetypes, read_toml(path), str(path))


def scenario_ids() -> list[str]:
    """Built-in scenarios, by id (the file name without .toml)."""
    return sorted(p.stem for p in (assets_dir() / "scenarios").glob("*.toml"))


def load_scenario_file(path: Path) -> Scenario:
    """Load and check any scenario file, built-in or a user's.

    A ``ScenarioError`` lists every problem with the line and field it is at: TOML syntax,
    wrong types and ranges, unknown hubs, shocks outside the campaign or missing what their
    kind needs (the checks live in ``schemas.assets.Scenario``)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise AssetError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AssetError(f"{path}: is a folder, not a scenario file") from None
    except UnicodeDecodeError as error:
        raise AssetError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise AssetError(f"{path}: cannot read: {error.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([FileProblem(str(path), toml_error_line(error), "", f"not valid TOML: {error}")]) from None
    try:
        return Scenario.model_validate(data, context={"hub_ids": [hub.id for hub in load_hubs().hub]})
    except ValidationError as error:
        lines = key_lines(text)
        found = []
        for loc, message in located(error, field_names(Scenario)):
            loc = tuple(part for part in loc if part != "[key]")  # a dict key's own error: the key is the place
            found.append(FileProblem(str(path), line_of(lines, loc), field_name(loc) or "(top level)", message))
        raise ScenarioError(sorted(found, key=lambda problem: (problem.line is None, problem.line or 0))) from None


@cache
def load_scenario(name: "str | os.PathLike") -> Scenario:
    """A built-in scenario by id, or a path to a scenario file (one that is not there: "no such file")."""
    path = Path(name)
    name = str(name)
    if path.suffix == ".toml":  # a file, there or not (ids have no suffix)
        if not path.exists() and path.stem in scenario_ids():
            raise AssetError(f"{path}: no such file; the built-in scenario is {path.stem!r}, without .toml")
        return load_scenario_file(path)
    known = scenario_ids()
    if name not in known:
        raise AssetError(f"unknown scenario {name!r}; choose one of: {', '.join(known)}")
    scenario = load_scenario_file(assets_dir() / "scenarios" / f"{name}.toml")
    if scenario.id != name:
        raise AssetError(f"scenarios/{name}.toml: id: expected {name!r}, got {scenario.id!r}")
    return scenario
