"""Transcripts in the archive, without a speech model: the checkpoint table, the WebVTT
rendition per language, human transcripts preferred to machine ones (and never replaced
by them), search moments with deep links, and speaker turns from proposal to clip."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.app.captions import import_captions
from hexaglot.app.searching import parse, search
from hexaglot.app.transcribing import CatalogCheckpoint
from hexaglot.app.transcripts import store_transcript
from hexaglot.cli import app
from hexaglot.domain import Asset, Audience, Segment, Speaker
from hexaglot.errors import Conflict
from hexaglot.search.captions import parse_vtt
from hexaglot.speech.checkpoint import WindowResult
from hexaglot.speech.contract import SpeechSegment, Word
from hexaglot.web.app import create_app
from tests.live_server import serving
from tests.media_helpers import make_media
from tests.speech_media import catalogue_meeting

runner = CliRunner()


def _window(index: int, start: float, end: float, text: str = "el consejo") -> WindowResult:
    seg = SpeechSegment(start + 0.5, end - 0.5, text, "es", "whisper-base", 0.9,
                        (Word("el", start + 0.5, start + 1, 0.8),))
    return WindowResult(index, start, end, (seg,), seconds=0.4, final=False)


def test_checkpoint_windows_are_kept_in_the_catalogue(home: Path) -> None:
    archive = open_archive()
    asset = archive.catalog.save(Asset(asset_id="1000001", title="Hearing"))
    a = CatalogCheckpoint(archive, asset.asset_id, "es", "plan-a")
    assert a.finished() == []
    a.record(_window(0, 0.0, 120.0))
    a.record(_window(1, 120.0, 240.0))
    again = CatalogCheckpoint(open_archive(), asset.asset_id, "es", "plan-a")
    assert again.finished() == [_window(0, 0.0, 120.0), _window(1, 120.0, 240.0)]
    with pytest.raises(Conflict, match="window 1 of this transcription is already recorded"):
        again.record(_window(1, 120.0, 240.0))
    other = CatalogCheckpoint(archive, asset.asset_id, "es", "plan-b")
    assert other.finished() == []  # another plan (model, master, ...) starts afresh
    other.record(_window(0, 0.0, 120.0))
    assert archive.windows.forget(asset.asset_id, "es", keep="plan-b") == 2
    assert a.finished() == [] and len(other.finished()) == 1
    archive.catalog.delete(asset.asset_id)
    assert other.finished() == []  # the asset's checkpoints go with it
    archive.close()


def _machine(asset_id: str, language: str, *cues: tuple[float, float, str]) -> list[Segment]:
    return [Segment(asset_id=asset_id, language=language, start=a, end=b, text=t,
                    origin="machine", model="whisper-base", confidence=0.8) for a, b, t in cues]


def _vtt(archive, asset_id: str) -> dict[str, str]:  # noqa: ANN001
    out = {}
    for f in archive.catalog.get(asset_id).formats:
        if f.rendition == "transcript":
            assert f.media_type == "text/vtt" and f.url and f.sha256
            path = f.url.removeprefix(f"/media/{asset_id}/")
            registered = archive.catalog.rendition_file(asset_id, path)
            assert registered is not None and registered.sha256 == f.sha256
            with archive.blobs.open(f.sha256) as fh:
                out[f.language] = fh.read().decode("utf-8")
    return out


def _moments(archive, word: str) -> list[tuple[str, float, str]]:  # noqa: ANN001
    found = search(archive, parse(word), Audience.PUBLIC)
    return [(m.language, m.start, m.link) for h in found.hits for m in h.moments]


def test_human_transcript_is_preferred_and_never_overwritten(home: Path, tmp_path: Path) -> None:
    archive = open_archive()
    aid = archive.catalog.save(Asset(asset_id="1000001", title="Hearing")).asset_id
    store_transcript(archive, aid, "en", "machine", _machine(
        aid, "en", (2.0, 4.0, "the council adopted the resolution")))
    store_transcript(archive, aid, "es", "machine", _machine(
        aid, "es", (11.0, 14.0, "el consejo aprobó la resolución")))
    assert set(_vtt(archive, aid)) == {"en", "es"}
    assert ("en", 2.0, f"/assets/{aid}?t=2&lang=en") in _moments(archive, "adopted")

    human = tmp_path / "en.vtt"
    human.write_text("WEBVTT\n\n00:00:02.500 --> 00:00:04.500\nThe Council adopted "
                     "resolution 2645 on Haiti.\n", encoding="utf-8")
    import_captions(archive, aid, human, "en")
    files = _vtt(archive, aid)
    assert [t for _, _, t, _ in parse_vtt(files["en"], "en")] == [
        "The Council adopted resolution 2645 on Haiti."]
    assert "aprobó" in files["es"]
    assert _moments(archive, "haiti") == [("en", 2.5, f"/assets/{aid}?t=2&lang=en")]
    assert sorted(_moments(archive, "resolution")) == [  # the machine English is hidden
        ("en", 2.5, f"/assets/{aid}?t=2&lang=en"), ("es", 11.0, f"/assets/{aid}?t=11&lang=es")]

    # A machine transcript made again later replaces the machine one, never the human one.
    store_transcript(archive, aid, "en", "machine", _machine(
        aid, "en", (2.0, 4.0, "the council adopted a peacekeeping text")))
    assert _moments(archive, "peacekeeping") == []
    origins = sorted({(s.language, s.origin) for s in archive.catalog.segments(aid)})
    assert origins == [("en", "human"), ("en", "machine"), ("es", "machine")]
    assert "2645" in _vtt(archive, aid)["en"]
    # A silent channel made again gives nothing: its machine transcript is dropped.
    store_transcript(archive, aid, "es", "machine", [])
    assert set(_vtt(archive, aid)) == {"en"} and _moments(archive, "consejo") == []
    archive.close()


FLOOR = """WEBVTT

