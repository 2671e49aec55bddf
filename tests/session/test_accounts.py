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
