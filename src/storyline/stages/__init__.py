"""Stages: small versioned classes that each turn one kind of record into the next."""

from storyline.stages.base import ArticleStage, Pipeline
from storyline.stages.clean import CleanStage

__all__ = ["ArticleStage", "CleanStage", "Pipeline"]
