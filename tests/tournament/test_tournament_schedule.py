"""The schedule: every bot meets every other, in every seat equally often; seeds from the parent."""

import itertools
from math import comb

import numpy as np
import pytest

from blitzgame.tournament.schedule import (
    SEED_MASK,
    cycle_length,
    game_seeds,
    lineup,
    lineups,
    unrank_combination,
)


def seat_counts(games: np.ndarray, n_bots: int) -> np.ndarray:
    """[bot, seat] how often each bot sat in each seat."""
    return np.stack([np.bincount(games[:, s], minlength=n_bots) for s in range(games.shape[1])], axis=1)


def pair_counts(games: np.ndarray, n_bots: int) -> np.ndarray:
    """[a, b] games in which bots a and b (a < b) both played."""
    meets = np.zeros((n_bots, n_bots), dtype=np.int64)
    for row in games:
        for a, b in itertools.combinations(sorted(set(row.tolist())), 2):
            meets[a, b] += 1
    return meets[np.triu_indices(n_bots, 1)]


@pytest.mark.parametrize("n_bots, labs", [(5, 5), (6, 5), (7, 3), (4, 2), (9, 5), (8, 8)])
def test_over_a_cycle_every_bot_sits_in_every_seat_equally_and_every_pair_meets_equally(n_bots, labs):
    games = lineups(n_bots, labs, 0, cycle_length(n_bots, labs))
    seats = seat_counts(games, n_bots)
    assert (seats == seats[0, 0]).all() and seats[0, 0] > 0
    pairs = pair_counts(games, n_bots)
    assert (pairs == pairs[0]).all() and pairs[0] > 0
    assert all(len(set(row)) == labs for row in games.tolist())  # no bot twice in a game


@pytest.mark.parametrize("n_bots, labs", [(2, 5), (3, 5), (4, 8), (3, 8), (2, 2)])
def test_with_fewer_bots_than_seats_every_game_seats_them_all_cyclically(n_bots, labs):
    games = lineups(n_bots, labs, 0, 3 * cycle_length(n_bots, labs))
    seats = seat_counts(games, n_bots)
    assert (seats == seats[0, 0]).all()
    assert all(set(row) == set(range(n_bots)) for row in games.tolist())


def test_each_block_of_labs_games_is_seat_fair_and_every_n_blocks_every_bot_plays_alike():
    n_bots, labs = 9, 5
    games = lineups(n_bots, labs, 0, 40 * labs)
    for block in range(40):
        rows = games[block * labs:(block + 1) * labs]
        assert all(sorted(rows[:, s].tolist()) == sorted(rows[0].tolist()) for s in range(labs))
    per_round = games[:n_bots * labs]  # n blocks: every bot plays exactly labs games
    assert (np.bincount(per_round.ravel(), minlength=n_bots) == labs * labs).all()


def test_a_short_tournament_still_spreads_its_games_over_every_bot():
    n_bots, labs, games = 20, 8, 2000
    played = np.bincount(lineups(n_bots, labs, 0, games).ravel(), minlength=n_bots)
    fair = games * labs / n_bots
    assert played.min() >= 0.9 * fair and played.max() <= 1.1 * fair


def test_a_lineup_depends_only_on_the_game_number():
    whole = lineups(7, 4, 0, 500)
    assert np.array_equal(np.concatenate([lineups(7, 4, a, b) for a, b in [(0, 13), (13, 250), (250, 500)]]), whole)
    assert lineup(7, 4, 321) == tuple(whole[321])
    far = 10**15 + 3  # a far game is found without listing the ones before it
    assert lineup(30, 8, far) == tuple(lineups(30, 8, far, far + 1)[0])


def test_combinations_unrank_in_lexicographic_order():
    expected = list(itertools.combinations(range(7), 3))
    assert [unrank_combination(k, 7, 3) for k in range(comb(7, 3))] == expected
    with pytest.raises(ValueError):
        unrank_combination(comb(7, 3), 7, 3)


def test_the_seeds_of_a_shorter_tournament_are_a_prefix_of_a_longer_ones():
    long = game_seeds(2024, 5000)
    for k in (0, 1, 2, 3, 999, 4999):
        assert np.array_equal(game_seeds(2024, k), long[:k])
    assert long.dtype == np.uint64 and (long <= SEED_MASK).all()
    assert len(np.unique(long)) == len(long)
    assert not np.array_equal(game_seeds(2025, 10), long[:10])
