"""Media files over HTTP: a request is looked up in the manifest of registered rendition
files of an asset the viewer may see, never joined onto a folder. A master is never
registered there, so it is never served.

Each blob is checked against its recorded SHA-256 the first time this process serves it
(files up to `VERIFY_BYTES`; larger ones are left to the fixity audit), and again whenever
its file changes; a file that fails is refused (and logged), never served. A blob of a
remote store (S3 with presigned URLs off) is served from the store's range reads, so a
request for a few bytes of a large file reads those bytes, not a copy of the whole blob;
its size is checked on every request, its checksum once per process (a blob's name is its
checksum, so its bytes cannot change without it being damaged).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from itsdangerous import Signer

from hexaglot.app.archive import Archive
from hexaglot.app.viewing import valid_id
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset, Audience, RenditionFile
from hexaglot.errors import NotFound, Unavailable
from hexaglot.storage.checksum import sha256_file

log = logging.getLogger(__name__)
#: A media path: up to six segments of letters, digits, `.`, `_`, `-`, none starting with
#: a dot (so no `..`), 300 characters at most.
_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,99}){0,5}")
MAX_PATH = 300
VERIFY_BYTES = 256 * 1024 * 1024
#: How long a signed URL to a blob store is valid (seconds).
DIRECT_URL_SECONDS = 6 * 3600


class NoMediaFile(NotFound):
    """No registered media file under this path (or none the viewer may see)."""


class DamagedMedia(Unavailable):
    """A registered media file no longer matches its checksum: it is not served."""

    code = "damaged"


@dataclass(frozen=True)
class Served:
    """How to answer a media request: a local file, a URL to redirect to, or (a remote
    store's blob) `open`, which gives a seekable reader of its `file.size` bytes."""

    file: RenditionFile
    asset: Asset
    path: Path | None = None
    url: str | None = None
    open: Callable[[], BinaryIO] | None = None


def media_url(asset_id: str, path: str) -> str:
    """The URL a registered rendition file is served under."""
    return f"/media/{asset_id}/{path}"


def with_direct_urls(archive: Archive, asset: Asset) -> Asset:
    """The record with each rendition's URL pointing at its blob directly (a presigned
    S3 URL valid `DIRECT_URL_SECONDS`) where the blob store can give one; other URLs stay
    `/media/…`. For the operator's staff view in the CLI, which holds the store's
    credentials anyway and has no web server to send a bearer token to; the web never
    hands these out (a viewer is always answered through `/media/`)."""
    formats = []
    for f in asset.formats:
        direct = None
        if f.sha256 and f.url and f.rendition != "master":
            name = f.url.rsplit("/", 1)[-1]
            direct = archive.blobs.url(f.sha256, DIRECT_URL_SECONDS, name, f.media_type)
        formats.append(f.model_copy(update={"url": direct}) if direct else f)
    return asset.model_copy(update={"formats": formats})


def _signer(archive: Archive) -> Signer:
    return Signer(archive.secret_key, salt="media-url")


def sign_media_url(archive: Archive, url: str, viewer: Audience, now: float) -> str:
    """A media URL of a non-public asset that works without a session for
    `HEXAGLOT_SIGNED_URL_HOURS` (then 404): `/media/~TOKEN/ASSET/PATH`, the token naming the
    asset, the audience it was made for and when it expires. Relative references (HLS
    segments) resolve under the same token. Other URLs are given back as they are."""
    prefix, _, rest = url.partition("/media/")
    asset_id, sep, path = rest.partition("/")
    if prefix or not sep or not asset_id or asset_id.startswith("~"):
        return url
    expires = int(now + archive.settings.signed_url_hours * 3600)
    value = f"{int(viewer)}.{expires}"
    signature = _signer(archive).get_signature(f"{asset_id}.{value}").decode()
    return f"/media/~{value}.{signature}/{asset_id}/{path}"


def signed_audience(archive: Archive, token: str, asset_id: str, now: float) -> Audience:
    """The audience a signed media URL's token grants for `asset_id`; `UnknownAsset` when
    the token is not one, is for another asset or has expired (as if it did not exist)."""
    audience, _, rest = token.partition(".")
    expires, _, signature = rest.partition(".")
    if not (audience.isdigit() and expires.isdigit() and signature) or len(token) > 200:
        raise UnknownAsset(asset_id[:80])
    if not _signer(archive).verify_signature(f"{asset_id}.{audience}.{expires}".encode(),
                                            signature.encode()):
        raise UnknownAsset(asset_id[:80])
    if now >= int(expires) or int(audience) not in {int(a) for a in Audience}:
        raise UnknownAsset(asset_id[:80])
    return Audience(int(audience))


_verified: dict[str, tuple[int, int, int]] = {}
_verified_remote: set[str] = set()
_lock = threading.Lock()


def _check(path: Path, f: RenditionFile) -> None:
    st = path.stat()
    seen = (st.st_ino, st.st_mtime_ns, st.st_size)
    with _lock:
        if _verified.get(f.sha256) == seen:
            return
    if st.st_size != f.size or (st.st_size <= VERIFY_BYTES and sha256_file(path) != f.sha256):
        raise _damaged(f)
    with _lock:
        _verified[f.sha256] = seen


def _damaged(f: RenditionFile) -> DamagedMedia:
    log.error("media file %s (blob %s) fails its checksum; not served", f.path, f.sha256)
    return DamagedMedia(f"media file {f.path} is damaged and cannot be served; it is "
                        "reported for repair")


def _check_remote(archive: Archive, f: RenditionFile) -> None:
    """A remote blob: its size on every request (one HEAD), its bytes once per process."""
    if archive.blobs.size(f.sha256) != f.size:
        raise _damaged(f)
    with _lock:
        if f.sha256 in _verified_remote:
            return
    if f.size <= VERIFY_BYTES and not archive.blobs.verify(f.sha256):
        raise _damaged(f)
    with _lock:
        _verified_remote.add(f.sha256)


def media_file(archive: Archive, asset_id: str, path: str, viewer: Audience) -> Served:
    """What to serve for `/media/<asset_id>/<path>`, or `NoMediaFile` / `UnknownAsset`."""
    asset_id = valid_id(asset_id)
    if len(path) > MAX_PATH or not _PATH.fullmatch(path):
        raise NoMediaFile(f"no media file {path[:80]!r}")
    asset = archive.catalog.get(asset_id, viewer)
    if asset is None:
        raise UnknownAsset(asset_id)
    f = archive.catalog.rendition_file(asset_id, path)
    if f is None:
        raise NoMediaFile(f"no media file {path[:80]!r}")
    url = archive.blobs.url(f.sha256, DIRECT_URL_SECONDS, Path(path).name, f.media_type)
    if url is not None:
        return Served(f, asset, url=url)
    if archive.blobs.remote:
        _check_remote(archive, f)
        blobs = archive.blobs
        return Served(f, asset, open=lambda: blobs.open(f.sha256))
    with archive.blobs.local_file(f.sha256) as local:  # a local store: the blob's own file
        _check(local, f)
    return Served(f, asset, path=local)


def download_name(asset_id: str, f: RenditionFile) -> str:
    """The name a downloaded file is saved under: the asset id, then the language (or the
    rendition when the file has no language), then the file's extension (`1000001-fr.mp3`,
    `1000001-poster.jpg`, `1000001-original.mp4`)."""
    ext = Path(f.path).suffix.lower()
    what = f.language or f.rendition
    return f"{asset_id}-{what}{ext}"
