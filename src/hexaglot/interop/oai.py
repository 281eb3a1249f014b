"""An OAI-PMH 2.0 data provider on the `oaipmh` library (ETH Library's fork of pyoai).

`OaiProvider(source, site).respond(params)` answers one request (the query or form
pairs, repeated keys kept) with the OAI-PMH XML to send as `text/xml` with HTTP 200,
errors included. All six verbs; metadata formats `oai_dc`, `marc21` (MARCXML) and
`pbcore`; sets by body and by year, with their parents `body` and `year`; `from`/`until`
at day or second granularity; deleted records `persistent`. Identifiers are
`oai:{host of the site}:{asset_id}`.

Resumption tokens hold the whole request and where the last page ended (datestamp and
asset id), never server state: they survive a restart and any number of servers, and a
record changed mid-harvest simply comes again later with its new datestamp. The last
page of a resumed list carries an empty `resumptionToken`, as the protocol asks.
The library answers `badVerb`, `badArgument` (unknown, missing, exclusive arguments, bad
dates, mixed granularity) and `noRecordsMatch`; this module adds repeated arguments,
`from` after `until`, `cannotDisseminateFormat`, `idDoesNotExist` and
`badResumptionToken`. (`noSetHierarchy` and `noMetadataFormats` never apply: the
archive has sets, and every record has every format.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree
from oaipmh import common, error, server
from oaipmh.metadata import MetadataRegistry

from hexaglot.domain import Asset
from hexaglot.domain.sets import PARENT_SETS
from hexaglot.interop import dublin_core, marc, pbcore
from hexaglot.interop.oai_source import Cursor, OaiItem, OaiSource, Window
from hexaglot.interop.site import Site

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
LISTS = ("ListIdentifiers", "ListRecords")
TOKEN_KEYS = {"verb", "metadataPrefix", "set", "from_", "until", "after"}


@dataclass(frozen=True)
class MetadataFormat:
    """One metadata format: prefix, schema, namespace, and the element it writes."""

    prefix: str
    schema: str
    namespace: str
    element: Callable[[Asset, Site], etree._Element]


FORMATS: tuple[MetadataFormat, ...] = (
    MetadataFormat("oai_dc", dublin_core.SCHEMA, dublin_core.OAI_DC, dublin_core.element),
    MetadataFormat("marc21", marc.SCHEMA, marc.MARC_NS, marc.element),
    MetadataFormat("pbcore", pbcore.SCHEMA, pbcore.PBCORE_NS,
                   lambda asset, site: pbcore.element(asset, site)),
)
PREFIXES = {f.prefix: f for f in FORMATS}


def _naive(dt: datetime) -> datetime:
    """UTC without tzinfo and microseconds, as the library writes datestamps."""
    return dt.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _aware(dt: datetime | None) -> datetime | None:
    return None if dt is None else dt.replace(tzinfo=UTC)


class _Identify(common.Identify):
    """Identify with the earliest datestamp asked of the source only when written (the
    library builds an Identify for the envelope of every response)."""

    def __init__(self, source: OaiSource, **kw: Any) -> None:
        super().__init__(**kw)
        self._source = source

    def earliestDatestamp(self) -> datetime:  # noqa: N802 - library API
        return _naive(self._source.earliest_datestamp() or datetime.now(UTC))


class _Repository(common.ResumptionOAIPMH):
    """The library's resumption-aware interface over an `OaiSource`."""

    def __init__(self, source: OaiSource, site: Site, page_size: int,
                 admin_emails: Sequence[str]) -> None:
        self._source, self._site, self._size = source, site, page_size
        self._admins = list(admin_emails)
        self._prefix = f"oai:{site.host}:"

    def handleVerb(self, verb: str, kw: dict[str, Any]) -> Any:  # noqa: N802 - library API
        if verb == "Identify":
            return self._identify()
        if verb == "ListMetadataFormats":
            if "identifier" in kw:
                self._item(kw["identifier"])
            return [(f.prefix, f.schema, f.namespace) for f in FORMATS]
        if verb == "ListSets":
            return self._sets(kw), None
        if verb in ("GetRecord", "GetMetadata"):
            self._format(kw["metadataPrefix"])
            item = self._item(kw["identifier"])
            return self._header(item), item.record, None
        return self._list(verb, kw)

    def _identify(self) -> common.Identify:
        return _Identify(self._source, repositoryName=self._site.name,
                         baseURL=self._site.oai(), protocolVersion="2.0",
                         adminEmails=self._admins, earliestDatestamp=None,
                         deletedRecord="persistent", granularity=GRANULARITY,
                         compression=["identity"])

    def _sets(self, kw: dict[str, Any]) -> list[tuple[str, str, None]]:
        if "resumptionToken" in kw:
            raise error.BadResumptionTokenError("ListSets is never split: no token is valid")
        leaves = sorted(self._source.sets(), key=lambda s: s.spec)
        parents = sorted({s.spec.split(":")[0] for s in leaves} | set(PARENT_SETS))
        return [(p, PARENT_SETS.get(p, p), None) for p in parents] + \
            [(s.spec, s.name, None) for s in leaves]

    def _format(self, prefix: str) -> MetadataFormat:
        if prefix not in PREFIXES:
            raise error.CannotDisseminateFormatError(
                f"metadata format {prefix!r} is not served (there are: {', '.join(PREFIXES)})")
        return PREFIXES[prefix]

    def _item(self, identifier: str) -> OaiItem:
        asset_id = identifier[len(self._prefix):] if identifier.startswith(self._prefix) \
            else None
        item = self._source.item(asset_id) if asset_id else None
        if item is None:
            raise error.IdDoesNotExistError(f"no record has the identifier {identifier!r} "
                                            f"(identifiers look like {self._prefix}1000001)")
        return item

    def _header(self, item: OaiItem) -> common.Header:
        return common.Header(None, self._prefix + item.asset_id, _naive(item.datestamp),
                             list(item.sets), item.deleted)

    def _list(self, verb: str, kw: dict[str, Any]) -> tuple[list[Any], str | None]:
        if "resumptionToken" in kw:
            kw, cursor = _read_token(verb, kw["resumptionToken"])
        else:
            kw, cursor = {**kw, "verb": verb}, 0
        self._format(kw["metadataPrefix"])
        since, until = kw.get("from_"), kw.get("until")
        if since is not None and until is not None and since > until:
            raise error.BadArgumentError(f"from ({since:%Y-%m-%dT%H:%M:%SZ}) is later than "
                                         f"until ({until:%Y-%m-%dT%H:%M:%SZ})")
        window = Window(_aware(since), _aware(until + timedelta(seconds=1)) if until else None,
                        kw.get("set"))
        after = _cursor(kw["after"]) if "after" in kw else None
        items = self._source.page(window, after, self._size + 1)
        token = None
        if len(items) > self._size:
            items = items[: self._size]
            last = items[-1]
            token = server.encodeResumptionToken(
                {**kw, "after": f"{last.datestamp.isoformat()}|{last.asset_id}"},
                cursor + len(items))
        if verb == "ListIdentifiers":
            return [self._header(i) for i in items], token
        return [(self._header(i), i.record, None) for i in items], token


