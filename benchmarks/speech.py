"""Benchmark: speech to text, word error rate and real-time factor per backend and language.

Measured in one run, one CPU thread per backend (the figures are per core):

  (a) real recorded speech: the LibriVox utterances (English, 16 kHz, with their reference
      text) that ship in the source distribution of pocketsphinx 5.1.1 on PyPI
      (`test/data/librivox/`), fetched once with `pip download --no-binary :all:`;
  (b) synthetic speech: known sentences in the six languages spoken by espeak-ng. Synthetic
      speech flatters some languages and defeats others (espeak-ng's Arabic has no vowel
      marks to read, its Mandarin tones are rough), so (a) and (b) are printed apart;
  (c) a generated 10-minute meeting recording with seven channels (the floor in English,
      then one channel per official language: espeak-ng sentences with pauses), every
      channel transcribed as the job does it (`speech.transcribe`, 120 s windows); the
      real-time factor per core is CPU seconds / audio seconds over all channels, and the
      projection for a 3-hour meeting on 2 cores is 3 h x 7 channels x RTF / 2.

Word error rate is jiwer's WER on casefolded text without punctuation; for Chinese it is the
character error rate (CER), Chinese having no spaces between words.

    .venv/bin/python benchmarks/speech.py [--minutes 10] [--skip-meeting] [--backend NAME]

Needs the speech extra (`pip install -e '.[speech]'`) and espeak-ng.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
import wave
from pathlib import Path

import imageio_ffmpeg
import jiwer
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from hexaglot.domain.languages import OFFICIAL_LANGUAGES  # noqa: E402
from hexaglot.speech.audio import samples  # noqa: E402
from hexaglot.speech.backends import open_backend  # noqa: E402
from hexaglot.speech.checkpoint import MemoryCheckpoint  # noqa: E402
from hexaglot.speech.contract import SAMPLE_RATE, SpeechBackend  # noqa: E402
from hexaglot.speech.models import resolve_model  # noqa: E402
from hexaglot.speech.transcribe import Channel, transcribe_channel  # noqa: E402
from hexaglot.speech.whisper import FasterWhisperBackend, WhisperOptions  # noqa: E402

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
POCKETSPHINX_SDIST = "pocketsphinx==5.1.1"
VOICES = {"ar": "ar", "zh": "cmn", "en": "en-us", "fr": "fr", "ru": "ru", "es": "es"}
TAGS = {"ar": "ara", "zh": "zho", "en": "eng", "fr": "fra", "ru": "rus", "es": "spa"}
SENTENCES = {
    "en": ["The Council will now vote on the draft resolution before it.",
           "Water scarcity is a growing threat to peace in many regions.",
           "My delegation thanks the Secretary-General for his report.",
           "We call on all parties to respect the ceasefire agreement."],
    "fr": ["Le Conseil va maintenant voter sur le projet de résolution.",
           "La pénurie d'eau menace la paix dans de nombreuses régions.",
           "Ma délégation remercie le Secrétaire général de son rapport.",
           "Nous demandons à toutes les parties de respecter le cessez-le-feu."],
    "es": ["El Consejo votará ahora sobre el proyecto de resolución.",
           "La escasez de agua amenaza la paz en muchas regiones.",
           "Mi delegación agradece al Secretario General su informe.",
           "Pedimos a todas las partes que respeten el alto el fuego."],
    "ru": ["Совет сейчас проведет голосование по проекту резолюции.",
           "Нехватка воды угрожает миру во многих регионах.",
           "Моя делегация благодарит Генерального секретаря за доклад.",
           "Мы призываем все стороны соблюдать соглашение о прекращении огня."],
    "zh": ["安理会现在就决议草案进行表决。",
           "缺水正在威胁许多地区的和平。",
           "我国代表团感谢秘书长的报告。",
           "我们呼吁各方遵守停火协议。"],
    "ar": ["سيصوت المجلس الآن على مشروع القرار المعروض عليه.",
           "ندرة المياه تهدد السلام في مناطق كثيرة.",
           "يشكر وفدي الأمين العام على تقريره.",
           "ندعو جميع الأطراف إلى احترام اتفاق وقف إطلاق النار."],
}


def plain(text: str) -> str:
    """Casefolded text without punctuation, one space between words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c if unicodedata.category(c)[0] in "LNZ" or c == "'" else " " for c in text)
    return " ".join(text.split())


