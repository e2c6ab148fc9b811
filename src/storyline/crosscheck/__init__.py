"""Cross-checking one story's sources: claims, facts, contradictions, framing (issue 6)."""
