"""Turn paths, folders and stdin into `RawDocument`s (or `Problem`s), one input item at a time."""

from storyline.ingest.sources import IngestLimits, read_inputs

__all__ = ["IngestLimits", "read_inputs"]
