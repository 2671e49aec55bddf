"""The strategist (``bots.strategist``): it plans on the engine from what its observation shows,
it is deterministic, and it is the strongest built-in bot on every built-in scenario."""

import numpy as np
import pytest

from blitzgame.assets import scenario_ids
from blitzgame.bots.base import archetype_names, builtin_bot, thinking
from blitzgame.bots.strategist import PUBLIC, S_DETERMINIZATIONS, believe, plan_buffers, strategist_row
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.schemas.tournament import TournamentConfig
from blitzgame.session.game import Game
from blitzgame.session.world import compile_world, default_setups
from blitzgame.tournament.batch import play_batch
from blitzgame.tournament.runner import run_tournament
from blitzgame.tournament.schedule import game_seeds

pytestmark = pytest.mark.usefixtures("arena_kernels")

ARCHETYPES = archetype_names()


def midgame(seed: int = 5, quarters: int = 6) -> Game:
    """base-2024, the strategist in seat 0 and four archetypes, a few quarters in."""
    game = Game.new("base-2024", seed=seed, labs=5)
    bots = [builtin_bot(name)() for name in ("strategist", "sprinter", "platform", "pure", "defender")]
    for _ in range(quarters):
        for lab, bot in enumerate(bots):
            if game.alive(lab):
                game.submit(lab, bot.orders_for(game, lab))
        game.advance()
    return game


def test_the_strategist_decides_from_what_its_observation_shows_only():
    """Every private figure of every rival changed (cash, debt, researchers, backlog, fleet by
    hub, power, culture, tech debt, stake, pay...): the strategist's orders do not change. Its
    model quality is public only as a rank, so it is left in its order."""
    game = midgame()
    strategist = builtin_bot("strategist")()
    before = strategist.orders_for(game, 0)
    labs = game.state_labs
    private = [f for f in range(F.LAB_FIELDS) if f not in PUBLIC and f != F.QUALITY]
    for k in range(1, game.n_labs):
        labs[k, private] = labs[k, private] * 1.7 + 3.0
    assert strategist.orders_for(game, 0) == before
    # ...while what the rivals publish does move its beliefs
    belief, _, _ = plan_buffers(game.n_labs)
    w = game.world
    believe(labs, game.state_world, w.params, w.hubs, 0, belief[0])
    cash = belief[0, 1, F.CASH]
    labs[1, F.VALUATION] += 5000.0
    believe(labs, game.state_world, w.params, w.hubs, 0, belief[0])
    assert belief[0, 1, F.CASH] == pytest.approx(cash + 5000.0)
    # a partner's public take is revenue investors do not value: the same valuation hides that much more cash
    labs[1, F.OUT_PARTNER] = 0.25 * labs[1, F.REVENUE]
    believe(labs, game.state_world, w.params, w.hubs, 0, belief[0])
    hidden = 4.0 * labs[1, F.OUT_PARTNER] * w.params[P.REVENUE_MULTIPLE] * game.state_world[F.SENTIMENT]
    assert labs[1, F.REVENUE] > 0.0 and belief[0, 1, F.CASH] == pytest.approx(cash + 5000.0 + hidden)
    assert np.array_equal(belief[0, 0], labs[0]), "its own lab it knows exactly"


def test_the_strategist_is_deterministic():
    game = midgame(seed=9, quarters=4)
    first = builtin_bot("strategist")().orders_for(game, 0)
    again = builtin_bot("strategist")().orders_for(game, 0)
    assert first == again
    assert first.model_dump() != type(first)().model_dump()  # it does give orders


def test_think_multiplies_the_futures_it_weighs():
    cls = builtin_bot("strategist")
    assert thinking("strategist", 1) == "strategist" and thinking("platform", 3) == "platform"
    assert thinking("strategist", 3) == "strategist@3"
    assert builtin_bot("strategist@3").knobs[S_DETERMINIZATIONS] == 3 * cls.knobs[S_DETERMINIZATIONS]
    assert builtin_bot("strategist@3").name == "strategist@3"
    for bad in ("strategist@0", "strategist@9", "strategist@x", "platform@2", "strategist@"):
        assert builtin_bot(bad) is None, bad


