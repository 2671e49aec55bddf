"""The labels every screen and report uses for money and counts."""

from hypothesis import given
from hypothesis import strategies as st

from blitzgame.formats import LEDGER_KINDS, count, ledger, ledger_values, money


def test_money_is_short_and_signed():
    assert (money(850), money(1234.0), money(12.4), money(3.25)) == ("$850M", "$1.2B", "$12M", "$3.2M")
    assert (money(-40), money(-2500), money(-0.2)) == ("-$40M", "-$2.5B", "-$0.2M")
    # at the edges, one way of writing each amount: never "$1,000M" beside "$1.2B", nor "$10.0M"
    assert (money(999.4), money(999.6), money(-999.7), money(9.94), money(9.96)) == (
        "$999M", "$1.0B", "-$1.0B", "$9.9M", "$10M")


def test_an_amount_that_rounds_to_nothing_has_no_minus_sign():
    assert money(-0.04) == money(0.0) == "$0.0M"
    assert count(-0.3) == count(0.0) == "0" and count(-0.6) == "-1" and count(12_400.4) == "12,400"


def _value(text: str) -> float:
    return float(text.replace("$", "").replace("M", "").replace(",", "").replace("%", ""))


@given(kind=st.sampled_from(LEDGER_KINDS), start=st.floats(-5e4, 5e4), terms=st.lists(st.floats(-5e4, 5e4), max_size=9))
def test_a_ledger_adds_up_as_written(kind, start, terms):
    """Whatever the figures, the written start plus the written terms is the written end."""
    end = start + sum(terms)
    first, shown, last, change = ledger(kind, start, terms, end)
    signed = [_value(text) * (1 if t >= 0 else -1) for text, t in zip(shown, terms) if text is not None]
    assert round(_value(first) + sum(signed), 6) == round(_value(last), 6)
    assert round(_value(last) - _value(first), 6) == round(_value(change), 6)
    places = {len(text.split(".")[1]) if "." in text else 0 for text in (first, last, *shown) if text not in ("0", None)}
    assert len(places) <= 1  # one precision for the whole ledger


def test_ledgers_are_written_as_a_report_shows_them():
    assert ledger("gpus", 2449.6, [3175.7], 5625.3) == ("2,450", ["3,175"], "5,625", "3,175")
    assert ledger("money", 1077.4, [-764.4], 313.0) == ("$1,077M", ["$764M"], "$313M", "-$764M")  # never $1.1B
    assert ledger("money", 2.14, [13.91, -13.9], 2.15) == ("$2.1M", ["$13.9M", "$13.9M"], "$2.1M", "$0.0M")
    assert ledger("money", 862.0, [2.3, -0.3, -24.1], 839.9) == ("$862.0M", ["$2.3M", "$0.3M", "$24.1M"], "$839.9M",
                                                                 "-$22.1M")
    assert ledger("money", 1500.0, [0.3, -2.0], 1498.3)[1] == [None, "$2M"]  # nothing as written: left out
    assert ledger("share", 0.0978, [-0.0244, 0.0289, -0.0031], 0.0992)[1:3] == (["2.44%", "2.89%", "0.31%"], "9.92%")


def test_a_word_gets_its_article():
    from blitzgame.formats import with_article

    assert [with_article(w) for w in ("startup", "challenger", "incumbent", "Incumbent")] == [
        "a startup", "a challenger", "an incumbent", "an Incumbent"]
    # a figure by how it is said: eighty, eight, eleven and eighteen start with a vowel
    assert [with_article(w) for w in ("80%", "8%", "11%", "18%", "20%", "1%", "100%", "180%")] == [
        "an 80%", "an 8%", "an 11%", "an 18%", "a 20%", "a 1%", "a 100%", "a 180%"]


def test_a_name_ending_in_s_takes_an_apostrophe_alone():
    from blitzgame.formats import possessive

    assert [possessive(n) for n in ("Helix", "Hopper Labs", "Team 3")] == ["Helix's", "Hopper Labs'", "Team 3's"]


def test_tallied_names_a_repeated_name_once_with_its_count():
    from blitzgame.formats import tallied

    assert tallied(["strategist"] * 5) == "strategist x5"
    assert tallied(["sprinter", "strategist", "sprinter", "defender"]) == "sprinter x2, strategist, defender"
    assert tallied([]) == ""


def test_a_figure_and_its_line_never_read_the_same_while_they_differ():
    from blitzgame.formats import apart

    assert apart(7.04, 7.0) == ("7.04", "7.00")  # past the danger line, shown past it
    assert apart(6.96, 7.0) == ("6.96", "7.00")
    assert apart(7.0, 7.0) == ("7.0", "7.0") and apart(5.26, 7.0) == ("5.3", "7.0")


def test_a_ledger_leaves_a_pinned_term_as_another_ledger_wrote_it():
    """A term another ledger wrote first (pinned) keeps its figure; the others take up the rounding."""
    start, terms, end = 19472.6, [6066.0, 0.0], 25537.85  # 19,473 + 6,066 must reach 25,538
    assert ledger_values("gpus", start, terms, end)[1] == [6065.0, 0.0]  # the first of equal remainders moved
    assert ledger_values("gpus", start, terms, end, pinned=(0,))[1] == [6066.0, -1.0]
    assert ledger("gpus", start, terms, end, pinned=(0,))[1] == ["6,066", "1"]
    assert ledger_values("gpus", start, [6066.0], end, pinned=(0,))[1] == [6065.0]  # nothing else can: it moves


def test_an_order_and_what_came_of_it_are_written_so_a_player_can_tell():
    """A player typed 1150 of equity and read "Raised $1.1B of equity ($1.1B asked)"."""
    from blitzgame.formats import money_apart

    assert money_apart(1150.0, 1150.0) == ("$1,150M", "$1,150M")  # what was typed, not "$1.1B"
    assert money_apart(1100.0, 1150.0) == ("$1,100M", "$1,150M")  # apart, where money writes both "$1.1B"
    assert money_apart(1200.0, 1200.0) == ("$1.2B", "$1.2B") and money_apart(850.0, 900.0) == ("$850M", "$900M")
    assert money_apart(850.04, 850.0) == ("$850M", "$850M")  # under $0.05M apart: alike
    assert money_apart(5.04, 5.0) == ("$5.0M", "$5.0M") and money_apart(10.4, 10.0) == ("$10.4M", "$10.0M")
    assert money_apart(10.6, 10.0) == ("$11M", "$10M")
