"""Limits of a game that every front end checks the same way (kept free of heavy imports)."""

MIN_SEED = 0
MAX_SEED = 2**63 - 1  # seeds are whole numbers MIN_SEED..MAX_SEED
MIN_LABS = 2
MAX_THINK = 8  # ``--think``: a strategist weighs up to this many times its futures
MAX_LABS = 8  # a scenario, a new game, a tournament, the envs
MAX_WORLD_LABS = 30  # a shared class's world, whose markets grow with its labs (classroom.shared)

# the largest numbers an orders form accepts (schemas.orders refuses more; policies stay within)
MAX_GPU_ORDER = 2_000_000.0  # GPUs per hub per quarter, and cloud GPU-equivalents
MAX_MW_ORDER = 20_000.0  # MW per hub per quarter
MAX_PEOPLE = 100_000.0
MAX_MONEY = 10_000_000.0  # $M

# a tournament's defaults (the CLI's help shows them without importing the pydantic schema)
DEFAULT_GAMES = 1000
DEFAULT_OUT = "tournament-out"
DEFAULT_MOVE_BUDGET = 1.0  # seconds a Python bot may think per quarter


def is_seed(value: int) -> bool:
    """Whether a whole number is a seed, MIN_SEED..MAX_SEED (every check of a seed's range uses this)."""
    return MIN_SEED <= value <= MAX_SEED
