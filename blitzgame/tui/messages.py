"""Messages the game's background work posts to the app (one module, so screens can import them)."""

from textual.message import Message


class EngineReady(Message):
    """The compiled core is warm: quarters resolve at once from now on."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds


class EngineFailed(Message):
    """Warming the compiled core failed; the game can still try, and will say why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
