"""The seed page's targets (issue 3): read from ../shared, skipped when it is absent."""

from __future__ import annotations

import pytest

from hexaglot.enrich import extract_text

from .conftest import SHARED

SEED = SHARED / "seed" / "catalogue-page-sc8967.txt"
SPEAKERS = ["United Nations", "Collective Security Treaty Organization", "Russian Federation",
            "United States", "India", "Ghana", "Tajikistan", "Armenia", "Kazakhstan",
            "United Kingdom", "France", "Kenya", "Ireland", "Brazil", "China", "Gabon", "Mexico",
            "Albania", "United Arab Emirates", "Norway", "Kyrgyzstan", "Belarus"]


@pytest.fixture(scope="module")
def seed() -> dict:
    if not SEED.exists():
        pytest.skip(f"seed page {SEED} is absent")
    return extract_text(SEED.read_text(encoding="utf-8")).as_dict()


def test_seed_speakers_in_order(seed: dict) -> None:
    assert [s["affiliation"] for s in seed["speakers"]] == SPEAKERS
    assert [s["name"] for s in seed["speakers"][:2]] == ["António Guterres", "Stanislav Zas"]
    assert seed["speakers"][2]["affiliation_id"] == "RUS"


def test_seed_facts(seed: dict) -> None:
    assert (seed["body"], seed["meeting_number"], seed["record_symbol"], seed["date"],
            seed["began"], seed["ended"]) == ("Security Council", 8967, "S/PV.8967",
                                              "2022-02-16", "11:07", "13:17")


def test_seed_subjects(seed: dict) -> None:
    ids = {k: {x["id"] for x in v} for k, v in seed["subjects"].items()}
    assert {"person:antonio-guterres", "person:stanislav-zas"} <= ids["personal"]
    assert {"org:csto", "org:nato", "org:cted", "org:unrcca"} <= ids["corporate"]
    assert {"KAZ", "AFG", "UKR", "region:central-asia", "region:eastern-europe"} <= ids["geographic"]
    assert {"topic:terrorism", "topic:drug-trafficking", "topic:peacekeeping"} <= ids["topical"]
    kaz = next(x for x in seed["subjects"]["geographic"] if x["id"] == "KAZ")
    assert kaz["labels"] == {"ar": "كازاخستان", "zh": "哈萨克斯坦", "en": "Kazakhstan",
                             "fr": "Kazakhstan", "ru": "Казахстан", "es": "Kazajistán"}
