"""Search commands: search, reindex, import captions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hexaglot.cli import app, import_app
from hexaglot.cli.output import console, fail, print_json, reported
from hexaglot.domain import Audience
from hexaglot.domain.facets import FACET_NAMES

if TYPE_CHECKING:
    from hexaglot.app.searching import SearchResults


def _filters(pairs: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            fail(f"--filter {pair!r}: want KEY=VALUE (e.g. body='Security Council')")
        out.setdefault(key.strip(), []).append(value.strip())
    return out


def _print_results(results: SearchResults) -> None:
    console.print(f"{results.total} assets ({results.took_ms:.1f} ms)", highlight=False)
    for hit in results.hits:
        head = " · ".join(x for x in (hit.recorded_on, hit.body, hit.record_symbol) if x)
        console.print(f"[bold]{hit.asset_id}[/bold]  {escape(hit.title)}  [dim]{escape(head)}[/dim]",
                      highlight=False)
        snippet = escape(hit.snippet).replace("<mark>", "[yellow]").replace("</mark>", "[/yellow]")
        if snippet:
            console.print(f"    {snippet}", highlight=False)
        for m in hit.moments:
            console.print(f"    ▶ {m.start:.0f}s [{m.language}] {escape(m.speaker or '')}: "
                          f"{m.link}", highlight=False)
    for name, pairs in results.facets.items():
        if pairs:
            shown = ", ".join(f"{escape(v)} ({n})" for v, n in pairs[:8])
            console.print(f"[dim]{name}:[/dim] {shown}", highlight=False)


@app.command("search")
def search_command(
    query: str = typer.Argument("", help='Words, "phrases", -exclusions, field:value.'),
    filters: list[str] = typer.Option([], "--filter", "-f", help="Exact filter KEY=VALUE "
                                      f"({', '.join(FACET_NAMES)}, date)."),
    sort: str = typer.Option("relevance", help="relevance or date."),
    page: int = typer.Option(1, min=1, help="Page of results."),
    per_page: int = typer.Option(10, min=1, max=100, help="Hits per page."),
    include_restricted: bool = typer.Option(False, "--include-restricted",
                                            help="Search as staff: also what only staff "
                                            "see (non-public, embargoed, drafts)."),
    as_json: bool = typer.Option(False, "--json", help="Print hits, facets, total as JSON."),
) -> None:
    """Search the archive: assets and the moments of their transcripts."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.searching import QueryError, parse, search

    who = Audience.STAFF if include_restricted else Audience.PUBLIC
    try:
        parsed = parse(query, filters=_filters(filters), sort=sort,  # type: ignore[arg-type]
                       page=page, per_page=per_page)
    except QueryError as exc:
        fail(f"query {query!r}: {exc}")
    with open_archive() as archive, reported():
        results = search(archive, parsed, who)
    if as_json:
        print_json({"query": query, **results.to_dict()})
    else:
        _print_results(results)


@app.command("reindex")
def reindex_command(
    pending: bool = typer.Option(False, "--pending",
                                 help="Only apply catalogue changes not yet indexed."),
) -> None:
    """Rebuild the search index from the catalogue and swap it in atomically."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.indexing import apply_pending, asset_count, reindex

    with open_archive() as archive:
        if pending:
            console.print(f"applied {apply_pending(archive)} pending changes")
            return
        columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("indexing", total=asset_count(archive))
            n = reindex(archive, lambda k: bar.advance(task, k))
    console.print(f"indexed {n} assets")


@import_app.command("captions")
def import_captions_command(
    asset_id: str = typer.Argument(..., help="The asset the captions belong to."),
    file: Path = typer.Argument(..., help="A WebVTT (.vtt) or SRT (.srt) file."),
    language: str = typer.Option(..., "--language", "-l", help="Language of the cues (fr)."),
    speaker: str | None = typer.Option(None, help="Speaker of cues that name none."),
) -> None:
    """Import time-coded captions as the asset's transcript in one language."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.captions import import_captions

    with open_archive() as archive, reported():
        code, n = import_captions(archive, asset_id, file, language, speaker)
    console.print(f"{n} {code} cues imported into {asset_id}")
