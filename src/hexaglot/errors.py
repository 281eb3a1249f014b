"""The one error family of Hexaglot: every layer raises a subclass of `HexaglotError`.

Each kind says what a caller can do about it, and each surface maps kinds, never classes:
the CLI to exit codes (`exit_code`), the API to HTTP statuses (`status`) and the one JSON
error shape `{"error": {"code", "message"}}`, the job runner to permanent or retryable.

- `BadInput`: the input (a file, an option, a request body) is wrong; fix it and retry.
- `NotFound`: the thing named does not exist (or the caller may not know it exists).
- `Conflict`: the request clashes with the archive's current state.
- `Forbidden`: the caller may not do this.
- `Unavailable`: a service or resource failed (disk full, database down); retrying may help.
"""

from __future__ import annotations


class HexaglotError(Exception):
    """Base of every error Hexaglot raises on purpose; `str()` is a one-line message that
    names what was wrong, where, and why."""

    code = "error"
    status = 500
    exit_code = 1
    permanent = False  # a job that raised it fails at once instead of retrying


class BadInput(HexaglotError, ValueError):
    """An input cannot be used as given (names the input and the problem)."""

    code = "bad_input"
    status = 422
    exit_code = 2
    permanent = True


class NotFound(HexaglotError, LookupError):
    """What was asked for does not exist, or is not visible to the caller."""

    code = "not_found"
    status = 404
    exit_code = 2
    permanent = True


class Conflict(HexaglotError):
    """The request clashes with the current state of the archive."""

    code = "conflict"
    status = 409
    exit_code = 2
    permanent = True


class Forbidden(HexaglotError):
    """The caller may not do this."""

    code = "forbidden"
    status = 403
    exit_code = 3
    permanent = True


class Unavailable(HexaglotError):
    """A resource failed (disk full, a service unreachable); trying again later may work."""

    code = "unavailable"
    status = 503
    exit_code = 1
