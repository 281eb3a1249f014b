"""SHA-256 of files and streams: the one checksum helper of the archive."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 1 << 20


def sha256_stream(stream: BinaryIO) -> tuple[str, int]:
    """The SHA-256 (hex) and length of what is left to read in `stream`."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_prefix(path: Path, length: int) -> Any:
    """A running SHA-256 (a `hashlib` object, to be updated further) of the first `length`
    bytes of a file (fewer if the file is shorter): where a resumed upload's hash starts."""
    digest, left = hashlib.sha256(), length
    with open(path, "rb") as fh:
        while left > 0 and (chunk := fh.read(min(CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest


def sha256_file(path: Path) -> str:
    """The SHA-256 (hex) of a file, read in chunks."""
    with open(path, "rb") as fh:
        return sha256_stream(fh)[0]
