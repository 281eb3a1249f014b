"""Accounts, sign-in and history over real HTTP, on SQLite and PostgreSQL: Argon2id hashes,
sessions (expiry with the clock moved), CSRF, the per-account throttle, tokens (scopes,
revocation), disabled accounts, signed media URLs that expire, the draft rule that changes
with the first account, the history of every change and reverting to an earlier version."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from click.testing import Result

from hexaglot.app.accounts import (
    AccountError,
    UserExists,
    add_user,
    create_token,
    disable_user,
    list_tokens,
    revoke_token,
    set_role,
)
from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.editing import edit_asset, make_edits
from hexaglot.app.history import asset_history, revert_asset
from hexaglot.app.importing import import_pages
from hexaglot.catalog.tables import HistoryRow, UserRow
from hexaglot.domain import Asset, Audience
from hexaglot.search.query import Query, parse
from hexaglot.web.app import create_app

from .live_server import serving
from .media_helpers import register_file

PAGES = Path(__file__).parent / "fixtures" / "pages"
PASSWORD = "correct horse battery"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": password})


def _site() -> Iterator[tuple[Archive, str, object]]:
    """The archive of the test's home served over HTTP: (archive, base URL, app)."""
    with open_archive() as archive:
        app = create_app(archive)
        with serving(app) as base:
            yield archive, base, app


@pytest.fixture
def site(home: Path) -> Iterator[tuple[Archive, str, object]]:
    yield from _site()


@pytest.fixture
def sqlite_site(sqlite_home: Path) -> Iterator[tuple[Archive, str, object]]:
    """For what does not depend on the database (throttles, clocks, headers)."""
    yield from _site()


def test_accounts_are_stored_as_argon2id_and_checked(home: Path) -> None:
    with open_archive() as archive:
        user = add_user(archive, " Cat@Example.org ", PASSWORD, "cataloguer")
        assert user.email == "cat@example.org" and user.role == "cataloguer"
        with pytest.raises(UserExists):
            add_user(archive, "cat@example.org", PASSWORD, "reader")
        with pytest.raises(AccountError, match="role must be one of"):
            add_user(archive, "x@example.org", PASSWORD, "boss")
        with pytest.raises(AccountError, match="not an email"):
            add_user(archive, "nobody", PASSWORD, "reader")
        with pytest.raises(AccountError, match="8 to 1024"):
            add_user(archive, "y@example.org", "short", "reader")
        with archive.catalog.session() as s:
            digest = s.scalar(sa.select(UserRow.password_hash))
            entries = s.scalars(sa.select(HistoryRow)).all()
        assert digest is not None and digest.startswith("$argon2id$") and PASSWORD not in digest
        assert [e.action for e in entries] == ["user add"]
        assert PASSWORD not in str([e.changes for e in entries])
        token, secret = create_token(archive, "cat@example.org", "ci", "write")
        assert secret.startswith("hxt_") and list_tokens(archive, "cat@example.org")[0].id == token.id
        with archive.catalog.session() as s, \
                pytest.raises(sa.exc.DBAPIError, match="append-only"), s.begin():
            s.execute(sa.delete(HistoryRow))  # the history is append only


