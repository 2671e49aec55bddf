"""``blitzgame class report``: the class debrief.

Read from the teams' saves (each replayed and checked), written to ``OUT`` (default
``DIR/report``)::

    index.html            the class: leaderboard, comparison charts, mechanics by team, links
    class.md              the same in Markdown (for a course site), charts from charts/
    charts/*.svg          the class's charts
    results.csv           a row per team per quarter played (see CSV_COLUMNS)
    teams/<slug>.html     a team's debrief: outcome, charts, what-if, timeline, lessons, figures
    teams/<slug>.md       the same in Markdown, charts from teams/charts/
    teams/charts/*.svg

The HTML pages are self-contained: charts are inline SVG drawn by matplotlib, the style
sheet is in the page, no script, font or image is fetched. A team's debrief is the
session's ``Debrief`` (its ``to_markdown``), with the charts and the what-if
(``classroom.whatif``) added; the HTML is that Markdown rendered (markdown-it, raw HTML
off, so names are escaped) with the charts inlined.

``results.csv`` has a row for each quarter a team played (quarter_index 1..n; no row for
the start), with the state at the end of that quarter: its numbers are the saves' own
(floats written with Python's shortest exact repr), so a spreadsheet sees what the game had.
"""

import csv
import io
import re
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path

from blitzgame.classroom.create import team_slug
from blitzgame.classroom.manifest import ClassManifest, TeamEntry, load_manifest
from blitzgame.classroom.team import TeamState, open_team, team_state
from blitzgame.classroom.whatif import WhatIf, what_if
from blitzgame.engine import layout as F
from blitzgame.session.debrief import Debrief, debrief
from blitzgame.session.report import count, money
from blitzgame.session.saves import write_atomic

CSV_COLUMNS = ("team", "lab", "bot", "quarter_index", "quarter", "status", "cash", "runway", "gpus_online", "gpus_owned",
               "stranded", "share", "revenue", "valuation", "score", "rank", "stage", "sentiment", "revenue_gap",
               "death_zone", "music_stopped")
# the lessons (session.debrief) compared across teams, with the column heading and how to show the value
MECHANIC_COLUMNS = (("peak_stage", "Peak GPUs (M1)", "count"), ("gpu_leader", "Quarters leading (M3)", "int"),
                    ("shortage", "GPUs delivered (M4)", "count"), ("stranded", "Quarters stranded (M5)", "int"),
                    ("failed_runs", "Failed runs (M6)", "int"), ("death_zone", "Death-zone quarters (M7)", "int"),
                    ("music", "Runway at the crash (M8)", "runway"), ("efficiency", "Efficiency (M12)", "x"),
                    ("alternatives", "Quarters renting/partnered (M13)", "int"))
