"""Blob storage for masters: a small protocol (`base`) and one module per backend."""

from __future__ import annotations

from hexaglot.config import Settings, get_settings
from hexaglot.storage.base import Blob, BlobError, BlobMissing, BlobStore
from hexaglot.storage.local import LocalBlobStore


def open_blob_store(settings: Settings | None = None) -> BlobStore:
    """The blob store the settings name: an S3 bucket for `s3://…`, else a directory."""
    settings = settings or get_settings()
    if settings.storage_is_s3:
        from hexaglot.storage.s3 import open_s3_store  # boto3 is imported only when used

        return open_s3_store(settings)
    return LocalBlobStore(settings.resolved_storage_path / "masters")


__all__ = ["Blob", "BlobError", "BlobMissing", "BlobStore", "LocalBlobStore", "open_blob_store"]
