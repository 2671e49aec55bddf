"""Limits of a game that every front end checks the same way (kept free of heavy imports)."""

MAX_SEED = 2**63 - 1  # seeds are whole numbers 0..MAX_SEED
MIN_LABS = 2
MAX_LABS = 8