def test_serial_and_parallel_games_with_strategists_are_bit_identical():
    world = compile_world("power-crunch")
    setups = default_setups(world, 5)
    bots = ("strategist", "platform", "pure", "efficient", "random")
    seats = np.array([[(g + s) % len(bots) for s in range(5)] for g in range(6)], dtype=np.int64)
    seeds = game_seeds(11, 6)
    serial = play_batch(world, setups, bots, seats, seeds, parallel=False)
    parallel = play_batch(world, setups, bots, seats, seeds, parallel=True)
    assert np.array_equal(serial.labs.view(np.uint64), parallel.labs.view(np.uint64))
    assert np.array_equal(serial.stats, parallel.stats)


def test_a_session_game_and_the_arena_play_the_strategist_alike():
    """The strategist asked through a campaign (``orders_for``) and inside the compiled arena."""
    world = compile_world("base-2024")
    setups = default_setups(world, 5)
    bots = ("strategist", "sprinter", "platform", "pure", "defender")
    seed = int(game_seeds(3, 1)[0])
    arena = play_batch(world, setups, bots, np.arange(5, dtype=np.int64)[None], np.array([seed], dtype=np.uint64))
    game = Game(world, seed, setups)
    players = [builtin_bot(name)() for name in bots]
    while not game.over:
        for lab, bot in enumerate(players):
            if game.alive(lab):
                game.submit(lab, bot.orders_for(game, lab))
        game.advance()
    assert np.array_equal(game.state_labs[:, F.RANK], arena.labs[0, :, F.RANK])
    assert game.state_labs[:, F.CASH] == pytest.approx(arena.labs[0, :, F.CASH], rel=1e-9)


@pytest.mark.slow
def test_the_strategist_has_the_best_rating_and_beats_every_archetype_head_to_head(tmp_path):
    """A tournament of the strategist and the six archetypes on base-2024."""
    config = TournamentConfig(bots=("strategist", *ARCHETYPES), games=280, seed=1, out=str(tmp_path / "t"))
    summary = run_tournament(config).summary
    ratings = {b["name"]: b["rating_mu"] for b in summary["bots"]}
    assert max(ratings, key=ratings.get) == "strategist", ratings
    ahead = summary["head_to_head"]["strategist"]
    assert all(ahead[name] > 0.5 for name in ARCHETYPES), ahead


