"""Accounts and API tokens in the catalogue (`users`, `api_tokens`): what is stored and
looked up. Only hashes are stored (Argon2id for passwords, made by the app layer; SHA-256
for tokens, which are long random strings). Every change is entered in the history in
the same transaction (`Writer.record`), never with a hash in it."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hexaglot.catalog.repository import Writer, drafts_hidden
from hexaglot.catalog.tables import ApiTokenRow, UserRow
from hexaglot.errors import Conflict, NotFound


class UnknownUser(NotFound):
    """No account with this email (or id)."""


class UnknownToken(NotFound):
    """No API token with this id."""


class UserExists(Conflict):
    """An account with this email exists already."""


@dataclass(frozen=True)
class User:
    """One account (never its password hash)."""

    id: int
    email: str
    role: str
    disabled: bool
    session_epoch: int
    created: datetime

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "email": self.email, "role": self.role,
                "disabled": self.disabled, "created": _aware(self.created).isoformat()}


@dataclass(frozen=True)
class Token:
    """One API token (never the token itself: only its hash is stored)."""

    id: int
    user_id: int
    email: str
    name: str
    scope: str
    created: datetime
    revoked: datetime | None

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "email": self.email, "name": self.name, "scope": self.scope,
                "created": _aware(self.created).isoformat(),
                "revoked": _aware(self.revoked).isoformat() if self.revoked else None}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _user(row: UserRow) -> User:
    return User(row.id, row.email, row.role, bool(row.disabled), row.session_epoch,
                _aware(row.created))


def _token(row: ApiTokenRow, email: str) -> Token:
    return Token(row.id, row.user_id, email, row.name, row.scope, _aware(row.created),
                 _aware(row.revoked) if row.revoked else None)


def _user_row(s: Session, email: str) -> UserRow:
    row = s.scalars(sa.select(UserRow).where(UserRow.email == email)).first()
    if row is None:
        raise UnknownUser(f"no account with email {email!r}")
    return row


def user_by_email(s: Session, email: str) -> tuple[User, str] | None:
    """The account and its password hash, or None."""
    row = s.scalars(sa.select(UserRow).where(UserRow.email == email)).first()
    return (_user(row), row.password_hash) if row is not None else None


def user_by_id(s: Session, user_id: int) -> User | None:
    """The account with this id, or None."""
    row = s.get(UserRow, user_id)
    return _user(row) if row is not None else None


def users(s: Session) -> list[User]:
    """Every account, in email order."""
    return [_user(r) for r in s.scalars(sa.select(UserRow).order_by(UserRow.email))]


def _visibility_rule_changed(tx: Writer, before: bool) -> None:
    if drafts_hidden(tx.session) != before:
        tx.recompute_visibility()


def add_user(tx: Writer, email: str, password_hash: str, role: str) -> User:
    """Store a new account (`UserExists` when the email is taken). The first account
    makes drafts staff only (every asset's visibility is recomputed)."""
    s = tx.session
    if s.scalars(sa.select(UserRow.id).where(UserRow.email == email)).first() is not None:
        raise UserExists(f"an account with email {email!r} exists already")
    before = drafts_hidden(s)
    row = UserRow(email=email, password_hash=password_hash, role=role, disabled=False,
                  session_epoch=0, created=_now())
    s.add(row)
    s.flush()
    tx.record("user", email, {"role": [None, role], "disabled": [None, False]}, "user add")
    _visibility_rule_changed(tx, before)
    return _user(row)


def set_role(tx: Writer, email: str, role: str) -> User:
    """Change an account's role (its sessions end)."""
    row = _user_row(tx.session, email)
    if row.role != role:
        tx.record("user", email, {"role": [row.role, role]}, "user role")
        row.role, row.session_epoch = role, row.session_epoch + 1
    return _user(row)


def set_disabled(tx: Writer, email: str, disabled: bool = True) -> User:
    """Disable (or enable) an account: a disabled one cannot sign in, its sessions end and
    its tokens stop working. The last account disabled makes drafts visible again."""
    row = _user_row(tx.session, email)
    before = drafts_hidden(tx.session)
    if bool(row.disabled) != disabled:
        tx.record("user", email, {"disabled": [bool(row.disabled), disabled]},
                  "user disable" if disabled else "user enable")
        row.disabled, row.session_epoch = disabled, row.session_epoch + 1
        tx.session.flush()
        _visibility_rule_changed(tx, before)
    return _user(row)


def set_password_hash(tx: Writer, email: str, password_hash: str) -> User:
    """Replace an account's password hash (its sessions end)."""
    row = _user_row(tx.session, email)
    row.password_hash, row.session_epoch = password_hash, row.session_epoch + 1
    tx.record("user", email, {"password": ["(set)", "(changed)"]}, "user password")
    return _user(row)


def end_sessions(tx: Writer, user_id: int) -> None:
    """End every session of an account (signing out): the session epoch moves on, so no
    copy of an earlier session cookie is accepted again."""
    row = tx.session.get(UserRow, user_id)
    if row is not None:
        row.session_epoch = row.session_epoch + 1


def add_token(tx: Writer, email: str, name: str, scope: str, token_hash: str) -> Token:
    """Store a new token of the account (only its hash)."""
    user = _user_row(tx.session, email)
    row = ApiTokenRow(user_id=user.id, name=name, scope=scope, token_hash=token_hash,
                      created=_now())
    tx.session.add(row)
    tx.session.flush()
    tx.record("token", str(row.id), {"email": [None, email], "name": [None, name],
                                     "scope": [None, scope]}, "token create")
    return _token(row, email)


def tokens(s: Session, email: str) -> list[Token]:
    """The account's tokens (revoked ones too), oldest first."""
    user = _user_row(s, email)
    stmt = sa.select(ApiTokenRow).where(ApiTokenRow.user_id == user.id).order_by(ApiTokenRow.id)
    return [_token(r, email) for r in s.scalars(stmt)]


def revoke_token(tx: Writer, token_id: int) -> Token:
    """Revoke a token (`UnknownToken` when there is none with this id); revoking twice
    changes nothing."""
    row = tx.session.get(ApiTokenRow, token_id)
    if row is None:
        raise UnknownToken(f"no API token with id {token_id}")
    user = tx.session.get(UserRow, row.user_id)
    if row.revoked is None:
        row.revoked = _now()
        tx.record("token", str(row.id), {"revoked": [None, row.revoked.isoformat()]},
                  "token revoke")
    return _token(row, user.email if user else "")


def token_by_hash(s: Session, token_hash: str) -> tuple[Token, User] | None:
    """The live token with this hash and its account, or None (revoked, or unknown)."""
    row = s.scalars(sa.select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)).first()
    if row is None or not hmac.compare_digest(row.token_hash, token_hash) \
            or row.revoked is not None:
        return None
    user = s.get(UserRow, row.user_id)
    if user is None:
        return None
    return _token(row, user.email), _user(user)
