"""Citing the archive: finding a meeting from the symbols people cite it by (`S/PV.8967`,
Security Council meeting 8967, General Assembly session 78 meeting 12), the citation of an
asset in plain text, BibTeX and CSL-JSON, and links out to the official documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hexaglot.app.archive import Archive
from hexaglot.app.searching import parse, search
from hexaglot.domain import Asset, Audience
from hexaglot.errors import NotFound

#: Bodies by the short names of citation routes.
BODIES = {"sc": "Security Council", "ga": "General Assembly"}
_SYMBOL = re.compile(r"[A-Z]{1,3}(?:/[A-Za-z0-9.\-()]{1,40}){1,6}")
_RESOLUTION = re.compile(r"\b[Rr]esolution (\d{1,5}) \((\d{4})\)")


class UnknownCitation(NotFound):
    """No asset the viewer may see is cited by this symbol or number."""


def _by_symbol(archive: Archive, symbol: str, viewer: Audience) -> Asset | None:
    found = search(archive, parse(f'symbol:"{symbol}"', per_page=20), viewer)
    wanted = symbol.casefold()
    for hit in found.hits:
        if (hit.record_symbol or "").casefold() == wanted:
            return archive.catalog.get(hit.asset_id, viewer)
    return None


def cited_by_symbol(archive: Archive, symbol: str, viewer: Audience) -> Asset:
    """The asset whose meeting record has this symbol (`S/PV.8967`, `A/78/PV.12`)."""
    if not _SYMBOL.fullmatch(symbol):
        raise UnknownCitation(f"{symbol[:60]!r} is not a document symbol")
    asset = _by_symbol(archive, symbol, viewer)
    if asset is None:
        raise UnknownCitation(f"no meeting in the archive has the record {symbol[:60]}")
    return asset


def cited_meeting(archive: Archive, body: str, number: int, viewer: Audience,
                  session: int | None = None) -> Asset:
    """A body's meeting by number (the Security Council numbers its meetings in one series;
    the General Assembly within each session)."""
    if body not in BODIES:
        raise UnknownCitation(f"no body is called {body[:20]!r} (known: sc, ga)")
    if session is not None:
        return cited_by_symbol(archive, f"A/{session}/PV.{number}", viewer)
    asset = archive.catalog.find_meeting(BODIES[body], number)
    asset = archive.catalog.get(asset.asset_id, viewer) if asset else None
    if asset is None:
        if body == "sc":
            return cited_by_symbol(archive, f"S/PV.{number}", viewer)
        raise UnknownCitation(f"no {BODIES[body]} meeting {number} in the archive")
    return asset


@dataclass(frozen=True)
class Citation:
    """How to cite an asset (at a moment, when `at` is given)."""

    text: str
    bibtex: str
    csl: dict[str, Any]
    url: str


def _moment(url: str, at: int | None) -> str:
    return f"{url}?t={at}" if at else url


def cite(asset: Asset, url: str, at: int | None = None) -> Citation:
    """The citation of an asset whose page is at `url`, in plain text (title, body, meeting
    number, record symbol, date, asset id, URL), BibTeX and CSL-JSON."""
    m = asset.meeting
    where = _moment(url, at)
    parts = [asset.title]
    if m.body:
        parts.append(m.body + (f", meeting {m.number}" if m.number else ""))
    if m.record_symbol:
        parts.append(m.record_symbol)
    if asset.recorded_on:
        parts.append(asset.recorded_on.isoformat())
    parts.append(f"Hexaglot archive, asset {asset.asset_id}")
    text = ". ".join(parts) + f". {where}"
    fields = {"title": asset.title, "organization": m.body, "number": m.record_symbol,
              "year": str(asset.recorded_on.year) if asset.recorded_on else None,
              "month": str(asset.recorded_on.month) if asset.recorded_on else None,
              "howpublished": f"Hexaglot archive, asset {asset.asset_id}",
              "url": where}
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    bibtex = f"@misc{{hexaglot{asset.asset_id},\n{body}\n}}"
    csl: dict[str, Any] = {"id": asset.asset_id, "type": "motion_picture", "title": asset.title,
                           "URL": where, "publisher": "Hexaglot archive"}
    if m.body:
        csl["author"] = [{"literal": m.body}]
    if m.record_symbol:
        csl["number"] = m.record_symbol
    if asset.recorded_on:
        d = asset.recorded_on
        csl["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    return Citation(text, bibtex, csl, where)


def document_links(asset: Asset, symbol_url: str | None, resolution_url: str | None
                   ) -> list[tuple[str, str]]:
    """(label, URL) of the official documents an asset cites: its record symbol, its press
    summary's symbol (the record's source, `SC/15600`) and the resolutions its description
    names, from the configured URL templates (`{symbol}`, `{number}`, `{year}`); none
    without a template."""
    links: list[tuple[str, str]] = []
    if symbol_url:
        for sym in dict.fromkeys((asset.meeting.record_symbol, asset.source)):
            if sym and _SYMBOL.fullmatch(sym):
                links.append((sym, symbol_url.format(symbol=quote(sym, safe="/"))))
    if resolution_url:
        text = " ".join(filter(None, (asset.title, asset.summary, asset.description)))
        seen: set[str] = set()
        for num, year in _RESOLUTION.findall(text):
            if num in seen:
                continue
            seen.add(num)
            links.append((f"S/RES/{num} ({year})",
                          resolution_url.format(number=num, year=year,
                                                symbol=quote(f"S/RES/{num}({year})", safe="/"))))
    return links
