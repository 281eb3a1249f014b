"""SHA-256 of files and streams: the one checksum helper of the archive."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def sha256_stream(stream: BinaryIO) -> tuple[str, int]:
    """The SHA-256 (hex) and length of what is left to read in `stream`."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_file(path: Path) -> str:
    """The SHA-256 (hex) of a file, read in chunks."""
    with open(path, "rb") as fh:
        return sha256_stream(fh)[0]
