"""The command palette (ctrl+p): every action of the game by name, and every encyclopedia topic.

Actions run through ``app.run_action`` once the palette has closed, so one the app cannot
do right now (no campaign yet, a form in front) or does not have fails softly with a
notice instead of an error. All are listed: while the palette is open the app cannot
tell which will apply once it closes.
"""

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from blitzgame.tui.app import PLAY_ACTIONS

# (name in the palette, app action, what it does)
ACTIONS = (
    ("End quarter", "end_quarter", "Confirm your orders and resolve the quarter (e)"),
    ("Orders", "orders", "Give this quarter's orders, with a live preview (o)"),
    ("Hubs", "hubs", "Power, grid headroom and your GPUs in each hub (h)"),
    ("Rivals", "rivals", "Every rival's public figures and archetype (r)"),
    ("Market", "market", "GPU prices and lead times, cloud, talent, sentiment, the revenue gap (m)"),
    ("Charts", "charts", "The GPU race, cash and runway, share, revenue gap and sentiment (c)"),
    ("News", "news", "Every quarter's news lines, by phase (n)"),
    ("Last report", "report", "The last quarter's report again, with its cash and accounts (l)"),
    ("Save", "save", "Save the campaign (s)"),
    ("Rewind", "rewind", "Go back to the start of an earlier quarter (ctrl+z)"),
    ("Help", "help", "The encyclopedia: mechanics, rivals, hubs, keys (?)"),
    ("Debrief", "debrief", "Outcome, score, timeline, charts and lessons; export as Markdown"),
    ("New game", "new_game", "Set up a new campaign"),
    ("Load", "load", "Load a saved campaign"),
)
ENCYCLOPEDIA = "Encyclopedia: "


class BlitzCommands(Provider):
    """The game's actions and the encyclopedia's topics, for the command palette."""

    def _commands(self) -> list[tuple[str, object, str]]:
        found = []
        finished = getattr(self.app, "finished", False)
        for name, action, help_text in ACTIONS:
            if finished and action in PLAY_ACTIONS:
                continue  # a finished campaign offers its debrief and views, nothing to play
            found.append((name, partial(self._run, name, action), help_text))
        from blitzgame.encyclopedia import topics  # assets and pydantic: not before the first frame

        for t in topics():
            found.append((f"{ENCYCLOPEDIA}{t.title}", partial(self._open_topic, t.id), f"{t.group} · help"))
        return found

    async def _run(self, name: str, action: str) -> None:
        if not await self.app.run_action(action):
            self.app.notify(f"{name} is not available right now.", severity="warning")

    def _open_topic(self, topic_id: str) -> None:
        from blitzgame.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(topic_id))

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)


__all__ = ["ACTIONS", "BlitzCommands"]
