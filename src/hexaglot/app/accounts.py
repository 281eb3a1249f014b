"""Accounts and API tokens: adding, listing, changing roles, disabling; signing in with an
email and a password (Argon2id, `argon2-cffi`); tokens made, listed, revoked and looked up.
Every change is entered in the history; a password or a token is never stored, logged or
entered anywhere, only its hash."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hexaglot.app.archive import Archive
from hexaglot.catalog import accounts
from hexaglot.catalog.accounts import Token, UnknownToken, UnknownUser, User, UserExists
from hexaglot.domain.access import ROLES, SCOPES
from hexaglot.errors import BadInput

__all__ = ["Token", "UnknownToken", "UnknownUser", "User", "UserExists", "add_user",
           "authenticate", "create_token", "disable_user", "list_tokens", "list_users",
           "revoke_token", "set_role", "token_owner", "user_by_id"]

log = logging.getLogger(__name__)
_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters
#: A hash of a password nobody has: checked against when the email is unknown, so an
#: unknown email costs as much time as a wrong password (no user enumeration by timing).
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))
_EMAIL = re.compile(r"[^@\s]{1,200}@[^@\s]{1,200}\.[^@\s.]{1,63}")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
TOKEN_PREFIX = "hxt_"


class AccountError(BadInput):
    """An account value that cannot be used (names what and why)."""


def normalize_email(email: str) -> str:
    """The stored form of an email (trimmed, lower case); `AccountError` when it is not one."""
    text = email.strip().lower()
    if len(text) > 320 or not _EMAIL.fullmatch(text):
        raise AccountError(f"{email[:80]!r} is not an email address (want NAME@DOMAIN)")
    return text


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def _check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"a password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters "
                           f"(this one has {len(password)})")
    return password


def add_user(archive: Archive, email: str, password: str, role: str,
             actor: str | None = None) -> User:
    """Add an account; the first one makes drafts staff only (see `domain.access`)."""
    email, role = normalize_email(email), _check_role(role)
    digest = _HASHER.hash(_check_password(password))
    with archive.catalog.transaction(actor, "user add") as tx:
        user = accounts.add_user(tx, email, digest, role)
    archive.changed()
    log.info("account %s added (%s)", email, role)
    return user


def list_users(archive: Archive) -> list[User]:
    """Every account, in email order."""
    with archive.catalog.session() as s:
        return accounts.users(s)


def user_by_id(archive: Archive, user_id: int) -> User | None:
    """The account with this id, or None."""
    with archive.catalog.session() as s:
        return accounts.user_by_id(s, user_id)


def set_role(archive: Archive, email: str, role: str, actor: str | None = None) -> User:
    """Change an account's role (its sessions end)."""
    email, role = normalize_email(email), _check_role(role)
    with archive.catalog.transaction(actor, "user role") as tx:
        return accounts.set_role(tx, email, role)


def disable_user(archive: Archive, email: str, disabled: bool = True,
                 actor: str | None = None) -> User:
    """Disable (or enable again) an account: it cannot sign in, its sessions and tokens
    stop working at once. Disabling the last account makes drafts visible to everyone."""
    email = normalize_email(email)
    with archive.catalog.transaction(actor) as tx:
        user = accounts.set_disabled(tx, email, disabled)
    archive.changed()
    return user


def sign_out(archive: Archive, user_id: int) -> None:
    """End every session of an account: a copied session cookie stops working too."""
    with archive.catalog.transaction(None) as tx:
        accounts.end_sessions(tx, user_id)


def authenticate(archive: Archive, email: str, password: str) -> User | None:
    """The account when the email and password match an enabled account, else None; an
    unknown email takes the time of a wrong password."""
    try:
        email = normalize_email(email)
    except AccountError:
        email = ""
    with archive.catalog.session() as s:
        found = accounts.user_by_email(s, email) if email else None
    digest = found[1] if found is not None else _DUMMY
    try:
        _HASHER.verify(digest, password[:MAX_PASSWORD])
        ok = found is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or found is None or found[0].disabled:
        return None
    return found[0]


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def create_token(archive: Archive, email: str, name: str | None = None, scope: str = "read",
                 actor: str | None = None) -> tuple[Token, str]:
    """A new API token of the account: its record and the token itself (shown once, only
    its hash is stored)."""
    email = normalize_email(email)
    if scope not in SCOPES:
        raise AccountError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    label = (name or "token").strip()[:200] or "token"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with archive.catalog.transaction(actor, "token create") as tx:
        token = accounts.add_token(tx, email, label, scope, _token_hash(secret))
    return token, secret


def list_tokens(archive: Archive, email: str) -> list[Token]:
    """The account's tokens, revoked ones too."""
    with archive.catalog.session() as s:
        return accounts.tokens(s, normalize_email(email))


def revoke_token(archive: Archive, token_id: int, actor: str | None = None) -> Token:
    """Revoke a token: it stops working at once."""
    with archive.catalog.transaction(actor, "token revoke") as tx:
        return accounts.revoke_token(tx, token_id)


def token_owner(archive: Archive, secret: str) -> tuple[Token, User] | None:
    """The live token and its enabled account for a presented token, else None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = _token_hash(secret)
    with archive.catalog.session() as s:
        found = accounts.token_by_hash(s, digest)
    if found is None or found[1].disabled:
        return None
    return found
