"""BagIt 1.0 bags of one asset (the `bagit` package), written whole or not at all, and
read back only when every byte checks out.

Layout of a bag's payload:

    data/record.json      the catalogue record (as `hexaglot show --json`)
    data/record.marcxml   the record in MARC 21
    data/events.jsonl     the preservation log, one `PreservationEvent` per line
    data/files/…          the asset's files (master, renditions, transcripts), at the
                          paths the caller names
    data/<name>           any further documents the caller adds (`extra`: what an
                          archive needs to restore the asset, e.g. `files.json`)

Manifests are SHA-256 and SHA-512. `write_bag` builds the bag in a hidden sibling
directory and renames it into place only once it is complete; a file whose bytes do
not hash to the SHA-256 the caller expects stops the export, naming the file.
(`bagit` changes the working directory while it hashes: run bags from the CLI or a
job, not from a web request thread.)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import bagit
from pydantic import ValidationError

from hexaglot.domain import Asset
from hexaglot.domain.events import PreservationEvent
from hexaglot.errors import BadInput, Conflict
from hexaglot.interop import marc, record_json
from hexaglot.interop.site import Site
from hexaglot.storage.checksum import sha256_file

CHECKSUMS = ["sha256", "sha512"]
FILES = "files"
CHUNK = 1 << 20


class BagInvalid(BadInput):
    """A bag is not one, or a byte of it changed (names the bag and the files)."""

    code = "bag_invalid"


@dataclass(frozen=True)
class BagFile:
    """One file to put in a bag: its path under `data/files/` (`master/meeting.mkv`), a
    function that opens its bytes, and the SHA-256 it must have, if known."""

    path: str
    open: Callable[[], BinaryIO]
    sha256: str | None = None


@dataclass(frozen=True)
class OpenedBag:
    """A validated bag: the record, its events, and its files by path under `files/`
    (each with the bag's SHA-256 of it)."""

    path: Path
    record: Asset
    events: list[PreservationEvent]
    files: dict[str, tuple[Path, str]] = field(default_factory=dict)

    def file_with(self, sha256: str) -> Path | None:
        """The bag's file with this SHA-256, if it holds one."""
        return next((p for p, s in self.files.values() if s == sha256), None)

    def document(self, name: str) -> bytes | None:
        """A further document of the payload (`data/<name>`, see `write_bag`'s `extra`)."""
        path = self.path / "data" / name
        if name in RESERVED or "/" in name or not path.is_file():
            return None
        return path.read_bytes()


#: The payload names a bag's own documents take (`extra` may use none of them).
RESERVED = ("record.json", "record.marcxml", "events.jsonl", FILES)


def _check_paths(files: Sequence[BagFile]) -> None:
    seen: set[str] = set()
    for f in files:
        p = PurePosixPath(f.path)
        if not f.path or p.is_absolute() or "\\" in f.path or \
                any(part in ("", ".", "..") for part in f.path.split("/")):
            raise BadInput(f"bag file path {f.path!r} must be relative, with no '.', '..' "
                           "or empty parts")
        if f.path in seen:
            raise BadInput(f"bag file path {f.path!r} is given twice")
        seen.add(f.path)


def _copy(f: BagFile, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with f.open() as src, open(target, "wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if f.sha256 and digest.hexdigest() != f.sha256:
        raise Conflict(f"file {f.path} reads with SHA-256 {digest.hexdigest()}, not the "
                       f"{f.sha256} the catalogue holds: it is damaged; not exported")


def _payload(tmp: Path, asset: Asset, site: Site, files: Sequence[BagFile],
             events: Sequence[PreservationEvent], extra: Mapping[str, bytes]) -> None:
    for name, data in extra.items():
        (tmp / name).write_bytes(data)
    (tmp / "record.json").write_bytes(record_json.render(asset, site))
    (tmp / "record.marcxml").write_bytes(marc.render_xml(asset, site))
    (tmp / "events.jsonl").write_text(
        "".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")
    for f in files:
        _copy(f, tmp / FILES / f.path)


def _check_extra(extra: Mapping[str, bytes]) -> None:
    for name in extra:
        if name in RESERVED or not name or "/" in name or "\\" in name or name.startswith("."):
            raise BadInput(f"bag document name {name!r} must be a plain file name other than "
                           f"{', '.join(RESERVED)}")


def write_bag(out: Path, asset: Asset, site: Site, files: Sequence[BagFile],
              events: Sequence[PreservationEvent] = (), agent: str = "hexaglot",
              extra: Mapping[str, bytes] | None = None) -> PreservationEvent:
    """Write the bag of `asset` at `out` (absent, or an empty directory) and return the
    `export` event, which the bag's own log already ends with. `extra` adds documents
    to the payload (`data/<name>`)."""
    _check_paths(files)
    _check_extra(extra or {})
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise Conflict(f"bag directory {out} already exists and is not empty")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    done = PreservationEvent(asset_id=asset.asset_id, event_type="export",
                             date=datetime.now(UTC), agent=agent, outcome="success",
                             detail=f"BagIt 1.0 bag {out.name} with {len(files)} file(s)")
    try:
        _payload(tmp, asset, site, files, [*events, done], extra or {})
        info = {"Source-Organization": site.name, "External-Identifier": asset.asset_id,
                "External-Description": asset.title[:200],
                "Bag-Software-Agent": agent}
        bag = bagit.make_bag(str(tmp), {k: v for k, v in info.items() if v},
                             checksums=CHECKSUMS)
        (tmp / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                                       encoding="utf-8")
        bag = bagit.Bag(str(tmp))
        bag.save()  # the tag manifests again, over the 1.0 bagit.txt
        bag.validate(fast=True)
        if out.exists():
            out.rmdir()
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return done


def _culprits(bag: bagit.Bag) -> list[bagit.BagError]:
    """What a failed Payload-Oxum (file count and bytes) points at: files missing from or
    unknown to the manifest, else the files whose SHA-256 changed (a truncated file)."""
    only_manifest, only_disk = bag.compare_manifests_with_fs()
    found: list[bagit.BagError] = [bagit.FileMissing(p) for p in only_manifest]
    found += [bagit.UnexpectedFile(p) for p in only_disk]
    if found:
        return found
    for rel, hashes in bag.payload_entries().items():
        now = sha256_file(Path(bag.path) / rel)
        if "sha256" in hashes and now != hashes["sha256"]:
            found.append(bagit.ChecksumMismatch(rel, "sha256", hashes["sha256"], now))
    return found


def _problems(bag: bagit.Bag, exc: bagit.BagValidationError) -> str:
    """One phrase per file at fault (a changed file is named once, by its SHA-256)."""
    said: dict[str, str] = {}
    for d in exc.details or _culprits(bag):
        if isinstance(d, bagit.ChecksumMismatch):
            if d.path not in said or d.algorithm == "sha256":
                said[d.path] = (f"{d.path} has changed ({d.algorithm} expected {d.expected}, "
                                f"found {d.found})")
        else:
            said[str(getattr(d, "path", d))] = str(d)
    text = list(said.values())
    if not text:
        return str(exc.message)
    return "; ".join(text[:5]) + (f" (+{len(text) - 5} more)" if len(text) > 5 else "")


def _first(exc: Exception) -> str:
    """The first two lines of an error (pydantic's name the field on the second)."""
    return " ".join(x.strip() for x in str(exc).splitlines()[:2])


def read_bag(path: Path) -> OpenedBag:
    """Open and fully validate a bag (every byte re-hashed); BagInvalid names the bag and
    each file that is missing, unexpected or changed."""
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError as exc:
        raise BagInvalid(f"{path} is not a valid bag: {exc}") from exc
    try:
        bag.validate()
    except bagit.BagValidationError as exc:
        raise BagInvalid(f"bag {path} fails validation: {_problems(bag, exc)}") from exc
    except bagit.BagError as exc:
        raise BagInvalid(f"{path} is not a valid bag: {exc}") from exc
    data = Path(bag.path) / "data"
    try:
        fields = json.loads((data / "record.json").read_text("utf-8"))
        for name in Asset.model_computed_fields:  # given in the JSON, not taken back
            fields.pop(name, None)
        record = Asset.model_validate(fields)
    except (OSError, ValueError, ValidationError) as exc:
        raise BagInvalid(f"bag {path}: data/record.json is not a catalogue record: "
                         f"{_first(exc)}") from exc
    events = []
    log = data / "events.jsonl"
    for n, line in enumerate(log.read_text("utf-8").splitlines() if log.exists() else [], 1):
        try:
            events.append(PreservationEvent.model_validate_json(line))
        except ValidationError as exc:
            raise BagInvalid(f"bag {path}: data/events.jsonl line {n} is not an event: "
                             f"{_first(exc)}") from exc
    prefix = f"data/{FILES}/"
    files = {rel[len(prefix):]: (Path(bag.path) / rel, hashes["sha256"])
             for rel, hashes in bag.payload_entries().items()
             if rel.replace(os.sep, "/").startswith(prefix) and "sha256" in hashes}
    return OpenedBag(Path(bag.path), record, events, files)
