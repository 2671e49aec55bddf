"""A ``Select`` whose screen can describe the option under the cursor while its list is open."""

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Select
from textual.widgets._select import SelectOverlay  # (Textual is pinned exactly: its overlay is stable)


class PreviewSelect(Select):
    """``Select`` that posts ``Previewed`` with the value under the cursor as it moves through the
    open list, and with its own value again when the list closes (chosen or not), so a text beside
    it can describe each option before it is chosen."""

    @dataclass
    class Previewed(Message):
        select: "PreviewSelect"
        value: object  # the option under the cursor; the select's value once the list closes

        @property
        def control(self) -> "PreviewSelect":
            return self.select

    def on_mount(self) -> None:
        self.watch(self.query_one(SelectOverlay), "highlighted", self._cursor_moved, init=False)
        self.watch(self, "expanded", self._opened_or_closed, init=False)

    def _cursor_moved(self, index: int | None) -> None:
        if self.expanded and index is not None and 0 <= index < len(self._options):
            self.post_message(self.Previewed(self, self._options[index][1]))  # (the overlay's rows are ``_options``)

    def _opened_or_closed(self, expanded: bool) -> None:
        if not expanded:
            self.post_message(self.Previewed(self, self.value))
