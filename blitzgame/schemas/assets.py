"""The world as data: balance, hubs, positions and scenarios, as validated models."""

import math
import re
from functools import lru_cache
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from blitzgame.engine.layout import HUB_PARAM_NAMES
from blitzgame.engine.params import PARAM_NAMES
from blitzgame.limits import MAX_LABS, MIN_LABS

QUARTER_LABEL = re.compile(r"^(\d{4})Q([1-4])$")
POSITIONS = ("startup", "challenger", "incumbent")
REGIMES = ("drawn", "consolidation", "commoditization", "disruption")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Loc = tuple[str | int, ...]


def raise_located(title: str, found: list[tuple[Loc, str]]) -> None:
    """Raise the problems found by a validator, each at its own field.

    A validator's ``ValueError`` lands on the model as a whole; a ``ValidationError`` raised
    inside one keeps each problem's ``loc`` (relative to the field or model validated), so a
    scenario file's errors can name the line of the field at fault."""
    if found:
        raise ValidationError.from_exception_data(title, [
            InitErrorDetails(type=PydanticCustomError("scenario", "{message}", {"message": message}),
                             loc=loc, input=None)
            for loc, message in found])


def field_name(loc: Loc) -> str:
    """('shocks', 2, 'quarter') -> 'shocks[2].quarter'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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


@lru_cache(maxsize=4096)  # (a game asks for its quarters' labels over and over)
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
        for name in ("cash", "gpus", "researchers", "quality", "parent_cf", "debt"):
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
        found: list[tuple[Loc, str]] = [((name, "value"), f"expected a number > 0, got {number.value}")
                                        for name, number in self if number.value <= 0]
        if self.sentiment.value > 2.0:
            found.append((("sentiment", "value"), f"expected 0..2, got {self.sentiment.value}"))
        raise_located("WorldStart", found)
        return self


class LabSpec(_Strict):
    """A lab of a scenario's default roster."""

    name: str = Field(min_length=1, max_length=40)
    position: Literal["startup", "challenger", "incumbent"]
    hub: str


SHOCK_FIELDS = {  # the fields each kind of shock takes besides quarter, kind and why
    "gpu_supply": ("multiplier", "quarters"),
    "power_cap": ("hub", "mw"),
    "export_controls": (),
    "music_stops": (),
    "sentiment": ("delta",),
}
_SHOCK_NEEDS = {"gpu_supply": ("multiplier",), "power_cap": ("hub", "mw"), "sentiment": ("delta",)}
_SHOCK_HINTS = {
    "multiplier": "the share of vendor output that still ships, e.g. 0.5",
    "hub": "the hub whose grid headroom changes",
    "mw": "megawatts of headroom added (or cut, if negative)",
    "delta": "added to investor sentiment, e.g. -0.2",
}


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
        found: list[tuple[Loc, str]] = []
        for name in _SHOCK_NEEDS.get(self.kind, ()):
            if getattr(self, name) is None:
                found.append(((name,), f"a {self.kind} shock needs {name!r} ({_SHOCK_HINTS[name]})"))
        takes = SHOCK_FIELDS[self.kind]
        for name in ("multiplier", "hub", "mw", "delta"):  # None is unset (a saved scenario spells it out)
            if getattr(self, name) is not None and name not in takes:
                found.append(((name,), f"a {self.kind} shock takes no {name!r}" + _takes(self.kind)))
        if self.quarters != 1 and "quarters" not in takes:
            found.append((("quarters",), f"only a gpu_supply shock lasts several quarters; a {self.kind} "
                                         "shock happens once"))
        raise_located("Shock", found)
        return self


def _takes(kind: str) -> str:
    takes = SHOCK_FIELDS[kind]
    if kind == "export_controls":
        return ("; controls block deliveries to every hub marked export_controlled: "
                "set [hubs.<id>] export_controlled = { value = 1.0, ... } to add one")
    return f" (it takes {', '.join(takes)})" if takes else " (it takes only quarter, kind and why)"


