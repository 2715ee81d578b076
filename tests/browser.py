"""Headless Chromium (Debian's package) driven by Playwright, against a built site on loopback."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Without the background-networking switches Chromium keeps calling out to a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    return path


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def search(page: Any, base: str, query: str, seconds: float = 90) -> list[str]:
    """Type `query` into Material's search on the home page; the result links.

    The search index loads and is indexed in a web worker; a query typed before it is ready
    shows nothing, so the query is typed again until results appear (or time runs out).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(base, wait_until="networkidle")
    deadline = time.monotonic() + seconds
    box = page.locator("input.md-search__input")
    while True:
        box.click()
        box.fill("")
        box.press_sequentially(query)  # real key presses: what Material's search listens for
        try:
            page.wait_for_selector(".md-search-result__item", timeout=5_000)
            break
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
    return [a.get_attribute("href") or "" for a in page.locator(".md-search-result__item a").all()]
