"""A real archive for the interop and preservation tests, built once per module: the demo
catalogue, a generated seven-language recording ingested for its meeting (with a replica
blob store), its renditions derived, French captions imported, a statement clip cut with
ffmpeg, and one staff-only asset. `copy_of` gives a private copy to damage."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.captions import import_captions
from hexaglot.app.clipping import make_clip
from hexaglot.app.demo import build_demo_archive
from hexaglot.app.ingesting import ingest
from hexaglot.app.jobs import work
from hexaglot.catalog import dispose_engines
from hexaglot.domain import Asset

from .media_helpers import make_media

MEETING, GA, HIDDEN = "2100001", "2100004", "3100001"
TOKEN = "editor-secret-token"
VTT = ("WEBVTT\n\n00:00:00.500 --> 00:00:01.500\n<v Mme Dupont>Le Conseil de sécurité "
       "se réunit.\n\n00:00:02.000 --> 00:00:03.500\nLa coopération & l'eau.\n")
ENV = ("HEXAGLOT_HOME", "HEXAGLOT_REPLICA_URL", "HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL",
       "HEXAGLOT_STORAGE_URL", "HEXAGLOT_EDITOR_TOKEN", "HEXAGLOT_AUDIT_MAX_RATE",
       "HEXAGLOT_PUBLIC_URL")


@dataclass(frozen=True)
class Built:
    """Where a built archive lives and what is in it."""

    root: Path
    clip: str

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def replica(self) -> Path:
        return self.root / "replica"


def use(env: pytest.MonkeyPatch, built: Built, replica: bool = True) -> None:
    """Point the HEXAGLOT_* settings at a built archive."""
    for name in ENV:
        env.delenv(name, raising=False)
    env.setenv("HEXAGLOT_HOME", str(built.home))
    env.setenv("HEXAGLOT_EDITOR_TOKEN", TOKEN)
    if replica:
        env.setenv("HEXAGLOT_REPLICA_URL", str(built.replica))


def build(root: Path) -> Built:
    """Build the archive under `root` (see the module docstring)."""
    root.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as env:
        use(env, Built(root, ""))
        archive = open_archive()
        assert build_demo_archive(archive)[0] == MEETING
        ingest(archive, make_media(root / "meeting.mkv", seconds=4), asset_id=MEETING)
        clip, _ = make_clip(archive, MEETING, 1.0, 3.0, "Statement by France")
        assert work(archive, burst=True) == 2
        (root / "fr.vtt").write_text(VTT, encoding="utf-8")
        import_captions(archive, MEETING, root / "fr.vtt", "fr")
        archive.catalog.save(Asset(asset_id=HIDDEN, title="Closed consultations",
                                   access="staff", duration_seconds=60))
        archive.close()
    dispose_engines()
    return Built(root, clip.asset_id)


def copy_of(built: Built, root: Path) -> Built:
    """A private copy of a built archive (catalogue, blobs, replica) under `root`."""
    dispose_engines()
    for part in ("home", "replica"):
        shutil.copytree(built.root / part, root / part, symlinks=True)
    return Built(root, built.clip)


def open_built(env: pytest.MonkeyPatch, built: Built, replica: bool = True) -> Archive:
    """Open a built archive with the settings pointing at it."""
    use(env, built, replica)
    return open_archive()
