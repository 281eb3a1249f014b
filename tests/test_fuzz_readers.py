"""A mutation fuzzer over every reader: catalogue pages, press summaries (through the whole
extraction) and captions. Real documents are mutated (bytes flipped, chunks cut, copied
and repeated, runs of spaces, punctuation and digits inserted, lines shuffled) and every
result must be a record or the project's own error, within a time bound per document."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hexaglot.enrich import extract_text
from hexaglot.errors import HexaglotError
from hexaglot.pages.catalogue_page import read_catalogue_page
from hexaglot.pages.text_file import read_text
from hexaglot.search.captions import read_captions

from .conftest import SHARED

FIXTURES = Path(__file__).parent / "fixtures"
SECONDS = 2.0  # per document, whatever the mutation
RUNS = ["\u00a0", " ", ";", ",", "(", ")", "\n", "9", "The representative of ", "”", "--> ",
        "Personal Subjects\n", "Asset ID ", "00:00:01.000 --> 00:00:02.000\n", "<v ", "\x00",
        "\ufeff", "\r\n"]


def _corpus(*globs: tuple[Path, str]) -> list[str]:
    out = []
    for folder, pattern in globs:
        out += [p.read_text(encoding="utf-8") for p in sorted(folder.glob(pattern))[:12]]
    return out


PAGES = _corpus((FIXTURES / "pages", "*.txt"), (SHARED / "seed", "*.txt"))
PRESS = _corpus((FIXTURES / "press_new", "*.txt"), (SHARED / "corpus" / "dev", "*.txt"))
CAPTIONS = [
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Ms. Example>La séance est ouverte.\n\n"
    "00:01:05.500 --> 00:01:09.000 align:start\nNous passons au point 2.\n",
    "1\n00:00:01,000 --> 00:00:03,500\nThe meeting is called to order.\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\nI give the floor to the representative of Ghana.\n",
]


@st.composite
def mutated(draw: st.DrawFn, texts: list[str]) -> str:
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["flip", "cut", "copy", "run", "lines", "truncate"]))
        if kind == "flip" and text:
            i = min(at, len(text) - 1)
            text = text[:i] + chr(draw(st.integers(0, 0x2FFF))) + text[i + 1:]
        elif kind == "cut":
            text = text[:at] + text[at + draw(st.integers(0, 2000)):]
        elif kind == "copy":
            piece = text[at:at + draw(st.integers(0, 500))]
            text = text[:at] + piece * draw(st.integers(1, 200)) + text[at:]
        elif kind == "run":
            text = text[:at] + draw(st.sampled_from(RUNS)) * draw(st.integers(1, 60_000)) + text[at:]
        elif kind == "lines":
            lines = text.split("\n")
            text = "\n".join(draw(st.permutations(lines[:40]))) + "\n".join(lines[40:])
        else:
            text = text[:at]
    return text


def _bounded(read: Callable[[], object]) -> None:
    t0 = time.process_time()  # CPU seconds: the bound holds whatever else the machine does
    with contextlib.suppress(HexaglotError):  # the project's own error names the problem
        read()
    took = time.process_time() - t0
    assert took < SECONDS, f"took {took:.2f} s"


FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


@FUZZ
@given(text=mutated(PAGES))
def test_catalogue_pages(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "page.txt", text)
    _bounded(lambda: read_catalogue_page(read_text(path), str(path)))
    _bounded(lambda: extract_text(read_text(path), str(path)))


@pytest.mark.skipif(not PRESS, reason="no press summaries to mutate")
@FUZZ
@given(text=mutated(PRESS))
def test_press_summaries_through_extraction(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "press.txt", text)
    _bounded(lambda: extract_text(read_text(path), str(path)))


@FUZZ
@given(text=mutated(CAPTIONS), suffix=st.sampled_from([".vtt", ".srt", ".txt"]))
def test_captions(tmp_path: Path, text: str, suffix: str) -> None:
    path = _write(tmp_path, "cues" + suffix, text)
    _bounded(lambda: read_captions(path, "A1", "fr"))
