"""What the information screens share: built from a campaign and a lab, closed with escape."""

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import TabbedContent


class ViewScreen(Screen):
    """A read-only view of ``campaign`` from the seat of ``lab``; escape closes it.

    Views with tabs name them in ``TABS`` (pane ids, in order): keys 1, 2, 3... switch to them,
    and Left and Right to the one before or after (whatever has the focus: the panes scroll up
    and down, not sideways).
    """

    BINDINGS = [
        Binding("escape", "close", "Back"),
        *(Binding(str(k), f"tab({k - 1})", f"Tab {k}", show=False) for k in range(1, 6)),
        Binding("left", "next_tab(-1)", "Tab before", show=False, priority=True),
        Binding("right", "next_tab(1)", "Tab after", show=False, priority=True),
    ]
    TABS: tuple[str, ...] = ()

    def __init__(self, campaign, lab: int) -> None:
        super().__init__()
        self.campaign = campaign
        self.lab = lab

    @property
    def game(self):
        return self.campaign.game

    def colour(self, name: str, fallback: str = "") -> str:
        """A theme variable ("warning", "error"...) as a colour a table cell can use."""
        value = self.app.theme_variables.get(name, "")
        return value if value.startswith("#") else fallback

    def action_close(self) -> None:
        """Back to wherever the player came from."""
        self.dismiss()

    def action_tab(self, index: int) -> None:
        """Show tab number ``index`` (from 0) of the view, if it has one."""
        if 0 <= index < len(self.TABS):
            self.query_one(TabbedContent).active = self.TABS[index]

    def action_next_tab(self, step: int) -> None:
        """Show the tab ``step`` places after the one shown (before, if negative), going round."""
        tabs = self.query_one(TabbedContent)
        here = self.TABS.index(tabs.active) if tabs.active in self.TABS else 0
        tabs.active = self.TABS[(here + step) % len(self.TABS)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_tab":
            return bool(self.TABS)
        if action == "tab":
            return bool(self.TABS) and parameters[0] < len(self.TABS)  # numbers do nothing in views without tabs
        return True
