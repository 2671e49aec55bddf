"""The flywheel panel (M2): compute -> talent -> models -> customers -> revenue -> compute."""

from textual.widgets import Static

from blitzgame.formats import count, money

_SHOWN = {  # how each link's level reads
    "compute": lambda v: f"{count(v)} eff. GPUs",
    "talent": lambda v: f"{count(v)} researchers",
    "models": lambda v: f"quality {v:.2f}",
    "customers": lambda v: f"{v:.1%} share",
    "revenue": lambda v: f"{money(v)}/qtr",
}


class FlywheelPanel(Static):
    """Each link of the lab's flywheel, its change last quarter, and the link that drove it."""

    DEFAULT_CSS = """
    FlywheelPanel {
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    """

    def show(self, flywheel) -> None:
        """Draw a ``Flywheel`` from the campaign."""
        self.border_title = "Flywheel (M2)"
        lines = []
        for k, link in enumerate(flywheel.links):
            arrow = "↺" if k == len(flywheel.links) - 1 else "↓"
            if flywheel.driver is None:
                change = "  -"
            else:  # (a move that rounds to none reads 0%, never "-0%")
                change = f"{link.relative:+.0%}" if abs(link.relative) >= 0.005 else "0%"
            tone = "$success" if link.relative > 0.005 else "$error" if link.relative < -0.005 else "$foreground-muted"
            row = f"{link.name:<10} {_SHOWN[link.name](link.value):>18}  [{tone}]{change:>6}[/]"
            if link.name == flywheel.driver:
                row = f"[b $accent]▶ {row}[/]"
            else:
                row = f"  {row}"
            lines.append(f"{row} {arrow}")
        if flywheel.driver is None:
            lines.append("[$foreground-muted]No quarter played yet: end one to see what drives you.[/]")
        else:
            lines.append(f"[$foreground-muted]{flywheel.driver.capitalize()} moved most last quarter; "
                         "↓ each link feeds the next.[/]")
        self.update("\n".join(lines))
