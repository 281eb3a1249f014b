"""The blob store contract: content-addressed, checksummed, written atomically.

A blob is named by the SHA-256 of its bytes. Masters, renditions and transcripts are all
blobs; what a blob *is* (which asset, which rendition, which file of an HLS package) is
recorded in the catalogue, never in the store. A backend guarantees:

- **Atomic, verified writes.** `put`/`put_file` hash while copying and return only once the
  bytes are durable under their final name; any failure (disk full, I/O error, interrupted
  upload, a checksum other than `expected_sha256`) raises `BlobError` and leaves no blob
  behind, under its name or any other.
- **Existing blobs are checked, not trusted.** When a blob of that name already exists, its
  bytes are verified first: an intact blob is kept untouched (never rewritten); a damaged or
  truncated one is replaced by the new bytes, which do hash to the name.
- **Reads name what failed.** `open` of a missing blob raises `BlobMissing`; `verify`
  re-reads every byte.

Backends: `storage.local.LocalBlobStore` (a directory); `storage.s3` (S3-compatible).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from hexaglot.errors import NotFound, Unavailable


class BlobError(Unavailable):
    """A blob could not be written or read intact."""


class BlobMissing(BlobError, NotFound):
    """No blob with this checksum is stored."""

    code = "blob_missing"
    status = 404


@dataclass(frozen=True)
class Blob:
    """A stored blob: its SHA-256 (hex) and size in bytes."""

    sha256: str
    size: int


@runtime_checkable
class BlobStore(Protocol):
    """Where masters, renditions and transcripts are kept (see the module docstring)."""

    #: True when the bytes are elsewhere (`local_file` then copies the whole blob): the
    #: web app serves such a blob from `open`'s range reads instead.
    remote: bool

    def put(self, stream: BinaryIO, expected_sha256: str | None = None) -> Blob:
        """Copy `stream` into the store; returns its checksum and size."""
        ...

    def put_file(self, path: Path, expected_sha256: str | None = None) -> Blob:
        """Store a local file (a backend may move or link it instead of copying when
        that is safe; the file itself is never changed)."""
        ...

    def open(self, sha256: str, verify: bool = False) -> BinaryIO:
        """Open a blob for reading (seekable); with `verify`, check its checksum first."""
        ...

    def size(self, sha256: str) -> int:
        """The blob's size in bytes (`BlobMissing` when absent)."""
        ...

    def exists(self, sha256: str) -> bool:
        """True when a blob with this checksum is stored."""
        ...

    def verify(self, sha256: str) -> bool:
        """True when the blob exists and its bytes still hash to its name."""
        ...

    def delete(self, sha256: str) -> None:
        """Remove a blob (no error when it is absent)."""
        ...

    def local_file(self, sha256: str) -> AbstractContextManager[Path]:
        """A local file path with the blob's bytes while the context lasts (for ffmpeg;
        a remote backend downloads to a temporary file)."""
        ...

    def url(self, sha256: str, expires: int, filename: str | None = None,
            media_type: str | None = None) -> str | None:
        """A time-limited URL a client may fetch the blob from directly (presigned), or
        None when the backend has none (the web app then streams the blob itself)."""
        ...

    def iter_blobs(self) -> Iterator[Blob]:
        """Every stored blob (for audits and migrations), in no particular order."""
        ...
