"""Who may see an asset: the one visibility rule of the archive.

An asset's `access` is one of

- `public`: everyone;
- `registered`: any signed-in user;
- `staff`: cataloguers and admins only (`restricted`, its former name, is read as `staff`);
- `embargoed until YYYY-MM-DD`: staff only until that day, then everyone, by itself;

and its `status` is `draft` (staff only once the archive has an account; while it has
none, an embedded single-user archive, drafts are seen by everyone) or `published`. A statement clip is never more
visible than its parent meeting: what a viewer may see of an asset is what every asset of
its parent chain allows (`Visibility.within`). The catalogue stores each asset's effective
visibility (computed here) beside it, and both search engines index it, so every surface
asks the same question: `Visibility.allows(viewer, today)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

EMBARGO_PREFIX = "embargoed until "
_EMBARGO = re.compile(r"embargoed until (\d{4})-(\d{2})-(\d{2})")
LEVELS: tuple[str, ...] = ("public", "registered", "staff")
_ALIASES = {"restricted": "staff"}
STATUSES: tuple[str, ...] = ("draft", "published")


class Audience(IntEnum):
    """Who is looking, from the least to the most privileged (also: who an asset is for)."""

    PUBLIC = 0  # anyone, signed in or not
    REGISTERED = 1  # a signed-in reader
    STAFF = 2  # cataloguers and admins


@dataclass(frozen=True)
class Access:
    """A parsed access value: a level, and for an embargo the day it lifts."""

    level: str
    until: date | None = None

    def __str__(self) -> str:
        if self.until is not None:
            return f"{EMBARGO_PREFIX}{self.until.isoformat()}"
        return self.level


def parse_access(value: str) -> Access:
    """Read an access value; ValueError naming the value when it is not one (an embargo
    must name a real calendar day)."""
    text = " ".join(str(value).split()).lower()
    text = _ALIASES.get(text, text)
    if text in LEVELS:
        return Access(text)
    m = _EMBARGO.fullmatch(text)
    if m:
        try:
            return Access("embargoed", date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError as exc:
            raise ValueError(f"embargo date {text.removeprefix(EMBARGO_PREFIX)!r} is not a "
                             f"calendar day ({exc})") from None
    raise ValueError(f"access must be public, registered, staff or 'embargoed until "
                     f"YYYY-MM-DD', not {value!r}")


def normalize_access(value: str) -> str:
    """The stored form of an access value (`restricted` → `staff`, spacing and case
    tidied); ValueError when it is not one."""
    return str(parse_access(value))


@dataclass(frozen=True)
class Visibility:
    """Who may see an asset: an audience, and (embargo) the first day non-staff may."""

    audience: Audience = Audience.PUBLIC
    visible_from: date | None = None

    def allows(self, viewer: Audience, today: date | None = None) -> bool:
        """Whether `viewer` may see the asset on `today` (staff see everything)."""
        if viewer >= Audience.STAFF:
            return True
        if self.audience > viewer:
            return False
        return self.visible_from is None or (today or date.today()) >= self.visible_from

    def within(self, parent: Visibility | None) -> Visibility:
        """This visibility narrowed by the parent's: never more visible than the parent."""
        if parent is None:
            return self
        days = [d for d in (self.visible_from, parent.visible_from) if d is not None]
        return Visibility(max(self.audience, parent.audience), max(days) if days else None)


def own_visibility(access: str, status: str = "published",
                   drafts_hidden: bool = True) -> Visibility:
    """The visibility an asset's own access and status give (before its parents'). A
    draft is staff only when `drafts_hidden` (the archive has an account), else its
    access alone decides."""
    parsed = parse_access(access)
    if (status == "draft" and drafts_hidden) or parsed.level == "staff":
        return Visibility(Audience.STAFF)
    if parsed.level == "registered":
        return Visibility(Audience.REGISTERED)
    return Visibility(Audience.PUBLIC, parsed.until)


#: The roles of an account, from the least to the most privileged: a `reader` is a
#: signed-in public user, a `cataloguer` edits, ingests and publishes, an `admin` also
#: manages accounts and settings.
ROLES: tuple[str, ...] = ("reader", "cataloguer", "admin")
#: What a token may do: `read` (see what its user sees) or `write` (also change it).
SCOPES: tuple[str, ...] = ("read", "write")


def role_audience(role: str) -> Audience:
    """The audience an account of `role` belongs to."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return Audience.REGISTERED if role == "reader" else Audience.STAFF
