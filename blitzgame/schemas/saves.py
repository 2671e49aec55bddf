"""A save file: everything needed to rebuild a game exactly, as versioned JSON.

A game is fully determined by (scenario, seed, labs, orders log), so a save stores those
and the digest of the state they lead to. The scenario is embedded in full, so a save
replays even after the built-in scenario files change. Never pickle: a save is data.

Version history (each version keeps a fixture in tests/fixtures/saves/):
- 1: the first format; ``rules`` (optional, the stamp of the rules the game ran under) was
  added later, so a save made under other rules is told apart from an altered one; ``over``
  (optional, whether the campaign had ended) later still, so a finished campaign is listed as one.
"""

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from blitzgame.limits import MAX_LABS, MAX_SEED, MIN_LABS, MIN_SEED
from blitzgame.schemas.assets import Scenario

SAVE_FORMAT = "blitzgame-save"
SAVE_VERSION = 1  # the newest version this program writes and reads


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SavedScenario(_Strict):
    """The scenario a game was played in: its id and its full data."""

    id: str = Field(min_length=1)
    data: Scenario

    @model_validator(mode="after")
    def _same_id(self) -> "SavedScenario":
        if self.data.id != self.id:
            raise ValueError(f"scenario id {self.id!r} does not match its data ({self.data.id!r})")
        return self


class SavedLab(_Strict):
    """A seat at the table: who the lab is and who played it (a bot name, or None for a human)."""

    name: str = Field(min_length=1, max_length=40)
    position: Literal["startup", "challenger", "incumbent"]
    hub: str = Field(min_length=1)
    bot: str | None = Field(default=..., min_length=1, max_length=200)


class SaveFile(_Strict):
    """The whole save file. ``orders`` holds, per quarter played, each lab's
    ``Orders.compact()``; the orders themselves are checked when the game is replayed."""

    format: Literal["blitzgame-save"]
    version: Literal[1]
    saved_at: AwareDatetime
    scenario: SavedScenario
    seed: int = Field(ge=MIN_SEED, le=MAX_SEED, strict=True)
    game_id: int = Field(ge=MIN_SEED, le=MAX_SEED, strict=True)
    labs: list[SavedLab] = Field(min_length=MIN_LABS, max_length=MAX_LABS)
    orders: list[list[dict[str, Any]]]
    quarters_played: int = Field(ge=0, strict=True)
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    # the rules the digest was made under (``session.saves.rules_stamp``); absent in older saves
    rules: str | None = Field(default=None, max_length=100)
    # whether the campaign had ended when it was saved; absent in older saves
    over: bool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "SaveFile":
        names = [lab.name for lab in self.labs]
        if len(set(names)) != len(names):
            raise ValueError(f"labs: names must be unique, got {names}")
        if self.quarters_played != len(self.orders):
            raise ValueError(f"quarters_played is {self.quarters_played} but orders cover {len(self.orders)} quarters")
        if self.quarters_played > self.scenario.data.quarters:
            raise ValueError(f"quarters_played: {self.quarters_played} is more than the scenario's "
                             f"{self.scenario.data.quarters} quarters")
        for q, quarter in enumerate(self.orders):
            if len(quarter) != len(self.labs):
                raise ValueError(f"orders.{q}: expected orders for {len(self.labs)} labs, got {len(quarter)}")
        return self
