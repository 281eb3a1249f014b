"""Generated speech for the speech tests: espeak-ng phrases placed at known times on the
audio tracks of a generated test-pattern video (ffmpeg from imageio-ffmpeg)."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import pytest

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed "
                                  "(apt-get install espeak-ng; .ci/run installs it)")


@dataclass(frozen=True)
class Phrase:
    """`text` spoken by espeak-ng voice `voice` from `at` seconds; `duration` once made."""

    text: str
    voice: str
    at: float
    duration: float = 0.0


def speak(text: str, voice: str, path: Path) -> float:
    """Speak `text` into a WAV file; its duration in seconds."""
    assert ESPEAK is not None
    subprocess.run([ESPEAK, "-v", voice, "-s", "140", "-w", str(path), text], check=True)
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def make_hearing(path: Path, tracks: list[tuple[str, list[Phrase]]],
                 seconds: float) -> list[list[Phrase]]:
    """A video with one audio track per (ISO 639-2 tag, phrases) entry; a track without
    phrases is silent. Returns the phrases with their durations, per track."""
    args = [FFMPEG, "-y", "-v", "error", "-f", "lavfi", "-i",
            f"testsrc=size=160x90:rate=10:duration={seconds}"]
    filters, maps, placed = [], ["-map", "0:v"], []
    n = 1
    for k, (tag, phrases) in enumerate(tracks):
        labels, done = [], []
        for j, p in enumerate(phrases):
            wav = path.with_name(f"{path.stem}-{k}-{j}.wav")
            done.append(Phrase(p.text, p.voice, p.at, speak(p.text, p.voice, wav)))
            args += ["-i", str(wav)]
            filters.append(f"[{n}:a]aresample=22050,adelay=delays={round(p.at * 1000)}:all=1[p{n}]")
            labels.append(f"[p{n}]")
            n += 1
        args += ["-f", "lavfi", "-t", str(seconds), "-i", "anullsrc=r=22050:cl=mono"]
        labels.append(f"[{n}:a]")
        n += 1
        filters.append("".join(labels) + f"amix=inputs={len(labels)}:normalize=0:duration=longest,"
                       f"apad=whole_dur={seconds}[t{k}]")
        maps += ["-map", f"[t{k}]", f"-metadata:s:a:{k}", f"language={tag}"]
        placed.append(done)
    args += ["-filter_complex", ";".join(filters), *maps, "-c:v", "libx264", "-preset",
             "ultrafast", "-c:a", "aac", "-b:a", "48k", "-t", str(seconds), str(path)]
    subprocess.run(args, check=True)
    return placed


def sounds_like(heard: str, word: str) -> bool:
    """`heard` is `word`, or a near homophone of it: the same first five letters of a long
    word, or most of its letters in order. (Whisper base hears espeak-ng's synthetic
    "Security Council" as "secure ready counsel" on some CPUs: the recogniser works, the
    voice is poor.)"""
    heard, word = heard.casefold().strip(".,;:!?¡¿"), word.casefold()
    if heard == word:
        return True
    if len(word) >= 6 and len(heard) >= 5 and heard[:5] == word[:5]:
        return True
    return len(heard) >= 4 and difflib.SequenceMatcher(None, heard, word).ratio() >= 0.7


def word_times(segments, word: str) -> list[float]:
    """Start times of every recognised word that is `word` or sounds like it (case and
    punctuation aside)."""
    return [w.start for s in segments for w in s.words if sounds_like(w.text, word)]


def pocketsphinx_or_skip() -> None:
    """Skip the test when pocketsphinx (the `speech` extra) is not installed."""
    import importlib.util

    if importlib.util.find_spec("pocketsphinx") is None:
        pytest.skip("pocketsphinx is not installed: pip install -e '.[speech]'")


def whisper_model_or_skip(cache: Path):
    """The packaged Whisper model (assembled under `cache`), or skip saying how to get it."""
    import importlib.util

    from hexaglot.speech.models import installed_model, resolve_model

    if importlib.util.find_spec("faster_whisper") is None:
        pytest.skip("faster-whisper is not installed: pip install -e '.[speech]'")
    if installed_model() is None:
        pytest.skip("the packaged Whisper model is not installed: pip install -e '.[speech]'")
    return resolve_model(None, cache)


def catalogue_meeting(archive, media: Path, title: str = "A hearing", speakers=()):  # noqa: ANN001, ANN201
    """A published meeting asset with `media` as its master, stored without a derive job
    (for tests that need a master but no renditions); returns its asset id."""
    from hexaglot.domain import Asset, Master
    from hexaglot.media.probe import probe

    p = probe(media)
    blob = archive.blobs.put_file(media)
    asset = archive.catalog.save(Asset(
        asset_id=archive.catalog.new_asset_id(), title=title, status="published",
        available_languages=p.languages, duration_seconds=round(p.duration),
        speakers=list(speakers)))
    archive.catalog.save_master(Master(asset_id=asset.asset_id, sha256=blob.sha256,
                                       tracks=p.tracks, height=p.video.height,
                                       duration=p.duration))
    return asset.asset_id


def model_directory(tmp_path_factory) -> Path:  # noqa: ANN001
    """The packaged Whisper model assembled once for the session (skip when it is not
    installed): set `HEXAGLOT_SPEECH_MODEL` to it so archives do not assemble their own."""
    return whisper_model_or_skip(tmp_path_factory.getbasetemp() / "speech-models").path
