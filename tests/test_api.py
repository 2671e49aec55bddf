"""The Python API (``blitzgame.play``) and ``blitzgame.testing``, as a bot author uses them."""

import re

import pytest

import blitzgame
from blitzgame.bots import Bot, Observation, Orders
from blitzgame.schemas.orders import OrdersError
from blitzgame.session.game import SetupError
from blitzgame.testing import observation, orders_from


class Hoarder(Bot):
    name = "hoarder"

    def decide(self, obs: Observation) -> Orders:
        return Orders(equity=0.1 * obs.me.valuation)


class Broken(Bot):
    name = "broken"

    def decide(self, obs: Observation) -> Orders:
        return Orders(hire=-1.0)


def test_play_returns_a_finished_game_the_same_every_time():
    played = blitzgame.play(bots=[Hoarder, "sprinter", "defender"], seed=7)
    again = blitzgame.play(bots=[Hoarder(), "sprinter", "defender"], seed=7)
    assert played.game.over and played.game.n_labs == 3 and played.bots == ["hoarder", "sprinter", "defender"]
    assert played.game.digest() == again.game.digest()
    assert [lab.rank for lab in played.standings.by_rank()] == [1, 2, 3]
    assert played.winner == played.standings.by_rank()[0].name and played.problems == []
    assert len(played.game.reports) == played.game.quarter == len(played.game.history) - 1
    history = played.history  # where everyone stood: the start, then after each quarter
    assert len(history) == played.game.quarter + 1 and history[-1] == played.standings
    assert history[0].labs[0].cash != history[1].labs[0].cash and [lab.name for lab in history[1].labs] == played.game.names


def test_play_says_so_on_stderr_when_its_first_game_compiles(capsys, monkeypatch):
    import blitzgame._jit_cache as jit_cache

    blitzgame.play(bots=["sprinter", "defender"], seed=3)
    assert capsys.readouterr().err == ""  # the kernels are cached: nothing to say
    monkeypatch.setattr(jit_cache, "is_warm", lambda *kernels: False)  # as on a fresh machine
    monkeypatch.setattr(jit_cache, "_announced", set())
    blitzgame.play(bots=["sprinter", "defender"], seed=3)
    assert "compiling the engine's kernels for this version (once for each kind of game" in capsys.readouterr().err
    blitzgame.play(bots=["sprinter", "defender"], seed=4)  # the same kernels: said once a process
    assert capsys.readouterr().err == ""
    observation()  # it makes an observation too, whose kernels a game of scripted bots never compiles
    assert "compiling the engine's kernels" in capsys.readouterr().err
    observation()
    assert capsys.readouterr().err == ""


def test_a_game_that_seats_a_strategist_announces_its_planner_too(capsys, monkeypatch):
    """A bot author's first hard game compiled the strategist for 15 s in silence: the rest of
    the kernels were cached, so the notice said nothing."""
    import blitzgame._jit_cache as jit_cache
    from blitzgame.session.headless import POLICY_KERNELS, QUARTER_KERNELS, STRATEGIST_KERNELS, VIEW_KERNELS, kernels_for

    assert kernels_for(["baseline", "sprinter"]) == QUARTER_KERNELS + POLICY_KERNELS
    assert kernels_for([Hoarder, Hoarder()]) == QUARTER_KERNELS + VIEW_KERNELS  # no scripted bot: no policies
    assert kernels_for([Hoarder, "strategist@2"]) == QUARTER_KERNELS + VIEW_KERNELS + STRATEGIST_KERNELS
    monkeypatch.setattr(jit_cache, "is_warm", lambda *kernels: not set(STRATEGIST_KERNELS) & set(kernels))
    monkeypatch.setattr(jit_cache, "_announced", set())
    blitzgame.play(bots=["sprinter", "defender"], seed=3)
    assert capsys.readouterr().err == ""
    blitzgame.play(bots=[Hoarder], difficulty="hard", seed=3, labs=3)
    assert "compiling the engine's kernels for this version" in capsys.readouterr().err


