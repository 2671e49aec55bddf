"""The orders form's live forecast: what the orders would do this quarter, from the real rules.

It shows a ``Preview`` from ``Campaign.preview``; it computes nothing itself.
"""

from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from blitzgame.formats import count, money
from blitzgame.session.campaign import Preview

CASH_FLOW_POSITIVE = 99.0  # the runway the rules report for a lab that earns more than it burns


def runway_label(quarters: float) -> str:
    """Runway in quarters, or 'cash-flow positive'."""
    if quarters >= CASH_FLOW_POSITIVE:
        return "cash-flow positive"
    return f"{quarters:.1f} quarters"


class PreviewPanel(VerticalScroll):
    """A forecast of the orders: spend, cash after, runway, GPUs, power and hires, with warnings."""

    DEFAULT_CSS = """
    PreviewPanel {
        border: round $primary;
        border-title-color: $primary;
        padding: 0 1;
        background: $panel;
        border-subtitle-color: $text-muted;
        & #preview-figures { layout: grid; grid-size: 1; grid-gutter: 0 2; height: auto; }
        & .preview-figure { height: 1; }
        & #preview-warnings { margin-top: 1; height: auto; }
        &.-stale .preview-figure { text-opacity: 50%; }
    }
    """

    def __init__(self, label: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = f"Forecast {label}"
        self.border_subtitle = "if rivals play as last quarter"
        self.preview: Preview | None = None

    def compose(self) -> ComposeResult:
        with Container(id="preview-figures"):
            for name in ("spend", "cash", "runway", "arriving", "online", "stranded", "power", "grid", "hires"):
                yield Static(classes="preview-figure", id=f"preview-{name}")
        yield Static(id="preview-warnings")

    def show(self, preview: Preview) -> None:
        """Show a fresh forecast."""
        self.preview = preview
        self.remove_class("-stale")
        short = preview.cash_after < 0 or preview.bankrupt
        self._figure("spend", "Spend", money(preview.spend))
        self._figure("cash", "Cash after", money(preview.cash_after), "$error" if short else "")
        self._figure("runway", "Runway", runway_label(preview.runway), "$error" if short else "")
        self._figure("arriving", "GPUs arriving", count(preview.gpus_arriving))
        self._figure("online", "GPUs online", count(preview.gpus_online))
        self._figure("stranded", "Stranded GPUs", count(preview.stranded), "$warning" if preview.stranded >= 0.5 else "")
        headroom = preview.power_headroom
        power = f"+{count(headroom)} GPUs" if headroom >= 0 else f"−{count(-headroom)} GPUs"
        self._figure("power", "Power headroom", power, "$warning" if headroom < -0.5 else "")
        self._figure("grid", "Grid headroom", f"{count(preview.grid_headroom_mw)} MW")
        self._figure("hires", "Hires", count(preview.hires))
        lines = []
        for number, warning in enumerate(preview.warnings):
            colour = "$error" if preview.bankrupt and number == 0 else "$warning"  # the rules list bankruptcy first
            lines.append(Content.from_markup(f"[bold {colour}]![/] [{colour}]$line[/]", line=warning))
        self.query_one("#preview-warnings", Static).update(
            Content("\n").join(lines) if lines else Content.from_markup("[$success]No warnings.[/]"))

    def show_refused(self, reason: str) -> None:
        """The orders cannot be forecast until they are valid: say why, keep the last figures dim."""
        self.add_class("-stale")
        self.query_one("#preview-warnings", Static).update(
            Content.from_markup("[$error]No forecast: $reason[/]", reason=reason))

    def _figure(self, name: str, label: str, value: str, colour: str = "") -> None:
        markup = f"[dim]{label:<14}[/] " + (f"[bold {colour}]$figure[/]" if colour else "[bold]$figure[/]")
        self.query_one(f"#preview-{name}", Static).update(Content.from_markup(markup, figure=value), layout=False)
