"""A lab's orders for one quarter (docs/design.md §2), validated before they reach the core.

Bad values are refused with a message naming the field, never clipped. Hub ids are
checked against the game's hubs by ``validate_orders``.
"""

from typing import Annotated

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from blitzgame.engine import layout as F
from blitzgame.limits import MAX_GPU_ORDER, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE  # ceilings no sane order reaches
from blitzgame.schemas.errors import did_you_mean, one_line

Gpus = Annotated[float, Field(ge=0.0, le=MAX_GPU_ORDER)]
Megawatts = Annotated[float, Field(ge=0.0, le=MAX_MW_ORDER)]
# a yes or no: True or False, numpy's too (``shares.mean() > 0.1``), as numpy's numbers pass as numbers
YesNo = Annotated[bool, BeforeValidator(lambda value: bool(value) if isinstance(value, np.bool_) else value)]


class Orders(BaseModel):
    """Everything a lab can ask for in a quarter. Omitted fields mean 'nothing this quarter'."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    gpus: dict[str, Gpus] = Field(default_factory=dict, description="new GPU orders per hub id")
    cancel: float = Field(default=0.0, ge=0.0, le=1.0, description="share of the GPU backlog to cancel")
    premium: float = Field(default=0.0, ge=0.0, le=1.0, description="price premium offered over spot, for priority")
    rent: float = Field(default=0.0, ge=0.0, le=MAX_GPU_ORDER, description="cloud GPU-equivalents rented this quarter")
    power_mw: dict[str, Megawatts] = Field(default_factory=dict, description="MW of power to build per hub id")
    hire: float = Field(default=0.0, ge=0.0, le=MAX_PEOPLE, description="researchers to hire")
    package: float | None = Field(default=None, ge=0.1, le=100.0,
                                  description="$M/yr offered per researcher; left out, last quarter's package stays")
    layoff: float = Field(default=0.0, ge=0.0, le=MAX_PEOPLE, description="researchers to lay off")
    train_split: float = Field(default=0.5,
                               ge=0.0, le=1.0, description="share of compute spent training (the rest serves customers)")
    equity: float = Field(default=0.0, ge=0.0, le=MAX_MONEY, description="$M of equity to raise")
    debt: float = Field(default=0.0, ge=-MAX_MONEY, le=MAX_MONEY, description="$M to borrow (> 0) or repay (< 0)")
    efficiency_rnd: float = Field(default=0.0, ge=0.0, le=MAX_MONEY, description="$M on efficiency R&D")
    silicon_rnd: float = Field(default=0.0, ge=0.0, le=MAX_MONEY, description="$M on custom-silicon R&D")
    open_source: YesNo = Field(default=False, description="release model weights this quarter")
    partnership: float = Field(default=0.0, ge=0.0, le=1.0, description="depth of a compute partnership, 0..1")
    bid: float = Field(default=0.0, ge=0.0, le=MAX_MONEY,
                       description="$M the lab would pay at most for a rival in distress this quarter (M9)")

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values) -> "Orders":
        """Orders are never taken unchecked: unlike other pydantic models', this validates
        ``values`` as ``Orders(...)`` does (``ValidationError`` for a bad one)."""
        return cls(**values)

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> "Orders":
        """A copy; with ``update``, the changed orders validated as ``Orders(...)`` validates them."""
        if update:
            return type(self).model_validate({**self.__dict__, **update})
        return super().model_copy(deep=deep)

    def to_array(self, hub_ids: tuple[str, ...], out: np.ndarray | None = None) -> np.ndarray:
        """The orders as a row of the core's ``orders`` array (``out``, if given: a contiguous row)."""
        row = np.zeros(F.ORDER_FIELDS) if out is None else out
        write_rows((self,), hub_ids, row)
        return row

    @classmethod
    def from_array(cls, row: np.ndarray, hub_ids: tuple[str, ...]) -> "Orders":
        """Orders from a row a compiled policy wrote (zero entries left out)."""
        def per_hub(base: int) -> dict[str, float]:
            return {hub: float(row[base + h]) for h, hub in enumerate(hub_ids) if row[base + h] > 0.0}

        package = float(row[F.O_PACKAGE])
        return cls.model_validate({
            "gpus": per_hub(F.O_GPUS),
            "power_mw": per_hub(F.O_MW),
            "cancel": float(row[F.O_CANCEL]),
            "premium": float(row[F.O_PREMIUM]),
            "rent": float(row[F.O_RENT]),
            "hire": float(row[F.O_HIRE]),
            "package": package if package > 0.0 else None,
            "layoff": float(row[F.O_LAYOFF]),
            "train_split": float(row[F.O_TRAIN_SPLIT]),
            "equity": float(row[F.O_EQUITY]),
            "debt": float(row[F.O_DEBT]),
            "efficiency_rnd": float(row[F.O_EFFICIENCY_RND]),
            "silicon_rnd": float(row[F.O_SILICON_RND]),
            "open_source": bool(row[F.O_OPEN_SOURCE] > 0.5),
            "partnership": float(row[F.O_PARTNERSHIP]),
            "bid": float(row[F.O_BID]),
        })

    def compact(self) -> dict:
        """Only what differs from 'do nothing': the form saves and logs store."""
        return self.model_dump(exclude_defaults=True)


