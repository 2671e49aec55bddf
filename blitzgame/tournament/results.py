"""What a tournament keeps of each game, as columns, and the standings built from them.

``GameResults`` holds one row per game and one column per seat, as numpy arrays, so a
batch of thousands of games moves between processes, is written to ``games.csv`` and is
counted into the standings without a Python object per lab. ``Standings`` rates the bots
game by game (openskill's Plackett-Luce) and counts wins, survivals and bot faults.

``games.csv`` has one row per lab per game, in game then seat order, with the columns
``CSV_COLUMNS``:

- ``rank`` 1 = best, by the game's final ranking, except that a bot that forfeited ranks
  after every bot that did not; ``status`` alive, bankrupt, acquired or forfeited (a
  forfeit shows whatever became of the lab);
- ``score``, ``final_gpus`` (GPUs online at the end), ``gpus_y2`` (online after the
  second year, or at the end if sooner), ``final_share`` (share of the AI revenue pool);
- ``q_10k``: the quarter (0 = the campaign's first) it first had 10,000 GPUs online;
  ``music_stopped_q``: the quarter the music stopped; ``runway_at_stop``: the lab's
  quarters of runway going into that quarter; empty when it never happened;
- ``regime``: the endgame; ``stranded_share``: the mean share of its GPUs idle for lack
  of power over the quarters it owned any (empty if none);
- ``quarters``: the quarters the game lasted; ``ended``: why it ended (``session.standings.ENDINGS``:
  escape velocity, campaign end, no lab left, last lab);
- ``errors``: decisions that raised; ``invalids``: decisions whose answer was not valid orders;
  ``timeouts``: decisions over the move budget; ``forfeits``: 1 if the seat forfeited the game
  (all zero for built-in bots).
"""

import csv
import io
from dataclasses import dataclass, fields

import numpy as np

from blitzgame.bots.arena import ST_GPUS_Y2, ST_Q_10K, ST_RUNWAY_AT_STOP, ST_STRANDED_QUARTERS, ST_STRANDED_SUM
from blitzgame.engine import layout as F
from blitzgame.session.standings import ENDINGS, ending

CSV_COLUMNS = ("game", "seed", "scenario", "seat", "bot", "rank", "status", "score", "final_gpus", "gpus_y2",
               "q_10k", "music_stopped_q", "runway_at_stop", "regime", "stranded_share", "final_share",
               "quarters", "ended", "errors", "invalids", "timeouts", "forfeits")
FORFEITED = 3  # a status code beside the engine's ALIVE / BANKRUPT / ACQUIRED
STATUS_LABELS = ("alive", "bankrupt", "acquired", "forfeited")
assert all(STATUS_LABELS[int(code)] == name for code, name in F.STATUS_NAMES.items())
FAULTS = ("errors", "invalids", "timeouts", "forfeits")


def tournament_ranks(engine_rank: np.ndarray, forfeit: np.ndarray) -> np.ndarray:
    """Ranks ``[G, L]`` (1 = best) as a tournament gives them: the game's own (``engine_rank``),
    except that seats that forfeited (``forfeit``) come after every seat that did not, each
    group in the game's order."""
    rank = engine_rank.astype(np.int64)
    if forfeit.any():
        g, n = rank.shape
        order = np.lexsort((engine_rank, forfeit), axis=-1)
        rank = np.empty((g, n), dtype=np.int64)
        np.put_along_axis(rank, order, np.arange(1, n + 1)[None, :].repeat(g, axis=0), axis=1)
    return rank