def test_sign_in_csrf_session_and_sign_out(site: tuple[Archive, str, object]) -> None:
    archive, base, app = site
    add_user(archive, "cat@example.org", PASSWORD, "cataloguer")
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    url = f"/api/assets/{meeting.asset_id}"
    with httpx.Client(base_url=base) as c:
        form = c.get("/login")
        assert form.status_code == 200 and 'type="password"' in form.text
        assert ">Email<" in form.text and ">Password<" in form.text
        # no CSRF token, or one from another origin: refused, no session
        r = c.post("/login", data={"email": "cat@example.org", "password": PASSWORD})
        assert r.status_code == 403 and "hexaglot_session" not in r.headers.get("set-cookie", "")
        r = c.post("/login", data={"csrf_token": csrf_of(form.text), "email": "cat@example.org",
                                   "password": PASSWORD}, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403
        r = sign_in(c, "cat@example.org")
        assert r.status_code == 303
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        token = csrf_of(c.get("/").text)  # the sign-out form carries it
        assert c.patch(url, json={"access": "staff"}).status_code == 403  # no X-CSRF-Token
        r = c.patch(url, json={"access": "staff"}, headers={"X-CSRF-Token": token})
        assert r.status_code == 200 and r.json()["access"] == "staff"
        assert c.get(url).status_code == 200
        assert c.post("/logout", data={}).status_code == 403
        assert c.get(url).status_code == 200
        copied = c.cookies["hexaglot_session"]
        with httpx.Client(base_url=base, cookies={"hexaglot_session": copied}) as other:
            assert other.get(url).status_code == 200  # a second browser of the same account
            assert c.post("/logout", data={"csrf_token": token}).status_code == 303
            assert c.get(url).status_code == 404
            # signing out ended the account's sessions: a copy of the cookie is refused
            assert other.get(url).status_code == 404
    [change] = [h for h in asset_history(archive, meeting.asset_id) if h.action == "access"]
    assert change.actor == "user:cat@example.org"
    assert change.changes == {"access": ["public", "staff"]}


def test_session_expiry_with_the_clock_moved(sqlite_site: tuple[Archive, str, object]) -> None:
    archive, base, app = sqlite_site
    add_user(archive, "reader@example.org", PASSWORD, "reader")
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    edit_asset(archive, meeting.asset_id, make_edits(access="registered"))
    url = f"/api/assets/{meeting.asset_id}"
    with httpx.Client(base_url=base) as c:
        sign_in(c, "reader@example.org")
        assert c.get(url).status_code == 200
        hours = archive.settings.session_hours
        app.state.clock = lambda: time.time() + hours * 3600 - 60  # type: ignore[attr-defined]
        assert c.get(url).status_code == 200
        app.state.clock = lambda: time.time() + hours * 3600 + 1  # type: ignore[attr-defined]
        assert c.get(url).status_code == 404


def test_throttle_after_five_failures_without_enumeration(
        sqlite_site: tuple[Archive, str, object]) -> None:
    archive, base, _ = sqlite_site
    add_user(archive, "reader@example.org", PASSWORD, "reader")
    with httpx.Client(base_url=base) as c:
        wrong = [sign_in(c, "reader@example.org", f"wrong-{i}") for i in range(5)]
        unknown = [sign_in(c, f"nobody{i}@example.org", "wrong") for i in range(5)]
        assert {r.status_code for r in wrong} == {r.status_code for r in unknown} == {401}
        assert wrong[0].text.replace("reader@example.org", "X") == \
            unknown[0].text.replace("nobody0@example.org", "X")
        assert sign_in(c, "reader@example.org", "wrong").status_code == 429
        assert sign_in(c, "reader@example.org").status_code == 429  # locked, right or not
        assert sign_in(c, "READER@example.org").status_code == 429  # one account, any spelling


def test_tokens_scopes_revocation_and_disabled_accounts(
        site: tuple[Archive, str, object]) -> None:
    archive, base, _ = site
    add_user(archive, "cat@example.org", PASSWORD, "cataloguer")
    add_user(archive, "reader@example.org", PASSWORD, "reader")
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    url = f"{base}/api/assets/{meeting.asset_id}"
    read, read_secret = create_token(archive, "cat@example.org", "read", "read")
    write, write_secret = create_token(archive, "cat@example.org", "write", "write")
    _, reader_secret = create_token(archive, "reader@example.org", "mine", "write")
    auth = lambda s: {"Authorization": f"Bearer {s}"}  # noqa: E731
    assert httpx.patch(url, json={"title": "x"}).status_code == 401
    assert httpx.patch(url, json={"title": "x"}, headers=auth(read_secret)).status_code == 403
    assert httpx.patch(url, json={"title": "x"}, headers=auth(reader_secret)).status_code == 403
    r = httpx.patch(url, json={"access": "staff"}, headers=auth(write_secret))
    assert r.status_code == 200
    assert httpx.get(url, headers=auth(read_secret)).status_code == 200
    revoke_token(archive, read.id)
    assert httpx.get(url, headers=auth(read_secret)).status_code == 401
    assert httpx.get(url, headers=auth("hxt_not-a-token")).status_code == 401
    with httpx.Client(base_url=base) as c:
        sign_in(c, "cat@example.org")
        assert c.get(f"/api/assets/{meeting.asset_id}").status_code == 200
        disable_user(archive, "cat@example.org")
        assert c.get(f"/api/assets/{meeting.asset_id}").status_code == 404  # session ended
        assert httpx.get(url, headers=auth(write_secret)).status_code == 401  # token too
        assert sign_in(c, "cat@example.org").status_code == 401
    set_role(archive, "reader@example.org", "cataloguer")
    assert httpx.get(url, headers=auth(reader_secret)).status_code == 200
    actors = {h.actor for h in asset_history(archive, meeting.asset_id)}
    assert f"token:{write.id} (cat@example.org)" in actors


def test_signed_media_urls_expire(sqlite_site: tuple[Archive, str, object]) -> None:
    archive, base, app = sqlite_site
    add_user(archive, "cat@example.org", PASSWORD, "cataloguer")
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    path = register_file(archive, meeting.asset_id)
    assert httpx.get(f"{base}/media/{meeting.asset_id}/{path}").status_code == 200
    edit_asset(archive, meeting.asset_id, make_edits(access="staff"))
    assert httpx.get(f"{base}/media/{meeting.asset_id}/{path}").status_code == 404
    _, secret = create_token(archive, "cat@example.org", "t", "read")
    record = httpx.get(f"{base}/api/assets/{meeting.asset_id}",
                       headers={"Authorization": f"Bearer {secret}"}).json()
    signed = record["formats"][0]["url"]
    assert signed.startswith("/media/~") and signed.endswith(f"/{meeting.asset_id}/{path}")
    r = httpx.get(base + signed)  # no session, no token: the signature is enough
    assert r.status_code == 200 and r.content == b"media bytes"
    assert r.headers["cache-control"] == "private, no-store"
    other = signed.replace(f"/{meeting.asset_id}/", "/1234567/")
    assert httpx.get(base + other).status_code == 404  # not for another asset
    tampered = signed.replace("/media/~2.", "/media/~1.") if "/media/~2." in signed else signed
    if tampered != signed:
        assert httpx.get(base + tampered).status_code == 404
    hours = archive.settings.signed_url_hours
    app.state.clock = lambda: time.time() + hours * 3600 + 1  # type: ignore[attr-defined]
    assert httpx.get(base + signed).status_code == 404


def test_drafts_are_public_until_the_first_account(home: Path) -> None:
    with open_archive() as archive:
        with archive.catalog.transaction() as tx:
            tx.save(Asset(asset_id="DRAFT1", title="Bare ingest", status="draft"))
            tx.save(Asset(asset_id="CLIP1", parent_id="DRAFT1", title="Its clip"))
        archive.changed()
        assert archive.catalog.get("CLIP1", Audience.PUBLIC) is not None
        add_user(archive, "admin@example.org", PASSWORD, "admin")
        assert archive.catalog.get("DRAFT1", Audience.PUBLIC) is None
        assert archive.catalog.get("CLIP1", Audience.REGISTERED) is None
        assert archive.search.search(_query("Bare"), audience=Audience.PUBLIC).total == 0
        disable_user(archive, "admin@example.org")
        assert archive.catalog.get("CLIP1", Audience.PUBLIC) is not None
        assert archive.search.search(_query("Bare"), audience=Audience.PUBLIC).total == 1


def _query(text: str) -> Query:
    return parse(text)


def test_history_records_every_change_and_revert_is_a_new_one(home: Path) -> None:
    with open_archive() as archive:
        [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
        aid = meeting.asset_id
        edit_asset(archive, aid, make_edits(title="First title"), actor="user:a@example.org")
        edit_asset(archive, aid, make_edits(title="Second title", access="staff"),
                   actor="user:b@example.org")
        changes = asset_history(archive, aid)
        assert [c.action for c in changes] == ["import", "edit", "edit"]
        assert changes[1].changes["title"] == [meeting.title, "First title"]
        assert changes[2].changes == {"access": ["public", "staff"],
                                      "title": ["First title", "Second title"]}
        reverted = revert_asset(archive, aid, changes[1].id, actor="user:c@example.org")
        assert reverted.title == "First title" and reverted.access == "public"
        last = asset_history(archive, aid)[-1]
        assert (last.action, last.actor) == ("revert", "user:c@example.org")
        assert last.changes == {"access": ["staff", "public"],
                                "title": ["Second title", "First title"]}
        assert revert_asset(archive, aid, changes[0].id).title == meeting.title


def test_the_account_commands(sqlite_home: Path) -> None:
    import json

    from typer.testing import CliRunner

    from hexaglot.cli import app as cli

    runner = CliRunner()

    def hx(*args: str, stdin: str | None = None) -> Result:
        result = runner.invoke(cli, list(args), input=stdin)
        return result

    aid = hx("import", "page", str(PAGES / "sc-meeting.txt")).stdout.split()[-1]
    added = hx("user", "add", "cat@example.org", "--role", "cataloguer", "--password-stdin",
               stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.stderr
    again = hx("user", "add", "cat@example.org", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.exit_code == 2 and "exists already" in again.stderr
    empty = hx("user", "add", "x@example.org", "--password-stdin", stdin="")
    assert empty.exit_code == 2 and "no password" in empty.stderr
    assert hx("user", "role", "cat@example.org", "admin").exit_code == 0
    users = json.loads(hx("user", "list", "--json").stdout)["users"]
    assert [(u["email"], u["role"], u["disabled"]) for u in users] == \
        [("cat@example.org", "admin", False)]
    made = hx("token", "create", "cat@example.org", "--name", "ci", "--scope", "write")
    secret = made.stdout.strip()
    assert made.exit_code == 0 and secret.startswith("hxt_") and secret not in made.stderr
    [token] = json.loads(hx("token", "list", "cat@example.org", "--json").stdout)["tokens"]
    assert token["name"] == "ci" and token["scope"] == "write" and secret not in str(token)
    assert hx("token", "revoke", str(token["id"])).exit_code == 0
    assert hx("token", "revoke", "999").exit_code == 2
    assert hx("edit", aid, "--access", "embargoed until 2030-02-30").exit_code == 2
    assert hx("edit", aid, "--access", "registered").exit_code == 0
    assert hx("user", "disable", "cat@example.org").exit_code == 0
    history = json.loads(hx("history", aid, "--json").stdout)["history"]
    assert [h["action"] for h in history] == ["import", "access"]
    assert history[1]["changes"] == {"access": {"before": "public", "after": "registered"}}
    assert history[1]["actor"].startswith("cli:")
    assert hx("revert", aid, str(history[0]["id"])).exit_code == 0
    assert json.loads(hx("show", aid, "--json").stdout)["access"] == "public"
    assert hx("history", "NOSUCHASSET").exit_code == 2
    home_bytes = b"".join(p.read_bytes() for p in sqlite_home.rglob("*") if p.is_file())
    assert PASSWORD.encode() not in home_bytes and secret.encode() not in home_bytes


def test_cors_for_anonymous_reads_only_and_body_limits(
        sqlite_site: tuple[Archive, str, object]) -> None:
    archive, base, _ = sqlite_site
    add_user(archive, "cat@example.org", PASSWORD, "cataloguer")
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    _, secret = create_token(archive, "cat@example.org", "t", "write")
    url = f"{base}/api/assets/{meeting.asset_id}"
    other = {"Origin": "http://other.example"}
    assert httpx.get(f"{base}/api/search?q=council", headers=other) \
        .headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in httpx.get(f"{base}/assets/{meeting.asset_id}",
                                                          headers=other).headers
    pre = httpx.options(url, headers={**other, "Access-Control-Request-Method": "PATCH"})
    assert "access-control-allow-origin" not in pre.headers
    big = b'{"title": "' + b"x" * (5 << 20) + b'"}'
    r = httpx.patch(url, content=big, headers={"Content-Type": "application/json",
                                               "Authorization": f"Bearer {secret}"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    signed_in = httpx.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert "Authorization" in signed_in.headers["vary"]
    assert signed_in.headers["cache-control"].startswith("private")
