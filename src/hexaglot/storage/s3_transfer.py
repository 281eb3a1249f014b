"""The byte moving of the S3 blob store: verified uploads (one request or multipart) and a
seekable reader made of range requests.

Every request that carries bytes also carries a digest of them that the server checks
before it accepts them: `x-amz-checksum-sha256` (S3's additional checksums) or, for servers
without them, `Content-MD5`. Both are computed here while streaming, together with the
SHA-256 of the whole blob that names it. A multipart upload becomes an object only when it
is completed, which happens after the whole blob hashed to what the caller expects; any
failure before that aborts it, so nothing appears.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from hexaglot.storage.base import BlobError, BlobMissing

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

#: Bytes per part of a multipart upload (S3 allows 10,000 parts: up to 640 GiB per blob).
PART_SIZE = 64 << 20
#: Bytes a reader asks the server for at once when reading on.
READ_AHEAD = 8 << 20
_MISSING = {"404", "NoSuchKey", "NotFound"}


@contextmanager
def s3_errors(what: str) -> Iterator[None]:
    """Turn botocore's exceptions into `BlobError`s that say what failed and why."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        err = exc.response.get("Error", {})
        code = str(err.get("Code", "?"))
        if code in _MISSING:
            raise BlobMissing(f"{what}: no such object") from None
        raise BlobError(f"{what}: the S3 server answered {code}: "
                        f"{err.get('Message') or 'no message'}") from exc
    except BotoCoreError as exc:
        raise BlobError(f"{what}: {exc}") from exc


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def read_full(stream: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes of `stream` (fewer only at its end; short reads are retried)."""
    parts, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


@dataclass
class Target:
    """Where an upload goes and how its bytes are vouched for."""

    client: S3Client
    bucket: str
    key: str
    checksums: bool = True  # SHA-256 per request; else Content-MD5

    def digest_args(self, data: bytes) -> dict[str, Any]:
        """The header the server checks the bytes of one request against."""
        if self.checksums:
            return {"ChecksumAlgorithm": "SHA256",
                    "ChecksumSHA256": _b64(hashlib.sha256(data).digest())}
        return {"ContentMD5": _b64(hashlib.md5(data, usedforsecurity=False).digest())}


def put_object(target: Target, data: bytes) -> None:
    """Store `data` in one request: the object appears whole, checked by the server against
    the digest sent with it, or not at all."""
    args = target.digest_args(data)
    with s3_errors(f"storing s3://{target.bucket}/{target.key}"):
        done = target.client.put_object(Bucket=target.bucket, Key=target.key, Body=data, **args)
    if target.checksums and done.get("ChecksumSHA256") not in (None, args.get("ChecksumSHA256")):
        raise BlobError(f"s3://{target.bucket}/{target.key}: the server holds other bytes "
                        f"than were sent (checksum {done.get('ChecksumSHA256')})")


@dataclass
class Multipart:
    """One multipart upload: parts go up as they are read; `complete` makes the object."""

    target: Target
    upload_id: str = ""
    parts: list[dict[str, Any]] = field(default_factory=list)
    digests: list[bytes] = field(default_factory=list)

    def __enter__(self) -> Multipart:
        t = self.target
        extra = {"ChecksumAlgorithm": "SHA256"} if t.checksums else {}
        with s3_errors(f"starting an upload to s3://{t.bucket}/{t.key}"):
            self.upload_id = t.client.create_multipart_upload(
                Bucket=t.bucket, Key=t.key, **extra)["UploadId"]  # type: ignore[arg-type]
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None and self.upload_id:
            self.abort()

    def abort(self) -> None:
        """Drop the parts sent so far (nothing was ever visible)."""
        t = self.target
        with s3_errors(f"aborting the upload to s3://{t.bucket}/{t.key}"):
            t.client.abort_multipart_upload(Bucket=t.bucket, Key=t.key, UploadId=self.upload_id)
        self.upload_id = ""

    def send(self, data: bytes) -> None:
        """Upload the next part (the server checks it against its digest)."""
        t, number = self.target, len(self.parts) + 1
        args = t.digest_args(data)
        with s3_errors(f"uploading part {number} to s3://{t.bucket}/{t.key}"):
            done = t.client.upload_part(Bucket=t.bucket, Key=t.key, UploadId=self.upload_id,
                                        PartNumber=number, Body=data, **args)
        part: dict[str, Any] = {"PartNumber": number, "ETag": done["ETag"]}
        if t.checksums:
            part["ChecksumSHA256"] = args["ChecksumSHA256"]
            self.digests.append(hashlib.sha256(data).digest())
        self.parts.append(part)

    def complete(self) -> None:
        """Make the object from the parts; with checksums, check that the server composed
        it from exactly the parts that were hashed here."""
        t = self.target
        with s3_errors(f"completing the upload to s3://{t.bucket}/{t.key}"):
            done = t.client.complete_multipart_upload(
                Bucket=t.bucket, Key=t.key, UploadId=self.upload_id,
                MultipartUpload={"Parts": self.parts})  # type: ignore[typeddict-item]
        self.upload_id = ""
        reported = done.get("ChecksumSHA256")
        if t.checksums and reported:
            mine = f"{_b64(hashlib.sha256(b''.join(self.digests)).digest())}-{len(self.parts)}"
            if reported not in (mine, mine.split("-")[0]):
                raise BlobError(f"s3://{t.bucket}/{t.key}: the server composed the upload "
                                f"from other parts (checksum {reported}, expected {mine})")


def upload_parts(target: Target, first: bytes, stream: BinaryIO, part_size: int,
                 expected_sha256: str | None) -> tuple[str, int]:
    """Upload `first` and the rest of `stream` as a multipart upload, hashing on the way;
    complete it only when the whole hashes to `expected_sha256` (when given). Returns the
    SHA-256 and size. On any failure the upload is aborted and `BlobError` raised."""
    digest, size = hashlib.sha256(), 0
    with Multipart(target) as upload:
        data = first
        while data:
            digest.update(data)
            size += len(data)
            upload.send(data)
            data = read_full(stream, part_size)
        sha = digest.hexdigest()
        if expected_sha256 is not None and sha != expected_sha256:
            raise BlobError(f"checksum mismatch: got {sha}, expected {expected_sha256}")
        upload.complete()
    return sha, size


class RangeReader(io.RawIOBase):
    """A seekable, read-only view of one object, read with range requests of at least
    `READ_AHEAD` bytes from wherever the position is."""

    def __init__(self, client: S3Client, bucket: str, key: str, size: int) -> None:
        super().__init__()
        self.client, self.bucket, self.key, self.size = client, bucket, key, size
        self.pos = 0
        self._body: Any = None
        self._body_end = 0  # the position where the open response's bytes end

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        pos = base + offset
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        if pos != self.pos:
            self._drop()
            self.pos = pos
        return pos

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self.pos >= self.size or not len(view):
            return 0
        if self._body is None or self.pos >= self._body_end:
            self._drop()
            end = min(self.size, self.pos + max(len(view), READ_AHEAD)) - 1
            with s3_errors(f"reading s3://{self.bucket}/{self.key}"):
                self._body = self.client.get_object(Bucket=self.bucket, Key=self.key,
                                                    Range=f"bytes={self.pos}-{end}")["Body"]
            self._body_end = end + 1
        want = min(len(view), self._body_end - self.pos)
        with s3_errors(f"reading s3://{self.bucket}/{self.key}"):
            chunk = self._body.read(want)
        if not chunk:
            raise BlobError(f"s3://{self.bucket}/{self.key} ended at byte {self.pos} "
                            f"of {self.size}")
        view[:len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)

    def close(self) -> None:
        self._drop()
        super().close()
