"""Transcription through the archive's jobs, on generated espeak-ng media: every channel
transcribed after the renditions (HEXAGLOT_TRANSCRIBE=on), its words found by search with
deep links that open the asset at that second in that language; a worker killed with
kill -9 mid-channel resumes without redoing finished windows; a model with a wrong
checksum fails the job at once and loads nothing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.app.jobs import work
from hexaglot.app.searching import parse, search
from hexaglot.app.transcribing import queue_transcription
from hexaglot.cli import app
from hexaglot.domain import Audience
from hexaglot.speech.audio import windows
from hexaglot.web.app import create_app
from tests.live_server import serving
from tests.speech_media import (
    Phrase,
    catalogue_meeting,
    make_hearing,
    model_directory,
    needs_espeak,
    pocketsphinx_or_skip,
)

pytestmark = needs_espeak
runner = CliRunner()

ENGLISH = [Phrase("The Security Council", "en-us", 1.0),
           Phrase("adopted the resolution on peacekeeping", "en-us", 5.0)]
SPANISH = [Phrase("El Consejo de Seguridad", "es", 1.0),
           Phrase("sobre el mantenimiento de la paz", "es", 6.0)]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_directory(tmp_path_factory)


def _moments(archive, word: str, aid: str) -> list:  # noqa: ANN001
    found = search(archive, parse(word), Audience.PUBLIC)
    return [m for h in found.hits if h.asset_id == aid for m in h.moments]


def _on_time(moments: list, language: str, phrase: Phrase) -> list:
    return [m for m in moments if m.language == language
            and phrase.at - 1 <= m.start <= phrase.at + phrase.duration + 1
            and f"lang={language}" in m.link and f"t={int(m.start)}" in m.link]


def test_every_channel_is_transcribed_after_its_renditions_and_found(
        sqlite_home: Path, tmp_path: Path, model_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXAGLOT_TRANSCRIBE", "on")
    monkeypatch.setenv("HEXAGLOT_SPEECH_MODEL", str(model_dir))
    media = tmp_path / "hearing.mkv"
    floor, _, eng, spa = make_hearing(media, [("mul", ENGLISH), ("ara", []), ("eng", ENGLISH),
                                              ("spa", SPANISH)], seconds=11)
    done = runner.invoke(app, ["ingest", str(media)])
    assert done.exit_code == 0, done.output
    aid = done.stdout.strip().splitlines()[-1]
    assert runner.invoke(app, ["edit", aid, "--status", "published"]).exit_code == 0
    archive = open_archive()
    assert work(archive, burst=True) == 5  # the renditions, then one job per channel
    jobs = archive.jobs.list(asset_id=aid)
    assert sorted(j.kind for j in jobs) == ["derive"] + ["transcribe"] * 4
    assert all(j.status == "done" and j.progress == 1.0 for j in jobs), jobs
    assert {j.params["track"]: j.params["language"] for j in jobs if j.kind == "transcribe"} == {
        "original": "en", "ar": "ar", "en": "en", "es": "es"}

    # The words, at the second they were spoken, in that language.
    peace = _moments(archive, "peacekeeping", aid)
    assert _on_time(peace, "en", eng[1]) and _on_time(peace, "original", floor[1]), peace
    assert _on_time(_moments(archive, "mantenimiento", aid), "es", spa[1])
    # The silent channel gave nothing, quickly.
    assert [s for s in archive.catalog.segments(aid) if s.language == "ar"] == []
    silent = archive.windows.finished(aid, _plan(archive, aid, "ar"))
    assert sum(w["seconds"] for w in silent) < 5 and all(not w["segments"] for w in silent)
    record = archive.catalog.get(aid)
    vtt = {f.language: f for f in record.formats if f.rendition == "transcript"}
    assert set(vtt) == {"original", "en", "es"}
    hls = next(f for f in record.formats if f.rendition == "hls")

    with serving(create_app()) as base, httpx.Client(base_url=base) as http:
        link = _on_time(_moments(archive, "mantenimiento", aid), "es", spa[1])[0].link
        page = http.get(link)
        assert page.status_code == 200 and f'data-asset-id="{aid}"' in page.text
        assert re.search(r'<track kind="subtitles" data-transcript srclang="es"[^>]*src="'
                         + re.escape(vtt["es"].url or ""), page.text)
        text = http.get(vtt["es"].url or "").text
        assert text.startswith("WEBVTT") and "mantenimiento" in text.lower()
        master = http.get(hls.url or "").text
        sub = re.search(r'TYPE=SUBTITLES[^\n]*LANGUAGE="es"[^\n]*URI="([^"]+)"', master)
        assert sub and 'SUBTITLES="subs"' in master
        playlist_url = urljoin(str(base) + (hls.url or ""), sub.group(1))
        playlist = http.get(playlist_url).text
        cue_file = next(ln for ln in playlist.splitlines() if ln.endswith(".vtt"))
        assert http.get(urljoin(playlist_url, cue_file)).text == text
        found = http.get("/api/search", params={"q": "peacekeeping"}).json()
        assert any(m["link"].startswith(f"/assets/{aid}?t=") for h in found["hits"]
                   for m in h["moments"])

    # Asked again on the command line, the finished channels are not transcribed again.
    again = runner.invoke(app, ["transcribe", aid, "--language", "es", "--json"])
    assert again.exit_code == 0, again.output
    (result,) = json.loads(again.stdout)
    assert result["track"] == "es" and result["resumed"] == result["windows"] >= 1
    assert result["backend"] == "faster-whisper" and result["model"] == model_dir.name
    archive.close()


def _plan(archive, aid: str, track: str) -> str:  # noqa: ANN001
    with archive.catalog.engine.connect() as conn:
        from hexaglot.catalog.windows import windows_table as t

        return conn.execute(t.select().with_only_columns(t.c.plan)
                            .where(t.c.asset_id == aid, t.c.track == track)).scalar_one()


WINDOW = 5.0


def test_kill_9_mid_transcription_resumes_without_redoing_finished_windows(
        sqlite_home: Path, tmp_path: Path) -> None:
    pocketsphinx_or_skip()
    phrases = [Phrase("The Security Council", "en-us", 1.0 + WINDOW * k) for k in range(8)]
    media = tmp_path / "long.mkv"
    placed = make_hearing(media, [("eng", phrases)], seconds=WINDOW * 8)[0]
    total = sum(1 for _ in windows(media, 1, 0.0, WINDOW))
    archive = open_archive()
    aid = catalogue_meeting(archive, media)
    (job_id,) = queue_transcription(archive, aid, ["en"], "pocketsphinx", window_seconds=WINDOW)
    worker = subprocess.Popen([sys.executable, "-c", "from hexaglot.cli import app; app()",
                               "worker"], env=dict(os.environ),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while len(archive.windows.numbers(aid, "en")) < 3:
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.02)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    before = archive.windows.numbers(aid, "en")
    job = archive.jobs.get(job_id)
    assert job.status == "running" and 3 <= len(before) < total, (job, before, total)

    assert work(archive, burst=True) == 1  # the next worker re-runs the job
    job = archive.jobs.get(job_id)
    assert (job.status, job.attempts, job.progress) == ("done", 2, 1.0)
    after = archive.windows.numbers(aid, "en")
    assert after[: len(before)] == before  # the same rows: finished windows not redone
    assert [n for n, _ in after] == list(range(total))
    # The words after the resume point are on time too.
    resumed_at = len(before) * WINDOW
    heard = [s.start for s in archive.catalog.segments(aid) if "council" in s.text.lower()]
    later = [p for p in placed if p.at > resumed_at + 1]
    on_time = [p for p in later if any(p.at - 1 <= t <= p.at + p.duration for t in heard)]
    assert len(on_time) >= len(later) - 1 > 0, heard
    assert _on_time(_moments(archive, "council", aid), "en", placed[0])  # found by search
    archive.close()


CHILD = """
import sys
from hexaglot.app import open_archive
from hexaglot.app.jobs import work
with open_archive() as archive:
    work(archive, burst=True)
