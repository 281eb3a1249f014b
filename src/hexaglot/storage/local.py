"""A blob store in a local directory: `<root>/<ab>/<cd>/<sha256>`.

Writes stream into a temporary file inside the root (same file system), hashing on the
way, then fsync, then a hard link to the final name (which fails rather than replace an
existing blob), then fsync of the directory. Whatever goes wrong, the temporary file is
removed and no final name appears.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from hexaglot.storage.base import Blob, BlobError

CHUNK = 1 << 20
_SHA = re.compile(r"^[0-9a-f]{64}$")


def sha256_file(path: Path) -> str:
    """The SHA-256 (hex) of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe_os_error(exc: OSError) -> str:
    """A short human reason for a failed write ("disk full", …)."""
    if exc.errno == errno.ENOSPC:
        return "disk full while writing the blob store"
    if exc.errno == errno.EFBIG:
        return "file too large for the blob store (size limit reached)"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded while writing the blob store"
    return f"could not write the blob store: {exc.strerror or exc}"


class LocalBlobStore:
    """Content-addressed blobs under one directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the blob with this checksum lives (whether or not it exists)."""
        if not _SHA.match(sha256):
            raise BlobError(f"not a SHA-256 checksum: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """True when a blob with this checksum is stored."""
        return self.path(sha256).is_file()

    def put(self, stream: BinaryIO) -> Blob:
        """Copy a stream in atomically; an existing blob with the same bytes is kept."""
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            self._link_into_place(tmp, sha)
            return Blob(sha, size)
        except OSError as exc:
            raise BlobError(describe_os_error(exc)) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def _link_into_place(self, tmp: Path, sha: str) -> None:
        final = self.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            return  # same bytes already stored: never touch an existing master
        try:
            os.link(tmp, final)
        except FileExistsError:
            return
        os.chmod(final, 0o444)
        _fsync_dir(final.parent)

    def open(self, sha256: str, verify: bool = False) -> BinaryIO:
        """Open a blob for reading, optionally after checking its checksum."""
        if verify and not self.verify(sha256):
            raise BlobError(f"blob {sha256} is missing or its checksum does not match")
        try:
            return open(self.path(sha256), "rb")
        except FileNotFoundError as exc:
            raise BlobError(f"blob {sha256} is missing") from exc

    def verify(self, sha256: str) -> bool:
        """True when the blob exists and still hashes to its name."""
        path = self.path(sha256)
        return path.is_file() and sha256_file(path) == sha256

    def delete(self, sha256: str) -> None:
        """Remove a blob; absent blobs are not an error."""
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()
