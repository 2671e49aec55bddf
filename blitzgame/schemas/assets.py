"""The world as data: balance, hubs, positions and scenarios, as validated models."""

import math
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from blitzgame.engine.layout import HUB_PARAM_NAMES
from blitzgame.engine.params import PARAM_NAMES
from blitzgame.limits import MAX_LABS, MIN_LABS

QUARTER_LABEL = re.compile(r"^(\d{4})Q([1-4])$")
POSITIONS = ("startup", "challenger", "incumbent")
REGIMES = ("drawn", "consolidation", "commoditization", "disruption")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    """A number with where it comes from: a public figure, or 'design' for a game-design choice."""

    value: float
    source: str = Field(min_length=3)

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


def parse_quarter(label: str) -> tuple[int, int]:
    """'2025Q3' -> (2025, 3); raises ValueError on anything else."""
    match = QUARTER_LABEL.match(label)
    if not match:
        raise ValueError(f"expected a quarter like 2025Q3, got {label!r}")
    return int(match.group(1)), int(match.group(2))


def quarter_label(start: str, index: int) -> str:
    """The label of the quarter ``index`` quarters after ``start``."""
    year, q = parse_quarter(start)
    total = year * 4 + (q - 1) + index
    return f"{total // 4}Q{total % 4 + 1}"


def quarter_index(start: str, label: str) -> int:
    """How many quarters ``label`` comes after ``start``."""
    y0, q0 = parse_quarter(start)
    y1, q1 = parse_quarter(label)
    return (y1 * 4 + q1) - (y0 * 4 + q0)


class Balance(_Strict):
    """assets/balance.toml: sections of named, sourced, non-negative numbers."""

    sections: dict[str, dict[str, Sourced]]

    @model_validator(mode="after")
    def _complete(self) -> "Balance":
        seen: dict[str, str] = {}
        for section, numbers in self.sections.items():
            for name, number in numbers.items():
                if name in seen:
                    raise ValueError(f"{section}.{name}: also defined in [{seen[name]}]")
                if number.value < 0:
                    raise ValueError(f"{section}.{name}: expected a number >= 0, got {number.value}")
                seen[name] = section
        unknown = sorted(set(seen) - set(PARAM_NAMES))
        missing = [name for name in PARAM_NAMES if name not in seen]
        if unknown:
            raise ValueError(f"unknown parameter(s): {', '.join(unknown)}")
        if missing:
            raise ValueError(f"missing parameter(s): {', '.join(missing)}")
        return self

    def value(self, name: str) -> float:
        for numbers in self.sections.values():
            if name in numbers:
                return numbers[name].value
        raise KeyError(name)


_PROBABILITIES = ("regulatory_risk", "export_risk", "heat_risk", "export_controlled")


def check_hub_number(name: str, value: float) -> None:
    """Range rules for a hub number, shared by hubs.toml and scenario overrides."""
    if name not in HUB_PARAM_NAMES:
        raise ValueError(f"unknown hub field {name!r}; expected one of {', '.join(HUB_PARAM_NAMES)}")
    if name == "pue" and not 1.0 <= value <= 3.0:
        raise ValueError(f"pue: expected 1.0..3.0, got {value}")
    if name == "build_lead_quarters" and value not in (1.0, 2.0, 3.0, 4.0):
        raise ValueError(f"build_lead_quarters: expected 1, 2, 3 or 4, got {value}")
    if name in _PROBABILITIES and not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: expected a probability 0..1, got {value}")
    if value < 0:
        raise ValueError(f"{name}: expected a number >= 0, got {value}")


