"""Catalogue records for the interop tests, built here (no shared texts): a Security
Council meeting with the floor and six interpretation tracks, speakers with times,
subjects of each kind, every rendition, transcripts, and two statement clips."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from hexaglot.domain import Asset, Format, Meeting, Speaker, Subject, Subjects
from hexaglot.domain.languages import AUDIO_LANGUAGES, OFFICIAL_LANGUAGES
from hexaglot.interop.site import Clip, Site

SITE = Site("http://archive.test:8080", name="Test Archive")


def digest(text: str) -> str:
    """A stand-in SHA-256 (of a label), distinct per file."""
    return hashlib.sha256(text.encode()).hexdigest()


def _formats(asset_id: str, with_master: bool = True) -> list[Format]:
    run = f"/media/{asset_id}/job1"
    out = [Format(rendition="master", media_type="video/x-matroska", size=52_000_000,
                  sha256=digest(f"{asset_id} master"))] if with_master else []
    out += [Format(rendition="hls", media_type="application/vnd.apple.mpegurl", size=9_000_000,
                   sha256=digest(f"{asset_id} hls"), url=f"{run}/hls/master.m3u8"),
            Format(rendition="mp4", language="original", media_type="video/mp4", size=4_000_000,
                   sha256=digest(f"{asset_id} mp4"), url=f"{run}/proxy.mp4")]
    for lang in AUDIO_LANGUAGES:
        out.append(Format(rendition="audio-m4a", language=lang, media_type="audio/mp4",
                          size=700_000, sha256=digest(f"{asset_id} m4a {lang}"),
                          url=f"{run}/audio/{lang}.m4a"))
        out.append(Format(rendition="audio-mp3", language=lang, media_type="audio/mpeg",
                          size=500_000, sha256=digest(f"{asset_id} mp3 {lang}"),
                          url=f"{run}/audio/{lang}.mp3"))
    out += [Format(rendition="poster", media_type="image/jpeg", size=90_000,
                   sha256=digest(f"{asset_id} poster"), url=f"{run}/poster.jpg"),
            Format(rendition="thumbnails", media_type="image/jpeg", size=60_000,
                   sha256=digest(f"{asset_id} thumbs"), url=f"{run}/thumbnails.jpg"),
            Format(rendition="waveform", language="original", media_type="application/json",
                   size=8_000, sha256=digest(f"{asset_id} wave"), url=f"{run}/waveform.json")]
    for lang in ("fr", "en"):
        out.append(Format(rendition="transcript", language=lang, media_type="text/vtt",
                          size=2_000, sha256=digest(f"{asset_id} vtt {lang}"),
                          url=f"/media/{asset_id}/transcripts/{lang}.vtt"))
    return out


def _subject(id_: str, label: str) -> Subject:
    return Subject(id=id_, label=label, labels={lang: f"{label} [{lang}]"
                                                for lang in OFFICIAL_LANGUAGES}, status="confirmed")


def meeting(asset_id: str = "1000001", body: str = "Security Council", number: int = 9001,
            day: date = date(2022, 2, 16), updated: datetime | None = None,
            access: str = "public") -> Asset:
    """A meeting recording with every kind of field filled."""
    return Asset(
        asset_id=asset_id, kind="video",
        title=f"Cooperation between the United Nations and regional organizations - {body}, "
              f"{number}th Meeting",
        summary="The Council heard briefings on regional cooperation & the “African” Union.",
        description="Long press summary <with> characters that need escaping.",
        recorded_on=day, duration_seconds=9763, preview_language="original",
        available_languages=list(AUDIO_LANGUAGES),
        meeting=Meeting(body=body, number=number, record_symbol=f"S/PV.{number}",
                        began="11:07", ended="13:17"),
        speakers=[
            Speaker(name="António Guterres", role="Secretary-General",
                    affiliation="United Nations", language="en", start=60.0, end=900.5),
            Speaker(name="Amina Diallo", role="Representative", affiliation="Niger",
                    affiliation_id="NER", language="fr", start=901.0, end=1500.0),
            Speaker(name=None, role="Representative", affiliation="Kazakhstan",
                    affiliation_id="KAZ", language="ru", start=1500.0, end=1800.0),
            Speaker(name="Li Wei", role="Representative", affiliation="China", language="zh"),
        ],
        subjects=Subjects(
            personal=[_subject("person:antonio-guterres", "António Guterres")],
            corporate=[_subject("org:african-union", "African Union")],
            geographic=[_subject("NER", "Niger"), _subject("KAZ", "Kazakhstan")],
            topical=[_subject("topic:regional-cooperation", "Regional cooperation")],
        ),
        formats=_formats(asset_id),
        source="Press release SC/99999 (https://press.example.org/sc99999)",
        access=access,
        translations={"fr": {"title": "Coopération entre l'ONU et les organisations régionales"}},
        children=[f"{asset_id}1", f"{asset_id}2"],
        created=datetime(2022, 2, 17, 9, 0, tzinfo=UTC),
        updated=updated or datetime(2022, 2, 17, 9, 30, tzinfo=UTC),
    )


def clips(parent: Asset) -> list[Clip]:
    """Two statement clips of the meeting, with their spans in its recording."""
    out = []
    for n, who in enumerate(parent.speakers[:2], start=1):
        assert who.start is not None and who.end is not None
        rec = Asset(asset_id=f"{parent.asset_id}{n}", parent_id=parent.asset_id, kind="video",
                    title=f"{who.name} - {parent.title}", recorded_on=parent.recorded_on,
                    duration_seconds=round(who.end - who.start),
                    preview_language=parent.preview_language,
                    available_languages=parent.available_languages, meeting=parent.meeting,
                    speakers=[who.model_copy(update={"start": 0.0, "end": who.end - who.start})],
                    formats=_formats(f"{parent.asset_id}{n}", with_master=False))
        out.append(Clip(rec, who.start, who.end))
    return out


def press_only(asset_id: str = "1000009") -> Asset:
    """A record with no media, no duration and few fields (a press summary's meeting)."""
    return Asset(asset_id=asset_id, title="Maintenance of international peace - General "
                 "Assembly, 77th Session", meeting=Meeting(body="General Assembly"),
                 recorded_on=date(2023, 3, 1))
