"""The debrief: how the campaign ended for the lab, what it did, what hit it, what to learn.

Shown when the campaign ends (and from the command palette at any time). `x` exports it as
Markdown to the saves folder, `g` starts a new game, `q` quits. Lessons link to the
encyclopedia page of their mechanic.
"""

import re
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Markdown, Static, TabbedContent, TabPane

from blitzgame.encyclopedia import UnknownTopic, topic_for_mechanic
from blitzgame.files import write_atomic
from blitzgame.formats import count, money
from blitzgame.session.campaign import saves_dir
from blitzgame.session.debrief import Debrief, debrief
from blitzgame.session.series import Series
from blitzgame.tui.screens.charts import mount_money, mount_race, music_marks
from blitzgame.tui.screens.view import ViewScreen
from blitzgame.tui.scrolling import scroll_pages
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header
from blitzgame.tui.widgets.race_chart import QuarterChart

GOOD, BAD = ("dominance win", "ranked finish"), ("bankruptcy", "acquisition")


def lessons_markdown(report: Debrief) -> str:
    """The lessons as Markdown, each linked to its mechanic's encyclopedia page."""
    lines = []
    for lesson in report.lessons:
        try:
            link = f"[{lesson.mechanic}]({topic_for_mechanic(lesson.mechanic).id})"
        except UnknownTopic:
            link = lesson.mechanic
        lines.append(f"- **{lesson.title}** ({link}): {lesson.text}")
    return "\n".join(lines) or "No lessons yet: play a quarter first."


def timeline_table(report: Debrief) -> Table | Text:
    """The timeline, one line per decision or event, grouped by quarter."""
    if not report.timeline:
        return Text("Nothing of note yet.")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    last = ""
    for m in report.timeline:
        mark = Text("decision", style="bold") if m.kind == "decision" else Text("event", style="dim")
        tag = f" ({m.mechanic})" if m.mechanic else ""
        table.add_row(m.label if m.label != last else "", mark, Text(m.text + tag))
        last = m.label
    return table


def export_path(report: Debrief, label: str, folder: Path | None = None) -> Path:
    """Where the debrief's Markdown goes (``folder``, else the saves folder), named after the lab and quarter."""
    slug = re.sub(r"[^a-z0-9]+", "-", report.name.lower()).strip("-") or "lab"
    return (folder or saves_dir()) / f"{slug}-debrief-{label}.md"


