"""A real uvicorn server on a free loopback port, for tests that speak HTTP."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


def stop_processes(procs: Iterable[subprocess.Popen]) -> None:
    """Ask every process still running to stop, then kill any that has not within 20 s."""
    procs = list(procs)
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` in a background thread; yields its base URL and stops it afterwards."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_process(*args: str, timeout: float = 60) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`hexaglot serve` in a child process (the test's environment) on a free port; yields
    its base URL and the process, and stops it afterwards."""
    import os
    import sys

    import httpx

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "hexaglot", "serve", "--port", str(port),
                             *args], env=dict(os.environ), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited: {proc.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("serve did not answer") from None
                time.sleep(0.2)
        yield base, proc
    finally:
        stop_processes([proc])