print(sorted(m for m in ("faster_whisper", "ctranslate2") if m in sys.modules))
"""


def test_wrong_model_hash_fails_the_job_at_once_and_loads_nothing(
        sqlite_home: Path, tmp_path: Path, model_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "whisper-base"
    bad.mkdir()
    for f in model_dir.iterdir():
        (bad / f.name).symlink_to(f)
    (bad / "SHA256SUMS").write_text(f"{'0' * 64}  model.bin\n", encoding="utf-8")
    monkeypatch.setenv("HEXAGLOT_SPEECH_MODEL", str(bad))
    archive = open_archive()
    make_hearing(tmp_path / "m.mkv", [("spa", SPANISH[:1])], seconds=4)
    aid = catalogue_meeting(archive, tmp_path / "m.mkv")
    (job_id,) = queue_transcription(archive, aid, ["es"])
    began = time.monotonic()
    child = subprocess.run([sys.executable, "-c", CHILD], env=dict(os.environ),
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip().splitlines()[-1] == "[]"  # neither was even imported
    job = archive.jobs.get(job_id)
    assert (job.status, job.attempts) == ("failed", 1), job
    assert "model.bin" in job.error and "is not the expected 000" in job.error
    assert "nothing was loaded" in job.error and time.monotonic() - began < 60
    assert archive.catalog.segments(aid) == [] and archive.windows.numbers(aid, "es") == []
    done = runner.invoke(app, ["transcribe", aid, "--language", "es"])
    assert done.exit_code == 2 and "nothing was loaded" in " ".join(done.output.split())
    archive.close()
