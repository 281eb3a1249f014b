"""Blob storage for masters, renditions and transcripts: a small protocol (`base`) and one
module per backend."""

from __future__ import annotations

from pathlib import Path

from hexaglot.config import Settings, get_settings
from hexaglot.errors import BadInput
from hexaglot.storage.base import Blob, BlobError, BlobMissing, BlobStore
from hexaglot.storage.local import LocalBlobStore

#: The directory of the local store under the storage path (`blobs/` in the home).
LOCAL_ROOT = "sha256"
#: Where archives made before renditions were blobs kept their masters.
LEGACY_ROOT = "masters"


def open_blob_store(settings: Settings | None = None) -> BlobStore:
    """The blob store the settings name: an S3 bucket for `s3://…`, else a directory."""
    settings = settings or get_settings()
    if settings.storage_is_s3:
        from hexaglot.storage.s3 import open_s3_store  # boto3 is imported only when used

        return open_s3_store(settings)
    base = settings.resolved_storage_path
    store = LocalBlobStore(base / LOCAL_ROOT)
    adopt_legacy(base / LEGACY_ROOT, store.root)
    return store


def open_replica_store(settings: Settings | None = None) -> BlobStore | None:
    """The replica blob store `HEXAGLOT_REPLICA_URL` names (a directory laid out like the
    local store, or `s3://BUCKET/PREFIX` with the `HEXAGLOT_S3_*` settings), or None
    when none is configured."""
    settings = settings or get_settings()
    url = settings.replica_url
    if not url:
        return None
    if url.startswith("s3://"):
        from hexaglot.storage.s3 import open_s3_store  # boto3 is imported only when used

        return open_s3_store(settings.model_copy(update={"storage_url": url}))
    if "://" in url and not url.startswith("file://"):
        raise BadInput(f"HEXAGLOT_REPLICA_URL: unsupported replica {url!r} (a directory path, "
                       "file:// URL or s3://BUCKET/PREFIX)")
    root = Path(url.removeprefix("file://")).expanduser()
    try:
        return LocalBlobStore(root / LOCAL_ROOT)
    except OSError as exc:
        raise BlobError(f"HEXAGLOT_REPLICA_URL: cannot use {root} as a blob store "
                        f"({exc.strerror or exc})") from exc


def adopt_legacy(old: Path, new: Path) -> None:
    """Move the blobs of an archive's former store directory into the current one, one
    rename each (a move interrupted midway goes on the next time the store is opened)."""
    if not old.is_dir():
        return
    for blob in sorted(old.glob("??/??/*")):
        dest = new / blob.relative_to(old)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            blob.rename(dest)
    for folder in sorted((p for p in old.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


__all__ = ["Blob", "BlobError", "BlobMissing", "BlobStore", "LocalBlobStore", "open_blob_store",
           "open_replica_store"]
