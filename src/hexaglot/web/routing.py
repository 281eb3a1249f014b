"""Every route of the application, flattened (FastAPI keeps included routers nested)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from starlette.routing import Match, Mount
from starlette.types import Scope

#: The methods a route may be asked with (HEAD wherever GET; OPTIONS answered by the app).
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class RouteInfo:
    """One route: its full path template, its methods and the route object."""

    path: str
    methods: frozenset[str]
    route: Any


def all_routes(app: Any) -> Iterator[RouteInfo]:
    """Every route of `app` (an app or a router), included routers' routes included."""
    yield from _walk(getattr(app, "routes", []), "")


def _walk(routes: list[Any], prefix: str) -> Iterator[RouteInfo]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, Mount):
            yield RouteInfo(prefix + route.path + "/{path:path}", frozenset({"GET", "HEAD"}),
                            route)
        else:
            methods = frozenset(getattr(route, "methods", None) or {"GET"})
            yield RouteInfo(prefix + route.path, methods, route)


def allowed_methods(app: Any, scope: Scope) -> set[str]:
    """The methods the app's routes accept for this request's path (HEAD wherever GET)."""
    methods: set[str] = set()
    for route in getattr(app, "routes", []):
        for method in METHODS:
            match, _ = route.matches({**scope, "method": method})
            if match == Match.FULL:
                methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return methods
