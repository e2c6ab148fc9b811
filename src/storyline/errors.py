"""One exception tree, so callers can catch everything Storyline raises on purpose.

Expected per-item failures (a broken file, a bad date) are not exceptions: they become
`Problem` records. These classes are for failures that stop the whole command.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Root of every error Storyline raises deliberately; the message carries a hint."""


class StoreError(StorylineError):
    """The workspace database cannot be opened, migrated or written."""


class WorkspaceBusyError(StoreError):
    """Another process holds the workspace for writing."""


class NotFoundError(StorylineError):
    """A requested record (article, story) is not in the workspace."""


class AmbiguousIdError(StorylineError):
    """An id prefix matches more than one record."""


class PipelineError(StorylineError):
    """The stage list is inconsistent (a stage requires what no earlier stage provides)."""


class ReportError(StorylineError):
    """A report does not satisfy its JSON Schema: a bug, never the user's input."""


class SourceError(StorylineError):
    """A source the user named (a feed URL) is not usable as given."""
