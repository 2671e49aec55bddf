"""The report's charts: matplotlib figures as SVG text, the class's and each team's.

matplotlib is imported inside the functions only: `blitzgame` starts without it.
"""

import io
import math
import re

from blitzgame.classroom.report.teams import BotLab, TeamResult

TEAM_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                "#7f7f7f")
RIVAL_COLOURS = ("#8da0cb", "#fc8d62", "#66c2a5", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494")


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
                # on a log scale nothing is drawn for zero: a lab's line stops where it left the race (or
                # starts where it first ran GPUs) instead of plunging to 10^0
                ys = [v if v > 0 else math.nan for v in values] if log else values
                ax.plot(range(len(ys)), ys, color=colour, linewidth=width, label=name, zorder=2 + width,
                        marker="o" if len(ys) == 1 else None, markersize=3)  # thicker lines on top
            if log:
                ax.set_yscale("log")
            if percent:
                from matplotlib.ticker import FuncFormatter, MaxNLocator

                ax.yaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))  # 5%, 10%... or 2%, 4%..., not 2.5% apart
                # every tick as it is (0.5%, 5%, 15%): never two ticks rounded to one label, nor "5.0%"
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{round(v * 100, 6):g}%".replace("-", "−")))
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


# a team named for a colour ("Red", "Team Blue") is drawn in it: the palette's own where it has one
NAMED_COLOURS = {"blue": "#1f77b4", "red": "#d62728", "green": "#2ca02c", "orange": "#ff7f0e", "purple": "#9467bd",
                 "violet": "#9467bd", "brown": "#8c564b", "pink": "#e377c2", "cyan": "#17becf", "teal": "#17becf",
                 "olive": "#bcbd22", "grey": "#7f7f7f", "gray": "#7f7f7f", "gold": "#d4a017", "yellow": "#d4a017",
                 "black": "#222222", "silver": "#a0a0a0", "navy": "#1f3b73", "crimson": "#a50f15"}


def named_colour(name: str) -> str | None:
    """The colour a team's name names, if it names one (its first colour word)."""
    return next((NAMED_COLOURS[word] for word in re.findall(r"[a-z]+", name.lower()) if word in NAMED_COLOURS), None)


def lab_colours(teams: list[TeamResult], bots: list[BotLab] = ()) -> dict[str, str]:
    """Each team's colour (and a shared class's bot labs'), by lab name: the class's charts and
    each team's draw a lab in the same colour. A team named for a colour gets that colour (unless
    a team before it took it); the others take the palette's colours no team has, in turn."""
    playing = [t for t in sorted(teams, key=lambda t: t.index) if not t.broken]
    colours: dict[str, str] = {}
    for t in playing:
        named = named_colour(t.entry.name)
        if named is not None and named not in colours.values():
            colours[t.entry.name] = named
    free = [c for c in TEAM_COLOURS if c not in colours.values()] or list(TEAM_COLOURS)
    unnamed = [t for t in playing if t.entry.name not in colours]
    colours |= {t.entry.name: free[k % len(free)] for k, t in enumerate(unnamed)}
    colours = {t.entry.name: colours[t.entry.name] for t in playing}  # (in the teams' order)
    return colours | {b.name: RIVAL_COLOURS[k % len(RIVAL_COLOURS)] for k, b in enumerate(bots)}


def class_charts(charts: Charts, teams: list[TeamResult], bots: list[BotLab] = ()) -> dict[str, tuple[str, str]]:
    """The comparison charts: name -> (title, SVG); ``bots``, a shared class's labs that bots
    play, are drawn too, in thin lines."""
    playing = [t for t in sorted(teams, key=lambda t: t.index) if not t.broken]
    labels = _calendar(teams)
    colour = lab_colours(teams, bots)
    music = {}
    for t in playing:
        point = t.debrief.series.music_point
        if point is not None:
            music.setdefault(point, "music stops")
    by = "by lab (teams and bots)" if bots else "by team"
    figures = {
        "gpus": (f"GPUs online, {by}", "GPUs online (log scale)", lambda s: s.gpus, True, False),
        "cash": (f"Cash, {by}", "$M", lambda s: s.cash, False, False),
        "share": (f"Market share, {by}", "share of AI customers", lambda s: s.share, False, True),
        "score": (f"Score, {by}", "score (founders' value created, $100M)", lambda s: s.score, False, False),
    }
    out = {}
    for key, (title, ylabel, values, log, percent) in figures.items():
        series = [(t.entry.name, values(t.debrief.series.lab(t.lab)), colour[t.entry.name], 2.0) for t in playing]
        series += [(b.label, values(b.series), colour[b.name], 1.2) for b in bots]
        out[key] = (title, charts.lines(title, labels, series, ylabel, log=log, percent=percent, marks=music))
    return out


def team_charts(charts: Charts, result: TeamResult, colours: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """A team's charts: its race, shares, cash, and the what-if. ``colours``: the class's colour of
    each lab by name (``lab_colours``; a shared class's other teams and bots), the rest in turn."""
    series = result.debrief.series
    game, lab = result.game, result.lab
    labels = series.labels
    marks = {series.music_point: "music stops"} if series.music_point is not None else {}

    def everyone(values) -> list:
        lines, rival = [], 0
        for k, name in enumerate(game.names):
            if k == lab:
                continue
            if colours and name in colours:
                lines.append((name, values(k), colours[name], 1.2))
                continue
            lines.append((name, values(k), RIVAL_COLOURS[rival % len(RIVAL_COLOURS)], 1.2))
            rival += 1
        return [(f"{game.names[lab]} (you)", values(lab), "#111111", 2.6)] + lines

    out = {
        "race": ("The GPU race", charts.lines("The GPU race: GPUs online", labels,
                                              everyone(lambda k: series.lab(k).gpus), "GPUs online (log scale)",
                                              log=True, marks=marks)),
        "share": ("Market share", charts.lines("Market share", labels, everyone(lambda k: series.lab(k).share),
                                               "share of AI customers", percent=True, marks=marks)),
        "cash": ("Cash", charts.lines(f"Cash of {game.names[lab]}", labels,
                                      [(game.names[lab], series.lab(lab).cash, "#111111", 2.4)], "$M", marks=marks)),
    }
    w = result.whatif
    if w is not None:
        lines = [(result.as_played, w.actual.scores, "#111111", 2.6),
                 (f"{w.best.who} (best)", w.best.scores, "#d62728", 2.2)]
        lines += [(line.who, line.scores, RIVAL_COLOURS[k % len(RIVAL_COLOURS)], 1.0) for k, line in enumerate(w.lines[1:])]
        out["whatif"] = ("What if", charts.lines(f"What if: from {w.label}, the game as played vs each archetype's",
                                                  w.labels, lines, "score"))
    return out


__all__ = ["NAMED_COLOURS", "RIVAL_COLOURS", "TEAM_COLOURS", "Charts", "class_charts", "lab_colours", "named_colour",
           "team_charts"]
