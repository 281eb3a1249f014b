"""Server mode that scales out: state every web process shares (Redis), and moving an
embedded archive to PostgreSQL + S3 (`migrate-to-server`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from hexaglot.app.archive import Archive
from hexaglot.app.importing import import_pages
from hexaglot.app.migrating import migrate_to_server
from hexaglot.catalog.transfer import TargetNotEmpty, checksums
from hexaglot.config import Settings
from hexaglot.domain import Audience
from hexaglot.search import parse
from hexaglot.search.postgres_engine import PostgresEngine
from hexaglot.storage import BlobError
from hexaglot.storage.shared_state import MemoryState, RedisState, open_shared_state
from hexaglot.web.auth import Throttle
from tests.conftest import postgres_schema
from tests.search_data import meeting_asset

REDIS_URL = os.environ.get("HEXAGLOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_reachable() -> str | None:
    try:
        RedisState(REDIS_URL).client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure: skip with the reason
        return f"Redis at {REDIS_URL} unreachable: {exc.__class__.__name__}"
    return None


@pytest.fixture
def redis_url() -> str:
    if why := redis_reachable():
        pytest.skip(why)
    return REDIS_URL


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


# -- shared state -------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_shared_state_values_expire_and_windows_slide(kind: str, request: pytest.FixtureRequest
                                                      ) -> None:
    state = MemoryState() if kind == "memory" else RedisState(request.getfixturevalue("redis_url"))
    key = f"test:{uuid.uuid4().hex}"
    assert state.get(key) is None
    state.put(key, b"answer", ttl=60)
    assert state.get(key) == b"answer"
    assert [state.record(key + ":n", 60) for _ in range(3)] == [1, 2, 3]
    assert state.count(key + ":n", 60) == 3
    assert state.count(key + ":n", 0.0) == 0  # nothing within no time at all
    assert state.count(key + ":other", 60) == 0


def test_a_redis_throttle_counts_for_every_process(redis_url: str) -> None:
    # two web processes: each its own Throttle over its own connection to one Redis
    first, second = (Throttle(failures=3, window=60, state=RedisState(redis_url))
                     for _ in range(2))
    client = f"198.51.100.{uuid.uuid4().int % 250}:{uuid.uuid4().hex}"
    first.failed(client)
    second.failed(client)
    assert not first.blocked(client) and not second.blocked(client)
    first.failed(client)
    assert first.blocked(client) and second.blocked(client)
    assert not second.blocked(client + "-another")
    alone = Throttle(failures=3, window=60)  # no Redis: this process only
    assert not alone.blocked(client)


def test_open_shared_state_refuses_other_urls() -> None:
    from hexaglot.errors import BadInput

    assert isinstance(open_shared_state(None), MemoryState)
    with pytest.raises(BadInput, match="HEXAGLOT_CACHE_URL"):
        open_shared_state("memcached://127.0.0.1")


def test_settings_share_through_the_queue_redis() -> None:
    assert Settings(queue_url="redis://q:6379/1").resolved_cache_url == "redis://q:6379/1"
    assert Settings(queue_url="redis://q:6379/1",
                    cache_url="redis://c:6379/2").resolved_cache_url == "redis://c:6379/2"
    assert Settings(queue_url="sqlite:////tmp/q.sqlite3").resolved_cache_url is None


def test_search_answers_are_shared_and_invalidated_for_every_process(
        pg_url: str, redis_url: str) -> None:
    from hexaglot.catalog import open_catalog

    open_catalog(Settings(database_url=pg_url))  # the search tables
    web1 = PostgresEngine(pg_url, shared=RedisState(redis_url))
    web2 = PostgresEngine(pg_url, shared=RedisState(redis_url))
    try:
        web1.index(meeting_asset(access="public", status="published"))
        web1.commit()
        query = parse("peacekeeping")
        first = web1.search(query)
        assert first.total == 1
        # remove the rows under the engines without telling anyone: web2, which never
        # searched, can only answer from what web1 shared
        with web1.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM search_segments"))
            conn.execute(sa.text("DELETE FROM search_assets"))
        shared = web2.search(query)
        assert shared.total == 1 and [h.asset_id for h in shared.hits] == ["A-1001"]
        assert shared.facets == first.facets
        # a change of the index (any process) invalidates every process's answers
        web2.delete("A-1001")
        web2.commit()
        assert web1.search(query).total == 0 and web2.search(query).total == 0
        staff = web1.search(query, audience=Audience.STAFF)
        assert staff.total == 0
    finally:
        web1.close()
        web2.close()


# -- migrate-to-server ---------------------------------------------------------------------
@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _bucket(endpoint: str) -> str:
    from hexaglot.storage.s3 import s3_client

    name = f"hx-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint, "us-east-1", "testing", "testing").create_bucket(Bucket=name)
    return name


def _embedded(tmp_path: Path) -> Archive:
    home = tmp_path / "embedded"
    archive = Archive(Settings(home=home, database_url=None, queue_url=None,
                               storage_url=None))
    with resources.as_file(resources.files("hexaglot.demo")) as folder:
        import_pages(archive, sorted(Path(folder).glob("0*.txt")))
    return archive


def _server(pg: str, endpoint: str, bucket: str, tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "server", database_url=pg, storage_url=f"s3://{bucket}/arch",
                    s3_endpoint_url=endpoint, s3_region="us-east-1",
                    s3_access_key_id="testing", s3_secret_access_key="testing")


def test_migrate_to_server_copies_and_verifies_everything(
        tmp_path: Path, pg_url: str, s3_endpoint: str) -> None:
    archive = _embedded(tmp_path)
    blob = archive.blobs.put_file(_file(tmp_path / "master.bin", b"master bytes " * 5000))
    target = _server(pg_url, s3_endpoint, _bucket(s3_endpoint), tmp_path)
    steps: list[str] = []
    moved = migrate_to_server(archive, target, lambda step, done, total: steps.append(step))
    assert moved.blobs == 1 and moved.blob_bytes == blob.size and moved.catalogue_copied
    assert {"blobs", "catalogue", "index"} <= set(steps)
    with Archive(target) as server:
        assert server.blobs.verify(blob.sha256)
        assert checksums(server.catalog.engine) == checksums(archive.catalog.engine)
        assert server.catalog.count() == archive.catalog.count() == moved.indexed == 4
        here = archive.search.search(parse("ocean"), audience=Audience.STAFF)
        there = server.search.search(parse("ocean"), audience=Audience.STAFF)
        assert [h.asset_id for h in there.hits] == [h.asset_id for h in here.hits] != []
    # a re-run finds its own copy and goes on; another archive's target is refused
    assert migrate_to_server(archive, target).catalogue_copied is False
    with Archive(target) as server, server.catalog.transaction() as tx:
        # ids handed out next continue after the copied ones
        assert tx.new_asset_id() not in {a.asset_id for a in archive.catalog.list(limit=50)}
    other = Archive(Settings(home=tmp_path / "other", database_url=None, queue_url=None,
                             storage_url=None))
    with pytest.raises(TargetNotEmpty, match="empty database"):
        migrate_to_server(other, target)
    archive.close()
    other.close()


def test_migrate_to_server_stops_at_a_damaged_blob(tmp_path: Path, pg_url: str,
                                                   s3_endpoint: str) -> None:
    archive = _embedded(tmp_path)
    blob = archive.blobs.put_file(_file(tmp_path / "m.bin", b"intact " * 1000))
    with archive.blobs.local_file(blob.sha256) as path:
        path.chmod(0o644)
        path.write_bytes(b"flipped" + path.read_bytes()[7:])
    target = _server(pg_url, s3_endpoint, _bucket(s3_endpoint), tmp_path)
    with pytest.raises(BlobError, match=blob.sha256):
        migrate_to_server(archive, target)
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:  # nothing of the catalogue was copied
        assert conn.execute(sa.text("SELECT count(*) FROM assets")).scalar_one() == 0
    engine.dispose()
    archive.close()


def test_migrate_to_server_refuses_a_target_that_is_not_a_server(tmp_path: Path) -> None:
    from hexaglot.errors import BadInput

    archive = _embedded(tmp_path)
    with pytest.raises(BadInput, match="database-url"):
        migrate_to_server(archive, archive.settings)
    with pytest.raises(BadInput, match="not server mode"):
        migrate_to_server(archive, Settings(home=tmp_path / "x",
                                            database_url=f"sqlite:///{tmp_path}/x.db"))
    archive.close()


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- workers: a job runs under a lease --------------------------------------------------------
def test_a_job_is_claimed_by_one_worker_and_its_lapsed_lease_is_taken_over(
        database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC, datetime, timedelta

    from hexaglot.catalog import create_engine, open_catalog
    from hexaglot.jobs.store import STALE_AFTER, JobStore, jobs

    open_catalog(Settings(database_url=database_url))
    stores = [JobStore(create_engine(database_url)) for _ in range(4)]  # four workers
    job_id = stores[0].create("derive", None, {})
    with ThreadPoolExecutor(4) as pool:
        won = list(pool.map(lambda s: s.claim(job_id), stores))
    assert won.count(True) == 1
    assert stores[1].get(job_id).attempts == 1
    assert not stores[2].claim(job_id)  # a live lease is not taken
    # the holder's heartbeat stops (its machine is gone): the lease lapses
    old = datetime.now(UTC) - STALE_AFTER - timedelta(seconds=5)
    with stores[0].engine.begin() as conn:
        conn.execute(jobs.update().values(worker="elsewhere:1", heartbeat=old))
    assert stores[3].claim(job_id) and not stores[2].claim(job_id)
    assert stores[3].beat(job_id, 0.5, "halfway")
    assert stores[3].finish(job_id)
    done = stores[0].get(job_id)
    assert done is not None and done.status == "done" and done.attempts == 2
    assert not stores[1].claim(job_id)  # done is done
    # a worker that lost its lease cannot finish or fail the job of another
    other = stores[0].create("derive", None, {})
    assert stores[0].claim(other)
    with stores[0].engine.begin() as conn:
        conn.execute(jobs.update().where(jobs.c.id == other).values(worker="elsewhere:2"))
    assert not stores[0].finish(other) and not stores[0].beat(other)
    stores[0].fail(other, "late", retrying=False)
    assert stores[0].get(other).status == "running"
    for s in stores:
        s.engine.dispose()


def test_a_shared_cache_that_is_down_is_a_miss_not_an_error(tmp_path: Path) -> None:
    import time as clock

    from hexaglot.search.tantivy_engine import TantivyEngine

    down = RedisState("redis://127.0.0.1:1/0")  # nothing listens there
    engine = TantivyEngine(tmp_path / "search", shared=down)
    engine.index(meeting_asset(access="public", status="published"))
    engine.commit()
    assert engine.search(parse("peacekeeping")).total == 1
    t0 = clock.perf_counter()  # the next searches do not wait for Redis again
    for word in ("kazakhstan", "trafficking", "partnerships"):
        assert engine.search(parse(word)).total == 1
    assert clock.perf_counter() - t0 < 1.5
    engine.close()
