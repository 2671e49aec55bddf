"""The report in Markdown: the class page (leaderboard, mechanics by team, the teams) and each
team's debrief with its charts and what-if."""

from blitzgame.classroom.manifest import ClassManifest
from blitzgame.classroom.report.teams import BotLab, TeamResult, short_spec
from blitzgame.classroom.whatif import WhatIf
from blitzgame.formats import count, listed, money
from blitzgame.session.campaign import DEATH_ZONE_HIGH, DEATH_ZONE_LOW
from blitzgame.session.crash import music_can_stop
from blitzgame.session.standings import standings

# the lessons (session.debrief) compared across teams, with the column heading and how to show the value
MECHANIC_COLUMNS = (("peak_stage", "Peak GPUs (M1)", "count"), ("gpu_leader", "Quarters leading (M3)", "int"),
                    ("shortage", "GPUs delivered (M4)", "count"), ("stranded", "Quarters stranded (M5)", "int"),
                    ("failed_runs", "Failed runs (M6)", "int"), ("death_zone", "Death-zone quarters (M7)", "int"),
                    ("music", "Runway entering the crash (M8)", "runway"), ("efficiency", "Efficiency (M12)", "x"),
                    ("alternatives", "Quarters renting/partnered (M13)", "int"))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def leaderboard_rows(teams: list[TeamResult]) -> list[list[str]]:
    """The leaderboard as text cells (the CLI prints them, the Markdown tabulates them)."""
    rows = []
    for t in teams:
        if t.broken:
            rows.append([str(t.place), t.entry.name, "save broken", *["-"] * 7, t.entry.last_bot or "team"])
            continue
        me = standings(t.game).labs[t.lab]
        rank = f"{me.rank} of {t.game.n_labs}" if t.game.quarter else "-"  # (no quarter played: no rank yet)
        rows.append([str(t.place), t.entry.name, t.outcome, rank, f"{me.score:,.1f}",
                     money(me.valuation), count(me.gpus), f"{me.share:.1%}", money(me.cash),
                     f"{t.game.quarter}/{t.game.world.scenario.quarters}", _played_by(t)])
    return rows


def _uneven(teams: list[TeamResult]) -> list[str]:
    """A warning when the teams' games stand at different quarters (a report made mid-class): a
    score before the crash and one after it do not compare."""
    at: dict[int, list[str]] = {}
    for t in teams:
        if not t.broken and t.state.status != "not started":
            at.setdefault(t.game.quarter, []).append(_cell(t.entry.name))
    if len(at) < 2:
        return []
    of = next(t for t in teams if not t.broken).game.world.scenario.quarters
    where = "; ".join(f"{', '.join(names)} {quarter} of {of}" for quarter, names in sorted(at.items(), reverse=True))
    return [f"**The teams are at different quarters** ({where} played): a score compares fairly only with one at "
            "the same quarter (the charts show each quarter), and a crash still to come can move those behind.", ""]


def _played_by(t: TeamResult) -> str:
    """Who played the team's lab, and how often it went back (rewinds are recorded)."""
    rewound = t.state.rewinds
    if not t.broken and not t.game.quarter:
        return "-"  # nobody has played it yet
    return (t.played_by if not t.broken else (t.entry.last_bot or "team")) + (f", rewound {rewound}x" if rewound else "")


LEADERBOARD_HEADERS = ["#", "Team", "Outcome", "Rank in its game", "Score", "Valuation", "GPUs online", "Share",
                       "Cash", "Quarters", "Played by"]


def _mechanic_value(lesson, kind: str) -> str:
    if lesson is None or lesson.value is None:
        return "-"
    v = lesson.value
    if kind == "count":
        return count(v)
    if kind == "runway":
        return "cash-flow +" if v >= 99 else f"{v:.1f} q"
    if kind == "x":
        return f"x{v:.2f}"
    return f"{v:.0f}"