# the orders that are one number each, and their column in the core's ``orders`` array
_SCALAR_COLUMNS = tuple((name, getattr(F, "O_" + name.upper())) for name in (
    "cancel", "premium", "rent", "hire", "layoff", "train_split", "equity", "debt", "efficiency_rnd", "silicon_rnd",
    "partnership", "bid"))


def write_rows(orders: "tuple[Orders, ...] | list[Orders]", hub_ids: tuple[str, ...], out: np.ndarray) -> None:
    """Write each of ``orders`` as a row of the core's ``orders`` array ``out`` (C-contiguous
    float64, one row each; a single row may be 1-D). Written through a memoryview: a quarter's
    rows cost a third of numpy's item-by-item writes."""
    out.fill(0.0)
    cells = memoryview(out).cast("B").cast("d")
    base = 0
    for order in orders:
        fields = order.__dict__
        for hub, count in fields["gpus"].items():
            cells[base + F.O_GPUS + hub_ids.index(hub)] = count
        for hub, mw in fields["power_mw"].items():
            cells[base + F.O_MW + hub_ids.index(hub)] = mw
        for name, column in _SCALAR_COLUMNS:
            value = fields[name]
            if value:  # (most orders are zero, and the row is: a test is cheaper than a write)
                cells[base + column] = value
        cells[base + F.O_PACKAGE] = fields["package"] or 0.0  # None: last quarter's package stays
        cells[base + F.O_OPEN_SOURCE] = 1.0 if fields["open_source"] else 0.0
        base += F.ORDER_FIELDS


ORDER_FIELDS = frozenset(Orders.model_fields)  # what a misspelt order is matched against


class OrdersError(ValueError):
    """Orders that were refused; the message names each bad field."""


# the per-hub orders, checked again on their own: an ``Orders``' dicts can be filled after it was made
_PER_HUB_CEILING = (("gpus", MAX_GPU_ORDER), ("power_mw", MAX_MW_ORDER))  # the bounds of ``Gpus`` and ``Megawatts``


def _valid_as_made(orders: "Orders", hub_ids: tuple[str, ...]) -> bool:
    """Whether ``Orders`` that validation made (``Orders(...)``, ``model_validate``, and here
    ``model_construct`` and ``model_copy`` too: its fields are frozen) still hold valid per-hub
    orders, the one part a bot can change after making them: hub ids of this game's hubs and
    floats within the field's bounds (NaN and infinities fail the comparison). Orders that fail
    are checked field by field by the caller, which names what is wrong."""
    for field, ceiling in _PER_HUB_CEILING:
        for hub, value in orders.__dict__[field].items():
            if not (type(hub) is str and hub in hub_ids and type(value) is float and 0.0 <= value <= ceiling):
                return False
    return True


def validate_orders(data: "Orders | dict", hub_ids: tuple[str, ...]) -> Orders:
    """Check orders (a dict or an ``Orders``) against the game's hubs; raise ``OrdersError``."""
    if type(data) is Orders and _valid_as_made(data, hub_ids):
        return data  # made by validation, its per-hub orders still valid: nothing to check again
    try:  # a dict, a subclass, or per-hub orders changed since: field by field
        payload = data.__dict__ if isinstance(data, Orders) else data  # its fields as they are
        if not isinstance(payload, dict):
            raise OrdersError(f"orders must be a mapping of fields, got {type(payload).__name__}")
        orders = Orders.model_validate(payload)
    except ValidationError as error:  # every fault at once: unknown hubs too, not only once the rest is mended
        hubs = _unknown_hubs(payload, hub_ids) if isinstance(payload, dict) else []
        raise OrdersError("; ".join([one_line(error, limit=5, top="orders", known=ORDER_FIELDS), *hubs])) from None
    unknown = _unknown_hubs(orders.__dict__, hub_ids)
    if unknown:
        raise OrdersError("; ".join(unknown))
    return orders


def _unknown_hubs(fields: dict, hub_ids: tuple[str, ...]) -> list[str]:
    """What is wrong with the hub ids of ``fields``' per-hub orders (``gpus``, ``power_mw``), one
    message each (none for a per-hub order that is not a mapping: validation names that)."""
    return [f"{field}: unknown hub {hub!r}{did_you_mean(hub, hub_ids)}; expected one of {', '.join(hub_ids)}"
            for field in ("gpus", "power_mw") if isinstance(fields.get(field), dict)
            for hub in fields[field] if hub not in hub_ids]
