"""Statement clips: the span of a meeting's master a clip covers, checked.

A clip is a child asset of a meeting whose renditions are cut, frame-accurately, from the
meeting's master in every language the meeting has (the derive pipeline with a span)."""

from __future__ import annotations

from hexaglot.domain import Asset, Master
from hexaglot.errors import BadInput


class ClipError(BadInput):
    """A clip cannot be made as asked."""


def clip_span(parent: Asset, master: Master, start: float | None, end: float | None,
              speaker: int | None) -> tuple[float, float]:
    """The (start, end) in seconds of a clip of `parent`: as given, or speaker N's turn
    (1-based) where a bound is not given; ClipError saying what is wrong otherwise."""
    if speaker is not None:
        if not 1 <= speaker <= len(parent.speakers):
            raise ClipError(f"asset {parent.asset_id} has {len(parent.speakers)} speaker(s); "
                            f"there is no speaker {speaker}")
        who = parent.speakers[speaker - 1]
        start = who.start if start is None else start
        end = who.end if end is None else end
        if start is None or end is None:
            raise ClipError(f"speaker {speaker} ({who.name}) has no known start and end; "
                            "give --start and --end")
    if start is None or end is None:
        raise ClipError("give --start and --end (or --speaker N)")
    if not 0 <= start < end:
        raise ClipError(f"the clip must start before it ends (got {start} to {end})")
    if end > master.duration + 0.5:
        raise ClipError(f"the clip ends at {end:.1f} s but the recording lasts "
                        f"{master.duration:.1f} s")
    return start, min(end, master.duration)