def error_rate(refs: list[str], hyps: list[str], language: str) -> float:
    """Corpus WER (CER for Chinese) of hypotheses against references."""
    refs, hyps = [plain(r) for r in refs], [plain(h) for h in hyps]
    if language == "zh":
        return jiwer.cer([r.replace(" ", "") for r in refs], [h.replace(" ", "") for h in hyps])
    return jiwer.wer(refs, [h or "" for h in hyps])


def read(path: Path) -> np.ndarray:
    """A file's first audio stream as 16 kHz mono float32 (the archive's own reader)."""
    return np.concatenate(list(samples(path, 1)))


def librivox(cache: Path) -> list[tuple[np.ndarray, str]]:
    """The LibriVox utterances of pocketsphinx's source distribution with their text."""
    target = cache / "pocketsphinx-sdist"
    if not any(target.glob("*.tar.gz")):
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                        "--no-binary", ":all:", "-d", str(target), POCKETSPHINX_SDIST], check=True)
    tarball = next(target.glob("*.tar.gz"))
    out = []
    with tarfile.open(tarball) as tar:
        members = sorted((m for m in tar.getmembers() if "test/data/librivox/" in m.name
                          and m.name.endswith((".wav", ".txt"))), key=lambda m: m.name)
        tar.extractall(target / "x", members=members, filter="data")
    for wav in sorted((target / "x").rglob("librivox/*.wav")):
        out.append((read(wav), wav.with_suffix(".txt").read_text().strip()))
    return out


def spoken(text: str, language: str, work: Path) -> np.ndarray:
    """espeak-ng speaking `text` (16 kHz mono float32)."""
    wav = work / f"say-{abs(hash((text, language)))}.wav"
    subprocess.run(["espeak-ng", "-v", VOICES[language], "-s", "150", "-w", str(wav), text],
                   check=True)
    return read(wav)


def measure(backend: SpeechBackend, clips: list[tuple[np.ndarray, str]],
            language: str) -> tuple[float, float, float]:
    """(error rate, RTF from CPU time, RTF from wall time) over the clips."""
    hyps, cpu, wall, audio = [], 0.0, 0.0, 0.0
    for clip, _ref in clips:
        c0, w0 = time.process_time(), time.perf_counter()
        hyps.append(" ".join(s.text for s in backend.transcribe(clip, language)))
        cpu, wall = cpu + time.process_time() - c0, wall + time.perf_counter() - w0
        audio += len(clip) / SAMPLE_RATE
    return error_rate([r for _, r in clips], hyps, language), cpu / audio, wall / audio


def track(language: str, seconds: float, work: Path, shift: int) -> Path:
    """A mono WAV of `seconds`: the language's sentences in turn, 1.5 s apart, 6 s of
    silence after every fourth (a speaker change)."""
    said = [spoken(t, language, work) for t in SENTENCES[language]]
    out, k = [], shift
    total = 0
    while total < seconds * SAMPLE_RATE:
        piece = said[k % len(said)]
        gap = np.zeros(int(SAMPLE_RATE * (6.0 if k % 4 == 3 else 1.5)), dtype=np.float32)
        out += [piece, gap]
        total += len(piece) + len(gap)
        k += 1
    data = np.concatenate(out)[: int(seconds * SAMPLE_RATE)]
    path = work / f"track-{language}-{shift}.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def meeting(seconds: float, work: Path) -> tuple[Path, list[str]]:
    """A seven-channel recording: the floor (English) then the six; returns the path and
    the spoken language of each audio stream in order."""
    langs = ["en", *OFFICIAL_LANGUAGES]
    wavs = [track(lang, seconds, work, shift=1 if i == 0 else 0) for i, lang in enumerate(langs)]
    args = [FFMPEG, "-y", "-v", "error", "-f", "lavfi", "-i",
            f"testsrc=size=320x180:rate=5:duration={seconds}"]
    maps = ["-map", "0:v"]
    for i, (wav, lang) in enumerate(zip(wavs, langs, strict=True)):
        args += ["-i", str(wav)]
        maps += ["-map", f"{i + 1}:a", f"-metadata:s:a:{i}",
                 f"language={'mul' if i == 0 else TAGS[lang]}"]
    path = work / "meeting.mkv"
    subprocess.run([*args, *maps, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    "-b:a", "64k", str(path)], check=True)
    return path, langs