TEAM_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                "#7f7f7f")
RIVAL_COLOURS = ("#8da0cb", "#fc8d62", "#66c2a5", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494")


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

    @property
    def broken(self) -> bool:
        return self.game is None

    @property
    def outcome(self) -> str:
        if self.broken:
            return "save broken"
        text = self.debrief.outcome
        return text if self.debrief.over or self.state.status != "playing" else f"{text} (playing)"


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


# --- reading the class ---------------------------------------------------------------------
def read_class(folder: str | Path, whatifs: bool = True) -> tuple[ClassManifest, list[TeamResult]]:
    """Every team's game, debrief and what-if; teams ranked for the leaderboard."""
    manifest = load_manifest(folder)
    teams = []
    slugs: list[str] = []
    for index, entry in enumerate(manifest.teams):
        slug = Path(entry.save).stem or team_slug(entry.name)
        while slug in slugs:
            slug += "-x"
        slugs.append(slug)
        state = team_state(folder, entry, manifest)
        result = TeamResult(entry, slug, state, index)
        if state.status != "broken":
            try:
                campaign = open_team(folder, entry.name, manifest)
            except ValueError as error:  # changed since team_state read it (SaveError, ClassError, BotLoadError)
                result.state = replace(state, status="broken", error=str(error))
            else:
                result.game, result.lab, result.seats = campaign.game, campaign.player, campaign.seats
                result.debrief = debrief(campaign.game, campaign.player, campaign.seats)
                # a team whose lab is out has finished its campaign, though its rivals' game could go on
                result.debrief.over = campaign.game.over or not campaign.game.alive(campaign.player)
                if whatifs:
                    result.whatif = what_if(campaign.game, campaign.player, campaign.seats)
        teams.append(result)
    ranked = sorted(teams, key=_standing, reverse=True)
    for place, result in enumerate(ranked, 1):
        result.place = place
    return manifest, ranked


def _standing(result: TeamResult) -> tuple:
    """Leaderboard order: a dominance win, then still in the race, then bought, then score."""
    if result.broken:
        return (0, 0, 0, 0, float("-inf"))
    row = result.game.state_labs[result.lab]
    won = int(result.game.state_world[F.WINNER]) == result.lab
    return (1, won, row[F.STATUS] == F.ALIVE, row[F.STATUS] == F.ACQUIRED, float(row[F.SCORE]))


# --- the CSV -----------------------------------------------------------------------------
def csv_rows(teams: list[TeamResult]) -> list[dict]:
    """A row per team per quarter played, in manifest order then quarter order."""
    from blitzgame.engine.people import in_death_zone
    from blitzgame.engine.turn import stage

    rows = []
    for result in sorted(teams, key=lambda t: t.index):
        if result.broken:
            continue
        game, lab = result.game, result.lab
        runway = result.debrief.series.lab(lab).runway
        for k in range(1, len(game.history)):
            snap = game.history[k]
            row, world = snap.labs[lab], snap.world
            alive = row[F.STATUS] == F.ALIVE
            rows.append({
                "team": result.entry.name, "lab": game.names[lab], "bot": result.entry.bot or "",
                "quarter_index": k, "quarter": game.reports[k - 1].label,
                "status": F.STATUS_NAMES[float(row[F.STATUS])], "cash": _f(row[F.CASH]), "runway": _f(runway[k]),
                "gpus_online": _f(row[F.ONLINE]), "gpus_owned": _f(row[F.GPUS]), "stranded": _f(row[F.STRANDED]),
                "share": _f(row[F.SHARE]), "revenue": _f(row[F.REVENUE]), "valuation": _f(row[F.VALUATION]),
                "score": _f(row[F.SCORE]), "rank": int(row[F.RANK]), "stage": F.STAGE_NAMES[stage(row[F.ONLINE])],
                "sentiment": _f(world[F.SENTIMENT]), "revenue_gap": _f(world[F.REVENUE_GAP]),
                "death_zone": int(bool(alive and in_death_zone(row[F.ONLINE]))),
                "music_stopped": int(world[F.MUSIC_STOPPED] > 0),
            })
    return rows


def _f(value) -> float:
    return float(value) + 0.0  # -0.0 becomes 0.0


def csv_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in row.items()})
    return buffer.getvalue()


# --- charts ------------------------------------------------------------------------------
class Charts:
    """matplotlib figures as SVG text (imported here only: `blitzgame` starts without it)."""

    STYLE = {"svg.hashsalt": "blitzgame", "svg.fonttype": "path", "font.size": 9, "axes.spines.top": False,
             "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
             "axes.titley": 1.02}  # a fixed title position: finding one costs a layout pass

    def _rc(self):
        """The charts' style (and SVG ids that do not change from run to run), for one figure."""
        import matplotlib

        return matplotlib.rc_context(self.STYLE)

    def figure(self, title: str, height: float = 3.4):
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8.0, height), dpi=100)
        fig.subplots_adjust(left=0.09, right=0.76, top=0.89, bottom=0.12)  # fixed: a layout engine doubles the time
        ax = fig.add_subplot()
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
        return fig, ax

    def svg(self, fig) -> str:
        buffer = io.StringIO()
        with self._rc():
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        text = buffer.getvalue()
        return text[text.index("<svg"):]  # no XML prolog or doctype: the SVG goes inline into HTML too

    def lines(self, title: str, labels: list[str], series: list[tuple[str, list[float], str, float]],
              ylabel: str, log: bool = False, percent: bool = False, marks: dict[int, str] | None = None) -> str:
        """One line per ``(name, values, colour, width)`` over the points ``labels``."""
        with self._rc():
            fig, ax = self.figure(title)
            for name, values, colour, width in series:
                ys = [max(v, 1.0) for v in values] if log else values
                ax.plot(range(len(ys)), ys, color=colour, linewidth=width, label=name, zorder=2 + width,
                        marker="o" if len(ys) == 1 else None, markersize=3)  # thicker lines on top
            if log:
                ax.set_yscale("log")
            if percent:
                from matplotlib.ticker import PercentFormatter

                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            for point, text in (marks or {}).items():
                ax.axvline(point, color="#555555", linestyle="--", linewidth=1)
                ax.annotate(text, (point, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -12),
                            textcoords="offset points", fontsize=8, color="#555555")
            ax.set_ylabel(ylabel)
            _quarter_axis(ax, labels)
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
            return self.svg(fig)


