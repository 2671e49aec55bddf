"""Seats: a bot that raises, answers nonsense, runs slow, hangs or dies costs its lab a quarter
(or the rest of the game), never the game itself.

Spawning a child process costs about half a second, so the sandboxed cases share one seat
(its ``TroubleBot`` misbehaves differently for each lab) and only the hang test starts its own.
"""

import multiprocessing
import re
import time
from pathlib import Path

import pytest

from blitzgame.bots.loader import BotLoadError, make_bot
from blitzgame.bots.sandbox import InProcessSeat, SandboxSeat
from blitzgame.session.game import Game
from blitzgame.session.headless import play_headless, seat_trouble

TROUBLE = Path(__file__).resolve().parent / "fixtures" / "trouble_bots.py"
BOT = f"{TROUBLE}:TroubleBot"
OK, RAISE, GARBAGE, UNKNOWN_HUB, SLOW, HANG, DIE, COUNT = range(8)  # TroubleBot's fault by lab


@pytest.fixture(scope="module")
def game(world) -> Game:
    return Game.new(world, seed=5, labs=8)


@pytest.fixture(scope="module")
def sandboxed():
    with SandboxSeat(BOT, budget=0.1, hang_after=2.0) as seat:
        seat.new_game()
        yield seat


@pytest.fixture(params=["in-process", "sandbox"])
def seat(request):
    if request.param == "sandbox":
        return request.getfixturevalue("sandboxed")
    return InProcessSeat(BOT, budget=0.1)


def _alive_children(pids) -> list:
    return [child for child in multiprocessing.active_children() if child.pid in pids]


def _gone(pid: int) -> bool:
    """No process, not even a zombie, has this pid (Linux; elsewhere trust active_children)."""
    return not Path("/proc").is_dir() or not Path(f"/proc/{pid}").exists()


# --- one quarter, one fault --------------------------------------------------------------------
def test_good_orders_are_validated_and_ready_to_submit(seat, game):
    decision = seat.decide(game, OK)
    assert decision.outcome == "ok" and decision.message == ""
    assert decision.orders.train_split == 0.5 and 0.0 <= decision.seconds < 0.1
    game.submit(OK, decision.orders)


def test_a_bot_that_raises_is_an_error_with_the_exception_on_one_line(seat, game):
    decision = seat.decide(game, RAISE)
    assert decision.outcome == "error" and decision.orders is None
    assert decision.message.startswith("ValueError: boom (trouble_bots.py:")


def test_an_answer_that_is_not_orders_is_invalid(seat, game):
    decision = seat.decide(game, GARBAGE)
    assert decision.outcome == "invalid" and decision.orders is None
    # (no line raised: the message points to the bot's decide)
    assert decision.message == ("decide returned str, not Orders (or a dict of order fields) "
                                "(decide, defined at trouble_bots.py:28)")


def test_orders_for_an_unknown_hub_are_invalid(seat, game):
    decision = seat.decide(game, UNKNOWN_HUB)
    assert decision.outcome == "invalid" and decision.orders is None
    assert "unknown hub 'atlantis'" in decision.message and "virginia" in decision.message
    assert decision.message.endswith("(decide, defined at trouble_bots.py:28)")


def test_orders_slower_than_the_budget_are_discarded(seat, game):
    decision = seat.decide(game, SLOW)
    assert decision.outcome == "timeout" and decision.orders is None
    assert decision.seconds >= 0.3 and "over the 0.1 s budget" in decision.message


def test_a_dict_of_order_fields_is_accepted(seat, game):
    decision = seat.decide(game, COUNT)
    assert decision.outcome == "ok" and decision.orders.train_split == 0.7 and decision.orders.hire >= 1


def test_each_game_gets_a_fresh_bot_and_the_same_bot_within_a_game(seat, game):
    seat.new_game()
    assert [seat.decide(game, COUNT).orders.hire for _ in range(3)] == [1.0, 2.0, 3.0]
    seat.new_game()
    assert seat.decide(game, COUNT).orders.hire == 1.0


