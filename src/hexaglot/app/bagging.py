"""BagIt bags of one asset: exported from one archive, imported into another.

A bag (`interop.bag`) holds the record as JSON and MARCXML, the preservation log, and
every file: the master (`files/master/…`), every registered rendition file
(`files/renditions/<path>`) and the transcripts (`files/transcripts/<lang>.vtt`), each
read through the blob store and checked against its SHA-256 while copied. Two more
documents say what the catalogue needs to restore it: `files.json` (the master's tracks
and span, and for every file its rendition, language, served path and media type) and
`segments.jsonl` (the transcript cues, one per line).

Importing validates the whole bag first (every byte re-hashed): a bag with a changed
byte is refused with the file it names, and nothing is stored. Then the blobs are
stored (a blob is named by its SHA-256, so an interrupted import leaves no wrong file),
and the record, master, files, cues and events in one transaction, with an `import`
event: the same record, the same checksums.
"""

from __future__ import annotations

import mimetypes
from functools import partial
from pathlib import Path

from pydantic import Field, ValidationError

from hexaglot.app.archive import Archive
from hexaglot.app.exporting import site_of
from hexaglot.app.preservation import agent, event, intact_copy
from hexaglot.app.transcripts import TRANSCRIPT, transcript_path
from hexaglot.app.viewing import get_asset
from hexaglot.catalog.fixity import FAILING
from hexaglot.domain import Asset, Audience, Master, RenditionFile, Segment
from hexaglot.domain.events import PreservationEvent
from hexaglot.domain.records import Record
from hexaglot.errors import BadInput, Conflict
from hexaglot.interop.bag import BagFile, BagInvalid, OpenedBag, read_bag, write_bag
from hexaglot.storage import BlobStore

FILES_DOCUMENT, SEGMENTS_DOCUMENT = "files.json", "segments.jsonl"


class BagMaster(Master):
    """The master as a bag's `files.json` gives it: where in the bag, and its type."""

    file: str
    media_type: str = "application/octet-stream"


class BagRendition(RenditionFile):
    """A rendition file as a bag's `files.json` gives it: where in the bag."""

    file: str


class BagContents(Record):
    """A bag's `files.json`."""

    master: BagMaster | None = None
    files: list[BagRendition] = Field(default_factory=list)

    def named(self) -> list[BagMaster | BagRendition]:
        """Every file it names, the master first."""
        return [*([self.master] if self.master else []), *self.files]


def _master_store(archive: Archive, master: Master) -> BlobStore:
    """The primary store, unless the audit found its copy failing (then an intact one)."""
    state = archive.fixity.states([master.sha256]).get(master.sha256)
    if state is not None and state.outcome in FAILING:
        return intact_copy(archive, master.sha256, f"master of asset {master.asset_id}")
    return archive.blobs


def _contents(archive: Archive, asset: Asset) -> tuple[BagContents, list[BagFile]]:
    master = archive.catalog.master(asset.asset_id)
    contents, files = BagContents(), list[BagFile]()
    if master is not None:
        fmt = next((f for f in asset.formats if f.rendition == "master"), None)
        media_type = fmt.media_type if fmt else "application/octet-stream"
        name = f"master/{master.sha256}{mimetypes.guess_extension(media_type) or ''}"
        store = _master_store(archive, master)
        contents.master = BagMaster(**master.model_dump(), file=name, media_type=media_type)
        files.append(BagFile(name, partial(store.open, master.sha256), master.sha256))
    for f in archive.catalog.rendition_files(asset.asset_id):
        vtt = f.rendition == TRANSCRIPT and f.language and f.path == transcript_path(f.language)
        name = f"transcripts/{f.language}.vtt" if vtt else f"renditions/{f.path}"
        contents.files.append(BagRendition(**f.model_dump(), file=name))
        files.append(BagFile(name, partial(archive.blobs.open, f.sha256), f.sha256))
    return contents, files


