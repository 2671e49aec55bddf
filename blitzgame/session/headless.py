"""Headless games: every lab a bot, played to the end.

Bots play through seats (``bots.sandbox``), so a bot that raises, answers nonsense or
runs over its time plays empty orders that quarter instead of stopping the game. The
seats count what went wrong for the report.
"""

from blitzgame.bots.base import Bot
from blitzgame.bots.loader import canonical_spec, is_file_spec, make_bot
from blitzgame.bots.sandbox import InProcessSeat, Seat, open_seat
from blitzgame.session.game import Game

# what playing a game with bots compiles on its first run (``_jit_cache.compile_notice``): the
# quarter, the views a Python bot reads, the scripted bots' policies; the planner if a strategist plays
QUARTER_KERNELS = ("turn.resolve_quarter",)
VIEW_KERNELS = ("figures.lab_figures",)
POLICY_KERNELS = ("policies.policy",)
GAME_KERNELS = QUARTER_KERNELS + VIEW_KERNELS + POLICY_KERNELS  # every kind of bot but the strategist
STRATEGIST_KERNELS = ("strategist.strategist_orders",)


def kernels_for(bots: list) -> tuple[str, ...]:
    """What a game of ``bots`` (specs, ``Bot`` classes or instances) compiles on a first run: the
    quarter, and the views if a Python bot plays, the policies if a scripted bot does, the planner
    if a strategist does (the hard and expert rivals). Only those: a kernel a game never compiles
    would have it announce a compile every time."""
    from blitzgame.bots.base import CompiledBot
    from blitzgame.bots.knobs import CODE_STRATEGIST
    from blitzgame.bots.loader import load_bot_class

    def kind(bot) -> str:
        cls = load_bot_class(bot) if isinstance(bot, str) else bot if isinstance(bot, type) else type(bot)
        if not issubclass(cls, CompiledBot):
            return "python"
        return "strategist" if cls.code == CODE_STRATEGIST else "scripted"

    kinds = {kind(bot) for bot in bots}
    return (QUARTER_KERNELS + (VIEW_KERNELS if "python" in kinds else ()) + (POLICY_KERNELS if "scripted" in kinds else ())
            + (STRATEGIST_KERNELS if "strategist" in kinds else ()))


def play_headless(game: Game, players: "list[Bot | Seat]") -> Game:
    """Play ``game`` to its end, each lab's orders from its bot (or seat); returns the game.

    Bots are seated in this process with no time limit; seats are used as given and
    start a new game here. The caller closes the seats it passed in.
    """
    if len(players) != game.n_labs:
        raise ValueError(f"need one bot per lab: {game.n_labs} labs, {len(players)} bots")
    seats = [p if isinstance(p, Seat) else InProcessSeat(p) for p in players]
    for seat in seats:
        seat.new_game()
    warm_views(game, seats)
    while not game.over:
        alive = game.alive_labs()
        for lab, seat in enumerate(seats):
            if alive[lab]:
                decision = seat.decide(game, lab)
                if decision.orders is not None:
                    game.submit(lab, decision.orders, checked=True)  # the seat checked them
        game.advance()
    return game


def warm_views(game: Game, seats: "list[Seat]") -> None:
    """Build a first observation before any bot's clock starts when a Python bot will read them:
    on a first run that compiles the observations' kernels, time no bot should be charged."""
    if any(not seat.compiled for seat in seats):
        game.observe(0)


def bots_for(specs: list[str], n_labs: int) -> list[Bot]:
    """Bots by spec (a name, an installed bot or ``file.py:Class``), cycled to fill ``n_labs`` seats."""
    if not specs:
        raise ValueError("name at least one bot")
    return [make_bot(specs[k % len(specs)]) for k in range(n_labs)]


def seats_for(specs: list[str], n_labs: int, budget: float | None = None, sandbox: bool | None = False) -> list[Seat]:
    """Seats by spec, cycled to fill ``n_labs``: in this process and untimed unless asked.

    ``sandbox`` as in ``open_seat`` (None: sandbox every bot that is not compiled). Close
    the seats when done (``close_seats``).
    """
    if not specs:
        raise ValueError("name at least one bot")
    seats: list[Seat] = []
    try:
        for k in range(n_labs):
            seats.append(open_seat(specs[k % len(specs)], budget, sandbox=sandbox))
    except BaseException:
        close_seats(seats)
        raise
    name_apart(seats)
    return seats


def name_apart(seats: list[Seat]) -> None:
    """Two different bots that play under one name (a copied bot file whose ``name`` was kept) are
    shown by what picked them instead: the file spec given (``mybot2.py:MyBot2``), or a bot
    given as a class or an instance by its class's name."""
    def identity(seat: Seat):
        return getattr(seat, "_cls", None) or canonical_spec(seat.spec)

    kinds: dict[str, set] = {}
    for seat in seats:
        kinds.setdefault(seat.name, set()).add(identity(seat))
    for seat in seats:
        if len(kinds[seat.name]) > 1:
            picked = identity(seat)  # (a sandboxed seat knows its spec, not its class)
            seat.name = seat.spec if is_file_spec(seat.spec) or isinstance(picked, str) else picked.__name__


def close_seats(seats: list[Seat]) -> None:
    """Close every seat (their child processes, if any)."""
    for seat in seats:
        seat.close()


_TROUBLE = {"errors": ("error", "errors"), "invalids": ("invalid answer", "invalid answers"),
            "timeouts": ("timeout", "timeouts"), "forfeits": ("quarter forfeited", "quarters forfeited")}


def seat_trouble(seats: list[Seat], names: list[str]) -> list[str]:
    """One line per lab whose bot went wrong: what and how often, and the first problem, e.g.
    ``Aurora Research (MomentumBot): 3 errors; first in 2024Q2: ZeroDivisionError: division by zero (bot.py:41)``."""
    lines = []
    for name, seat in zip(names, seats):
        counts = [f"{n} {_TROUBLE[kind][n != 1]}" for kind, n in seat.counts.items() if n]
        if counts:
            first = seat.problems[0]
            lines.append(f"{name} ({seat.name}): {', '.join(counts)}; first in {first.quarter}: {first.message}")
    return lines
