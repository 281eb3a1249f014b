"""The query model: what a user typed, parsed once, compiled by each engine.

Syntax: words (all must match), `"a phrase"`, `-excluded`, fields `speaker:`
`affiliation:` (also `country:`) `body:` `symbol:` `subject:` (matched in that part of the
record), `lang:fr`, `kind:video`, `year:2022` (filters), and `date:2022`,
`date:2022-01..2022-03-15`, `date:2021..` (ranges). Document symbols are recognised
anywhere and match exactly. Exact filters are the facets of `hexaglot.domain.facets`.

Bounds: a query is at most `MAX_QUERY_CHARS` long, no word longer than
`analysis.MAX_TOKEN_CHARS`, and results are served to a depth of `MAX_DEPTH` (page times
page size); beyond any of these the query is refused with a `QueryError` saying which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from hexaglot.domain.facets import FACET_NAMES, TEXT_FIELDS
from hexaglot.domain.languages import language_code
from hexaglot.errors import BadInput
from hexaglot.search import analysis

#: Exact-value filters: the facets.
FILTERS: tuple[str, ...] = FACET_NAMES
Sort = Literal["relevance", "date"]
MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 100
#: The deepest result served (page x per_page): a search engine gathers every hit above
#: the page, so an unbounded page is an unbounded allocation.
MAX_DEPTH = 10_000
__all__ = ["FILTERS", "TEXT_FIELDS", "Query", "QueryError", "parse"]


class QueryError(BadInput):
    """A query that cannot be understood (names the offending part)."""

    code = "bad_query"
    status = 400


@dataclass(frozen=True)
class Leaf:
    """Match `tokens` in `field`: one token is a term, several are a phrase."""

    field: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    """Every `must` child matches and no `must_not` child does."""

    must: tuple[Node, ...]
    must_not: tuple[Node, ...] = ()


Node = Leaf | AnyOf | AllOf


@dataclass
class Query:
    """A parsed search: the text tree, filters, date range, order and page."""

    text: str = ""
    must: list[Node] = field(default_factory=list)
    must_not: list[Node] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 10

    @property
    def offset(self) -> int:
        """Index of the first hit of the page."""
        return (self.page - 1) * self.per_page

    def tree(self, fields: tuple[str, ...] = TEXT_FIELDS) -> AllOf | None:
        """The text tree restricted to `fields` (None when nothing positive is left)."""
        must = [n for n in (_prune(c, fields) for c in self.must) if n is not None]
        if not must:
            return None
        must_not = [n for n in (_prune(c, fields) for c in self.must_not) if n is not None]
        return AllOf(tuple(must), tuple(must_not))

    def highlight_tokens(self) -> set[str]:
        """Every token a positive clause may match (for snippets)."""
        out: set[str] = set()
        for node in self.must:
            out.update(_leaf_tokens(node))
        return out


def _prune(node: Node, fields: tuple[str, ...]) -> Node | None:
    if isinstance(node, Leaf):
        return node if node.field in fields else None
    if isinstance(node, AnyOf):
        kids = [_prune(c, fields) for c in node.children]
        return AnyOf(tuple(k for k in kids if k)) if all(kids) else None
    must = [k for k in (_prune(c, fields) for c in node.must) if k]
    return AllOf(tuple(must)) if must else None


def _leaf_tokens(node: Node) -> list[str]:
    if isinstance(node, Leaf):
        return list(node.tokens)
    kids = node.children if isinstance(node, AnyOf) else node.must
    return [t for k in kids for t in _leaf_tokens(k)]


_PART = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[a-z_]+):)?'
    r'(?:"(?P<phrase>[^"]*)"?|(?P<sym>' + analysis.QUERY_SYMBOL.pattern[4:] + r')|(?P<word>\S+))',
    re.IGNORECASE,
)
#: Other names a query may use for a field (`country:` is the catalogue page's word).
_FIELD_ALIASES = {"country": "affiliation", "subjects": "subject", "language": "lang"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_node(field_name: str, text: str) -> Node | None:
    """The node matching `text` in a field: any of its per-language token sequences."""
    if field_name == "symbol" or (analysis.QUERY_SYMBOL.fullmatch(text) and re.search(r"\d", text)):
        leaves = [Leaf("symbol", (analysis.normalize_symbol(text),))]
    else:
        leaves = [Leaf(field_name, seq) for seq in analysis.query_variants(text)]
    if any(len(t) > analysis.MAX_TOKEN_CHARS for leaf in leaves for t in leaf.tokens):
        raise QueryError(f"a word of the query is longer than {analysis.MAX_TOKEN_CHARS} "
                         "characters")
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else AnyOf(tuple(leaves))


def parse(text: str, *, filters: dict[str, list[str]] | None = None, sort: Sort = "relevance",
          page: int = 1, per_page: int = 10) -> Query:
    """Parse a query string (and exact filters) into a Query; QueryError on a bad part."""
    if sort not in ("relevance", "date"):
        raise QueryError(f"sort must be relevance or date, not {str(sort)[:40]!r}")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"page must be >= 1 and per_page between 1 and {MAX_PER_PAGE}")
    if page * per_page > MAX_DEPTH:
        raise QueryError(f"results are served to a depth of {MAX_DEPTH} (page {page} of "
                         f"{per_page} is beyond it): narrow the query or its filters")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text)} characters long (at most "
                         f"{MAX_QUERY_CHARS})")
    text = _CONTROL.sub(" ", text)
    query = Query(text=text, sort=sort, page=page, per_page=per_page)
    for key, values in (filters or {}).items():
        for value in values:
            _add_filter(query, key, value)
    for m in _PART.finditer(text):
        _add_part(query, m)
    return query


def _add_part(query: Query, m: re.Match[str]) -> None:
    fname = (m.group("field") or "").lower()
    fname = _FIELD_ALIASES.get(fname, fname)
    value = m.group("phrase") if m.group("phrase") is not None else (m.group("sym") or m.group("word"))
    if fname and fname not in TEXT_FIELDS and fname not in ("lang", "kind", "year", "date"):
        value, fname = f"{m.group('field')}:{value}", ""
    if fname in ("lang", "kind", "year", "date"):
        _add_filter(query, fname, value)
        return
    node = text_node(fname or "text", value)
    if node is not None:
        (query.must_not if m.group("neg") else query.must).append(node)


def _add_filter(query: Query, key: str, value: str) -> None:
    key = "lang" if key == "language" else key
    value = _CONTROL.sub(" ", value)
    if len(value) > MAX_QUERY_CHARS:
        raise QueryError(f"filter {key[:40]!r} is longer than {MAX_QUERY_CHARS} characters")
    if key == "date":
        query.date_from, query.date_to = parse_date_range(value)
        return
    if key in ("date_from", "date_to"):
        start, end = parse_date_range(value)
        if key == "date_from":
            query.date_from = start
        else:
            query.date_to = end
        return
    if key not in FILTERS:
        raise QueryError(f"unknown filter {key[:40]!r} (want one of {', '.join(FILTERS)}, "
                         "date)")
    if key == "lang":
        code = language_code(value)
        if code is None:
            raise QueryError(f"unknown language {value[:40]!r}")
        value = code
    if key == "year" and not re.fullmatch(r"\d{4}", value):
        raise QueryError(f"year must be four digits, not {value[:40]!r}")
    query.filters.setdefault(key, []).append(value)


def _day(text: str, end: bool) -> date:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(*parts)


def parse_date_range(value: str) -> tuple[date | None, date | None]:
    """`2022`, `2022-02`, `2022-02-16`, `A..B`, `A..`, `..B` → (first day, last day)."""
    piece = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
    m = re.fullmatch(rf"({piece})?(\.\.)?({piece})?", value.strip())
    if not m or not (m.group(1) or m.group(3)):
        raise QueryError(f"not a date or date range (want 2022, 2022-02 or A..B): {value!r}")
    try:
        if not m.group(2):
            return _day(m.group(1), False), _day(m.group(1), True)
        start = _day(m.group(1), False) if m.group(1) else None
        end = _day(m.group(3), True) if m.group(3) else None
    except ValueError as exc:
        raise QueryError(f"not a valid date in {value!r}: {exc}") from exc
    return start, end
