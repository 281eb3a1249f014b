"""The access matrix: every route of the app, enumerated from the router itself (so a route
added later is covered or fails this test until it is classified), for every kind of
caller against an asset at every access level, on SQLite with Tantivy and on PostgreSQL
with its full-text engine: exactly who sees what, and what a caller may not see is absent
(404, or not listed, not counted in totals or facets, no transcript moment).

Callers: anonymous, a reader, a cataloguer, an admin (by a write token), a revoked token,
a disabled account (its session made before it was disabled), an expired signed URL.
Levels: public, registered, staff, embargoed until a future day, embargoed until a past
day, a draft, and a public clip of a staff meeting.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from hexaglot.app.accounts import add_user, create_token, disable_user, revoke_token
from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.media import sign_media_url
from hexaglot.domain import Asset, Audience, Meeting, Segment, Speaker
from hexaglot.web.app import create_app
from hexaglot.web.auth import Throttle
from hexaglot.web.routing import all_routes

from .live_server import serving
from .media_helpers import register_file
from .test_accounts import PASSWORD, sign_in

WORD = "Quetzalmatrix"
#: asset id → (access, status, parent)
LEVELS: dict[str, tuple[str, str, str | None]] = {
    "LVPUBLIC": ("public", "published", None),
    "LVREGISTERED": ("registered", "published", None),
    "LVSTAFF": ("staff", "published", None),
    "LVFUTURE": ("embargoed until 2999-12-31", "published", None),
    "LVPAST": ("embargoed until 2001-01-01", "published", None),
    "LVDRAFT": ("public", "draft", None),
    "LVCLIP": ("public", "published", "LVSTAFF"),
}
PUBLIC = {"LVPUBLIC", "LVPAST"}
#: caller → the assets it sees (None: refused outright, 401)
SEES: dict[str, set[str] | None] = {
    "anonymous": PUBLIC,
    "reader": PUBLIC | {"LVREGISTERED"},
    "cataloguer": set(LEVELS),
    "admin": set(LEVELS),
    "revoked token": None,
    "disabled account": PUBLIC,
    "expired signed URL": set(),
}
#: How to ask a route that lists assets (a list route missing here fails the test).
LISTS = {
    "/": "/",
    "/api/assets": "/api/assets?limit=200",
    "/api/search": f"/api/search?q={WORD}&per_page=50",
    "/search": f"/search?q={WORD}",
    "/oai": "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
    "/iiif/collections/{series}/{year}.json": "/iiif/collections/security-council/2024.json",
    "/browse/{facet}/{value:path}": "/browse/year/2024",
    "/browse/speaker": f"/browse/speaker?name={WORD}+Speaker",
    "/sitemap.xml": "/sitemap.xml",
    "/feed.atom": "/feed.atom",
}
#: Routes that serve no asset: documentation, static files, the sign-in form, the about
#: page, robots.txt, the favicon.
NO_ASSETS = {"/openapi.json", "/docs", "/static/{path:path}", "/login", "/about",
             "/robots.txt", "/favicon.ico"}
#: Routes that cut real media (the matrix's files are not recordings): a visible asset is
#: refused for that reason, a hidden one is 404 as if it did not exist.
NEEDS_MEDIA = {"/download/{asset_id}"}
#: List routes that list what the public sees whoever asks (crawlers' and feed readers').
PUBLIC_LISTS = {"/sitemap.xml", "/feed.atom"}
#: Browse pages that show counts, not assets: the count of the matrix's body.
COUNTS = {"/browse": "/browse"}
#: Citation routes: a meeting's citation redirects to its page for who may see it, else 404.
MEETINGS = {asset_id: 9100 + i for i, asset_id in enumerate(LEVELS)}
CITES = {"/S/{rest:path}": "/S/PV.{number}", "/sc/{number}": "/sc/{number}"}
#: The General Assembly's citation routes (the matrix's meetings are the Security
#: Council's; both bodies resolve through one use case): unknown meetings are 404.
CITES_ELSEWHERE = {"/A/{rest:path}": "/A/78/PV.9100", "/ga/{session}/{number}": "/ga/78/9100"}
#: The workspace: cataloguers and admins only (anonymous callers are sent to sign in).
WORKSPACE = {"/workspace": "/workspace", "/workspace/jobs.json": "/workspace/jobs.json",
             "/workspace/headings.json": "/workspace/headings.json?q=Kaz",
             "/workspace/uploads/{upload_id}": "/workspace/uploads/0123456789abcdef",
             "/workspace/{rest:path}": "/workspace/nothing-here"}
#: Modules whose routes serve everyone what the public sees (exports, OAI-PMH, IIIF).
PUBLIC_SURFACES = {"hexaglot.web.interop_routes"}


@dataclass
class Matrix:
    archive: Archive
    base: str
    app: object
    clients: dict[str, httpx.Client]
    media: dict[str, str]  # asset id → media path
    signed: dict[str, str]  # asset id → a signed media URL (the path under it)


@pytest.fixture
def matrix(home: Path) -> Iterator[Matrix]:
    with open_archive() as archive:
        for asset_id, (access, status, parent) in LEVELS.items():
            number = MEETINGS[asset_id]
            archive.catalog.save(Asset(
                asset_id=asset_id, parent_id=parent, title=f"{WORD} {asset_id.lower()}",
                access=access, status=status, recorded_on=date(2024, 3, 1), duration_seconds=60,
                meeting=Meeting(body="Security Council", number=number,
                                record_symbol=f"S/PV.{number}"),
                speakers=[Speaker(name=f"{WORD} Speaker", affiliation="Chile")]))
        media = {a: register_file(archive, a, a.encode()) for a in LEVELS}
        for a in LEVELS:
            archive.catalog.add_segments(a, [Segment(
                asset_id=a, language="en", start=1.0, end=2.0,
                text=f"the delegate of {a.lower()} spoke of {WORD.lower()} orchards")])
        for email, role in (("reader@example.org", "reader"), ("cat@example.org", "cataloguer"),
                            ("admin@example.org", "admin"), ("gone@example.org", "reader")):
            add_user(archive, email, PASSWORD, role)
        _, admin_token = create_token(archive, "admin@example.org", "matrix", "write")
        revoked, revoked_token = create_token(archive, "cat@example.org", "old", "write")
        revoke_token(archive, revoked.id)
        archive.changed()
        app = create_app(archive)
        now = time.time()
        signed = {a: sign_media_url(archive, f"/media/{a}/{media[a]}", Audience.STAFF, now)
                  for a in LEVELS}
        with serving(app) as base:
            clients = {
                "anonymous": httpx.Client(base_url=base),
                "reader": httpx.Client(base_url=base),
                "cataloguer": httpx.Client(base_url=base),
                "admin": httpx.Client(base_url=base, headers={
                    "Authorization": f"Bearer {admin_token}"}),
                "revoked token": httpx.Client(base_url=base, headers={
                    "Authorization": f"Bearer {revoked_token}"}),
                "disabled account": httpx.Client(base_url=base),
                "expired signed URL": httpx.Client(base_url=base),
            }
            assert sign_in(clients["reader"], "reader@example.org").status_code == 303
            assert sign_in(clients["cataloguer"], "cat@example.org").status_code == 303
            assert sign_in(clients["disabled account"], "gone@example.org").status_code == 303
            disable_user(archive, "gone@example.org")
            try:
                yield Matrix(archive, base, app, clients, media, signed)
            finally:
                for c in clients.values():
                    c.close()


def _fill(path: str, asset_id: str, m: Matrix) -> str:
    url = path.replace("{asset_id}", asset_id).replace("{path:path}", m.media[asset_id])
    assert "{" not in url, f"route {path}: a path parameter this test does not know"
    return url


def test_every_route_answers_exactly_who_may_see(matrix: Matrix) -> None:
    m = matrix
    every = list(all_routes(m.app))  # the router's routes, included routers flattened
    top = {r.path for r in m.app.routes if getattr(r, "path", None)}  # type: ignore[attr-defined]
    assert top - {"/static"} <= {r.path for r in every} and len(every) > len(top)
    routes = [r for r in every if "GET" in r.methods and r.path not in NO_ASSETS]
    asset_routes = [r for r in routes if "{asset_id}" in r.path]
    others = {**COUNTS, **CITES, **CITES_ELSEWHERE, **WORKSPACE}
    list_routes = [r for r in routes if "{asset_id}" not in r.path and r.path not in others]
    assert {r.path for r in list_routes} <= set(LISTS), \
        f"routes to classify in LISTS or NO_ASSETS: {[r.path for r in list_routes if r.path not in LISTS]}"
    assert {r.path for r in routes} >= set(others), set(others) - {r.path for r in routes}
    assert len(asset_routes) >= 10, [r.path for r in asset_routes]
    anon, staff = m.clients["anonymous"], m.clients["cataloguer"]
    wrong: list[str] = []

    for route in asset_routes:
        module = getattr(getattr(route.route, "endpoint", None), "__module__", "")
        public_surface = module in PUBLIC_SURFACES
        if "{token}" in route.path:  # a signed URL: works for anyone until it expires
            for asset_id in LEVELS:
                fresh = anon.get(m.signed[asset_id]).status_code
                if fresh != 200:
                    wrong.append(f"fresh signed URL of {asset_id} → {fresh}")
            continue
        # staff-only routes (the preservation log, the history): staff see them for every
        # asset, nobody else for any
        staff_only = (route.path not in NEEDS_MEDIA
                      and anon.get(_fill(route.path, "LVPUBLIC", m)).status_code != 200)
        if staff_only and staff.get(_fill(route.path, "LVPUBLIC", m)).status_code != 200:
            wrong.append(f"{route.path} serves the public asset to nobody")
            continue
        for caller, client in m.clients.items():
            sees = SEES[caller]
            for asset_id in LEVELS:
                if caller == "expired signed URL":
                    if "{path:path}" not in route.path:
                        continue
                    m.app.state.clock = lambda: time.time() + 7 * 3600  # type: ignore[attr-defined]
                    status = client.get(m.signed[asset_id]).status_code
                    m.app.state.clock = time.time  # type: ignore[attr-defined]
                    if status != 404:
                        wrong.append(f"expired signed URL of {asset_id} → {status}")
                    continue
                status = client.get(_fill(route.path, asset_id, m)).status_code
                if sees is None:
                    m.app.state.throttle = Throttle()  # type: ignore[attr-defined] # per address
                    want = {401} if not public_surface else {200 if asset_id in PUBLIC else 404}
                elif public_surface:
                    want = {200 if asset_id in PUBLIC else 404}
                elif staff_only:
                    want = {200} if caller in ("cataloguer", "admin") else {401, 403, 404}
                elif route.path in NEEDS_MEDIA:  # refused for want of a real recording
                    want = {400, 409, 422} if asset_id in sees else {404}
                else:
                    want = {200 if asset_id in sees else 404}
                if status not in want:
                    wrong.append(f"{caller} GET {route.path} of {asset_id} → {status}, want "
                                 f"{sorted(want)}")

    for route in list_routes:
        url = LISTS[route.path]
        module = getattr(getattr(route.route, "endpoint", None), "__module__", "")
        for caller, client in m.clients.items():
            if caller == "expired signed URL":
                continue
            sees = SEES[caller]
            r = client.get(url)
            if sees is None:
                m.app.state.throttle = Throttle()  # type: ignore[attr-defined]
            public_list = module in PUBLIC_SURFACES or route.path in PUBLIC_LISTS
            if sees is None and not public_list:
                if r.status_code != 401:
                    wrong.append(f"{caller} GET {url} → {r.status_code}, want 401")
                continue
            expected = PUBLIC if public_list or sees is None else sees
            if r.status_code != 200:
                wrong.append(f"{caller} GET {url} → {r.status_code}")
                continue
            # an OAI-PMH item once public and now hidden is a deleted record (by design)
            body = re.sub(r'<header status="deleted">.*?</header>', "", r.text, flags=re.S)
            found = {a for a in LEVELS if re.search(rf"\b{a}\b", body)}
            if found != expected:
                wrong.append(f"{caller} GET {url} lists {sorted(found)}, want {sorted(expected)}")
            if route.path in ("/api/search", "/api/assets"):
                total = r.json()["total"]
                if total != len(expected):
                    wrong.append(f"{caller} GET {url}: total {total}, want {len(expected)}")
            if route.path == "/api/search":
                facets = r.json()["facets"]
                for name, values in facets.items():
                    counts = {v["value"]: v["count"] for v in values}
                    if any(n > len(expected) for n in counts.values()):
                        wrong.append(f"{caller}: facet {name} counts {counts} beyond "
                                     f"{len(expected)} visible assets")
                years = {v["value"]: v["count"] for v in facets.get("year", [])}
                if years and years.get("2024", years.get(2024)) != len(expected):  # type: ignore[call-overload]
                    wrong.append(f"{caller}: year facet {years}, want 2024: {len(expected)}")
                moments = {mo["asset_id"] for h in r.json()["hits"] for mo in h.get("moments", [])}
                if not moments <= expected:
                    wrong.append(f"{caller}: transcript moments of {sorted(moments - expected)}")

    for path, template in CITES.items():
        for caller, client in m.clients.items():
            if caller == "expired signed URL":
                continue
            sees = SEES[caller]
            for asset_id in LEVELS:
                r = client.get(template.format(number=MEETINGS[asset_id]))
                if sees is None:
                    m.app.state.throttle = Throttle()  # type: ignore[attr-defined]
                    ok = r.status_code == 401
                elif asset_id in sees:
                    ok = r.status_code == 302 and r.headers["location"].startswith(
                        f"/assets/{asset_id}")
                else:
                    ok = r.status_code == 404
                if not ok:
                    wrong.append(f"{caller} GET {path} of {asset_id} → {r.status_code} "
                                 f"{r.headers.get('location')}")
    for url in CITES_ELSEWHERE.values():
        status = staff.get(url).status_code
        if status != 404:
            wrong.append(f"cataloguer GET {url} (no such meeting) → {status}")

    for url in COUNTS.values():
        for caller, client in m.clients.items():
            sees = SEES[caller]
            if sees is None or caller == "expired signed URL":
                continue
            r = client.get(url)
            counted = re.findall(r"Security Council\D{0,200}?(\d+)", r.text)
            if r.status_code != 200 or not counted or int(counted[0]) != len(sees):
                wrong.append(f"{caller} GET {url} → {r.status_code}, Security Council counted "
                             f"{counted[:1]}, want {len(sees)}")

    for path, url in WORKSPACE.items():
        for caller, client in m.clients.items():
            if caller == "expired signed URL":
                continue
            r = client.get(url)
            if sees_workspace := caller in ("cataloguer", "admin"):
                want = {404} if path.endswith(("{upload_id}", "{rest:path}")) else {200}
            elif caller in ("anonymous", "disabled account"):  # sent to sign in
                want = {303, 404}
            else:
                want = {401, 404}
            if r.status_code not in want:
                wrong.append(f"{caller} GET {url} → {r.status_code}, want {sorted(want)}")
            if not sees_workspace and any(a in r.text for a in LEVELS):
                wrong.append(f"{caller} GET {url} names an asset of the matrix")
    assert not wrong, "\n".join(wrong[:40])
