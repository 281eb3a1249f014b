"""The vocabularies: States with UN names in six languages, organizations, topics, gazetteer."""

from __future__ import annotations

from hexaglot.vocab import (
    LABEL_LANGUAGES,
    entity_gazetteer,
    normalize,
    states_and_observers,
    topic_gazetteer,
    vocabulary,
)


def test_member_and_observer_states_in_six_languages() -> None:
    states = states_and_observers()
    assert len(states) == 195
    assert all(list(s.labels) == list(LABEL_LANGUAGES) and all(s.labels.values()) for s in states)
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
    assert invented.id == "person:zoe-quist-angstrom" and invented.labels["zh"] == invented.label


def test_gazetteer_longest_match_adjectives_and_topics() -> None:
    text = normalize("The Democratic People’s Republic of Korea, the Republic of Korea and "
                     "the Tajik-Afghan border; Guinea-Bissau, not Guinea. CSTO and NATO.")
    found = [(text[m.start:m.end], m.concept_id, m.adjective) for m in entity_gazetteer().scan(text)]
    assert [f[1] for f in found] == ["PRK", "KOR", "TJK", "AFG", "GNB", "GIN", "org:csto",
                                     "org:nato"]
    assert found[2][2] is True
    topics = {m.concept_id for m in topic_gazetteer().scan("Counter-Terrorism and NARCOTICS")}
    assert topics == {"topic:terrorism", "topic:drug-trafficking"}
