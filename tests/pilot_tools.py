"""What the Textual pilot tests share."""

import time


async def until(pilot, condition, timeout: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (fail after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.01)


def notices(app) -> list[str]:
    """Every notice ``app`` shows from now on, in a list that grows as it shows them (each still shown)."""
    said: list[str] = []
    notify = app.notify

    def recorded(message, **kwargs):
        said.append(str(message))
        return notify(message, **kwargs)

    app.notify = recorded
    return said