def _quarter_axis(ax, labels: list[str]) -> None:
    step = max(1, (len(labels) + 7) // 8)
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[k] for k in ticks])
    ax.set_xlim(-0.3, max(len(labels) - 1, 1) + 0.3)


def _calendar(teams: list[TeamResult]) -> list[str]:
    """The points of the longest team game: start, then the quarters."""
    longest = max((t for t in teams if not t.broken), key=lambda t: t.game.quarter, default=None)
    return longest.debrief.series.labels if longest else ["start"]


def _score_series(game, lab: int) -> list[float]:
    return [float(snap.labs[lab, F.SCORE]) for snap in game.history]


def class_charts(charts: Charts, teams: list[TeamResult]) -> dict[str, tuple[str, str]]:
    """The comparison charts: name -> (title, SVG)."""
    playing = [t for t in sorted(teams, key=lambda t: t.index) if not t.broken]
    labels = _calendar(teams)
    colour = {t.entry.name: TEAM_COLOURS[k % len(TEAM_COLOURS)] for k, t in enumerate(playing)}
    music = {}
    for t in playing:
        point = t.debrief.series.music_point
        if point is not None:
            music.setdefault(point, "music stops")
    figures = {
        "gpus": ("GPUs online, by team", "GPUs online (log scale)", lambda t: t.debrief.series.lab(t.lab).gpus, True, False),
        "cash": ("Cash, by team", "$M", lambda t: t.debrief.series.lab(t.lab).cash, False, False),
        "share": ("Market share, by team", "share of AI revenue", lambda t: t.debrief.series.lab(t.lab).share, False, True),
        "score": ("Score, by team", "score (valuation / $100M)", lambda t: _score_series(t.game, t.lab), False, False),
    }
    out = {}
    for key, (title, ylabel, values, log, percent) in figures.items():
        series = [(t.entry.name, values(t), colour[t.entry.name], 2.0) for t in playing]
        out[key] = (title, charts.lines(title, labels, series, ylabel, log=log, percent=percent, marks=music))
    return out


def team_charts(charts: Charts, result: TeamResult) -> dict[str, tuple[str, str]]:
    """A team's charts: its race, shares, cash, and the what-if."""
    series = result.debrief.series
    game, lab = result.game, result.lab
    labels = series.labels
    marks = {series.music_point: "music stops"} if series.music_point is not None else {}

    def everyone(values) -> list:
        lines, rival = [], 0
        for k, name in enumerate(game.names):
            if k == lab:
                continue
            lines.append((name, values(k), RIVAL_COLOURS[rival % len(RIVAL_COLOURS)], 1.2))
            rival += 1
        return [(f"{game.names[lab]} (you)", values(lab), "#111111", 2.6)] + lines

    out = {
        "race": ("The GPU race", charts.lines("The GPU race: GPUs online", labels,
                                              everyone(lambda k: series.lab(k).gpus), "GPUs online (log scale)",
                                              log=True, marks=marks)),
        "share": ("Market share", charts.lines("Market share", labels, everyone(lambda k: series.lab(k).share),
                                               "share of AI revenue", percent=True, marks=marks)),
        "cash": ("Cash", charts.lines(f"Cash of {game.names[lab]}", labels,
                                      [(game.names[lab], series.lab(lab).cash, "#111111", 2.4)], "$M", marks=marks)),
    }
    w = result.whatif
    if w is not None:
        lines = [("your orders", w.actual.scores, "#111111", 2.6),
                 (f"{w.best.who} (best)", w.best.scores, "#d62728", 2.2)]
        lines += [(line.who, line.scores, RIVAL_COLOURS[k % len(RIVAL_COLOURS)], 1.0) for k, line in enumerate(w.lines[1:])]
        out["whatif"] = ("What if", charts.lines(f"What if: from {w.label}, your orders vs each archetype's",
                                                  w.labels, lines, "score"))
    return out


