"""Cleaning: boilerplate out, metadata (title, date, outlet, byline, language) recovered."""

from storyline.clean.cleaner import Cleaner

__all__ = ["Cleaner"]