def test_play_reports_a_bots_refused_answers_and_refuses_bad_setups():
    played = blitzgame.play(bots=[Broken, "baseline"], seed=1, labs=2)
    assert len(played.problems) == 1 and "Orders: hire: Input should be greater than or equal to 0" in played.problems[0]
    first = played.faults[0]  # the same, as records: one per refused answer, in the order of play
    assert (first.quarter, first.lab, first.outcome) == ("2024Q1", 0, "error") and "hire" in first.message
    assert len(played.faults) == min(played.game.quarter, 20) and {f.lab for f in played.faults} == {0}
    assert [f.quarter for f in played.faults] == sorted(f.quarter for f in played.faults)
    one = Hoarder()
    with pytest.raises(SetupError, match="would play more than one of the game's 2 labs"):
        blitzgame.play(bots=[one], labs=2)
    with pytest.raises(SetupError, match="a bot is a name"):
        blitzgame.play(bots=[42, "baseline"])
    with pytest.raises(SetupError, match="name at least one bot"):
        blitzgame.play(bots=[])
    with pytest.raises(SetupError, match=r"bots is a list of bots, e.g. \['sprinter', 'defender'\]"):
        blitzgame.play(bots="sprinter,defender")


def test_play_at_a_difficulty_seats_the_bots_then_its_rivals_as_a_campaign_draws_them():
    from blitzgame.session.rivals import draw_rivals

    played = blitzgame.play(bots=[Hoarder], difficulty="hard", seed=3, labs=4)
    assert played.bots == ["hoarder", *draw_rivals(3, 3, "hard")]
    assert any(bot.startswith("strategist") for bot in played.bots)  # hard seats one or two
    assert len(blitzgame.play(bots=["sprinter"], difficulty="easy", seed=3).bots) == 5  # the scenario's own number
    with pytest.raises(SetupError, match="unknown difficulty 'brutal'; expected one of easy, normal, hard, expert"):
        blitzgame.play(bots=[Hoarder], difficulty="brutal")
    with pytest.raises(SetupError, match="3 bots for 2 labs"):
        blitzgame.play(bots=["sprinter"] * 3, difficulty="hard", labs=2)


def test_observation_is_a_real_one_with_the_fields_a_test_sets():
    obs = observation(quarter=4, seed=3, cash=50.0)
    assert isinstance(obs, Observation) and obs.label == "2025Q1" and obs.me.cash == 50.0
    assert obs.rivals and obs.market.spot > 0
    untouched = observation(quarter=4, seed=3)
    assert untouched.me.cash != 50.0 and untouched.me.name == obs.me.name
    # a figure derived from the ones set follows them, unless it is set too
    short = observation(quarter=4, seed=3, lab=1, cash=50.0)
    assert short.me.burn > 0 and short.me.runway == pytest.approx(50.0 / short.me.burn)
    assert observation(quarter=4, seed=3, lab=1, cash=50.0, runway=7.0).me.runway == 7.0
    thin = observation(quarter=4, seed=3, researchers=1.0)  # talent density follows the researchers given
    assert thin.me.talent_density < untouched.me.talent_density
    assert observation(quarter=4, seed=3, researchers=1.0, talent_density=0.9).me.talent_density == 0.9
    # outcomes of the last quarter: those named change, the rest stay as the game left them
    played = observation(quarter=4, seed=3)
    cut = observation(quarter=4, seed=3, last_quarter={"in_revenue": 0.0})
    assert cut.me.last_quarter.in_revenue == 0.0 < played.me.last_quarter.in_revenue
    assert cut.me.last_quarter.out_payroll == played.me.last_quarter.out_payroll > 0
    with pytest.raises(SetupError, match="last_quarter has no field revenue_in"):  # a typo tests nothing
        observation(last_quarter={"revenue_in": 0.0})
    with pytest.raises(SetupError, match="no field wealth"):
        observation(wealth=1.0)
    with pytest.raises(SetupError, match=r"obs.me has no field cahs \(did you mean 'cash'\?\)"):
        observation(cahs=50.0)
    # the market's figures are set apart from the lab's, and a market field given as the lab's says where it goes
    crash = observation(quarter=4, seed=3, market={"music_stopped": True, "sentiment": 0.4}, cash=80.0)
    assert crash.market.music_stopped and crash.market.sentiment == 0.4 and crash.me.cash == 80.0
    assert crash.market.spot == untouched.market.spot and not untouched.market.music_stopped
    with pytest.raises(SetupError, match=r"obs.me has no field music_stopped \(the market's fields go in market="):
        observation(music_stopped=True)
    with pytest.raises(SetupError, match=r"obs.market has no field sentimnet \(did you mean 'sentiment'\?\)"):
        observation(market={"sentimnet": 0.4})
    with pytest.raises(SetupError, match="quarter must be"):
        observation(quarter=99)
    with pytest.raises(SetupError, match=r"lab must be 0\.\.4 \(5 labs in base-2024\), got 9"):  # not an orders error
        observation(lab=9)
    with pytest.raises(SetupError, match=r"rivals is a dict.*not 'sprinter' \(the bots that play the game are bots=...\)"):
        observation(rivals="sprinter")
    from blitzgame.testing import SetupError as exported

    assert exported is SetupError  # a bot's tests need not know where it lives


