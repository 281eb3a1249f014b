"""Text safe for XML 1.0: the control characters XML cannot carry are dropped."""

from __future__ import annotations

import re

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """`value` without characters XML 1.0 forbids (a pasted form feed would otherwise
    make the whole document unreadable)."""
    return _ILLEGAL.sub("", value)
