"""Rendition profiles as data: `profiles.yaml` beside this module, overridable per
deployment by `$HEXAGLOT_HOME/profiles.yaml`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from hexaglot.config import Settings


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rung(_Model):
    """One rung of the video ladder."""

    name: str
    height: int
    bitrate: str
    maxrate: str


class AudioProfile(_Model):
    """How an audio track is encoded."""

    codec: str = "aac"
    bitrate: str = "96k"
    channels: int = 2
    sample_rate: int = 48000


class HlsProfile(_Model):
    """The HLS package: ladder, codec, segment length and audio."""

    segment_seconds: int
    video: list[Rung]
    video_codec: str = "libx264"
    preset: str = "veryfast"
    audio: AudioProfile


class SplitProfile(_Model):
    """When a derive is split into parts for several workers, and into how many: by
    track from `min_seconds`, and the video ladder by time window (`window_seconds`
    each) from `window_min_seconds`."""

    min_seconds: float = 600.0
    audio_parts: int = Field(default=1, ge=1)
    window_seconds: int = Field(default=1200, gt=0)
    window_min_seconds: float = 2400.0


class Profiles(_Model):
    """Every rendition profile."""

    hls: HlsProfile
    mp4: dict[str, str]
    audio_mp3: dict[str, Any]
    poster: dict[str, float]
    thumbnails: dict[str, int]
    waveform: dict[str, int]
    split: SplitProfile = SplitProfile()

    @model_validator(mode="after")
    def _windows_fit_segments(self) -> Profiles:
        seconds, segment = self.split.window_seconds, self.hls.segment_seconds
        if seconds % segment:
            raise ValueError(f"split.window_seconds ({seconds}) must be a multiple of "
                             f"hls.segment_seconds ({segment}): a window ends on a segment "
                             "boundary")
        return self

    def ladder(self, source_height: int) -> list[Rung]:
        """The rungs a source of this height allows (never upscale; keep at least one)."""
        rungs = sorted(self.hls.video, key=lambda r: r.height)
        fitting = [r for r in rungs if r.height <= source_height]
        return fitting or rungs[:1]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(
            out.get(key), dict) else value
    return out


def load_profiles(settings: Settings | None = None) -> Profiles:
    """The packaged profiles, with a deployment's `profiles.yaml` in the home merged over."""
    text = resources.files("hexaglot.media").joinpath("profiles.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if settings is not None:
        custom = Path(settings.resolved_home) / "profiles.yaml"
        if custom.is_file():
            data = _merge(data, yaml.safe_load(custom.read_text("utf-8")) or {})
    return Profiles.model_validate(data)