def test_observation_sets_rivals_and_the_market_as_the_game_would_show_them():
    untouched = observation(quarter=4, seed=3)
    beaten = untouched.rivals[1].name
    obs = observation(quarter=4, seed=3, rivals={0: {"status": "bankrupt", "gpus": 0.0}, beaten: {"gpus": 20_000.0}})
    assert obs.rivals[0].status == "bankrupt" and obs.rivals[0].stage_name == "Experiment"  # the stage follows the GPUs
    assert obs.rivals[1].name == beaten and obs.rivals[1].stage_name == "Leader"
    assert obs.rivals[2:] == untouched.rivals[2:] and obs.me == untouched.me
    with pytest.raises(ValueError, match="Input should be 'alive', 'bankrupt' or 'acquired'"):
        observation(rivals={0: {"status": "zombie"}})  # what no game shows is refused
    with pytest.raises(SetupError, match=r"obs.rivals\[0\] has no field cash \(a rival's own books are private"):
        observation(rivals={0: {"cash": 1.0}})
    with pytest.raises(SetupError, match=r"no rival 7; obs.rivals are 0\.\.3: "):
        observation(rivals={7: {"gpus": 1.0}})
    # the music stopping says when: last quarter, unless given
    crash = observation(quarter=4, seed=3, market={"music_stopped": True})
    assert crash.market.music_quarter == "2024Q4" and untouched.market.music_quarter is None
    real = observation(scenario="capital-winter", quarter=7)  # a real crash, as the README suggests
    assert real.market.music_stopped and real.market.music_quarter == "2025Q3" and real.market.sentiment < 0.5


def test_observation_comes_from_a_game_played_by_the_bots_named():
    # the sprinter releases its weights, the baseline and the defender do not
    assert not observation(quarter=3, seed=3).me.open_source
    assert observation(quarter=3, seed=3, bots="sprinter").me.open_source
    mixed = observation(quarter=3, seed=3, bots=["sprinter", "defender"])  # cycled over the labs, as sim does
    assert mixed.me.open_source and [r.open_source for r in mixed.rivals] == [False, True, False, True]
    assert observation(quarter=3, seed=3, bots="sprinter,defender") == mixed  # as sim --bots lists them


def test_observation_takes_a_bot_class_whatever_the_folder_and_refuses_what_it_cannot_seat(tmp_path, monkeypatch):
    """A bot's test beside its file found a "mybot.py:MyBot" spec only when run from that folder:
    the class itself plays the game, from anywhere."""
    from blitzgame.bots.loader import load_bot_class

    Sprinter = load_bot_class("sprinter")
    monkeypatch.chdir(tmp_path)
    by_name = observation(quarter=3, seed=3, bots=["sprinter", "defender"])
    assert observation(quarter=3, seed=3, bots=[Sprinter, "defender"]) == by_name
    assert observation(quarter=3, seed=3, bots=Sprinter).me.open_source
    for bots, said in (([Sprinter()], "give the bot's class (SprinterBot), not an instance"),
                       ([3], "a bot is a name, a 'file.py:Class' spec or a Bot class, not 3"), ([], "name at least one"),
                       ("mybot.py:MyBot", f"bot file mybot.py not found (looked in {tmp_path}"),
                       ("nobody", "unknown bot 'nobody'")):
        with pytest.raises(SetupError, match=re.escape(said)):
            observation(bots=bots)
    with pytest.raises(SetupError, match="base-2025"):  # every setting it does not know: SetupError, as documented
        observation(scenario="base-2025")


