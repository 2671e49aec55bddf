"""End the quarter? A modal that says what the lab's orders will do before they are final."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Static

from blitzgame.formats import possessive
from blitzgame.tui.screens.dialog import DialogScreen
from blitzgame.tui.scrolling import scroll_pages
from blitzgame.tui.widgets.orders_summary import describe_orders


class ConfirmScreen(DialogScreen[bool]):
    """Summarises ``lab``'s pending orders; dismisses True to end the quarter (or the turn,
    in hot seat, when other players are still to play), False to go back."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Back", show=False, priority=True),  # at once, in the order typed
        Binding("y", "answer(True)", "End it", show=False, priority=True),
        Binding("pagedown", "scroll_body(1)", "Scroll", show=False, priority=True),
        Binding("pageup", "scroll_body(-1)", "Scroll", show=False, priority=True),
    ]
    # the orders, warnings and notes scroll (pagedown/pageup too) between the title line and the
    # buttons, which stay on screen however many warnings there are (a small terminal cut them off)
    DEFAULT_CSS = """
    ConfirmScreen #dialog { width: 76; max-height: 90%; }
    ConfirmScreen #body { height: auto; max-height: 60vh; margin: 1 0 0 0; }
    ConfirmScreen #orders { margin: 0 0 1 0; }
    ConfirmScreen .warning { color: $warning; }
    """

    def __init__(self, campaign, lab: int, others_to_play: list[str] | None = None) -> None:
        super().__init__()
        self.campaign = campaign
        self.lab = lab
        self.others = others_to_play or []

    def compose(self) -> ComposeResult:
        game = self.campaign.game
        owner = escape(possessive(game.names[self.lab]))
        orders = self.campaign.pending(self.lab)
        hubs = dict(zip(game.world.hub_ids, game.world.hub_names))
        lines = describe_orders(orders, hubs)
        with Vertical(id="dialog") as dialog:
            live = self.campaign.live  # a shared class: the orders go in, the quarter closes for every team at once
            dialog.border_title = (f"Send your orders for {game.label}?" if live else
                                   f"End {game.label}?" if not self.others else f"End {owner} turn?")
            yield Static(f"[b]{owner}[/] orders for {game.label}:")
            with VerticalScroll(id="body"):
                yield Static("\n".join(f"• {line}" for line in lines) if orders is not None else lines[0], id="orders")
                for warning in self._warnings(orders):
                    yield Static(f"⚠ {escape(warning)}", classes="warning")
                if game.quarter == game.world.quarters - 1:
                    yield Static(f"{game.label} is the campaign's last quarter: once it is played the campaign ends "
                                 "and the debrief opens.", id="last")
                if self.others:
                    yield Static(f"Then the keyboard goes to {escape(', '.join(self.others))}; the quarter resolves "
                                 "after the last player ends their turn.", id="next")
                if live:
                    yield Static("They go to the class; you can change them until the quarter closes. It closes for "
                                 "every team at once: when all are in, at its deadline, or when your teacher closes "
                                 "it.", id="next")
            with Horizontal(id="buttons"):
                yield Button("Back (n)", id="no")
                yes = "Send them (y)" if live else "End the quarter (y)" if not self.others else "End my turn (y)"
                yield Button(yes, id="yes", variant="primary")

    def _warnings(self, orders) -> list[str]:
        """The preview's warnings for these orders (the session's forecast, never the TUI's)."""
        if orders is None:
            return []
        return list(self.campaign.preview(self.lab, orders).warnings)

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()
        self.call_after_refresh(self._say_more)

    def _say_more(self) -> None:
        """More than fits (a small terminal, many warnings): the dialog's frame says how to read on."""
        if self.query_one("#body", VerticalScroll).max_scroll_y > 0:
            self.query_one("#dialog").border_subtitle = "more below: pgdn/pgup"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_scroll_body(self, pages: int) -> None:
        scroll_pages(self.query_one("#body", VerticalScroll), pages, animate=False)
