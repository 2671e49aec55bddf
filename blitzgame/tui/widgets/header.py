"""The screens' header: Textual's, with a title watcher that cannot fail while screens come and go."""

from textual import events
from textual.app import NoScreen
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderTitle


class Header(TextualHeader):
    """Textual's ``Header`` whose title follows the app's and the screen's titles synchronously.

    Textual's own header watches the titles with a coroutine that it schedules on itself and
    that queries its title label. When a title changes while a header is being removed (a
    screen popped as the next one sets its title) the coroutine is never run, or runs after the
    label is gone; both surface as errors far from their cause. A plain function, run on the
    spot and quiet when the label is absent, shows the same title without either failure.
    """

    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # in place of Textual's Header._on_mount; Widget's still runs
        Widget._on_mount(self, event)
        for reactable in (self.app, self.screen):
            self.watch(reactable, "title", self._show_title)
            self.watch(reactable, "sub_title", self._show_title)

    def _show_title(self) -> None:
        try:
            self.query_one(HeaderTitle).update(self.format_title())
        except (NoMatches, NoScreen):
            pass  # not composed yet or being removed: the next title change shows it