class Dominance(_Strict):
    """Escape velocity (docs/design.md §4): a lab that holds ``gpus`` online, ``lead`` times the GPUs of
    the next lab and ``share`` of the market for ``quarters`` quarters in a row wins outright.
    Defaults come from balance.toml; ``lead`` may be left out (the balance's is kept)."""

    gpus: Sourced
    share: Sourced
    quarters: Sourced
    lead: Sourced | None = None

    @model_validator(mode="after")
    def _ranges(self) -> "Dominance":
        found: list[tuple[Loc, str]] = []
        if self.gpus.value <= 0:
            found.append((("gpus", "value"), f"expected a number > 0, got {self.gpus.value}"))
        if not 0.0 < self.share.value <= 1.0:
            found.append((("share", "value"), f"expected a share in (0, 1], got {self.share.value}"))
        if self.quarters.value not in range(1, 65):
            found.append((("quarters", "value"), f"expected a whole number 1..64, got {self.quarters.value}"))
        if self.lead is not None and self.lead.value < 1.0:
            found.append((("lead", "value"), f"expected a multiple >= 1, got {self.lead.value}"))
        raise_located("Dominance", found)
        return self


Difficulty = Literal["easy", "normal", "hard", "expert"]  # each a pool of rivals in assets/archetypes.toml
DIFFICULTY_LEVELS = get_args(Difficulty)


class Scenario(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    summary: str
    start: str
    quarters: int = Field(ge=4, le=64)
    regime: Literal["drawn", "consolidation", "commoditization", "disruption"] = "drawn"
    start_power_ratio: Sourced
    chance_crash: StrictBool = True  # true or false: "no" or 0 is a mistake, not a false
    difficulty: Difficulty = "normal"  # whom a campaign here draws its rivals from, unless told (archetypes.toml)
    world: WorldStart
    hubs: dict[str, dict[str, Sourced]] = Field(default_factory=dict)
    labs: list[LabSpec] = Field(min_length=MIN_LABS, max_length=MAX_LABS)
    shocks: list[Shock] = Field(default_factory=list)
    dominance: Dominance | None = None

    # Validated with ``context={"hub_ids": [...]}`` (as the asset loader does), hub names are
    # checked against the known hubs too; without it (a save's embedded scenario) ``check_hubs``
    # does that afterwards.

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data, handler):
        """Every problem at once: when a shock fails its own checks, the schedule check (which
        needs every shock valid) still says which shocks fall outside the campaign."""
        try:
            return handler(data)
        except ValidationError as error:
            extra = [(loc, text) for loc, text in _raw_schedule_problems(data)
                     if not any(tuple(e["loc"][:3]) == loc for e in error.errors())]
            if not extra:
                raise
            kept = [InitErrorDetails(type=e["type"], loc=e["loc"], input=e.get("input"), ctx=e["ctx"])
                    if e["type"] not in ("scenario", "value_error") and "ctx" in e else
                    InitErrorDetails(type=e["type"], loc=e["loc"], input=e.get("input"))
                    if e["type"] not in ("scenario", "value_error") else
                    InitErrorDetails(type=PydanticCustomError("scenario", "{message}",
                                                              {"message": e["msg"].removeprefix("Value error, ")}),
                                     loc=e["loc"], input=e.get("input"))
                    for e in error.errors()]
            raise ValidationError.from_exception_data(error.title, kept + [
                InitErrorDetails(type=PydanticCustomError("scenario", "{message}", {"message": text}), loc=loc, input=None)
                for loc, text in extra]) from None

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        parse_quarter(value)
        return value

    @field_validator("start_power_ratio")
    @classmethod
    def _ratio(cls, value: Sourced) -> Sourced:
        if not 0.0 < value.value <= 3.0:
            raise_located("Scenario", [(("value",), f"expected a number in (0, 3], got {value.value}")])
        return value

    @field_validator("hubs")
    @classmethod
    def _hub_overrides(cls, value: dict[str, dict[str, Sourced]], info: ValidationInfo):
        found: list[tuple[Loc, str]] = []
        for hub, numbers in value.items():
            for name, number in numbers.items():
                try:
                    check_hub_number(name, number.value)
                except ValueError as error:
                    found.append(((hub, name), str(error).removeprefix(f"{name}: ")))
        raise_located("Scenario", found + [(loc[1:], text) for loc, text in _unknown_hubs(info, hubs=value)])
        return value

    @field_validator("labs")
    @classmethod
    def _roster(cls, value: list[LabSpec], info: ValidationInfo):
        found: list[tuple[Loc, str]] = []
        seen: dict[str, int] = {}
        for k, lab in enumerate(value):
            if lab.name.strip().lower() in seen:
                found.append(((k, "name"), f"{lab.name!r} is also the name of labs[{seen[lab.name.strip().lower()]}]; "
                                           "lab names must be unique"))
            seen.setdefault(lab.name.strip().lower(), k)
        raise_located("Scenario", found + [(loc[1:], text) for loc, text in _unknown_hubs(info, labs=value)])
        return value

    @field_validator("shocks")
    @classmethod
    def _schedule(cls, value: list[Shock], info: ValidationInfo):
        found: list[tuple[Loc, str]] = []
        start, quarters = info.data.get("start"), info.data.get("quarters")
        if start is not None and quarters is not None:  # else their own errors say what is wrong
            last = quarter_label(start, quarters - 1)
            for k, shock in enumerate(value):
                index = quarter_index(start, shock.quarter)
                if index < 0:
                    found.append(((k, "quarter"), f"{shock.quarter} is before the first quarter ({start})"))
                elif index >= quarters:
                    found.append(((k, "quarter"), f"{shock.quarter} is after the last quarter ({last})"))
        raise_located("Scenario", found + [(loc[1:], text) for loc, text in _unknown_hubs(info, shocks=value)])
        return value

    def hub_problems(self, hub_ids: list[str]) -> list[tuple[Loc, str]]:
        """Hub names used by the roster, overrides and shocks that are not among ``hub_ids``."""
        return _unknown_hubs(hub_ids, labs=self.labs, hubs=self.hubs, shocks=self.shocks)

    def check_hubs(self, hub_ids: list[str]) -> None:
        """Hub names used by the roster, overrides and shocks must exist (the first wrong one is raised)."""
        for loc, text in self.hub_problems(hub_ids):
            raise ValueError(f"{field_name(loc)}: {text}")


