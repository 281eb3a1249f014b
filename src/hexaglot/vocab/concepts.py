"""The controlled-vocabulary entry (a concept) and the loading of the package data files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from hexaglot.domain.languages import OFFICIAL_LANGUAGES

#: The column order of the label lists in every data file: English first, then French,
#: Spanish, Russian, Arabic and Chinese (records use catalogue order, OFFICIAL_LANGUAGES:
#: ar zh en fr ru es).
DATA_ORDER: tuple[str, ...] = tuple(OFFICIAL_LANGUAGES[i] for i in (2, 3, 5, 4, 0, 1))


@dataclass(frozen=True, slots=True)
class Concept:
    """One heading of a vocabulary: a State, region, organization, topic or person.

    `kind` is the subject kind it files under (personal, corporate, geographic, topical);
    `label` is the English label, `labels` the label in each official language,
    `aliases` every other searchable form (any language, acronyms included) and
    `forms` the English forms the extractor recognises in running text."""

    id: str
    kind: str
    label: str
    labels: dict[str, str]
    aliases: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def local(self) -> bool:
        """True for a heading no vocabulary knows (`registry.local_concept`)."""
        return bool(self.extra.get("local"))

    def subject(self) -> dict[str, Any]:
        """The subject heading as the record stores it: {id, label, labels, local}."""
        return {"id": self.id, "label": self.label, "labels": dict(self.labels),
                "local": self.local}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_data(name: str) -> Any:
    """Parse one YAML file shipped in `hexaglot.vocab.data`."""
    text = resources.files("hexaglot.vocab.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (C when available)


def labels_from_list(values: list[str]) -> dict[str, str]:
    """Turn a data-file label list [en, fr, es, ru, ar, zh] into {lang: label} in catalogue
    order."""
    if len(values) != len(DATA_ORDER):
        raise ValueError(f"want six labels (en fr es ru ar zh), got {values!r}")
    by_lang = dict(zip(DATA_ORDER, values, strict=True))
    return {lang: by_lang[lang] for lang in OFFICIAL_LANGUAGES}
