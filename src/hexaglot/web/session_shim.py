"""TEMPORARY stand-in for issue 11's accounts (replaced by web.auth at merge)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from hexaglot.domain import Audience
from hexaglot.web.auth import viewer


@dataclass(frozen=True)
class Principal:
    user_id: str | None
    email: str | None
    role: str
    audience: Audience
    actor: str


def principal(request: Request) -> Principal:
    who = viewer(request)
    if who >= Audience.STAFF:
        return Principal("token", "token@example.org", "cataloguer", who, "user:token")
    return Principal(None, None, "anonymous", who, "anonymous")


def staff_principal(request: Request) -> Principal:
    p = principal(request)
    if p.audience < Audience.STAFF:
        raise HTTPException(404, "Not Found")
    return p


def csrf_token(request: Request) -> str:
    return "shim"


def verify_csrf(request: Request, token: str | None) -> None:
    return None


from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    yield
