"""Rewind: go back to the start of any quarter played and play on from there, exactly."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from blitzgame.tui.screens.dialog import DialogScreen


class RewindScreen(DialogScreen[int | None]):
    """Lists the quarters played; dismisses with the quarter (0-based) to go back to, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    RewindScreen #dialog { width: 72; max-height: 90%; border: thick $warning; }
    RewindScreen OptionList { height: auto; max-height: 20; }
    RewindScreen .hint { color: $foreground-muted; }
    """

    def __init__(self, campaign, lab: int) -> None:
        super().__init__()
        self.campaign = campaign
        self.lab = lab

    def compose(self) -> ComposeResult:
        game = self.campaign.game
        options = []
        for q in range(game.quarter - 1, -1, -1):  # the latest first: the usual undo
            undone = game.quarter - q
            start = " (the start of the campaign)" if q == 0 else ""
            plural = "s" if undone > 1 else ""
            options.append(Option(f"Start of {game.world.label(q)}{start}: undo {undone} quarter{plural}", id=str(q)))
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Rewind (ctrl+z)"
            if options:
                yield Static("Go back to the start of which quarter? Everything after it is undone; "
                             "with the same orders it replays exactly.")
                yield OptionList(*options, id="quarters")
            else:
                yield Static("No quarter played yet: nothing to rewind.")
            yield Label("enter choose · escape cancel", classes="hint")

    def on_mount(self) -> None:
        if self.query(OptionList):
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))