# --- Markdown ----------------------------------------------------------------------------
def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def leaderboard_rows(teams: list[TeamResult]) -> list[list[str]]:
    """The leaderboard as text cells (the CLI prints them, the Markdown tabulates them)."""
    rows = []
    for t in teams:
        if t.broken:
            rows.append([str(t.place), t.entry.name, "save broken", "-", "-", "-", "-", "-", "-", "-", t.entry.bot or "team"])
            continue
        row = t.game.state_labs[t.lab]
        rows.append([str(t.place), t.entry.name, t.outcome, f"{int(row[F.RANK])} of {t.game.n_labs}",
                     f"{row[F.SCORE]:,.1f}", money(row[F.VALUATION]), count(row[F.ONLINE]), f"{row[F.SHARE]:.1%}",
                     money(row[F.CASH]), f"{t.game.quarter}/{t.game.world.scenario.quarters}", t.entry.bot or "team"])
    return rows


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


def class_markdown(manifest: ClassManifest, teams: list[TeamResult], chart_titles: dict[str, str], link_ext: str) -> str:
    """The class report as Markdown; team links end in ``link_ext`` (.md, or .html for the page)."""
    from blitzgame.schemas.assets import quarter_label

    playing = [t for t in teams if not t.broken]
    scenario = playing[0].game.world.scenario if playing else None
    title = f"{scenario.title} (`{manifest.scenario}`)" if scenario else f"`{manifest.scenario}`"
    span = (f"{scenario.start}..{quarter_label(scenario.start, manifest.quarters - 1)}" if scenario else "")
    out = [f"# Class report: {manifest.name}", "",
           f"Scenario {title}, seed {manifest.seed}, {manifest.quarters} quarters ({span}). Every team ran the same "
           f"lab ({manifest.position}, home hub {manifest.hub}) against the same rivals: "
           f"{', '.join(_short(r) for r in manifest.rivals)}. Teams' games differ only through their own orders.", ""]
    music: dict[str, list[str]] = {}
    for t in sorted(playing, key=lambda t: t.index):
        point = t.debrief.series.music_point
        music.setdefault(t.game.world.label(point - 1) if point is not None else "", []).append(t.entry.name)
    if len(music) == 1 and "" not in music:
        out += [f"The music stopped in {next(iter(music))} in every team's game (M8).", ""]
    elif music:
        said = [f"in {label} for {', '.join(names)}" for label, names in music.items() if label]
        said += [f"never for {', '.join(music[''])}"] if "" in music else []
        out += [f"The music stopped (M8) {'; '.join(said)}: the revenue gap that stops it is the whole industry's, "
                "so the teams' own spending moved it.", ""]
    out += ["## Leaderboard", "",
            "Best first: a dominance win, then labs still in the race, then labs bought by a rival, each by score "
            "(the score is the valuation in $100M; escape velocity adds half again).", "",
            "| " + " | ".join(LEADERBOARD_HEADERS) + " |", "|" + "|".join("---:" if h in (
                "#", "Score", "Valuation", "GPUs online", "Share", "Cash") else "---" for h in LEADERBOARD_HEADERS) + "|"]
    for cells, t in zip(leaderboard_rows(teams), teams):
        cells = [_cell(c) for c in cells]
        if not t.broken:
            cells[1] = f"[{cells[1]}](teams/{t.slug}{link_ext})"
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "## Comparison", ""]
    for key, title in chart_titles.items():
        out += [f"![{title}](charts/{key}.svg)", ""]
    if playing:
        out += ["## Mechanics by team", "",
                "What each team's record says about the mechanics (the debriefs explain each number).", "",
                "| Team | " + " | ".join(h for _, h, _ in MECHANIC_COLUMNS) + " |",
                "|---|" + "---:|" * len(MECHANIC_COLUMNS)]
        for t in playing:
            values = [_mechanic_value(t.debrief.lesson(key), kind) for key, _, kind in MECHANIC_COLUMNS]
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
            "- Which team crossed the death zone (1,000-9,999 GPUs online) fastest, and what did it cost them? (M7)",
            "- Who had the most runway when the music stopped, and who raised while sentiment was high? (M8)",
            "- Where did GPUs sit idle for lack of power, and why? (M5)",
            "- Compare each team's what-if: was the worst quarter a bad decision or bad luck? (M10)",
            "", "Results for a spreadsheet: `results.csv` (a row per team per quarter played).", ""]
    return "\n".join(out)


