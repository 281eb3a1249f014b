"""Who is asking: the `Principal` of a request, sessions, CSRF and throttling.

A request is made by

- an API token (`Authorization: Bearer TOKEN`, `hexaglot token create`): its account, with
  the token's scope (`read` or `write`); a revoked or unknown token is refused (401), and
  failed attempts are throttled per client address (`FAILURES` within `WINDOW` seconds,
  then 429 for the window); the deprecated `HEXAGLOT_EDITOR_TOKEN` still acts as staff;
- a session (the signed `hexaglot_session` cookie `POST /login` sets): its account, as
  long as the account is enabled and the session has not expired or been ended;
- else nobody: anonymous.

Writes from a session need the CSRF token of the page (`csrf_token(request)`, sent as the
form field `csrf_token` or the header `X-CSRF-Token`): the token is a random value whose
signed copy lives in the `hexaglot_csrf` cookie (double submit), and a request from
another origin is refused. Sign-ins are throttled per account (`LoginThrottle`). Both
throttles count in the archive's shared state (`Archive.shared`: Redis in server mode), so
every web process of a deployment counts the same attempts.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

from hexaglot.app import Archive
from hexaglot.app.accounts import User, token_owner, user_by_id
from hexaglot.app.archive import MemoryState, SharedState
from hexaglot.domain import Audience
from hexaglot.domain.access import role_audience
from hexaglot.errors import NotFound, Unavailable

log = logging.getLogger(__name__)
FAILURES = 10
WINDOW = 60.0
#: Failed sign-ins of one account within `LOGIN_WINDOW` seconds before it is locked (429)
#: for `LOGIN_WINDOW` seconds.
LOGIN_FAILURES = 5
LOGIN_WINDOW = 15 * 60.0
SESSION_COOKIE = "hexaglot_session"
CSRF_COOKIE = "hexaglot_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class Throttle:
    """Failed attempts per key within a sliding window, counted in `state`: the archive's
    shared state (Redis in server mode: every web process counts the same attempts), or
    this process's memory by default. `name` keeps the counts of one throttle apart from
    another's."""

    def __init__(self, failures: int = FAILURES, window: float = WINDOW,
                 state: SharedState | None = None, name: str = "throttle",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failures, self.window, self.name = failures, window, name
        self.state = state if state is not None else MemoryState(clock=clock)

    def blocked(self, key: str) -> bool:
        """True when `key` failed too often within the window."""
        return self.state.count(f"{self.name}:{key}", self.window) >= self.failures

    def failed(self, key: str) -> bool:
        """Count one failed attempt of `key`; True when that attempt locked it."""
        return self.state.record(f"{self.name}:{key}", self.window) == self.failures


@dataclass(frozen=True)
class Principal:
    """Who makes a request: an account (through a session or a token), the deprecated
    editor token, or nobody. `actor` names it in the history."""

    audience: Audience = Audience.PUBLIC
    user_id: int | None = None
    email: str | None = None
    role: str | None = None
    via: str = "anonymous"  # anonymous | session | token | editor-token
    scope: str | None = None  # a token's scope (read | write); None otherwise
    actor: str = "anonymous"
    token_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.audience >= Audience.STAFF

    @property
    def signed_in(self) -> bool:
        return self.via != "anonymous"

    @property
    def may_write(self) -> bool:
        """Staff, and not through a read-only token."""
        return self.is_staff and self.scope != "read"


ANONYMOUS = Principal()


def archive_of(request: Request) -> Archive:
    """The archive the app serves."""
    return request.app.state.archive


def clock(request: Request) -> float:
    """The app's clock (seconds since the epoch; tests move it)."""
    now: Callable[[], float] = request.app.state.clock
    return now()


def _serializer(request: Request, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(archive_of(request).secret_key, salt=salt)


def _bearer(request: Request) -> str | None:
    raw = request.headers.get("authorization")
    if raw is None:
        return None
    scheme, _, given = raw.partition(" ")
    return given.strip() if scheme.lower() == "bearer" else ""


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _of_user(user: User, via: str, **extra: Any) -> Principal:
    return Principal(role_audience(user.role), user.id, user.email, user.role, via,
                     actor=extra.pop("actor", f"user:{user.email}"), **extra)


def _from_token(request: Request, given: str) -> Principal:
    throttle: Throttle = request.app.state.throttle
    key = _client(request)
    if throttle.blocked(key):
        raise HTTPException(status_code=429, detail="too many failed token attempts; "
                            "wait a minute", headers={"Retry-After": str(int(WINDOW))})
    archive = archive_of(request)
    legacy = archive.settings.editor_token
    if legacy and hmac.compare_digest(given.encode("utf-8", "surrogateescape"),
                                      legacy.encode("utf-8")):
        if not getattr(request.app.state, "editor_token_warned", False):
            request.app.state.editor_token_warned = True
            log.warning("HEXAGLOT_EDITOR_TOKEN is deprecated and goes in the next release: "
                        "make accounts (hexaglot user add) and tokens (hexaglot token create)")
        return Principal(Audience.STAFF, via="editor-token", actor="editor-token")
    found = token_owner(archive, given)
    if found is not None:
        token, user = found
        return _of_user(user, "token", scope=token.scope, token_id=token.id,
                        actor=f"token:{token.id} ({user.email})")
    throttle.failed(key)
    raise HTTPException(status_code=401, detail="the bearer token is unknown, revoked or "
                        "its account disabled", headers={"WWW-Authenticate": "Bearer"})


def session_cookie(request: Request, user: User) -> str:
    """The signed value of a new session of `user`, valid for the session lifetime."""
    hours = archive_of(request).settings.session_hours
    return _serializer(request, "session").dumps(
        {"u": user.id, "e": user.session_epoch, "x": int(clock(request) + hours * 3600)})


def _from_session(request: Request) -> Principal:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw or len(raw) > 1000:
        return ANONYMOUS
    try:
        data = _serializer(request, "session").loads(raw)
        uid, epoch, expires = int(data["u"]), int(data["e"]), float(data["x"])
    except (BadSignature, KeyError, TypeError, ValueError, Unavailable):
        return ANONYMOUS
    if clock(request) >= expires:
        return ANONYMOUS
    user = user_by_id(archive_of(request), uid)
    if user is None or user.disabled or user.session_epoch != epoch:
        return ANONYMOUS
    return _of_user(user, "session")


def principal(request: Request) -> Principal:
    """Who makes the request (see the module docstring); once per request."""
    known = getattr(request.state, "principal", None)
    if isinstance(known, Principal):
        return known
    given = _bearer(request)
    who = _from_session(request) if given is None else _from_token(request, given)
    request.state.principal = who
    return who


Who = Annotated[Principal, Depends(principal)]


def viewer(who: Who) -> Audience:
    """The audience of the request (what it may see)."""
    return who.audience


def staff_principal(who: Who) -> Principal:
    """Cataloguers and admins only; anyone else gets a 404, as if the route did not exist."""
    if not who.is_staff:
        raise NotFound("not found")
    return who


# -- CSRF ------------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser (made, and its cookie set by the page, when it has
    none yet): what a page puts in its forms and its `<meta name="csrf-token">`."""
    fresh = getattr(request.state, "csrf_new", None)
    if isinstance(fresh, str):
        return fresh
    raw = request.cookies.get(CSRF_COOKIE)
    if raw and len(raw) < 500:
        try:
            value = _serializer(request, "csrf").loads(raw)
            if isinstance(value, str):
                return value
        except (BadSignature, Unavailable):
            pass
    value = secrets.token_urlsafe(32)
    request.state.csrf_new = value
    return value


def secure(request: Request) -> bool:
    """Whether cookies are marked Secure (the setting, or a request over https)."""
    return archive_of(request).settings.secure_cookies or request.url.scheme == "https"


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the CSRF cookie when this request made a new token."""
    fresh = getattr(request.state, "csrf_new", None)
    if isinstance(fresh, str):
        try:
            signed = _serializer(request, "csrf").dumps(fresh)
        except Unavailable:  # no secret key (server mode): forms that change things refuse
            return
        response.set_cookie(CSRF_COOKIE, signed, httponly=True, samesite="lax",
                            secure=secure(request), path="/")


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc.lower() == (request.headers.get("host") or "").lower()


def _csrf_ok(request: Request, given: str | None) -> bool:
    raw = request.cookies.get(CSRF_COOKIE)
    if not given or not raw or len(raw) > 500:
        return False
    try:
        value = _serializer(request, "csrf").loads(raw)
    except (BadSignature, Unavailable):
        return False
    return isinstance(value, str) and hmac.compare_digest(value.encode(), given.encode())


def _refuse_csrf() -> HTTPException:
    return HTTPException(status_code=403, detail="the form's CSRF token is missing or wrong, "
                         "or the request comes from another site: reload the page and retry")


async def verify_csrf(request: Request) -> None:
    """For a form POST: the form field `csrf_token` (or the header) must match this
    browser's CSRF cookie, from this origin."""
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        field = form.get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not _same_origin(request) or not _csrf_ok(request, given):
        raise _refuse_csrf()


def verify_csrf_header(request: Request, who: Who) -> None:
    """For a JSON write: from a session (a browser), the header `X-CSRF-Token` must match
    the CSRF cookie; a token-authenticated request needs none."""
    if who.via == "session" and (not _same_origin(request)
                                 or not _csrf_ok(request, request.headers.get(CSRF_HEADER))):
        raise _refuse_csrf()


def editor(request: Request, who: Who) -> Principal:
    """A write over the API: a cataloguer or admin, signed in (with the page's CSRF token)
    or with a `write` token; checked before the body is read."""
    if not who.signed_in:
        raise HTTPException(status_code=401, detail="sign in as a cataloguer or send an API "
                            "token (Authorization: Bearer TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not who.is_staff:
        raise HTTPException(status_code=403, detail="only cataloguers and admins may change "
                            "records")
    if not who.may_write:
        raise HTTPException(status_code=403, detail="this token's scope is read: make a "
                            "write token to change records")
    verify_csrf_header(request, who)
    return who


Editor = Annotated[Principal, Depends(editor)]
