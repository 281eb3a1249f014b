"""SQL building for the PostgreSQL engine: tables, tsvector/tsquery literals, conditions.

Tokens are made in Python (`hexaglot.search.analysis`) and written as tsvector literals, so
PostgreSQL stores exactly the tokens Tantivy stores; queries are tsquery literals of the
same tokens. No text search configuration of PostgreSQL is involved.
"""

from __future__ import annotations

from datetime import date
from itertools import count

from hexaglot.search.base import FACETS
from hexaglot.search.query import TEXT_FIELDS, AnyOf, Leaf, Node, Query

ASSETS = "search_assets"
SEGMENTS = "search_segments"
#: A sequence moved on after every change of the index: its value names the index's state.
GENERATION = "search_generation"
LIST_FACETS: tuple[str, ...] = tuple(f for f in FACETS if f != "year")
_MAX_POS = 16383  # PostgreSQL's largest tsvector position
_MAX_POSITIONS = 255  # positions kept per lexeme
_MAX_LEXEME = 2000  # bytes

DDL: tuple[str, ...] = (
    f"""CREATE TABLE IF NOT EXISTS {ASSETS} (
        asset_id text PRIMARY KEY,
        visible_from integer NOT NULL,
        day integer NOT NULL,
        year integer,
        {", ".join(f"f_{name} text[] NOT NULL" for name in LIST_FACETS)},
        {", ".join(f"{name}_tsv tsvector NOT NULL" for name in TEXT_FIELDS)},
        display jsonb NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {SEGMENTS} (
        asset_id text NOT NULL,
        seq integer NOT NULL,
        language text NOT NULL,
        speaker text,
        start_s double precision NOT NULL,
        end_s double precision NOT NULL,
        body text NOT NULL,
        tsv tsvector NOT NULL,
        PRIMARY KEY (asset_id, seq))""",
    *(f"CREATE INDEX IF NOT EXISTS {ASSETS}_{n}_gin ON {ASSETS} USING gin ({n}_tsv)"
      for n in TEXT_FIELDS),
    *(f"CREATE INDEX IF NOT EXISTS {ASSETS}_f_{n}_gin ON {ASSETS} USING gin (f_{n})"
      for n in LIST_FACETS),
    f"CREATE INDEX IF NOT EXISTS {ASSETS}_day ON {ASSETS} (day)",
    f"CREATE INDEX IF NOT EXISTS {SEGMENTS}_tsv_gin ON {SEGMENTS} USING gin (tsv)",
    f"CREATE SEQUENCE IF NOT EXISTS {GENERATION}",
)
#: Advisory lock keys, paired with the schema's hash so archives sharing a database
#: (one schema each) never wait for each other.
DDL_LOCK = "SELECT pg_advisory_xact_lock(4242, hashtext(current_schema()))"
WRITER_LOCK = "SELECT pg_advisory_xact_lock(4243, hashtext(current_schema()))"


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
        """SQL for a text tree; `column` maps a query field to its tsvector column."""
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

    def asset_where(self, query: Query, public_only: bool) -> str:
        """The WHERE clause selecting the matching assets."""
        parts = ["TRUE"]
        tree = query.tree()
        if tree is not None:
            parts.append(self.node(tree, {f: f"{f}_tsv" for f in TEXT_FIELDS}))
        for name, values in query.filters.items():
            if name == "year":
                parts.append(f"year = ANY({self.bind([int(v) for v in values])})")
            else:
                parts.append(f"f_{name} @> CAST({self.bind(list(values))} AS text[])")
        if query.date_from:
            parts.append(f"day >= {self.bind(query.date_from.toordinal())}")
        if query.date_to:
            parts.append(f"day <= {self.bind(query.date_to.toordinal())}")
        if public_only:
            parts.append(f"visible_from <= {self.bind(date.today().toordinal())}")
        return " AND ".join(parts)


def facets_sql(where: str) -> str:
    """One statement counting the total and every facet over the matching assets."""
    selects = ["SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM m"]
    selects += [f"SELECT '{name}', v, count(*) FROM m, unnest(m.f_{name}) AS v GROUP BY v"
                for name in LIST_FACETS]
    selects.append("SELECT 'year', CAST(year AS text), count(*) FROM m "
                   "WHERE year IS NOT NULL GROUP BY year")
    cols = ", ".join(["year"] + [f"f_{n}" for n in LIST_FACETS])
    return (f"WITH m AS MATERIALIZED (SELECT {cols} FROM {ASSETS} WHERE {where}) "
            + " UNION ALL ".join(selects))