00:00:01.000 --> 00:00:03.000
I now give the floor to the representative of France.

00:00:04.000 --> 00:00:08.000
France welcomes the resolution on Haiti.

00:00:09.000 --> 00:00:12.000
I thank the representative of France. I now give the floor to the representative of Ghana.

00:00:13.000 --> 00:00:17.000
Ghana supports the text before the Council.
"""


def test_turns_are_proposed_confirmed_and_cut_as_a_clip(
        sqlite_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXAGLOT_EDITOR_TOKEN", "s3cret")
    archive = open_archive()
    media = make_media(tmp_path / "m.mkv", seconds=18, tags=("mul", "eng"), size="160x90")
    aid = catalogue_meeting(archive, media, speakers=[Speaker(affiliation="France"),
                                                      Speaker(affiliation="Ghana")])
    captions = tmp_path / "en.vtt"
    captions.write_text(FLOOR, encoding="utf-8")
    import_captions(archive, aid, captions, "en")
    france, ghana = archive.catalog.get(aid).speakers
    assert (france.start, france.status) == (4.0, "suggested") and 8 <= france.end <= 9.5
    assert ghana.start == 13.0 and ghana.status == "suggested"

    with serving(create_app()) as base, httpx.Client(base_url=base) as http:
        editor = {"Authorization": "Bearer s3cret"}
        r = http.post(f"/api/assets/{aid}/speakers/1/clip", headers=editor)
        assert r.status_code == 409 and "confirm it first" in r.json()["error"]["message"]
        assert http.post(f"/api/assets/{aid}/speakers/1/clip").status_code in (401, 403)
        r = http.patch(f"/api/assets/{aid}", headers=editor, json={"speakers": [{"number": 1}]})
        assert r.status_code == 200 and r.json()["speakers"][0]["status"] == "confirmed"
        r = http.post(f"/api/assets/{aid}/speakers/1/clip", headers=editor)
        assert r.status_code == 202, r.text
        clip = r.json()["asset"]
        assert clip["parent_id"] == aid and r.json()["job_id"]
        assert clip["speakers"][0]["affiliation"] == "France"
        assert clip["duration_seconds"] == round(france.end - france.start)

    # The cataloguer corrects a turn from the command line; confirmed times stay put.
    done = runner.invoke(app, ["edit", aid, "--speaker", "2", "--start", "00:00:12.5",
                               "--end", "17"])
    assert done.exit_code == 0, done.output
    import_captions(archive, aid, captions, "en")  # proposals again: confirmed ones kept
    france, ghana = archive.catalog.get(aid).speakers
    assert (ghana.start, ghana.end, ghana.status) == (12.5, 17.0, "confirmed")
    assert france.status == "confirmed"
    bad = runner.invoke(app, ["edit", aid, "--speaker", "2", "--end", "00:00:05"])
    assert bad.exit_code == 2 and "must end after it starts" in bad.output
    archive.close()


def test_transcribe_refuses_what_it_cannot_do(sqlite_home: Path, tmp_path: Path) -> None:
    archive = open_archive()
    aid = catalogue_meeting(archive, make_media(tmp_path / "m.mkv", seconds=2,
                                                tags=("mul", "eng", "spa"), size="160x90"))
    archive.close()
    cases = [
        (["--language", "es", "--backend", "pocketsphinx"],
         "backend pocketsphinx does not transcribe es (it does en)"),
        (["--language", "de"], "--language 'de': not one of original ar zh en fr ru es"),
        (["--language", "fr"], f"asset {aid} has no fr track (it has original en es)"),
        (["--backend", "kaldi"], "no speech backend 'kaldi'"),
        (["--floor-language", "original"], "give the language spoken on the floor"),
    ]
    for args, message in cases:
        done = runner.invoke(app, ["transcribe", aid, *args])
        assert done.exit_code == 2, (args, done.output)
        assert message in " ".join(done.output.split()), (args, done.output)
    missing = runner.invoke(app, ["transcribe", "9999999"])
    assert missing.exit_code == 2 and "no asset with id '9999999'" in missing.output
