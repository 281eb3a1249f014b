"""Where the archive is published: the public base URL and the URL layout every exporter
assumes, written down once.

| what | URL |
|---|---|
| the asset's page | `{base}/assets/{id}` |
| an export of the record | `{base}/assets/{id}{suffix}`, suffix from `SUFFIXES` (`.json`, `.dc.xml`, `.marcxml`, `.mrc`, `.pbcore.xml`, `.jsonld`) |
| the IIIF manifest | `{base}/iiif/{id}/manifest.json` (its canvas `{base}/iiif/{id}/canvas`, …) |
| the IIIF collection of a meeting series and year | `{base}/iiif/collections/{series}/{year}.json` |
| the OAI-PMH endpoint | `{base}/oai` |
| media and transcripts | each `Format.url` of the record: a root-relative path (`/media/…`) is taken relative to `{base}`, an absolute `http(s)` URL is kept as it is |

A transcript is a format with `rendition="transcript"`, `media_type="text/vtt"` and a
`language`; the master is the format with `rendition="master"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from hexaglot.domain import Asset
from hexaglot.errors import BadInput

#: The suffix of each export of a record under `/assets/{id}`.
SUFFIXES: dict[str, str] = {
    "json": ".json",
    "dc": ".dc.xml",
    "marcxml": ".marcxml",
    "marc": ".mrc",
    "pbcore": ".pbcore.xml",
    "jsonld": ".jsonld",
}


@dataclass(frozen=True)
class Site:
    """The public face of the archive: `base_url` like `https://av.example.org` (a path
    prefix is allowed; no query, no fragment) and the archive's name (publisher, OAI
    repository name, bag source organization)."""

    base_url: str
    name: str = "Hexaglot"

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
                or parts.fragment:
            raise BadInput(f"public base URL {self.base_url!r} is not an absolute http(s) URL "
                           "without query or fragment")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def host(self) -> str:
        """The host name of the base URL (the OAI repository identifier)."""
        return urlsplit(self.base_url).hostname or "localhost"

    def url(self, path_or_url: str) -> str:
        """An absolute URL: root-relative paths are taken relative to the base URL."""
        if urlsplit(path_or_url).scheme in ("http", "https"):
            return path_or_url
        return self.base_url + "/" + path_or_url.lstrip("/")

    def asset_page(self, asset_id: str) -> str:
        """The asset's page."""
        return f"{self.base_url}/assets/{quote(asset_id, safe='')}"

    def export(self, asset_id: str, name: str) -> str:
        """The URL of one export of a record (`name` a key of `SUFFIXES`)."""
        return self.asset_page(asset_id) + SUFFIXES[name]

    def iiif(self, asset_id: str, tail: str = "manifest.json") -> str:
        """The IIIF manifest of an asset, or (with `tail`) a resource inside it."""
        return f"{self.base_url}/iiif/{quote(asset_id, safe='')}/{tail}"

    def collection(self, series: str, year: int) -> str:
        """The IIIF collection of a meeting series (a slug) and year."""
        return f"{self.base_url}/iiif/collections/{quote(series, safe='')}/{year}.json"

    def oai(self) -> str:
        """The OAI-PMH endpoint."""
        return f"{self.base_url}/oai"


@dataclass(frozen=True)
class Clip:
    """A statement clip of an asset: the clip's own record and its span in the parent's
    recording, in seconds (the catalogue keeps it with the clip's master)."""

    record: Asset
    start: float
    end: float

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise BadInput(f"clip {self.record.asset_id} must start before it ends "
                           f"(got {self.start} to {self.end} s)")
