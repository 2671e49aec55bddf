"""The stage badge (M1): Experiment, Startup, Competitor, Leader, Dominator, and the next step."""

from textual.widgets import Static

from blitzgame.formats import count
from blitzgame.session.views import DEATH_ZONE_HIGH, DEATH_ZONE_LOW


class StageBadge(Static):
    """A lab's GPU scaling stage and the GPUs online the next stage takes."""

    DEFAULT_CSS = """
    StageBadge {
        height: auto;
        padding: 0 1;
    }
    StageBadge.stage-0 { border: round $foreground-muted; }
    StageBadge.stage-1 { border: round $secondary; }
    StageBadge.stage-2 { border: round $warning; }
    StageBadge.stage-3 { border: round $primary; }
    StageBadge.stage-4 { border: round $success; }
    """

    def show(self, outlook) -> None:
        """Draw a ``StageOutlook`` from the campaign."""
        for k in range(5):
            self.set_class(k == outlook.stage, f"stage-{k}")
        self.border_title = "Stage (M1)"
        text = f"[b reverse] {outlook.name.upper()} [/]  {count(outlook.online)} GPUs online"
        if outlook.next_name is None:
            text += "\nThe top stage: the tier of models only a Dominator trains."
        else:
            to_go = max(outlook.next_at - outlook.online, 0.0)
            text += (f"\nNext: [b]{outlook.next_name}[/] at {count(outlook.next_at)} online "
                     f"({count(to_go)} to go); each 10x unlocks a higher model tier.")
            if outlook.next_at == DEATH_ZONE_LOW:
                text += f" It is also the death zone's door (M7): cross to {count(DEATH_ZONE_HIGH)} fast."
        self.update(text)
