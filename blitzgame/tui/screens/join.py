"""Join a team of a shared class: the join code its teacher gave it (a served class's first screen)."""

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from blitzgame.tui.screens.dialog import DialogScreen
from blitzgame.tui.widgets.typed_input import TypedInput


class JoinScreen(DialogScreen[object]):
    """Asks for ``team``'s join code and opens the team with ``join(code)``, which returns the
    campaign or raises ``ValueError`` saying why not (a wrong code, the team already playing);
    dismisses with the campaign."""

    DEFAULT_CSS = """
    JoinScreen #dialog { width: 64; }
    JoinScreen #join-why { margin: 1 0 0 0; color: $error; }
    JoinScreen #join-code { margin: 1 0; }
    """

    def __init__(self, team: str, join: Callable[[str], object]) -> None:
        super().__init__()
        self.team, self.join = team, join

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"Join {self.team}"
            yield Static(f"Type {self.team}'s join code (your teacher has it), then Enter.", markup=False)
            yield TypedInput(placeholder="e.g. amber-river-42", password=True, id="join-code")
            yield Static("", id="join-why", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Join", id="join", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._try(self.query_one(Input).value)

    def _try(self, code: str) -> None:
        try:
            campaign = self.join(code)
        except ValueError as error:
            why = str(error)
            self.query_one("#join-why", Static).update(why[:1].upper() + why[1:])
            self.query_one(Input).value = ""
            return
        self.dismiss(campaign)