def _raw_schedule_problems(data) -> list[tuple[Loc, str]]:
    """Shocks (as written, valid or not) whose quarter falls outside the campaign."""
    if not isinstance(data, dict) or not isinstance(data.get("shocks"), list):
        return []
    start, quarters = data.get("start"), data.get("quarters")
    try:
        parse_quarter(start)
    except (TypeError, ValueError):
        return []
    if not isinstance(quarters, int) or isinstance(quarters, bool) or quarters < 1:
        return []
    found: list[tuple[Loc, str]] = []
    for k, shock in enumerate(data["shocks"]):
        try:
            index = quarter_index(start, shock["quarter"])
        except (TypeError, KeyError, ValueError):
            continue  # its own check says what is wrong with it
        if index < 0:
            found.append((("shocks", k, "quarter"), f"{shock['quarter']} is before the first quarter ({start})"))
        elif index >= quarters:
            found.append((("shocks", k, "quarter"),
                          f"{shock['quarter']} is after the last quarter ({quarter_label(start, quarters - 1)})"))
    return found


def _unknown_hubs(known: "ValidationInfo | list[str]", labs=(), hubs=None, shocks=()) -> list[tuple[Loc, str]]:
    """Unknown hub names, at their place in the scenario; ``known`` may be a validation info
    whose context holds ``hub_ids`` (none there: nothing to check)."""
    if not isinstance(known, (list, tuple)):
        known = (known.context or {}).get("hub_ids")
        if known is None:
            return []
    choices = ", ".join(known)
    found: list[tuple[Loc, str]] = []
    for k, lab in enumerate(labs):
        if lab.hub not in known:
            found.append((("labs", k, "hub"), f"unknown hub {lab.hub!r}; expected one of {choices}"))
    for hub in hubs or {}:
        if hub not in known:
            found.append((("hubs", hub), f"unknown hub {hub!r}; expected one of {choices}"))
    for k, shock in enumerate(shocks):
        if shock.hub is not None and shock.hub not in known:
            found.append((("shocks", k, "hub"), f"unknown hub {shock.hub!r}; expected one of {choices}"))
    return found


