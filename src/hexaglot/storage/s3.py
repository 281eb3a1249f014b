"""A blob store in an S3-compatible bucket: `s3://<bucket>/<prefix>/<ab>/<cd>/<sha256>`.

It keeps the contract of `storage.base` with S3's own means (bytes travel in
`storage.s3_transfer`, each request checked by the server against a digest computed here
while streaming):

- **A blob that fits in one part** (`part_size`, 64 MiB) is read into memory, hashed, and
  stored under its name in one request; S3 makes an object whole or not at all.
- **A larger blob whose name is known first** (`put_file` hashes the file before sending
  it; `put` with `expected_sha256`) goes up as a multipart upload to its final key, which
  S3 shows to no one until it is completed. It is completed only after every part was
  accepted and the whole hashed to the name; otherwise it is aborted.
- **A larger stream of unknown name** goes up as a multipart upload to a temporary key
  under `<prefix>/.incoming/`, is verified the same way, then copied server-side to its
  final key (S3 computes the copy's SHA-256 where it supports checksums, and that must be
  the name) and the temporary object is deleted.
- A process killed mid-upload cannot abort: its parts stay invisible (no object, no blob),
  and the first `put` of a later store aborts uploads and removes temporary objects under
  the prefix older than `stale_after` (a day); a bucket lifecycle rule
  `AbortIncompleteMultipartUpload` does the same on the server's side.
- **An existing blob is checked, not trusted**: before a put is skipped because its name
  exists, every byte of the stored object is read and hashed; a damaged one is overwritten
  by the new bytes (an S3 write replaces an object atomically).
- Reads: `open` gives a seekable file made of range requests; `local_file` downloads to a
  temporary file (verified on the way) and removes it afterwards; `url` presigns a GET
  with the download's file name and media type (or None with `presign=False`, and the web
  app streams the blob itself from `open`'s range reads, never a whole copy).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import re
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote, urlsplit

from hexaglot.errors import BadInput
from hexaglot.storage.base import Blob, BlobError, BlobMissing
from hexaglot.storage.checksum import CHUNK, sha256_stream
from hexaglot.storage.s3_transfer import (
    PART_SIZE,
    RangeReader,
    Target,
    put_object,
    read_full,
    s3_errors,
    upload_parts,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from hexaglot.config import Settings

_SHA = re.compile(r"^[0-9a-f]{64}$")
_BLOB_KEY = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")
_COPY_LIMIT = 5 << 30  # the largest object one CopyObject request may copy
_INCOMING = ".incoming/"


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/prefix` -> (bucket, prefix without slashes at either end)."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise BadInput(f"HEXAGLOT_STORAGE_URL={url!r}: an S3 store is named s3://BUCKET/PREFIX")
    if parts.query or parts.fragment:
        raise BadInput(f"HEXAGLOT_STORAGE_URL={url!r}: no query or fragment allowed")
    return parts.netloc, parts.path.strip("/")


def s3_client(endpoint_url: str | None = None, region: str | None = None,
              access_key_id: str | None = None, secret_access_key: str | None = None
              ) -> S3Client:
    """A boto3 S3 client; unset credentials fall back to boto3's usual chain. With an
    endpoint (MinIO, Ceph, moto) buckets are addressed by path."""
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(aws_access_key_id=access_key_id,
                                    aws_secret_access_key=secret_access_key,
                                    region_name=region)
    config = Config(retries={"max_attempts": 5, "mode": "standard"},
                    s3={"addressing_style": "path" if endpoint_url else "auto"},
                    signature_version="s3v4",
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required")
    return session.client("s3", endpoint_url=endpoint_url, config=config)


def content_disposition(filename: str) -> str:
    """`attachment` with the file name, ASCII and RFC 5987 (UTF-8) forms."""
    plain = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


class S3BlobStore:
    """Content-addressed blobs under a prefix of an S3 bucket (see the module docstring)."""

    remote = True

    def __init__(self, bucket: str, prefix: str = "", client: S3Client | None = None, *,
                 part_size: int = PART_SIZE, checksums: bool = True, presign: bool = True,
                 stale_after: float = 24 * 3600, tmp_dir: Path | None = None) -> None:
        if part_size < 5 << 20:
            raise BadInput(f"S3 part size {part_size}: S3 needs at least 5 MiB per part")
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = client or s3_client()
        self.part_size, self.checksums, self.presign = part_size, checksums, presign
        self.stale_after, self.tmp_dir = stale_after, tmp_dir
        self._swept = False

    def __repr__(self) -> str:
        return f"S3BlobStore(s3://{self.bucket}/{self.prefix})"

    # -- names ------------------------------------------------------------------------------
    def _under(self, rest: str) -> str:
        return f"{self.prefix}/{rest}" if self.prefix else rest

    def key(self, sha256: str) -> str:
        """The object key of the blob with this checksum (whether or not it exists)."""
        if not _SHA.match(sha256):
            raise BlobError(f"not a SHA-256 checksum: {sha256!r}")
        return self._under(f"{sha256[:2]}/{sha256[2:4]}/{sha256}")

    def _where(self, sha256: str) -> str:
        return f"blob {sha256} (s3://{self.bucket}/{self.key(sha256)})"

    def _target(self, key: str) -> Target:
        return Target(self.client, self.bucket, key, self.checksums)

    # -- writing ----------------------------------------------------------------------------
    def put(self, stream: BinaryIO, expected_sha256: str | None = None) -> Blob:
        """Copy a stream in (see the module docstring for how each size travels)."""
        return self._store(stream, expected_sha256, check_existing=True)

    def put_file(self, path: Path, expected_sha256: str | None = None) -> Blob:
        """Hash a local file, then store it under that name (the file is left as it is)."""
        try:
            with open(path, "rb") as fh:
                sha, size = sha256_stream(fh)
                if expected_sha256 is not None and sha != expected_sha256:
                    raise BlobError(f"{path}: checksum mismatch: got {sha}, "
                                    f"expected {expected_sha256}")
                if self.verify(sha):
                    return Blob(sha, size)
                fh.seek(0)
                blob = self._store(fh, sha, check_existing=False)
        except FileNotFoundError:
            raise BlobError(f"{path}: no such file") from None
        except OSError as exc:
            raise BlobError(f"{path}: could not read it: {exc.strerror or exc}") from exc
        if blob.size != size:
            raise BlobError(f"{path} changed while it was stored")
        return blob

    def _store(self, stream: BinaryIO, expected: str | None, check_existing: bool) -> Blob:
        if expected is not None:
            self.key(expected)  # a malformed expectation is refused before any upload
        self._sweep_once()
        first = read_full(stream, self.part_size)
        if len(first) < self.part_size:  # the whole blob is in memory
            sha = hashlib.sha256(first).hexdigest()
            if expected is not None and sha != expected:
                raise BlobError(f"checksum mismatch: got {sha}, expected {expected}")
            if not (check_existing and self.verify(sha)):
                put_object(self._target(self.key(sha)), first)
            return Blob(sha, len(first))
        if expected is not None:
            if check_existing and self.verify(expected):
                return self._hash_only(first, stream, expected)
            sha, size = upload_parts(self._target(self.key(expected)), first, stream,
                                     self.part_size, expected)
            return Blob(sha, size)
        return self._via_incoming(first, stream)

    def _hash_only(self, first: bytes, stream: BinaryIO, expected: str) -> Blob:
        """The blob is stored intact: only check that the stream is what it should be."""
        digest, size = hashlib.sha256(first), len(first)
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        if digest.hexdigest() != expected:
            raise BlobError(f"checksum mismatch: got {digest.hexdigest()}, expected {expected}")
        return Blob(expected, size)

    def _via_incoming(self, first: bytes, stream: BinaryIO) -> Blob:
        tmp = self._under(f"{_INCOMING}{uuid.uuid4().hex}")
        try:
            sha, size = upload_parts(self._target(tmp), first, stream, self.part_size, None)
            if not self.verify(sha):
                self._copy_into_place(tmp, sha, size)
            return Blob(sha, size)
        finally:
            with contextlib.suppress(BlobError), s3_errors(f"removing s3://{self.bucket}/{tmp}"):
                self.client.delete_object(Bucket=self.bucket, Key=tmp)

    def _copy_into_place(self, tmp: str, sha: str, size: int) -> None:
        final, source = self.key(sha), {"Bucket": self.bucket, "Key": tmp}
        with s3_errors(f"copying s3://{self.bucket}/{tmp} to {final}"):
            if size > _COPY_LIMIT:  # boto3's managed copy: a multipart copy, part by part
                self.client.copy(source, self.bucket, final)  # type: ignore[arg-type]
                return
            extra = {"ChecksumAlgorithm": "SHA256"} if self.checksums else {}
            done = self.client.copy_object(Bucket=self.bucket, Key=final,
                                           CopySource=source, **extra)  # type: ignore[arg-type]
        reported = done.get("CopyObjectResult", {}).get("ChecksumSHA256")
        if reported and "-" not in reported and reported != _b64_hex(sha):
            self.delete(sha)
            raise BlobError(f"{self._where(sha)}: the copy does not hash to its name")

    def _sweep_once(self) -> None:
        if not self._swept:
            self._swept = True
            self.abort_stale_uploads()

    def abort_stale_uploads(self, older_than: float | None = None) -> int:
        """Abort multipart uploads and remove temporary objects under the prefix that are
        older than `older_than` seconds (default `stale_after`); returns how many."""
        cutoff = time.time() - (self.stale_after if older_than is None else older_than)
        n, prefix = 0, self._under("")
        with s3_errors(f"listing unfinished uploads in s3://{self.bucket}/{prefix}"):
            pages = self.client.get_paginator("list_multipart_uploads")
            for page in pages.paginate(Bucket=self.bucket, Prefix=prefix):
                for up in page.get("Uploads", []):
                    if up["Initiated"].timestamp() <= cutoff:
                        self.client.abort_multipart_upload(Bucket=self.bucket, Key=up["Key"],
                                                           UploadId=up["UploadId"])
                        n += 1
            for listed in self.client.get_paginator("list_objects_v2").paginate(
                    Bucket=self.bucket, Prefix=self._under(_INCOMING)):
                for obj in listed.get("Contents", []):
                    if obj["LastModified"].timestamp() <= cutoff:
                        self.client.delete_object(Bucket=self.bucket, Key=obj["Key"])
                        n += 1
        return n

    # -- reading ----------------------------------------------------------------------------
    def size(self, sha256: str) -> int:
        """The blob's size in bytes."""
        with s3_errors(self._where(sha256)):
            return int(self.client.head_object(Bucket=self.bucket,
                                               Key=self.key(sha256))["ContentLength"])

    def exists(self, sha256: str) -> bool:
        """True when a blob with this checksum is stored."""
        try:
            self.size(sha256)
        except BlobMissing:
            return False
        return True

    def _hash_object(self, sha256: str) -> str:
        with s3_errors(self._where(sha256)):
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"]
            try:
                return sha256_stream(body)[0]  # type: ignore[arg-type]
            finally:
                body.close()

    def verify(self, sha256: str) -> bool:
        """True when the blob exists and every byte of it still hashes to its name."""
        try:
            return self._hash_object(sha256) == sha256
        except BlobMissing:
            return False

    def open(self, sha256: str, verify: bool = False) -> BinaryIO:
        """A seekable reader of the blob, optionally after checking its checksum."""
        size = self.size(sha256)
        if verify and not self.verify(sha256):
            raise BlobError(f"{self._where(sha256)} fails its checksum")
        raw = RangeReader(self.client, self.bucket, self.key(sha256), size)
        return io.BufferedReader(raw, buffer_size=CHUNK)

    def delete(self, sha256: str) -> None:
        """Remove a blob; absent blobs are not an error."""
        with s3_errors(f"deleting {self._where(sha256)}"):
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    @contextlib.contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        """The blob downloaded (and verified) into a temporary file, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="hexaglot-blob-", dir=self.tmp_dir) as tmp:
            path = Path(tmp) / sha256
            digest = hashlib.sha256()
            with s3_errors(self._where(sha256)), open(path, "wb") as out:
                body = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"]
                while chunk := body.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise BlobError(f"{self._where(sha256)} fails its checksum")
            yield path

    def url(self, sha256: str, expires: int, filename: str | None = None,
            media_type: str | None = None) -> str | None:
        """A presigned GET of the blob for `expires` seconds (None with `presign=False`)."""
        if not self.presign:
            return None
        params = {"Bucket": self.bucket, "Key": self.key(sha256)}
        if filename:
            params["ResponseContentDisposition"] = content_disposition(filename)
        if media_type:
            params["ResponseContentType"] = media_type
        with s3_errors(f"presigning {self._where(sha256)}"):
            return self.client.generate_presigned_url("get_object", Params=params,
                                                      ExpiresIn=expires)

    def iter_blobs(self) -> Iterator[Blob]:
        """Every blob under the prefix (temporary objects are not blobs)."""
        skip = len(self._under(""))
        with s3_errors(f"listing s3://{self.bucket}/{self.prefix}"):
            for page in self.client.get_paginator("list_objects_v2").paginate(
                    Bucket=self.bucket, Prefix=self._under("")):
                for obj in page.get("Contents", []):
                    m = _BLOB_KEY.match(obj["Key"][skip:])
                    if m and m[3].startswith(m[1] + m[2]):
                        yield Blob(m[3], int(obj["Size"]))


def _b64_hex(sha256: str) -> str:
    return base64.b64encode(bytes.fromhex(sha256)).decode("ascii")


def open_s3_store(settings: Settings) -> S3BlobStore:
    """The S3 store `HEXAGLOT_STORAGE_URL=s3://…` and the `HEXAGLOT_S3_*` settings name."""
    bucket, prefix = parse_s3_url(settings.storage_url or "")
    secret = settings.s3_secret_access_key
    client = s3_client(settings.s3_endpoint_url, settings.s3_region, settings.s3_access_key_id,
                       secret.get_secret_value() if secret else None)
    return S3BlobStore(bucket, prefix, client, checksums=settings.s3_checksums,
                       presign=settings.s3_presigned_urls)
