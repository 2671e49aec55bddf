"""One number of a lab's orders: its name, an input the orders schema checks, its unit, and
a line under it with the reason when the value is refused.

The schema (``blitzgame.schemas.orders``) is the one place rules on values live: the input
parses text to a number and asks ``validate_orders`` about it; the range in the hint is read
off the schema's own Field metadata.
"""

import math
import re
import typing

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Static

from blitzgame.schemas.orders import Orders, OrdersError, validate_orders
from blitzgame.session.campaign import WHOLE_ORDERS
from blitzgame.tui.widgets.typed_input import TypedInput

THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")  # 12,500 or 1,000,000.5


def parse_number(text: str) -> float | None:
    """A typed number as a float; ``None`` when left empty. Thousands separators are allowed
    where they group three digits ("12,500"); a decimal comma ("0,5") is not a number.

    Raises ``ValueError`` for text that is not a number. NaN and infinities parse, so the
    schema can refuse them with its own message."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if "," in cleaned:
        if not THOUSANDS.fullmatch(cleaned):
            raise ValueError(f"not a number: {text!r}")
        cleaned = cleaned.replace(",", "")
    return float(cleaned)


def shown_number(value: float) -> str:
    """A number as the form shows it: no trailing zeros, at most six decimals."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def field_bounds(name: str) -> tuple[float | None, float | None]:
    """The (lowest, highest) value the schema allows for an orders field (per hub for dicts)."""
    info = Orders.model_fields[name]
    metadata = list(info.metadata)
    if typing.get_origin(info.annotation) is dict:
        # per-hub fields: the bounds sit on the dict's value type, Annotated[float, Field(...)]
        value_type = typing.get_args(info.annotation)[1]
        metadata = [m for extra in typing.get_args(value_type)[1:] for m in getattr(extra, "metadata", [extra])]
    low = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    return low, high


def range_label(name: str) -> str:
    """The allowed range of a field as a hint shows it, e.g. ``0–1``: one word, which a narrow help
    line cannot split (it wrapped "0 /– 2,000,000", which read as if the field took 0 only)."""
    low, high = field_bounds(name)

    def label(x: float) -> str:
        text = f"{x:,.6f}".rstrip("0").rstrip(".")
        return text.replace("-", "−")

    if low is not None and high is not None:
        return f"{label(low)}–{label(high)}"
    if low is not None:
        return f"≥{label(low)}"
    return f"≤{label(high)}" if high is not None else ""


def inline_message(error: OrdersError) -> str:
    """The schema's one-line refusal, shortened for the line under an input."""
    text = str(error)
    _, _, reason = text.partition(": ")
    reason = reason or text
    # numbers as the form shows them: 2,000,000, not 2000000 (and a whole number without ".0")
    reason = re.sub(r"(?<![\d.,])(\d+)(\.\d+)?(?![\d.])",
                    lambda m: f"{int(m.group(1)):,}" + ("" if m.group(2) in (None, ".0") else m.group(2)), reason)
    return reason.replace("Input should be", "must be")


class SchemaCheck(Validator):
    """Checks one field's typed value with the orders schema itself (never a copy of its bounds)."""

    def __init__(self, field: str, hub: str | None, hub_ids: tuple[str, ...]) -> None:
        super().__init__()
        self.field = field
        self.hub = hub
        self.hub_ids = hub_ids

    def validate(self, value: str) -> ValidationResult:
        try:
            number = parse_number(value)
        except ValueError:
            return self.failure("not a number")
        if number is None:
            return self.success()  # empty: the field is left out, the schema's default applies
        if self.field in WHOLE_ORDERS and math.isfinite(number) and number != math.floor(number):
            return self.failure("must be a whole number (GPUs and people come whole)")
        data = {self.field: {self.hub: number} if self.hub else number}
        try:
            validate_orders(data, self.hub_ids)
        except OrdersError as error:
            return self.failure(inline_message(error))
        return self.success()


class OrderField(Vertical):
    """A labelled number input of the orders form, checked by the schema as it is typed.

    ``field`` is the ``Orders`` field name; ``hub`` the hub id for per-hub fields. The
    input's id is ``field`` (or ``field-hub``), so screens and tests can find it."""

    DEFAULT_CSS = """
    OrderField {
        layout: grid;
        grid-size: 3;
        grid-columns: 22 17 1fr;
        grid-rows: 1 auto;
        height: auto;
        padding: 0 1;
        & .order-label { color: $text; }
        & Input { margin-right: 1; }
        & .order-unit { color: $text-muted; }
        & .order-problem { display: none; column-span: 3; height: auto; color: $error; padding-left: 22; }
        &:focus-within { background: $boost; }
        &:focus-within .order-label { color: $accent; text-style: bold; }
        &.-invalid .order-problem { display: block; }
        &.-invalid .order-label { color: $error; }
    }
    """

    def __init__(self, field: str, *, label: str, unit: str, hub_ids: tuple[str, ...],
                 hub: str | None = None, value: float | None = None, placeholder: str = "",
                 title: str | None = None) -> None:
        self.field = field
        self.hub = hub
        self.input_id = f"{field}-{hub}" if hub else field
        super().__init__(id=f"field-{self.input_id}")
        description = (Orders.model_fields[field].description or "").replace("None keeps", "empty keeps")
        if hub:  # the field is one hub's: a bot's dict is keyed by hub id, the form's row is the hub's own
            description = description.replace(" per hub id", " at this hub")
        self.label = label
        self.unit = unit
        self.title = title or label  # how the form's status line names the field
        self.help = f"{self.title} ({unit}), {range_label(field)}: {description}"  # for the form's help line
        self._description = description
        # made here, not in compose: the form reads its fields as soon as it is mounted, and under load
        # that can come before a field has composed its children
        self._input = TypedInput(
            shown_number(value) if value is not None else "",
            placeholder=placeholder,
            validators=[SchemaCheck(field, hub, hub_ids)],
            valid_empty=True,
            compact=True,
            id=self.input_id,
            tooltip=self.help,
        )

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="order-label")
        yield self._input
        yield Label(self.unit, classes="order-unit")
        # the line with the reason for a refused value is mounted the first time one is refused:
        # a form opens faster without a hidden line under each of its fields

    def on_mount(self) -> None:
        if self.input.value:  # an empty field is valid: nothing to show (and no restyle to pay for)
            self._show(self.input.validate(self.input.value))

    @property
    def input(self) -> Input:
        return self._input

    @property
    def is_valid(self) -> bool:
        """Whether the typed value passes the schema (empty passes)."""
        return self.input.is_valid

    @property
    def number(self) -> float | None:
        """The typed number, or ``None`` when empty (the caller checks ``is_valid`` first)."""
        return parse_number(self.input.value)

    @property
    def problem(self) -> str:
        """Why the value is refused ('' when it is fine)."""
        result = self.input.validate(self.input.value)
        if result is None or result.is_valid:
            return ""
        return "; ".join(result.failure_descriptions)

    def set_number(self, value: float | None) -> None:
        """Put a value in the input (``None`` empties it)."""
        self.input.value = "" if value is None else shown_number(value)

    @on(Input.Changed)
    def _checked(self, event: Input.Changed) -> None:
        self._show(event.validation_result)

    def _show(self, result: ValidationResult | None) -> None:
        invalid = result is not None and not result.is_valid
        self.set_class(invalid, "-invalid")
        if invalid:
            text = "✗ " + "; ".join(result.failure_descriptions)
            lines = self.query(".order-problem").results(Static)
            line = next(lines, None)
            if line is None:
                self.mount(Static(text, classes="order-problem", markup=False))
            else:
                line.update(text)
