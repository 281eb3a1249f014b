"""The catalogue commands, run as a user runs them (the installed `hexaglot` program)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hexaglot.catalog import open_catalog

from .conftest import SHARED

PAGES = Path(__file__).parent / "fixtures" / "pages"
HEXAGLOT = [sys.executable, "-m", "hexaglot"]


def hx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HEXAGLOT, *args], capture_output=True, text=True, env=os.environ.copy(),
                          timeout=120)


def snapshot() -> list[dict]:
    return [a.model_dump(mode="json") for a in open_catalog().list(limit=1000)]


def test_import_show_list_and_reimport(home: Path) -> None:
    first = hx("import", "page", str(PAGES / "sc-meeting.txt"))
    assert first.returncode == 0, first.stderr
    asset_id = first.stdout.strip().splitlines()[-1]
    again = hx("import", "page", str(PAGES / "sc-meeting.txt"))
    assert again.stdout.strip() == asset_id
    listed = json.loads(hx("list", "--json").stdout)
    assert listed["total"] == 1 and [a["asset_id"] for a in listed["assets"]] == [asset_id]
    record = json.loads(hx("show", asset_id, "--json").stdout)
    assert record["duration"] == "01:46:09" and record["duration_seconds"] == 6369
    assert record["meeting"] == {"body": "Security Council", "number": 9512,
                                 "record_symbol": "S/PV.9512", "began": "15:05", "ended": "16:51"}
    assert record["recorded_on"] == "2023-12-05"
    plain = hx("show", asset_id)
    assert plain.returncode == 0 and "S/PV.9512" in plain.stdout


def test_clip_pages_become_children(home: Path, tmp_path: Path) -> None:
    parent = hx("import", "page", str(PAGES / "sc-meeting.txt")).stdout.strip()
    clip = tmp_path / "clip.txt"
    clip.write_text((PAGES / "clip.txt").read_text().replace("PARENT", parent), encoding="utf-8")
    out = hx("import", "page", str(clip))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "CLIPID"
    assert json.loads(hx("show", parent, "--json").stdout)["children"] == ["CLIPID"]
    assert json.loads(hx("show", "CLIPID", "--json").stdout)["parent_id"] == parent


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "is empty"), (b"\xff\xfe\x00b\x00a", "binary"), (b"caf\xe9\n", "not UTF-8"),
     (b"hello\nworld\n", "not a catalogue page"), (None, "is a directory")],
)
def test_bad_input_exits_2_and_stores_nothing(home: Path, tmp_path: Path, content: bytes | None,
                                              problem: str) -> None:
    hx("import", "page", str(PAGES / "ga-english-only.txt"))
    before = snapshot()
    bad = tmp_path / "bad"
    if content is None:
        bad.mkdir()
    else:
        bad.write_bytes(content)
    # the good page comes first: a batch with one bad file stores none of it
    result = hx("import", "page", str(PAGES / "sc-meeting.txt"), str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and problem in lines[0]
    assert snapshot() == before


def test_malformed_duration_exits_2(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "page.txt"
    bad.write_text((PAGES / "sc-meeting.txt").read_text().replace("01:46:09", "01:99:09"))
    result = hx("import", "page", str(bad))
    assert result.returncode == 2 and "malformed duration" in result.stderr
    assert snapshot() == []


def test_missing_parent_is_refused(home: Path) -> None:
    result = hx("import", "page", str(PAGES / "clip.txt"))
    assert result.returncode == 2 and "Parent ID PARENT is not in the catalogue" in result.stderr
    assert snapshot() == []


def test_unknown_asset(home: Path) -> None:
    result = hx("show", "999999")
    assert result.returncode == 2 and "no asset with id '999999'" in result.stderr


def test_migrate_reports_the_revision(home: Path) -> None:
    result = hx("migrate")
    assert result.returncode == 0 and "catalogue at revision" in result.stdout


@pytest.mark.skipif(not (SHARED / "seed").exists(), reason="../shared/seed is not present")
def test_seed_page_imports_with_every_field(home: Path) -> None:
    asset_id = hx("import", "page", str(SHARED / "seed" / "catalogue-page-sc8967.txt")).stdout.strip()
    record = json.loads(hx("show", asset_id, "--json").stdout)
    assert record["title"].endswith("- Security Council, 8967th Meeting")
    assert record["duration"] == "02:42:43" and record["duration_seconds"] == 9763
    assert record["preview_language"] == "Six Official"
    assert record["available_languages"] == ["original", "ar", "zh", "en", "fr", "ru", "es"]
    assert record["meeting"]["record_symbol"] == "S/PV.8967"
    assert record["summary"].startswith("More United Nations cooperation with regional partners")