def _short(spec: str) -> str:
    return Path(spec.split(":", 1)[-1]).name if ("/" in spec or "\\" in spec) else spec


_WOULD = {"dominance win": ("would have won outright", "won outright"), "survived": ("would have survived", "survived"),
          "bankrupt": ("would have gone bankrupt", "went bankrupt"), "acquired": ("would have been bought", "was bought")}


def _verdict(w: WhatIf) -> str:
    """E.g. "the defender archetype would have survived (rank 2, score 41.0); the team was bought (rank 5, ...)"."""
    best, actual = w.best, w.actual
    return (f"the {best.who} archetype {_WOULD[best.outcome][0]} (rank {best.rank}, score {best.score:,.1f}); "
            f"the team {_WOULD[actual.outcome][1]} (rank {actual.rank}, score {actual.score:,.1f})")


def team_markdown(manifest: ClassManifest, result: TeamResult, chart_titles: dict[str, str], link_ext: str) -> str:
    """A team's debrief (the session's ``Debrief.to_markdown``) with the charts and the what-if."""
    d = result.debrief
    base = d.to_markdown()
    who = f"Played by the bot `{result.entry.bot}` (class autoplay)." if result.entry.bot else ""
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
                  "before. The best of them:", "",
                  f"**{_verdict(w)[0].upper()}{_verdict(w)[1:]}.**", "",
                  "| From the worst quarter on | Outcome | Rank | Score | Valuation | GPUs online | Cash |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for line in [w.actual] + w.lines:
            name = "your orders" if line.who == "actual" else line.who + (" (best)" if line is w.best else "")
            extra.append(f"| {name} | {line.outcome} | {line.rank} | {line.score:,.1f} | {money(line.valuation)} "
                         f"| {count(line.gpus)} | {money(line.cash)} |")
        extra += ["", f"![What if](charts/{result.slug}-whatif.svg)", ""]
    head, sep, tail = base.partition("## Timeline")
    body = head + "\n".join(extra) + "\n" + sep + tail if sep else base + "\n" + "\n".join(extra)
    intro = f"Class {manifest.name}: {result.place} of {len(manifest.teams)} on the class leaderboard. {who}".strip()
    first, _, rest = body.partition("\n")
    back = f"[Back to the class report](../class{link_ext})"
    return f"{first}\n\n{_cell(intro)}\n{rest}\n{back}\n"


def _horizon(result: TeamResult, w: WhatIf) -> str:
    end = result.game.world.label(w.horizon - 1)
    return f"the end of the campaign ({end})" if w.horizon >= result.game.world.scenario.quarters else end