class DebriefScreen(ViewScreen):
    """The debrief of ``lab``'s campaign: outcome, score, lessons, timeline, charts, standings."""

    TABS = ("lessons", "timeline", "race", "money", "standings-pane")
    report: Debrief | None = None
    BINDINGS = [
        # one escape, named for where it goes (``check_action`` keeps the one that applies)
        Binding("escape", "close_to_title", "Title screen"),  # the campaign is over: closing ends it
        Binding("escape", "close", "Back"),  # a shared class that plays on: back to HQ
        Binding("x", "export", "Export"),
        Binding("ctrl+z", "rewind_and_play", "Rewind, play on"),  # (the app's rewind key; r is the rivals' elsewhere)
        Binding("g", "new_game", "New game"),
        Binding("q", "quit", "Quit"),
        # the tab bar keeps the focus (left and right change tabs): the page keys scroll the tab shown
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]
    DEFAULT_CSS = """
    DebriefScreen #outcome { height: auto; padding: 0 1; border: round $primary; margin: 0 1; }
    DebriefScreen #outcome.-good { border: round $success; }
    DebriefScreen #outcome.-bad { border: round $error; }
    DebriefScreen TabbedContent { height: 1fr; }
    DebriefScreen TabPane { padding: 0 1; height: 1fr; }
    DebriefScreen .pane { height: 1fr; }
    DebriefScreen #standings { height: auto; }
    DebriefScreen #lessons-text, DebriefScreen #timeline-text { max-width: 140; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="outcome")
        with TabbedContent(initial="lessons"):
            with TabPane("Lessons", id="lessons"), VerticalScroll(classes="pane"):
                yield Markdown(id="lessons-text", open_links=False)
            with TabPane("Timeline", id="timeline"), VerticalScroll(classes="pane"):
                yield Static(id="timeline-text")
            with TabPane("GPU race", id="race"), Vertical(classes="pane"):
                yield QuarterChart("GPUs online", log_scale=True, id="race-chart")
            with TabPane("Cash & runway", id="money"), Vertical(classes="pane"):
                yield QuarterChart("cash", unit="money", id="cash-chart")
                yield QuarterChart("runway", id="runway-chart")
            with TabPane("Standings", id="standings-pane"), VerticalScroll(classes="pane"):
                yield DataTable(id="standings", cursor_type="row", zebra_stripes=True)
        yield GameFooter(wide=130)  # the game's keys and the debrief's: the roomy bar needs ~130 columns

    def on_mount(self) -> None:
        self.refresh_debrief()

    def action_page(self, direction: int) -> None:
        """Scroll the tab shown by a page, whatever has the focus (the tab bar, at first)."""
        pane = self.query_one(TabbedContent).active_pane
        for scroller in (pane.query(".pane") if pane is not None else []):
            scroll_pages(scroller, direction)

    def on_screen_resume(self) -> None:
        self.refresh_debrief()

    def refresh_debrief(self) -> None:
        """Read the campaign's record again and show it."""
        report = debrief(self.game, self.lab, self.campaign.seats, self.campaign.played_by(self.lab))
        self.report = report
        self.title = f"Debrief · {report.name}"
        self.sub_title = f"{report.quarters_played} quarters played" + ("" if report.finished else " (still running)")
        banner = self.query_one("#outcome", Static)
        banner.set_class(report.outcome in GOOD, "-good")
        banner.set_class(report.outcome in BAD, "-bad")
        banner.border_title = report.outcome.capitalize()
        text = Text()
        text.append(f"Score {report.score:,.1f} · rank {report.rank} of {report.n_labs}", style="bold")
        text.append(f"   {report.summary}")
        banner.update(text)
        self.query_one("#lessons-text", Markdown).update(lessons_markdown(report))
        self.query_one("#timeline-text", Static).update(timeline_table(report))
        self._charts(report.series)
        self._standings(report)

    def _charts(self, series: Series) -> None:
        music = music_marks(series)
        mount_race(self.query_one("#race-chart", QuarterChart), series, self.lab, music)
        mount_money(self.query_one("#cash-chart", QuarterChart), self.query_one("#runway-chart", QuarterChart),
                    series, self.lab, music)

    def _standings(self, report: Debrief) -> None:
        table = self.query_one("#standings", DataTable)
        table.clear(columns=True)
        table.add_columns("Rank", "Lab", "Status", "GPUs online", "Share", "Valuation", "Score",
                          *(["Played by"] if report.rivals else []))  # (a strategist, an archetype, a human)
        for s in report.standings:
            style = "bold" if s.name == report.name else ""
            who = ["you" if s.name == report.name else report.rivals.get(s.name, "")] if report.rivals else []
            table.add_row(*(Text(cell, style=style) for cell in (
                str(s.rank), s.name, s.status, count(s.gpus), f"{s.share:.1%}", money(s.valuation), f"{s.score:,.1f}",
                *who)))

    @on(Markdown.LinkClicked)
    def _open_topic(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        from blitzgame.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(event.href))

    def action_export(self) -> None:
        """Write the debrief as Markdown to the campaign's export folder (the saves folder; a class
        team's folder), or the working folder if that fails."""
        report = self.report or debrief(self.game, self.lab, self.campaign.seats)
        label = self.game.reports[-1].label if self.game.reports else "start"
        text = report.to_markdown()
        for folder in (self.campaign.export_folder(), Path.cwd()):
            path = export_path(report, label, folder)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, text)
            except OSError as error:
                failure = error
                continue
            self.notify(f"Debrief saved to {path}", title="Exported")
            return
        self.notify(f"Could not save the debrief: {failure}", severity="error")

    async def action_new_game(self) -> None:
        """Start a new game (the app's new-game screen)."""
        if not await self.app.run_action("new_game"):
            self.notify("A new game cannot be started from here.", severity="warning")

    def action_quit(self) -> None:
        self.app.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("close", "close_to_title"):  # one escape, named for where it goes
            # as the app decides once it is closed (``BlitzApp._after_debrief``): a campaign still going on goes back to HQ
            to_title = not (self.campaign.live and not self.game.over) and getattr(self.app, "finished", True)
            return (action == "close_to_title") == to_title
        if action == "rewind_and_play":  # a campaign that may go back: a lab that went under, or a game that ended
            return self.campaign.rewind_refusal() is None and self.game.quarter > 0 and not self.campaign.live
        if action == "new_game":  # a class's team stays in its class (a new game would be a game outside it)
            return not (self.campaign.live or self.campaign.refresh_seconds is not None)
        return True

    def action_close_to_title(self) -> None:
        """Close the debrief of a finished campaign: the app goes back to the title screen (autosaves keep it)."""
        self.dismiss()

    def action_rewind_and_play(self) -> None:
        """Go back to the start of an earlier quarter and play on from there (the app's rewind)."""
        self.app.action_rewind()


__all__ = ["DebriefScreen", "export_path", "lessons_markdown", "timeline_table"]
