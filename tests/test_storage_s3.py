"""The blob store contract, run against the local directory store and an S3 store on a real
S3 server (moto's) on loopback: the same tests, the same guarantees."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hexaglot.config import Settings
from hexaglot.errors import BadInput
from hexaglot.storage import BlobError, BlobMissing, BlobStore, LocalBlobStore, open_blob_store

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

from hexaglot.storage.s3 import S3BlobStore, s3_client  # noqa: E402

MiB = 1 << 20
PART = 5 * MiB  # the smallest part S3 allows, so that multipart uploads stay small here


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A moto S3 server on a free loopback port, for this module."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(endpoint: str):
    return s3_client(endpoint, "us-east-1", "testing", "testing")


@pytest.fixture
def bucket(s3) -> str:
    name = f"hx-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    client = request.getfixturevalue("s3")
    return S3BlobStore(request.getfixturevalue("bucket"), "archive", client, part_size=PART)


def keys(store: BlobStore) -> list[str]:
    """Everything the store holds, blobs or not: files, or objects in the bucket."""
    if isinstance(store, LocalBlobStore):
        return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())
    assert isinstance(store, S3BlobStore)
    listed = store.client.list_objects_v2(Bucket=store.bucket)
    return sorted(o["Key"] for o in listed.get("Contents", []))


def unfinished(store: BlobStore) -> list[str]:
    """Multipart uploads begun and neither completed nor aborted (S3 only)."""
    if not isinstance(store, S3BlobStore):
        return []
    return [u["Key"] for u in store.client.list_multipart_uploads(Bucket=store.bucket)
            .get("Uploads", [])]


def blob_name(store: BlobStore, sha: str) -> str:
    if isinstance(store, LocalBlobStore):
        return str(store.path(sha).relative_to(store.root))
    assert isinstance(store, S3BlobStore)
    return store.key(sha)


def damage(store: BlobStore, sha: str, data: bytes) -> None:
    """Overwrite a stored blob's bytes behind the store's back."""
    if isinstance(store, LocalBlobStore):
        os.chmod(store.path(sha), 0o644)
        store.path(sha).write_bytes(data)
    else:
        assert isinstance(store, S3BlobStore)
        store.client.put_object(Bucket=store.bucket, Key=store.key(sha), Body=data)


@pytest.mark.parametrize("size", [1000, 12 * MiB + 17])  # one request; multipart
def test_put_is_content_addressed_and_verified(store: BlobStore, size: int) -> None:
    assert isinstance(store, BlobStore)
    data = os.urandom(size)
    blob = store.put(io.BytesIO(data))
    assert blob.sha256 == hashlib.sha256(data).hexdigest() and blob.size == size
    assert store.exists(blob.sha256) and store.size(blob.sha256) == size
    assert store.verify(blob.sha256)
    with store.open(blob.sha256, verify=True) as fh:
        assert fh.read() == data
    assert keys(store) == [blob_name(store, blob.sha256)]  # no temporary object left
    assert unfinished(store) == []
    assert list(store.iter_blobs()) == [blob]


def test_put_file_of_a_large_file(store: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(11 * MiB)
    path = tmp_path / "master.mkv"
    path.write_bytes(data)
    blob = store.put_file(path)
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert path.read_bytes() == data  # the file is left as it is
    with store.local_file(blob.sha256) as local:
        assert local.read_bytes() == data
    assert keys(store) == [blob_name(store, blob.sha256)] and unfinished(store) == []


def test_range_reads_through_a_seekable_file(store: BlobStore) -> None:
    data = os.urandom(10 * MiB + 5)  # longer than the S3 reader's 8 MiB read-ahead
    blob = store.put(io.BytesIO(data))
    with store.open(blob.sha256) as fh:
        assert fh.seekable()
        fh.seek(PART - 3)
        assert fh.read(10) == data[PART - 3:PART + 7]
        fh.seek(-4, io.SEEK_END)
        assert fh.read() == data[-4:]
        fh.seek(100)
        assert fh.read(9 * MiB) == data[100:100 + 9 * MiB]  # across the read-ahead window
        assert fh.tell() == 100 + 9 * MiB
        fh.seek(0)
        assert fh.read(3) == data[:3]


@pytest.mark.parametrize("size", [2000, 6 * MiB])
def test_damaged_blob_is_replaced_on_re_put(store: BlobStore, size: int) -> None:
    data = os.urandom(size)
    blob = store.put(io.BytesIO(data))
    damage(store, blob.sha256, data[:-1] + b"!")
    assert not store.verify(blob.sha256)
    with pytest.raises(BlobError, match="checksum"):
        store.open(blob.sha256, verify=True)
    if isinstance(store, S3BlobStore):  # a download is checked on the way
        with pytest.raises(BlobError, match="checksum"), store.local_file(blob.sha256):
            pass
    assert store.put(io.BytesIO(data)) == blob
    assert store.verify(blob.sha256)
    with store.open(blob.sha256) as fh:
        assert fh.read() == data
    assert keys(store) == [blob_name(store, blob.sha256)]


def test_intact_blob_is_never_rewritten(store: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(3000)
    if isinstance(store, S3BlobStore):  # every write of the key would make a new version
        store.client.put_bucket_versioning(Bucket=store.bucket,
                                           VersioningConfiguration={"Status": "Enabled"})
    blob = store.put(io.BytesIO(data))
    before = _versions(store, blob.sha256)
    assert store.put(io.BytesIO(data)) == blob
    assert store.put_file(_write(tmp_path / "again", data)) == blob
    assert _versions(store, blob.sha256) == before


def _versions(store: BlobStore, sha: str) -> object:
    if isinstance(store, LocalBlobStore):
        st = store.path(sha).stat()
        return st.st_ino, st.st_mtime_ns
    assert isinstance(store, S3BlobStore)
    listed = store.client.list_object_versions(Bucket=store.bucket, Prefix=store.key(sha))
    return [v["VersionId"] for v in listed.get("Versions", [])]


@pytest.mark.parametrize("size", [100, 7 * MiB])
def test_expected_checksum_mismatch_stores_nothing(store: BlobStore, tmp_path: Path,
                                                   size: int) -> None:
    data = os.urandom(size)
    wrong = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(BlobError, match="checksum mismatch"):
        store.put(io.BytesIO(data), expected_sha256=wrong)
    with pytest.raises(BlobError, match="checksum mismatch"):
        store.put_file(_write(tmp_path / "f.bin", data), expected_sha256=wrong)
    assert keys(store) == [] and unfinished(store) == []
    assert not store.exists(wrong) and list(store.iter_blobs()) == []
    right = hashlib.sha256(data).hexdigest()
    assert store.put(io.BytesIO(data), expected_sha256=right).sha256 == right


class Failing(io.RawIOBase):
    """A stream that breaks after `limit` bytes (a dropped network share, say)."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self.left <= 0:
            raise OSError("the source went away")
        n = min(len(buffer), self.left, MiB)
        buffer[:n] = b"x" * n
        self.left -= n
        return n


