"""The music stopping (M8) as a player reads it: whether anything can stop it in this world,
what does, and the chance it stops this quarter. HQ, the orders form's forecast and the debrief
say it the same way from here."""

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.turn import crash_pressure, crash_pressure_parts, schedule_row, scheduled_crash
from blitzgame.formats import listed


def crash_chance(game) -> float:
    """The chance the music stops by chance in the quarter about to be played, at today's revenue
    gap and mood (the quarter's own moves change it a little): ``music_hazard`` x the pressure
    the engine's rule would pile up (``turn.crash_pressure``); 0 once it stopped or where only a
    schedule stops it."""
    world, params = game.state_world, game.world.params
    if world[F.MUSIC_STOPPED] > 0.0 or params[P.MUSIC_HAZARD] <= 0.0:
        return 0.0
    return float(min(1.0, params[P.MUSIC_HAZARD] * crash_pressure(world, params)))


def pressure_sources(carried: float, gap: float, euphoria: float, world, params, short: bool = False) -> str:
    """The parts of the crash pressure (``turn.crash_pressure_parts``) in words, biggest first, e.g.
    "euphoric investors (sentiment above normal) and pressure left from earlier quarters"; ``world``
    gives the gap's figure; ``short``: a word each ("revenue gap, earlier quarters")."""
    if short:
        names = ("revenue gap", "euphoria", "earlier quarters")
    else:
        names = (f"the revenue gap at {world[F.REVENUE_GAP]:.1f}x, past the {params[P.MUSIC_GAP]:g}x danger line",
                 "euphoric investors (sentiment above normal)", "pressure left from earlier quarters")
    said = [words for amount, words in sorted(zip((gap, euphoria, carried), names), key=lambda p: -p[0]) if amount > 1e-9]
    if short:
        return ", ".join(said)
    return listed(said) or "no pressure"


def chance_sources(game, short: bool = False) -> str:
    """What the pressure behind ``crash_chance`` comes from, in words (``pressure_sources``)."""
    world, params = game.state_world, game.world.params
    return pressure_sources(*crash_pressure_parts(world, params), world, params, short)


def scheduled_stop(world, sched) -> bool:
    """Whether the schedule ``sched`` stops the music in the quarter ``world`` is about to play
    (the engine's rule: the schedule's row for that quarter, the last row past its end)."""
    return bool(sched[schedule_row(sched, int(world[F.QUARTER])), F.S_MUSIC_STOPS] > 0.0)


def _stops_now(world, sched) -> bool:
    """Whether the schedule stops the music in the quarter ``world`` is about to play, while it still plays."""
    return bool(world[F.MUSIC_STOPPED] <= 0.0 and scheduled_stop(world, sched))


def opening_world(labs, world, params, sched):
    """The world as the quarter ``world`` is about to play opens: a copy, with the scenario's
    scheduled stop applied when it comes that quarter (it comes first: sentiment, spot and
    lending as the crash leaves them, what the quarter's rounds, loans and GPU orders meet)."""
    opened = world.copy()
    quarter = int(world[F.QUARTER])
    scheduled_crash(labs.copy(), opened, params, sched, schedule_row(sched, quarter), quarter)
    return opened


def round_mood(labs, world, params, sched) -> float:
    """The mood the rounds of the quarter ``world`` is about to play are sold at: today's, or,
    when the schedule stops the music that quarter, what the stop leaves (``opening_world``)."""
    return float(opening_world(labs, world, params, sched)[F.SENTIMENT])


def crash_scheduled(game) -> bool:
    """Whether the scenario's schedule stops the music in the quarter about to be played, while it still plays."""
    return _stops_now(game.state_world, game.world.sched)


def crash_next(game) -> bool:
    """Whether the scenario's schedule stops the music as the quarter after this one opens (it
    still plays, and nothing stops it this quarter on schedule): this quarter's rounds are the
    last sold before it."""
    world, sched = game.state_world, game.world.sched
    if world[F.MUSIC_STOPPED] > 0.0 or _stops_now(world, sched) or game.quarter + 1 >= game.world.quarters:
        return False
    return bool(sched[schedule_row(sched, game.quarter + 1), F.S_MUSIC_STOPS] > 0.0)


def music_can_stop(game) -> bool:
    """Whether anything can stop the music in this game's world: the revenue gap, or its schedule."""
    return bool(game.world.params[P.MUSIC_HAZARD] > 0.0 or (game.world.sched[:, F.S_MUSIC_STOPS] > 0.0).any())


def crash_rule(game, gap: float | None = None) -> str:
    """What stops the music in this game's world, in words: the revenue gap (with its peak,
    ``gap``, if given), or only the scenario's schedule."""
    params, sched = game.world.params, game.world.sched
    scheduled = [game.world.label(q) for q in range(sched.shape[0]) if sched[q, F.S_MUSIC_STOPS] > 0.0]
    if params[P.MUSIC_HAZARD] > 0.0:
        peak = f" peaked at {gap:.1f}x" if gap is not None else ""
        return (f"the revenue gap{peak} (pressure builds past {params[P.MUSIC_GAP]:.0f}x)"
                + (f", or the scenario's schedule ({', '.join(scheduled)})" if scheduled else ""))
    if scheduled:
        return f"in this scenario only its schedule stops the music ({', '.join(scheduled)}), not the revenue gap"
    return "in this scenario nothing stops the music: no crash by chance, none on its schedule"