class Hub(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: str = Field(min_length=1)
    traits: str = Field(min_length=1)
    numbers: dict[str, Sourced]

    @model_validator(mode="after")
    def _complete(self) -> "Hub":
        for name, number in self.numbers.items():
            check_hub_number(name, number.value)
        missing = [name for name in HUB_PARAM_NAMES if name not in self.numbers]
        if missing:
            raise ValueError(f"hub {self.id}: missing {', '.join(missing)}")
        return self


class Hubs(_Strict):
    hub: list[Hub] = Field(min_length=1, max_length=8)

    @model_validator(mode="after")
    def _unique(self) -> "Hubs":
        ids = [h.id for h in self.hub]
        if len(set(ids)) != len(ids):
            raise ValueError(f"hub ids must be unique, got {ids}")
        return self


class Position(_Strict):
    title: str
    summary: str
    cash: Sourced
    valuation: Sourced
    stake: Sourced
    gpus: Sourced
    researchers: Sourced
    quality: Sourced
    share: Sourced
    parent_cf: Sourced
    debt: Sourced
    package: Sourced

    @model_validator(mode="after")
    def _ranges(self) -> "Position":
        for name in ("cash", "valuation", "gpus", "researchers", "quality", "parent_cf", "debt"):
            if getattr(self, name).value < 0:
                raise ValueError(f"{name}: expected a number >= 0")
        for name in ("stake", "share"):
            if not 0.0 <= getattr(self, name).value <= 1.0:
                raise ValueError(f"{name}: expected 0..1")
        if self.package.value <= 0:
            raise ValueError("package: expected a number > 0")
        return self


class Positions(_Strict):
    startup: Position
    challenger: Position
    incumbent: Position


class WorldStart(_Strict):
    vendor_supply: Sourced
    list_price: Sourced
    spot: Sourced
    cloud_pool: Sourced
    cloud_price: Sourced
    talent_pool: Sourced
    revenue_pool: Sourced
    sentiment: Sourced
    revenue_gap: Sourced

    @model_validator(mode="after")
    def _positive(self) -> "WorldStart":
        for name, number in self:
            if number.value <= 0:
                raise ValueError(f"{name}: expected a number > 0, got {number.value}")
        if self.sentiment.value > 2.0:
            raise ValueError(f"sentiment: expected 0..2, got {self.sentiment.value}")
        return self


class LabSpec(_Strict):
    """A lab of a scenario's default roster."""

    name: str = Field(min_length=1, max_length=40)
    position: Literal["startup", "challenger", "incumbent"]
    hub: str


class Shock(_Strict):
    """A scheduled event: gpu_supply (multiplier for some quarters), power_cap (hub, mw),
    export_controls, music_stops, sentiment (delta)."""

    quarter: str
    kind: Literal["gpu_supply", "power_cap", "export_controls", "music_stops", "sentiment"]
    why: str = Field(min_length=3)
    multiplier: float | None = Field(default=None, ge=0.0, le=10.0)
    quarters: int = Field(default=1, ge=1, le=64)
    hub: str | None = None
    mw: float | None = Field(default=None, ge=-100000.0, le=100000.0)
    delta: float | None = Field(default=None, ge=-2.0, le=2.0)

    @field_validator("quarter")
    @classmethod
    def _label(cls, value: str) -> str:
        parse_quarter(value)
        return value

    @model_validator(mode="after")
    def _fields_of_kind(self) -> "Shock":
        needs = {"gpu_supply": ("multiplier",), "power_cap": ("hub", "mw"), "sentiment": ("delta",)}
        for name in needs.get(self.kind, ()):
            if getattr(self, name) is None:
                raise ValueError(f"a {self.kind} shock needs {name!r}")
        return self


class Dominance(_Strict):
    """Escape velocity (DESIGN §5): a lab that holds ``gpus`` online and ``share`` of the market
    for ``quarters`` quarters in a row wins outright. Defaults come from balance.toml."""

    gpus: Sourced
    share: Sourced
    quarters: Sourced

    @model_validator(mode="after")
    def _ranges(self) -> "Dominance":
        if self.gpus.value <= 0:
            raise ValueError(f"gpus: expected a number > 0, got {self.gpus.value}")
        if not 0.0 < self.share.value <= 1.0:
            raise ValueError(f"share: expected a share in (0, 1], got {self.share.value}")
        if self.quarters.value not in range(1, 65):
            raise ValueError(f"quarters: expected a whole number 1..64, got {self.quarters.value}")
        return self


class Scenario(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    summary: str
    start: str
    quarters: int = Field(ge=4, le=64)
    regime: Literal["drawn", "consolidation", "commoditization", "disruption"] = "drawn"
    start_power_ratio: Sourced
    world: WorldStart
    hubs: dict[str, dict[str, Sourced]] = Field(default_factory=dict)
    labs: list[LabSpec] = Field(min_length=MIN_LABS, max_length=MAX_LABS)
    shocks: list[Shock] = Field(default_factory=list)
    dominance: Dominance | None = None

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        parse_quarter(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "Scenario":
        for hub, numbers in self.hubs.items():
            for name, number in numbers.items():
                try:
                    check_hub_number(name, number.value)
                except ValueError as error:
                    raise ValueError(f"hubs.{hub}.{error}") from None
        for k, shock in enumerate(self.shocks):
            index = quarter_index(self.start, shock.quarter)
            if not 0 <= index < self.quarters:
                last = quarter_label(self.start, self.quarters - 1)
                raise ValueError(
                    f"shocks[{k}].quarter: {shock.quarter} is outside the campaign {self.start}..{last}")
        if not 0.0 < self.start_power_ratio.value <= 3.0:
            raise ValueError("start_power_ratio: expected a number in (0, 3]")
        return self

    def check_hubs(self, hub_ids: list[str]) -> None:
        """Hub names used by the roster, overrides and shocks must exist."""
        known = ", ".join(hub_ids)
        for k, lab in enumerate(self.labs):
            if lab.hub not in hub_ids:
                raise ValueError(f"labs[{k}].hub: unknown hub {lab.hub!r}; expected one of {known}")
        for hub in self.hubs:
            if hub not in hub_ids:
                raise ValueError(f"hubs.{hub}: unknown hub; expected one of {known}")
        for k, shock in enumerate(self.shocks):
            if shock.hub is not None and shock.hub not in hub_ids:
                raise ValueError(f"shocks[{k}].hub: unknown hub {shock.hub!r}; expected one of {known}")


BOT_CODES = ("baseline", "archetype", "greedy", "random")


class BotEntry(_Strict):
    """One built-in bot of assets/archetypes.toml."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    code: Literal["baseline", "archetype", "greedy", "random"]
    summary: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1)
    source: str = Field(min_length=3)
    knobs: dict[str, float] = {}

    @model_validator(mode="after")
    def _knobs(self) -> "BotEntry":
        from blitzgame.bots.knobs import KNOB_NAMES

        if self.code != "archetype":
            if self.knobs:
                raise ValueError(f"knobs: only archetype bots have knobs, {self.code!r} does not")
            return self
        missing = [name for name in KNOB_NAMES if name not in self.knobs]
        unknown = [name for name in self.knobs if name not in KNOB_NAMES]
        if missing or unknown:
            raise ValueError("knobs: " + "; ".join(
                ([f"missing {', '.join(missing)}"] if missing else [])
                + ([f"unknown {', '.join(unknown)} (known: {', '.join(KNOB_NAMES)})"] if unknown else [])))
        for name, value in self.knobs.items():
            if not math.isfinite(value) or value < 0.0:
                raise ValueError(f"knobs.{name}: must be a finite number >= 0, got {value}")
        return self


class Archetypes(_Strict):
    """assets/archetypes.toml: the built-in bots, names unique."""

    bot: list[BotEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "Archetypes":
        names = [b.name for b in self.bot]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"bot names must be unique; repeated: {', '.join(doubles)}")
        return self
