"""All vocabularies in one registry: States, regions, organizations, topics and persons."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from functools import cache

from hexaglot.domain.languages import OFFICIAL_LANGUAGES
from hexaglot.domain.text import fold_key, slug
from hexaglot.vocab.concepts import Concept, labels_from_list, load_data
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
        self._sorted: list[tuple[str, str, int]] | None = None
        for concept in concepts:
            self.by_id[concept.id] = concept
            for form in (concept.label, *concept.labels.values(), *concept.aliases,
                         *concept.adjectives):
                self._by_key.setdefault(fold_key(form), concept.id)

    def suggest(self, text: str, limit: int = 10, kind: str | None = None) -> list[Concept]:
        """Concepts one of whose labels (any of the six languages), aliases or acronyms
        begins with `text`, or has a word that does (case- and accent-insensitive); the
        ones whose label begins with it first, then by English label."""
        key = fold_key(text)
        if not key:
            return []
        keys = self._prefixes()
        at = bisect.bisect_left(keys, (key, "", 0))
        found: dict[str, int] = {}
        while at < len(keys) and keys[at][0].startswith(key):
            _, concept_id, rank = keys[at]
            found[concept_id] = min(rank, found.get(concept_id, rank))
            at += 1
        concepts = [c for c in (self.by_id[i] for i in found) if kind in (None, c.kind)]
        concepts.sort(key=lambda c: (found[c.id], c.label.casefold()))
        return concepts[:limit]

    def _prefixes(self) -> list[tuple[str, str, int]]:
        """Every folded form and every word-start of it (rank 1), with its concept id,
        sorted."""
        if self._sorted is None:
            out: set[tuple[str, str, int]] = set()
            for concept in self.by_id.values():
                for form in (concept.label, *concept.labels.values(), *concept.aliases):
                    folded = fold_key(form)
                    words = folded.split(" ")
                    for i in range(len(words)):
                        out.add((" ".join(words[i:]), concept.id, min(i, 1)))
            self._sorted = sorted(out)
        return self._sorted

    def get(self, concept_id: str) -> Concept | None:
        """The concept with this id, or None."""
        return self.by_id.get(concept_id)

    def lookup(self, text: str, kind: str | None = None) -> Concept | None:
        """The concept one of whose labels, aliases or acronyms is `text` (any language);
        a personal heading may be inverted (`Guterres, António`)."""
        key = fold_key(text)
        if key.startswith("the "):
            key = key[4:]
        found = self.by_id.get(self._by_key.get(key, ""))
        if found is None and kind in (None, "personal") and "," in text:
            found = self.by_id.get(self._by_key.get(fold_key(natural_order(text)), ""))
            found = found if found is None or found.kind == "personal" else None
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
        """The person concept for a name: a known official, or a local heading (see
        `local_concept`)."""
        return self.lookup(name, "personal") or local_concept("personal", name)

    def resolve(self, kind: str, label: str) -> Concept:
        """The concept a heading of `kind` names: the vocabulary's when it knows the label
        in any language (acronyms too), else a local heading."""
        return self.lookup(label, kind) or local_concept(kind, label)


#: The id prefix of every heading the vocabularies do not know.
LOCAL_PREFIX = "local:"


def natural_order(name: str) -> str:
    """`Surname, Given names` → `Given names Surname` (a name without one comma as it is)."""
    surname, sep, given = name.partition(",")
    if not sep or "," in given or not given.strip() or not surname.strip():
        return name
    return f"{given.strip()} {surname.strip()}"


def local_concept(kind: str, label: str) -> Concept:
    """A heading no vocabulary knows: id `local:<slug of the label>` (the same from every
    reader and edit; a personal name in its natural order, so `Mohammed, Amina J.` and
    `Amina J. Mohammed` are one heading), the label as given in every language, flagged
    `local`."""
    label = " ".join(label.split())
    named = natural_order(label) if kind == "personal" else label
    key = slug(named) or fold_key(named).replace(" ", "-")
    labels = dict.fromkeys(OFFICIAL_LANGUAGES, label)
    return Concept(id=f"{LOCAL_PREFIX}{key}", kind=kind, label=label, labels=labels,
                   extra={"local": True})


def is_local(concept_id: str) -> bool:
    """True for the id of a heading no vocabulary knows."""
    return concept_id.startswith(LOCAL_PREFIX)


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
