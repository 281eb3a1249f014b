"""The archive: settings plus the services built from them (opened lazily), and the one
place where a write use case brings the search index in step (`changed`)."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from functools import cached_property
from typing import Any

from hexaglot.catalog import Catalog, open_catalog
from hexaglot.catalog.fixity import FixityStore
from hexaglot.catalog.harvest_log import HarvestLog
from hexaglot.catalog.preservation import PreservationLog
from hexaglot.catalog.windows import TranscriptWindows
from hexaglot.config import Settings, get_settings
from hexaglot.errors import Unavailable
from hexaglot.jobs.queue import Queue, open_queue
from hexaglot.jobs.store import JobStore
from hexaglot.search import SearchEngine, open_search
from hexaglot.search.sync import drain
from hexaglot.storage import BlobStore, open_blob_store, open_replica_store
from hexaglot.storage.shared_state import MemoryState as MemoryState  # for the surfaces
from hexaglot.storage.shared_state import SharedState as SharedState
from hexaglot.storage.shared_state import open_shared_state

log = logging.getLogger(__name__)


class Archive:
    """One archive (an embedded home or a server deployment) and its services."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    @cached_property
    def catalog(self) -> Catalog:
        """The catalogue, migrated to the newest schema on first use."""
        return open_catalog(self.settings)

    @cached_property
    def secret_key(self) -> bytes:
        """The key that signs sessions, CSRF tokens and media URLs: `HEXAGLOT_SECRET_KEY`,
        else (embedded mode only) one generated into the home on first use."""
        if self.settings.secret_key is not None:
            value = self.settings.secret_key.get_secret_value()
            if not value.strip():
                raise Unavailable("HEXAGLOT_SECRET_KEY is empty: set it to a long random "
                                  "string, the same on every web process")
            if len(value) < 32:
                log.warning("HEXAGLOT_SECRET_KEY has %d characters: a key that short can be "
                            "guessed; use 32 random characters or more", len(value))
            return value.encode()
        if self.settings.is_server_mode:
            raise Unavailable("HEXAGLOT_SECRET_KEY is required in server mode (PostgreSQL "
                              "catalogue): set it to a long random string, the same on "
                              "every web process")
        path = self.settings.resolved_home / "secret_key"
        if not path.exists():
            new = path.with_name(f"secret_key.{os.getpid()}.{secrets.token_hex(4)}.new")
            fd = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):
                os.link(new, path)  # the first process to write it wins
            new.unlink(missing_ok=True)
        return path.read_text().strip().encode()

    @cached_property
    def blobs(self) -> BlobStore:
        """The blob store of masters, renditions and transcripts."""
        return open_blob_store(self.settings)

    @cached_property
    def replica(self) -> BlobStore | None:
        """The replica blob store (`HEXAGLOT_REPLICA_URL`) masters are also written to, or
        None when none is configured."""
        return open_replica_store(self.settings)

    @cached_property
    def events(self) -> PreservationLog:
        """The preservation log (append-only events per asset)."""
        return PreservationLog(self.catalog.engine)

    @cached_property
    def fixity(self) -> FixityStore:
        """What the fixity audit last found for each blob, and its runs."""
        return FixityStore(self.catalog.engine)

    @cached_property
    def harvest(self) -> HarvestLog:
        """The OAI-PMH items (live and deleted) of the catalogue."""
        return HarvestLog(self.catalog)

    @cached_property
    def jobs(self) -> JobStore:
        """The job log (queued, running, failed, done)."""
        return JobStore(self.catalog.engine)

    @cached_property
    def windows(self) -> TranscriptWindows:
        """The finished windows of channel transcriptions (resuming after a kill)."""
        return TranscriptWindows(self.catalog.engine)

    @cached_property
    def shared(self) -> SharedState:
        """What this process shares with every other of the deployment (Redis at
        `HEXAGLOT_CACHE_URL` or the queue's Redis; else this process's memory)."""
        return open_shared_state(self.settings.resolved_cache_url)

    @cached_property
    def queue(self) -> Queue:
        """The task queue (Huey on SQLite under the home, or on Redis)."""
        from hexaglot.app.jobs import run_queued_job

        settings = self.settings

        def run(job_id: str, task: Any = None) -> None:
            run_queued_job(settings, job_id, task)

        return open_queue(self.settings.resolved_queue_url, run)

    @cached_property
    def search(self) -> SearchEngine:
        """The search engine (Tantivy embedded, PostgreSQL full-text in server mode). An
        index of an older layout is made anew and every asset queued for it."""
        engine = open_search(self.settings, self.catalog.engine, shared=self.shared)
        if engine.was_reset:
            n = self.catalog.outbox_everything()
            log.warning("search index made anew (new layout): %d assets queued", n)
        return engine

    def changed(self) -> int:
        """Call after a write use case: the index applies every pending change now (one
        drain at a time per archive, on either engine), so what was written is found at
        once, whichever surface wrote it. Returns how many assets were applied."""
        return drain(self.catalog, self.search)

    def close(self) -> None:
        """Release connections."""
        if "search" in self.__dict__:
            self.search.close()
        if "catalog" in self.__dict__:
            self.catalog.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_archive(settings: Settings | None = None) -> Archive:
    """The archive configured by the environment (or the given settings)."""
    return Archive(settings)
