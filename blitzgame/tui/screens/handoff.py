"""Hot seat: "pass the keyboard to <lab>", a blank screen between players so nobody sees another's HQ."""

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Label


class HandoffScreen(Screen[None]):
    """Covers everything until the next player presses a key (or clicks)."""

    DEFAULT_CSS = """
    HandoffScreen { background: $background; }
    HandoffScreen Label { width: auto; padding: 0 2; }
    HandoffScreen #who { text-style: bold; color: $accent; border: double $accent; padding: 1 4; }
    HandoffScreen #hint { color: $foreground-muted; margin-top: 1; }
    """

    def __init__(self, lab_name: str, quarter: str) -> None:
        super().__init__()
        self.lab_name = lab_name
        self.quarter = quarter

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label(f"{escape(self.lab_name)}, take the keyboard", id="who")
            yield Label(f"{self.quarter}: the other players look away now.", id="hint")
            yield Label("Press any key when you are ready.", id="key")

    def on_key(self, event: events.Key) -> None:
        if event.key in ("ctrl+q", "ctrl+c", "ctrl+p"):
            return  # quitting and the palette still work (the palette refuses game actions here)
        event.stop()
        event.prevent_default()
        self.dismiss(None)

    def on_click(self) -> None:
        self.dismiss(None)
