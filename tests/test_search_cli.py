"""The commands through the real CLI: import captions, search --json, reindex."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hexaglot.app.archive import open_archive
from tests.search_data import meeting_asset, other_assets

HX = [str(Path(sys.executable).with_name("hexaglot"))]

CUES = """WEBVTT

NOTE interprétation française, écrite pour ce test

1
00:01:01.500 --> 00:01:06.000
<v António Guterres>Aucune organisation ne peut garantir seule la paix.</v>

2
00:12:34.200 --> 00:12:40.000
<v Stanislav Zas>Nos soldats de la paix ont été déployés au Kazakhstan.</v>
"""

BAD_SRT = """1
00:00:01,000 --> 00:00:04,000
Bonjour.

2
00:00:05,000 --> 00:00:0x,000
Deux.
"""


def hx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HX, *args], capture_output=True, text=True, env=os.environ.copy(),
                          timeout=120)


def test_captions_search_and_reindex(home: Path, tmp_path: Path) -> None:
    archive = open_archive()
    for asset in [meeting_asset(), *other_assets()]:
        archive.catalog.save(asset)
    archive.close()
    cues = tmp_path / "fr.vtt"
    cues.write_text(CUES, encoding="utf-8")

    done = hx("import", "captions", "A-1001", str(cues), "--language", "fr")
    assert done.returncode == 0, done.stderr
    assert "2 fr cues" in done.stdout

    found = hx("search", '"soldats de la paix"', "--json")
    assert found.returncode == 0, found.stderr
    data = json.loads(found.stdout)
    assert [h["asset_id"] for h in data["hits"]] == ["A-1001"]
    [moment] = data["hits"][0]["moments"]
    assert moment["link"] == "/assets/A-1001?t=754&lang=fr"
    assert moment["speaker"] == "Stanislav Zas"
    assert {"total", "facets", "took_ms"} <= data.keys()

    filtered = json.loads(hx("search", "", "--filter", "body=General Assembly", "--json").stdout)
    assert [h["asset_id"] for h in filtered["hits"]] == ["A-1003"]

    rebuilt = hx("reindex")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "indexed 3 assets" in rebuilt.stdout
    again = json.loads(hx("search", "Kazakhstan", "--json").stdout)
    assert [h["asset_id"] for h in again["hits"]] == ["A-1001"]


def test_bad_input_is_one_line_and_exit_2(sqlite_home: Path, tmp_path: Path) -> None:
    archive = open_archive()
    archive.catalog.save(meeting_asset())
    archive.close()
    bad = tmp_path / "bad.srt"
    bad.write_text(BAD_SRT, encoding="utf-8")
    done = hx("import", "captions", "A-1001", str(bad), "--language", "fr")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "bad.srt" in done.stderr and "line 6" in done.stderr
    assert open_archive().catalog.segments("A-1001") == []

    assert hx("import", "captions", "A-1001", str(bad), "--language", "xx").returncode == 2
    assert hx("import", "captions", "NOPE", str(bad), "--language", "fr").returncode == 2
    wrong = hx("search", "date:2022-13")
    assert wrong.returncode == 2 and "date:2022-13" in wrong.stderr
    assert hx("search", "x", "--filter", "novalue").returncode == 2
