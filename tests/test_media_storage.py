"""The local blob store: content addressing, atomic writes, verification, no partial files."""

from __future__ import annotations

import errno
import hashlib
import io
import os
from pathlib import Path

import pytest

from hexaglot.storage import BlobError, BlobStore, LocalBlobStore


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_put_is_content_addressed_and_verifiable(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    assert isinstance(store, BlobStore)
    data = os.urandom(3 * (1 << 20) + 17)  # crosses chunk boundaries
    blob = store.put(io.BytesIO(data))
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.size == len(data)
    assert store.exists(blob.sha256)
    assert store.path(blob.sha256).read_bytes() == data
    assert store.verify(blob.sha256)
    with store.open(blob.sha256, verify=True) as fh:
        assert fh.read() == data
    assert _files(store.root) == [store.path(blob.sha256)]  # no temporary file left


def test_existing_blob_is_never_rewritten(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    first = store.put(io.BytesIO(b"master bytes"))
    path = store.path(first.sha256)
    before = path.stat()
    again = store.put(io.BytesIO(b"master bytes"))
    assert again == first
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_corruption_is_detected_on_read(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    blob = store.put(io.BytesIO(b"original"))
    path = store.path(blob.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    assert not store.verify(blob.sha256)
    with pytest.raises(BlobError):
        store.open(blob.sha256, verify=True)
    store.delete(blob.sha256)
    assert not store.exists(blob.sha256)
    store.delete(blob.sha256)  # absent: no error


def _limited(limit: int):
    """Run the child with a file-size limit: writes past it fail like a full disk."""
    import resource
    import signal

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_failed_write_leaves_no_partial_blob(tmp_path: Path) -> None:
    """A write that fails midway (here EFBIG from a file-size limit, as with a full disk)
    raises BlobError and leaves neither a temporary nor a final file."""
    import subprocess
    import sys

    root = tmp_path / "blobs"
    code = (
        "import io, sys\n"
        "from hexaglot.storage import LocalBlobStore, BlobError\n"
        f"store = LocalBlobStore({str(root)!r})\n"
        "try:\n"
        "    store.put(io.BytesIO(b'x' * (4 << 20)))\n"
        "except BlobError as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          preexec_fn=_limited(1 << 20))
    assert done.returncode == 3, done.stderr
    assert "too large" in done.stdout or "disk" in done.stdout
    assert _files(root) == []


def test_errno_messages() -> None:
    from hexaglot.storage.local import describe_os_error

    assert "disk full" in describe_os_error(OSError(errno.ENOSPC, "No space left on device"))


def test_damaged_blob_is_replaced_by_a_good_copy(tmp_path: Path) -> None:
    """Re-storing the pristine bytes of a damaged blob repairs it (the store verified the
    existing copy instead of trusting its name)."""
    store = LocalBlobStore(tmp_path)
    blob = store.put(io.BytesIO(b"pristine master"))
    path = store.path(blob.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"damaged master!")
    assert not store.verify(blob.sha256)
    again = store.put(io.BytesIO(b"pristine master"))
    assert again == blob
    assert store.verify(blob.sha256)
    assert path.read_bytes() == b"pristine master"
    assert _files(store.root) == [path]


def test_expected_checksum_mismatch_stores_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(BlobError, match="checksum mismatch"):
        store.put(io.BytesIO(b"bytes"), expected_sha256="0" * 64)
    assert _files(store.root) == []
    blob = store.put_file(_write(tmp_path / "f.bin", b"bytes"), expected_sha256=hashlib.sha256(b"bytes").hexdigest())
    assert store.size(blob.sha256) == 5
    assert [b.sha256 for b in store.iter_blobs()] == [blob.sha256]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