def test_a_seat_counts_what_went_wrong():
    game = Game.new("base-2024", seed=1, labs=8)
    seat = InProcessSeat(BOT, budget=0.1)
    outcomes = [seat.decide(game, lab).outcome for lab in (OK, RAISE, GARBAGE, UNKNOWN_HUB, SLOW, RAISE)]
    assert outcomes == ["ok", "error", "invalid", "invalid", "timeout", "error"]
    assert seat.counts == {"errors": 2, "invalids": 2, "timeouts": 1, "forfeits": 0}
    assert seat.decisions == 6 and seat.bot_seconds >= 0.3
    first, second = seat.problems[:2]
    assert (first.quarter, first.lab, first.outcome) == ("2024Q1", RAISE, "error")
    assert (second.quarter, second.lab, second.outcome) == ("2024Q1", GARBAGE, "invalid")


def test_a_failing_bot_plays_empty_orders_and_the_game_goes_on(sandboxed, world):
    game = Game.new(world, seed=3, labs=2)
    sandboxed.problems.clear()  # the seat is shared by this module's tests: its report starts here
    before = dict(sandboxed.counts)
    play_headless(game, [make_bot("baseline"), sandboxed])  # lab 1: TroubleBot raises every quarter
    assert game.over
    quarters_alive = sum(1 for snap in game.history[:-1] if snap.labs[1, 0] == 0.0)
    assert sandboxed.counts["errors"] - before["errors"] == quarters_alive > 0
    assert all(orders[1].compact() == {} for orders in game.orders_log)
    [line] = seat_trouble([sandboxed], ["Helix Labs"])
    assert line.startswith("Helix Labs (TroubleBot): ") and "errors" in line and "ValueError: boom" in line


# --- hangs and crashes -------------------------------------------------------------------------
def test_a_hanging_bot_forfeits_the_game_and_the_next_game_gets_a_new_process(game):
    seat = SandboxSeat(BOT, budget=0.1, hang_after=1.0)
    seat.new_game()
    first = seat.pid
    start = time.perf_counter()
    decision = seat.decide(game, HANG)
    assert time.perf_counter() - start < 2.5
    assert decision.outcome == "forfeit" and decision.orders is None
    assert decision.message == "forfeited for the rest of the game: no answer within 1 s"
    assert seat.pid is None and not _alive_children({first}) and _gone(first)

    start = time.perf_counter()
    later = seat.decide(game, OK)  # the rest of this game is forfeited, without asking anyone
    assert time.perf_counter() - start < 0.05
    assert later.outcome == "forfeit" and later.message == decision.message and seat.pid is None

    seat.new_game()
    second = seat.pid
    assert second not in (None, first)
    assert seat.decide(game, OK).outcome == "ok"

    died = seat.decide(game, DIE)  # os._exit(3) in the middle of decide
    assert died.outcome == "forfeit" and died.message.endswith("the bot's process died (exit code 3)")
    assert not _alive_children({second}) and _gone(second)
    assert seat.counts["forfeits"] == 3 and seat.forfeited_games == 2

    seat.new_game()
    third = seat.pid
    seat.close()
    assert not _alive_children({first, second, third}) and _gone(third)


def test_a_sandbox_needs_a_budget_and_cannot_run_compiled_bots():
    with pytest.raises(ValueError, match="budget"):
        SandboxSeat(BOT, budget=0.0)
    with pytest.raises(ValueError, match="hang_after"):
        SandboxSeat(BOT, budget=1.0, hang_after=0.5)
    with pytest.raises(ValueError, match="in-process"):
        SandboxSeat("baseline", budget=1.0)


def test_closing_every_seat_leaves_no_child_process(sandboxed):
    pid = sandboxed.pid
    sandboxed.close()
    assert sandboxed.pid is None and not _alive_children({pid}) and _gone(pid)
    assert multiprocessing.active_children() == []


