"""The blob store contract: content-addressed, checksummed, written atomically.

A blob is named by the SHA-256 of its bytes. A backend must never expose a partly
written blob: `put` returns only once the bytes are durable under their final name,
and any failure (disk full, I/O error, interrupted copy) leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable


class BlobError(Exception):
    """A blob could not be written or read intact."""


@dataclass(frozen=True)
class Blob:
    """A stored blob: its SHA-256 (hex) and size in bytes."""

    sha256: str
    size: int


@runtime_checkable
class BlobStore(Protocol):
    """Where masters are kept. Implementations: `storage.local.LocalBlobStore`."""

    def put(self, stream: BinaryIO) -> Blob:
        """Copy `stream` to the store and return its checksum and size.

        An existing blob with the same checksum is kept untouched (never rewritten)."""
        ...

    def open(self, sha256: str, verify: bool = False) -> BinaryIO:
        """Open a blob for reading; with `verify`, check its checksum first (BlobError)."""
        ...

    def verify(self, sha256: str) -> bool:
        """True when the blob exists and its bytes still hash to its name."""
        ...

    def exists(self, sha256: str) -> bool:
        """True when a blob with this checksum is stored."""
        ...

    def delete(self, sha256: str) -> None:
        """Remove a blob (no error when it is absent)."""
        ...

    def path(self, sha256: str) -> Path:
        """A local file path with the blob's bytes (for ffmpeg)."""
        ...
