"""The docs keep up with the code: every command, setting and route is documented."""

from __future__ import annotations

from pathlib import Path

import typer

from hexaglot.cli import app
from hexaglot.config import Settings
from hexaglot.web.app import create_app
from hexaglot.web.routing import all_routes

ROOT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def command_names(group: typer.Typer, prefix: str = "hexaglot") -> list[str]:
    names = [f"{prefix} {c.name or c.callback.__name__.replace('_', '-')}" for c in group.registered_commands]
    for sub in group.registered_groups:
        names += command_names(sub.typer_instance, f"{prefix} {sub.name}")
    return names


def test_every_command_is_documented() -> None:
    missing = [name for name in command_names(app) if f"`{name}" not in DOCS]
    assert not missing, f"commands missing from docs/: {missing}"


def test_every_setting_is_documented() -> None:
    missing = [f"HEXAGLOT_{name.upper()}" for name in Settings.model_fields
               if f"HEXAGLOT_{name.upper()}" not in DOCS]
    assert not missing, f"settings missing from docs/: {missing}"


def test_every_route_is_documented(sqlite_home: Path) -> None:
    routes = {f"{m} {r.path}" for r in all_routes(create_app()) for m in r.methods
              if m != "HEAD" and not r.path.startswith("/static")}
    assert "PATCH /api/assets/{asset_id}" in routes and "GET /search" in routes
    missing = {r for r in routes if f"`{r}`" not in DOCS and f"`{r}?" not in DOCS}
    assert not missing, f"routes missing from docs/api.md: {missing}"
