"""A line chart over a campaign's quarters, drawn with textual-plot in the theme's colours.

``QuarterChart`` plots per-quarter series (``blitzgame.session.series``): x is the point
(0 = start, k = the k-th quarter played, ticks labelled 24Q3), y plain, compact, money,
share or a log scale (the GPU race: each stage of M1 is one 10x band). It draws with a
single point (a campaign not yet played) and keeps its own legend below the plot so the
legend never hides a line at 80x24.
"""

import math
from dataclasses import dataclass
from math import ceil, floor

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static
from textual_plot import AxisFormatter, HiResMode, NumericAxisFormatter, PlotWidget

from blitzgame.formats import money

LAB_COLOURS = ("primary", "warning", "success", "error", "accent", "secondary", "foreground")
GUIDE_COLOUR = "secondary"


@dataclass(frozen=True)
class Line:
    """One series: a label, a value per point (None or NaN where it has none) and a theme colour."""

    label: str
    values: list[float | None]
    colour: str = "primary"  # a theme variable: primary, warning, error, success, accent...


@dataclass(frozen=True)
class Guide:
    """A horizontal reference line, e.g. the death zone's edges or the revenue gap's danger line."""

    value: float
    label: str
    colour: str = GUIDE_COLOUR


def compact(value: float) -> str:
    """12,345 -> 12k; 1,500,000 -> 1.5M."""
    size = abs(value)
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if size >= scale:
            shown = value / scale
            return f"{shown:.0f}{unit}" if abs(shown) >= 10 or shown == int(shown) else f"{shown:.1f}{unit}"
    return f"{value:.0f}" if size >= 10 or value == int(value) else f"{value:.1f}"


def short_quarter(label: str) -> str:
    """'2025Q3' -> '25Q3' (tick labels must be short); other labels as they are."""
    return label[2:] if len(label) == 6 and label[4] == "Q" else label


class QuarterAxis(AxisFormatter):
    """x ticks on whole points, every 1, 2, 4, 8... quarters so that they fit, labelled by quarter."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        span = max(max_ - min_, 1.0)
        step = next((s for s in (1, 2, 4, 8, 12, 16, 24, 32, 64) if span / s <= max_ticks - 1), 64)
        first = ceil(min_ / step) * step
        return [float(t) for t in range(int(first), int(floor(max_)) + 1, step)]

    def get_labels_for_ticks(self, ticks) -> list[str]:
        return [short_quarter(self.labels[int(t)]) if 0 <= int(t) < len(self.labels) else "" for t in ticks]


class ValueAxis(NumericAxisFormatter):
    """Nice y ticks, labelled short enough for the plot's margin: 12k, $1.2B, 35%."""

    def __init__(self, unit: str = "") -> None:
        self.unit = unit

    def get_labels_for_ticks(self, ticks) -> list[str]:
        if self.unit == "money":
            return ["$0" if abs(t) < 0.05 else money(t) for t in ticks]  # (an axis's zero is $0, not $0.0M)
        if self.unit == "share":
            return [f"{t:.0%}" for t in ticks]
        if self.unit == "count":
            return [compact(t) for t in ticks]
        return super().get_labels_for_ticks(ticks)


class LogAxis(AxisFormatter):
    """y ticks for values plotted as log10: 1, 2, 5 per decade (only 10s when crowded)."""

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        decades = range(floor(min_), ceil(max_) + 1)
        fine = [d + math.log10(m) for d in decades for m in (1, 2, 5)]
        ticks = [t for t in fine if min_ - 1e-9 <= t <= max_ + 1e-9]
        if len(ticks) > max_ticks:
            ticks = [float(d) for d in decades if min_ - 1e-9 <= d <= max_ + 1e-9]
        return ticks

    def get_labels_for_ticks(self, ticks) -> list[str]:
        return [compact(round(10 ** t)) for t in ticks]


class ChartPlot(PlotWidget, can_focus=False):
    """The plot itself: not focusable, so its zoom and pan keys never shadow the game's."""


