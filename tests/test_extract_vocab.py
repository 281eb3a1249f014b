"""The vocabularies: States with UN names in six languages, organizations, topics, gazetteer."""

from __future__ import annotations

from hexaglot.domain.languages import OFFICIAL_LANGUAGES
from hexaglot.vocab import (
    entity_gazetteer,
    states_and_observers,
    subject_for,
    topic_gazetteer,
    unify_punctuation,
    vocabulary,
)


def test_member_and_observer_states_in_six_languages() -> None:
    states = states_and_observers()
    assert len(states) == 195
    assert all(list(s.labels) == list(OFFICIAL_LANGUAGES) and all(s.labels.values()) for s in states)
    v = vocabulary()
    assert v.get("RUS").labels["fr"] == "Fédération de Russie"
    assert v.get("IRN").label == "Iran (Islamic Republic of)"
    assert v.get("TUR").label == "Türkiye" and v.get("VAT").label == "Holy See"
    assert v.get("PSE").extra["status"] == "observer"
    assert v.get("KOR").labels["fr"] == "République de Corée"  # un-inverted ISO form


def test_lookup_by_alias_acronym_and_any_language() -> None:
    v = vocabulary()
    assert v.lookup("OTSC").id == "org:csto" and v.lookup("ОДКБ").id == "org:csto"
    assert v.lookup("Russia").id == "RUS" and v.lookup("Казахстан").id == "KAZ"
    assert v.lookup("the United States").id == "USA"
    assert v.lookup("no such place") is None
    assert {"CSTO", "OTSC", "ОДКБ", "Organisation du Traité de sécurité collective"} <= set(
        v.search_terms("org:csto"))
    assert "Tajik" in v.search_terms("TJK") and v.search_terms("org:nothing") == []
    assert len(v.of_kind("topical")) >= 30
    assert all(len(c.labels) == 6 for c in v.by_id.values())


def test_person_ids_from_names() -> None:
    v = vocabulary()
    assert v.person("António Guterres").labels["ru"] == "Антониу Гутерриш"
    invented = v.person("Zoë Quist-Ångström")
    assert invented.id == "local:zoe-quist-angstrom" and invented.labels["zh"] == invented.label
    assert invented.local and not v.person("António Guterres").local


def test_headings_resolve_to_one_id_with_six_labels() -> None:
    """Whatever the language of the heading, one id; unknown ones get the local form."""
    for label in ("Kazakhstan", "Казахстан", "哈萨克斯坦", "KAZAKHSTAN", "Kazajistán"):
        s = subject_for("geographic", label)
        assert s.id == "KAZ" and s.label == "Kazakhstan" and not s.local, label
        assert s.labels["ru"] == "Казахстан" and len(s.labels) == 6
    assert subject_for("corporate", "OTSC").id == "org:csto"
    local = subject_for("geographic", "Atlantis  Shoals")
    assert (local.id, local.label, local.local) == ("local:atlantis-shoals", "Atlantis Shoals", True)
    assert set(local.labels) == set(OFFICIAL_LANGUAGES)


def test_gazetteer_longest_match_adjectives_and_topics() -> None:
    text = unify_punctuation("The Democratic People’s Republic of Korea, the Republic of Korea and "
                     "the Tajik-Afghan border; Guinea-Bissau, not Guinea. CSTO and NATO.")
    found = [(text[m.start:m.end], m.concept_id, m.adjective) for m in entity_gazetteer().scan(text)]
    assert [f[1] for f in found] == ["PRK", "KOR", "TJK", "AFG", "GNB", "GIN", "org:csto",
                                     "org:nato"]
    assert found[2][2] is True
    topics = {m.concept_id for m in topic_gazetteer().scan("Counter-Terrorism and NARCOTICS")}
    assert topics == {"topic:terrorism", "topic:drug-trafficking"}