def class_markdown(manifest: ClassManifest, teams: list[TeamResult], chart_titles: dict[str, str], link_ext: str,
                   bots: list[BotLab] = ()) -> str:
    """The class report as Markdown; team links end in ``link_ext`` (.md, or .html for the page);
    ``bots``: a shared class's labs that bots play (the charts draw them too)."""
    from blitzgame.schemas.assets import quarter_label

    playing = [t for t in teams if not t.broken]
    scenario = playing[0].game.world.scenario if playing else None
    title = f"{scenario.title} (`{manifest.scenario}`)" if scenario else f"`{manifest.scenario}`"
    span = (f"{scenario.start}..{quarter_label(scenario.start, manifest.quarters - 1)}" if scenario else "")
    rivals = ", ".join(short_spec(r) for r in manifest.rivals) or "none"
    one_world = len({id(t.game) for t in playing}) == 1 and len(teams) > 1  # a shared class: one game, a lab per team
    if one_world:
        world = (f"Every team ran a lab ({manifest.position}) in one shared world, beside bot rivals ({rivals}): "
                 "the teams bought from the same vendors, hired from the same talent pool, built on the same grids "
                 "and sold to the same customers, so each team's orders moved the others' games.")
    else:
        world = (f"Every team ran the same lab ({manifest.position}, home hub {manifest.hub}) against the same "
                 f"rivals: {rivals}. Teams' games differ only through their own orders.")
    out = [f"# Class report: {manifest.name}", "",
           f"Scenario {title}, seed {manifest.seed}, {manifest.quarters} quarters ({span}). {world}", ""]
    music: dict[str, list[str]] = {}
    not_stopped = {"gone": "not before the lab left the race for", "yet": "not yet for", "never": "never for"}
    for t in sorted((t for t in playing if t.game.quarter), key=lambda t: t.index):  # (a team yet to play: no news)
        point = t.debrief.series.music_point
        status = t.debrief.series.lab(t.lab).status
        if point is not None and status[point] != "alive" and status[point - 1] != "alive":
            key = "gone"  # a shared class's world went on after the lab left: the crash was not its
        elif point is not None:
            key = t.game.world.label(point - 1)
        else:  # it did not stop in this team's game: the lab left first, the game goes on, or it never did
            key = "gone" if not t.game.alive(t.lab) else ("never" if t.game.over else "yet")
        music.setdefault(key, []).append(t.entry.name)
    never = set(music) == {"never"}  # every team's game ran to its end without the music stopping
    if one_world and set(music) - set(not_stopped):
        stopped = next(label for label in music if label not in not_stopped)
        gone = f" ({', '.join(music['gone'])} had left the race before it)" if "gone" in music else ""
        out += [f"The music stopped in {stopped} for the whole class at once (M8): one world, one crash{gone}.", ""]
    elif len(music) == 1 and not set(music) & set(not_stopped):
        out += [f"The music stopped in {next(iter(music))} in every team's game (M8).", ""]
    elif "yet" in music and set(music) <= {"yet", "gone"}:  # a report made mid-class, before any crash
        gone = f" ({', '.join(music['gone'])} left the race first)" if "gone" in music else ""
        where = "in the class's world" if one_world else "in any team's game"
        out += [f"The music has not stopped yet {where} (M8){gone}.", ""]
    elif never:  # every game ran to its end without a crash
        why = "" if music_can_stop(playing[0].game) else ": this scenario leaves it neither to chance nor to its schedule"
        out += [f"The music did not stop in any team's game (M8){why}.", ""]
    elif music:
        said = [f"in {label} for {', '.join(names)}" for label, names in music.items() if label not in not_stopped]
        said += [f"{words} {', '.join(music[key])}" for key, words in not_stopped.items() if key in music]
        by_chance = scenario is None or scenario.chance_crash
        why = ("the revenue gap that stops it is the whole industry's, so the teams' own spending moved it" if by_chance
               else "in this scenario only its schedule stops it, the same quarter in every game still running")
        out += [f"The music stopped (M8) {'; '.join(said)}: {why}.", ""]
    out += ["## Leaderboard", "",
            "Best first: a dominance win, then labs still in the race, then labs bought by a rival, each by score "
            "(the score is the equity value the founders created, in $100M; escape velocity adds half again). "
            "Outcomes: *dominance win*, the lab reached escape velocity; *ranked finish*, it was in the race when "
            "the campaign ended; *survival*, it was in the race when another lab reached escape velocity (or is "
            "still playing); *acquisition*, a rival bought it in distress; *bankruptcy*, it ran out of cash with "
            "no buyer. *Valuation* is what investors would pay at the last quarter's mood; the score counts the "
            "founders' stake of the lab's fair value (a normal mood, GPUs at list price) less what their stake "
            "was worth at the start, so investors' mood (a crash or a bubble at the end) moves the valuation, not the "
            "score. What the crash does to the business does move the score: customers lost, revenue down, GPUs "
            "sold in a fire sale (the score chart falls after the music stops when revenue does).", "",
            *_uneven(teams),
            "| " + " | ".join(LEADERBOARD_HEADERS) + " |", "|" + "|".join("---:" if h in (
                "#", "Score", "Valuation", "GPUs online", "Share", "Cash") else "---" for h in LEADERBOARD_HEADERS) + "|"]
    for cells, t in zip(leaderboard_rows(teams), teams):
        cells = [_cell(c) for c in cells]
        if not t.broken:
            cells[1] = f"[{cells[1]}](teams/{t.slug}{link_ext})"
        out.append("| " + " | ".join(cells) + " |")
    created = _value_created(playing)
    if created:
        out += ["", created]
    out += ["", "## Comparison", ""]
    if bots:
        names = [_cell(b.label) for b in bots]
        out += ["Every lab of the world is drawn: the teams' in bold lines, and in thin ones the bots' that fill the "
                f"seats no team took: {listed(names)}.", ""]
    for key, title in chart_titles.items():
        out += [f"![{title}](charts/{key}.svg)", ""]
    if playing:
        out += ["## Mechanics by team", "",
                "What each team's record says about the mechanics (the debriefs explain each number; the runway is "
                "the one HQ showed as the quarter the music stopped began).", "",
                "| Team | " + " | ".join(h for _, h, _ in MECHANIC_COLUMNS) + " |",
                "|---|" + "---:|" * len(MECHANIC_COLUMNS)]
        for t in playing:
            values = [_mechanic_value(t.debrief.lesson(key), kind) if t.game.quarter else "-"  # (nothing played yet)
                      for key, _, kind in MECHANIC_COLUMNS]
            out.append(f"| {_cell(t.entry.name)} | " + " | ".join(values) + " |")
        out += ["", "## The teams", ""]
        for t in playing:
            line = f"- **[{_cell(t.entry.name)}](teams/{t.slug}{link_ext})**: {t.debrief.summary}"
            if t.whatif is not None:
                w = t.whatif
                line += f" What if: from {w.label}, {_verdict(w)}."
            out.append(line)
    broken = [t for t in teams if t.broken]
    if broken:
        out += ["", "## Saves that could not be read", ""]
        out += [f"- **{_cell(t.entry.name)}** ({t.entry.save}): {_cell(t.state.error)}" for t in broken]
    out += ["", "## For the discussion", "",
            _death_zone_question(playing),
            ("- Who raised while sentiment was high, and what did each team do with the money? (M8)"
             if never else
             "- Who had the most runway when the music stopped, and who raised while sentiment was high? (M8)"),
            _power_question(playing),
            "- Compare each team's what-if: was the worst quarter a bad decision or bad luck? (M10)",
            "", "Results for a spreadsheet: `results.csv` (a row per team per quarter played"
            + (", and per bot's lab" if bots else "") + ").", ""]
    return "\n".join(out)


