"""Results and standings: forfeits rank last, a bot in two seats gets one rating, state round-trips."""

import json

import numpy as np
from openskill.models import PlackettLuce

from blitzgame.bots.arena import ST_GPUS_Y2, ST_Q_10K, ST_RUNWAY_AT_STOP, ST_STRANDED_QUARTERS, ST_STRANDED_SUM, STAT_FIELDS
from blitzgame.engine import layout as F
from blitzgame.tournament.results import FORFEITED, GameResults, Standings


def one_game(ranks, statuses=None, forfeits=None, seats=None) -> GameResults:
    n = len(ranks)
    labs = np.zeros((1, n, F.LAB_FIELDS))
    labs[0, :, F.RANK] = ranks
    labs[0, :, F.STATUS] = statuses if statuses is not None else F.ALIVE
    labs[0, :, F.SCORE] = [10.0 * (n - r) for r in ranks]
    worlds = np.zeros((1, F.WORLD_FIELDS))
    worlds[0, F.MUSIC_QUARTER] = -1.0
    stats = np.zeros((1, n, STAT_FIELDS))
    stats[0, :, ST_GPUS_Y2] = 100.0
    stats[0, :, ST_Q_10K] = -1.0
    stats[0, :, ST_RUNWAY_AT_STOP] = -1.0
    stats[0, 0, ST_STRANDED_SUM], stats[0, 0, ST_STRANDED_QUARTERS] = 1.5, 6.0
    faults = np.zeros((1, n, 4), dtype=np.int64)
    if forfeits:
        faults[0, forfeits, 3] = 1
    seats = np.array([seats if seats is not None else list(range(n))])
    return GameResults.from_states(np.zeros(1), np.array([7], dtype=np.uint64), seats, labs, worlds, stats,
                                   np.array([12]), faults)


def test_a_forfeiting_bot_ranks_after_every_bot_that_played_on():
    result = one_game([1, 2, 3, 4], forfeits=[0, 2])
    assert result.rank.tolist() == [[3, 1, 4, 2]]
    assert result.status.tolist() == [[FORFEITED, 0, FORFEITED, 0]]


def test_never_is_an_empty_cell_and_stranded_share_is_a_mean():
    cells = one_game([2, 1]).columns(["a", "b"], "base-2024")
    assert cells["q_10k"].tolist() == ["", ""] and cells["music_stopped_q"].tolist() == ["", ""]
    assert cells["runway_at_stop"].tolist() == ["", ""]
    assert cells["stranded_share"].tolist() == ["0.25", ""]
    assert cells["status"].tolist() == ["alive", "alive"] and cells["score"].tolist() == ["0.0", "10.0"]


def test_a_bot_in_two_seats_gets_the_mean_of_its_seat_updates():
    standings = Standings(2)
    standings.add(one_game([1, 2, 3], seats=[0, 1, 0]))
    model = PlackettLuce()
    a, b = model.rating(), model.rating()
    new = model.rate([[a], [b], [a]], ranks=[1, 2, 3])
    assert standings.ratings[0].mu == (new[0][0].mu + new[2][0].mu) / 2
    assert standings.ratings[0].sigma == (new[0][0].sigma + new[2][0].sigma) / 2
    assert standings.ratings[1].mu == new[1][0].mu
    assert standings.counts["games"].tolist() == [2, 1] and standings.counts["wins"].tolist() == [1, 0]


def test_standings_carry_on_from_their_saved_state_exactly():
    games = [one_game([1, 2, 3], seats=[0, 1, 2]), one_game([3, 1, 2], seats=[2, 0, 1]),
             one_game([2, 3, 1], seats=[1, 2, 0])]
    straight = Standings(3)
    for game in games:
        straight.add(game)
    first = Standings(3)
    first.add(games[0])
    resumed = Standings(3, json.loads(json.dumps(first.state())))
    for game in games[1:]:
        resumed.add(game)
    assert resumed.state() == straight.state()
    assert resumed.bots(["a", "b", "c"]) == straight.bots(["a", "b", "c"])


def test_csv_rows_quote_only_the_cells_that_need_it_and_read_back():
    import csv
    import io

    from blitzgame.tournament.results import CSV_COLUMNS, csv_header

    bots = ['my "best" bot.py:Bot', "plain"]
    text = csv_header() + one_game([2, 1]).csv_text(bots, "a,b")
    lines = text.split("\n")
    assert lines[0] == ",".join(CSV_COLUMNS) and lines[-1] == "" and "\r" not in text
    assert lines[1].startswith('0,7,"a,b",0,"my ""best"" bot.py:Bot",2,alive,')
    assert lines[2].startswith('0,7,"a,b",1,plain,1,alive,')
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["bot"] for r in rows] == bots and {r["scenario"] for r in rows} == {"a,b"}
