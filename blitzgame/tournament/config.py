"""A tournament's configuration checked against what it names: bots that load, a scenario that exists.

``schemas.tournament.TournamentConfig`` checks the data alone (counts, ranges, flags that go
together) and never loads code or reads a file. ``prepare`` then looks up what the data
names, so a typo or a broken bot file is refused before any game is played, and fills in
what the scenario decides (the labs per game). Every error is one line naming the flag.
"""

import hashlib
from pathlib import Path

from blitzgame.limits import MAX_LABS, MIN_LABS
from blitzgame.schemas.tournament import TournamentConfig


def prepare(config: TournamentConfig) -> TournamentConfig:
    """``config`` with every bot loaded once (each under one rating), its scenario read, and
    ``labs`` taken from the scenario's roster when it was not given. ValueError (one line,
    naming the flag) if a bot cannot be loaded or made, is named twice, or the scenario is unusable."""
    from blitzgame.assets import AssetError, load_scenario
    from blitzgame.bots.loader import BotLoadError, canonical_spec, make_bot

    seen: set[str] = set()
    for spec in config.bots:
        key = canonical_spec(spec)
        if key in seen:
            raise ValueError(f"--bots: bot {spec!r} is named twice (each bot plays under one rating)")
        seen.add(key)
        try:
            make_bot(spec)  # loaded and made once: an ``__init__`` that fails is refused now, not in every game
        except BotLoadError as error:
            raise ValueError(f"--bots: {error}") from None
    try:
        scenario = load_scenario(config.scenario)
    except AssetError as error:
        raise ValueError(f"--scenario: {error}") from None
    if config.labs is not None:
        return config
    return config.model_copy(update={"labs": min(max(len(scenario.labs), MIN_LABS), MAX_LABS)})


def identity(config: TournamentConfig) -> dict:
    """What decides the results: a resumed tournament must match it (``games`` may grow)."""
    from blitzgame.assets import load_scenario
    from blitzgame.bots.loader import canonical_spec, code_fingerprint, rules_fingerprint

    return {
        "rules": rules_fingerprint(),
        "bots": list(config.bots),
        "bot_specs": [canonical_spec(spec) for spec in config.bots],
        "bot_code": [code_fingerprint(spec) for spec in config.bots],
        "games": config.games,
        "labs": config.labs,
        "seed": config.seed,
        "scenario": load_scenario(config.scenario).id,
        "scenario_source": scenario_source(config.scenario),
        "scenario_digest": scenario_digest(config.scenario),
        "move_budget": config.move_budget,
    }


def scenario_source(scenario: str) -> str:
    """A built-in scenario's id, or a scenario file's absolute path (found again from anywhere)."""
    path = Path(scenario)
    return str(path.resolve()) if path.suffix == ".toml" and path.is_file() else scenario


def scenario_digest(scenario: str) -> str:
    """SHA-256 of a scenario's validated content: a scenario file edited between runs differs."""
    from blitzgame.assets import load_scenario

    return hashlib.sha256(load_scenario(scenario).model_dump_json().encode()).hexdigest()
