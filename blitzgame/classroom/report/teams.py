"""The class read from the teams' saves: each team's game, debrief and what-if, ranked."""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from blitzgame.bots.loader import shown_name
from blitzgame.classroom.create import team_slug
from blitzgame.classroom.manifest import ClassManifest, TeamEntry, load_manifest
from blitzgame.classroom.team import TeamState, open_team, read_rewinds, rewound_to, save_path, team_state
from blitzgame.classroom.whatif import WhatIf, what_if
from blitzgame.session.debrief import NO_ORDERS, Debrief, debrief
from blitzgame.session.series import LabSeries, game_series
from blitzgame.session.standings import standings

OWN_ORDERS = "the team's own orders"  # the team's quarters, in a list of who played the lab
_shown = cache(shown_name)  # a bot's name as it plays (a file bot's ``Bot.name``), its spec where it cannot load


@dataclass
class TeamResult:
    """A team's game and everything the report says about it."""

    entry: TeamEntry
    slug: str
    state: TeamState
    index: int  # in the manifest
    game: object = None  # the Game, None when the save is broken
    lab: int = 0
    seats: list = field(default_factory=list)
    debrief: Debrief | None = None
    whatif: WhatIf | None = None
    place: int = 0  # on the class leaderboard, 1 = best
    rewinds: list = field(default_factory=list)  # the team's recorded rewinds (``team.read_rewinds``)
    bot_quarters: dict[int, str] = field(default_factory=dict)  # quarters (index) a bot played (class autoplay)
    autopilot_quarters: dict[int, str] = field(default_factory=dict)  # quarters the class's autopilot played (shared)
    missed_quarters: set[int] = field(default_factory=set)  # quarters closed with no orders from the team (shared)
    shared: bool = False  # a lab of a shared class's one world (its other labs are the other teams' and bots')

    def player(self, quarter: int) -> str:
        """Who gave the lab's orders in ``quarter`` (index): "team", a bot, or "<bot> (autopilot)"."""
        if quarter in self.bot_quarters:
            return _shown(self.bot_quarters[quarter])
        if quarter in self.autopilot_quarters:
            return f"{_shown(self.autopilot_quarters[quarter])} (autopilot)"
        if quarter in self.missed_quarters:
            return NO_ORDERS  # the lab did nothing: not the team's doing, nor a bot's
        return "team"

    @property
    def played_by(self) -> str:
        """Who played the lab, in words: "team", a bot, or the team and then a bot from a quarter."""
        played = self.game.quarter if self.game is not None else 0
        if not (self.bot_quarters or self.autopilot_quarters or self.missed_quarters) or not played:
            return "team"
        players = [self.player(q) for q in range(played)]
        counts = Counter(players)  # (in the order they first played)
        if len(counts) == 1:
            return players[0]
        others = [who for who in counts if who != "team"]
        first = players.index(others[0])
        if players[0] == "team" and len(others) == 1 and players[first:] == [others[0]] * (played - first):
            return f"team, then {others[0]} from {self.game.world.label(first)}"
        # each player with its quarters, most first: "sprinter 13 of 16 quarters, the team's own orders 2,
        # defender (autopilot) 1" (not "team 2": a class has a Team 2)
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        return ", ".join(f"{OWN_ORDERS if who == 'team' else who} {n}" + (f" of {played} quarters" if k == 0 else "")
                         for k, (who, n) in enumerate(ranked))

    @property
    def as_played(self) -> str:
        """The what-if's line of the game as it was played from the worst quarter on: the team's
        orders, or who gave them instead (a bot, the class's autopilot)."""
        w, played = self.whatif, self.game.quarter if self.game is not None else 0
        players = list(dict.fromkeys(self.player(q) for q in range(w.quarter, played))) if w is not None else []
        if players in ([], ["team"]):
            return "your orders"
        return "as played: " + (" and ".join("your orders" if who == "team" else who for who in players))

    @property
    def only_bot(self) -> str | None:
        """The bot that played every quarter of the lab, if one did."""
        bots = set(self.bot_quarters.values())
        played = self.game.quarter if self.game is not None else 0
        return next(iter(bots)) if len(bots) == 1 and len(self.bot_quarters) >= played > 0 else None

    @property
    def broken(self) -> bool:
        return self.game is None

    @property
    def outcome(self) -> str:
        if self.broken:
            return "save broken"
        if self.state.status == "not started":
            return "not started"
        text = self.debrief.outcome
        return text if self.debrief.finished or self.state.status != "playing" else f"{text} (playing)"


