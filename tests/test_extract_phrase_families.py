"""One test per phrase family of `enrich/data/phrases.yaml`, run on every phrasing of the
family: adding a phrasing to the file adds a case here (and a new family needs a test)."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from hexaglot.enrich import extract_press
from hexaglot.enrich.phrases import PhraseError, build, phrases

F = phrases().families


def speakers(body: str, headline: str = "Security Council Hears Briefing on an Invented Crisis"
             ) -> list[dict]:
    text = f"9990th Meeting (PM)\nSC/99990\n\n{headline}\n\n{body}\n"
    return extract_press(text).as_dict()["speakers"]


def who(body: str, **kw: str) -> list[str | None]:
    return [s["name"] or s["affiliation"] or s["role"] for s in speakers(body, **kw)]


@pytest.mark.parametrize("verb", F["speech_verbs"])
def test_speech_verbs(verb: str) -> None:
    assert who(f"Ana Petrova, Director of the Invented Office, {verb} the Council.") == [
        "Ana Petrova"]


@pytest.mark.parametrize("word", F["participles"])
def test_participles(word: str) -> None:
    assert who(f"Ana Petrova (Peru), {word} at length, was heard.") == ["Ana Petrova"]


@pytest.mark.parametrize("verb", F["inverted_verbs"])
def test_inverted_verbs(verb: str) -> None:
    assert who(f"“We will act,” {verb} Ana Petrova, Director of the Invented Office.") == [
        "Ana Petrova"]


@pytest.mark.parametrize("adverb", F["adverbs"])
def test_adverbs(adverb: str) -> None:
    assert who(f"The Special Envoy {adverb} said that talks continue.") == ["Special Envoy"]


@pytest.mark.parametrize("title", F["titles"])
def test_titles(title: str) -> None:
    assert who(f"Ana Petrova, {title} of the Invented Office, said the harvest failed.") == [
        "Ana Petrova"]


@pytest.mark.parametrize("token", F["role_tokens"])
def test_role_tokens(token: str) -> None:
    assert who(f"{token} Ana Petrova (Peru) said the plan was sound.") == ["Ana Petrova"]


@pytest.mark.parametrize("token", F["stop_tokens"])
def test_stop_tokens(token: str) -> None:
    names = [s["name"] for s in speakers(f"{token} Petrova Ilves said the plan was sound.")]
    assert not any(n and token in n.split() for n in names)


@pytest.mark.parametrize("particle", F["particles"])
def test_particles(particle: str) -> None:
    assert who(f"Ana {particle} Petrova (Peru) said the plan was sound.") == [
        f"Ana {particle} Petrova"]


@pytest.mark.parametrize("opener", F["list_openers"])
def test_list_openers(opener: str) -> None:
    assert who(f"{opener} Peru, Chile and Japan.") == ["Peru", "Chile", "Japan"]


@pytest.mark.parametrize("role", F["delegate_roles"])
def test_delegate_roles(role: str) -> None:
    assert who(f"The {role} of Peru said the plan was sound.") == ["Peru"]
    assert who(f"Peru's {role} said the plan was sound.") == ["Peru"]


@pytest.mark.parametrize("office", F["state_offices"])
def test_state_offices(office: str) -> None:
    plural = any(w.endswith("s") and w != "Affairs" for w in office.split())
    assert who(f"The {office} of Peru and Chile spoke.") == (
        ["Peru", "Chile"] if plural else ["Peru"])


@pytest.mark.parametrize("title", F["official_titles"])
def test_official_titles(title: str) -> None:
    (s,) = speakers(f"The {title} for the region told the Council that talks had stalled.")
    assert s["name"] is None and s["role"] == f"{title} for the region"


@pytest.mark.parametrize("role", F["headline_roles"])
def test_headline_roles(role: str) -> None:
    assert who("The Council met.", headline=f"Support Vital for Peace, Says {role}") == [role]


@pytest.mark.parametrize("verb", F["headline_verbs"])
def test_headline_verbs(verb: str) -> None:
    assert who("The Council met.", headline=f"Peace Vital, {verb} Permanent Representative") == [
        "Permanent Representative"]


@pytest.mark.parametrize("verb", F["headline_list_verbs"])
def test_headline_list_verbs(verb: str) -> None:
    headline = f"Council Adopts Text on Invented Crisis, as Peru, Chile, Japan {verb}"
    assert who("The Council adopted the text after", headline=headline) == [
        "Peru", "Chile", "Japan"]


@pytest.mark.parametrize("word", F["by_context"])
def test_by_context(word: str) -> None:
    assert who(f"It was {word} today by Ana Petrova (Peru).") == ["Ana Petrova"]


@pytest.mark.parametrize("opener", F["briefer_openers"])
def test_briefer_openers(opener: str) -> None:
    assert who(f"The Council heard {opener} Ana Petrova, Director of the Office, and Juan "
               "Ruiz, Head of the Fund.") == ["Ana Petrova", "Juan Ruiz"]


@pytest.mark.parametrize("opener", F["were_openers"])
def test_were_openers(opener: str) -> None:
    assert who(f"{opener} the Council were Ana Petrova, Director of the Office, and Juan "
               "Ruiz, Head of the Fund.") == ["Ana Petrova", "Juan Ruiz"]


def test_every_family_has_its_test() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert set(F) <= tested


@pytest.mark.parametrize(
    ("data", "problem"),
    [({"families": {}}, "exactly the keys"),
     ({"families": {"x": []}, "patterns": {}}, "non-empty list"),
     ({"families": {"x": [True]}, "patterns": {}}, "quote"),
     ({"families": {"x": ["a"]}, "patterns": {"p": "{nope}"}}, "unknown family {nope}"),
     ({"families": {"x": ["a"]}, "patterns": {"p": "(unclosed"}}, "pattern 'p'")],
)
def test_malformed_phrase_files_are_refused(data: dict, problem: str) -> None:
    with pytest.raises(PhraseError, match=problem.replace("{", r"\{").replace("(", r"\(")):
        build(data)


def test_a_new_phrasing_is_one_entry() -> None:
    shipped = yaml.safe_load(resources.files("hexaglot.enrich").joinpath(
        "data/phrases.yaml").read_text("utf-8"))
    assert "harrumphed" not in F["speech_verbs"]
    shipped["families"]["speech_verbs"].append("harrumphed")
    pattern = build(shipped)["after_verb"]
    assert pattern.match(" harrumphed") and not phrases()["after_verb"].match(" harrumphed")
