"""``cli_args``: each whole-number type takes its range and refuses the rest, naming the range."""

import argparse

import pytest

from blitzgame import cli_args
from blitzgame.limits import MAX_SEED, is_seed

MAX = str(MAX_SEED)

# type, its ends, and what an error says (the range) for a number outside it
RANGES = [
    (cli_args.seed, 0, MAX_SEED, f"between 0 and {MAX}"),
    (cli_args.labs, 2, 8, "2 to 8 labs"),
    (cli_args.port, 1, 65535, "1..65535"),
    (cli_args.fidelity_games, 100, 10_000_000, "between 100 and 10000000"),
    (cli_args.count(1, 64, "quarters"), 1, 64, "between 1 and 64"),
    (cli_args.whole_number(-3, 3), -3, 3, "-3..3"),
]


def refusal(kind, text: str) -> str:
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        kind(text)
    return str(caught.value)


@pytest.mark.parametrize("kind, lo, hi, words", RANGES, ids=[k.__name__ for k, *_ in RANGES])
def test_each_type_takes_its_range_and_refuses_outside_it_naming_the_range(kind, lo, hi, words):
    assert kind(str(lo)) == lo and kind(str(hi)) == hi and kind(f" {lo} ") == lo
    for outside in (lo - 1, hi + 1):
        message = refusal(kind, str(outside))
        assert words in message and str(outside) in message
        assert "\n" not in message


def test_open_ended_types_name_their_one_end():
    assert cli_args.positive_int("1") == 1 and cli_args.positive_int(str(10**30)) == 10**30
    assert refusal(cli_args.positive_int, "0") == "expected a number of at least 1, got 0"
    assert refusal(cli_args.count(2, what="teams"), "1") == "teams must be at least 2, got 1"
    assert refusal(cli_args.whole_number(hi=3), "4") == "expected a whole number of at most 3, got '4'"
    assert cli_args.whole_number()("-99") == -99


@pytest.mark.parametrize("text", ["abc", "2.5", "", "1e3", "0x10"])
def test_text_that_is_not_a_whole_number_is_refused(text):
    for kind, *_ in RANGES:
        message = refusal(kind, text)
        assert repr(text) in message


def test_the_messages_are_the_ones_the_commands_always_gave():
    assert refusal(cli_args.seed, "abc") == f"the seed must be a whole number 0..{MAX}, got 'abc'"
    assert refusal(cli_args.seed, "-1") == f"the seed must be between 0 and {MAX}, got -1"
    assert refusal(cli_args.labs, "9") == "a game has 2 to 8 labs, got '9'"
    assert refusal(cli_args.port, "x") == "the port must be a whole number 1..65535, got 'x'"
    assert refusal(cli_args.fidelity_games, "many") == "games must be a whole number, got 'many'"
    assert refusal(cli_args.positive_int, "x") == "expected a whole number, got 'x'"
    assert refusal(cli_args.whole_number(1, 5), "x") == "expected a whole number 1..5, got 'x'"


def test_the_seed_type_agrees_with_the_shared_seed_check():
    for value in (-1, 0, 1, MAX_SEED, MAX_SEED + 1):
        try:
            cli_args.seed(str(value))
            taken = True
        except argparse.ArgumentTypeError:
            taken = False
        assert taken == is_seed(value)


def test_argparse_shows_the_message_after_the_flag():
    parser = argparse.ArgumentParser(exit_on_error=False)
    parser.add_argument("--seed", type=cli_args.seed)
    with pytest.raises(argparse.ArgumentError, match=f"argument --seed: the seed must be between 0 and {MAX}, got -1"):
        parser.parse_args(["--seed", "-1"])
