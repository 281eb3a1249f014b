"""BagIt 1.0 bags: written with `bagit`, validated, read back to the same record and
files; a changed byte, a damaged source file, unsafe paths and an occupied target are
refused with an error naming what is wrong, and nothing is left half-written."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import bagit
import pymarc
import pytest

from hexaglot.domain.events import PreservationEvent
from hexaglot.errors import BadInput, Conflict
from hexaglot.interop.bag import BagFile, BagInvalid, read_bag, write_bag
from tests.interop_records import SITE, meeting

MASTER = bytes(range(256)) * 400
FILES = {"master/meeting.mkv": MASTER, "renditions/hls/360p/seg00001.m4s": b"\x00\x01" * 999,
         "renditions/audio/fr.mp3": b"ID3" + b"\x7f" * 3000,
         "transcripts/fr.vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nLe Conseil.\n"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files(damaged: str | None = None) -> list[BagFile]:
    out = []
    for path, data in FILES.items():
        real = data[:-1] + b"?" if path == damaged else data
        out.append(BagFile(path, lambda real=real: io.BytesIO(real), sha(data)))
    return out


def events() -> list[PreservationEvent]:
    when = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    return [PreservationEvent(asset_id="1000001", event_type="ingestion", date=when,
                              agent="hexaglot ingest", outcome="success",
                              detail="master stored", sha256=sha(MASTER)),
            PreservationEvent(asset_id="1000001", event_type="fixity check", date=when,
                              agent="hexaglot audit", outcome="success", sha256=sha(MASTER))]


def test_bag_round_trip(tmp_path: Path) -> None:
    asset = meeting()
    out = tmp_path / "bags" / "1000001"
    done = write_bag(out, asset, SITE, files(), events(), agent="hexaglot test")
    assert done.event_type == "export" and done.outcome == "success" and done.asset_id == "1000001"
    bag = bagit.Bag(str(out))
    assert bag.version_info == (1, 0) and bag.is_valid()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["External-Identifier"] == "1000001"
    assert bag.info["Source-Organization"] == "Test Archive"
    assert sorted(bag.payload_files()) == sorted(
        ["data/record.json", "data/record.marcxml", "data/events.jsonl"]
        + [f"data/files/{p}" for p in FILES])
    assert json.loads((out / "data" / "record.json").read_text())["asset_id"] == "1000001"
    marc = pymarc.parse_xml_to_array(str(out / "data" / "record.marcxml"))
    assert marc[0]["245"]["a"] == asset.title
    back = read_bag(out)
    assert back.record == asset
    assert [e.event_type for e in back.events] == ["ingestion", "fixity check", "export"]
    assert back.events[-1] == done
    assert {p: s for p, (_, s) in back.files.items()} == {p: sha(d) for p, d in FILES.items()}
    assert back.file_with(sha(MASTER)) == out / "data" / "files" / "master" / "meeting.mkv"
    assert [p.name for p in tmp_path.joinpath("bags").iterdir()] == ["1000001"]


def test_a_changed_byte_fails_naming_the_file(tmp_path: Path) -> None:
    out = tmp_path / "bag"
    write_bag(out, meeting(), SITE, files(), events())
    target = out / "data" / "files" / "master" / "meeting.mkv"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(BagInvalid, match=r"fails validation: data/files/master/meeting\.mkv "
                                         r"has changed \(sha256 expected [0-9a-f]{64}, found"):
        read_bag(out)
    assert not bagit.Bag(str(out)).is_valid()


def test_a_changed_record_or_a_stray_file_fails(tmp_path: Path) -> None:
    out = tmp_path / "bag"
    write_bag(out, meeting(), SITE, files())
    rec = out / "data" / "record.json"
    rec.write_text(rec.read_text().replace("Security Council", "Security Counsel"))
    with pytest.raises(BagInvalid, match="data/record.json has changed"):
        read_bag(out)
    out2 = tmp_path / "bag2"
    write_bag(out2, meeting(), SITE, files())
    (out2 / "data" / "files" / "extra.txt").write_text("not listed")
    with pytest.raises(BagInvalid, match="extra.txt exists on filesystem but is not in the manifest"):
        read_bag(out2)


def test_a_damaged_source_stops_the_export_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "bags" / "x"
    with pytest.raises(Conflict, match=r"file renditions/audio/fr\.mp3 reads with SHA-256 .* "
                                       r"damaged; not exported"):
        write_bag(out, meeting(), SITE, files(damaged="renditions/audio/fr.mp3"))
    assert list((tmp_path / "bags").iterdir()) == []


@pytest.mark.parametrize("path", ["../escape", "/etc/passwd", "a//b", "a/./b", "", "a\\b"])
def test_unsafe_paths_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(BadInput, match="must be relative"):
        write_bag(tmp_path / "b", meeting(), SITE, [BagFile(path, lambda: io.BytesIO(b"x"))])
    assert not (tmp_path / "b").exists()


def test_an_occupied_target_and_a_non_bag_are_refused(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(Conflict, match="already exists and is not empty"):
        write_bag(tmp_path / "full", meeting(), SITE, files())
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    (tmp_path / "empty").mkdir()
    write_bag(tmp_path / "empty", meeting(), SITE, files())  # an empty directory is fine
    assert bagit.Bag(str(tmp_path / "empty")).is_valid()
    with pytest.raises(BagInvalid, match="is not a valid bag"):
        read_bag(tmp_path / "full")
    with pytest.raises(BadInput, match="given twice"):
        write_bag(tmp_path / "dup", meeting(), SITE, files() + files()[:1])


def test_an_event_needs_a_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        PreservationEvent(asset_id="1", event_type="repair", date=datetime(2024, 1, 1),
                          agent="a", outcome="success")


def test_a_truncated_file_is_named(tmp_path: Path) -> None:
    out = tmp_path / "bag"
    write_bag(out, meeting(), SITE, files())
    target = out / "data" / "files" / "transcripts" / "fr.vtt"
    target.write_bytes(target.read_bytes()[:-5])
    with pytest.raises(BagInvalid, match=r"data/files/transcripts/fr\.vtt has changed"):
        read_bag(out)
