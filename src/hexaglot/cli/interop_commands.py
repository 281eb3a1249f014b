"""Interoperability and preservation commands: export, import bag, audit."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from hexaglot.cli import app, import_app
from hexaglot.cli.output import console, err_console, fail, reported
from hexaglot.domain import Audience

if TYPE_CHECKING:
    from hexaglot.app.auditing import AuditReport, Checked

BAG = "bag"


def _bags(ids: list[str], out: Path | None) -> None:
    from hexaglot.app.archive import open_archive
    from hexaglot.app.bagging import export_bag

    if out is None:
        fail("export bag: give --out DIR (the bag, or with several ids the folder of bags)")
    with open_archive() as archive, reported():
        for asset_id in ids:
            target = out if len(ids) == 1 else out / asset_id
            done = export_bag(archive, asset_id, target)
            err_console.print(f"{done.detail}: {target}", highlight=False)
            print(target)


@app.command("export")
def export_command(
    fmt: str = typer.Argument(..., metavar="FORMAT", help="One of: json, dc, marcxml, marc, "
                              "pbcore, jsonld, iiif (see docs/cli.md), bag."),
    ids: list[str] = typer.Argument(..., metavar="ID...", help="Asset ids."),
    out: Path | None = typer.Option(None, "--out", help="Write files into this folder "
                                    "(a bag: the bag itself, for one id)."),
    include_restricted: bool = typer.Option(False, "--include-restricted",
                                            help="Export as staff, not as the public sees it."),
) -> None:
    """Export records (as the public sees them) in a format, or BagIt bags of assets."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.exporting import FORMATS, export_record, site_of

    if fmt == BAG:
        _bags(ids, out)
        return
    if fmt not in FORMATS:
        fail(f"export: no format {fmt!r} (there are: {', '.join(FORMATS)}, {BAG})")
    if out is None and len(ids) > 1:
        fail("export: give --out DIR to export more than one asset")
    viewer = Audience.STAFF if include_restricted else Audience.PUBLIC
    with open_archive() as archive, reported():
        site = site_of(archive)
        docs = [export_record(archive, fmt, asset_id, site, viewer) for asset_id in ids]
    if out is None:
        sys.stdout.buffer.write(docs[0].body)
        sys.stdout.flush()
        return
    out.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (out / doc.filename).write_bytes(doc.body)
        print(out / doc.filename)


@import_app.command("bag")
def import_bag_command(
    bag: Path = typer.Argument(..., help="A bag written by `hexaglot export bag`."),
) -> None:
    """Validate a BagIt bag (every byte) and restore its asset into this archive; prints
    the asset id. A bag with a changed byte is refused and nothing is stored."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.bagging import import_bag

    with open_archive() as archive, reported():
        asset = import_bag(archive, bag)
    err_console.print(f"restored asset {asset.asset_id} ({len(asset.formats)} formats)",
                      highlight=False)
    print(asset.asset_id)


def _line(c: Checked) -> str:
    f = c.finding
    where = "; ".join(f"asset {u.asset_id} {u.label}" for u in c.uses) or "no asset"
    said = "missing" if f.outcome == "missing" else f"damaged (reads as {f.found})"
    return f"{f.outcome}: blob {f.sha256} ({where}) is {said}" + \
        (f"; {c.action}" if c.action else "")


def _summary(report: AuditReport, seconds: float) -> dict[str, object]:
    run = report.run
    return {"run": run.id, "scope": run.scope, "blobs": run.blobs, "bytes": run.bytes,
            "failures": run.failures, "seconds": round(seconds, 3), "ok": report.ok,
            "flagged": [{"asset_id": u.asset_id, "role": u.role, "sha256": u.sha256}
                        for u in report.flagged],
            "unrepaired": [c.finding.sha256 for c in report.unrepaired]}


@app.command("audit")
def audit_command(
    every: bool = typer.Option(False, "--all", help="Re-read every blob."),
    due: bool = typer.Option(False, "--due", help="Re-read the blobs due (the default)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per blob, then a summary."),
) -> None:
    """Fixity audit: re-read blobs and compare their SHA-256; repair renditions and
    transcripts; exit 1 naming every master that fails (never overwritten)."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.auditing import audit

    if every and due:
        fail("audit: give --all or --due, not both")

    def checked(c: Checked) -> None:
        if as_json:
            sys.stdout.write(json.dumps(c.as_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif c.finding.outcome != "intact":
            err_console.print(_line(c), highlight=False, soft_wrap=True)

    began = time.monotonic()
    with open_archive() as archive, reported():
        report = audit(archive, "all" if every else "due", on_checked=checked)
    summary = _summary(report, time.monotonic() - began)
    if as_json:
        print(json.dumps({"summary": summary}, ensure_ascii=False))
    else:
        run = report.run
        console.print(f"audit run {run.id} ({run.scope}): {run.blobs} blobs, "
                      f"{run.bytes / 1e6:.1f} MB re-read in {summary['seconds']} s, "
                      f"{run.failures} failing", highlight=False)
    for use in report.flagged:
        err_console.print(f"flagged: asset {use.asset_id}: master {use.sha256} fails its fixity "
                          "check (kept as it is, never overwritten)", highlight=False,
                          soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)
