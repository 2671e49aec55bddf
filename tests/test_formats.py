"""The labels every screen and report uses for money and counts."""

from blitzgame.formats import count, money


def test_money_is_short_and_signed():
    assert (money(850), money(1234.0), money(12.4), money(3.25)) == ("$850M", "$1.2B", "$12M", "$3.2M")
    assert (money(-40), money(-2500), money(-0.2)) == ("-$40M", "-$2.5B", "-$0.2M")


def test_an_amount_that_rounds_to_nothing_has_no_minus_sign():
    assert money(-0.04) == money(0.0) == "$0.0M"
    assert count(-0.3) == count(0.0) == "0" and count(-0.6) == "-1" and count(12_400.4) == "12,400"
