"""Write commands leave the search index in step: at once when embedded, through the worker
in server mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hexaglot.app.archive import open_archive
from hexaglot.search.query import parse

PAGES = Path(__file__).parent / "fixtures" / "pages"


def hx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hexaglot", *args], capture_output=True,
                          text=True, env=os.environ.copy(), timeout=300)


def test_writes_reach_the_index(home: Path) -> None:
    imported = hx("import", "page", str(PAGES / "sc-meeting.txt"))
    assert imported.returncode == 0, imported.stderr
    asset_id = imported.stdout.strip()
    archive = open_archive()
    assert archive.catalog.outbox_pending() == []  # every write use case drains (both modes)
    hits = archive.search.search(parse("S/PV.9512"))
    assert [h.asset_id for h in hits.hits] == [asset_id]
    edited = hx("edit", asset_id, "--title", "Renamed for the index test")
    assert edited.returncode == 0, edited.stderr
    assert archive.catalog.outbox_pending() == []
    assert [h.asset_id for h in archive.search.search(parse("renamed index")).hits] == [asset_id]
    archive.close()
