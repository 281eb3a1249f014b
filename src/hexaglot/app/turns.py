"""Speaker turns: each drafted speaker's start and end proposed from the floor transcript
(`speech.turns`), kept on the meeting's speakers as suggestions; a cataloguer confirms a
turn (`hexaglot edit ID --speaker N`, `PATCH /api/assets/{id}`), and a confirmed turn
becomes a statement clip in one action (`clip_turn`).

Proposals are made from the floor channel's transcript (`original`, in the language
spoken on it), else the English channel's, whenever that transcript is stored; a speaker
the cataloguer confirmed keeps its times.
"""

from __future__ import annotations

from collections import Counter

from hexaglot.app.archive import Archive
from hexaglot.app.clipping import make_clip
from hexaglot.catalog import UnknownAsset, Writer
from hexaglot.domain import Asset, Segment, preferred_segments
from hexaglot.domain.languages import OFFICIAL_LANGUAGES
from hexaglot.errors import Conflict
from hexaglot.speech.contract import SpeechSegment
from hexaglot.speech.turns import TurnProposal, apply_turns, propose_turns

#: The tracks proposals are made from, in order of preference.
TURN_TRACKS = ("original", "en")
#: The floor's spoken language when nothing says otherwise: English, the language most
#: statements at UN Headquarters meetings are made in.
FLOOR_DEFAULT = "en"


def floor_language(asset: Asset) -> str:
    """The language spoken on the floor channel, for transcribing it: the language most
    of the drafted speakers speak, when their languages are known; else English."""
    spoken = Counter(s.language for s in asset.speakers if s.language in OFFICIAL_LANGUAGES)
    if spoken:
        return sorted(spoken.items(), key=lambda kv: (-kv[1], OFFICIAL_LANGUAGES.index(kv[0])))[0][0]
    return FLOOR_DEFAULT


def _speech(segments: list[Segment], language: str) -> list[SpeechSegment]:
    return [SpeechSegment(s.start, s.end, s.text, language, s.model or "", s.confidence or 0.0)
            for s in segments]


def propose_in(tx: Writer, asset_id: str, track: str, language: str) -> list[TurnProposal]:
    """Inside a transaction that stored `track`'s transcript: propose the speakers' turns
    from it when it is the track turns come from, and keep them as suggestions."""
    asset = tx.get(asset_id)
    if asset is None:
        raise UnknownAsset(asset_id)
    segments = preferred_segments(tx.segments(asset_id))
    present = {s.language for s in segments}
    source = next((t for t in TURN_TRACKS if t in present), None)
    if source != track or not asset.speakers:
        return []
    spoken = [s for s in segments if s.language == track]
    proposals = propose_turns(asset.speakers, _speech(spoken, language), language)
    speakers = apply_turns(asset.speakers, proposals)
    if speakers != asset.speakers:
        asset.speakers = speakers
        tx.save(asset)
    return proposals


def clip_turn(archive: Archive, parent_id: str, number: int,
              title: str | None = None, actor: str | None = None) -> tuple[Asset, str]:
    """Cut speaker `number`'s confirmed turn (1-based) as a statement clip; returns (clip,
    derive job id). A turn still `suggested` is refused: a cataloguer confirms it first."""
    parent = archive.catalog.require(parent_id)
    if not 1 <= number <= len(parent.speakers):
        raise Conflict(f"asset {parent_id} has {len(parent.speakers)} speaker(s); there is "
                       f"no speaker {number}")
    who = parent.speakers[number - 1]
    if who.start is None or who.end is None:
        raise Conflict(f"speaker {number} of {parent_id} has no turn yet: transcribe the floor "
                       f"channel (hexaglot transcribe {parent_id}) or set its start and end")
    if who.status != "confirmed":
        raise Conflict(f"speaker {number}'s turn ({who.start:g}-{who.end:g} s) is a "
                       f"suggestion: confirm it first (hexaglot edit {parent_id} --speaker "
                       f"{number}, or PATCH /api/assets/{parent_id} with speakers "
                       f"[{{\"number\": {number}}}])")
    return make_clip(archive, parent_id, None, None, title, number, actor)
