"""The catalogue-page reader, on the project's own fixtures (and the seed when present)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hexaglot.pages.catalogue_page import read_catalogue_page
from hexaglot.pages.clock import meeting_times, to_24h
from hexaglot.pages.errors import InputError
from hexaglot.pages.text_file import read_text

from .conftest import SHARED

PAGES = Path(__file__).parent / "fixtures" / "pages"
SEED = SHARED / "seed" / "catalogue-page-sc8967.txt"


def read(name: str):
    return read_catalogue_page(read_text(PAGES / name), name)


def test_reads_every_field_of_a_security_council_page() -> None:
    page = read("sc-meeting.txt")
    assert page.title.endswith("- Security Council, 9512th Meeting")
    assert page.preview_language == "Six Official"
    assert page.recorded_on == date(2023, 12, 5)
    assert page.duration_seconds == 1 * 3600 + 46 * 60 + 9
    assert page.summary.startswith("Terrorist groups exploit weak border controls")
    assert page.available_languages == ["original", "ar", "zh", "en", "fr", "ru", "es"]
    assert page.headline.startswith("Counter-Terrorism Head Urges")
    assert page.description.startswith(page.headline + "\n\nTerrorist groups are adapting")
    assert "Japan, Malta and Switzerland." in page.description
    assert (page.meeting_body, page.meeting_number, page.record_symbol) == (
        "Security Council", 9512, "S/PV.9512")
    assert (page.began, page.ended) == ("15:05", "16:51")
    assert page.subjects == {} and page.parent_id is None and page.asset_id is None


def test_singular_available_language_and_filled_trailing_labels() -> None:
    page = read("ga-english-only.txt")
    assert page.available_languages == ["en"]
    assert page.preview_language == "English"
    assert page.meeting_body == "General Assembly" and page.meeting_number == 52
    assert page.record_symbol is None  # a GA record symbol needs the session, not guessed
    assert (page.began, page.ended) == ("10:00", "12:00")
    assert page.subjects == {"personal": ["Doe, Jane", "Roe, Richard"]}
    assert page.asset_id == "3000042"
    assert page.summary == "General Assembly takes note of the annual report of the Human Rights Council."


def test_bom_and_crlf_read_the_same(tmp_path: Path) -> None:
    original = (PAGES / "sc-meeting.txt").read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    assert read_catalogue_page(read_text(crlf)) == read("sc-meeting.txt")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("Título\nPreview Language: English\n".encode("latin-1"), "not UTF-8"),
        (b"Just a note\nwith two lines\n", "not a catalogue page"),
    ],
)
def test_bad_files_name_the_problem(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_catalogue_page(read_text(path), str(path))
    assert problem in str(err.value)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ("31-Feb-2022 02:42:43", "malformed date"),
        ("16-Fbr-2022 02:42:43", "malformed date"),
        ("16-Feb-2022 02:72:43", "malformed duration"),
        ("16-Feb-2022 2h42", "malformed date and duration line"),
    ],
)
def test_malformed_date_or_duration(tmp_path: Path, bad_line: str, problem: str) -> None:
    text = (PAGES / "sc-meeting.txt").read_text(encoding="utf-8").replace("05-Dec-2023 01:46:09", bad_line)
    with pytest.raises(InputError, match=problem):
        read_catalogue_page(text, "x.txt")


@pytest.mark.parametrize("first", ["Asset ID 12", "Preview Language: English", "Available Language: English"])
def test_a_label_instead_of_a_title_is_refused(first: str) -> None:
    text = f"{first}\nPreview Language: English\n01-Jan-2024 00:00:01\nAsset ID\n"
    with pytest.raises(InputError, match="the first line must be the title"):
        read_catalogue_page(text, "x.txt")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_unknown_language_is_refused() -> None:
    text = (PAGES / "sc-meeting.txt").read_text(encoding="utf-8").replace("Russian,", "Klingon,")
    with pytest.raises(InputError, match="unknown language 'Klingon'"):
        read_catalogue_page(text, "x.txt")


@pytest.mark.parametrize(
    ("text", "want"),
    [("11:07 a.m.", "11:07"), ("1:17 p.m.", "13:17"), ("12 noon", "12:00"), ("12:30 a.m.", "00:30"),
     ("3 p.m.", "15:00"), ("midnight", "00:00"), ("14:45", "14:45"), ("later", None)],
)
def test_clock_times(text: str, want: str | None) -> None:
    assert to_24h(text) == want


def test_meeting_times_started_adjourned() -> None:
    assert meeting_times("The meeting started at 9:58 a.m. and adjourned at 1:03 p.m.") == ("09:58", "13:03")
    assert meeting_times("No times here.") == (None, None)


@pytest.mark.skipif(not SEED.exists(), reason=f"seed page not present at {SEED}")
def test_seed_page() -> None:
    page = read_catalogue_page(read_text(SEED), str(SEED))
    assert page.recorded_on == date(2022, 2, 16) and page.duration_seconds == 9763
    assert (page.began, page.ended, page.record_symbol) == ("11:07", "13:17", "S/PV.8967")