@dataclass(frozen=True, eq=False)
class GameResults:
    """Games ``game[0]..``: per game ``[G]``, per seat ``[G, L]``. Never-happened is -1
    (whole numbers) or NaN (the others)."""

    game: np.ndarray  # [G] int64 index in the tournament
    seed: np.ndarray  # [G] uint64 (``blitzgame sim --seed`` plays it again)
    seats: np.ndarray  # [G, L] int64 index into the bots list
    rank: np.ndarray  # [G, L] int64, 1 = best; forfeits after the rest
    status: np.ndarray  # [G, L] int64, index into STATUS_LABELS
    score: np.ndarray  # [G, L]
    gpus: np.ndarray  # [G, L] online at the end
    gpus_y2: np.ndarray  # [G, L]
    q_10k: np.ndarray  # [G, L] int64, -1 never
    runway_at_stop: np.ndarray  # [G, L], NaN if the music never stopped
    stranded_share: np.ndarray  # [G, L], NaN if it never owned GPUs
    share: np.ndarray  # [G, L]
    music_q: np.ndarray  # [G] int64, -1 never
    regime: np.ndarray  # [G] int64, index into layout.REGIME_NAMES
    quarters: np.ndarray  # [G] int64 quarters played
    ended: np.ndarray  # [G] int64 why the game ended, index into session.standings.ENDINGS
    errors: np.ndarray  # [G, L] int64 decisions that raised
    invalids: np.ndarray  # [G, L] int64 decisions with invalid orders
    timeouts: np.ndarray  # [G, L] int64 decisions over the move budget
    forfeits: np.ndarray  # [G, L] int64, 1 if the seat forfeited the game
    problem: np.ndarray  # [G, L, 4] object: the seat's first fault of each kind (FAULTS) in the game, in words
    # ("" if none)

    @property
    def games(self) -> int:
        return int(self.game.shape[0])

    @property
    def labs(self) -> int:
        return int(self.seats.shape[1])

    @classmethod
    def from_states(cls, game: np.ndarray, seed: np.ndarray, seats: np.ndarray, labs: np.ndarray,
                    worlds: np.ndarray, stats: np.ndarray, played: np.ndarray,
                    faults: np.ndarray | None = None, problems: np.ndarray | None = None) -> "GameResults":
        """Results from final states ``labs [G, L, F]``, ``worlds [G, W]``, arena ``stats``,
        ``faults [G, L, 4]`` (errors, invalids, timeouts, forfeits; None: none) and
        ``problems [G, L, 4]`` (each seat's first fault of each kind, in words; None: none)."""
        g, n = seats.shape
        faults = np.zeros((g, n, len(FAULTS)), dtype=np.int64) if faults is None else faults.astype(np.int64)
        problems = np.full((g, n, len(FAULTS)), "", dtype=object) if problems is None else problems.astype(object)
        forfeit = faults[:, :, 3] > 0
        rank = tournament_ranks(labs[:, :, F.RANK], forfeit)
        status = labs[:, :, F.STATUS].astype(np.int64)
        status[forfeit] = FORFEITED
        stop = stats[:, :, ST_RUNWAY_AT_STOP]
        counted = stats[:, :, ST_STRANDED_QUARTERS]
        with np.errstate(invalid="ignore", divide="ignore"):
            stranded = np.where(counted > 0, stats[:, :, ST_STRANDED_SUM] / np.where(counted > 0, counted, 1.0), np.nan)
        return cls(
            game=np.asarray(game, dtype=np.int64), seed=np.asarray(seed, dtype=np.uint64),
            seats=np.asarray(seats, dtype=np.int64), rank=rank, status=status,
            score=labs[:, :, F.SCORE].copy(), gpus=labs[:, :, F.ONLINE].copy(),
            gpus_y2=stats[:, :, ST_GPUS_Y2].copy(), q_10k=stats[:, :, ST_Q_10K].astype(np.int64),
            runway_at_stop=np.where(stop >= 0, stop, np.nan), stranded_share=stranded,
            share=labs[:, :, F.SHARE].copy(), music_q=worlds[:, F.MUSIC_QUARTER].astype(np.int64),
            regime=worlds[:, F.REGIME].astype(np.int64), quarters=np.asarray(played, dtype=np.int64),
            ended=ending(worlds, labs).astype(np.int64),
            errors=faults[:, :, 0].copy(), invalids=faults[:, :, 1].copy(), timeouts=faults[:, :, 2].copy(),
            forfeits=faults[:, :, 3].copy(), problem=problems.copy(),
        )

    def take(self, index) -> "GameResults":
        """The games at ``index`` (an array of row numbers or a slice)."""
        return GameResults(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(parts: "list[GameResults]") -> "GameResults":
        """Results one after another (their games in the order given)."""
        if not parts:
            raise ValueError("nothing to join")
        if len(parts) == 1:
            return parts[0]
        return GameResults(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(GameResults)})

    @staticmethod
    def interleave(parts: "list[GameResults]") -> "GameResults":
        """Results of games played in separate groups, put back in game order."""
        joined = GameResults.concat(parts)
        order = np.argsort(joined.game, kind="stable")
        return joined if (order == np.arange(len(order))).all() else joined.take(order)

    def rows(self, bots: list[str], scenario: str) -> list[dict]:
        """The rows of ``games.csv`` as dicts (None where the cell is empty)."""
        cells = self.columns(bots, scenario)
        out = []
        for k in range(self.games * self.labs):
            out.append({name: (None if cells[name][k] == "" else cells[name][k]) for name in CSV_COLUMNS})
        return out

    # --- games.csv -----------------------------------------------------------------
    def columns(self, bots: list[str], scenario: str) -> dict[str, np.ndarray]:
        """Each CSV column as an array of strings, one per lab per game (row-major), as the
        cells read back (the ``csv`` module quotes them when they are written)."""
        g, n = self.seats.shape
        per_game = lambda a: np.repeat(a, n)  # noqa: E731
        flat = lambda a: a.reshape(-1)  # noqa: E731
        names = np.array(list(bots), dtype=object)
        regimes = np.array(F.REGIME_NAMES, dtype=object)
        return {
            "game": per_game(self.game).astype(str),
            "seed": per_game(self.seed).astype(str),
            "scenario": np.full(g * n, scenario, dtype=object),
            "seat": np.tile(np.arange(n), g).astype(str),
            "bot": names[flat(self.seats)],
            "rank": flat(self.rank).astype(str),
            "status": np.array(STATUS_LABELS, dtype=object)[flat(self.status)],
            "score": _decimals(flat(self.score), 3),
            "final_gpus": _decimals(flat(self.gpus), 1),
            "gpus_y2": _decimals(flat(self.gpus_y2), 1),
            "q_10k": _whole_or_empty(flat(self.q_10k)),
            "music_stopped_q": _whole_or_empty(per_game(self.music_q)),
            "runway_at_stop": _decimals(flat(self.runway_at_stop), 3),
            "regime": regimes[per_game(self.regime)],
            "stranded_share": _decimals(flat(self.stranded_share), 6),
            "final_share": _decimals(flat(self.share), 6),
            "quarters": per_game(self.quarters).astype(str),
            "ended": np.array(ENDINGS, dtype=object)[per_game(self.ended)],
            "errors": flat(self.errors).astype(str),
            "invalids": flat(self.invalids).astype(str),
            "timeouts": flat(self.timeouts).astype(str),
            "forfeits": flat(self.forfeits).astype(str),
        }

    def csv_text(self, bots: list[str], scenario: str) -> str:
        """The games' rows of ``games.csv`` (no header), each ending in a newline."""
        if self.games == 0:
            return ""
        cells = self.columns(bots, scenario)
        return csv_lines(zip(*(cells[name].tolist() for name in CSV_COLUMNS)))


