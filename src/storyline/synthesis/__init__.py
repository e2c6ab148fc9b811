"""Synthesis: a neutral, cited brief and a dated timeline per story (issue 7)."""