# --- HTML --------------------------------------------------------------------------------
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0;
background:#fafafa;color:#1b1b1b;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 3rem;background:#fff}
nav{max-width:1100px;margin:0 auto;padding:.6rem 1.5rem;background:#1b2a3a;color:#fff;font-size:.9rem}
nav a{color:#cfe3ff}
h1{font-size:1.6rem;margin:.8rem 0 .4rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top}th{background:#f0f3f7;text-align:left}
tr:nth-child(even) td{background:#fafbfc}
figure.chart{margin:1rem 0;padding:0}figure.chart svg{width:100%;max-width:960px;height:auto;display:block}
td:first-child{white-space:nowrap}
code{background:#f0f0f0;padding:0 .2rem;border-radius:3px}
footer{max-width:1100px;margin:0 auto;padding:.5rem 1.5rem;color:#777;font-size:.8rem}
"""
_IMG = re.compile(r'<p><img src="([^"]+\.svg)" alt="([^"]*)" ?/?></p>')


def html_page(title: str, markdown: str, svgs: dict[str, str], nav: str) -> str:
    """A self-contained page: the Markdown rendered (raw HTML off), its SVG images inlined."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)

    def inline(match: re.Match) -> str:
        svg = svgs.get(match.group(1))
        if svg is None:
            return match.group(0)
        return f'<figure class="chart" role="img" aria-label="{match.group(2)}">{svg}</figure>'

    body = _IMG.sub(inline, body)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<nav>{nav}</nav>\n"
            f"<main>\n{body}</main>\n<footer>Made by <code>blitzgame class report</code>.</footer>\n</body>\n</html>\n")


# --- the whole report ----------------------------------------------------------------------
def build_report(folder: str | Path, out: str | Path | None = None, whatifs: bool = True) -> ClassReport:
    """Write the class report of ``folder`` to ``out`` (default ``folder/report``); see the module docstring."""
    folder = Path(folder)
    manifest, teams = read_class(folder, whatifs)
    out = folder / "report" if out is None else Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: exists and is not a folder")
    (out / "charts").mkdir(parents=True, exist_ok=True)
    (out / "teams" / "charts").mkdir(parents=True, exist_ok=True)
    charts = Charts()
    written: list[Path] = []

    def write(path: Path, text: str) -> Path:
        write_atomic(path, text)
        written.append(path)
        return path

    # the class
    made = class_charts(charts, teams)
    svg_files = {}
    for key, (_, svg) in made.items():
        write(out / "charts" / f"{key}.svg", svg)
        svg_files[f"charts/{key}.svg"] = svg
    titles = {key: title for key, (title, _) in made.items()}
    rows = csv_rows(teams)
    csv_path = write(out / "results.csv", csv_text(rows))
    md_path = write(out / "class.md", class_markdown(manifest, teams, titles, ".md"))
    nav = f"Blitzgame class report &middot; {escape(manifest.name)}"
    index = write(out / "index.html", html_page(f"Class report: {manifest.name}",
                                                class_markdown(manifest, teams, titles, ".html"), svg_files, nav))
    # the teams
    pages, markdowns = {}, {}
    for t in teams:
        if t.broken:
            continue
        made = team_charts(charts, t)
        svgs = {}
        for key, (_, svg) in made.items():
            write(out / "teams" / "charts" / f"{t.slug}-{key}.svg", svg)
            svgs[f"charts/{t.slug}-{key}.svg"] = svg
        titles = {key: title for key, (title, _) in made.items()}
        markdowns[t.entry.name] = write(out / "teams" / f"{t.slug}.md", team_markdown(manifest, t, titles, ".md"))
        team_nav = f'<a href="../index.html">&larr; {escape(manifest.name)}</a> &middot; {escape(t.entry.name)}'
        pages[t.entry.name] = write(out / "teams" / f"{t.slug}.html",
                                    html_page(f"Debrief: {t.entry.name}", team_markdown(manifest, t, titles, ".html"),
                                              svgs, team_nav))
    chart_paths = [p for p in written if p.suffix == ".svg"]
    return ClassReport(out, index, md_path, csv_path, pages, markdowns, chart_paths, teams, len(rows))


__all__ = ["CSV_COLUMNS", "ClassReport", "TeamResult", "build_report", "class_markdown", "csv_rows", "csv_text",
           "leaderboard_rows", "read_class", "team_markdown"]