BOT_CODES = ("baseline", "archetype", "greedy", "random")


class Play(_Strict):
    """A strategist's play of its own: an archetype's policy with some of its knobs changed."""

    like: str  # the archetype whose knobs it starts from
    summary: str = Field(min_length=1, max_length=160)
    knobs: dict[str, float] = Field(min_length=1)  # the knobs it changes


class BotEntry(_Strict):
    """One built-in bot of assets/archetypes.toml."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    code: Literal["baseline", "archetype", "greedy", "random", "strategist"]
    summary: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1)
    source: str = Field(min_length=3)
    knobs: dict[str, float] = {}
    playbook: list[str] = []  # a strategist's plays: archetypes whose policies it weighs, or its own ``plays``
    plays: dict[str, Play] = {}  # a strategist's plays of its own, by name

    @model_validator(mode="after")
    def _knobs(self) -> "BotEntry":
        """Knob values; their names are the archetype policy's, checked where the bots load
        (``bots.base.knob_row``): schemas know data, not the code that reads it."""
        if (self.code == "strategist") != bool(self.playbook):
            raise ValueError("playbook: a strategist needs one (the archetypes it weighs), other bots have none")
        unplayed = [name for name in self.plays if name not in self.playbook]
        if unplayed:
            raise ValueError(f"plays: {', '.join(unplayed)} not in the playbook")
        if self.code not in ("archetype", "strategist"):
            if self.knobs:
                raise ValueError(f"knobs: only archetype and strategist bots have knobs, {self.code!r} does not")
            return self
        for name, value in self.knobs.items():
            if not math.isfinite(value) or value < 0.0:
                raise ValueError(f"knobs.{name}: must be a finite number >= 0, got {value}")
        return self


class Archetypes(_Strict):
    """assets/archetypes.toml: the built-in bots, names unique, and the rivals each difficulty of a
    campaign draws from."""

    bot: list[BotEntry] = Field(min_length=1)
    difficulty: dict[Difficulty, list[str]]

    @model_validator(mode="after")
    def _unique(self) -> "Archetypes":
        names = [b.name for b in self.bot]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"bot names must be unique; repeated: {', '.join(doubles)}")
        missing = [level for level in DIFFICULTY_LEVELS if level not in self.difficulty]
        if missing:
            raise ValueError(f"difficulty: missing {', '.join(missing)}")
        archetypes = [b.name for b in self.bot if b.code == "archetype"]
        for b in self.bot:
            wrong = [name for name in b.playbook if name not in archetypes and name not in b.plays]
            if wrong:
                raise ValueError(f"bot {b.name}: playbook: not archetypes: {', '.join(wrong)}; "
                                 f"archetypes: {', '.join(archetypes)} (or a play of its own, under plays)")
            unlike = [f"{name} (like {play.like!r})" for name, play in b.plays.items() if play.like not in archetypes]
            if unlike:
                raise ValueError(f"bot {b.name}: plays: not like an archetype: {', '.join(unlike)}; "
                                 f"archetypes: {', '.join(archetypes)}")
        for level, rivals in self.difficulty.items():
            unknown = [name for name in rivals if name not in names]
            if not rivals or unknown:
                raise ValueError(f"difficulty.{level}: " + (f"unknown bots {', '.join(unknown)}; known: {', '.join(names)}"
                                                             if unknown else "needs at least one bot"))
        return self
