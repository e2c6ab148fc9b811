"""Extraction: entities with variants merged, places geocoded (times, quantities and quotes
live in storyline.algorithms and are pure)."""
