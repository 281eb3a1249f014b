"""The proof of server mode on one machine: two web processes and two workers (each with a
home of its own: they share nothing but PostgreSQL, Redis and S3), two recordings ingested
at once, one worker and one web process killed mid-way (and started again, as systemd
would), and at the end every job done once, every blob verified, the same search answers
from both web processes, failed sign-ins counted across both."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from hexaglot.catalog import dispose_engines
from hexaglot.config import Settings
from tests.conftest import _drop_postgres_schema, _fresh_postgres_schema, postgres_reachable
from tests.live_server import free_port
from tests.media_helpers import make_media, sha256

pytestmark = pytest.mark.slow
moto_server = pytest.importorskip("moto.server")
REDIS_URL = os.environ.get("HEXAGLOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TOKEN = "scale-test-token"


def _redis_db(url: str, db: int) -> str:
    """The test's own Redis database (the queue's keys would mix with other archives')."""
    base = url.rsplit("/", 1)[0] if url.count("/") >= 3 else url
    return f"{base}/{db}"


class Cluster:
    """Processes of one deployment, each with a home of its own."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        home = self.root / name
        home.mkdir(parents=True, exist_ok=True)
        env = {**self.env, "HEXAGLOT_HOME": str(home)}
        log = (self.root / f"{name}.log").open("ab")
        proc = subprocess.Popen([sys.executable, "-m", "hexaglot", *args], env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def run(self, name: str, *args: str) -> str:
        home = self.root / name
        home.mkdir(parents=True, exist_ok=True)
        out = subprocess.run([sys.executable, "-m", "hexaglot", *args], capture_output=True,
                             text=True, env={**self.env, "HEXAGLOT_HOME": str(home)},
                             timeout=300)
        assert out.returncode == 0, out.stderr[-800:]
        return out.stdout

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name)


def _get(base: str, path: str, timeout: float = 10) -> dict:
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def _wait_web(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "a web process exited"
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not answer")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[Cluster, Settings]]:
    if why := postgres_reachable():
        pytest.skip(why)
    import redis

    queue = _redis_db(REDIS_URL, 13)
    r = redis.Redis.from_url(queue)  # the test's own database: its queue, counters, caches
    try:
        r.ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis at {queue} unreachable: {exc.__class__.__name__}")
    r.delete("huey.redis.hexaglot", "huey.schedule.hexaglot", *r.scan_iter("hexaglot:*"))
    prefix = f"hx-{uuid.uuid4().hex[:8]}"
    s3 = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    host, port = s3.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    from hexaglot.storage.s3 import s3_client

    s3_client(endpoint, "us-east-1", "testing", "testing").create_bucket(Bucket=prefix)
    url, schema = _fresh_postgres_schema()
    settings = Settings(database_url=url, queue_url=queue, storage_url=f"s3://{prefix}/blobs",
                        s3_endpoint_url=endpoint, s3_region="us-east-1",
                        s3_access_key_id="testing",
                        s3_secret_access_key="testing",
                        s3_presigned_urls=False, editor_token=TOKEN,
                        home=tmp_path / "test")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXAGLOT_")}
    env.update({"HEXAGLOT_DATABASE_URL": url, "HEXAGLOT_QUEUE_URL": queue,
                "HEXAGLOT_STORAGE_URL": settings.storage_url or "",
                "HEXAGLOT_S3_ENDPOINT_URL": endpoint, "HEXAGLOT_S3_REGION": "us-east-1",
                "HEXAGLOT_S3_ACCESS_KEY_ID": "testing",
                "HEXAGLOT_S3_SECRET_ACCESS_KEY": "testing",
                "HEXAGLOT_S3_PRESIGNED_URLS": "false", "HEXAGLOT_EDITOR_TOKEN": TOKEN,
                "HEXAGLOT_SECRET_KEY": "one key for every web process of the test",
                "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")})
    cluster = Cluster(tmp_path, env)
    try:
        yield cluster, settings
    finally:
        cluster.stop_all()
        r.delete("huey.redis.hexaglot", "huey.schedule.hexaglot", *r.scan_iter("hexaglot:*"))
        dispose_engines()
        _drop_postgres_schema(schema)
        s3.stop()


def _jobs(engine: sa.Engine) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(
            "SELECT id, kind, asset_id, status, attempts, worker, error FROM jobs")))


def test_two_webs_two_workers_survive_kills(deployment: tuple[Cluster, Settings],
                                            tmp_path: Path) -> None:
    cluster, settings = deployment
    with resources.as_file(resources.files("hexaglot.demo")) as folder:
        pages = [str(Path(folder) / n) for n in ("01-meeting-water-security.txt",
                                                 "04-general-assembly-ocean.txt")]
        ids = cluster.run("admin", "import", "page", *pages).split()
    assert len(ids) == 2
    media = [make_media(tmp_path / f"m{i}.mkv", seconds=4 + i) for i in range(2)]
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    for i, port in enumerate(ports):
        cluster.start(f"web{i}", "serve", "--port", str(port), "--no-jobs")
    for i, base in enumerate(bases):
        _wait_web(base, cluster.procs[f"web{i}"])
    cluster.start("worker0", "worker")
    cluster.start("worker1", "worker")

    # two ingests at once, from two machines' worth of homes
    with ThreadPoolExecutor(2) as pool:
        outs = list(pool.map(lambda i: cluster.run(f"ingest{i}", "ingest", str(media[i]),
                                                   "--asset", ids[i]), range(2)))
    assert [o.split()[-1] for o in outs] == ids
    engine = sa.create_engine(settings.resolved_database_url)
    # kill worker0 as soon as it runs a job; kill web0 at the same time
    pid = cluster.procs["worker0"].pid
    deadline = time.monotonic() + 120
    while not any(j.status == "running" and (j.worker or "").endswith(f":{pid}")
                  for j in _jobs(engine)):
        assert time.monotonic() < deadline, f"worker0 ran no job: {_jobs(engine)}"
        time.sleep(0.1)
    cluster.kill("worker0")
    killed = next(j.id for j in _jobs(engine)
                  if j.status == "running" and (j.worker or "").endswith(f":{pid}"))
    cluster.kill("web0")
    _get(bases[1], "/api/search?q=ocean")  # the other web process answers meanwhile
    cluster.start("worker2", "worker")  # as systemd restarts a worker
    cluster.start("web0", "serve", "--port", str(ports[0]), "--no-jobs")
    _wait_web(bases[0], cluster.procs["web0"])

    deadline = time.monotonic() + 240
    while any(j.status != "done" for j in _jobs(engine)):
        failed = [j for j in _jobs(engine) if j.status == "failed"]
        assert not failed, failed
        assert time.monotonic() < deadline, f"jobs not done: {_jobs(engine)}"
        time.sleep(0.5)
    jobs = _jobs(engine)
    # every job done once: one derive per asset (and today's audit, scheduled once by
    # three workers); the killed one re-run once, every other run once
    derives = sorted(j.asset_id for j in jobs if j.kind == "derive")
    assert derives == sorted(ids) and len(jobs) - len(derives) == 1
    assert {j.kind for j in jobs} == {"derive", "audit"}
    assert {j.id: j.attempts for j in jobs} == {j.id: 2 if j.id == killed else 1 for j in jobs}
    with engine.connect() as conn:
        files = list(conn.execute(sa.text("SELECT asset_id, path, sha256 FROM rendition_files")))
        masters: dict[str, str] = dict(conn.execute(sa.text("SELECT asset_id, sha256 FROM media_masters")).all())
    assert masters == {ids[i]: sha256(media[i]) for i in range(2)}
    assert len({(f.asset_id, f.path) for f in files}) == len(files) > 10

    # every blob verified in S3
    from hexaglot.storage import open_blob_store

    store = open_blob_store(settings)
    named = {f.sha256 for f in files} | set(masters.values())
    assert all(store.verify(sha) for sha in named)

    # the same answers from both web processes, a rendition from either
    for q in ("ocean", "water", "security council", "fisheries"):
        a, b = (_get(base, f"/api/search?q={q.replace(' ', '+')}") for base in bases)
        for r in (a, b):
            r.pop("took_ms")
        assert a == b and a["total"] >= 1, q
    rec = _get(bases[0], f"/api/assets/{ids[0]}")
    mp4 = next(f for f in rec["formats"] if f["rendition"] == "mp4")
    for base in bases:
        req = urllib.request.Request(base + mp4["url"],
                                     headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert sha256_bytes(r.read()) == mp4["sha256"]
    # failed sign-ins count across web processes: ten spread over both block on both
    def wrong(base: str) -> int:
        req = urllib.request.Request(base + "/api/search?q=ocean",
                                     headers={"Authorization": "Bearer wrong"})
        try:
            urllib.request.urlopen(req, timeout=10)
        except urllib.error.HTTPError as exc:
            return exc.code
        return 200

    assert [wrong(bases[i % 2]) for i in range(10)] == [401] * 10
    assert wrong(bases[0]) == 429 and wrong(bases[1]) == 429
    engine.dispose()


def sha256_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
