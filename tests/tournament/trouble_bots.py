"""Bots that misbehave on schedule, for the tournament's fault counts (loaded by file spec)."""

import os
import time

from blitzgame.bots import Bot
from blitzgame.schemas.orders import Orders


class Flaky(Bot):
    """Quarter 1 raises, 2 answers nonsense, 3 thinks too long, 4 kills its own process."""

    name = "flaky"

    def __init__(self) -> None:
        self.quarter = 0

    def decide(self, obs) -> Orders:
        self.quarter += 1
        if self.quarter == 1:
            raise RuntimeError("boom")
        if self.quarter == 2:
            return "not orders"
        if self.quarter == 3:
            time.sleep(0.4)  # over a 0.2 s budget, well under the hang limit
            return Orders()
        if self.quarter == 4:
            os._exit(3)
        return Orders()


class Idle(Bot):
    """Never orders anything: a quiet Python bot."""

    name = "idle"

    def decide(self, obs) -> Orders:
        return Orders()
