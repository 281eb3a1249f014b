"""Bringing the search index in step: apply pending changes, or rebuild from scratch."""

from __future__ import annotations

from hexaglot.app.archive import Archive
from hexaglot.search.base import Progress
from hexaglot.search.sync import reindex as rebuild_index


def apply_pending(archive: Archive) -> int:
    """Apply every catalogue change the index has not seen; returns how many assets."""
    return archive.changed()


def reindex(archive: Archive, progress: Progress | None = None) -> int:
    """Rebuild the index from the catalogue and swap it in atomically (what a killed
    rebuild left is cleaned first); returns how many assets were indexed."""
    return rebuild_index(archive.catalog, archive.search, progress)


def asset_count(archive: Archive) -> int:
    """How many assets the catalogue holds (for progress bars)."""
    return archive.catalog.count()
