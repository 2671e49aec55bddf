"""``results.csv``: a row for each quarter a team played (quarter_index 1..n; no row for the
start), with the state at the end of that quarter, and in a shared class the same for each
lab a bot plays in a seat no team took (``team`` empty, ``bot`` the bot). Figures are the
saves', rounded for a spreadsheet (``DECIMALS``): counts of GPUs to whole GPUs (never below
0), money (cash, revenue, valuation) to $0.1M, share (a fraction of the customers, 0..1) to 4
decimals, runway (quarters; 99: cash-flow positive) to 0.1 of a quarter, score (points, $100M
each) to 0.01, sentiment to 0.001, revenue gap to 0.01; ``stranded`` counts GPUs idle for lack
of power (M5, as the lessons count them), ``heat_dark`` those a heatwave took dark (M11).
"""

import csv
import io

from blitzgame.classroom.report.teams import BotLab, TeamResult
from blitzgame.session.series import LabSeries
from blitzgame.session.standings import standings

CSV_COLUMNS = ("team", "lab", "bot", "quarter_index", "quarter", "status", "cash", "runway", "gpus_online", "gpus_owned",
               "stranded", "heat_dark", "share", "revenue", "valuation", "score", "rank", "stage", "sentiment", "revenue_gap",
               "death_zone", "music_stopped")
# decimals each figure is written to (0: a whole count of GPUs)
DECIMALS = {"cash": 1, "runway": 1, "gpus_online": 0, "gpus_owned": 0, "stranded": 0, "heat_dark": 0, "share": 4,
            "revenue": 1, "valuation": 1, "score": 2, "sentiment": 3, "revenue_gap": 2}


def csv_rows(teams: list[TeamResult], bots: list[BotLab] = ()) -> list[dict]:
    """A row per team per quarter played, in manifest order then quarter order; then a shared
    class's bot labs (``bots``) the same way."""
    rows = []
    for result in sorted(teams, key=lambda t: t.index):
        if not result.broken:
            rows += _lab_rows(result.game, result.lab, result.debrief.series.lab(result.lab), result.entry.name,
                              lambda q, who=result.player: "" if who(q) == "team" else who(q))
    world = next((t.game for t in teams if t.shared and not t.broken), None)  # the one game of a shared class
    for bot in bots:
        rows += _lab_rows(world, bot.lab, bot.series, "", lambda q, spec=bot.bot: spec)
    return rows


def _lab_rows(game, lab: int, series: LabSeries, team: str, bot) -> list[dict]:
    """The rows of lab ``lab`` of ``game`` (its ``series``), one per quarter played; ``bot(q)``:
    the bot that played quarter ``q``, "" where the team gave its own orders."""
    rows = []
    for k in range(1, len(game.history)):
        then = standings(game, k)
        me = then.labs[lab]
        rows.append(_rounded({
            "team": team, "lab": game.names[lab], "bot": bot(k - 1),
            "quarter_index": k, "quarter": game.reports[k - 1].label,
            "status": me.status, "cash": me.cash, "runway": series.runway[k],
            "gpus_online": me.gpus, "gpus_owned": me.gpus_owned, "stranded": series.stranded[k],
            "heat_dark": series.heat_dark[k],
            "share": me.share, "revenue": me.revenue, "valuation": me.valuation,
            "score": me.score, "rank": me.rank, "stage": me.stage_name,
            "sentiment": then.sentiment, "revenue_gap": then.revenue_gap,
            "death_zone": int(me.in_death_zone), "music_stopped": int(then.music_stopped is not None),
        }))
    return rows


def _rounded(row: dict) -> dict:
    """``row`` with its figures rounded as ``DECIMALS`` says: counts as whole numbers never below
    0 (floating-point noise is not a GPU), the rest to their decimals (and never -0.0)."""
    out = dict(row)
    for name, places in DECIMALS.items():
        value = float(row[name])
        out[name] = max(0, round(value)) if places == 0 else round(value, places) + 0.0
    return out


def csv_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in row.items()})
    return buffer.getvalue()


__all__ = ["CSV_COLUMNS", "DECIMALS", "csv_rows", "csv_text"]
