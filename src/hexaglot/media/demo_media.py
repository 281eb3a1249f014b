"""A short generated meeting for `hexaglot demo`: a test-pattern video with seven audio
tracks (floor + six interpretations), spoken by espeak-ng where it is installed, tones
otherwise. Nothing here comes from a real meeting."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from hexaglot.media.ffmpeg import ffmpeg_exe
from hexaglot.media.renditions import ISO639_2

#: One sentence per track, written for the demo, and the espeak-ng voice that reads it.
SENTENCES: dict[str, tuple[str, str]] = {
    "original": ("en-us", "The meeting is called to order. I now give the floor to the "
                          "Deputy Secretary-General."),
    "ar": ("ar", "افتتحت الجلسة. الكلمة الآن للمتحدث الأول في القائمة."),
    "zh": ("cmn", "会议开始。现在请名单上的第一位发言者发言。"),
    "en": ("en-gb", "The meeting is called to order. I give the floor to the first speaker."),
    "fr": ("fr", "La séance est ouverte. Je donne la parole au premier orateur inscrit."),
    "ru": ("ru", "Заседание объявляется открытым. Слово предоставляется первому оратору."),
    "es": ("es", "Se abre la sesión. Tiene la palabra el primer orador de la lista."),
}


def _speak(voice: str, text: str, out: Path) -> bool:
    """Write `text` spoken by espeak-ng to a WAV file; False when that is not possible."""
    exe = shutil.which("espeak-ng")
    if not exe:
        return False
    done = subprocess.run([exe, "-v", voice, "-s", "150", "-w", str(out), text],
                          capture_output=True, timeout=60)
    return done.returncode == 0 and out.is_file() and out.stat().st_size > 1000


def make_demo_meeting(path: str | Path, seconds: float = 20) -> Path:
    """Write a `seconds`-long 640x360 meeting recording with seven tagged audio tracks."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        args = [ffmpeg_exe(), "-y", "-v", "error", "-f", "lavfi",
                "-i", f"testsrc2=size=640x360:rate=25:duration={seconds}"]
        for i, (lang, (voice, text)) in enumerate(SENTENCES.items()):
            wav = Path(tmp) / f"{lang}.wav"
            if _speak(voice, text, wav):
                args += ["-i", str(wav)]
            else:
                args += ["-f", "lavfi", "-i", f"sine=frequency={220 + 110 * i}:duration={seconds}"]
        filters = ";".join(f"[{i + 1}:a]aresample=48000,apad=whole_dur={seconds}[a{i}]"
                           for i in range(len(SENTENCES)))
        args += ["-filter_complex", filters, "-map", "0:v"]
        for i, lang in enumerate(SENTENCES):
            args += ["-map", f"[a{i}]", f"-metadata:s:a:{i}", f"language={ISO639_2[lang]}"]
        args += ["-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt",
                 "yuv420p", "-c:a", "aac", "-b:a", "64k", str(path)]
        subprocess.run(args, check=True, capture_output=True)
    return path
