"""Audio waveform peaks for the player, from mono 16-bit PCM that ffmpeg writes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def peaks_from_pcm(raw: Path, sample_rate: int, peaks_per_second: int) -> list[float]:
    """The maximum absolute amplitude (0–1) in each 1/peaks_per_second window."""
    samples = np.fromfile(raw, dtype="<i2")
    window = max(1, sample_rate // peaks_per_second)
    if samples.size == 0:
        return []
    pad = (-samples.size) % window
    frames = np.pad(np.abs(samples.astype(np.int32)), (0, pad)).reshape(-1, window)
    return [round(float(v) / 32768.0, 3) for v in frames.max(axis=1)]


def write_peaks(raw: Path, out: Path, sample_rate: int, peaks_per_second: int,
                language: str) -> None:
    """Write `{"language", "peaks_per_second", "peaks": [...]}` as JSON."""
    peaks = peaks_from_pcm(raw, sample_rate, peaks_per_second)
    out.write_text(json.dumps({"language": language, "peaks_per_second": peaks_per_second,
                               "peaks": peaks}, separators=(",", ":")), "utf-8")
