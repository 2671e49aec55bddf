"""``class report``: the CSV's rows and numbers are the saves', the HTML is self-contained with its
charts inline, every team's debrief has its what-if, and Chromium draws the charts."""

import csv
import io
import re

import pytest
from class_helpers import BOTS, QUARTERS, run

from blitzgame.classroom.manifest import load_manifest
from blitzgame.classroom.report import CSV_COLUMNS, build_report
from blitzgame.classroom.report.data import DECIMALS
from blitzgame.classroom.shared import new_shared_class
from blitzgame.classroom.whatif import worst_quarter
from blitzgame.engine import layout as F
from blitzgame.session.campaign import ARCHETYPES
from blitzgame.session.saves import load_game


def rows_of(report) -> list[dict]:
    return list(csv.DictReader(io.StringIO(report.csv.read_text())))


def test_the_csv_has_a_row_per_team_per_quarter_played(played_class, class_report):
    rows = rows_of(class_report)
    manifest = load_manifest(played_class)
    played = {t.name: load_game(played_class / t.save).game.quarter for t in manifest.teams}
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == sum(played.values()) == class_report.rows
    assert all(1 <= n <= QUARTERS for n in played.values())
    for team in manifest.teams:
        mine = [r for r in rows if r["team"] == team.name]
        assert [int(r["quarter_index"]) for r in mine] == list(range(1, played[team.name] + 1))
        assert mine[0]["quarter"] == "2024Q1" and {r["bot"] for r in mine} == {team.last_bot}


