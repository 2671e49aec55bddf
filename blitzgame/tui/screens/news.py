"""News (`n`): every quarter's news lines for the lab, newest first, filterable by phase."""

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Select, Static

from blitzgame.formats import quarters
from blitzgame.session.report import PHASES
from blitzgame.tui.screens.hq import phase_title
from blitzgame.tui.screens.view import ViewScreen
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header

ALL = "all"


def news_table(reports, lab: int, phase: str = ALL) -> Table | None:
    """The lab's news and the world's, quarter by quarter (newest first), for one phase or all;
    None when there is nothing to show."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(ratio=1)
    shown = 0
    for report in reversed(reports):
        lines = [n for n in report.for_lab(lab) if phase == ALL or n.phase == phase]
        if not lines:
            continue
        if shown:
            table.add_row("", "")
        table.add_row(Text(report.label, style="bold", justify="left"), "")
        for news in lines:
            world = news.lab is None
            table.add_row(phase_title(news.phase), Text(("World: " if world else "") + news.text,
                                                       style="italic" if world else ""))
        shown += 1
    return table if shown else None


class NewsScreen(ViewScreen):
    """The lab's news from every quarter played; `f` / `F` step through the phases."""

    BINDINGS = [
        Binding("f", "cycle(1)", "Next phase"),
        Binding("F", "cycle(-1)", "Previous phase", show=False),
    ]
    DEFAULT_CSS = """
    NewsScreen #filter { height: auto; padding: 0 1; margin: 0 0 1 0; }
    NewsScreen #filter Label { padding: 0 1 0 0; }
    NewsScreen #filter Select { width: 30; }
    NewsScreen #news-scroll { height: 1fr; padding: 0 1; }
    """
    OPTIONS = (ALL, *PHASES)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter"):
            yield Label("Phase")
            yield Select([("All phases", ALL)] + [(phase_title(p), p) for p in PHASES], value=ALL,
                         allow_blank=False, compact=True, id="phase")
        with VerticalScroll(id="news-scroll"):
            yield Static(id="news")
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = f"News · {self.game.names[self.lab]}"
        self.show_news()
        self.query_one("#news-scroll").focus()

    @property
    def phase(self) -> str:
        return str(self.query_one("#phase", Select).value)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.show_news()

    def action_cycle(self, step: int) -> None:
        """Show the next (or previous) phase's news."""
        k = self.OPTIONS.index(self.phase)
        self.query_one("#phase", Select).value = self.OPTIONS[(k + step) % len(self.OPTIONS)]

    def show_news(self) -> None:
        """Write the news for the phase chosen."""
        reports = self.game.reports
        shown = news_table(reports, self.lab, self.phase)
        if shown is None:
            if not reports:
                shown = Text("No news yet: end the quarter (e) and every phase will report what happened.")
            else:
                phase = phase_title(self.phase).removeprefix("The ")  # (the race's news: "No race news")
                shown = Text(f"No {phase} news for your lab in {quarters(len(reports))}.")
        self.query_one("#news", Static).update(shown)
        self.query_one("#news-scroll").scroll_home(animate=False)


__all__ = ["NewsScreen", "news_table"]
