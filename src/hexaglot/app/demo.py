"""The sample archive of `hexaglot demo`: invented catalogue pages and, for the sample
meeting, a generated seven-language recording, transcribed where a speech model is
installed (its spoken words are then found by search)."""

from __future__ import annotations

from importlib import resources

from hexaglot.app.archive import Archive
from hexaglot.app.importing import import_pages
from hexaglot.app.ingesting import ingest
from hexaglot.media.demo_media import make_demo_meeting
from hexaglot.speech.models import installed_model


def build_demo_archive(archive: Archive) -> list[str]:
    """Import the sample pages (idempotent); returns their asset ids."""
    with resources.as_file(resources.files("hexaglot.demo")) as folder:
        paths = sorted(folder.glob("*.txt"))
        return [a.asset_id for a in import_pages(archive, paths)]


def speech_installed(archive: Archive) -> bool:
    """Whether this machine can transcribe every channel (a Whisper model is installed
    or configured)."""
    return bool(archive.settings.speech_model) or installed_model() is not None


def add_demo_media(archive: Archive, asset_id: str, seconds: float = 20) -> bool:
    """Give a sample asset a generated master and queue its renditions (and, where the
    speech extra is installed, the transcription of its channels after them), unless it
    already has a master (idempotent). Returns True when it ingested one."""
    if archive.catalog.master(asset_id) is not None:
        return False
    home = archive.settings.resolved_home
    path = make_demo_meeting(home / "demo" / f"meeting-{asset_id}.mkv", seconds)
    ingest(archive, path, asset_id=asset_id, transcribe=speech_installed(archive))
    return True
