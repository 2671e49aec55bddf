"""The key bar at the bottom of every screen: compact where the terminal is narrow, and never
wider than the screen: keys that would run off its edge (under the command palette's key,
where a stray letter showed through) are left off, the last first but help's. Every key still
works and is in help (`?`)."""

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterLabel

WIDE = 100  # columns from which the roomier key bar fits
KEEP = "question_mark"  # the key left on however narrow the bar: help, which lists every key


class GameFooter(Footer):
    """``wide``: the columns from which this screen's keys fit the roomier bar."""

    def __init__(self, wide: int = WIDE) -> None:
        super().__init__()
        self.wide = wide

    def compose(self):
        yield from super().compose()
        self.call_after_refresh(self._trim)  # once the keys are laid out and measured

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()
        self.refresh(recompose=True)  # every key again, then trimmed to the new width

    def _fit(self) -> None:
        self.compact = self.app.size.width < self.wide

    def _trim(self) -> None:
        """Hide keys, the last first but help's, until the rest fit beside the command palette's."""
        if not self.is_mounted:
            return
        palette = [w for w in self.children if w.has_class("-command-palette")]
        shown = [w for w in self.children if w not in palette and w.display]
        if len(shown) < 2:
            return
        gutter = max(shown[1].region.x - shown[0].region.right, 0)  # (between the keys, as laid out)
        room = self.region.width - sum(w.outer_size.width for w in palette) - gutter
        span = sum(w.outer_size.width for w in shown) + gutter * (len(shown) - 1)
        for k in range(len(shown) - 1, -1, -1):
            widget = shown[k]
            if span <= room:
                break
            if not widget.display or getattr(widget, "key", None) == KEEP:
                continue
            group = [shown[k - 1], widget] if isinstance(widget, FooterLabel) and k > 0 else [widget]  # keys and label
            for part in group:
                part.display = False
                span -= part.outer_size.width + gutter
