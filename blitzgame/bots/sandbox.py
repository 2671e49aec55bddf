"""Seats: a bot at the table, kept from breaking the game it plays in.

A seat asks its bot for a lab's orders and always answers with a ``Decision``: orders
ready for ``game.submit``, or None (the lab does nothing this quarter) with the reason.

- ``InProcessSeat`` calls the bot in this process: for the trusted compiled built-ins and
  for ``blitzgame sim``. Exceptions, bad orders and slow answers are caught; a bot that
  never returns cannot be stopped here.
- ``SandboxSeat`` runs the bot in a child process of its own, which lives across games.
  A bot that hangs or kills its process forfeits the rest of the game; the next game
  gets a fresh process.

``open_seat`` picks the right one for a spec.
"""

import contextlib
import multiprocessing
import signal
import sys
import threading
import time
import weakref
from dataclasses import dataclass

from blitzgame.bots.base import Bot, CompiledBot
from blitzgame.bots.loader import (
    bot_name,
    canonical_spec,
    creation_error,
    decide_site,
    describe_exception,
    is_compiled,
    load_bot_class,
)
from blitzgame.schemas.orders import Orders, OrdersError, validate_orders

OUTCOMES = ("ok", "error", "invalid", "timeout", "forfeit")
COUNTED = {"error": "errors", "invalid": "invalids", "timeout": "timeouts", "forfeit": "forfeits"}
STARTUP_SECONDS = 60.0  # a child may import heavy libraries before it is ready
MAX_PROBLEMS = 20  # problems remembered per seat, for reports


@dataclass
class Decision:
    """A bot's answer for one lab and one quarter, as the game will play it."""

    orders: Orders | None  # validated; None: the lab plays empty orders this quarter
    outcome: str  # one of OUTCOMES
    message: str = ""  # why, when not "ok"
    seconds: float = 0.0  # time the bot took to decide


@dataclass(frozen=True)
class Problem:
    """A decision that went wrong, remembered for the report."""

    quarter: str  # the quarter's label, e.g. 2024Q3
    lab: int
    outcome: str
    message: str


def _not_orders(result: object) -> str:
    return f"decide returned {type(result).__name__}, not Orders (or a dict of order fields)"


def _check(result: object, hub_ids: tuple[str, ...], seconds: float, budget: float | None, site: str = "") -> Decision:
    """The decision for a bot's raw answer: timed out, invalid, or validated orders. ``site``:
    where the bot's ``decide`` is (``loader.decide_site``), named by an invalid answer's message."""
    if budget is not None and seconds > budget:
        return Decision(None, "timeout", f"took {seconds_text(seconds)}, over the {budget:g} s budget; orders discarded", seconds)
    if not isinstance(result, (Orders, dict)):
        return Decision(None, "invalid", _at(_not_orders(result), site), seconds)
    try:
        return Decision(validate_orders(result, hub_ids), "ok", "", seconds)
    except OrdersError as error:
        return Decision(None, "invalid", _at(str(error), site), seconds)


def seconds_text(seconds: float) -> str:
    """A decision's time as a message says it: "1.25 s", or "3.2 ms" below a tenth of a second."""
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{1000 * seconds:.2g} ms"


def _at(message: str, site: str) -> str:
    return f"{message} (decide, defined at {site})" if site else message


class Seat:
    """A bot's place at the table. One seat plays one lab at a time; use it as a context manager.

    ``counts`` holds how many decisions went wrong (per decision, i.e. per quarter),
    ``bot_seconds`` the time the bot spent deciding (``slowest`` its longest decision), ``problems``
    the first few failures.
    """

    def __init__(self, spec: str, budget: float | None, name: str) -> None:
        if budget is not None and not budget > 0:
            raise ValueError(f"the move budget must be a positive number of seconds, got {budget!r}")
        self.spec = spec
        self.budget = budget
        self.name = name  # what the standings call this bot
        self.compiled = False  # a compiled policy (trusted, plays from the state arrays)
        self.counts = {"errors": 0, "invalids": 0, "timeouts": 0, "forfeits": 0}
        self.bot_seconds = 0.0
        self.slowest = 0.0  # seconds of its longest decision
        self.decisions = 0
        self.problems: list[Problem] = []

    def new_game(self) -> None:
        """Start a new game: a fresh bot instance."""
        raise NotImplementedError

    def decide(self, game, lab: int) -> Decision:
        """The orders the bot gives for ``lab`` in ``game`` this quarter (never raises for the bot's faults)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the seat holds (its child process)."""

    def _record(self, decision: Decision, game, lab: int) -> Decision:
        self.decisions += 1
        self.bot_seconds += decision.seconds
        self.slowest = max(self.slowest, decision.seconds)
        if decision.outcome != "ok":
            self.counts[COUNTED[decision.outcome]] += 1
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(Problem(game.label, lab, decision.outcome, decision.message))
        return decision

    def __enter__(self) -> "Seat":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec!r}, budget={self.budget!r})"


