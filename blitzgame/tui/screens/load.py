"""Load: the saves in the saves folder, newest first; unreadable ones say why and cannot be picked."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header


def save_line(info) -> Content:
    """A ``SaveInfo`` as one option: lab, quarter, scenario, date, file (or the problem)."""
    if info.error:
        return Content.from_markup("[$error]⚠ $name[/]\n  [$foreground-muted]$problem[/]",
                                   name=info.path.name, problem=f"cannot be loaded: {info.error}")
    when = info.saved_at.astimezone().strftime("%Y-%m-%d %H:%M") if info.saved_at else "?"
    auto = " (autosave)" if "-auto" in info.path.stem else ""
    return Content.from_markup("[b]$lab[/] · $quarter · $scenario · $when\n  [$foreground-muted]$file$auto[/]",
                               lab=info.lab, quarter=info.quarter, scenario=info.scenario, when=when,
                               file=info.path.name, auto=auto)


class LoadScreen(Screen[object]):
    """Lists ``list_saves()``; dismisses with the chosen save's path, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]
    DEFAULT_CSS = """
    LoadScreen #body { padding: 0 1; }
    LoadScreen OptionList { height: 1fr; }
    LoadScreen #where { color: $foreground-muted; }
    """

    def __init__(self, saves, folder) -> None:
        super().__init__()
        self.saves = saves
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Label(Content(f"Saves in {self.folder} · a finished campaign opens on its debrief"), id="where")
            if self.saves:
                options = [Option(save_line(info), id=str(k), disabled=bool(info.error))
                           for k, info in enumerate(self.saves)]
                yield OptionList(*options, id="saves")
            else:
                yield Label("No saves yet. Saves appear here when you press s in a campaign, and every quarter "
                            "autosaves.")
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = "Load a campaign"
        if self.query(OptionList):
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.saves[int(event.option.id)].path)
