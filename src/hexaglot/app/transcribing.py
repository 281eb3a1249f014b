"""Transcribe an asset's audio channels on this machine: `transcribe_asset` (every channel
asked for, here and now: `hexaglot transcribe ID`) and the `transcribe` job kind (one job
per channel, queued after the renditions when `HEXAGLOT_TRANSCRIBE=on`).

A channel is one track of the master (`original`, `ar`, `zh`, …). Its spoken language is
the track's; the floor's is given, else `turns.floor_language` (the speakers' language,
else English); it is never detected. The channel is transcribed window by window
(`speech.transcribe`), each finished window kept in the catalogue (`catalog.windows`,
through `CatalogCheckpoint`) before the next starts, so a run killed at any moment, even
by `kill -9`, resumes after the last finished window and never does one again. When the
channel is done its segments, cut into cues of at most 84 characters timed by their
words (so a search moment lands within seconds of the word), become the track's machine
transcript and the transcript rendition is rewritten (`app.transcripts`); from the floor,
the speakers' turns are proposed (`app.turns`). A missing or damaged model fails at once
(`SpeechModelError`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hexaglot.app.archive import Archive
from hexaglot.app.transcripts import store_transcript
from hexaglot.app.turns import floor_language, propose_in
from hexaglot.domain import Asset, Master
from hexaglot.domain.languages import OFFICIAL_LANGUAGES, language_code, ordered
from hexaglot.errors import BadInput
from hexaglot.jobs.runner import Progress
from hexaglot.jobs.store import Job
from hexaglot.speech.backends import backend_for, languages_of, open_backend
from hexaglot.speech.checkpoint import WindowResult, plan_key
from hexaglot.speech.contract import SpeechBackend
from hexaglot.speech.errors import SpeechInputError
from hexaglot.speech.models import SpeechModel, installed_model, resolve_model
from hexaglot.speech.transcribe import Channel, transcribe_channel
from hexaglot.speech.vtt import cues

#: The job kind, one job per channel.
KIND = "transcribe"
#: Window length (seconds): what a killed run loses at most.
WINDOW_SECONDS = 120.0
#: Reported while a channel runs: (track, fraction done, step).
ChannelProgress = Callable[[str, float, str], None]


@dataclass(frozen=True)
class ChannelPlan:
    """One channel to transcribe: its `track`, the language spoken on it, and the backend
    (None: faster-whisper when a model is installed, else pocketsphinx for English)."""

    track: str
    language: str
    backend: str | None = None


@dataclass(frozen=True)
class ChannelResult:
    """A transcribed channel: how many segments it gave, how many windows it has, how
    many of them an earlier (killed) run had finished, which the time limit cut short."""

    track: str
    language: str
    backend: str
    model: str
    segments: int
    windows: int
    resumed: int
    seconds: float
    incomplete: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogCheckpoint:
    """The speech checkpoint protocol on the catalogue's `transcript_windows`."""

    archive: Archive
    asset_id: str
    track: str
    plan: str

    def finished(self) -> list[WindowResult]:
        return [WindowResult.from_json(w)
                for w in self.archive.windows.finished(self.asset_id, self.plan)]

    def record(self, window: WindowResult) -> None:
        self.archive.windows.record(self.asset_id, self.track, self.plan, window.index,
                                    window.to_json())


def speech_model(archive: Archive) -> SpeechModel | None:
    """The Whisper model of this machine (`HEXAGLOT_SPEECH_MODEL`, else the packaged one
    assembled under `HEXAGLOT_HOME/models`), None when there is none."""
    setting = archive.settings.speech_model
    if not setting and installed_model() is None:
        return None
    return resolve_model(setting, archive.settings.resolved_home / "models")


_opened: dict[tuple[str, str, str], SpeechBackend] = {}
_opening = threading.Lock()


def backend(name: str, model: SpeechModel | None) -> SpeechBackend:
    """An open backend, loaded (and its model verified) once per process."""
    key = (name, str(model.path) if model else "", model.name if model else "")
    with _opening:
        if key not in _opened:
            _opened[key] = open_backend(name, model)
        return _opened[key]


def _master(archive: Archive, asset: Asset) -> Master:
    master = archive.catalog.master(asset.asset_id)
    if master is None:
        raise BadInput(f"asset {asset.asset_id} has no master recording; ingest one first")
    if master.start or master.end is not None:
        raise BadInput(f"asset {asset.asset_id} is a statement clip of {asset.parent_id}: "
                       f"transcribe the meeting ({asset.parent_id}) instead")
    return master


def _code(value: str, what: str) -> str:
    code = language_code(value)
    if code is None:
        raise BadInput(f"{what} {value!r}: not one of original {' '.join(OFFICIAL_LANGUAGES)}")
    return code


