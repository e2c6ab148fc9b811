"""Evaluation helpers: generated data with known truth, and the metrics computed on it."""