def _value_created(playing: list[TeamResult]) -> str:
    """A line under the leaderboard when the scores say something the table does not shout: no
    team, or only the first, created value for its founders ("" otherwise)."""
    scores = [(standings(t.game).labs[t.lab].score, t.entry.name) for t in playing if t.game.quarter]
    if len(scores) < 2:  # (a team that has not played a quarter has created nothing, nor lost anything)
        return ""
    gained = [name for score, name in scores if score > 0.0]
    if not gained:
        return ("No team created value for its founders: every score is below 0, so every team's founders own "
                "less than they did at the start. Worth asking first: where did the money go?")
    if len(gained) == 1:
        return (f"Only {_cell(gained[0])} created value for its founders; every other team's founders own less than "
                "at the start (a score below 0). Worth asking: what did the others pay for that did not pay back?")
    return ""


def _power_question(playing: list[TeamResult]) -> str:
    """The discussion's power question (M5), asked of what the teams met: where no team's GPUs ever
    sat idle for want of power, where they sat idle is no question."""
    stranded = [t.debrief.lesson("stranded") for t in playing if t.game.quarter]
    if stranded and all(lesson is not None and not lesson.value for lesson in stranded):
        return ("- No team's GPUs sat idle for lack of power: how did each team keep its power ahead of its GPUs, and what "
                "did building it cost? (M5)")
    return "- Where did GPUs sit idle for lack of power, and why? (M5)"


def _death_zone_question(playing: list[TeamResult]) -> str:
    """The discussion's death-zone question (M7), asked of what the teams met: when every team
    started in the zone and left it within two quarters, who crossed fastest says nothing."""
    zone = f"{count(DEATH_ZONE_LOW)}-{count(DEATH_ZONE_HIGH - 1)} GPUs online"
    played = [t for t in playing if t.game.quarter]
    started_in = [DEATH_ZONE_LOW <= standings(t.game, 0).labs[t.lab].gpus < DEATH_ZONE_HIGH for t in played]
    out_now = [not DEATH_ZONE_LOW <= standings(t.game).labs[t.lab].gpus < DEATH_ZONE_HIGH for t in played]
    spent = [t.debrief.lesson("death_zone") for t in played]
    quarters = [int(lesson.value) for lesson in spent if lesson is not None and lesson.value is not None]
    if played and all(started_in) and all(out_now) and quarters and max(quarters) <= 2:
        return (f"- Every team started in the death zone ({zone}) and left it within {max(quarters)} "
                f"quarter{'s' if max(quarters) != 1 else ''}: what did crossing cost each team (equity sold, cash "
                "spent), and was it worth it by the end? (M7)")
    return f"- Which team crossed the death zone ({zone}) fastest, and what did it cost them? (M7)"


