"""Persistence: the `Store` protocol and its default SQLite implementation."""

from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store"]
