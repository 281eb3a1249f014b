"""Signing in and out: `GET /login` (the form), `POST /login`, `POST /logout`.

A wrong email and a wrong password give the same answer in about the same time; after
`LOGIN_FAILURES` failed sign-ins of one account within `LOGIN_WINDOW` seconds, every
attempt for it answers 429 until the window has passed (and the lock is logged)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hexaglot.app.accounts import authenticate, sign_out
from hexaglot.web.auth import (
    LOGIN_WINDOW,
    SESSION_COOKIE,
    Throttle,
    Who,
    archive_of,
    secure,
    session_cookie,
    verify_csrf,
)
from hexaglot.web.templating import render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


def _next(value: object) -> str:
    text = value if isinstance(value, str) else ""
    return text if text.startswith("/") and not text.startswith(("//", "/\\")) else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, who: Who) -> HTMLResponse:
    """The sign-in form (fields `email` and `password`)."""
    return render(request, "login.html", {"next": _next(request.query_params.get("next")),
                                          "email": "", "failed": False})


@router.post("/login", dependencies=[Depends(verify_csrf)])
async def login(request: Request) -> Response:
    """Sign in: a session cookie (HttpOnly, SameSite=Lax, Secure over https) and a
    redirect to `next`; 401 with the form again when the email or password is wrong."""
    form = await request.form()
    email = str(form.get("email") or "")[:400]
    password = str(form.get("password") or "")
    key = email.strip().lower()
    throttle: Throttle = request.app.state.login_throttle
    if throttle.blocked(key):
        raise HTTPException(status_code=429, detail="too many failed sign-ins for this "
                            "account: wait 15 minutes",
                            headers={"Retry-After": str(int(LOGIN_WINDOW))})
    user = await run_in_threadpool(authenticate, archive_of(request), email, password)
    if user is None:
        if throttle.failed(key):
            log.warning("sign-in locked for 15 minutes after repeated failures (account %r, "
                        "from %s)", key[:80], request.client.host if request.client else "?")
        return render(request, "login.html", {"next": _next(form.get("next")), "email": email,
                                              "failed": True}, status_code=401)
    response = RedirectResponse(_next(form.get("next")), status_code=303)
    hours = archive_of(request).settings.session_hours
    response.set_cookie(SESSION_COOKIE, session_cookie(request, user), httponly=True,
                        samesite="lax", secure=secure(request), path="/",
                        max_age=int(hours * 3600))
    log.info("signed in: %s", user.email)
    return response


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, who: Who) -> Response:
    """Sign out: every session of the account ends (a copy of its cookie is refused from
    now on) and the session cookie is removed."""
    if who.user_id is not None and who.via == "session":
        sign_out(archive_of(request), who.user_id)
        log.info("signed out: %s", who.email)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=secure(request))
    return response