@dataclass(frozen=True)
class BotLab:
    """A lab of a shared class's world that no team plays: a bot fills a seat the teams left."""

    name: str
    lab: int  # its index in the game
    bot: str  # the bot's spec, as ``class status`` names it
    series: LabSeries

    @property
    def label(self) -> str:
        """Its name, marked as a bot's lab: "Rival 2 (bot: integrator)"."""
        return f"{self.name} (bot: {short_spec(self.bot)})"


def short_spec(spec: str) -> str:
    """A bot spec as the report shows it: a built-in's name, a file's (path/to/file.py:Class) without its
    folder (the spec's own words: ``bots.loader.bot_name`` would load the file to read its name)."""
    return Path(spec.split(":", 1)[-1]).name if ("/" in spec or "\\" in spec) else spec


def bot_labs(teams: list[TeamResult]) -> list[BotLab]:
    """The labs of a shared class's world that bots play (none for a class of separate campaigns,
    whose bot rivals each team's own page shows)."""
    shared = next((t for t in teams if t.shared and not t.broken), None)
    if shared is None:
        return []
    series = game_series(shared.game)
    return [BotLab(shared.game.names[k], k, seat, series.lab(k)) for k, seat in enumerate(shared.seats)
            if seat is not None]


@dataclass(frozen=True)
class ClassReport:
    """What ``build_report`` wrote, and the teams best first."""

    out: Path
    index: Path
    markdown: Path
    csv: Path
    team_pages: dict[str, Path]  # team name -> HTML
    team_markdown: dict[str, Path]
    charts: list[Path]
    teams: list[TeamResult]
    rows: int  # rows of results.csv
    bot_labs: list[BotLab] = field(default_factory=list)  # a shared class's labs that bots play, in the charts and CSV
    removed: list[Path] = field(default_factory=list)  # an earlier report's files in the folder that this one replaced


def read_class(folder: str | Path, whatifs: bool = True) -> tuple[ClassManifest, list[TeamResult]]:
    """Every team's game, debrief and what-if; teams ranked for the leaderboard."""
    from blitzgame.classroom.shared import is_shared

    if is_shared(folder):
        return read_shared_class(folder, whatifs)
    manifest = load_manifest(folder)
    teams = []
    slugs: list[str] = []
    for index, entry in enumerate(manifest.teams):
        slug = Path(entry.save).stem or team_slug(entry.name)
        while slug in slugs:
            slug += "-x"
        slugs.append(slug)
        state = team_state(folder, entry, manifest)
        result = TeamResult(entry, slug, state, index, rewinds=read_rewinds(save_path(folder, entry)))
        if state.status != "broken":
            try:
                campaign = open_team(folder, entry.name, manifest)
            except ValueError as error:  # changed since team_state read it (SaveError, ClassError, BotLoadError)
                result.state = replace(state, status="broken", error=str(error))
            else:
                result.game, result.lab, result.seats = campaign.game, campaign.player, campaign.seats
                back = rewound_to(save_path(folder, entry), campaign.game.world.scenario.start)
                result.bot_quarters = entry.bot_quarters(campaign.game.quarter, back)  # (the team's own left out)
                result.debrief = debrief(campaign.game, campaign.player, campaign.seats,
                                         {q: result.player(q) for q in result.bot_quarters})
                if whatifs:
                    result.whatif = what_if(campaign.game, campaign.player, campaign.seats, played_by=result.bot_quarters)
        teams.append(result)
    return manifest, _ranked(teams)


