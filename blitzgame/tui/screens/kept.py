"""Screens built once per campaign and shown again and again: the orders form and the report."""

from textual import events
from textual.screen import Screen


class KeptScreen(Screen):
    """A screen the app builds once, installs, and fills in again each time it shows it: building
    a screen (composing, mounting and styling its widgets) takes several times longer than
    filling it in.

    Textual restyles every widget of a screen it pushes, a third of the time it takes to show a
    kept screen again. Its styles only go stale if the app's CSS changed while it was away (a new
    theme): Textual counts such changes, so it restyles only then. (Textual is pinned exactly;
    tests/tui/test_orders.py checks that a new theme still reaches a kept screen.)
    """

    _css_update_count = -1  # the app's CSS changes this screen's widgets were last styled with

    def on_mount(self) -> None:
        # its widgets were just styled with the app's CSS as it is now, even when it was built off
        # screen: its first showing need not restyle them either
        self._css_update_count = self.app._css_update_count

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False
        self._css_update_count = self.app._css_update_count
        super()._on_screen_resume(event)
