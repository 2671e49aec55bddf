"""``results.csv``: a row for each quarter a team played (quarter_index 1..n; no row for the
start), with the state at the end of that quarter. Its numbers are the saves' own (floats
written with Python's shortest exact repr), so a spreadsheet sees what the game had. Money
(cash, revenue, valuation) is in $M, share a fraction of the AI revenue pool, runway in
quarters (99: cash-flow positive), score in points ($100M each); ``stranded`` counts GPUs idle
for lack of power (M5, as the lessons count them), ``heat_dark`` those a heatwave took dark (M11).
"""

import csv
import io

from blitzgame.classroom.report.teams import TeamResult
from blitzgame.session.standings import standings

CSV_COLUMNS = ("team", "lab", "bot", "quarter_index", "quarter", "status", "cash", "runway", "gpus_online", "gpus_owned",
               "stranded", "heat_dark", "share", "revenue", "valuation", "score", "rank", "stage", "sentiment", "revenue_gap",
               "death_zone", "music_stopped")


def csv_rows(teams: list[TeamResult]) -> list[dict]:
    """A row per team per quarter played, in manifest order then quarter order."""
    rows = []
    for result in sorted(teams, key=lambda t: t.index):
        if result.broken:
            continue
        game, lab = result.game, result.lab
        series = result.debrief.series.lab(lab)
        for k in range(1, len(game.history)):
            then = standings(game, k)
            me, who = then.labs[lab], result.player(k - 1)
            rows.append({
                "team": result.entry.name, "lab": game.names[lab], "bot": "" if who == "team" else who,
                "quarter_index": k, "quarter": game.reports[k - 1].label,
                "status": me.status, "cash": _f(me.cash), "runway": _f(series.runway[k]),
                "gpus_online": _f(me.gpus), "gpus_owned": _f(me.gpus_owned), "stranded": _f(series.stranded[k]),
                "heat_dark": _f(series.heat_dark[k]),
                "share": _f(me.share), "revenue": _f(me.revenue), "valuation": _f(me.valuation),
                "score": _f(me.score), "rank": me.rank, "stage": me.stage_name,
                "sentiment": _f(then.sentiment), "revenue_gap": _f(then.revenue_gap),
                "death_zone": int(me.in_death_zone), "music_stopped": int(then.music_stopped is not None),
            })
    return rows


def _f(value) -> float:
    return float(value) + 0.0  # -0.0 becomes 0.0 (full precision: the spreadsheet's figures are the game's, exactly)


def csv_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in row.items()})
    return buffer.getvalue()


__all__ = ["CSV_COLUMNS", "csv_rows", "csv_text"]