def test_a_bot_whose_init_wants_arguments_is_pointed_at_its_class(game):
    """The TypeError is raised where the game makes the bot, not in the bot's file: the message
    names the class's own line instead, in process, in the sandbox and when loading by name."""
    line = next(k for k, text in enumerate(TROUBLE.read_text().splitlines(), 1) if "class NeedsArgumentsBot" in text)
    said = f"(making NeedsArgumentsBot() at trouble_bots.py:{line}: a bot is made with no arguments)"
    decision = InProcessSeat(f"{TROUBLE}:NeedsArgumentsBot", budget=None).decide(game, OK)
    assert decision.outcome == "error" and decision.message.startswith("the bot could not be created: TypeError:")
    assert decision.message.endswith(said)
    with SandboxSeat(f"{TROUBLE}:NeedsArgumentsBot", budget=1.0) as sandboxed:
        assert sandboxed.decide(game, OK).message.endswith(said)
    with pytest.raises(BotLoadError, match=re.escape(said)):
        make_bot(f"{TROUBLE}:NeedsArgumentsBot")


def test_a_bot_that_cannot_be_created_errs_every_quarter_in_process(game):
    seat = InProcessSeat(f"{TROUBLE}:BrokenInitBot", budget=None)
    decisions = [seat.decide(game, OK) for _ in range(2)]
    assert [d.outcome for d in decisions] == ["error", "error"]
    assert decisions[0].message.startswith("the bot could not be created: RuntimeError: no config file (trouble_bots.py:")


@pytest.mark.parametrize(("line", "message"), [
    ("return Orders(hire=obs.me.cahs)",
     "AttributeError: 'LabView' object has no attribute 'cahs' (did you mean 'cash'?) (typo_bot.py:7)"),
    ("return Orders(hire=obs.me.last_quarter['hires_wn'])",
     "KeyError: \"'hires_wn' is not a figure of the last quarter (did you mean 'hires_won'?)\" (typo_bot.py:7)"),
    ("return Orders(hire=obs.market.sentimnt)",
     "AttributeError: 'MarketView' object has no attribute 'sentimnt' (did you mean 'sentiment'?) (typo_bot.py:7)"),
])
def test_a_misspelt_figure_is_named_with_the_one_meant_at_the_bots_line(tmp_path, game, line, message):
    """Not at the line of Blitzgame's own view that raised for it (observation.py)."""
    (tmp_path / "typo_bot.py").write_text("from blitzgame.bots import Bot, Orders\n\n\nclass Typo(Bot):\n"
                                          f"    def decide(self, obs):\n        x = 1\n        {line}\n")
    decision = InProcessSeat(f"{tmp_path / 'typo_bot.py'}:Typo").decide(game, OK)
    assert decision.outcome == "error" and decision.message == message


def test_a_sandboxed_bots_prints_go_to_stderr_whole_and_labelled(game, capfd):
    """A tournament's workers print side by side: each line says which bot, lab and quarter printed
    it, and goes out whole (print writes the text, then the newline)."""
    with SandboxSeat(f"{TROUBLE}:FlakyBot", budget=5.0) as seat:
        seat.new_game()
        seat.decide(game, 0)  # quarter 0: it thinks out loud
    out, err = capfd.readouterr()
    assert "thinking out loud" not in out
    assert f"[{seat.name} · {game.names[0]} · {game.label}] FlakyBot thinking out loud\n" in err


def test_a_line_a_decision_leaves_unfinished_ends_with_the_decision():
    """``sys.stdout.write("no newline")`` in one decision ran into the next decision's label."""
    import io

    from blitzgame.bots.sandbox import _Labelled

    stream = io.StringIO()
    labelled = _Labelled(stream)
    labelled.relabel("[a] ")
    labelled.write("no newline")
    labelled.end_line()  # as the seat does when decide returns
    labelled.relabel("[b] ")
    labelled.write("x\ny")
    labelled.end_line()
    assert stream.getvalue() == "[a] no newline\n[b] x\n[b] y\n"