@pytest.mark.slow
@pytest.mark.parametrize("scenario", [s for s in scenario_ids() if s != "base-2024"])
def test_the_strategist_places_best_on_every_built_in_scenario(scenario):
    """140 games, the strategist in one seat against archetypes rotating through the others: the
    best mean rank and ahead of each archetype in more than half of their meetings."""
    world = compile_world(scenario)
    setups = default_setups(world)
    n, games = len(setups), 140
    g = np.arange(games)
    seats = np.empty((games, n), dtype=np.int64)
    for s in range(n):
        seats[:, s] = (g // n + s) % len(ARCHETYPES)
    seats[g, g % n] = len(ARCHETYPES)
    batch = play_batch(world, setups, (*ARCHETYPES, "strategist"), seats, game_seeds(2, games), parallel=True)
    rank = batch.labs[:, :, F.RANK]
    mean = {name: rank[batch.seats == b].mean() for b, name in enumerate(batch.bots)}
    assert min(mean, key=mean.get) == "strategist", mean
    mine = rank[g, g % n]
    for b, name in enumerate(ARCHETYPES):
        present = (batch.seats == b)
        ahead = [(mine[k] < rank[k, present[k]]).mean() for k in range(games) if present[k].any()]
        assert np.mean(ahead) > 0.5, (name, np.mean(ahead))


def test_a_strategist_row_holds_its_settings_and_playbook():
    plays = [builtin_bot(name).knobs for name in ARCHETYPES[:2]]
    row = strategist_row(plays, determinizations=3, horizon=5)
    assert row[:3].tolist() == [3, 5, 2]
    assert np.array_equal(row[3:3 + len(plays[0])], plays[0])


def test_a_campaign_against_a_thinking_strategist_saves_and_plays_on(tmp_path):
    from blitzgame.session.campaign import Campaign, Human

    campaign = Campaign.new([Human("Mine")], seed=4, rivals=["strategist", "platform"], think=2)
    assert campaign.seats == [None, "strategist@2", "platform"]
    campaign.end_quarter()
    loaded = Campaign.load(campaign.save(tmp_path / "mine.json"))
    assert loaded.seats == campaign.seats and loaded.game.digest() == campaign.game.digest()
    loaded.end_quarter()
    assert loaded.game.quarter == 2


def test_the_hard_difficulty_always_seats_a_strategist():
    from blitzgame.session.rivals import draw_rivals

    for seed in range(40):
        assert "strategist" in draw_rivals(4, seed, "hard"), seed
        for count in (1, 2, 3, 5, 6, 7):  # any number of labs: a bot author found none in a three-lab game
            drawn = draw_rivals(count, seed, "hard")
            assert len(drawn) == count and "strategist" in drawn, (count, seed)
    assert "strategist" not in draw_rivals(6, 0, "normal")


def test_the_learning_environments_refuse_a_strategist_rival():
    from blitzgame.envs.common import EnvError, rival_names

    with pytest.raises(EnvError, match="strategist cannot be a rival"):
        rival_names(["strategist", "platform"])


def test_a_playbook_names_archetypes_only():
    from blitzgame.assets import AssetError, load_archetypes, validate
    from blitzgame.schemas.assets import Archetypes

    data = load_archetypes().model_dump()
    data["bot"][[b["name"] for b in data["bot"]].index("strategist")]["playbook"] = ["platform", "greedy", "all-in"]
    with pytest.raises(AssetError, match="playbook: not archetypes: greedy"):
        validate(Archetypes, data, "archetypes.toml")


def test_a_play_of_its_own_is_an_archetype_with_the_knobs_it_changes():
    from blitzgame.assets import load_archetypes
    from blitzgame.bots import knobs as K
    from blitzgame.bots.strategist import S_PLAYS, S_ROWS

    entry = next(b for b in load_archetypes().bot if b.name == "strategist")
    row = builtin_bot("strategist").knobs
    assert row[S_PLAYS] == len(entry.playbook) and "all-in" in entry.playbook
    p = entry.playbook.index("all-in")
    play = row[S_ROWS + p * K.KNOB_COUNT:S_ROWS + (p + 1) * K.KNOB_COUNT]
    expected = builtin_bot(entry.plays["all-in"].like).knobs.copy()
    for name, value in entry.plays["all-in"].knobs.items():
        expected[K.KNOB_NAMES[name]] = value
    assert np.array_equal(play, expected) and not np.array_equal(play, builtin_bot("sprinter").knobs)


@pytest.mark.parametrize(("change", "words"), [
    (lambda bot: bot["plays"]["all-in"].update(like="greedy"), "plays: not like an archetype: all-in"),
    (lambda bot: bot["playbook"].remove("all-in"), "plays: all-in not in the playbook"),
    (lambda bot: bot["playbook"].append("yolo"), "playbook: not archetypes: yolo"),
])
def test_a_strategist_s_own_plays_are_checked(change, words):
    from blitzgame.assets import AssetError, load_archetypes, validate
    from blitzgame.schemas.assets import Archetypes

    data = load_archetypes().model_dump()
    change(data["bot"][[b["name"] for b in data["bot"]].index("strategist")])
    with pytest.raises(AssetError, match=words):
        validate(Archetypes, data, "archetypes.toml")


def test_a_play_that_changes_an_unknown_knob_is_refused():
    from blitzgame.assets import AssetError, load_archetypes
    from blitzgame.bots.base import knob_row

    entry = next(b for b in load_archetypes().bot if b.name == "strategist")
    play = entry.plays["all-in"].model_copy(update={"knobs": {"rais_share": 0.3}})
    wrong = entry.model_copy(update={"plays": {"all-in": play}})
    with pytest.raises(AssetError, match=r"plays.all-in.knobs: unknown rais_share \(known: reserve_quarters"):
        knob_row(wrong)


def test_think_on_the_command_line(capsys):
    from blitzgame.cli import main

    assert main(["sim", "--bots", "strategist,platform", "--labs", "2", "--think", "2", "--quiet"]) == 0
    assert "strategist@2" in capsys.readouterr().out
    assert main(["sim", "--bots", "platform", "--labs", "2", "--think", "2", "--quiet"]) == 0
    assert "--think changes only strategists, and none plays here" in capsys.readouterr().err
    assert main(["sim", "--bots", "strategist", "--think", "9"]) == 2
    err = capsys.readouterr().err
    assert "--think: a strategist's thought must be between 1 and 8, got 9" in err and err.count("--think") == 1
