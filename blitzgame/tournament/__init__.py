"""Headless games between bots: batches in compiled code, tournaments, fidelity checks."""