def read_shared_class(folder: str | Path, whatifs: bool = True) -> tuple[ClassManifest, list[TeamResult]]:
    """A shared class's one world (replayed from its database, every quarter's digest checked),
    seen from each team's lab: the same report as a class of separate campaigns."""
    from blitzgame.classroom.manifest import CLASS_FORMAT, CLASS_VERSION
    from blitzgame.classroom.shared import DATABASE, SharedClass

    shared = SharedClass(folder)
    try:
        m, game = shared.manifest, shared.game
        bots = shared.autoplayed()
        by_bot = shared.autoplayed_quarters()
        sources = [shared.sources(q) for q in range(game.quarter)]
        saved = max((row[3] for row in shared.quarter_rows() if row[3] is not None), default=None)
    finally:
        shared.close()
    entries = [TeamEntry.model_construct(name=t.name, save=DATABASE, bot=bots.get(k)) for k, t in enumerate(m.teams)]
    # the report's view of the class: what a class of separate campaigns would say, for one world
    manifest = ClassManifest.model_construct(
        format=CLASS_FORMAT, version=CLASS_VERSION, name=m.name, scenario=game.world.scenario.id, seed=m.seed,
        quarters=game.world.quarters, position=m.position, hub=m.teams[0].hub, rivals=list(m.rivals),
        created=m.created, teams=entries)
    seats = [None] * len(m.teams) + list(m.rivals)
    when = None if saved is None else datetime.fromtimestamp(saved, UTC)
    teams = []
    for lab, entry in enumerate(entries):
        me = game.observe(lab).me
        done = game.over or me.status != "alive"
        state = TeamState(team=entry.name, lab=entry.name, save=Path(folder) / DATABASE, quarters_played=game.quarter,
                          quarters=game.world.quarters, quarter=game.world.label(game.quarter - 1) if game.quarter else "-",
                          next_quarter=None if done else game.label,
                          status=("finished" if me.status == "alive" else me.status) if done else
                          ("playing" if game.quarter else "not started"),
                          cash=me.cash, gpus=me.online, rank=me.rank, score=me.score, saved_at=when, bot=entry.bot)
        result = TeamResult(entry, team_slug(entry.name), state, lab, game=game, lab=lab, seats=seats, shared=True)
        result.bot_quarters = {q: bot for q, bot in by_bot.get(lab, {}).items()
                               if q < game.quarter and sources[q][lab] == "team"}  # the bot's orders played
        result.autopilot_quarters = {q: m.autopilot for q in range(game.quarter) if sources[q][lab] == "autopilot"}
        result.missed_quarters = {q for q in range(game.quarter) if sources[q][lab] == "empty"}
        if whatifs:
            result.whatif = what_if(game, lab, seats, played_by=result.bot_quarters | result.autopilot_quarters)
        teams.append(result)
    for result in teams:  # each team's debrief names the other teams as teams, and who played them
        result.debrief = debrief(game, result.lab, seats, {q: result.player(q) for q in range(game.quarter)
                                                           if result.player(q) != "team"})
        for other in teams:
            if other is not result:
                who = other.played_by
                result.debrief.rivals[other.entry.name] = ("a team of the class" if who == "team" else
                                                           f"a team of the class, played by {who}")
    return manifest, _ranked(teams)


def _ranked(teams: list[TeamResult]) -> list[TeamResult]:
    ranked = sorted(teams, key=_standing, reverse=True)
    for place, result in enumerate(ranked, 1):
        result.place = place
    return ranked


def _standing(result: TeamResult) -> tuple[int, float]:
    """Leaderboard order: the final table's (escape velocity, still in the race, bought, then
    score: ``Standings``' order, comparable across games); a team that has not played a quarter
    after every team that has (its score of 0 says nothing, and would stand above a negative
    one), and a team whose game could not be replayed last."""
    if result.broken:
        return (0, float("-inf"))
    if not result.game.quarter:
        return (1, 0.0)
    return (2, standings(result.game).labs[result.lab].order)


__all__ = ["BotLab", "ClassReport", "TeamResult", "bot_labs", "read_class", "short_spec"]
