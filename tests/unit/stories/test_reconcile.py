"""Story ids through a batch re-clustering: kept where a story survives, events for the rest."""

from __future__ import annotations

from storyline.stories.reconcile import reconcile


def test_unchanged_groups_keep_their_ids_and_record_nothing() -> None:
    previous = {"a1": "a1", "a2": "a1", "b1": "b1"}
    outcome = reconcile([["b1"], ["a1", "a2"]], previous)
    assert outcome.ids == ["b1", "a1"]
    assert (outcome.splits, outcome.merges, outcome.unchanged) == ([], [], 2)


def test_a_story_in_two_groups_is_split_and_the_larger_part_keeps_its_id() -> None:
    previous = {"a1": "a1", "a2": "a1", "a3": "a1", "c1": "a1", "c2": "a1"}
    outcome = reconcile([["a1", "a2", "a3"], ["c1", "c2"]], previous)
    assert outcome.ids == ["a1", "c1"]
    assert outcome.splits == [("a1", "c1")]
    assert outcome.merges == [] and outcome.unchanged == 0


def test_two_stories_in_one_group_merge_into_the_larger() -> None:
    previous = {"a1": "a1", "a2": "a1", "b1": "b1"}
    outcome = reconcile([["a1", "b1", "a2"]], previous)
    assert outcome.ids == ["a1"]
    assert outcome.merges == [("a1", "b1")] and outcome.splits == []


def test_new_articles_open_stories_named_after_their_first_article() -> None:
    outcome = reconcile([["n2", "n1"], ["a1", "n3"]], {"a1": "a1"})
    assert outcome.ids == ["n2", "a1"]
    assert outcome.unchanged == 0  # a1 grew


def test_a_split_part_never_reuses_an_id_the_history_knows() -> None:
    # Article b opened story b; the story's larger part keeps the id, so the part holding b
    # itself must get a fresh id (b names a story in the history already).
    previous = {"b": "b", "b2": "b", "b3": "b"}
    outcome = reconcile([["b2", "b3"], ["b"]], previous)
    assert outcome.ids[0] == "b"
    fresh = outcome.ids[1]
    assert fresh != "b" and all(c in "0123456789abcdef" for c in fresh)
    assert outcome.splits == [("b", fresh)]
