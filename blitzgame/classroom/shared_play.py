"""A team of a shared class at the terminal: ``blitzgame play --class DIR --team NAME``.

``SharedCampaign`` is the ``Campaign`` the game's screens play, seen from one team's seat of
the class's one world (``classroom.shared``). Its orders go to the class's database when the
team ends its quarter ("I'm in"), and can be changed until the quarter closes; the quarter
resolves for every team at once, and ``poll`` (every ``POLL_SECONDS``, from the app) replays it here.
There is no rewind and no save: the database is the class's one record.
"""

import time

from blitzgame.classroom.manifest import check_join_code
from blitzgame.classroom.shared import POLL_SECONDS, LateOrders, SharedClass, clock
from blitzgame.schemas.orders import Orders
from blitzgame.session.campaign import Campaign


class SharedCampaign(Campaign):
    """One team's seat in a shared class (see the module docstring)."""

    live = True
    poll_seconds = POLL_SECONDS

    def __init__(self, shared: SharedClass, team: int) -> None:  # no super().__init__: no bots play here
        self.shared = shared
        self.team = team
        self.seats = [None if lab == team else ("team" if lab < len(shared.teams) else
                                                shared.manifest.rivals[lab - len(shared.teams)])
                      for lab in range(shared.game.n_labs)]
        self.bots = {}
        self.autosave_name = f"class-{team}"
        given = shared.submission(team)
        if given is not None:  # its orders already in (the window was closed and opened again)
            self.game.submit(team, given)

    @classmethod
    def open(cls, folder, team_name: str, code: str | None = None) -> "SharedCampaign":
        """Open the class and claim the team (refused while another window plays it); with
        ``code``, only if it is the team's join code (a served class's page asks for it)."""
        shared = SharedClass(folder)
        try:
            team = shared.team_index(team_name)
            if code is not None:
                check_join_code(shared.teams[team], code, shared.manifest.teams[team].code)
            shared.claim(team)
        except BaseException:
            shared.close()
            raise
        return cls(shared, team)

    def close(self) -> None:
        self.shared.close()

    def export_folder(self):
        """The class's folder: the teacher collects exports there."""
        return self.shared.folder

    @property
    def game(self):
        return self.shared.game

    # --- the class's quarter -----------------------------------------------------------
    def rival_bot(self, lab: int) -> str | None:
        seat = self.seats[lab]
        return None if seat == "team" else seat

    def submitted(self) -> bool:
        """Whether the team's orders for this quarter are in the class's database."""
        return self.shared.submission(self.team) is not None

    def changed_since_sent(self) -> bool:
        """Whether the orders on this screen differ from the ones the team sent (which are the
        ones that play unless it sends again)."""
        sent, here = self.shared.submission(self.team), self.game.pending.get(self.team)
        return sent is not None and here is not None and sent.compact() != here.compact()

    def unsent(self) -> str | None:
        """What quitting now would lose, in words, or None: orders on this screen that were never
        sent, or changed since they were (the class's database holds only what was sent)."""
        if self.game.over or self.game.pending.get(self.team) is None:
            return None
        if not self.submitted():
            stand_in = (f"the class's autopilot ({self.shared.manifest.autopilot}) plays your lab"
                        if self.shared.manifest.autopilot else "your lab does nothing")
            return f"Your orders for {self.game.label} are not sent: if the quarter closes without them, {stand_in}."
        if self.changed_since_sent():
            return f"You changed your orders for {self.game.label} since you sent them: the ones you sent play."
        return None

    def end_quarter(self):
        """Send the team's orders ("I'm in"); returns the quarter's report if that closed it
        (every team in), else None: the quarter resolves when the others are in (``poll``)."""
        orders = self.game.pending.get(self.team, Orders())
        before = self.game.quarter
        try:
            self.shared.submit(self.team, orders, quarter=before)
        except LateOrders:
            self.shared.sync()
            raise
        return self.game.reports[before] if self.game.quarter > before else None

    def poll(self) -> list:
        """Heartbeat, close the quarter if its deadline passed, and replay what resolved."""
        reports = self.shared.poll()
        if reports and not self.game.over:
            given = self.shared.submission(self.team)
            if given is not None:
                self.game.submit(self.team, given)
        return reports

    def played_for_me(self, quarter: int) -> str:
        """Where the team's orders in resolved ``quarter`` came from (``shared.SOURCES``)."""
        return self.shared.sources(quarter)[self.team]

    def played_by(self, lab: int) -> dict[int, str]:
        """The quarters ``lab``'s team's orders were not in when the quarter closed: the class's
        autopilot played it, or no one did (``debrief.NO_ORDERS``)."""
        from blitzgame.session.debrief import NO_ORDERS

        shared = self.shared
        stood_in = {"autopilot": f"{shared.manifest.autopilot} (autopilot)", "empty": NO_ORDERS}
        return {q: stood_in[source] for q in range(shared.game.quarter)
                if (source := shared.sources(q)[lab]) in stood_in}

    def report_note(self, lab: int) -> str | None:
        """The report's line on the quarter just closed: whose orders played, and why it closed."""
        return self.note_for(self.game.quarter - 1) if self.game.quarter else None

    def note_for(self, played: int) -> str | None:
        """The report's line on resolved quarter ``played``: whose orders played, and why it closed."""
        label = self.game.world.label(played)
        why = {"all in": "when every team was in", "deadline": "at its deadline",
               "instructor": "when your teacher closed it"}.get(self.shared.quarter_rows()[played][4], "")
        source = self.played_for_me(played)
        bot = self.shared.autoplayed_quarters().get(self.team, {}).get(played)
        if source == "team" and bot is not None:
            return f"Shared class: {label} closed {why}; class autoplay played your lab with the bot {bot}."
        if source == "team":
            return f"Shared class: {label} closed {why}; your orders were in."
        if source == "autopilot":
            return (f"Shared class: {label} closed {why}, before your orders were in: {self.shared.manifest.autopilot}, "
                    "the class's autopilot, played your lab.")
        if source == "empty":
            return f"Shared class: {label} closed {why}, before your orders were in: your lab did nothing."
        return None

    def closes_in(self) -> float | None:
        """Seconds until the open quarter's deadline closes it, or None (no deadline running, held,
        or over)."""
        state = self.shared.state()
        if state.over or self.shared.held() is not None:
            return None
        return state.seconds_left()

    def class_line(self, lab: int) -> str:
        """HQ's line about the class's quarter: who is in, the time left."""
        state = self.shared.state()
        if state.over:
            return f"[b]Shared class {self.shared.manifest.name}:[/] the campaign is over."
        if not self.game.alive(self.team):
            return (f"[b]{self.game.label}, shared class {self.shared.manifest.name}:[/] your lab is out of the "
                    f"race; the class plays on, and this screen follows the race quarter by quarter.")
        if self.changed_since_sent():
            mine = ("[b]You changed your orders since you sent them: e to send the new ones[/] (until you do, the "
                    "ones you sent play)")
        elif self.submitted():
            mine = "Your orders are in (change them until it closes: o, then e)"
        else:
            mine = "Your orders are not in yet: o to give them, e to send them"
        left = state.seconds_left()
        closes = (f"closes in {clock(left)}" if left is not None
                  else "closes when every team is in, or when your teacher closes it")  # (no deadline)
        if self.shared.held() is not None:
            closes = "held by your teacher: it closes when your teacher says so"
        waiting = f"waiting for {', '.join(state.waiting)}" if state.waiting else "every team is in"
        fallback = (f"a team not in plays {self.shared.manifest.autopilot}" if self.shared.manifest.autopilot
                    else "a team not in does nothing")
        return (f"[b]{self.game.label}, shared class {self.shared.manifest.name}:[/] {mine}. "
                f"{len(state.submitted)} of {len(state.submitted) + len(state.waiting)} teams in, {waiting}; "
                f"{closes} ({fallback}).")

    # --- what a shared class does not do ------------------------------------------------
    def rewind_refusal(self) -> str | None:
        return "A shared class cannot go back: every team plays the same world."

    def rewind(self, quarter: int) -> None:
        raise LateOrders("a shared class cannot go back: every team plays the same world")

    def autosave(self, folder=None):
        return None  # the class's database holds every quarter

    def save_refusal(self) -> str | None:
        return "A shared class keeps every quarter in its database; nothing to save here."

    def save(self, path):
        raise LateOrders("a shared class is kept in its database; `blitzgame class report` writes its debrief")


def wait_for_quarter(campaign: SharedCampaign, quarter: int, timeout: float) -> bool:
    """Poll until ``quarter`` has resolved (for scripts and tests); whether it did in time."""
    end = time.monotonic() + timeout
    while campaign.game.quarter <= quarter and time.monotonic() < end:
        campaign.poll()
        time.sleep(campaign.poll_seconds)
    return campaign.game.quarter > quarter


__all__ = ["SharedCampaign", "wait_for_quarter"]
