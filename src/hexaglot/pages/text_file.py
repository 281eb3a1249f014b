"""Read a text input safely: UTF-8 (with or without BOM), any line ends."""

from __future__ import annotations

from pathlib import Path

from hexaglot.pages.errors import InputError

#: Text files larger than this are not catalogue pages or press summaries (the longest
#: real press summaries are a few hundred kilobytes).
MAX_TEXT_BYTES = 2 * 1024 * 1024


def read_text(path: Path | str) -> str:
    """Return the file's text with `\\n` line ends; raise InputError naming the file when it is
    missing, a directory, unreadable, empty, binary or not UTF-8."""
    p = Path(path)
    name = str(path)
    if p.is_dir():
        raise InputError(name, "is a directory, not a text file")
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_TEXT_BYTES + 1)  # never more than the cap into memory
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(name, f"is more than {MAX_TEXT_BYTES} bytes, too large for a text "
                         "record")
    if not data.strip():
        raise InputError(name, "is empty")
    if b"\x00" in data:
        raise InputError(name, "is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
