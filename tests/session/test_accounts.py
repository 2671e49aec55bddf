"""Every figure the quarter report accounts for adds up: start + terms == end, for every lab in
every quarter of campaigns played by the archetypes and by random orders."""

import math

import numpy as np
import pytest
from test_forecast import random_orders

from blitzgame.session.campaign import Campaign, Human

NAMES = ("Valuation", "GPUs owned", "GPUs running", "GPUs on order", "Researchers", "Model quality", "Market share",
         "Revenue this quarter")


@pytest.mark.slow
def test_each_account_of_each_lab_adds_up_every_quarter():
    seen = {name: 0 for name in NAMES}
    for seed in range(10):
        campaign = Campaign.new([Human("Accountant", position=("startup", "challenger")[seed % 2])], seed=seed,
                                rivals=4)
        game, lab = campaign.game, campaign.player
        rng = np.random.default_rng(seed)
        while not game.over:
            if game.alive(lab):
                me = game.observe(lab).me
                campaign.submit(lab, random_orders(rng, game.world.hub_ids, me.cash, me.researchers))
            report = campaign.end_quarter()
            game = campaign.game
            for i, accounts in enumerate(report.accounts):
                for account in accounts:
                    total = account.start + sum(amount for _, amount in account.terms)
                    assert math.isclose(total, account.end, rel_tol=1e-9, abs_tol=1e-6), (report.label, i, account)
                    seen[account.name] += bool(account.terms)
    assert all(count >= 50 for count in seen.values()), seen


def test_the_crash_mark_down_is_named_in_the_quarter_it_hits_and_undone_the_next():
    """The quarter the music stops every valuation is marked down at once (M8): the report names
    it, not a floor at zero, and names the next quarter's pricing from the parts again."""
    from blitzgame.bots.base import builtin_bot
    from blitzgame.session.game import Game

    game = Game.new("classroom-famine-crash", seed=11)  # the music stops on schedule in 2027Q1
    bots = [builtin_bot(name)() for name in ("sprinter", "platform", "pure", "defender", "efficient", "integrator")]
    terms = {}
    while not game.over and game.label <= "2027Q2":
        for lab, bot in enumerate(bots):
            if game.alive(lab):
                game.submit(lab, bot.orders_for(game, lab))
        game.advance()
        report = game.reports[-1]
        terms[report.label] = dict(report.accounts[0][0].terms)
    assert any(what.startswith("the music stopped: investors marked every lab down") and amount < 0
               for what, amount in terms["2027Q1"].items())
    assert any(what.startswith("last quarter's crash mark-down undone: priced again from its parts") and amount > 0
               for what, amount in terms["2027Q2"].items())
    assert not any("no lower than zero" in what for quarter in ("2027Q1", "2027Q2") for what in terms[quarter])
