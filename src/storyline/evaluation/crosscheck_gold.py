"""Score the cross-check against the example corpus's hand-made gold (examples/gold/).

    python -m storyline.evaluation.crosscheck_gold [--threshold T] [--show]

Facts: pairwise precision and recall over the claims the gold names (two claims of different
sources in one gold fact should share a predicted fact; two in different gold facts should
not). Contradictions: recall of the planted conflicts (right pair, and right kind), false
alarms on the planted compatible pairs, and every other conflict reported (not judged).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.crosscheck.align import FACT_THRESHOLD
from storyline.crosscheck.check import CrossCheck, Embed, cross_check
from storyline.crosscheck.claims import Claim
from storyline.crosscheck.material import story_material
from storyline.evaluation.example_gold import article_label
from storyline.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
GOLD_PATH = EXAMPLES / "gold" / "crosscheck.json"


@dataclass(slots=True)
class CrossCheckScores:
    fact_pairs_gold: int = 0
    fact_pairs_predicted: int = 0
    fact_pairs_right: int = 0
    unresolved: list[str] = field(default_factory=list)  # gold phrases no claim holds
    conflicts_gold: int = 0
    conflicts_found: int = 0  # right pair
    conflicts_kind_right: int = 0
    false_alarms: list[str] = field(default_factory=list)  # compatible pairs called conflicts
    compatible_gold: int = 0
    compatible_reported: int = 0  # reported as "differs in precision"
    other_conflicts: list[str] = field(default_factory=list)  # not in the gold at all
    missed: list[str] = field(default_factory=list)

    @property
    def fact_precision(self) -> float:
        return (
            self.fact_pairs_right / self.fact_pairs_predicted if self.fact_pairs_predicted else 0.0
        )

    @property
    def fact_recall(self) -> float:
        return self.fact_pairs_right / self.fact_pairs_gold if self.fact_pairs_gold else 0.0

    @property
    def conflict_recall(self) -> float:
        return self.conflicts_found / self.conflicts_gold if self.conflicts_gold else 0.0

    @property
    def conflict_precision(self) -> float:
        """Planted conflicts found / all conflicts reported (unjudged ones count against)."""
        reported = self.conflicts_found + len(self.false_alarms) + len(self.other_conflicts)
        return self.conflicts_found / reported if reported else 0.0


def _labels(workspace: Workspace) -> dict[str, str]:
    found = {}
    for article in workspace.store.iter_articles():
        for source in workspace.sources_of(article.id) or [article.source]:
            found[article_label(source, article.input_id)] = article.id
    return found


def _find(checks: Sequence[CrossCheck], article_id: str, phrase: str) -> Claim | None:
    for check in checks:
        for claim in check.claims:
            if claim.article_id == article_id and phrase in claim.text:
                return claim
    return None


def analysed_examples(path: Path) -> Workspace:
    workspace = Workspace.open(path)
    workspace.ingest([EXAMPLES])
    workspace.run()
    return workspace


def story_checks(
    workspace: Workspace, embed: Embed, threshold: float = FACT_THRESHOLD
) -> list[CrossCheck]:
    return [
        cross_check(story_material(workspace.store, s.id, s.articles), embed, threshold)
        for s in workspace.store.stories.stories()
    ]


def score(
    workspace: Workspace, checks: Sequence[CrossCheck], gold_path: Path = GOLD_PATH
) -> CrossCheckScores:
    gold: dict[str, Any] = json.loads(gold_path.read_text("utf-8"))
    labels = _labels(workspace)
    scores = CrossCheckScores()

    def resolve(ref: Sequence[str]) -> Claim | None:
        claim = _find(checks, labels.get(ref[0], ""), ref[1])
        if claim is None:
            scores.unresolved.append(f"{ref[0]}: {ref[1]}")
        return claim

    fact_of_claim: dict[str, str] = {}
    for check in checks:
        for fact in check.facts:
            for member in fact.members:
                fact_of_claim[member.id] = fact.id
    annotated: list[tuple[Claim, str]] = []
    for fact in gold["facts"]:
        for ref in fact["claims"]:
            if (claim := resolve(ref)) is not None:
                annotated.append((claim, fact["id"]))
    for (a, gold_a), (b, gold_b) in combinations(annotated, 2):
        if a.article_id == b.article_id:
            continue  # one source: not a corroboration pair
        same_gold = gold_a == gold_b
        same_predicted = fact_of_claim.get(a.id) == fact_of_claim.get(b.id) is not None
        scores.fact_pairs_gold += same_gold
        scores.fact_pairs_predicted += same_predicted
        scores.fact_pairs_right += same_gold and same_predicted

    reported = [c for check in checks for c in check.contradictions]

    def pair(item: Any) -> frozenset[str]:
        return frozenset((item.sides[0].claim.id, item.sides[1].claim.id))

    conflicts: dict[frozenset[str], Any] = {}
    numeric_conflicts: dict[frozenset[str], Any] = {}
    for c in reported:
        if not c.compatible:
            conflicts.setdefault(pair(c), c)
            if c.kind == "numeric":
                numeric_conflicts.setdefault(pair(c), c)
    compatibles = {pair(c) for c in reported if c.compatible}
    judged: set[frozenset[str]] = set()

    def pair_of(item: dict[str, Any]) -> frozenset[str] | None:
        side_a, side_b = resolve(item["a"]), resolve(item["b"])
        return None if side_a is None or side_b is None else frozenset((side_a.id, side_b.id))

    for item in gold["contradictions"]:
        scores.conflicts_gold += 1
        if (key := pair_of(item)) is None:
            continue
        judged.add(key)
        if key in conflicts:
            scores.conflicts_found += 1
            scores.conflicts_kind_right += conflicts[key].kind == item["kind"]
        else:
            scores.missed.append(f"{item['kind']}: {item['a'][1]!r} / {item['b'][1]!r}")
    for item in gold["compatible"]:
        scores.compatible_gold += 1
        if (key := pair_of(item)) is None:
            continue
        if key in numeric_conflicts:  # the gold's compatible pairs are all numeric
            scores.false_alarms.append(numeric_conflicts[key].summary)
        scores.compatible_reported += key in compatibles
    scores.other_conflicts = [c.summary for k, c in conflicts.items() if k not in judged]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, nargs="*", default=[FACT_THRESHOLD])
    parser.add_argument("--show", action="store_true", help="list misses and unjudged conflicts")
    parser.add_argument("--pairs", action="store_true", help="list the fact pairs missed")
    args = parser.parse_args()
    from storyline.stories.embeddings import Embedder

    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = analysed_examples(Path(tmp) / "examples.db")
        print("threshold  fact P  fact R  conflicts found  kind right  false alarms  unjudged")
        for threshold in args.threshold:
            result = score(workspace, story_checks(workspace, embedder.embed, threshold))
            print(
                f"{threshold:9.2f}  {result.fact_precision:6.3f}  {result.fact_recall:6.3f}  "
                f"{result.conflicts_found:>7}/{result.conflicts_gold:<7}  "
                f"{result.conflicts_kind_right:>10}  {len(result.false_alarms):>12}  "
                f"{len(result.other_conflicts):>8}"
            )
            if args.show:
                for line in result.unresolved:
                    print("  unresolved:", line)
                for line in result.missed:
                    print("  missed:", line)
                for line in result.false_alarms:
                    print("  FALSE ALARM:", line)
                for line in result.other_conflicts:
                    print("  unjudged:", line)
        workspace.close()


if __name__ == "__main__":
    main()
