"""The orders form's live forecast: what the orders would do this quarter, from the real rules.

It shows a ``Preview`` from ``Campaign.preview``; it computes nothing itself. A figure the
quarter will show exactly is plain; one that rivals' orders or the dice can move reads
"≈value" with the range the forecast saw beside it, dim.
"""

from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from blitzgame.formats import count, money
from blitzgame.session.campaign import Preview

FIGURES = ("spend", "cash", "runway", "arriving", "online", "revenue", "stranded", "power", "grid", "hires", "value",
           "score")  # in order
CASH_FLOW_POSITIVE = 99.0  # the runway the rules report for a lab that earns more than it burns


def runway_label(quarters: float, burning: bool = True) -> str:
    """Runway in quarters; past the rules' cap, '99+ quarters' of a lab that burns cash, else 'cash-flow positive'."""
    if quarters >= CASH_FLOW_POSITIVE:
        return f"{CASH_FLOW_POSITIVE:.0f}+ quarters" if burning else "cash-flow positive"
    return f"{quarters:.1f} quarters"


SUBTITLE = "≈ rivals and luck · pgdn/pgup scroll"  # (the form's keys scroll it)


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
        & .preview-figure { height: auto; }  /* a figure too long for the panel wraps, never cut */
        & #preview-warnings { margin-top: 1; height: auto; }
        &.-stale .preview-figure { text-opacity: 50%; }
    }
    """

    def __init__(self, label: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = f"Forecast {label}"
        self.border_subtitle = SUBTITLE
        self.preview: Preview | None = None
        self._refused: str | None = None  # why the orders cannot be forecast, while they cannot

    def compose(self) -> ComposeResult:
        with Container(id="preview-figures"):
            for name in FIGURES:
                yield Static(classes="preview-figure", id=f"preview-{name}")
        yield Static(id="preview-warnings")

    def on_mount(self) -> None:
        """Show what came before the figures were on screen (keys typed while the form opens)."""
        if self._refused is not None:
            self.show_refused(self._refused)
        elif self.preview is not None:
            self.show(self.preview)

    def show(self, preview: Preview) -> None:
        """Show a fresh forecast (once the panel is on screen, if it is not yet)."""
        self.preview, self._refused = preview, None
        if len(self.query(".preview-figure")) < len(FIGURES):  # its figures are not all in place yet (or no longer)
            return
        self.remove_class("-stale")
        self.border_subtitle = SUBTITLE
        short = preview.cash_after < 0 or preview.bankrupt
        headroom = preview.power_headroom

        def signed(x: float) -> str:  # (a range's ends: "+300", "−1,200", never "−0")
            return f"−{count(-x)}" if round(x) < 0 else f"+{count(max(x, 0.0))}"

        def power(x: float) -> str:  # below 0: the GPUs short of power at the hubs short of it, else the spare
            if x < -0.5:
                return f"{count(-x)} GPUs short"
            spare = round(x)  # (whole: the hubs' rooms rounded down, ``forecast.whole_room``)
            return f"+{count(spare)} {'GPU' if spare == 1 else 'GPUs'} spare" if spare > 0 else "none spare"

        hubs = preview.grid_hubs  # the grids the grid figure adds up: the hubs ordered in, or every hub
        where = f"in {hubs[0]}" if len(hubs) == 1 else f"in {len(hubs)} hubs" if hubs else "all hubs"
        notes = {"spend": "· the orders, and GPUs on order paid as they arrive; running costs come on top",
                 "grid": f"· {where}, left after the quarter",  # (Textual wraps at no-break spaces too)
                 "power": "· power being built counts",
                 "runway": "· at this quarter's burn, R&D and hiring in",
                 "value": "· idle GPUs at fire sale, power at $0"}

        def points(x: float) -> str:  # (a score that rounds to none reads 0.0, never "−0.0")
            return f"−{-x:,.1f}" if round(x, 1) < 0 else f"{max(x, 0.0):,.1f}"

        def quarters(x: float) -> str:
            return f"{CASH_FLOW_POSITIVE:.0f}+q" if x >= CASH_FLOW_POSITIVE else f"{x:.1f}q"  # (not ∞: it may still burn)

        figures = (  # (widget, label, Preview field, how a value reads, how its range reads, colour)
            ("spend", "Spend (orders)", "spend", money, money, ""),  # what the orders spend, not running costs
            ("cash", "Cash after", "cash_after", money, money, "$error" if short else ""),
            ("runway", "Runway after", "runway", lambda x: runway_label(x, preview.burning), quarters,
             "$error" if short else ""),
            ("arriving", "GPUs arriving", "gpus_arriving", count, count, ""),
            ("online", "GPUs online", "gpus_online", count, count, ""),
            ("revenue", "Revenue", "revenue", money, money, ""),  # the training share moves it (M2)
            ("stranded", "Stranded GPUs", "stranded", count, count, "$warning" if preview.stranded >= 0.5 else ""),
            ("power", "Power headroom", "power_headroom", power, signed, "$warning" if headroom < -0.5 else ""),
            ("grid", "Grid headroom", "grid_headroom_mw", lambda x: f"{count(x)} MW", count, ""),
            ("hires", "Hires", "hires", count, count, ""),
            # what the quarter does to the value built and the score, before the report says it (winning.md)
            ("value", "Valuation", "valuation", money, money, ""),
            ("score", "Score", "score", points, points, "$error" if round(preview.score, 1) < 0 else ""),
        )
        for name, label, key, show, brief, colour in figures:
            value = show(getattr(preview, key))
            if preview.is_certain(key):
                self._figure(name, label, value, colour, note=notes.get(name, ""))
            else:  # the rivals or the dice can move it: say so, and how far the forecast saw it move
                low, high = brief(preview.low[key]), brief(preview.high[key])
                seen = "" if low == high else f"{low} to {high}" if low.startswith("−") else f"{low}–{high}"
                if seen and name == "runway" and getattr(preview, key) < CASH_FLOW_POSITIVE:
                    value = brief(getattr(preview, key))  # "≈53.6q 51.9q–76.0q" fits where "quarters" would not
                self._figure(name, label, f"≈{value}", colour, seen, notes.get(name, ""))
        lines = []
        for number, warning in enumerate(preview.warnings):
            colour = "$error" if preview.bankrupt and number == 0 else "$warning"  # the rules list bankruptcy first
            lines.append(Content.from_markup(f"[bold {colour}]![/] [{colour}]$line[/]", line=warning))
        self.query_one("#preview-warnings", Static).update(
            Content("\n").join(lines) if lines else Content.from_markup("[$success]No warnings.[/]"))

    def mark_stale(self) -> None:
        """The orders changed: the figures shown, dim, are the last orders' until these orders' come."""
        self.add_class("-stale")
        self.border_subtitle = "updating… · pgdn/pgup scroll"

    def show_refused(self, reason: str) -> None:
        """The orders cannot be forecast until they are valid: say why, keep the last figures dim."""
        self._refused = reason
        if not self.query("#preview-warnings"):  # not in place yet (``on_mount`` shows it) or no longer
            return
        self.add_class("-stale")
        self.border_subtitle = "dim: the last valid orders' · pgdn/pgup scroll"
        self.query_one("#preview-warnings", Static).update(
            Content.from_markup("[$error]No forecast: $reason[/]", reason=reason))

    def _figure(self, name: str, label: str, value: str, colour: str = "", seen: str = "", note: str = "") -> None:
        """One figure: its label, value, the range seen (if it can move) and a note on what it counts;
        a figure too long for the panel wraps onto as many lines as it takes."""
        markup = f"[dim]{label:<14}[/] " + (f"[bold {colour}]$figure[/]" if colour else "[bold]$figure[/]")
        if seen:
            markup += " [dim]$seen[/]"
        if note:
            markup += " [dim]$note[/]"
        line = self.query_one(f"#preview-{name}", Static)
        content = Content.from_markup(markup, figure=value, seen=seen, note=note)
        # a new layout only when the figure takes a line more or less (laying out the panel costs time)
        lines = 1 if content.cell_length <= line.size.width else len(content.wrap(max(line.size.width, 1)))
        line.update(content, layout=line.size.height != lines)
