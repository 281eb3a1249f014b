"""A blob store in a local directory: `<root>/<ab>/<cd>/<sha256>`.

Writes stream into a temporary file inside the root (same file system), hashing on the
way, then fsync, then a hard link to the final name (which fails rather than replace an
existing blob), then fsync of the directory. Whatever goes wrong, the temporary file is
removed and no final name appears. A blob of the same name that already exists is
verified first: kept when intact, replaced (by an atomic rename) when damaged.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from hexaglot.storage.base import Blob, BlobError, BlobMissing
from hexaglot.storage.checksum import CHUNK, sha256_file

_SHA = re.compile(r"^[0-9a-f]{64}$")


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

    remote = False

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

    def size(self, sha256: str) -> int:
        """The blob's size in bytes."""
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobMissing(f"blob {sha256} is missing") from None

    def put(self, stream: BinaryIO, expected_sha256: str | None = None) -> Blob:
        """Copy a stream in atomically (see the module docstring)."""
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
            if expected_sha256 is not None and sha != expected_sha256:
                raise BlobError(f"checksum mismatch: got {sha}, expected {expected_sha256}")
            self._into_place(tmp, sha)
            return Blob(sha, size)
        except OSError as exc:
            raise BlobError(describe_os_error(exc)) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def put_file(self, path: Path, expected_sha256: str | None = None) -> Blob:
        """Copy a local file in (the file is left as it is)."""
        try:
            with open(path, "rb") as fh:
                return self.put(fh, expected_sha256)
        except FileNotFoundError:
            raise BlobError(f"{path}: no such file") from None

    def _into_place(self, tmp: Path, sha: str) -> None:
        final = self.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o444)
        try:
            os.link(tmp, final)
        except FileExistsError:
            if sha256_file(final) == sha:
                return  # the same bytes are stored intact: never touch them
            os.replace(tmp, final)  # a damaged copy: the new bytes do hash to the name
        _fsync_dir(final.parent)

    def open(self, sha256: str, verify: bool = False) -> BinaryIO:
        """Open a blob for reading, optionally after checking its checksum."""
        if verify and self.exists(sha256) and not self.verify(sha256):
            raise BlobError(f"blob {sha256} fails its checksum")
        try:
            return open(self.path(sha256), "rb")
        except FileNotFoundError:
            raise BlobMissing(f"blob {sha256} is missing") from None

    def verify(self, sha256: str) -> bool:
        """True when the blob exists and still hashes to its name."""
        path = self.path(sha256)
        return path.is_file() and sha256_file(path) == sha256

    def delete(self, sha256: str) -> None:
        """Remove a blob; absent blobs are not an error."""
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()

    @contextlib.contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        """The blob's own file (no copy)."""
        path = self.path(sha256)
        if not path.is_file():
            raise BlobMissing(f"blob {sha256} is missing")
        yield path

    def url(self, sha256: str, expires: int, filename: str | None = None,
            media_type: str | None = None) -> str | None:
        """No direct URLs: the web app serves local blobs itself."""
        return None

    def iter_blobs(self) -> Iterator[Blob]:
        """Every blob under the root."""
        for path in self.root.glob("??/??/*"):
            if _SHA.match(path.name) and path.is_file():
                yield Blob(path.name, path.stat().st_size)