def plan_channels(asset: Asset, master: Master, tracks: list[str] | None = None,
                  backend_name: str | None = None, floor: str | None = None) -> list[ChannelPlan]:
    """The channels to transcribe (all the master's tracks by default), each with its
    spoken language; `BadInput` for a track the master lacks or a backend that cannot do
    a language asked for."""
    have = ordered(list(master.tracks))
    wanted = ordered([_code(t, "--language") for t in tracks]) if tracks else have
    missing = [t for t in wanted if t not in master.tracks]
    if missing:
        raise BadInput(f"asset {asset.asset_id} has no {' '.join(missing)} track (it has "
                       f"{' '.join(have)})")
    spoken = _code(floor, "--floor-language") if floor else floor_language(asset)
    if spoken == "original":
        raise BadInput("--floor-language: give the language spoken on the floor, e.g. en")
    plans = [ChannelPlan(t, spoken if t == "original" else t, backend_name) for t in wanted]
    if backend_name is not None:
        can = languages_of(backend_name)
        cannot = [p.track for p in plans if p.language not in can]
        if cannot:
            raise SpeechInputError(f"backend {backend_name} does not transcribe "
                                   f"{' '.join(cannot)} (it does {' '.join(sorted(can))}); "
                                   "choose the channels with --language")
    return plans


def transcribe_plan(archive: Archive, asset_id: str, plan: ChannelPlan, engine: SpeechBackend,
                    window_seconds: float = WINDOW_SECONDS,
                    progress: ChannelProgress | None = None) -> ChannelResult:
    """Transcribe one channel (resuming its finished windows), store its transcript and
    rewrite the transcript rendition."""
    master = _master(archive, archive.catalog.require(asset_id))
    key = plan_key(master.sha256, master.tracks[plan.track], plan.language, engine.name,
                   engine.model, window_seconds)
    checkpoint = CatalogCheckpoint(archive, asset_id, plan.track, key)
    span = max(master.duration, 0.001)
    began = time.monotonic()

    def reached(window: WindowResult) -> None:
        if progress:
            progress(plan.track, min(window.end / span, 1.0),
                     f"{plan.track}: {window.end:.0f} of {span:.0f} s")

    resumed = len(checkpoint.finished())
    with archive.blobs.local_file(master.sha256) as path:
        transcript = transcribe_channel(Channel(path, master.tracks[plan.track], plan.language),
                                        engine, checkpoint, window_seconds, on_window=reached)
    segments = [s.as_record(asset_id, plan.track).model_copy(
        update={"start": a, "end": b, "text": text})
        for s in transcript.segments for a, b, text in cues(s)]
    store_transcript(archive, asset_id, plan.track, "machine", segments, "transcribe",
                     after=lambda tx: propose_in(tx, asset_id, plan.track, plan.language))
    archive.windows.forget(asset_id, plan.track, keep=key)
    return ChannelResult(plan.track, plan.language, engine.name, engine.model, len(segments),
                         len(transcript.windows), resumed, time.monotonic() - began,
                         transcript.incomplete)


def transcribe_asset(archive: Archive, asset_id: str, tracks: list[str] | None = None,
                     backend_name: str | None = None, floor: str | None = None,
                     window_seconds: float = WINDOW_SECONDS,
                     progress: ChannelProgress | None = None) -> list[ChannelResult]:
    """Transcribe channels of an asset here and now. Every channel's backend is opened
    before the first starts: a missing model or a backend that cannot do a language
    fails before anything is done."""
    asset = archive.catalog.require(asset_id)
    plans = plan_channels(asset, _master(archive, asset), tracks, backend_name, floor)
    model = None if backend_name == "pocketsphinx" else speech_model(archive)
    engines = {p.track: backend(p.backend or backend_for(p.language, model), model)
               for p in plans}
    return [transcribe_plan(archive, asset_id, p, engines[p.track], window_seconds, progress)
            for p in plans]


def transcription_jobs(archive: Archive, asset: Asset, session: Any = None,
                       tracks: list[str] | None = None, backend_name: str | None = None,
                       floor: str | None = None,
                       window_seconds: float = WINDOW_SECONDS) -> list[str]:
    """Record one queued `transcribe` job per channel (inside `session`'s transaction when
    given); the caller puts them on the queue once committed. Returns their ids."""
    plans = plan_channels(asset, _master(archive, asset), tracks, backend_name, floor)
    return [archive.jobs.create(KIND, asset.asset_id, {
        "track": p.track, "language": p.language, "backend": p.backend,
        "window_seconds": window_seconds}, session=session) for p in plans]


def queue_transcription(archive: Archive, asset_id: str, tracks: list[str] | None = None,
                        backend_name: str | None = None, floor: str | None = None,
                        window_seconds: float = WINDOW_SECONDS) -> list[str]:
    """Queue one `transcribe` job per channel for the workers; returns their ids."""
    asset = archive.catalog.require(asset_id)
    ids = transcription_jobs(archive, asset, None, tracks, backend_name, floor, window_seconds)
    for job_id in ids:
        archive.queue.put(job_id)
    return ids


def run_transcribe(archive: Archive, job: Job, progress: Progress) -> None:
    """The `transcribe` job: one channel of `job.asset_id` (`track`, `language`,
    `backend`, `window_seconds` in its params), resumed where a killed run stopped."""
    p = job.params
    plan = ChannelPlan(str(p["track"]), str(p["language"]), p.get("backend"))
    model = None if plan.backend == "pocketsphinx" else speech_model(archive)
    progress(0.0, f"{plan.track}: loading the speech model")
    engine = backend(plan.backend or backend_for(plan.language, model), model)
    transcribe_plan(archive, job.asset_id or "", plan, engine,
                    float(p.get("window_seconds") or WINDOW_SECONDS),
                    lambda _track, fraction, step: progress(fraction, step))
