"""``blitzgame class autoplay``: bots in the teams' seats, for a rehearsal or a test.

Each unfinished team's lab is played by one of the bots given, cycled over the teams in the
order they were named (``--team``), or the manifest's order when none were: the k-th team
gets ``bots[k % len(bots)]``. It plays to the end of its campaign or for ``quarters``
quarters. The rivals play as in every team's game. Every quarter lands in the team's save
(``TeamCampaign``); the manifest notes which bot played each team. Over the whole class, a
team someone is playing (a terminal, a browser tab) is skipped and said to be; a team named
with ``--team`` that is busy is refused.
"""

from dataclasses import dataclass
from pathlib import Path

from blitzgame.classroom.manifest import ClassError, load_manifest, write_manifest
from blitzgame.classroom.team import TeamLock, open_team, read_rewinds, save_path


@dataclass(frozen=True)
class Autoplayed:
    """What autoplay did for one team."""

    team: str
    bot: str | None  # None: the team was already done, nothing played
    first: str | None  # the first quarter played, e.g. 2024Q1
    last: str | None
    quarters: int
    status: str  # the team's lab afterwards: alive / bankrupt / acquired
    over: bool
    rank: int
    troubles: int  # quarters the bot's answer was refused (its lab played empty orders)
    held: str | None = None  # the quarter the class is held at, where the bot stopped
    busy: bool = False  # someone else was playing the team: skipped, nothing played


def autoplay(folder: str | Path, bots: list[str], quarters: int | None = None,
             teams: list[str] | None = None) -> list[Autoplayed]:
    """Play every unfinished team (or those named in ``teams``) with ``bots``; see the module docstring."""
    from blitzgame.bots.sandbox import InProcessSeat
    from blitzgame.classroom.create import autoplay_bots, too_many
    from blitzgame.session.standings import standings

    specs = autoplay_bots(bots, quarters)
    manifest = load_manifest(folder)
    named = list(dict.fromkeys(manifest.team(name).name for name in teams)) if teams else None
    order = named if named is not None else [team.name for team in manifest.teams]
    too_many(specs, len(order))
    bot_for = {name: specs[k % len(specs)] for k, name in enumerate(order)}  # in the order the teams were named
    picked = [team for team in manifest.teams if team.name in bot_for]
    locks = [TeamLock(save_path(folder, team), team.name) for team in picked]
    results = []
    entries = list(manifest.teams)
    busy: list[str] = []
    try:
        for lock in list(locks):  # every team is free (or, over the whole class, skipped) before any is played
            try:
                lock.acquire()
            except ClassError:
                if named is not None:  # the teacher asked for this team: say it is busy
                    raise
                busy.append(lock.team)
                locks.remove(lock)
        picked = [team for team in picked if team.name not in busy]
        results += [Autoplayed(name, None, None, None, 0, "being played", False, 0, 0, busy=True) for name in busy]
        campaigns = {team.name: open_team(folder, team.name, manifest) for team in picked}
        todo = {name for name, c in campaigns.items() if not c.game.over and c.game.alive(c.player)}
        for k, team in enumerate(manifest.teams):
            campaign = campaigns.get(team.name)
            if campaign is None:
                continue
            lab, spec = campaign.player, bot_for[team.name]
            played, first, troubles, start = 0, campaign.game.label, 0, campaign.game.quarter
            if team.name in todo:
                seat = InProcessSeat(spec)
                seat.new_game()
                while (not campaign.game.over and campaign.game.alive(lab) and (quarters is None or played < quarters)
                       and campaign.end_refusal(lab) is None):  # a class held by its teacher stops it there
                    decision = seat.decide(campaign.game, lab)
                    if decision.orders is not None:
                        campaign.submit(lab, decision.orders)
                    else:
                        troubles += 1
                    campaign.end_quarter()  # the rivals decide; the quarter lands in the team's save
                    played += 1
                if played:  # the quarters the bot played, kept apart from the team's own before and after
                    entries[k] = team.with_run(spec, start, campaign.game.quarter,
                                               len(read_rewinds(save_path(folder, team))))
            game = campaign.game
            me = standings(game).labs[lab]
            results.append(Autoplayed(team.name, spec if played else None, first if played else None,
                                      game.world.label(game.quarter - 1) if played else None, played,
                                      me.status, game.over, me.rank, troubles, campaign.held()))
    finally:
        for lock in locks:
            lock.release()
    if entries != list(manifest.teams):
        write_manifest(folder, manifest.model_copy(update={"teams": entries}))
    place = {team.name: k for k, team in enumerate(manifest.teams)}
    return sorted(results, key=lambda r: place[r.team])


__all__ = ["Autoplayed", "autoplay"]
