"""Controlled vocabularies with labels in the six official languages.

States (ISO alpha-3 ids, UN short names), regions (`region:…`), organizations (`org:…`,
with acronyms), topics (`topic:…`) and persons (`person:…`), shipped as YAML under
`vocab/data/` and loaded once per process."""

from hexaglot.vocab.concepts import LABEL_LANGUAGES, Concept, slug
from hexaglot.vocab.gazetteer import Mention, entity_gazetteer, normalize, topic_gazetteer
from hexaglot.vocab.registry import Vocabulary, fold, states_and_observers, vocabulary

__all__ = [
    "LABEL_LANGUAGES",
    "Concept",
    "Mention",
    "Vocabulary",
    "entity_gazetteer",
    "fold",
    "normalize",
    "slug",
    "states_and_observers",
    "topic_gazetteer",
    "vocabulary",
]