def csv_header() -> str:
    """The first line of ``games.csv``: the column names."""
    return csv_lines([CSV_COLUMNS])


def csv_lines(rows) -> str:
    """Rows of cells as ``games.csv`` text: the ``csv`` module's writer, a cell quoted only if
    it must be (a comma, a quote or a line break in it), every row ending in ``\\n``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _decimals(values: np.ndarray, digits: int) -> np.ndarray:
    """Floats rounded to ``digits`` in their shortest form ('' for NaN; -0.0 prints as 0.0)."""
    rounded = np.round(values, digits) + 0.0
    text = rounded.astype(str).astype(object)
    missing = np.isnan(values)
    if missing.any():
        text[missing] = ""
    return text


def _whole_or_empty(values: np.ndarray) -> np.ndarray:
    text = values.astype(str).astype(object)
    text[values < 0] = ""
    return text


# --- standings -----------------------------------------------------------------------
COUNTERS = ("games", "played", "wins", "survived", "rank_sum", *FAULTS)  # "games" counts seats, "played" games
PROBLEMS_KEPT = 5  # per bot: its first faults (the first of each kind always), with the game and seat to watch


class Standings:
    """Ratings and counts per bot, updated game by game in game order.

    Every seat is a one-player team in one openskill Plackett-Luce ``rate`` per game,
    ranked by the tournament rank. A bot that holds several seats of a game (fewer bots
    than seats) enters once per seat with its rating from before the game, and its new
    rating is the mean of its seats' updated ``mu`` and ``sigma``.
    """

    def __init__(self, n_bots: int, state: dict | None = None) -> None:
        from openskill.models import PlackettLuce

        self.model = PlackettLuce()
        self.n_bots = n_bots
        if state is None:
            self.ratings = [self.model.rating() for _ in range(n_bots)]
            self.counts = {name: np.zeros(n_bots, dtype=np.int64) for name in COUNTERS}
            self.ahead = np.zeros((n_bots, n_bots), dtype=np.int64)  # [a, b]: meetings a finished ahead of b
            self.met = np.zeros((n_bots, n_bots), dtype=np.int64)  # [a, b]: a's seats in a game with b's
            self.problems: list[list[dict]] = [[] for _ in range(n_bots)]  # each bot's first faults
        else:
            if len(state["ratings"]) != n_bots:
                raise ValueError(f"the saved standings have {len(state['ratings'])} bots, expected {n_bots}")
            missing = [name for name in COUNTERS if name not in state["counts"]]
            if missing:
                raise ValueError(f"the saved standings were made by an older Blitzgame (no {', '.join(missing)}); "
                                 "start a new tournament (another --out)")
            self.ratings = [self.model.rating(mu=float(mu), sigma=float(sigma)) for mu, sigma in state["ratings"]]
            self.counts = {name: np.array(state["counts"][name], dtype=np.int64) for name in COUNTERS}
            if "ahead" not in state:
                raise ValueError("the saved standings were made by an older Blitzgame (no head-to-head counts); "
                                 "start a new tournament (another --out)")
            self.ahead = np.array(state["ahead"], dtype=np.int64).reshape(n_bots, n_bots)
            self.met = np.array(state["met"], dtype=np.int64).reshape(n_bots, n_bots)
            self.problems = [list(kept) for kept in state.get("problems", [[] for _ in range(n_bots)])]

    def add(self, results: GameResults) -> None:
        """Count and rate ``results``' games, in their order."""
        n = self.n_bots
        seats = results.seats
        c = self.counts
        c["games"] += np.bincount(seats.ravel(), minlength=n)
        in_game = np.zeros((seats.shape[0], n), dtype=bool)
        in_game[np.arange(seats.shape[0])[:, None], seats] = True
        c["played"] += in_game.sum(axis=0)
        c["wins"] += np.bincount(seats[results.rank == 1], minlength=n)
        c["survived"] += np.bincount(seats[results.status == int(F.ALIVE)], minlength=n)
        c["rank_sum"] += np.bincount(seats.ravel(), weights=results.rank.ravel(), minlength=n).astype(np.int64)
        for name in FAULTS:
            c[name] += np.bincount(seats.ravel(), weights=getattr(results, name).ravel(), minlength=n).astype(np.int64)
        self._head_to_head(seats, results.rank)
        self._keep_problems(results)
        self._rate(seats.tolist(), results.rank.tolist())

    def _keep_problems(self, results: GameResults) -> None:
        """Each bot's first ``PROBLEMS_KEPT`` faults in game order, and the first of each kind
        whatever came before: which kind, where and what."""
        for row, seat, kind in zip(*np.nonzero(results.problem != "")):
            kept = self.problems[int(results.seats[row, seat])]
            if len(kept) < PROBLEMS_KEPT or all(p["kind"] != FAULTS[kind] for p in kept):
                kept.append({"kind": FAULTS[kind], "game": int(results.game[row]), "seat": int(seat),
                             "message": str(results.problem[row, seat, kind])})

    def _head_to_head(self, seats: np.ndarray, rank: np.ndarray) -> None:
        """Every pair of seats of a game (of different bots) is one meeting of their bots; the
        one that placed better finished ahead (a tie: neither)."""
        n = self.n_bots
        labs = seats.shape[1]
        for x in range(labs):
            for y in range(labs):
                if x == y:
                    continue
                a, b = seats[:, x], seats[:, y]
                other = a != b
                np.add.at(self.met, (a[other], b[other]), 1)
                won = other & (rank[:, x] < rank[:, y])
                np.add.at(self.ahead, (a[won], b[won]), 1)
        assert self.met.shape == (n, n)

    def head_to_head(self, names: list[str]) -> dict[str, dict[str, float]]:
        """Per bot and rival: the share of their meetings it finished ahead (bots that never met: absent)."""
        return {a: {b: _per(self.ahead[i, j], int(self.met[i, j])) for j, b in enumerate(names) if self.met[i, j]}
                for i, a in enumerate(names)}

    def _rate(self, seats: list[list[int]], ranks: list[list[int]]) -> None:
        rate, ratings = self.model.rate, self.ratings
        for lineup, rank in zip(seats, ranks):
            new = rate([[ratings[b]] for b in lineup], ranks=rank)
            if len(set(lineup)) == len(lineup):
                for b, team in zip(lineup, new):
                    ratings[b] = team[0]
                continue
            updated: dict[int, list] = {}
            for b, team in zip(lineup, new):
                updated.setdefault(b, []).append(team[0])
            for b, mine in updated.items():
                mu = sum(r.mu for r in mine) / len(mine)
                sigma = sum(r.sigma for r in mine) / len(mine)
                ratings[b] = self.model.rating(mu=mu, sigma=sigma)

    def state(self) -> dict:
        """Everything needed to carry on later, as JSON-safe values (floats round-trip exactly)."""
        return {"ratings": [[r.mu, r.sigma] for r in self.ratings],
                "counts": {name: self.counts[name].tolist() for name in COUNTERS},
                "ahead": self.ahead.tolist(), "met": self.met.tolist(), "problems": self.problems}

    def bots(self, names: list[str]) -> list[dict]:
        """Per bot, in the order of ``names``: the ``summary.json`` entries."""
        out = []
        c = self.counts
        for b, name in enumerate(names):
            seats = int(c["games"][b])  # rates are per seat: a bot in two seats of a game counts twice there
            out.append({
                "name": name, "games": int(c["played"][b]), "seats": seats, "wins": int(c["wins"][b]),
                "win_rate": _per(c["wins"][b], seats), "survival_rate": _per(c["survived"][b], seats),
                "mean_rank": _per(c["rank_sum"][b], seats),
                "rating_mu": round(self.ratings[b].mu, 6), "rating_sigma": round(self.ratings[b].sigma, 6),
                "errors": int(c["errors"][b]), "invalids": int(c["invalids"][b]),
                "timeouts": int(c["timeouts"][b]), "forfeits": int(c["forfeits"][b]),
                "problems": list(self.problems[b]),
            })
        return out


def _per(count, games: int) -> float | None:
    """A rate over a bot's seats; None (null in summary.json, "-" in the table) for a bot that played none."""
    return round(float(count) / games, 6) if games else None


def by_rating(bots: list[dict]) -> list[dict]:
    """Bots best first: by rating (mu), then by name."""
    return sorted(bots, key=lambda b: (-b["rating_mu"], b["name"]))