def backends(names: list[str], cache: Path) -> dict[str, SpeechBackend]:
    out: dict[str, SpeechBackend] = {}
    if "faster-whisper" in names:
        out["faster-whisper"] = FasterWhisperBackend(resolve_model(os.environ.get(
            "HEXAGLOT_SPEECH_MODEL"), cache / "models"), WhisperOptions(cpu_threads=1))
    if "pocketsphinx" in names:
        out["pocketsphinx"] = open_backend("pocketsphinx")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--skip-meeting", action="store_true")
    parser.add_argument("--backend", action="append", choices=["faster-whisper", "pocketsphinx"])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "hexaglot-bench")
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    names = args.backend or ["faster-whisper", "pocketsphinx"]
    engines = backends(names, args.cache)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'backend':15} {'language':9} {'speech':22} {'WER':>6} {'RTF cpu':>8} {'RTF wall':>9}")
    real = librivox(args.cache)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, engine in engines.items():
            err, cpu, wall = measure(engine, real, "en")
            print(f"{name:15} {'en':9} {'real (LibriVox, 25 s)':22} {err:6.3f} {cpu:8.3f} {wall:9.3f}")
            for lang in sorted(engine.languages):
                clips = [(spoken(t, lang, work), t) for t in SENTENCES[lang]]
                err, cpu, wall = measure(engine, clips, lang)
                label = "CER" if lang == "zh" else "WER"
                print(f"{name:15} {lang:9} {'synthetic (espeak-ng)':22} {err:6.3f} {cpu:8.3f} "
                      f"{wall:9.3f}" + ("  (CER)" if label == "CER" else ""))
        if not args.skip_meeting:
            run_meeting(engines, args.minutes * 60, work)


def run_meeting(engines: dict[str, SpeechBackend], seconds: float, work: Path) -> None:
    path, langs = meeting(seconds, work)
    print(f"\nmeeting: {seconds / 60:g} min, {len(langs)} channels ({path.stat().st_size >> 20} MiB)")
    for name, engine in engines.items():
        cpu_total, wall_total, audio = 0.0, 0.0, 0.0
        for stream, lang in enumerate(langs, start=1):
            if lang not in engine.languages:
                continue
            c0, w0 = time.process_time(), time.perf_counter()
            result = transcribe_channel(Channel(path, stream, lang), engine, MemoryCheckpoint())
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            cpu_total, wall_total, audio = cpu_total + cpu, wall_total + wall, audio + seconds
            words = sum(len(s.words) for s in result.segments)
            print(f"  {name:15} stream {stream} ({lang}): {cpu:7.1f} s CPU, {wall:7.1f} s wall, "
                  f"{len(result.segments)} segments, {words} words, RTF {cpu / seconds:.3f}")
        if audio:
            rtf, channels = cpu_total / audio, round(audio / seconds)
            print(f"  {name}: RTF per core {rtf:.3f} (CPU), {wall_total / audio:.3f} (wall) over "
                  f"{channels} channels; a 3-hour meeting, {channels} channels, 2 cores: "
                  f"{3 * channels * rtf / 2:.2f} h")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
