"""The key bar at the bottom of every screen: compact where the terminal is narrow, so its keys
fit 80 columns instead of running off the edge."""

from textual import events
from textual.widgets import Footer

WIDE = 100  # columns from which the roomier key bar fits


class GameFooter(Footer):
    """``wide``: the columns from which this screen's keys fit the roomier bar."""

    def __init__(self, wide: int = WIDE) -> None:
        super().__init__()
        self.wide = wide

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        self.compact = self.app.size.width < self.wide
