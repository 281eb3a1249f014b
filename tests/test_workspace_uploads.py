"""The upload use case behind the workspace's resumable uploads, on a real archive: bytes
appended in pieces (a piece cut off keeps what arrived), resumed at the offset, SHA-256
computed on arrival and checked, the recording ingested with the same errors as
`hexaglot ingest`, nothing left behind either way; and heading autocomplete."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hexaglot.app.archive import Archive
from hexaglot.app.suggesting import suggest_headings
from hexaglot.app.uploading import UploadError, Uploads
from hexaglot.errors import Conflict, NotFound
from tests.media_helpers import make_media


def _send(uploads: Uploads, upload, data: bytes, at: int) -> tuple[int, str, bool]:  # noqa: ANN001
    with uploads.writing(upload, at) as w:
        for i in range(0, len(data), 7000):
            w.write(data[i:i + 7000])
        return w.offset, w.sha256(), w.complete


def test_an_upload_cut_off_resumes_and_ends_as_an_ingested_master(home: Path,
                                                                 tmp_path: Path) -> None:
    data = make_media(tmp_path / "day.mkv", seconds=2).read_bytes()
    with Archive() as archive:
        uploads = Uploads(archive)
        up = uploads.create(len(data), "../../day one.mkv", owner="7")
        assert up.filename == "day one.mkv"  # no path of the client's is ever used
        half = len(data) // 2
        offset, _, complete = _send(uploads, up, data[:half], 0)
        assert (offset, complete) == (half, False)
        assert uploads.offset(uploads.get(up.upload_id, "7")) == half
        with pytest.raises(Conflict):  # not at the upload's offset
            _send(uploads, up, data[half:], 0)
        with pytest.raises(NotFound):  # someone else's upload does not exist for them
            uploads.get(up.upload_id, "8")
        offset, sha, complete = _send(uploads, up, data[half:], half)
        assert complete and sha == hashlib.sha256(data).hexdigest()
        done = uploads.finish(up, sha)
        assert done.sha256 == sha and done.asset.title == "day one"
        assert done.asset.status == "draft" and len(done.asset.available_languages) == 7
        assert archive.jobs.get(done.job_id).kind == "derive"  # type: ignore[union-attr]
        assert not (uploads.root / up.upload_id).exists()


def test_a_hash_state_lost_is_rebuilt_from_the_bytes_there(home: Path, tmp_path: Path) -> None:
    data = b"x" * 50_000 + b"y" * 50_000
    with Archive() as archive:
        uploads = Uploads(archive)
        up = uploads.create(len(data), "a.bin", owner="1")
        _send(uploads, up, data[:30_000], 0)
        from hexaglot.app import uploading
        uploading._HASHES.drop(up.upload_id)  # as in another web process, or after a restart
        _, sha, complete = _send(uploads, up, data[30_000:], 30_000)
        assert complete and sha == hashlib.sha256(data).hexdigest()


def test_bad_uploads_are_refused_and_leave_nothing(home: Path, tmp_path: Path) -> None:
    with Archive() as archive:
        uploads = Uploads(archive)
        with pytest.raises(UploadError, match="Upload-Length"):
            uploads.create(0, "a.mkv", owner="1")
        with pytest.raises(UploadError, match="sha256"):
            uploads.create(10, "a.mkv", owner="1", sha256="abc")
        up = uploads.create(4, "a.mkv", owner="1")
        with pytest.raises(UploadError, match="more bytes"):
            _send(uploads, up, b"12345", 0)
        # not a recording: the probe's error, as `hexaglot ingest` gives it, then nothing kept
        _, sha, _ = _send(uploads, up, b"1234", 0)
        with pytest.raises(UploadError, match="a.mkv") as why:
            uploads.finish(up, sha)
        assert str(uploads.root) not in str(why.value)
        assert not (uploads.root / up.upload_id).exists()
        assert archive.catalog.count() == 0
        # a declared checksum that the bytes do not have
        data = make_media(tmp_path / "m.mkv", seconds=1).read_bytes()
        up = uploads.create(len(data), "m.mkv", owner="1", sha256="0" * 64)
        _, sha, _ = _send(uploads, up, data, 0)
        with pytest.raises(UploadError, match="not the declared"):
            uploads.finish(up, sha)
        assert archive.catalog.count() == 0


def test_headings_autocomplete_in_the_six_languages() -> None:
    for typed in ("Казах", "哈萨克", "kazakh", "Kazaji", "كازاخ"):
        found = suggest_headings(typed, "ru")
        assert found and found[0]["id"] == "KAZ", typed
    assert suggest_headings("Казах", "ru")[0]["shown"] == "Казахстан"
    assert suggest_headings("", "en") == []


def test_a_failed_jobs_reason_is_its_last_line_and_it_can_be_retried(home: Path) -> None:
    from hexaglot.app.today import reason, retry_job, today

    with Archive() as archive:
        job_id = archive.jobs.create("derive", None, {})
        archive.jobs.fail(job_id, "Traceback (most recent call last):\n  File x\n"
                          "MediaError: day.mkv: no audio stream\n", retrying=False)
        failed = today(archive).failed
        assert [j.id for j in failed] == [job_id]
        assert reason(failed[0]) == "MediaError: day.mkv: no audio stream"
        assert retry_job(archive, job_id, actor="user:cat@example.org").status == "queued"
        with pytest.raises(Conflict):
            retry_job(archive, job_id)