def export_bag(archive: Archive, asset_id: str, out: Path) -> PreservationEvent:
    """Write the bag of an asset (any the archive holds: bags are preservation copies)
    at `out`; the `export` event, also in the asset's log."""
    asset = get_asset(archive, asset_id, Audience.STAFF)
    contents, files = _contents(archive, asset)
    cues = archive.catalog.segments(asset.asset_id)
    extra = {FILES_DOCUMENT: contents.model_dump_json(indent=2).encode(),
             SEGMENTS_DOCUMENT: "".join(s.model_dump_json() + "\n" for s in cues).encode()}
    done = write_bag(out, asset, site_of(archive), files,
                     archive.events.events(asset.asset_id, limit=None), agent("export"), extra)
    archive.events.append([done])
    return done


def _read_contents(bag: OpenedBag) -> tuple[BagContents, list[Segment]]:
    where = f"bag {bag.path}"
    try:
        contents = BagContents.model_validate_json(bag.document(FILES_DOCUMENT) or b"{}")
        lines = (bag.document(SEGMENTS_DOCUMENT) or b"").decode("utf-8").splitlines()
        cues = [Segment.model_validate_json(x) for x in lines if x.strip()]
    except (ValidationError, UnicodeDecodeError) as exc:
        first = " ".join(str(exc).splitlines()[:2])
        raise BagInvalid(f"{where}: data/{FILES_DOCUMENT} or data/{SEGMENTS_DOCUMENT} is not "
                         f"what Hexaglot writes: {first}") from exc
    for f in contents.named():
        held = bag.files.get(f.file)
        if held is None or held[1] != f.sha256:
            raise BagInvalid(f"{where}: data/{FILES_DOCUMENT} names files/{f.file} with "
                             f"SHA-256 {f.sha256}, which the bag does not hold")
    if any(c.asset_id != bag.record.asset_id for c in cues) or (
            contents.master and contents.master.asset_id != bag.record.asset_id):
        raise BagInvalid(f"{where}: its cues or master belong to another asset than "
                         f"{bag.record.asset_id}")
    return contents, cues


def _check_target(archive: Archive, record: Asset) -> None:
    if archive.catalog.get(record.asset_id) is not None:
        raise Conflict(f"asset {record.asset_id} is already in this archive; nothing imported")
    if record.parent_id and archive.catalog.get(record.parent_id) is None:
        raise BadInput(f"asset {record.asset_id} is a clip of asset {record.parent_id}, which "
                       "this archive does not hold: import the bag of its meeting first")


def _store_blobs(archive: Archive, bag: OpenedBag, contents: BagContents) -> None:
    for f in contents.named():
        path = bag.files[f.file][0]
        archive.blobs.put_file(path, expected_sha256=f.sha256)
        if f is contents.master and archive.replica is not None:
            archive.replica.put_file(path, expected_sha256=f.sha256)


def import_bag(archive: Archive, path: Path) -> Asset:
    """Restore the asset of a bag (see the module docstring); `BagInvalid` (nothing
    stored) when any byte of it changed."""
    bag = read_bag(path)
    record = bag.record
    contents, cues = _read_contents(bag)
    _check_target(archive, record)
    _store_blobs(archive, bag, contents)
    files = [RenditionFile(**f.model_dump(exclude={"file"})) for f in contents.files]
    with archive.catalog.transaction(action="import") as tx:
        tx.save(record)
        if contents.master is not None:
            tx.save_master(Master(**contents.master.model_dump(exclude={"file", "media_type"})))
        tx.replace_formats(record.asset_id, (), [], files)
        if cues:
            tx.add_segments(record.asset_id, cues)
        archive.events.append([*bag.events, event(
            record.asset_id, "import", "import bag",
            f"restored from bag {Path(path).name}: the record, {len(files)} rendition files"
            f"{', the master' if contents.master else ''} and {len(cues)} transcript cues, "
            "every byte checked against the bag's manifests")], session=tx.session)
    archive.changed()
    return archive.catalog.require(record.asset_id)