class InProcessSeat(Seat):
    """Calls ``bot.orders_for(game, lab)`` in this process.

    Exceptions become "error", answers that are not valid orders "invalid", and answers
    slower than ``budget`` seconds (None: no limit) "timeout" with the orders discarded. A bot
    that never returns hangs the caller: this seat cannot stop it (``SandboxSeat`` can).
    Whatever the bot prints goes to stderr, so stdout stays the game's.
    ``spec`` may also be a ``Bot`` instance, which plays the first game.
    """

    def __init__(self, spec: "str | Bot", budget: float | None = None) -> None:
        if isinstance(spec, Bot):
            self._cls = type(spec)
            super().__init__(spec.name, budget, spec.name)
            self._bot: Bot | None = spec
        else:
            self._cls = load_bot_class(spec)
            super().__init__(spec, budget, bot_name(spec))
            self._bot = None
        self._fresh = True  # the current instance has not played yet
        self.compiled = issubclass(self._cls, CompiledBot)
        self._site = "" if self.compiled else decide_site(self._cls)
        self._warm = not self.compiled

    def new_game(self) -> None:
        if not self._fresh:
            self._bot = None  # made at the first decision, so a failing __init__ is that decision's error
            self._fresh = True

    def decide(self, game, lab: int) -> Decision:
        self._fresh = False
        # a compiled policy compiles (or loads its cache) on its first call: that one is not timed
        budget = self.budget if self._warm else None
        self._warm = True
        start = time.perf_counter()
        stdout, sys.stdout = sys.stdout, sys.stderr  # (``contextlib.redirect_stdout``, without its object per call)
        try:
            try:
                if self._bot is None:
                    self._bot = self._cls()
            except (Exception, SystemExit) as error:
                why = f"the bot could not be created: {creation_error(self._cls, error)}"
                return self._record(Decision(None, "error", why, time.perf_counter() - start), game, lab)
            try:
                result = self._bot.orders_for(game, lab)
            except (Exception, SystemExit) as error:  # SystemExit too: a bot may not end the game this way
                seconds = time.perf_counter() - start
                return self._record(Decision(None, "error", describe_exception(error), seconds), game, lab)
        finally:
            sys.stdout = stdout
        seconds = time.perf_counter() - start
        return self._record(_check(result, game.world.hub_ids, seconds, budget, self._site), game, lab)


# --- the sandbox ---------------------------------------------------------------------------
def _child_main(conn, spec: str) -> None:
    """The child process: load the bot, then answer the parent's messages until told to stop.

    Messages in: ("new",), ("decide", observation), ("stop",). Answers: ("ready"|"failed", text)
    at start, ("ok"|"error", text) to "new", and (status, payload, seconds) to "decide". A parent
    gone (Ctrl-C, a crash) ends it quietly: there is no one left to answer.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # the bot's prints go to stderr (never into the parent's output), each line whole and labelled
    # with who printed it: a tournament's workers print side by side
    sys.stdout = sys.stderr = _Labelled(sys.__stderr__)
    with contextlib.suppress(BrokenPipeError, ConnectionResetError, EOFError):
        _serve(conn, spec)


class _Labelled:
    """A text stream that writes whole lines, each after ``label`` ("[mybot · Aurora · 2024Q3] "):
    a line printed in parts (``print`` writes the text, then the newline) goes out in one write,
    so processes printing at once do not cut into each other's lines."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.label = ""
        self._partial = ""

    def write(self, text: str) -> int:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        if lines:
            self.stream.write("".join(f"{self.label}{line}\n" for line in lines))
            self.stream.flush()
        return len(text)

    def flush(self) -> None:
        if self._partial:
            self.stream.write(self.label + self._partial)
            self._partial = ""
        self.stream.flush()

    def end_line(self) -> None:
        """What a decision left unfinished (``write`` without a newline) goes out as a line of its own."""
        if self._partial:
            self.write("\n")

    def relabel(self, label: str) -> None:
        """Lines from now on go out after ``label``; what the last one left unfinished, after its own."""
        if self._partial:
            self.flush()
        self.label = label

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str):  # encoding, fileno...: the stream's
        return getattr(self.stream, name)


