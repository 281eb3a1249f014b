"""SQL building for the PostgreSQL engine: tsvector/tsquery literals and conditions.

The tables are the catalogue's (`hexaglot.catalog.search_tables`, made by its
migrations). Tokens are made in Python (`hexaglot.search.analysis`) and written as tsvector
literals, so PostgreSQL stores exactly the tokens Tantivy stores; queries are tsquery
literals of the same tokens. No text search configuration of PostgreSQL is involved.
"""

from __future__ import annotations

from itertools import count

from hexaglot.catalog.search_tables import search_assets, search_generation, search_segments
from hexaglot.domain import Audience
from hexaglot.domain.facets import FACETS, TEXT_FIELDS
from hexaglot.search.documents import visible_filter
from hexaglot.search.query import AnyOf, Leaf, Node, Query

ASSETS = search_assets.name
SEGMENTS = search_segments.name
#: A sequence moved on after every change of the index: its value names the index's state.
GENERATION = search_generation.name
LIST_FACETS: tuple[str, ...] = tuple(f.name for f in FACETS if not f.numeric)
NUMBER_FACETS: tuple[str, ...] = tuple(f.name for f in FACETS if f.numeric)
_MAX_POS = 16383  # PostgreSQL's largest tsvector position
_MAX_POSITIONS = 255  # positions kept per lexeme
_MAX_LEXEME = 2000  # bytes

#: Advisory lock keys, paired with the schema's hash so archives sharing a database
#: (one schema each) never wait for each other.
WRITER_LOCK = "SELECT pg_advisory_xact_lock(4243, hashtext(current_schema()))"
#: The same lock held across the transactions of a rebuild (released by the unlock or
#: when the connection ends).
WRITER_SESSION_LOCK = "SELECT pg_advisory_lock(4243, hashtext(current_schema()))"
WRITER_SESSION_UNLOCK = "SELECT pg_advisory_unlock(4243, hashtext(current_schema()))"


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(tokens: list[str]) -> str:
    """A tsvector literal of tokens in order (position = place in the list, from 1)."""
    positions: dict[str, list[int]] = {}
    for i, tok in enumerate(tokens, start=1):
        plist = positions.get(tok)
        if plist is None:
            if len(tok) > _MAX_LEXEME // 4 and len(tok.encode()) > _MAX_LEXEME:
                continue
            positions[tok] = [min(i, _MAX_POS)]
        elif len(plist) < _MAX_POSITIONS and i <= _MAX_POS:
            plist.append(i)
    return " ".join(f"{_quote(t)}:{','.join(map(str, p))}" for t, p in positions.items())


def tsquery(tokens: tuple[str, ...]) -> str:
    """A tsquery literal: one lexeme, or a phrase of consecutive lexemes."""
    return " <-> ".join(_quote(t) for t in tokens)


def _one_field(node: Node) -> tuple[str, str] | None:
    """(field, tsquery) of a tree whose leaves all search one field, else None."""
    if isinstance(node, Leaf):
        return node.field, "(" + tsquery(node.tokens) + ")"
    if isinstance(node, AnyOf):
        parts = [_one_field(c) for c in node.children]
        op = " | "
    else:
        parts = [_one_field(c) for c in node.must]
        parts += [None if p is None else (p[0], "!" + p[1])
                  for p in (_one_field(c) for c in node.must_not)]
        op = " & "
    found = [p for p in parts if p is not None]
    if not found or len(found) < len(parts) or len({p[0] for p in found}) != 1:
        return None
    return found[0][0], "(" + op.join(p[1] for p in found) + ")"


class Conditions:
    """Accumulates bound parameters while a query is turned into SQL."""

    def __init__(self) -> None:
        self.params: dict[str, object] = {}
        self._n = count()

    def bind(self, value: object) -> str:
        """Bind a value and return its placeholder."""
        name = f"p{next(self._n)}"
        self.params[name] = value
        return f":{name}"

    def node(self, node: Node, column: dict[str, str]) -> str:
        """SQL for a text tree; `column` maps a query field to its tsvector column. A
        (sub)tree on one field becomes one tsquery (one pass over the GIN index)."""
        merged = _one_field(node)
        if merged is not None:
            name, text = merged
            return f"{column[name]} @@ CAST({self.bind(text)} AS tsquery)"
        if isinstance(node, Leaf):
            return f"{column[node.field]} @@ CAST({self.bind(tsquery(node.tokens))} AS tsquery)"
        if isinstance(node, AnyOf):
            return "(" + " OR ".join(self.node(c, column) for c in node.children) + ")"
        parts = [self.node(c, column) for c in node.must]
        parts += [f"NOT {self.node(c, column)}" for c in node.must_not]
        return "(" + " AND ".join(parts) + ")"

    def rank_query(self, node: Node | None, field: str) -> str | None:
        """A tsquery OR-ing every positive leaf of `field` (for ts_rank), bound."""
        leaves: list[str] = []

        def walk(n: Node) -> None:
            if isinstance(n, Leaf):
                if n.field == field:
                    leaves.append("(" + tsquery(n.tokens) + ")")
            elif isinstance(n, AnyOf):
                for c in n.children:
                    walk(c)
            else:
                for c in n.must:
                    walk(c)

        if node is not None:
            walk(node)
        return f"CAST({self.bind(' | '.join(leaves))} AS tsquery)" if leaves else None

    def visible(self, audience: Audience) -> list[str]:
        """Conditions keeping what `audience` may not see out (none for staff)."""
        bounds = visible_filter(audience)
        if bounds is None:
            return []
        highest, today = bounds
        return [f"audience <= {self.bind(highest)}", f"visible_from <= {self.bind(today)}"]

    def asset_where(self, query: Query, audience: Audience) -> str:
        """The WHERE clause selecting the matching assets."""
        parts = ["TRUE"]
        tree = query.tree()
        if tree is not None:
            parts.append(self.node(tree, {f: f"{f}_tsv" for f in TEXT_FIELDS}))
        for name, values in query.filters.items():
            if name in NUMBER_FACETS:
                parts.append(f"{name} = ANY({self.bind([int(v) for v in values])})")
            else:
                parts.append(f"f_{name} @> CAST({self.bind(list(values))} AS text[])")
        if query.date_from:
            parts.append(f"day >= {self.bind(query.date_from.toordinal())}")
        if query.date_to:
            parts.append(f"day <= {self.bind(query.date_to.toordinal())}")
        parts += self.visible(audience)
        return " AND ".join(parts)


def count_sql(where: str) -> str:
    """The number of matching assets."""
    return f"SELECT count(*) FROM {ASSETS} WHERE {where}"


def facets_sql(where: str, buckets: int | None = None) -> str:
    """One statement counting the matches and every facet over them (with `buckets`: over
    the matches in the first `buckets` of the `BUCKETS` sampling buckets only)."""
    if buckets is not None:
        where = f"{where} AND bucket < {int(buckets)}"
    selects = ["SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM m"]
    selects += [f"SELECT '{name}', v, count(*) FROM m, unnest(m.f_{name}) AS v GROUP BY v"
                for name in LIST_FACETS]
    selects += [f"SELECT '{name}', CAST({name} AS text), count(*) FROM m "
                f"WHERE {name} IS NOT NULL GROUP BY {name}" for name in NUMBER_FACETS]
    cols = ", ".join([*NUMBER_FACETS, *(f"f_{n}" for n in LIST_FACETS)])
    return (f"WITH m AS MATERIALIZED (SELECT {cols} FROM {ASSETS} WHERE {where}) "
            + " UNION ALL ".join(selects))
