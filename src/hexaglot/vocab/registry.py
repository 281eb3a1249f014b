"""All vocabularies in one registry: States, regions, organizations, topics and persons."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from hexaglot.vocab.concepts import Concept, labels_from_list, load_data, slug
from hexaglot.vocab.countries import states

#: Acronyms that are ordinary words or abbreviations in English text: searchable, not matched.
UNMATCHED_ACRONYMS = frozenset({"OCT", "PAM", "CPI", "OOPS", "BLT", "DECT", "MNA", "CDI", "UA",
                                "UE", "OCS", "CCG", "OCI", "CEI", "OEA", "OMS", "OMC", "HCR"})


def _entries(name: str, kind: str) -> Iterable[Concept]:
    for entry in load_data(name):
        labels = labels_from_list(entry["labels"])
        acronyms = [a for a in entry.get("acronyms", []) if a]
        aliases = [a for a in entry.get("aliases", []) if a]
        terms = [t for t in entry.get("terms", []) if t]
        forms = [labels["en"], *aliases, *terms]
        forms += [a for a in acronyms if a.isascii() and a not in UNMATCHED_ACRONYMS]
        searchable = sorted({*labels.values(), *aliases, *acronyms, *terms} - {labels["en"]})
        yield Concept(id=entry["id"], kind=kind, label=labels["en"], labels=labels,
                      aliases=tuple(searchable), forms=tuple(dict.fromkeys(forms)),
                      note=entry.get("role"), extra={"acronyms": acronyms})


class Vocabulary:
    """Every concept by id, with label/alias look-up (case- and accent-insensitive)."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.by_id: dict[str, Concept] = {}
        self._by_key: dict[str, str] = {}
        for concept in concepts:
            self.by_id[concept.id] = concept
            for form in (concept.label, *concept.labels.values(), *concept.aliases,
                         *concept.adjectives):
                self._by_key.setdefault(fold(form), concept.id)

    def get(self, concept_id: str) -> Concept | None:
        """The concept with this id, or None."""
        return self.by_id.get(concept_id)

    def lookup(self, text: str, kind: str | None = None) -> Concept | None:
        """The concept one of whose labels, aliases or acronyms is `text` (any language)."""
        key = fold(text)
        if key.startswith("the "):
            key = key[4:]
        found = self.by_id.get(self._by_key.get(key, ""))
        if found is None or (kind and found.kind != kind):
            return None
        return found

    def search_terms(self, concept_id: str) -> list[str]:
        """Every form a search index should hold for a subject id: the six labels, aliases,
        acronyms in any language (`org:csto` -> … `CSTO`, `OTSC`, `ОДКБ`); [] when unknown."""
        concept = self.by_id.get(concept_id)
        if concept is None:
            return []
        return list(dict.fromkeys([concept.label, *concept.labels.values(), *concept.aliases,
                                   *concept.adjectives]))

    def of_kind(self, kind: str) -> list[Concept]:
        """All concepts of one subject kind."""
        return [c for c in self.by_id.values() if c.kind == kind]

    def person(self, name: str) -> Concept:
        """The person concept for a name: a known official, or a new one with id from the
        name and the name as label in every language."""
        known = self.lookup(name, "personal")
        if known:
            return known
        labels = dict.fromkeys(("ar", "zh", "en", "fr", "ru", "es"), name)
        return Concept(id=f"person:{slug(name)}", kind="personal", label=name, labels=labels)


def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive key of a label."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@cache
def vocabulary() -> Vocabulary:
    """The registry of all shipped vocabularies (built once per process)."""
    concepts: list[Concept] = list(states())
    concepts += _entries("regions.yaml", "geographic")
    concepts += _entries("organizations.yaml", "corporate")
    concepts += _entries("topics.yaml", "topical")
    concepts += _entries("persons.yaml", "personal")
    return Vocabulary(concepts)


def states_and_observers() -> list[Concept]:
    """The 193 Member States and the two observer States."""
    return [c for c in states() if c.extra.get("status") in ("member", "observer")]
