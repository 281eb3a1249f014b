"""Schemathesis over every operation of `/openapi.json` on a real server: no response is
a 500, every status and header is one the schema documents, 405s name what is allowed.

Bounded in time (`--max-time`) so `make test` stays quick; run `st` by hand with more
examples to search deeper (docs/api.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hexaglot.app.accounts import add_user, create_token
from hexaglot.app.archive import open_archive
from hexaglot.app.importing import import_pages
from hexaglot.domain import Asset
from hexaglot.web.app import create_app

from .live_server import serving

PAGES = Path(__file__).parent / "fixtures" / "pages"
ST = Path(sys.executable).with_name("st")
#: Every check but "a schema-valid request is accepted" (a well-formed edit of a speaker the
#: record does not have is a 409, and of an access level on a day that does not exist a 422).
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,response_headers_conformance,unsupported_method,"
          "negative_data_rejection,use_after_free,ensure_resource_availability,"
          "ignored_auth,missing_required_header")


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "cataloguer"])
def test_every_operation_answers_only_documented_statuses(home: Path, signed_in: bool) -> None:
    if not ST.exists():
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    with open_archive() as archive:
        token = None
        if signed_in:  # a cataloguer's write token: every write route is reached
            add_user(archive, "fuzz@example.org", "fuzz-password", "cataloguer")
            _, token = create_token(archive, "fuzz@example.org", "fuzz", "write")
        import_pages(archive, [PAGES / "sc-meeting.txt", PAGES / "ga-english-only.txt"])
        archive.catalog.save(Asset(asset_id="HIDDEN1", title="closed", access="staff"))
        archive.changed()
        with serving(create_app(archive)) as base:
            args = [str(ST), "run", f"{base}/openapi.json", "--checks", CHECKS,
                    "--max-examples", "30", "--max-time", "25", "--seed", "20261201",
                    "--request-timeout", "20", "--no-color"]
            if token:
                args += ["-H", f"Authorization: Bearer {token}"]
            done = subprocess.run(args, capture_output=True, text=True, timeout=240,
                                  env={**os.environ, "NO_COLOR": "1"})
    tail = done.stdout[-4000:]
    assert done.returncode == 0, tail
    assert " 0 failures" in tail or "No issues found" in tail or "passed" in tail, tail
