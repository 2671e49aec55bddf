"""Blitzgame: the strategy game of the AI compute race."""

__version__ = "0.3.0"
