"""The synthesis stage: for every story whose cross-check changed, write its brief and its
timeline (with an SVG plot) and store them.

Extractive by default: nothing is downloaded and every sentence is a cited span or a dispute
written from two cited spans, checked by synthesis/verify.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from storyline.crosscheck.claims import claims_of
from storyline.crosscheck.material import story_material
from storyline.store.crosscheck_tables import members_hash
from storyline.store.sqlite import SQLiteStore
from storyline.synthesis.brief import build_brief
from storyline.synthesis.plot import timeline_svg
from storyline.synthesis.timeline import build_timeline


@dataclass(slots=True)
class SynthesisSummary:
    written: int = 0  # stories whose brief and timeline were (re)written
    unchanged: int = 0
    sentences: int = 0
    events: int = 0


class SynthesisStage:
    name: ClassVar[str] = "synthesis.extractive.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"facts", "contradictions", "framing"})
    provides: ClassVar[frozenset[str]] = frozenset({"brief", "timeline"})

    def __init__(self, max_sentences: int = 10) -> None:
        self.max_sentences = max_sentences

    def run(
        self, store: SQLiteStore, progress: Callable[[int], None] | None = None
    ) -> SynthesisSummary:
        summary = SynthesisSummary()
        stories = store.stories.stories()
        done = store.syntheses.hashes(self.name)
        checked = store.crosschecks.hashes()  # what each stored cross-check was made from
        for story in stories:
            if checked.get(story.id) != members_hash(story.articles):
                continue  # not cross-checked (for these members) yet
            if done.get(story.id) == checked[story.id]:
                summary.unchanged += 1
                continue
            sections = store.crosschecks.get(story.id) or {}
            material = story_material(store, story.id, story.articles)
            claims = [c for source in material.sources for c in claims_of(source)]
            timeline = build_timeline(claims, sections.get("facts", []))
            brief = build_brief(sections, self.max_sentences)
            result = {
                "brief": [s.as_dict() for s in brief],
                "timeline": [e.as_dict() for e in timeline],
                "timeline_svg": timeline_svg(timeline, story.label),
            }
            with store.atomic():
                store.syntheses.put(story.id, checked[story.id], self.name, result)
            summary.written += 1
            summary.sentences += len(brief)
            summary.events += len(timeline)
            if progress:
                progress(len(story.articles))
        with store.atomic():
            store.syntheses.drop_except(s.id for s in stories)
        return summary
