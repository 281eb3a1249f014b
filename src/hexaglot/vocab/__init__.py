"""Controlled vocabularies with labels in the six official languages.

States (ISO alpha-3 ids, UN short names), regions (`region:…`), organizations (`org:…`,
with acronyms), topics (`topic:…`) and persons (`person:…`), shipped as YAML under
`vocab/data/` and loaded once per process. A heading none of them knows is a local
heading, `local:<slug>` (`registry.local_concept`)."""

from hexaglot.vocab.concepts import Concept
from hexaglot.vocab.gazetteer import Mention, entity_gazetteer, topic_gazetteer, unify_punctuation
from hexaglot.vocab.headings import affiliation_for, subject_for
from hexaglot.vocab.registry import (
    LOCAL_PREFIX,
    Vocabulary,
    is_local,
    local_concept,
    states_and_observers,
    vocabulary,
)

__all__ = [
    "LOCAL_PREFIX",
    "Concept",
    "Mention",
    "Vocabulary",
    "affiliation_for",
    "entity_gazetteer",
    "is_local",
    "local_concept",
    "states_and_observers",
    "subject_for",
    "topic_gazetteer",
    "unify_punctuation",
    "vocabulary",
]
