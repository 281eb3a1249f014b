"""Browsing the public archive as one viewer: by body, year and month, country, speaker and
subject, with counts. Every list is a search with exact filters (`app.searching`), so what
the viewer may not see is absent from lists and counts alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from hexaglot.app.archive import Archive
from hexaglot.app.labels import facet_label
from hexaglot.app.searching import MAX_DEPTH, parse, search
from hexaglot.domain import Asset, Audience
from hexaglot.domain.facets import FACET_NAMES
from hexaglot.errors import NotFound

#: The facets one can browse by (a page per value), in the order of the browse page.
BROWSABLE: tuple[str, ...] = ("body", "year", "affiliation", "personal", "corporate",
                              "geographic", "topical")
PER_PAGE = 20


class UnknownBrowse(NotFound):
    """A browse page that does not exist (an unknown facet, or a value nobody sees)."""

    code = "not_found"


@dataclass(frozen=True)
class Entry:
    """One value to browse: its facet, value, label in the reader's language and count."""

    facet: str
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Listing:
    """A page of assets (newest meeting first) and how many match in all."""

    assets: list[Asset]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[Entry]] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


def _entries(archive: Archive, facets: dict[str, list[tuple[str, int]]], lang: str
             ) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for name, pairs in facets.items():
        entries = [Entry(name, value, facet_label(archive, name, value, lang), count)
                   for value, count in pairs]
        if name == "year":
            entries.sort(key=lambda e: e.value, reverse=True)
        elif name != "body":
            entries.sort(key=lambda e: (-e.count, e.label.casefold()))
        out[name] = entries
    return out


def listing(archive: Archive, viewer: Audience, filters: dict[str, list[str]] | None = None,
            text: str = "", page: int = 1, per_page: int = PER_PAGE, lang: str = "en"
            ) -> Listing:
    """The assets matching exact `filters` (and query `text`), newest meeting first, with
    the facets of that match labelled in `lang`."""
    for name in filters or {}:
        if name not in FACET_NAMES:
            raise UnknownBrowse(f"there is nothing to browse by {name[:40]!r}")
    page = max(1, min(page, MAX_DEPTH // per_page))
    found = search(archive, parse(text, filters=filters or {}, sort="date", page=page,
                                  per_page=per_page), viewer)
    assets = [a for h in found.hits if (a := archive.catalog.get(h.asset_id, viewer))]
    return Listing(assets, found.total, page, per_page, _entries(archive, found.facets, lang))


def by_facet(archive: Archive, viewer: Audience, facet: str, value: str, page: int = 1,
             lang: str = "en") -> tuple[Entry, Listing]:
    """The assets with one facet value (a body, year, country, person or subject), and
    that value's label; `UnknownBrowse` when the viewer sees no asset with it."""
    if facet not in BROWSABLE:
        raise UnknownBrowse(f"there is nothing to browse by {facet[:40]!r}")
    found = listing(archive, viewer, {facet: [value]}, page=page, lang=lang)
    if not found.total:
        raise UnknownBrowse(f"no asset has {facet} {value[:80]!r}")
    return Entry(facet, value, facet_label(archive, facet, value, lang), found.total), found


def by_speaker(archive: Archive, viewer: Audience, name: str, page: int = 1,
               lang: str = "en") -> Listing:
    """The assets where a speaker (by name) speaks."""
    clean = name.replace('"', " ").strip()
    if not clean:
        raise UnknownBrowse("a speaker's name is needed")
    found = listing(archive, viewer, text=f'speaker:"{clean}"', page=page, lang=lang)
    if not found.total:
        raise UnknownBrowse(f"no asset has the speaker {clean[:80]!r}")
    return found


def overview(archive: Archive, viewer: Audience, lang: str = "en") -> dict[str, list[Entry]]:
    """Every browsable facet's values with their counts (the browse page)."""
    found = listing(archive, viewer, per_page=1, lang=lang)
    return {name: found.facets.get(name, []) for name in BROWSABLE}
