"""`hexaglot extract`, `import press` and `edit`: the real commands, run in-process (one run
as a separate program, as a user runs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexaglot.catalog import open_catalog
from hexaglot.cli import app

from .conftest import SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
FIELDS = ["body", "meeting_number", "record_symbol", "press_symbol", "date", "began", "ended",
          "headline", "speakers", "subjects", "resolutions"]


def program(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hexaglot", *args], capture_output=True,
                          text=True, env=os.environ.copy(), timeout=120)


class Run:
    """What one in-process command run printed and returned."""

    def __init__(self, args: tuple[str, ...]) -> None:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        self.returncode, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr


def hx(*args: str) -> Run:
    return Run(args)


def test_extract_json_has_exactly_the_fields(sqlite_home: Path, tmp_path: Path) -> None:
    (sqlite_home / "catalogue.sqlite3").unlink()  # a home with no catalogue yet
    crlf = tmp_path / "bom-crlf.txt"
    text = (FIXTURES / "sc-vote.txt").read_text(encoding="utf-8")
    crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = program("extract", str(FIXTURES / "sc-debate.txt"), str(crlf), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [list(d) for d in data] == [FIELDS, FIELDS]
    assert data[1]["press_symbol"] == "SC/99020" and data[1]["began"] == "15:05"
    assert set(data[0]["subjects"]) == {"personal", "corporate", "geographic", "topical"}
    assert list(data[0]["speakers"][0]) == ["name", "role", "affiliation", "affiliation_id",
                                            "evidence"]
    plain = hx("extract", str(FIXTURES / "sc-debate.txt"))
    assert plain.returncode == 0 and "Marta Ilves" in plain.stdout and "S/PV.9901" in plain.stdout
    assert not (sqlite_home / "catalogue.sqlite3").exists()  # extract stores nothing


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "is empty"), (b"  \n\n", "is empty"), (b"PK\x03\x04\x00\x00binary", "binary"),
     (b"Security Council caf\xe9 meeting\n", "not UTF-8"),
     (b"Dear Sam,\nthe plums are ripe; come on Sunday and bring a basket.\n",
      "neither a catalogue page nor a press summary")],
)
def test_bad_inputs_one_line_exit_2(sqlite_home: Path, tmp_path: Path, content: bytes,
                                    problem: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    for args in (["extract", str(bad)], ["import", "press", str(FIXTURES / "sc-vote.txt"), str(bad)]):
        out = hx(*args)
        assert out.returncode == 2
        line = out.stderr.strip()
        assert "\n" not in line and str(bad) in line and problem in line, line
    assert open_catalog().count() == 0  # the good file before the bad one was not stored


def test_import_press_suggests_and_edit_confirms(home: Path, tmp_path: Path) -> None:
    first = hx("import", "press", str(FIXTURES / "sc-debate.txt"))
    assert first.returncode == 0, first.stderr
    asset_id = first.stdout.strip()
    record = json.loads(hx("show", asset_id, "--json").stdout)
    assert record["meeting"]["number"] == 9901 and record["source"] == "SC/99017"
    assert record["description"].startswith("9901st Meeting")
    assert {s["status"] for s in record["speakers"]} == {"suggested"}
    assert record["speakers"][0]["name"] == "Marta Ilves"
    edited = hx("edit", asset_id, "--speaker", "5", "--name", "Claire Dubois", "--affiliation",
                "France", "--subject", "corporate:OTSC", "--remove-subject", "geographic:Mali",
                "--title", "Sahel debate")
    assert edited.returncode == 0, edited.stderr
    record = json.loads(hx("show", asset_id, "--json").stdout)
    assert record["title"] == "Sahel debate"
    assert record["speakers"][4] | {} == {**record["speakers"][4], "name": "Claire Dubois",
                                          "affiliation_id": "FRA", "status": "confirmed"}
    csto = [s for s in record["subjects"]["corporate"] if s["id"] == "org:csto"]
    assert csto and csto[0]["status"] == "confirmed" and csto[0]["labels"]["ru"].startswith("Орган")
    # A later summary of the same meeting with another date: suggestions only, date reported.
    later = tmp_path / "later.txt"
    text = (FIXTURES / "sc-debate.txt").read_text(encoding="utf-8")
    later.write_text(text.replace("SC/99017", "SC/99017\n14 March 2026"), encoding="utf-8")
    assert hx("import", "press", str(later)).stdout.strip() == asset_id
    hx("edit", asset_id, "--confirm-speakers")
    other = tmp_path / "other.txt"
    other.write_text(text.replace("SC/99017", "SC/99017\n15 March 2026").replace(
        "Japan's delegate", "Peru's delegate"), encoding="utf-8")
    out = hx("import", "press", str(other))
    assert out.returncode == 0 and "date is 2026-03-14" in out.stderr
    record = json.loads(hx("show", asset_id, "--json").stdout)
    assert record["recorded_on"] == "2026-03-14" and record["title"] == "Sahel debate"
    assert record["speakers"][4]["name"] == "Claire Dubois"
    assert "Peru" not in [s["affiliation"] for s in record["speakers"]]
    geographic = record["subjects"]["geographic"]
    assert "MLI" not in [s["id"] for s in geographic]  # removed, and it stays removed
    assert geographic and {s["status"] for s in geographic} == {"confirmed"}
    assert {s["status"] for s in record["subjects"]["topical"]} == {"suggested"}
    assert {s["status"] for s in record["speakers"]} == {"confirmed"}


def test_edit_errors(sqlite_home: Path) -> None:
    asset_id = hx("import", "press", str(FIXTURES / "sc-vote.txt")).stdout.strip()
    out = hx("edit", asset_id, "--speaker", "99", "--name", "X")
    assert out.returncode == 2 and "no speaker 99" in out.stderr
    out = hx("edit", asset_id, "--subject", "colour:red")
    assert out.returncode == 2 and "KIND:LABEL" in out.stderr
    assert hx("edit", "nope", "--title", "x").returncode == 2


def test_import_page_runs_the_extraction(sqlite_home: Path) -> None:
    seed = SHARED / "seed" / "catalogue-page-sc8967.txt"
    if not seed.exists():
        pytest.skip(f"seed page {seed} is absent")
    asset_id = hx("import", "page", str(seed)).stdout.strip()
    record = json.loads(hx("show", asset_id, "--json").stdout)
    assert len(record["speakers"]) == 22
    assert record["speakers"][1]["affiliation_id"] == "org:csto"
    assert any(s["id"] == "KAZ" for s in record["subjects"]["geographic"])
