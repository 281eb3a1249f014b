"""Evidence: character offsets into the text `hexaglot extract` read.

The extractor reads a press summary as it is (offsets are its own), but a catalogue page
through its description, which the page reader rebuilds from stripped lines. `PageOffsets`
maps offsets in that description back to offsets in the page text, line by line."""

from __future__ import annotations

import bisect
import re
from typing import Any

_OTHER_FORMATS = re.compile(r"^[ \t]*Other Formats[ \t]*$", re.MULTILINE | re.IGNORECASE)


class PageOffsets:
    """Where each line of a catalogue page's description stands in the page text."""

    def __init__(self, page_text: str, description: str) -> None:
        self.starts: list[int] = []   # offsets of the description's lines in the description
        self.targets: list[int] = []  # the same lines' offsets in the page text
        m = _OTHER_FORMATS.search(page_text)
        j = m.end() if m else 0
        d = 0
        for line in description.split("\n"):
            if line:
                found = page_text.find(line, j)
                if found < 0:  # not a line of the page: the title, when there is no press part
                    found = page_text.find(line)
                if found >= 0:
                    self.starts.append(d)
                    self.targets.append(found)
                    j = found + len(line)
            d += len(line) + 1

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return offset
        return self.targets[i] + offset - self.starts[i]


def shift(items: list[dict[str, Any]], offsets: PageOffsets) -> None:
    """Map the `evidence` of every item from description to page offsets, in place."""
    for item in items:
        item["evidence"] = [{"start": offsets(e["start"]), "end": offsets(e["end"])}
                            for e in item.get("evidence", [])]
