"""The search engine contract: index, delete, commit, search, rebuild.

An engine keeps one document per asset (its record and its transcript words) and one per
transcript cue. `index`/`delete` are buffered until `commit`, which applies them all at once.
`search` takes a parsed `Query` and returns `SearchResults`: the page of asset hits (each
with its snippet and its matching moments), facet counts over all matching assets, the total
and the time taken, as one viewer (`audience`) may see them: what that viewer may not see
(the rule of `hexaglot.domain.access`, indexed as each asset's effective visibility) is
absent from hits, moments, totals and facet counts alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from hexaglot.domain import Asset, Audience, Segment
from hexaglot.domain.facets import FACET_NAMES as FACETS
from hexaglot.search.query import Query

__all__ = ["FACETS", "Hit", "Moment", "Progress", "SearchEngine", "SearchResults"]


@dataclass
class Moment:
    """A transcript cue that matched: where to jump to, in which language."""

    asset_id: str
    language: str
    speaker: str | None
    start: float
    end: float
    snippet: str
    link: str


@dataclass
class Hit:
    """One matching asset, with a highlighted snippet and its matching moments."""

    asset_id: str
    score: float
    title: str
    kind: str
    recorded_on: str | None
    body: str | None
    record_symbol: str | None
    snippet: str
    link: str
    moments: list[Moment] = field(default_factory=list)


@dataclass
class SearchResults:
    """A page of hits, facet counts over every match, the total and the time taken."""

    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    total: int
    took_ms: float
    page: int = 1
    per_page: int = 10
    #: True when the facet counts were estimated from a sample of the matches (the total
    #: is exact all the same).
    facets_approximate: bool = False

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of the API and `hexaglot search --json`."""
        return {
            "total": self.total, "took_ms": round(self.took_ms, 3), "page": self.page,
            "per_page": self.per_page, "hits": [_hit_dict(h) for h in self.hits],
            "facets": {k: [{"value": v, "count": c} for v, c in vs]
                       for k, vs in self.facets.items()},
            "facets_approximate": self.facets_approximate,
        }


def _hit_dict(hit: Hit) -> dict[str, object]:
    """`dataclasses.asdict` of a hit without its deep copies (a hot path of the API)."""
    out = dict(hit.__dict__)
    out["moments"] = [dict(m.__dict__) for m in hit.moments]
    return out


Progress = Callable[[int], None]


class SearchEngine(Protocol):
    """What the rest of Hexaglot may ask of a search engine."""

    def index(self, asset: Asset, segments: Sequence[Segment] = ()) -> None:
        """Queue (re)indexing an asset and its cues (replaces what was indexed for it)."""

    def delete(self, asset_id: str) -> None:
        """Queue removing an asset and its cues."""

    def commit(self) -> None:
        """Apply every queued change at once; searches see them afterwards."""

    def search(self, query: Query, *, audience: Audience = Audience.PUBLIC) -> SearchResults:
        """Run a parsed query as a viewer of `audience`."""

    def cached(self, query: Query, *,
               audience: Audience = Audience.PUBLIC) -> SearchResults | None:
        """What `search` would answer, when that is known without searching (no I/O
        beyond a file status); else None."""

    def rebuild(self, items: Iterable[tuple[Asset, Sequence[Segment]]],
                progress: Progress | None = None) -> int:
        """Index everything from scratch into a new index and swap it in atomically;
        until then (and if this fails) the old index keeps serving. Returns the count."""

    def count(self) -> int:
        """How many assets are indexed."""

    @property
    def was_reset(self) -> bool:
        """True when opening found an index of an older layout and made a new, empty one:
        the caller then queues every asset for indexing."""

    def close(self) -> None:
        """Release files and connections."""