def test_the_csv_numbers_are_the_saves_numbers(played_class, class_report):
    """Each figure is the save's, rounded as ``DECIMALS`` says (and documented)."""
    rows = rows_of(class_report)

    def same(cell: str, value: float, name: str) -> bool:
        return float(cell) == pytest.approx(value, abs=0.5 * 10 ** -DECIMALS[name] + 1e-9)

    for team in load_manifest(played_class).teams:
        game, bots = load_game(played_class / team.save)
        lab = bots.index(None)
        mine = [r for r in rows if r["team"] == team.name]
        for r in (mine[-1], mine[len(mine) // 2]):  # the final quarter, and one on the way
            snap = game.history[int(r["quarter_index"])]
            row, world = snap.labs[lab], snap.world
            assert same(r["cash"], row[F.CASH], "cash") and same(r["gpus_online"], row[F.ONLINE], "gpus_online")
            assert same(r["gpus_owned"], row[F.GPUS], "gpus_owned") and same(r["share"], row[F.SHARE], "share")
            assert same(r["valuation"], row[F.VALUATION], "valuation") and same(r["score"], row[F.SCORE], "score")
            assert int(r["rank"]) == row[F.RANK] and r["status"] == F.STATUS_NAMES[float(row[F.STATUS])]
            assert same(r["sentiment"], world[F.SENTIMENT], "sentiment")
            assert same(r["revenue_gap"], world[F.REVENUE_GAP], "revenue_gap")
            assert r["music_stopped"] == str(int(world[F.MUSIC_STOPPED] > 0))
        assert same(mine[-1]["cash"], game.state_labs[lab, F.CASH], "cash")


def test_the_csv_figures_are_rounded_for_a_spreadsheet(class_report):
    """Counts are whole and never negative (floating-point noise is no GPU), money is to $0.1M,
    shares to 4 decimals: no 6299.999999999999, -9.09e-13 or 0.11190566762461658."""
    rows = rows_of(class_report)
    counts = [name for name, places in DECIMALS.items() if places == 0]
    assert set(counts) == {"gpus_online", "gpus_owned", "stranded", "heat_dark"}
    assert (DECIMALS["cash"], DECIMALS["revenue"], DECIMALS["valuation"], DECIMALS["share"]) == (1, 1, 1, 4)
    for r in rows:
        for name in counts:
            assert re.fullmatch(r"\d+", r[name]), (name, r[name])
        for name, places in DECIMALS.items():
            assert "e" not in r[name].lower() and float(r[name]) != 0 or r[name] in ("0", "0.0"), (name, r[name])
            decimals = r[name].partition(".")[2]
            assert len(decimals) <= places or places == 0, (name, r[name])


def test_the_leaderboard_is_the_saves_and_best_first(played_class, class_report, capsys):
    teams = class_report.teams
    assert [t.place for t in teams] == list(range(1, 7))
    for t in teams:
        game, _ = load_game(played_class / t.entry.save)
        assert t.debrief.score == game.state_labs[0, F.SCORE] and t.debrief.rank == game.state_labs[0, F.RANK]
    alive = [t.game.state_labs[0, F.STATUS] == F.ALIVE for t in teams]
    assert alive == sorted(alive, reverse=True)  # labs still in the race first
    scores = [t.debrief.score for t, a in zip(teams, alive) if a]
    assert scores == sorted(scores, reverse=True)
    index = class_report.index.read_text()
    for t in teams:
        assert f'href="teams/{t.slug}.html"' in index and f"{t.debrief.score:,.1f}" in index


def test_the_leaderboard_says_when_no_team_or_only_one_created_value(class_report):
    """A score below 0 means the founders own less than at the start: when every team but one, or
    every team, is there, the report says so under the leaderboard (the class's base-2024 games:
    only the defender's team ends above 0)."""
    text = class_report.markdown.read_text()
    gained = [t.entry.name for t in class_report.teams if t.debrief.score > 0.0]
    assert len(gained) == 1, "the fixture's class is the case this test reads"
    assert (f"Only {gained[0]} created value for its founders; every other team's founders own less than at the "
            "start (a score below 0).") in text
    assert "No team created value" not in text


def test_the_death_zone_question_fits_teams_that_started_in_it(class_report, tmp_path, capsys):
    """Teams that start below the zone are asked who crossed it fastest; where every team starts in
    it and leaves within two quarters (a classroom world's challengers), what crossing cost."""
    assert "- Which team crossed the death zone (1,000-9,999 GPUs online) fastest" in class_report.markdown.read_text()
    from blitzgame.classroom.autoplay import autoplay
    from blitzgame.session.rivals import draw_rivals

    scripts = ",".join(draw_rivals(5, 0))  # archetype rivals (the world's own are strategists)
    assert run(capsys, "class", "new", tmp_path / "c", "--teams", "2", "--scenario", "classroom-grid-and-borders",
               "--rivals", scripts)[0] == 0
    autoplay(tmp_path / "c", ["sprinter", "efficient"])
    report = build_report(tmp_path / "c")
    text = report.markdown.read_text()
    spent = [t.debrief.lesson("death_zone").value for t in report.teams]
    assert 1 <= max(spent) <= 2
    assert (f"- Every team started in the death zone (1,000-9,999 GPUs online) and left it within {max(spent):.0f} "
            "quarter") in text
    assert "fastest" not in text


def test_the_power_question_fits_what_the_teams_met(tmp_path, capsys):
    """Where a team's GPUs sat idle for want of power the discussion asks where and why; where no
    team's ever did (classroom-famine-crash starts with power to spare), how they kept ahead of it."""
    from blitzgame.classroom.autoplay import autoplay

    asks = {}
    for scenario in ("classroom-famine-crash", "classroom-grid-and-borders"):
        folder = tmp_path / scenario
        assert run(capsys, "class", "new", folder, "--teams", "2", "--scenario", scenario, "--rivals", "defender")[0] == 0
        autoplay(folder, ["sprinter", "efficient"])
        report = build_report(folder)
        idle = [t.debrief.lesson("stranded").value for t in report.teams]
        question = next(line for line in report.markdown.read_text().splitlines() if line.endswith("(M5)"))
        asks[scenario] = (max(idle) > 0, question)
    assert asks["classroom-grid-and-borders"] == (True, "- Where did GPUs sit idle for lack of power, and why? (M5)")
    assert asks["classroom-famine-crash"] == (False, "- No team's GPUs sat idle for lack of power: how did each team "
                                                     "keep its power ahead of its GPUs, and what did building it cost? (M5)")


def test_the_html_is_self_contained_with_inline_svg_charts(class_report):
    index = class_report.index.read_text()
    assert index.startswith("<!DOCTYPE html>") and index.count("<svg") == 4
    for title in ("GPUs online, by team", "Cash, by team", "Market share, by team", "Score, by team"):
        assert f'aria-label="{title}"' in index
    pages = [class_report.index, *class_report.team_pages.values()]
    assert len(class_report.team_pages) == 6
    for page in pages:
        text = page.read_text()
        assert "<script" not in text and "<link" not in text and "@import" not in text and "<img" not in text
        assert not re.search(r'(src|href)="(https?:)?//', text), page  # nothing fetched from anywhere
        assert "<?xml" not in text and "<!DOCTYPE svg" not in text
    for name, page in class_report.team_pages.items():
        text = page.read_text()
        assert text.count("<svg") == 4 and f"Debrief: {name}" in text and "What if" in text
        assert 'href="../index.html"' in text


def test_the_markdown_points_at_svgs_beside_it(class_report):
    out = class_report.out
    for md in [class_report.markdown, *class_report.team_markdown.values()]:
        images = re.findall(r"!\[[^]]*\]\(([^)]+\.svg)\)", md.read_text())
        assert images, md
        for image in images:
            svg = (md.parent / image).read_text()
            assert svg.startswith("<svg") and "</svg>" in svg
    assert (out / "charts" / "gpus.svg").exists() and len(class_report.charts) == 4 + 4 * 6
    assert "teams/team-1.md" in class_report.markdown.read_text()


def test_each_team_debrief_has_a_what_if_from_its_worst_quarter(played_class, class_report):
    bots = BOTS.split(",")
    for t in class_report.teams:
        w = t.whatif
        assert w is not None and 0 <= w.quarter < t.game.quarter
        assert (w.quarter, w.reason) == worst_quarter(t.game, t.lab)
        # the team was played by an archetype: the what-if does not compare it with itself
        assert t.entry.last_bot == bots[t.index]
        assert sorted(line.who for line in w.lines) == sorted(a for a in ARCHETYPES if a != bots[t.index])
        assert w.actual.score == t.debrief.score
        md = class_report.team_markdown[t.entry.name].read_text()
        assert f"**The worst quarter: {w.label}.**" in md
        assert f"**The {w.best.who} archetype would have" in md if w.improved else (
            f"**No archetype did better: the best of them, the {w.best.who} archetype, would have" in md)
        assert w.best.scores[0] == w.actual.scores[0]  # every line starts from the same rewound state
        if t.game.quarter > 2 and t.game.alive(t.lab):  # a long enough campaign: at least two quarters replayed
            assert w.horizon - w.quarter >= 2


def test_the_report_command_prints_the_leaderboard_and_is_repeatable(copy_of_played, capsys, tmp_path):
    code, out, err = run(capsys, "class", "report", copy_of_played, "--no-whatif")
    assert code == 0, err
    assert out.splitlines()[0].split()[:3] == ["#", "Team", "Outcome"] and "results.csv" in out
    first = {p.relative_to(copy_of_played): p.read_bytes() for p in (copy_of_played / "report").rglob("*") if p.is_file()}
    code, _, err = run(capsys, "class", "report", copy_of_played, "--no-whatif", "--out", tmp_path / "again")
    assert code == 0, err
    again = {p.relative_to(tmp_path / "again"): p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert {str(p).removeprefix("report/") for p in first} == {str(p) for p in again}
    assert all(first[p] == again[p.relative_to("report")] for p in first)  # the same saves, the same bytes


def test_a_broken_save_is_reported_not_fatal(copy_of_played, capsys):
    (copy_of_played / "teams" / "team-3.json").write_text("{}")
    report = build_report(copy_of_played, whatifs=False)
    assert len(report.team_pages) == 5 and "Team 3" not in report.team_pages
    assert "Saves that could not be read" in report.markdown.read_text()
    assert {r["team"] for r in rows_of(report)} == {f"Team {k}" for k in (1, 2, 4, 5, 6)}


def test_a_class_not_yet_played_has_a_report(tmp_path, capsys):
    run(capsys, "class", "new", tmp_path / "c", "--teams", "2", "--quarters", "4")
    report = build_report(tmp_path / "c")
    assert report.rows == 0 and len(report.team_pages) == 2
    assert "No quarter played yet" in next(iter(report.team_markdown.values())).read_text()
    text = report.markdown.read_text()  # and claims nothing that has not happened
    assert "created value" not in text and "left it within" not in text
    assert "| Team 1 | not started | - | 0.0 |" in text.replace(" [Team 1](teams/team-1.md) ", " Team 1 ")
    assert "| Team 1 | - | - | - | - | - | - | - | - | - |" in text


def test_a_world_where_the_music_never_stops_says_so_and_asks_what_fits(tmp_path, capsys):
    """classroom-grid-and-borders neither schedules a crash nor leaves one to chance."""
    from blitzgame.classroom.autoplay import autoplay

    assert run(capsys, "class", "new", tmp_path / "c", "--teams", "2", "--scenario", "classroom-grid-and-borders")[0] == 0
    autoplay(tmp_path / "c", ["defender", "efficient"])
    text = build_report(tmp_path / "c").markdown.read_text()
    assert ("The music did not stop in any team's game (M8): this scenario leaves it neither to chance nor to "
            "its schedule.") in text
    assert "never for" not in text and "when the music stopped" not in text
    assert "- Who raised while sentiment was high, and what did each team do with the money? (M8)" in text


@pytest.mark.parametrize("cash", [[1000.0, 1200.0, 900.0, 700.0, 400.0, 100.0],
                                  [1000.0, 1200.0, 900.0, 0.0, 0.0, 0.0]],  # living at $0 on fire sales
                         ids=["falling", "flat at zero"])
def test_worst_quarter_of_a_lab_that_ran_out_of_cash_is_the_start_of_its_spiral(cash):
    """Cash never rose from the third quarter on until the lab went under in the sixth."""
    import numpy as np

    from blitzgame.session.game import Snapshot

    history = [Snapshot(np.zeros((2, F.LAB_FIELDS)), np.zeros(F.WORLD_FIELDS)) for _ in range(7)]
    history[0].labs[0, F.CASH] = 800.0
    for k, c in enumerate(cash, 1):
        history[k].labs[0, F.CASH] = c
    history[6].labs[0, F.STATUS] = F.BANKRUPT

    class Record:
        pass

    game = Record()
    game.history = history
    game.names = ["Spiral Labs", "Rival"]
    from blitzgame.session.world import compile_world

    game.world = compile_world("base-2024")
    quarter, reason = worst_quarter(game, 0)
    assert (quarter, reason) == (2, "from 2024Q3 the lab's cash never rose until it ran out in 2025Q2: "
                                    "the start of its fatal spiral")


@pytest.mark.slow
async def test_chromium_draws_the_class_report_with_its_charts(class_report, tmp_path):
    from browser_helpers import chart_pixels

    stats = await chart_pixels(class_report.index, tmp_path)
    assert len(stats) == 4, stats
    for box, inked, colours in stats:
        assert box["width"] > 400 and box["height"] > 150, box
        assert inked > 0.02, (box, inked)  # lines, axes and labels, not a blank box
        assert colours >= 4, (box, colours)  # several teams' colours in each chart


def test_the_worst_quarter_is_where_the_lab_lost_most_ground_in_points():
    """The worst quarter starts the largest fall of the lab's score against its rivals' average,
    in points (meaningful when every score is near 0: never a percentage of a near-zero total);
    "never lost ground" is true whatever the scores stood at."""
    import blitzgame
    from blitzgame.classroom.whatif import PLAY_ON, SHOWN
    from blitzgame.session.standings import standings

    for seed in range(4):
        game = blitzgame.play(bots=["random", "greedy", "sprinter", "baseline"], scenario="classroom-famine-crash",
                              seed=seed, labs=4).game
        points = [standings(game, k) for k in range(len(game.history))]
        played = len(points) - 1
        for lab in range(game.n_labs):
            if not all(p.labs[lab].alive for p in points):
                continue  # a lab that ran out of cash: the start of its spiral (tested above)
            ahead = [p.labs[lab].score - sum(o.score for k, o in enumerate(p.labs) if k != lab) / (game.n_labs - 1)
                     for p in points]
            quarter, reason = worst_quarter(game, lab)
            assert "%" not in reason, reason
            falls = {k: max(ahead[k] - ahead[j] for j in range(k + 1, played + 1)) for k in range(played - PLAY_ON + 1)}
            if "never lost ground" in reason:
                assert quarter == 0 and all(ahead[j] >= ahead[k] - SHOWN for k in range(played)
                                            for j in range(k + 1, played + 1)), (seed, lab, ahead)
            elif "only from" not in reason:
                assert falls[quarter] == max(falls.values()) and falls[quarter] >= SHOWN, (seed, lab, reason)
                assert f"{falls[quarter]:,.1f} points lost against them" in reason
                # (a single quarter is "in 2024Q4", not "from 2024Q4 to 2024Q4")
                assert reason.startswith((f"from {game.world.label(quarter)} to ", f"in {game.world.label(quarter)} "))


def test_a_team_that_stopped_giving_orders_is_replayed_from_before_its_decline(tmp_path, monkeypatch):
    """A team that gave no orders from 2027Q1 on slid for the rest of the campaign: the what-if
    replays that slide, not only the last two quarters."""
    from blitzgame.bots.loader import make_bot
    from blitzgame.session.campaign import Campaign, Human

    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    campaign = Campaign.new([Human("Idle Lab", "challenger", "virginia")], scenario="classroom-famine-crash", seed=2025)
    bot = make_bot("defender")
    while not campaign.game.over:
        campaign.submit(campaign.player, bot.orders_for(campaign.game, campaign.player)
                        if campaign.game.quarter < 12 else {})
        campaign.end_quarter()
    quarter, reason = worst_quarter(campaign.game, campaign.player)
    assert quarter <= 12 and f" to {campaign.game.world.label(15)} the lab lost the most ground" in reason, reason


def test_a_what_if_whose_best_archetype_did_worse_says_no_archetype_did_better():
    from blitzgame.classroom.report.markdown import _verdict
    from blitzgame.classroom.whatif import Line, WhatIf

    def line(who: str, rank: int, score: float) -> Line:
        return Line(who, "alive", rank, score, 0.0, 0.0, 0.0, False, score, [0.0, score])

    worse = WhatIf(2, "2024Q3", "", 16, line("actual", 2, 22.8), [line("efficient", 2, 17.6), line("pure", 5, 3.0)])
    assert not worse.improved
    assert _verdict(worse) == ("no archetype did better: the best of them, the efficient archetype, would have stayed "
                               "in the race (rank 2 in that world, score 17.6); the team stayed in the race (rank 2, "
                               "score 22.8)")
    better = WhatIf(2, "2024Q3", "", 16, line("actual", 4, 3.3), [line("defender", 2, 26.0)])
    assert better.improved and _verdict(better).startswith("the defender archetype would have stayed in the race")


def test_the_share_charts_say_share_of_customers_not_of_revenue(class_report):
    """Share is of the customers; revenue is capped by serving capacity and differs."""
    share_charts = [p for p in class_report.charts if p.stem.endswith("share")]
    assert len(share_charts) == 1 + 6
    for chart in share_charts:
        text = chart.read_text()
        assert "share of AI customers" in text and "revenue" not in text, chart


def test_a_report_written_again_removes_only_its_own_pages_of_teams_gone(tmp_path, capsys):
    run(capsys, "class", "new", tmp_path / "three", "--teams", "3", "--quarters", "4")
    run(capsys, "class", "new", tmp_path / "two", "--teams", "2", "--quarters", "4")
    out = tmp_path / "site"
    build_report(tmp_path / "three", out, whatifs=False)
    assert (out / "teams" / "team-3.html").is_file()
    (out / "teams" / "notes.md").write_text("the teacher's")  # not the report's: never touched
    (out / "charts" / "extra.svg").write_text("<svg/>")
    code, printed, err = run(capsys, "class", "report", tmp_path / "two", "--out", out, "--no-whatif")
    assert code == 0, err
    assert not (out / "teams" / "team-3.html").exists() and not (out / "teams" / "team-3.md").exists()
    assert not list((out / "teams" / "charts").glob("team-3-*.svg"))
    assert (out / "teams" / "notes.md").read_text() == "the teacher's" and (out / "charts" / "extra.svg").is_file()
    assert "Removed" in printed and "an earlier report wrote there for teams not in this one: " in printed
    listed = (out / ".blitzgame-report").read_text().split()
    assert "teams/team-2.html" in listed and "teams/team-3.html" not in listed and "teams/notes.md" not in listed


def test_played_by_counts_each_players_quarters():
    from types import SimpleNamespace

    from blitzgame.classroom.report.teams import TeamResult

    def team(bots: dict, autopilot: dict, played: int = 16) -> str:
        game = SimpleNamespace(quarter=played, world=SimpleNamespace(label=lambda q: f"Q{q}"))
        return TeamResult(None, "", None, 0, game=game, bot_quarters=bots, autopilot_quarters=autopilot).played_by

    later = {q: "sprinter" for q in range(3, 16)}
    assert team(later, {2: "defender"}) == "sprinter 13 of 16 quarters, the team's own orders 2, defender (autopilot) 1"
    assert team({q: "pure" for q in range(4, 16)}, {}) == "team, then pure from Q4"
    assert team({q: "pure" for q in range(16)}, {}) == "pure" and team({}, {}) == "team"


def test_the_what_if_names_who_played_the_lab_from_its_worst_quarter_on():
    """A what-if row called the autopilot's quarters "your orders": it names who gave them."""
    from types import SimpleNamespace

    from blitzgame.classroom.report.teams import TeamResult

    def as_played(bots: dict, autopilot: dict, worst: int) -> str:
        game = SimpleNamespace(quarter=16, world=SimpleNamespace(label=lambda q: f"Q{q}"))
        return TeamResult(None, "", None, 0, game=game, bot_quarters=bots, autopilot_quarters=autopilot,
                          whatif=SimpleNamespace(quarter=worst)).as_played

    autopilot = {q: "defender" for q in range(10, 16)}
    assert as_played({}, autopilot, 12) == "as played: defender (autopilot)"
    assert as_played({}, autopilot, 8) == "as played: your orders and defender (autopilot)"
    assert as_played({}, autopilot, 3) == "as played: your orders and defender (autopilot)"
    assert as_played({}, {}, 3) == "your orders" and as_played({q: "pure" for q in range(16)}, {}, 0) == "as played: pure"


def test_a_report_made_mid_class_says_the_teams_are_at_different_quarters(tmp_path, capsys):
    folder = tmp_path / "mid"
    assert run(capsys, "class", "new", folder, "--teams", "3", "--quarters", "8")[0] == 0
    run(capsys, "class", "autoplay", folder, "--bots", "sprinter", "--quarters", "3", "--team", "Team 1")
    run(capsys, "class", "autoplay", folder, "--bots", "defender", "--quarters", "1", "--team", "Team 2")
    text = build_report(folder, whatifs=False).markdown.read_text()
    assert ("**The teams are at different quarters** (Team 1 3 of 8; Team 2 1 of 8 played): a score compares fairly "
            "only with one at the same quarter") in text  # Team 3 has not started: it is left out
    assert "The music has not stopped yet in any team's game (M8)." in text  # (it read "stopped (M8) not yet for")
    run(capsys, "class", "autoplay", folder, "--bots", "defender", "--quarters", "2", "--team", "Team 2")
    assert "different quarters" not in build_report(folder, whatifs=False).markdown.read_text()


def test_a_shared_class_report_made_before_the_crash_says_it_has_not_come_yet(tmp_path, capsys):
    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=2, rivals=[], quarters=6)
    run(capsys, "class", "autoplay", folder, "--bots", "defender", "--quarters", "2")
    text = build_report(folder, whatifs=False).markdown.read_text()
    assert "The music has not stopped yet in the class's world (M8)." in text and "not yet for" not in text


def test_a_shared_class_draws_each_team_in_one_colour_on_every_page(tmp_path, capsys):
    """Team 2 was red on the class page and blue-grey on a team's own page; and a team named for a
    colour is drawn in it (Blue was drawn red and Red blue)."""
    from blitzgame.classroom.report.charts import NAMED_COLOURS, lab_colours, named_colour

    folder = tmp_path / "shared"
    new_shared_class(folder, team_names=["Red", "Blue", "Green"], scenario="base-2024", seed=2, rivals=["pure"],
                     quarters=6)
    run(capsys, "class", "autoplay", folder, "--bots", "defender", "--quarters", "2")
    out = build_report(folder, whatifs=False).out
    blue, green = NAMED_COLOURS["blue"], NAMED_COLOURS["green"]
    assert blue in (out / "charts" / "gpus.svg").read_text()
    race = (out / "teams" / "charts" / "red-race.svg").read_text()
    assert blue in race and green in race  # the other teams, in their class colours
    assert named_colour("Team Gold") == NAMED_COLOURS["gold"] and named_colour("Hawks") is None
    from types import SimpleNamespace

    teams = [SimpleNamespace(index=k, broken=False, entry=SimpleNamespace(name=name))
             for k, name in enumerate(["Hawks", "Blue", "Navy Blue", "Red"])]
    colours = lab_colours(teams)
    assert colours["Blue"] == blue and colours["Red"] == NAMED_COLOURS["red"] and colours["Navy Blue"] == NAMED_COLOURS["navy"]
    assert len(set(colours.values())) == 4  # Hawks takes a colour no team named


def test_a_team_yet_to_play_places_after_every_team_that_played_even_below_zero(monkeypatch):
    """A not-started lab's score of 0 says nothing: it would stand above a team whose score went negative."""
    from types import SimpleNamespace

    from blitzgame.classroom.report import teams as T

    def team(name: str, quarter: int, order: float, broken: bool = False):
        game = None if broken else SimpleNamespace(quarter=quarter, order=order)
        return T.TeamResult(SimpleNamespace(name=name), "", None, 0, game=game)

    monkeypatch.setattr(T, "standings", lambda game: SimpleNamespace(labs=[SimpleNamespace(order=game.order)]))
    ranked = T._ranked([team("waiting", 0, 0.0), team("broken", 0, 0.0, broken=True), team("behind", 4, -3.5),
                        team("ahead", 4, 12.0)])
    assert [(r.entry.name, r.place) for r in ranked] == [("ahead", 1), ("behind", 2), ("waiting", 3), ("broken", 4)]
