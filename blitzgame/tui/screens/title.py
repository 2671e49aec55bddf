"""The title screen: new game, load, encyclopedia, quit. Interactive at once while the engine warms."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from blitzgame.tui.widgets.footer import GameFooter

LOGO = """\
█▀▄ █   █ ▀█▀ ▀▀█ █▀▀▀ ▄▀█ █▀▄▀█ █▀▀
█▀▄ █   █  █  ▄▀  █ ▀█ █▀█ █ ▀ █ █▀▀
▀▀  ▀▀▀ ▀  ▀  ▀▀▀ ▀▀▀▀ ▀ ▀ ▀   ▀ ▀▀▀"""
ENGINE = {
    "warming": "⏳ warming up the engine…",
    "ready": "✓ engine ready",
    "failed": "⚠ the engine failed to warm up",
}


class TitleScreen(Screen):
    """New game, load, encyclopedia, quit."""

    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("l", "app.load", "Load"),
        Binding("question_mark", "app.help", "Encyclopedia", key_display="?"),
        Binding("q", "app.quit", "Quit"),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
    ]
    DEFAULT_CSS = """
    TitleScreen #logo { color: $accent; text-style: bold; width: auto; }
    TitleScreen #tagline { color: $foreground-muted; width: auto; margin-bottom: 1; }
    TitleScreen #menu { width: 32; height: auto; }
    TitleScreen #menu Button { width: 100%; margin: 0; }
    TitleScreen #engine { width: auto; margin-top: 1; color: $foreground-muted; }
    TitleScreen #engine.-ready { color: $success; }
    TitleScreen #engine.-failed { color: $error; }
    """

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(LOGO, id="logo")
            with Center():
                yield Label("[b]Blitzgame[/]: the AI compute race. Buy GPUs, hire talent, outrun the music.",
                            id="tagline")
            with Center(), Vertical(id="menu"):
                yield Button("New game (n)", id="new", variant="primary")
                yield Button("Load a save (l)", id="load")
                yield Button("Encyclopedia (?)", id="help")
                yield Button("Quit (q)", id="quit")
            with Center():
                yield Label(ENGINE["warming"], id="engine")
        yield GameFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "engine_state", self._engine_changed)
        self.query_one("#new", Button).focus()

    def _engine_changed(self, state: str) -> None:
        label = self.query_one("#engine", Label)
        seconds = getattr(self.app, "engine_seconds", None)
        text = ENGINE.get(state, state)
        if state == "ready" and seconds is not None:
            text += f" ({seconds:.1f} s)"
        label.update(text)
        for name in ("ready", "failed"):
            label.set_class(state == name, f"-{name}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"new": "new_game", "load": "load", "help": "help", "quit": "quit"}[event.button.id]
        self.run_action(f"app.{action}")
