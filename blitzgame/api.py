"""The Python API: play a whole game in one call (``blitzgame.play``).

    import blitzgame
    from blitzgame.bots import Bot, Orders

    class Hoarder(Bot):
        name = "hoarder"
        def decide(self, obs):
            return Orders(equity=0.1 * obs.me.valuation)

    played = blitzgame.play(bots=[Hoarder(), "sprinter", "defender"], scenario="base-2024", seed=7)
    for lab in played.standings.by_rank():
        print(lab.rank, lab.name, played.bots[lab.index], lab.score)
    for k, then in enumerate(played.history):  # the start, then after each quarter: cash, GPUs, share...
        print(k, [round(lab.cash) for lab in then.labs])
    print(played.game.reports[-1].news)  # the last quarter's news

Bots play as in ``blitzgame sim``: in this process, untimed, and a bot that raises or answers
nonsense plays empty orders that quarter (``problems`` says so) instead of stopping the game.
``blitzgame.testing`` builds observations for a bot's unit tests.
"""

from dataclasses import dataclass, field
from functools import cached_property

from blitzgame.bots.base import Bot
from blitzgame.bots.sandbox import InProcessSeat, Problem
from blitzgame.session.game import Game, SetupError
from blitzgame.session.rivals import with_rivals
from blitzgame.session.standings import Standings, standings


@dataclass(frozen=True)
class Played:
    """A finished game: the ``Game`` (its ``reports`` per quarter, the ``orders_log``, its raw
    state arrays), the final ``standings``, who played each lab and what went wrong;
    ``history`` is where everyone stood at the start and after each quarter."""

    game: Game
    standings: Standings
    bots: list[str]  # each lab's bot, by name
    problems: list[str]  # one line per lab whose bot's answers were refused (empty: none were)
    faults: list[Problem] = field(default_factory=list)  # each refused answer: quarter, lab, outcome, message
    # (in the order of play; a lab's first 20 (``bots.sandbox.MAX_PROBLEMS``); outcome "error", "invalid", "timeout" or "forfeit")

    @cached_property
    def history(self) -> list[Standings]:
        """Where every lab and the market stood at each point: ``history[0]`` the start,
        ``history[k]`` after quarter k, the last one the final ``standings``."""
        return [standings(self.game, k) for k in range(len(self.game.history))]

    @property
    def winner(self) -> str:
        """The name of the lab first in the final standings (``standings.winner`` is another
        figure: the index of the lab that reached escape velocity, None if none did)."""
        return self.standings.by_rank()[0].name


def play(bots: "list[str | Bot | type[Bot]]", scenario: str = "base-2024", seed: int = 0,
         labs: int | None = None, difficulty: str | None = None) -> Played:
    """Play one game to its end and return it.

    ``bots``: built-in or installed bot names, ``"path/file.py:Class"`` specs, ``Bot`` instances
    or classes, cycled over the labs (an instance plays one lab: give a class, or a name, to
    seat it at several). ``labs``: how many labs (2-8); by default as many as ``bots`` when
    they are two or more, else the scenario's own number. ``difficulty`` (easy, normal, hard,
    expert): ``bots`` take the first labs, once each, and the others (the scenario's number of
    labs, or ``labs``) get rivals drawn from that difficulty's pool with the seed, as a new
    campaign draws them. The same scenario, seed and bots give the same game, bit for bit."""
    if isinstance(bots, str):  # list("sprinter") would be eight bots named by letters
        raise SetupError(f"bots is a list of bots, e.g. {bots.split(',')!r}, not the string {bots!r}")
    bots = list(bots)
    if not bots:
        raise SetupError("name at least one bot")
    from blitzgame.assets import AssetError
    from blitzgame.bots.loader import BotLoadError

    try:  # (a scenario or a bot that cannot be loaded is a setting it does not know, as in blitzgame.testing)
        return _play(bots, scenario, seed, labs, difficulty)
    except (AssetError, BotLoadError) as error:
        raise SetupError(str(error)) from None


def _play(bots: list, scenario: str, seed: int, labs: int | None, difficulty: str | None) -> Played:
    """``play`` once its arguments are checked."""
    from blitzgame._jit_cache import announce_compile
    from blitzgame.session.headless import close_seats, kernels_for, name_apart, play_headless, seat_trouble

    if difficulty is None:
        game = Game.new(scenario, seed=seed, labs=labs if labs is not None else (len(bots) if len(bots) >= 2 else None))
        if len(bots) > game.n_labs:  # (as sim refuses --bots longer than --labs)
            raise SetupError(f"{len(bots)} bots for {game.n_labs} labs: name at most {game.n_labs}, "
                             f"or give labs={len(bots)}")
    else:
        game = Game.new(scenario, seed=seed, labs=labs)
        bots += with_rivals(len(bots), game.n_labs, seed, difficulty)
    seats = []
    for k in range(game.n_labs):
        bot = bots[k % len(bots)]
        if isinstance(bot, Bot):
            if any(seat._bot is bot for seat in seats if isinstance(seat, InProcessSeat)):
                raise SetupError(f"the bot instance {bot.name!r} would play more than one of the game's "
                                 f"{game.n_labs} labs: give its class or name to seat it at several")
            seats.append(InProcessSeat(bot))
        elif isinstance(bot, type) and issubclass(bot, Bot):
            seats.append(InProcessSeat(bot()))
        elif isinstance(bot, str):
            seats.append(InProcessSeat(bot))
        else:
            raise SetupError(f"a bot is a name, a 'file.py:Class' spec, a Bot or a Bot class, not {bot!r}")
    name_apart(seats)
    announce_compile(*kernels_for(bots))  # a first run is a silent minute otherwise
    try:
        play_headless(game, seats)
    finally:
        close_seats(seats)
    faults = sorted((p for seat in seats for p in seat.problems), key=lambda p: (p.quarter, p.lab))
    return Played(game, standings(game), [seat.name for seat in seats], seat_trouble(seats, game.names), faults)


__all__ = ["Played", "Problem", "play"]