_WOULD = {"dominance win": ("would have won outright", "won outright"),
          "in the race": ("would have stayed in the race", "stayed in the race"),
          "bankrupt": ("would have gone bankrupt", "went bankrupt"), "acquired": ("would have been bought", "was bought")}


def _verdict(w: WhatIf) -> str:
    """E.g. "the defender archetype would have stayed in the race (rank 2, score 41.0); the team was bought (rank 5, ...)",
    or, when the best archetype did no better than the team, "no archetype did better: the best of them, ..."."""
    best, actual = w.best, w.actual
    # (each rank is its own world's: the rivals play on differently once the team's lab does)
    outcomes = (f"{_WOULD[best.outcome][0]} (rank {best.rank} in that world, score {best.score:,.1f}); "
                f"the team {_WOULD[actual.outcome][1]} (rank {actual.rank}, score {actual.score:,.1f})")
    if w.improved:
        return f"the {best.who} archetype {outcomes}"
    return f"no archetype did better: the best of them, the {best.who} archetype, {outcomes}"


def team_markdown(manifest: ClassManifest, result: TeamResult, chart_titles: dict[str, str], link_ext: str) -> str:
    """A team's debrief (the session's ``Debrief.to_markdown``) with the charts and the what-if."""
    d = result.debrief
    base = d.to_markdown()
    said = []
    played = result.game.quarter
    if result.only_bot:
        said.append(f"Played by the bot `{result.only_bot}` (class autoplay).")
    elif result.bot_quarters:
        bots = ", ".join(f"`{bot}`" for bot in sorted(set(result.bot_quarters.values())))
        said.append(f"Class autoplay: {bots} gave the lab's orders in {len(result.bot_quarters)} of its {played} "
                    "quarters.")
    if result.autopilot_quarters:
        n = len(result.autopilot_quarters)
        bot = next(iter(result.autopilot_quarters.values()))
        said.append(f"The class's autopilot (`{bot}`) gave the lab's orders in {n} of its {played} quarters, "
                    "when the team had given none by the time the quarter closed.")
    if result.rewinds:
        back = "; ".join(f"from {r['from']} back to {r['to']}" for r in result.rewinds)
        times = "once" if len(result.rewinds) == 1 else f"{len(result.rewinds)} times"
        said.append(f"The team rewound {times} ({back}): this page shows the game it finally played.")
    who = " ".join(said)
    extra = ["## Charts", ""]
    for key, title in chart_titles.items():
        if key != "whatif":
            extra += [f"![{title}](charts/{result.slug}-{key}.svg)", ""]
    extra += ["## What if", ""]
    w = result.whatif
    if w is None:
        extra += ["No quarter played yet: nothing to replay.", ""]
    else:
        extra += [f"**The worst quarter: {w.label}.** {w.reason[0].upper()}{w.reason[1:]}.", "",
                  f"The game was rewound to the start of {w.label} (a rewind is exact: same world, same dice) and "
                  f"each archetype played your lab from there to {_horizon(result, w)}, the rivals playing as "
                  "before." + (" The best of them:" if w.improved else ""), "",
                  f"**{_verdict(w)[0].upper()}{_verdict(w)[1:]}.**", "",
                  "| From the worst quarter on | Outcome | Rank | Score | Valuation | GPUs online | Cash |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for line in [w.actual] + w.lines:
            name = result.as_played if line.who == "actual" else line.who + (" (best)" if line is w.best else "")
            extra.append(f"| {name} | {line.outcome} | {line.rank} | {line.score:,.1f} | {money(line.valuation)} "
                         f"| {count(line.gpus)} | {money(line.cash)} |")
        extra += ["", "Each row is a game of its own, from the same start: a rank is the lab's place in its own "
                      "game, so a lower score can rank higher when its rivals did worse there.",
                  "", f"![What if](charts/{result.slug}-whatif.svg)", ""]
    head, sep, tail = base.partition("## Timeline")
    body = head + "\n".join(extra) + "\n" + sep + tail if sep else base + "\n" + "\n".join(extra)
    intro = f"Class {manifest.name}: {result.place} of {len(manifest.teams)} on the class leaderboard. {who}".strip()
    first, _, rest = body.partition("\n")
    back = f"[Back to the class report](../class{link_ext})"
    return f"{first}\n\n{_cell(intro)}\n{rest}\n{back}\n"


def _horizon(result: TeamResult, w: WhatIf) -> str:
    end = result.game.world.label(w.horizon - 1)
    return f"the end of the campaign ({end})" if w.horizon >= result.game.world.scenario.quarters else end


__all__ = ["LEADERBOARD_HEADERS", "MECHANIC_COLUMNS", "class_markdown", "leaderboard_rows", "team_markdown"]