class ChartLegend(Static):
    """A chart's legend: its entries in lines that fit its width, none split across two
    (Textual would wrap inside an entry, between a dot and its name)."""

    GAP = Content("   ")

    def __init__(self, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._entries: list[Content] = []
        self._shown: Content | None = None

    def show(self, entries: list[Content]) -> None:
        self._entries = entries
        self._pack()

    def on_resize(self) -> None:
        self._pack()

    def _pack(self) -> None:
        width = self.content_region.width  # 0 before the first layout: one line, packed again once sized
        lines: list[Content] = []
        for entry in self._entries:
            if lines and (not width or lines[-1].cell_length + self.GAP.cell_length + entry.cell_length <= width):
                lines[-1] = lines[-1] + self.GAP + entry
            else:
                lines.append(entry)
        packed = Content("\n").join(lines)
        if packed != self._shown:  # (an update lays the legend out again: only when it changed)
            self._shown = packed
            self.update(packed)


class QuarterChart(Vertical):
    """A titled line chart of per-quarter series with a legend underneath."""

    DEFAULT_CSS = """
    QuarterChart { height: 1fr; min-height: 8; }
    QuarterChart > ChartPlot { height: 1fr; min-height: 6; }
    QuarterChart > .chart-legend { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, y_label: str = "", unit: str = "", log_scale: bool = False, min_points: int = 5,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.y_label = y_label
        self.unit = unit
        self.log_scale = log_scale
        self.min_points = min_points  # the x axis spans at least this many points, so a new game is not one column
        self._data: tuple[list[str], list[Line], list[Guide], list[tuple[int, str]]] = ([], [], [], [])

    def compose(self) -> ComposeResult:
        yield ChartPlot(allow_pan_and_zoom=False)
        yield ChartLegend(classes="chart-legend")

    def on_mount(self) -> None:
        self.plot.margin_top = 1  # the y label's row
        self.plot.margin_bottom = 2  # tick labels, and a blank row: the x axis needs no label
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._draw())
        self._draw()

    @property
    def plot(self) -> PlotWidget:
        return self.query_one(ChartPlot)

    def show(self, labels: list[str], lines: list[Line], guides: list[Guide] | None = None,
             marks: list[tuple[int, str]] | None = None) -> None:
        """Plot ``lines`` over the points ``labels``, with horizontal ``guides`` and vertical
        ``marks`` (point, label), e.g. the quarter the music stopped."""
        self._data = (list(labels), list(lines), list(guides or []), list(marks or []))
        if self.is_mounted:
            self._draw()

    def colour(self, name: str) -> str:
        """A theme variable as a style the plot can draw with."""
        value = self.app.theme_variables.get(name, "")
        return value if value.startswith("#") else "default"

    def _y(self, value: float | None) -> float:
        if value is None or not math.isfinite(value):
            return math.nan
        if self.log_scale:
            return math.log10(value) if value > 0 else math.nan
        return value

    def _draw(self) -> None:
        labels, lines, guides, marks = self._data
        plot = self.plot
        plot.clear()
        plot.set_xlabel("")
        plot.set_ylabel(self.y_label)
        plot.set_x_formatter(QuarterAxis(labels or ["start"]))
        plot.set_y_formatter(LogAxis() if self.log_scale else ValueAxis(self.unit))
        x_max = max(len(labels) - 1, self.min_points - 1, 1)
        plot.set_xlimits(0, x_max + 0.6)  # (room past the last quarter for each line's end marker)
        ys = []
        for guide in guides:  # first: drawn over, a guide would hide the lines and the markers on it
            y = self._y(guide.value)
            if not math.isnan(y):
                ys.append(y)
                plot.plot([0, x_max], [y, y], line_style=self.colour(guide.colour), hires_mode=HiResMode.BRAILLE)
        ends = []
        # the first line (the player's) drawn last, on top; then every line's latest value as its marker
        # (also what a single-point series shows), the first line's last, so no line hides a marker
        for line, marker in reversed(list(zip(lines, _markers(len(lines))))):
            x = [k for k, v in enumerate(line.values) if not math.isnan(self._y(v))]
            y = [self._y(line.values[k]) for k in x]
            ys += y
            style = self.colour(line.colour)
            if len(x) > 1:
                plot.plot(x, y, line_style=style, hires_mode=HiResMode.BRAILLE)
            if x:
                ends.append((x[-1:], y[-1:], marker, style))
        for x, y, marker, style in ends:
            plot.scatter(x, y, marker=marker, marker_style=style)
        for point, label in marks:
            plot.add_v_line(point, line_style=self.colour("error"), label=label)
        self._set_y_limits(ys)
        self._legend(lines, guides, marks)

    def _set_y_limits(self, ys: list[float]) -> None:
        plot = self.plot
        if not ys:
            plot.set_ylimits(0, 1)
        elif self.log_scale:
            low, high = floor(min(ys)), ceil(max(ys))
            high = max(high, low + 1)
            plot.set_ylimits(low, high + 0.04 * (high - low))  # (room above the top decade: a marker there is drawn)
        else:
            low, high = min(min(ys), 0.0), max(ys)
            plot.set_ylimits(low, high * 1.05 if high > low else low + 1)

    def _legend(self, lines: list[Line], guides: list[Guide], marks: list[tuple[int, str]]) -> None:
        parts = [Content.styled(f"{marker} ", self.colour(line.colour)) + Content(line.label)
                 for line, marker in zip(lines, _markers(len(lines)))]
        parts += [Content.styled("── ", self.colour(g.colour)) + Content(g.label) for g in guides if g.label]
        parts += [Content.styled("│ ", self.colour("error")) + Content(label) for _, label in marks]
        self.query_one(ChartLegend).show(parts)


MARKERS = "●■▲◆★✚"  # each line's last value and its legend entry: told apart without colour too


def _markers(lines: int) -> str:
    """A marker per line: "●" for a chart of one line, a shape of its own for each of several."""
    return "●" if lines == 1 else (MARKERS * (lines // len(MARKERS) + 1))[:lines]


__all__ = ["Guide", "LAB_COLOURS", "Line", "QuarterChart", "compact", "short_quarter"]
