"""A text input that edits in the order keys were typed: every input of the game uses it."""

from textual import events
from textual.widgets import Input


class TypedInput(Input):
    """An input that edits in the order keys were typed, whatever happens to focus meanwhile.

    Textual's ``Input`` inserts a printable key when it reads it, but its editing keys
    (backspace, delete, ctrl+u, arrows...) are bindings, which the app runs only once the key
    has bubbled back up, on whichever input has focus by then: after Tab it would be the next
    field, and digits typed behind ctrl+u would go in before it cleared the field. Here the
    input's own bindings run the moment it reads the key, like the printable keys."""

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input's own handler inserts it
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
