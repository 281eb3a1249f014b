"""The workspace over real HTTP (uvicorn on loopback): only cataloguers and admins see it
(a reader gets 404 on every `/workspace` route and method, anonymous is sent to sign in);
the record form saves every field with history, and shows its errors next to the field
in the interface language; tus 1.0 as the protocol says; bulk actions; the review."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from hexaglot.app.accounts import add_user
from hexaglot.app.archive import Archive
from hexaglot.app.history import asset_history
from hexaglot.app.importing import import_pages
from hexaglot.web.app import create_app
from hexaglot.web.routing import all_routes
from tests.conftest import SHARED
from tests.live_server import serving

SEED = SHARED / "seed" / "catalogue-page-sc8967.txt"
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Some-Long-Pass-2026"


def _client(base: str, email: str | None) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=30)
    if email:
        page = c.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        r = c.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 303, r.text[:300]
    return c


def _csrf(c: httpx.Client, path: str) -> str:
    page = c.get(path).text
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]


@pytest.fixture
def site(sqlite_home: Path):  # noqa: ANN201
    with Archive() as archive:
        sid = import_pages(archive, [SEED])[0].asset_id
        add_user(archive, "cat@example.org", PASSWORD, "cataloguer")
        add_user(archive, "reader@example.org", PASSWORD, "reader")
        with serving(create_app(archive)) as base:
            yield base, sid, archive


def test_only_cataloguers_see_the_workspace(site) -> None:  # noqa: ANN001
    base, sid, _ = site
    anon, reader, cat = _client(base, None), _client(base, "reader@example.org"), \
        _client(base, "cat@example.org")
    r = anon.get("/workspace")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    paths = {i.path for i in all_routes(create_app(site[2]))
             if i.path.startswith("/workspace") and "{rest" not in i.path}
    assert len(paths) >= 14
    for path in sorted(paths):
        concrete = re.sub(r"\{[^}]+\}", lambda m: "1" if "change" in m.group(0) else sid, path)
        for method in ("GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS"):
            for who, client in (("reader", reader), ("anonymous", anon)):
                got = client.request(method, concrete).status_code
                if who == "anonymous" and concrete == "/workspace" and method == "GET":
                    continue
                assert got == 404, (who, method, concrete, got)
    assert cat.get("/workspace").status_code == 200
    assert cat.get("/workspace/no-such-page").status_code == 404


def test_the_record_form_saves_every_field_with_history(site) -> None:  # noqa: ANN001
    base, sid, archive = site
    cat = _client(base, "cat@example.org")
    token = _csrf(cat, f"/workspace/assets/{sid}")
    form = {"csrf_token": token, "title": "Edited meeting", "summary": "A summary",
            "recorded_on": "2022-01-05", "duration": "01:02:03", "preview_language": "fr",
            "available_languages": ["original", "fr", "en"], "meeting_body": "Security Council",
            "meeting_number": "8967", "meeting_record_symbol": "S/PV.8967",
            "meeting_began": "10:00", "meeting_ended": "11:30", "description": "Words.",
            "source": "UNTV", "access": "embargoed", "embargo": "2031-02-03",
            "status": "draft", "parent_id": ""}
    r = cat.post(f"/workspace/assets/{sid}", data=form)
    assert r.status_code == 303, r.text[:500]
    a = archive.catalog.require(sid)
    assert (a.title, a.summary, str(a.recorded_on), a.duration, a.preview_language) == (
        "Edited meeting", "A summary", "2022-01-05", "01:02:03", "fr")
    assert a.available_languages == ["original", "en", "fr"]
    assert (a.meeting.body, a.meeting.number, a.meeting.record_symbol, a.meeting.began,
            a.meeting.ended) == ("Security Council", 8967, "S/PV.8967", "10:00", "11:30")
    assert (a.description, a.source, a.access, a.status) == (
        "Words.", "UNTV", "embargoed until 2031-02-03", "draft")
    last = asset_history(archive, sid)[-1]
    assert last.actor == "user:cat@example.org" and last.changes["title"][1] == "Edited meeting"
    # without the CSRF token: refused, nothing changed
    r = cat.post(f"/workspace/assets/{sid}", data={**form, "csrf_token": "x", "title": "No"})
    assert r.status_code == 403 and archive.catalog.require(sid).title == "Edited meeting"
    # a parent that does not exist: the error beside the parent field, nothing changed
    r = cat.post(f"/workspace/assets/{sid}?hl=en", data={**form, "parent_id": "9999999"})
    assert r.status_code == 422
    assert re.search(r'id="e-parent_id">[^<]*9999999', r.text), r.text[-3000:]


def test_form_errors_are_in_the_interface_language(site) -> None:  # noqa: ANN001
    base, sid, archive = site
    cat = _client(base, "cat@example.org")
    token = _csrf(cat, f"/workspace/assets/{sid}?hl=fr")
    r = cat.post(f"/workspace/assets/{sid}?hl=fr", data={
        "csrf_token": token, "title": " ", "recorded_on": "2022-13-40",
        "meeting_number": "huit", "access": "embargoed", "embargo": "", "status": "draft"})
    assert r.status_code == 422
    assert '<html lang="fr"' in r.text
    assert 'id="e-title">Ce champ est obligatoire.' in r.text
    assert 'id="e-recorded_on">Date invalide : écrivez AAAA-MM-JJ.' in r.text
    assert 'id="e-meeting_number">Nombre invalide' in r.text
    assert 'id="e-embargo">Un embargo exige' in r.text
    assert "La notice n&#39;a pas été enregistrée" in r.text
    assert archive.catalog.require(sid).title != " "
    for hl in ("ar", "zh", "en", "fr", "ru", "es"):
        page = cat.get(f"/workspace?hl={hl}").text
        assert f'<html lang="{hl}" dir="{"rtl" if hl == "ar" else "ltr"}"' in page


def test_tus_protocol_and_bulk_actions(site, tmp_path: Path) -> None:  # noqa: ANN001
    base, sid, archive = site
    cat = _client(base, "cat@example.org")
    token = _csrf(cat, "/workspace")
    tus = {"Tus-Resumable": "1.0.0", "X-CSRF-Token": token}
    r = cat.options("/workspace/uploads", headers=tus)
    assert r.status_code == 204 and r.headers["tus-version"] == "1.0.0"
    assert "creation" in r.headers["tus-extension"]
    assert cat.post("/workspace/uploads", headers={**tus, "Upload-Length": "x"}).status_code == 422
    assert cat.post("/workspace/uploads", headers={"Upload-Length": "9"}).status_code == 403
    r = cat.post("/workspace/uploads", headers={**tus, "Upload-Length": "9",
                                                "Upload-Metadata": "filename bm90ZS5ta3Y="})
    assert r.status_code == 201
    up = r.headers["location"]
    piece = {**tus, "Content-Type": "application/offset+octet-stream"}
    assert cat.patch(up, content=b"abc", headers={**piece, "Upload-Offset": "3"}).status_code == 409
    assert cat.patch(up, content=b"abc", headers={**tus, "Upload-Offset": "0"}).status_code == 415
    r = cat.patch(up, content=b"abc", headers={**piece, "Upload-Offset": "0"})
    assert (r.status_code, r.headers["upload-offset"]) == (204, "3")
    assert cat.head(up, headers=tus).headers["upload-offset"] == "3"
    r = cat.patch(up, content=b"defghi", headers={**piece, "Upload-Offset": "3"})
    assert r.status_code == 422 and "note.mkv" in r.json()["error"]["message"]  # the probe's
    assert cat.head(up, headers=tus).status_code == 404  # nothing kept
    # bulk: publish, set access, add a subject, on a selection; a bad value changes nothing
    r = cat.post("/workspace/bulk", data={"csrf_token": token, "asset": [sid],
                                          "action": "add_subject", "value": "geographic:Чад"})
    assert r.status_code == 303
    assert "TCD" in [s.id for s in archive.catalog.require(sid).subjects.geographic]
    r = cat.post("/workspace/bulk", data={"csrf_token": token, "asset": [sid],
                                          "action": "embargo", "value": "soon"})
    assert r.status_code == 422 and "embargo" in r.text
    r = cat.post("/workspace/bulk", data={"csrf_token": token, "asset": [sid],
                                          "action": "access", "value": "registered"})
    assert r.status_code == 303 and archive.catalog.require(sid).access == "registered"


def test_review_of_a_pasted_summary(site) -> None:  # noqa: ANN001
    base, sid, archive = site
    cat = _client(base, "cat@example.org")
    token = _csrf(cat, f"/workspace/assets/{sid}/review")
    text = (ROOT / "tests" / "fixtures" / "extract" / "sc-vote.txt").read_text("utf-8")
    r = cat.post(f"/workspace/assets/{sid}/review", data={"csrf_token": token, "text": text})
    assert r.status_code == 200
    assert '<mark data-ref="speaker-0"' in r.text and ">China</mark>" in r.text
    r = cat.post(f"/workspace/assets/{sid}/review", data={"csrf_token": token, "text": "hi"})
    assert r.status_code == 422 and "could not be read" in r.text
    # reordered: the United States first, China second; Russia rejected
    r = cat.post(f"/workspace/assets/{sid}/review/save", data={
        "csrf_token": token, "text": text, "speaker": ["0", "1", "2"],
        "speaker-0-decision": "accept", "speaker-0-affiliation": "China",
        "speaker-0-order": "2", "speaker-1-decision": "reject",
        "speaker-2-decision": "accept", "speaker-2-affiliation": "United States",
        "speaker-2-order": "1", "speaker-2-name": "Ms. Shea",
        "subject": ["geographic-0"], "subject-geographic-0": "HTI",
        "subject-geographic-0-decision": "accept", "add_subject": ["哈萨克斯坦"]})
    assert r.status_code == 303, r.text[-2000:]
    a = archive.catalog.require(sid)
    assert [(s.name, s.affiliation) for s in a.speakers] == [("Ms. Shea", "United States"),
                                                             (None, "China")]
    assert [s.id for s in a.subjects.geographic] == ["HTI", "KAZ"]
    assert all(s.status == "confirmed" for s in a.subjects.geographic)
    assert a.subjects.topical == []  # not accepted: gone


def test_a_refused_cut_shows_the_timeline_again_with_why(site) -> None:  # noqa: ANN001
    base, sid, archive = site
    cat = _client(base, "cat@example.org")
    token = _csrf(cat, f"/workspace/assets/{sid}/clips?hl=en")
    before = len(archive.catalog.children(sid))
    r = cat.post(f"/workspace/assets/{sid}/clips?hl=en",
                 data={"csrf_token": token, "start": "soon", "end": "12", "speaker": ""})
    assert r.status_code == 422
    assert '<p class="error" role="alert">in: &#39;soon&#39; is not a time in seconds' in r.text
    assert f'action="/workspace/assets/{sid}/clips?hl=en" id="cut"' in r.text
    assert len(archive.catalog.children(sid)) == before
