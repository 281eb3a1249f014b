"""The interface in six languages: every string the templates and the web code mark for
translation has a translation in each catalogue, and the catalogues are what the pages use."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from hexaglot.web.i18n import LANGUAGES, SOURCE_LANGUAGE, catalogue_path, translations

ROOT = Path(__file__).parents[1]
WEB = ROOT / "src" / "hexaglot" / "web"


def interface_strings() -> set[str]:
    """Every msgid of the web layer, extracted as `make messages` does (babel.cfg)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(WEB), method_map, options_map):
        for msgid in (message if isinstance(message, tuple) else (message,)):
            if msgid:
                found.add(msgid)
    return found


def test_there_are_interface_strings() -> None:
    strings = interface_strings()
    assert {"Search", "Skip to content", "Available languages", "Six Official"} <= strings


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != SOURCE_LANGUAGE])
def test_every_interface_string_is_translated(lang: str) -> None:
    with catalogue_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    have = {m.id: m for m in catalog if m.id}
    missing = sorted(s for s in interface_strings()
                     if s not in have or not have[s].string or have[s].fuzzy)
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert translations(lang).gettext("Search") == have["Search"].string != "Search"


def test_english_is_the_source() -> None:
    assert translations("en").gettext("Skip to content") == "Skip to content"
