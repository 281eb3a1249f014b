"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium through Playwright."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]
HLS_JS = ROOT / "src/hexaglot/web/static/vendor/hls.min.js"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def chromium_missing(*needs: Path) -> str | None:
    """Why the browser tests cannot run here (Chromium, Playwright or one of the web assets
    `needs` missing), or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    for path in needs:
        if not path.is_file():
            return f"{path} is missing (run `make web-assets`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@contextlib.contextmanager
def chromium(*needs: Path) -> Iterator[Any]:
    """A launched headless Chromium (a Playwright `Browser`), closed afterwards; skips the
    test when `chromium_missing(*needs)` gives a reason."""
    why = chromium_missing(*needs)
    if why:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
