"""The look every small modal dialog shares: a framed box in the middle of the screen."""

from typing import TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class DialogScreen(ModalScreen[Result]):
    """A modal whose content sits in a ``#dialog`` box; subclasses set its width (and may
    recolour its border), and put their buttons in ``#buttons``."""

    DEFAULT_CSS = """
    DialogScreen { align: center middle; }
    DialogScreen #dialog {
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    DialogScreen #buttons { height: auto; align-horizontal: right; }
    DialogScreen #buttons Button { margin-left: 1; }
    """