def test_orders_from_checks_the_answer_as_the_game_does():
    obs = observation()
    assert orders_from(Hoarder(), obs).equity == pytest.approx(0.1 * obs.me.valuation)

    class Typo(Bot):
        def decide(self, obs):
            return {"gpus": {"atlantis": 10}}

    with pytest.raises(OrdersError, match="atlantis"):
        orders_from(Typo(), obs)

    class Nothing(Bot):
        def decide(self, obs):
            return None

    # worded as the game words it, with where the bot's decide is
    with pytest.raises(OrdersError, match=r"decide returned NoneType, not Orders .* \(decide, defined at test_api.py:\d+\)"):
        orders_from(Nothing(), obs)
    with pytest.raises(Exception, match="greater than or equal to 0"):
        orders_from(Broken(), obs)


def test_two_bot_classes_under_one_name_are_told_apart():
    class Cautious(Bot):
        name = "mine"

        def decide(self, obs: Observation) -> Orders:
            return Orders(hire=1.0)

    class Bold(Cautious):
        def decide(self, obs: Observation) -> Orders:
            return Orders(hire=30.0)

    played = blitzgame.play(bots=[Cautious, Bold, Cautious, "sprinter"], seed=2)
    assert played.bots == ["Cautious", "Bold", "Cautious", "sprinter"]
    assert blitzgame.play(bots=[Cautious, "sprinter"], seed=2).bots == ["mine", "sprinter"]  # no clash: its name


def test_seats_that_know_only_their_spec_are_told_apart_by_it():
    """A sandboxed seat loads its bot in a child process: two under one name are shown by their specs."""
    from types import SimpleNamespace

    from blitzgame.session.headless import name_apart

    seats = [SimpleNamespace(name="mine", spec="first-bot"), SimpleNamespace(name="mine", spec="second-bot"),
             SimpleNamespace(name="other", spec="third-bot")]
    name_apart(seats)
    assert [seat.name for seat in seats] == ["first-bot", "second-bot", "other"]


def test_more_bots_than_labs_and_an_unknown_bot_or_scenario_are_refused_as_setup_errors():
    with pytest.raises(SetupError, match="6 bots for 5 labs: name at most 5, or give labs=6"):
        blitzgame.play(bots=["baseline"] * 6, labs=5)
    with pytest.raises(SetupError, match="unknown bot 'nope'"):
        blitzgame.play(bots=["nope"])
    with pytest.raises(SetupError, match="unknown scenario 'nowhere'"):
        blitzgame.play(bots=["baseline"], scenario="nowhere")


def test_observation_refuses_a_figure_the_game_could_not_show_as_a_setup_error():
    refused = {
        "obs.me.gpus cannot be below 0, got -5.0": {"gpus": -5.0},
        "obs.rivals[0].gpus cannot be below 0": {"rivals": {0: {"gpus": -3.0}}},
        "obs.market.sentiment cannot be below 0": {"market": {"sentiment": -1.0}},
        "obs.me.share is 0..1, got 1.5": {"share": 1.5},
        "obs.me.status: Input should be 'alive', 'bankrupt' or 'acquired' (got 'zombie')": {"status": "zombie"},
        "obs.rivals[1].status: Input should be": {"rivals": {1: {"status": "dead"}}},
    }
    for message, changes in refused.items():
        with pytest.raises(SetupError, match=re.escape(message)):
            observation(quarter=2, **changes)
    assert observation(quarter=2, burn=-3.0).me.burn == -3.0  # a lab that earns more than it spends


def test_orders_from_takes_a_bot_class_for_a_fresh_bot_and_refuses_what_is_no_bot():
    obs = observation(quarter=1)
    assert orders_from(Hoarder, obs) == orders_from(Hoarder(), obs)
    with pytest.raises(SetupError, match="a bot is a Bot, a Bot class, a name or a 'file.py:Class' spec, not 3"):
        orders_from(3, obs)  # type: ignore[arg-type]
    with pytest.raises(SetupError, match="sprinter is a built-in compiled bot, which plays from the state arrays"):
        orders_from("sprinter", obs)


def test_a_bots_seed_is_its_own_for_the_whole_game_and_replays_with_it():
    seeds = {lab: observation(quarter=0, lab=lab).seed for lab in range(5)}
    assert len(set(seeds.values())) == 5 and all(0 <= seed < 2**63 for seed in seeds.values())
    assert observation(quarter=3, lab=2).seed == seeds[2]  # every quarter of the game
    assert observation(quarter=0, lab=2, seed=1).seed != seeds[2]  # another game
    assert observation(quarter=0, lab=2).seed == seeds[2]  # a replay