def _cursor(text: str) -> Cursor:
    stamp, _, asset_id = text.partition("|")
    return Cursor(datetime.fromisoformat(stamp), asset_id)


def _read_token(verb: str, token: str) -> tuple[dict[str, Any], int]:
    """The request a token continues (BadResumptionTokenError when it is not ours)."""
    try:
        kw, cursor = server.decodeResumptionToken(token)
        if set(kw) - TOKEN_KEYS or kw.get("verb") != verb or "metadataPrefix" not in kw \
                or "after" not in kw:
            raise ValueError("unexpected contents")
        _cursor(kw["after"])
    except (ValueError, error.ErrorBase, error.DatestampError) as exc:
        raise error.BadResumptionTokenError(
            f"the resumption token {token[:60]!r} was not issued for {verb} by this "
            "repository (start the list again without it)") from exc
    return kw, cursor


class _Server(server.ServerBase):
    def __init__(self, repo: _Repository, registry: MetadataRegistry) -> None:
        super().__init__(repo, registry)
        self._tree_server = _TreeServer(repo, registry)


class _TreeServer(server.XMLTreeServer):
    def _outputResuming(self, element: Any, input_func: Any, output_func: Any,  # noqa: N802
                        kw: dict[str, Any]) -> None:
        super()._outputResuming(element, input_func, output_func, kw)
        last = element.find(server.nsoai("resumptionToken"))
        if "resumptionToken" in kw and last is None:  # the last part of a resumed list
            etree.SubElement(element, server.nsoai("resumptionToken"))


class OaiProvider:
    """Answers OAI-PMH requests from an `OaiSource` (see the module docstring)."""

    def __init__(self, source: OaiSource, site: Site, page_size: int = 100,
                 admin_emails: Sequence[str] = ()) -> None:
        if page_size < 1:
            raise ValueError(f"OAI page size must be at least 1, not {page_size}")
        registry = MetadataRegistry()
        for fmt in FORMATS:
            registry.registerWriter(fmt.prefix, _writer(fmt, site))
        self._server = _Server(_Repository(source, site, page_size, admin_emails), registry)

    def respond(self, params: Sequence[tuple[str, str]]) -> bytes:
        """The XML answer to one request given as its (name, value) pairs."""
        names = [k for k, _ in params]
        repeated = sorted({k for k in names if names.count(k) > 1})
        if repeated:
            cls = error.BadVerbError if "verb" in repeated else error.BadArgumentError
            return self._error(cls(f"argument(s) repeated: {', '.join(repeated)}"))
        return bytes(self._server.handleRequest(dict(params)))

    def _error(self, exc: error.ErrorBase) -> bytes:
        tree = self._server._tree_server.handleException(exc)
        return bytes(etree.tostring(tree.getroot(), encoding="UTF-8", xml_declaration=True,
                                    pretty_print=True))


def _writer(fmt: MetadataFormat, site: Site) -> Callable[[etree._Element, Asset], None]:
    def write(parent: etree._Element, asset: Asset) -> None:
        parent.append(fmt.element(asset, site))
    return write