def test_failed_upload_is_aborted_at_once(store: BlobStore) -> None:
    with pytest.raises((BlobError, OSError)):
        store.put(Failing(12 * MiB))  # type: ignore[arg-type]
    assert [k for k in keys(store) if ".incoming" not in k] == []
    assert unfinished(store) == [] and list(store.iter_blobs()) == []


_CHILD = """
import io, sys, time
from hexaglot.storage import LocalBlobStore
from hexaglot.storage.s3 import S3BlobStore, s3_client
kind, where, bucket = sys.argv[1:]
store = (LocalBlobStore(where) if kind == "local" else
         S3BlobStore(bucket, "archive", s3_client(where, "us-east-1", "testing", "testing"),
                     part_size=5 << 20))

class Slow(io.RawIOBase):
    sent = 0
    def readable(self): return True
    def readinto(self, b):
        if self.sent >= 12 << 20:
            print("halfway", flush=True)
            time.sleep(60)
        n = min(len(b), 1 << 20)
        b[:n] = bytes([self.sent % 251]) * n
        self.sent += n
        return n

store.put(io.BufferedReader(Slow()))
"""


def test_killed_upload_leaves_no_blob(store: BlobStore, request: pytest.FixtureRequest) -> None:
    """The uploading process is killed (SIGKILL, no chance to clean up) mid-way through a
    multipart upload: no blob appears, and the next store's first put aborts the upload."""
    if isinstance(store, S3BlobStore):
        args = ["s3", request.getfixturevalue("endpoint"), store.bucket]
    else:
        assert isinstance(store, LocalBlobStore)
        args = ["local", str(store.root), "-"]
    child = subprocess.Popen([sys.executable, "-c", _CHILD, *args], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "halfway"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert list(store.iter_blobs()) == []
    assert [k for k in keys(store) if ".incoming" not in k] == []
    if isinstance(store, S3BlobStore):
        assert unfinished(store) == ["archive/.incoming/" + unfinished(store)[0].split("/")[-1]]
        later = S3BlobStore(store.bucket, "archive", store.client, part_size=PART, stale_after=0)
        later.put(io.BytesIO(b"the next blob"))
        assert unfinished(store) == []
        assert len(list(later.iter_blobs())) == 1


def test_missing_blobs_are_named(store: BlobStore) -> None:
    sha = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(sha) and not store.verify(sha)
    for read in (store.open, store.size):
        with pytest.raises(BlobMissing, match=sha):
            read(sha)
    with pytest.raises(BlobMissing), store.local_file(sha):
        pass
    store.delete(sha)  # absent: no error
    with pytest.raises(BlobError, match="not a SHA-256"):
        store.exists("../../etc/passwd")


def test_local_file_is_removed_afterwards(store: BlobStore) -> None:
    blob = store.put(io.BytesIO(b"for ffmpeg"))
    with store.local_file(blob.sha256) as path:
        assert path.read_bytes() == b"for ffmpeg"
    if isinstance(store, S3BlobStore):
        assert not path.exists() and not path.parent.exists()


def test_presigned_urls(s3, bucket: str, tmp_path: Path) -> None:
    store = S3BlobStore(bucket, "archive", s3, part_size=PART)
    blob = store.put(io.BytesIO(b"mp4 bytes"))
    url = store.url(blob.sha256, 300, filename="Séance 8967.mp4", media_type="video/mp4")
    assert url is not None
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"mp4 bytes"
        assert response.headers["Content-Type"] == "video/mp4"
        disposition = response.headers["Content-Disposition"]
    assert 'filename="S_ance 8967.mp4"' in disposition
    assert "filename*=UTF-8''S%C3%A9ance%208967.mp4" in disposition
    request = urllib.request.Request(url, headers={"Range": "bytes=4-8"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 206 and response.read() == b"bytes"
    quiet = S3BlobStore(bucket, "archive", s3, presign=False)
    assert quiet.url(blob.sha256, 300) is None
    assert LocalBlobStore(tmp_path).url(blob.sha256, 300) is None  # served by the web app


def test_without_s3_checksums_parts_carry_md5(s3, bucket: str) -> None:
    store = S3BlobStore(bucket, "", s3, part_size=PART, checksums=False)
    data = os.urandom(6 * MiB)
    blob = store.put(io.BytesIO(data))
    assert store.verify(blob.sha256) and [b.sha256 for b in store.iter_blobs()] == [blob.sha256]
    assert keys(store) == [f"{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}"]


def test_settings_open_an_s3_store(endpoint: str, bucket: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", storage_url=f"s3://{bucket}/archive/",
                        s3_endpoint_url=endpoint, s3_region="us-east-1",
                        s3_access_key_id="testing", s3_secret_access_key="testing")
    store = open_blob_store(settings)
    assert isinstance(store, S3BlobStore) and store.prefix == "archive"
    blob = store.put(io.BytesIO(b"configured"))
    assert store.key(blob.sha256).startswith("archive/")
    assert not (tmp_path / "s3:").exists() and not Path("s3:").exists()
    assert settings.resolved_storage_path == (tmp_path / "home" / "blobs").resolve()
    for bad in ("s3://", "s3:///prefix", f"s3://{bucket}/p?x=1"):
        with pytest.raises(BadInput, match="HEXAGLOT_STORAGE_URL"):
            open_blob_store(Settings(home=tmp_path / "home", storage_url=bad))


def test_s3_failures_say_what_and_why(s3) -> None:
    store = S3BlobStore("no-such-bucket-here", "archive", s3)
    with pytest.raises(BlobError, match="NoSuchBucket"):
        store.put(io.BytesIO(b"x"))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
