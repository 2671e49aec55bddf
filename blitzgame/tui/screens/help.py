"""Help (`?`): the encyclopedia, a list of topics beside the page of the one highlighted.

Topics are grouped (playing, mechanics M1-M13, rivals, hubs); links in a page open the
topic they name, so the pages read like a small wiki. Escape closes it.
"""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Label, ListItem, ListView, Markdown

from blitzgame.encyclopedia import UnknownTopic, topic, topics
from blitzgame.tui.scrolling import scroll_pages
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header

START = "intro"


class TopicItem(ListItem):
    """A topic in the list."""

    def __init__(self, topic_id: str, title: str) -> None:
        super().__init__(Label(title), id=f"topic-{topic_id}")
        self.topic_id = topic_id


class HelpScreen(Screen):
    """The encyclopedia, opened at ``topic`` (a topic id; the introduction if None)."""

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("question_mark", "close", show=False),  # ? opens the encyclopedia and closes it (the footer keeps to one line)
        # shown, and ahead of the list's own (horizontal scrolling it never needs)
        Binding("left", "focus_topics", "Topics", key_display="←", priority=True),
        Binding("right", "focus_page", "Page", key_display="→", priority=True),
        # the page scrolls by pages whichever side has the focus (the list has no use for them)
        Binding("pagedown", "page(1)", "Scroll", key_display="PgDn/PgUp", priority=True),
        Binding("pageup", "page(-1)", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    HelpScreen #help-body { height: 1fr; }
    HelpScreen #topics { width: 32; height: 1fr; border-right: vkey $panel; }
    HelpScreen #topics .group { color: $text-muted; text-style: bold; background: $panel; }
    HelpScreen #topics Label { width: 1fr; }  /* a title too long for the list wraps, never cut */
    HelpScreen #page-scroll { width: 1fr; height: 1fr; padding: 0 1; }
    HelpScreen #page { max-width: 110; }
    HelpScreen.-narrow #topics { width: 24; }
    HelpScreen.-wide #topics { width: 34; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, topic: str | None = None) -> None:
        super().__init__()
        self.topic_id = self._known(topic)  # the page on screen
        self._wanted = self.topic_id  # the page asked for last
        self._drawing = False  # a worker is drawing pages until the one on screen is the one wanted

    @staticmethod
    def _known(topic_id: str | None) -> str:
        if topic_id is None:
            return START
        try:
            return topic(topic_id).id
        except UnknownTopic:
            return START

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="help-body"):
            items: list[ListItem] = []
            group = ""
            for t in topics():
                if t.group != group:
                    group = t.group
                    items.append(ListItem(Label(group), classes="group", disabled=True))
                items.append(TopicItem(t.id, t.title))
            yield ListView(*items, id="topics")
            with VerticalScroll(id="page-scroll"):
                yield Markdown(topic(self.topic_id).text, id="page", open_links=False)
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = "Encyclopedia"
        self.sub_title = topic(self.topic_id).title
        listing = self.query_one("#topics", ListView)
        listing.index = self._index_of(self.topic_id)
        listing.focus()

    def _index_of(self, topic_id: str) -> int:
        for k, item in enumerate(self.query_one("#topics", ListView).children):
            if isinstance(item, TopicItem) and item.topic_id == topic_id:
                return k
        return 0

    @on(ListView.Highlighted, "#topics")
    def _highlighted(self, event: ListView.Highlighted) -> None:
        if event.item is not event.list_view.highlighted_child:
            return  # a stale highlight (e.g. the list's first row, before the page's own was set)
        if isinstance(event.item, TopicItem):
            self.show_topic(event.item.topic_id)

    @on(ListView.Selected, "#topics")
    def _selected(self, event: ListView.Selected) -> None:
        self.action_focus_page()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        target = event.href.split("#")[0]
        if target.startswith(("http://", "https://")):
            self.app.open_url(event.href)
            return
        try:
            topic(target)
        except UnknownTopic:
            self.notify(f"No topic {target!r} in the encyclopedia.", severity="warning")
            return
        self.query_one("#topics", ListView).index = self._index_of(target)  # highlights, which shows it

    def show_topic(self, topic_id: str) -> None:
        """Show the page of ``topic_id``: at once, or as soon as the page being drawn is done.

        Pages are drawn one after another, never one cancelled halfway for the next: a Markdown
        update cancelled while it mounts its blocks can take the app down with it (arrow keys
        held in the topic list did, quitting the game without a word). Keys held down skip the
        pages in between: only the last one asked for is drawn next."""
        self._wanted = topic(topic_id).id
        if not self._drawing:
            self._drawing = True
            self.run_worker(self._draw_pages(), group="help-page")

    async def _draw_pages(self) -> None:
        try:
            while self._wanted != self.topic_id:
                page = topic(self._wanted)
                self.topic_id = page.id
                self.sub_title = page.title
                await self.query_one("#page", Markdown).update(page.text)
                self.query_one("#page-scroll", VerticalScroll).scroll_home(animate=False)
        except NoMatches:  # the screen closed while the page was being drawn
            return
        finally:
            self._drawing = False

    def action_close(self) -> None:
        self.dismiss()

    def action_focus_topics(self) -> None:
        self.query_one("#topics", ListView).focus()

    def action_focus_page(self) -> None:
        self.query_one("#page-scroll", VerticalScroll).focus()

    def action_page(self, direction: int) -> None:
        scroll_pages(self.query_one("#page-scroll", VerticalScroll), direction)


__all__ = ["HelpScreen"]