def _serve(conn, spec: str) -> None:
    try:
        cls = load_bot_class(spec)
    except Exception as error:
        conn.send(("failed", str(error)))
        return
    conn.send(("ready", ""))
    name = bot_name(spec)  # (once: a file bot's spec resolves its path on the disk)
    bot, broken = None, ""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if message[0] == "stop":
            return
        if message[0] == "new":
            try:
                bot, broken = cls(), ""
                conn.send(("ok", ""))
            except BaseException as error:
                bot, broken = None, f"the bot could not be created: {creation_error(cls, error)}"
                conn.send(("error", broken))
            continue
        if bot is None:
            conn.send(("error", broken or "no game started", 0.0))
            continue
        if isinstance(sys.stdout, _Labelled):
            sys.stdout.relabel(f"[{name} · {message[1].me.name} · {message[1].label}] ")
        start = time.perf_counter()
        try:
            result = bot.decide(message[1])
        except BaseException as error:  # SystemExit too: a bot may not end its process this way
            conn.send(("error", describe_exception(error), time.perf_counter() - start))
            continue
        finally:
            if isinstance(sys.stdout, _Labelled):
                sys.stdout.end_line()
        seconds = time.perf_counter() - start
        if not isinstance(result, (Orders, dict)):
            conn.send(("invalid", _not_orders(result), seconds))
            continue
        try:
            # the fields, not the object: an ``Orders`` unpickled in the parent was never validated there
            conn.send(("ok", dict(result.__dict__) if isinstance(result, Orders) else result, seconds))
        except Exception as error:  # pickling failed before anything was written
            conn.send(("invalid", f"decide returned orders that cannot be sent back: {describe_exception(error)}", seconds))


def _stop_child(process, conn) -> None:
    """End a child for good and reap it: ask, then terminate, then kill."""
    with contextlib.suppress(OSError, ValueError):
        if process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                conn.send(("stop",))
            process.join(0.5)
    _reap(process, conn)


def _reap(process, conn) -> None:
    """Terminate a child that is still running, then kill it, wait for it, and free both ends."""
    with contextlib.suppress(OSError, ValueError):
        if process.is_alive():
            process.terminate()
            process.join(1.0)
        if process.is_alive():
            process.kill()
        process.join()
    with contextlib.suppress(OSError, ValueError):
        conn.close()
    with contextlib.suppress(ValueError):
        process.close()


def _kill_child(process, conn) -> str:
    """End a child that does not answer (terminate, then kill) and reap it; how it had ended."""
    note = ""
    with contextlib.suppress(OSError, ValueError):
        process.join(0.05)  # a child that just died: let it finish, to read its exit code
        code = process.exitcode
        if code is not None:
            note = f" (killed by signal {-code})" if code < 0 else f" (exit code {code})"
    _reap(process, conn)
    return note


