"""Upload a master in pieces (the resumable upload of the workspace): the bytes go to a
file under `HEXAGLOT_HOME/uploads/`, never held whole in memory, their SHA-256 computed
while they arrive; once the last byte is there the file is checked and handed to the
ingest use case, and the upload is removed whatever the outcome (nothing half-written).

An upload is a directory `uploads/<id>/` with `data` (the bytes so far; its size is the
offset) and `upload.json` (the declared length, the file name, who started it). A write
holds an exclusive lock on the upload, so two requests never interleave their bytes. The
SHA-256 state lives in the process that receives the bytes; a process that did not see
the beginning (a restart, another web process) re-reads what is there once and goes on.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hexaglot.app.archive import Archive
from hexaglot.app.ingesting import Ingested, ingest
from hexaglot.errors import BadInput, Conflict, NotFound
from hexaglot.media.errors import MediaError
from hexaglot.storage.checksum import sha256_prefix

__all__ = ["MAX_UPLOAD_BYTES", "Upload", "UploadBusy", "UploadError", "Uploads",
           "UploadWriter"]

#: The largest master an upload may declare (a day's meeting in a mezzanine codec).
MAX_UPLOAD_BYTES = 200 * 1024**3
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SAFE = re.compile(r"[^\w.\- ]+")


class UploadError(BadInput):
    """An upload request cannot be used as given (what, and why)."""


class UploadBusy(Conflict):
    """Another request is writing this upload right now."""

    status = 423
    code = "locked"


@dataclass
class Upload:
    """One upload: its id, declared length, file name, owner, and the asset it is for."""

    upload_id: str
    length: int
    filename: str
    owner: str
    asset_id: str | None = None
    sha256: str | None = None  # the SHA-256 the client declared, checked on arrival


class _Hashes:
    """The running SHA-256 of each upload this process is receiving, with its offset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[int, Any]] = {}

    def take(self, upload_id: str, offset: int, data: Path) -> Any:
        with self._lock:
            got = self._state.pop(upload_id, None)
        if got is not None and got[0] == offset:
            return got[1]
        return sha256_prefix(data, offset)  # not seen here from the start: read it once

    def give(self, upload_id: str, offset: int, h: Any) -> None:
        with self._lock:
            self._state[upload_id] = (offset, h)

    def drop(self, upload_id: str) -> None:
        with self._lock:
            self._state.pop(upload_id, None)


_HASHES = _Hashes()


class UploadWriter:
    """Appends to one upload at its current offset (under the upload's lock)."""

    def __init__(self, upload: Upload, data: Path, offset: int, h: Any) -> None:
        self.upload, self._data, self.offset, self._hash = upload, data, offset, h
        self._file = data.open("r+b")
        self._file.seek(offset)

    def write(self, chunk: bytes) -> None:
        """Append `chunk`; more than the declared length is refused (nothing of it kept)."""
        if self.offset + len(chunk) > self.upload.length:
            raise UploadError(f"upload {self.upload.upload_id}: more bytes than the declared "
                              f"Upload-Length {self.upload.length}")
        self._file.write(chunk)
        self._hash.update(chunk)
        self.offset += len(chunk)

    @property
    def complete(self) -> bool:
        """True once every declared byte is there."""
        return self.offset == self.upload.length

    def sha256(self) -> str:
        """The SHA-256 of the bytes so far."""
        return str(self._hash.hexdigest())

    def close(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        _HASHES.give(self.upload.upload_id, self.offset, self._hash)


class Uploads:
    """The uploads in progress of an archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.root = archive.settings.resolved_home / "uploads"

    def _dir(self, upload_id: str) -> Path:
        if not _ID.match(upload_id):
            raise NotFound(f"no upload {upload_id!r}")
        return self.root / upload_id

    def create(self, length: int, filename: str, owner: str, asset_id: str | None = None,
               sha256: str | None = None) -> Upload:
        """Start an upload of `length` bytes; raises `UploadError` for a bad declaration."""
        if length < 1:
            raise UploadError("Upload-Length: an upload needs at least one byte")
        if length > MAX_UPLOAD_BYTES:
            raise UploadError(f"Upload-Length: {length} bytes is more than the "
                              f"{MAX_UPLOAD_BYTES} an upload may have")
        if sha256 is not None and not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise UploadError("sha256: not 64 lower-case hexadecimal digits")
        name = _SAFE.sub("_", Path(filename or "upload").name).strip(" .") or "upload"
        upload = Upload(secrets.token_urlsafe(24), length, name[:200], owner,
                        asset_id or None, sha256)
        where = self.root / upload.upload_id
        where.mkdir(parents=True)
        (where / "data").touch()
        (where / "upload.json").write_text(json.dumps(asdict(upload)), encoding="utf-8")
        return upload

    def get(self, upload_id: str, owner: str) -> Upload:
        """The upload, if `owner` started it (anyone else: `NotFound`)."""
        try:
            raw = json.loads((self._dir(upload_id) / "upload.json").read_text("utf-8"))
        except (OSError, ValueError):
            raise NotFound(f"no upload {upload_id!r}") from None
        upload = Upload(**raw)
        if upload.owner != owner:
            raise NotFound(f"no upload {upload_id!r}")
        return upload

    def offset(self, upload: Upload) -> int:
        """How many bytes have arrived."""
        try:
            return (self.root / upload.upload_id / "data").stat().st_size
        except OSError:
            raise NotFound(f"no upload {upload.upload_id!r}") from None

    @contextmanager
    def writing(self, upload: Upload, offset: int) -> Iterator[UploadWriter]:
        """Append at `offset`, which must be the current one (`Conflict` otherwise); the
        bytes written stay even when the request breaks off (that is what resuming
        resumes from)."""
        where = self.root / upload.upload_id
        lock = (where / "upload.json").open("rb")
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UploadBusy(f"upload {upload.upload_id} is being written by another "
                                 "request; retry in a moment") from None
            have = self.offset(upload)
            if offset != have:
                raise Conflict(f"Upload-Offset {offset} is not the upload's offset {have}")
            writer = UploadWriter(upload, where / "data",
                                  have, _HASHES.take(upload.upload_id, have, where / "data"))
            try:
                yield writer
            finally:
                writer.close()
        finally:
            lock.close()

    def finish(self, upload: Upload, sha256: str, actor: str | None = None) -> Ingested:
        """Ingest the complete upload (whose bytes hashed to `sha256` as they arrived), and
        remove the upload whatever happens: a bad recording is reported, never kept."""
        where = self.root / upload.upload_id
        try:
            if upload.sha256 and upload.sha256 != sha256:
                raise UploadError(f"{upload.filename}: the bytes that arrived have SHA-256 "
                                  f"{sha256}, not the declared {upload.sha256}; upload it again")
            named = where / upload.filename
            os.replace(where / "data", named)
            try:
                done = ingest(self.archive, named, asset_id=upload.asset_id, actor=actor)
            except MediaError as exc:  # named by the client's file name, not our path
                raise UploadError(f"{upload.filename}: {exc.problem}") from None
            if done.sha256 != sha256:
                raise UploadError(f"{upload.filename}: stored with SHA-256 {done.sha256}, "
                                  f"but {sha256} arrived; upload it again")
            return done
        finally:
            _HASHES.drop(upload.upload_id)
            shutil.rmtree(where, ignore_errors=True)

    def cancel(self, upload: Upload) -> None:
        """Forget an upload and its bytes."""
        _HASHES.drop(upload.upload_id)
        shutil.rmtree(self.root / upload.upload_id, ignore_errors=True)
