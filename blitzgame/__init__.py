"""Blitzgame: the strategy game of the AI compute race."""

__version__ = "0.2.0"
