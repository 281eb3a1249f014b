"""Media of an archive whose blobs are in S3 with presigned URLs off: the web app serves
them from range reads of the object (a moto S3 server on loopback, a real HTTP server),
never by copying the whole blob first; damaged blobs are refused as on a local disk."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from moto import server as moto_server

from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.importing import import_pages
from hexaglot.storage.s3 import S3BlobStore, s3_client
from hexaglot.web.app import create_app
from hexaglot.web.ranges import Unsatisfiable, byte_range

from .live_server import serving
from .media_helpers import register_file

PAGES = Path(__file__).parent / "fixtures" / "pages"
MiB = 1 << 20


@dataclass
class Site:
    base: str
    archive: Archive
    url: str  # the registered file's media URL
    data: bytes  # its bytes
    gets: list[str | None]  # the Range of every GetObject the store sent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint, bucket = f"http://{host}:{port}", f"hx-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint, "us-east-1", "testing", "testing").create_bucket(Bucket=bucket)
    env = {"HEXAGLOT_HOME": str(tmp_path_factory.mktemp("s3home")),
           "HEXAGLOT_STORAGE_URL": f"s3://{bucket}/archive", "HEXAGLOT_S3_ENDPOINT_URL": endpoint,
           "HEXAGLOT_S3_REGION": "us-east-1", "HEXAGLOT_S3_ACCESS_KEY_ID": "testing",
           "HEXAGLOT_S3_SECRET_ACCESS_KEY": "testing", "HEXAGLOT_S3_PRESIGNED_URLS": "false"}
    with pytest.MonkeyPatch.context() as mp:
        for name in ("HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL"):
            mp.delenv(name, raising=False)
        for name, value in env.items():
            mp.setenv(name, value)
        archive = open_archive()
        assert isinstance(archive.blobs, S3BlobStore) and archive.blobs.remote
        [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
        data = os.urandom(12 * MiB)  # more than the store's read-ahead (8 MiB)
        path = register_file(archive, meeting.asset_id, data)
        gets: list[str | None] = []
        archive.blobs.client.meta.events.register(  # type: ignore[attr-defined]
            "before-call.s3.GetObject", lambda params, **_: gets.append(
                params.get("headers", {}).get("Range")))
        with serving(create_app(archive)) as base:
            yield Site(base, archive, f"/media/{meeting.asset_id}/{path}", data, gets)
        archive.close()
    server.stop()


def test_range_requests_read_only_their_bytes_from_s3(site: Site) -> None:
    data = site.data
    with httpx.Client(base_url=site.base, timeout=30) as client:
        whole = client.get(site.url)  # the first request checks the blob's checksum once
        assert whole.status_code == 200 and whole.content == data
        assert whole.headers["accept-ranges"] == "bytes"
        assert whole.headers["content-type"] == "video/mp4"
        assert whole.headers["content-length"] == str(len(data))
        site.gets.clear()
        part = client.get(site.url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206 and part.content == data[100:1100]
        assert part.headers["content-range"] == f"bytes 100-1099/{len(data)}"
        assert part.headers["content-length"] == "1000"
        # one read-ahead from byte 100, not the whole 12 MiB object
        assert site.gets and all(r and r.startswith("bytes=100-") for r in site.gets)
        assert all(int(r.split("-")[1]) < 100 + 9 * MiB for r in site.gets if r)
        tail = client.get(site.url, headers={"Range": "bytes=-500"})
        assert tail.status_code == 206 and tail.content == data[-500:]
        late = client.get(site.url, headers={"Range": f"bytes={len(data) - 10}-"})
        assert late.status_code == 206 and late.content == data[-10:]
        past = client.get(site.url, headers={"Range": f"bytes={len(data)}-"})
        assert past.status_code == 416
        assert past.headers["content-range"] == f"bytes */{len(data)}"
        several = client.get(site.url, headers={"Range": "bytes=0-1,5-6"})
        assert several.status_code == 200 and len(several.content) == len(data)
        etag = whole.headers["etag"]
        same = client.get(site.url, headers={"Range": "bytes=0-9", "If-Range": etag})
        assert same.status_code == 206 and same.content == data[:10]
        other = client.get(site.url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
        assert other.status_code == 200 and len(other.content) == len(data)
        site.gets.clear()
        head = client.head(site.url)
        assert head.status_code == 200 and head.headers["content-length"] == str(len(data))
        assert site.gets == []  # a HEAD reads no bytes
        saved = client.get(site.url, params={"download": 1}, headers={"Range": "bytes=0-3"})
        assert saved.status_code == 206 and saved.content == data[:4]
        assert saved.headers["content-disposition"].startswith("attachment;")
        assert saved.headers["cache-control"] == "public, max-age=3600"


def test_a_damaged_s3_blob_is_refused(site: Site) -> None:
    archive = site.archive
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    good = b"a rendition file of another asset " * 1000
    path = register_file(archive, meeting.asset_id, good)
    store = archive.blobs
    assert isinstance(store, S3BlobStore)
    f = archive.catalog.rendition_file(meeting.asset_id, path)
    assert f is not None
    bad = bytearray(good)
    bad[10] ^= 1  # same size, other bytes: only the checksum tells
    store.client.put_object(Bucket=store.bucket, Key=store.key(f.sha256), Body=bytes(bad))
    url = f"{site.base}/media/{meeting.asset_id}/{path}"
    refused = httpx.get(url, timeout=30)
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "damaged"
    store.client.put_object(Bucket=store.bucket, Key=store.key(f.sha256), Body=good)
    assert httpx.get(url, timeout=30).content == good  # mended: served again
    store.client.put_object(Bucket=store.bucket, Key=store.key(f.sha256), Body=good[:-1])
    assert httpx.get(url, timeout=30).status_code == 503  # the size is checked every time


@pytest.mark.parametrize(("header", "size", "expected"), [
    (None, 10, None), ("bytes=0-0", 10, (0, 1)), ("bytes=2-", 10, (2, 10)),
    ("bytes=-3", 10, (7, 10)), ("bytes=-30", 10, (0, 10)), ("bytes=5-100", 10, (5, 10)),
    ("bytes=5-4", 10, None), ("bytes=0-1,4-5", 10, None), ("items=0-1", 10, None),
    ("bytes=-", 10, None), ("bytes = 1 - 2", 10, (1, 3)),
])
def test_byte_range(header: str | None, size: int, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=-0", 10),
                                              ("bytes=-5", 0), ("bytes=0-", 0)])
def test_unsatisfiable_ranges(header: str, size: int) -> None:
    with pytest.raises(Unsatisfiable):
        byte_range(header, size)


def test_reader_of_a_local_archive_is_unchanged(tmp_path: Path) -> None:
    """The local store keeps Starlette's file responses (no `open` in what is served)."""
    from hexaglot.app.media import media_file
    from hexaglot.domain import Audience

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HEXAGLOT_HOME", str(tmp_path))
        for name in ("HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL", "HEXAGLOT_STORAGE_URL"):
            mp.delenv(name, raising=False)
        with open_archive() as archive:
            assert not archive.blobs.remote
            [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
            path = register_file(archive, meeting.asset_id, b"local bytes")
            served = media_file(archive, meeting.asset_id, path, Audience.PUBLIC)
            assert served.open is None and served.path is not None
            assert io.FileIO(served.path).read() == b"local bytes"
