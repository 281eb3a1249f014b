"""The demo meeting: seven tagged audio tracks that ingest as the archive's languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hexaglot.media.demo_media import SENTENCES, _speak, make_demo_meeting
from hexaglot.media.probe import probe

from .media_helpers import LANGS


def test_demo_meeting_has_seven_languages(tmp_path: Path) -> None:
    path = make_demo_meeting(tmp_path / "demo.mkv", seconds=6)
    p = probe(path)
    assert p.languages == LANGS
    assert abs(p.duration - 6) < 0.2 and p.video.height == 360


def test_demo_speech_uses_espeak_ng_when_installed(tmp_path: Path) -> None:
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): tones are used")
    voice, text = SENTENCES["fr"]
    assert _speak(voice, text, tmp_path / "fr.wav")
    assert (tmp_path / "fr.wav").stat().st_size > 20_000


def test_add_demo_media_is_idempotent(sqlite_home: Path) -> None:
    from hexaglot.app.archive import open_archive
    from hexaglot.app.demo import add_demo_media
    from hexaglot.domain import Asset

    archive = open_archive()
    archive.catalog.save(Asset(asset_id="DEMO1", title="Sample meeting"))
    assert add_demo_media(archive, "DEMO1", seconds=3) is True
    assert add_demo_media(archive, "DEMO1", seconds=3) is False
    assert archive.catalog.get("DEMO1").available_languages == LANGS
    assert [j.status for j in archive.jobs.list()] == ["queued"]
    archive.close()


@pytest.mark.slow
def test_demo_meeting_is_transcribed_and_its_words_found(
        sqlite_home: Path, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the speech extra installed, the demo meeting's channels are transcribed after
    its renditions, and its spoken words are found with deep links to their second."""
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): tones are used")
    from hexaglot.app.archive import open_archive
    from hexaglot.app.demo import add_demo_media, build_demo_archive
    from hexaglot.app.jobs import work
    from hexaglot.app.searching import parse, search
    from hexaglot.domain import Audience

    from .speech_media import model_directory

    monkeypatch.setenv("HEXAGLOT_SPEECH_MODEL", str(model_directory(tmp_path_factory)))
    archive = open_archive()
    meeting = build_demo_archive(archive)[0]
    assert add_demo_media(archive, meeting, seconds=10) is True
    work(archive, burst=True)
    jobs = archive.jobs.list(asset_id=meeting)
    assert sorted(j.kind for j in jobs) == ["derive"] + ["transcribe"] * 7
    assert all(j.status == "done" for j in jobs), [(j.kind, j.error) for j in jobs]
    found = search(archive, parse("order"), Audience.PUBLIC)
    moments = [m for h in found.hits if h.asset_id == meeting for m in h.moments]
    assert {"original", "en"} <= {m.language for m in moments}, moments
    assert all(m.link.startswith(f"/assets/{meeting}?t=") and m.start < 6 for m in moments)
    french = search(archive, parse("séance"), Audience.PUBLIC)
    assert any(m.language == "fr" for h in french.hits for m in h.moments)
    langs = {f.language for f in archive.catalog.get(meeting).formats if f.rendition == "transcript"}
    assert {"original", "en", "fr", "es"} <= langs
    archive.close()
