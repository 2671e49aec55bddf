"""Save: a small modal asking the slot's name (default: the lab's name)."""

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Button, Input, Label, Static

from blitzgame.tui.screens.dialog import DialogScreen
from blitzgame.tui.widgets.typed_input import TypedInput

SLOT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,59}$")
AUTOSAVE = re.compile(r"-auto\d+$")


def slot_stem(name: str) -> str:
    """The file name (without .json) of a slot: spaces become dashes, letters lower case."""
    return "-".join(name.strip().lower().split())


def slot_problem(name: str) -> str:
    """Why a slot name cannot be used, or "" if it can."""
    name = name.strip()
    if not name:
        return "Give the save a name."
    if not SLOT.match(name):
        return "Use letters, digits, spaces, - and _ (up to 60, starting with a letter or digit)."
    if AUTOSAVE.search(slot_stem(name)):
        return "Names ending in -auto<N> are the autosaves' slots; pick another."
    return ""


class SaveScreen(DialogScreen[str | None]):
    """Asks for a slot name; dismisses with the file stem to save to, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    SaveScreen #dialog { width: 70; }
    SaveScreen #problem { color: $error; height: auto; }
    SaveScreen #where { color: $foreground-muted; }
    """

    def __init__(self, default: str, folder, existing: set[str]) -> None:
        super().__init__()
        self.default = default
        self.folder = folder
        self.existing = existing  # stems of the saves already there

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Save the campaign"
            yield Label("Slot name:")
            yield TypedInput(self.default, id="slot")
            yield Static("", id="problem")
            yield Static(escape(f"Saved in {self.folder}"), id="where")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self._check(self.default)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    def _check(self, name: str) -> None:
        problem = slot_problem(name)
        if not problem and slot_stem(name) in self.existing:
            note = f"Replaces the save {slot_stem(name)}.json."
        else:
            note = ""
        label = self.query_one("#problem", Static)
        label.update(escape(problem or note))
        label.set_class(not problem and bool(note), "-note")
        self.query_one("#save", Button).disabled = bool(problem)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        name = self.query_one("#slot", Input).value
        if not slot_problem(name):
            self.dismiss(slot_stem(name))
