"""Blob storage for masters: a small protocol (`base`) and one module per backend."""

from __future__ import annotations

from hexaglot.config import Settings, get_settings
from hexaglot.storage.base import Blob, BlobError, BlobMissing, BlobStore
from hexaglot.storage.local import LocalBlobStore


def open_blob_store(settings: Settings | None = None) -> BlobStore:
    """The blob store the settings name (a local directory for now)."""
    settings = settings or get_settings()
    return LocalBlobStore(settings.resolved_storage_path / "masters")


__all__ = ["Blob", "BlobError", "BlobMissing", "BlobStore", "LocalBlobStore", "open_blob_store"]
