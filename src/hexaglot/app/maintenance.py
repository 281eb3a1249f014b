"""Keeping an archive's own structures current: its catalogue schema."""

from __future__ import annotations

from hexaglot.app.archive import Archive
from hexaglot.catalog.migrate import current_revision, head_revision


def schema_revisions(archive: Archive) -> tuple[str | None, str | None]:
    """(the catalogue's schema revision after upgrading, the newest the code knows)."""
    return current_revision(archive.catalog.engine), head_revision()