class _Child:
    """A running child process and the parent's end of its pipe."""

    def __init__(self, spec: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child_end = context.Pipe(duplex=True)
        self.process = context.Process(target=_child_main, args=(child_end, spec), daemon=True,
                                       name=f"blitzgame-bot {spec}")
        with sigint_ignored():  # the child is born ignoring Ctrl-C, before it runs any Python
            self.process.start()
        child_end.close()  # so the parent sees EOF when the child dies
        self._finalizer = weakref.finalize(self, _stop_child, self.process, self.conn)

    def stop(self) -> None:
        self._finalizer()

    def kill(self) -> str:
        """Kill and reap the child; how it had ended if it was already gone (e.g. " (exit code 1)")."""
        self._finalizer.detach()
        return _kill_child(self.process, self.conn)


@contextlib.contextmanager
def sigint_ignored():
    """Ctrl-C ignored in this process meanwhile, so that a process started now is born ignoring it
    (the disposition survives "spawn"'s exec, and Python then installs no KeyboardInterrupt):
    a child must not print a traceback for the parent's Ctrl-C, even while it imports."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class SandboxSeat(Seat):
    """Runs the bot in a child process ("spawn") that loads it from the spec and lives across games.

    Each decision sends the lab's ``Observation`` to the child, which calls ``decide``.
    ``budget`` counts the bot's own decide time, measured in the child. An answer
    within ``budget`` seconds is validated and played; a later one, up to ``hang_after``
    seconds (default ``max(5 * budget, budget + 2)``), is a "timeout" and discarded. No
    answer by ``hang_after``, or a dead child, is a "forfeit": the child is killed and
    reaped, the seat plays empty orders for the rest of the game at once, and the next
    ``new_game()`` starts a new child.
    """

    def __init__(self, spec: str, budget: float, hang_after: float | None = None) -> None:
        if budget is None:
            raise ValueError("a sandboxed bot needs a move budget")
        super().__init__(spec, budget, bot_name(spec))
        cls = load_bot_class(spec)
        if issubclass(cls, CompiledBot):
            raise ValueError(f"{spec}: compiled bots play from the state arrays and run in-process")
        self._site = decide_site(cls)
        self.hang_after = max(5.0 * budget, budget + 2.0) if hang_after is None else float(hang_after)
        if self.hang_after < budget:
            raise ValueError(f"hang_after ({self.hang_after:g} s) must not be shorter than the budget ({budget:g} s)")
        self._spec = canonical_spec(spec)  # the child may not share our idea of "here"
        self._child: _Child | None = None
        self._forfeit = ""  # why this game is forfeited ("" while it is not)
        self._lost = ""  # why the last question got no answer
        self._in_game = False
        self.forfeited_games = 0

    @property
    def pid(self) -> int | None:
        """The child's process id (None before it starts or after it is gone)."""
        return self._child.process.pid if self._child is not None else None

    def new_game(self) -> None:
        self._forfeit = ""
        self._in_game = True
        if self._child is not None and not self._child.process.is_alive():  # died between games
            self._child.kill()
            self._child = None
        if self._child is None:
            self._child = self._start()
            if self._child is None:
                return
        reply = self._ask(("new",), STARTUP_SECONDS)
        if reply is None:
            self._give_up(f"the bot did not start a new game: {self._lost}")

    def decide(self, game, lab: int) -> Decision:
        if not self._in_game:
            self.new_game()
        if not self._forfeit and self._child is None:
            self._give_up("the bot's process is gone")  # e.g. a decision interrupted by Ctrl-C
        if self._forfeit:
            return self._record(Decision(None, "forfeit", self._forfeit), game, lab)
        start = time.perf_counter()
        reply = self._ask(("decide", game.observe(lab)), self.hang_after)
        if reply is None:
            waited = time.perf_counter() - start
            self._give_up(self._lost)
            return self._record(Decision(None, "forfeit", self._forfeit, waited), game, lab)
        status, payload, seconds = reply
        if status == "ok":
            return self._record(_check(payload, game.world.hub_ids, seconds, self.budget, self._site), game, lab)
        if seconds > self.budget:
            status, payload = "timeout", f"took {seconds_text(seconds)}, over the {self.budget:g} s budget ({payload})"
        elif status == "invalid":
            payload = _at(payload, self._site)
        return self._record(Decision(None, status, payload, seconds), game, lab)

    def close(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None
        self._in_game = False

    # --- talking to the child ----------------------------------------------------------
    def _start(self) -> "_Child | None":
        child = _Child(self._spec)
        self._child = child
        reply = self._ask(None, STARTUP_SECONDS)
        if reply is None:
            self._give_up(f"the bot's process did not start: {self._lost}")
            return None
        if reply[0] != "ready":
            self._give_up(reply[1])
            return None
        return child

    def _ask(self, message, timeout: float):
        """Send ``message`` (None: just listen) and wait for the answer; None if there is none in time.

        When no answer comes, or this is interrupted (Ctrl-C), the child is killed: a late
        answer would otherwise be read as the answer to the next question.
        """
        child = self._child
        self._lost = ""
        done = False
        try:
            if message is not None:
                child.conn.send(message)
            if not child.conn.poll(timeout):
                self._lost = f"no answer within {timeout:g} s"
                return None
            try:
                reply = child.conn.recv()
            except (EOFError, OSError):
                raise
            except Exception as error:  # the answer arrived whole but cannot be unpickled here
                reply = ("invalid", f"the bot's answer cannot be read: {describe_exception(error)}", 0.0)
            done = True
            return reply
        except (EOFError, OSError):
            return None
        finally:
            if not done:
                note = child.kill()
                self._child = None
                self._lost = self._lost or f"the bot's process died{note}"

    def _give_up(self, why: str) -> None:
        """Forfeit the rest of this game; the child (if any) is already gone."""
        if self._child is not None:
            self._child.kill()
            self._child = None
        if not self._forfeit:
            self.forfeited_games += 1
        self._forfeit = f"forfeited for the rest of the game: {why}"


def open_seat(spec: str, budget: float | None, sandbox: bool | None = None,
              hang_after: float | None = None) -> Seat:
    """A seat for the bot ``spec``: compiled bots in this process, any other in a sandbox
    unless ``sandbox`` is False. Raises ``BotLoadError`` if the bot cannot be loaded."""
    if is_compiled(spec):
        if sandbox:
            raise ValueError(f"{spec}: compiled bots play from the state arrays and run in-process")
        return InProcessSeat(spec, budget)
    if sandbox is False:
        return InProcessSeat(spec, budget)
    return SandboxSeat(spec, budget, hang_after)
