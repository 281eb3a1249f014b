"""The facets of a search, as one registry (adding a facet is one entry here), and the
searchable text fields.

Every surface reads this list: the search documents (what values an asset has), both
engines (their facet fields and columns), the query parser (the exact filters it takes),
the API, the search page and the migrations that create the facet columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hexaglot.domain.records import SUBJECT_KINDS, Asset


def _unique(values: list[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


@dataclass(frozen=True)
class Facet:
    """One facet: its name (also the filter's name and the UI's label key) and the
    values an asset has for it. `numeric` facets are integers (ranges, newest first)."""

    name: str
    values: Callable[[Asset], list[str]]
    numeric: bool = False


def _subjects(kind: str) -> Facet:
    return Facet(kind, lambda a: _unique([s.id for s in getattr(a.subjects, kind)]))


FACETS: tuple[Facet, ...] = (
    Facet("body", lambda a: _unique([a.meeting.body])),
    Facet("year", lambda a: [str(a.recorded_on.year)] if a.recorded_on else [], numeric=True),
    Facet("kind", lambda a: [a.kind]),
    Facet("lang", lambda a: _unique(list(a.available_languages))),
    Facet("affiliation", lambda a: _unique([s.affiliation_id or s.affiliation
                                            for s in a.speakers])),
    *(_subjects(kind) for kind in SUBJECT_KINDS),
)
#: Facet names in display order.
FACET_NAMES: tuple[str, ...] = tuple(f.name for f in FACETS)
#: Facets whose values are lists of text (every facet but the numeric ones).
TEXT_FACETS: tuple[str, ...] = tuple(f.name for f in FACETS if not f.numeric)
BY_NAME: dict[str, Facet] = {f.name: f for f in FACETS}

#: The searchable text fields, each a token stream of its own (`field:` in queries):
#: everything, speakers' names, speakers' countries or organizations, the body, subject
#: headings, document symbols.
TEXT_FIELDS: tuple[str, ...] = ("text", "speaker", "affiliation", "body", "subject", "symbol")


#: Facet counts of a match of more than `EXACT_FACETS` assets are estimated from a sample:
#: every asset falls in one of `BUCKETS` random shares (from a hash of its id, each engine
#: its own), and the counts are taken over the matches in the first `sample_buckets(…)`.
BUCKETS = 64
EXACT_FACETS = 10_000


def sample_buckets(total: int, exact: int = EXACT_FACETS) -> int:
    """How many of the `BUCKETS` shares the facets of `total` matches are counted over:
    all of them up to `exact` matches (exact counts), else just enough for about `exact`."""
    if total <= exact:
        return BUCKETS
    return min(BUCKETS, -(-exact * BUCKETS // total))
