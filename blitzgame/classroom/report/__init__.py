"""``blitzgame class report``: the class debrief.

Read from the teams' saves (each replayed and checked; ``teams``), written to ``OUT``
(default ``DIR/report``)::

    index.html            the class: leaderboard, comparison charts, mechanics by team, links
    class.md              the same in Markdown (for a course site), charts from charts/
    charts/*.svg          the class's charts
    results.csv           a row per team per quarter played, and per bot's lab in a shared class (see ``data``)
    teams/<slug>.html     a team's debrief: outcome, charts, what-if, timeline, lessons, figures
    teams/<slug>.md       the same in Markdown, charts from teams/charts/
    teams/charts/*.svg
    .blitzgame-report     the files this report wrote (a report written again into the folder
                          removes those of the last one it no longer writes: a team gone or renamed)

A team's debrief is the session's ``Debrief`` (its ``to_markdown``) with the charts
(``charts``) and the what-if (``classroom.whatif``) added (``markdown``); each HTML page is
its Markdown rendered, self-contained (``html``).
"""

from html import escape
from pathlib import Path

from blitzgame.classroom.report.charts import Charts, class_charts, lab_colours, team_charts
from blitzgame.classroom.report.data import CSV_COLUMNS, csv_rows, csv_text
from blitzgame.classroom.report.html import html_page
from blitzgame.classroom.report.markdown import LEADERBOARD_HEADERS, class_markdown, leaderboard_rows, team_markdown
from blitzgame.classroom.report.teams import ClassReport, TeamResult, bot_labs, read_class
from blitzgame.files import write_atomic


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
    bots = bot_labs(teams)  # a shared class's labs no team plays: the class sees every lab of its world
    made = class_charts(charts, teams, bots)
    colours = lab_colours(teams, bots)  # a shared class's team pages draw every lab in its class colour
    svg_files = {}
    for key, (_, svg) in made.items():
        write(out / "charts" / f"{key}.svg", svg)
        svg_files[f"charts/{key}.svg"] = svg
    titles = {key: title for key, (title, _) in made.items()}
    rows = csv_rows(teams, bots)
    csv_path = write(out / "results.csv", csv_text(rows))
    md_path = write(out / "class.md", class_markdown(manifest, teams, titles, ".md", bots))
    nav = f"Blitzgame class report &middot; {escape(manifest.name)}"
    index = write(out / "index.html", html_page(f"Class report: {manifest.name}",
                                                class_markdown(manifest, teams, titles, ".html", bots), svg_files, nav))
    # the teams
    pages, markdowns = {}, {}
    for t in teams:
        if t.broken:
            continue
        made = team_charts(charts, t, colours if t.shared else None)
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
    removed = _replace_listing(out, written)
    return ClassReport(out, index, md_path, csv_path, pages, markdowns, chart_paths, teams, len(rows), bots, removed)


LISTING = ".blitzgame-report"


def _replace_listing(out: Path, written: list[Path]) -> list[Path]:
    """Remove what the last report in ``out`` wrote and this one did not (the pages of a team
    since gone or renamed, which the index no longer links but a reader could still open as
    current), then list this report's files. Only files a report listed are ever removed:
    anything else in the folder is the teacher's."""
    listing = out / LISTING
    now = {path.relative_to(out).as_posix() for path in written}
    try:
        before = listing.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, UnicodeDecodeError):
        before = []
    removed = []
    for name in before:
        path = out / name
        if name not in now and ".." not in Path(name).parts and path.suffix in (".html", ".md", ".svg", ".csv") \
                and path.is_file():
            path.unlink()
            removed.append(path)
    write_atomic(listing, "".join(f"{name}\n" for name in sorted(now)))
    return removed


__all__ = ["CSV_COLUMNS", "LEADERBOARD_HEADERS", "ClassReport", "TeamResult", "build_report", "class_markdown",
           "csv_rows", "csv_text", "leaderboard_rows", "read_class", "team_markdown"]
