"""Headless Chromium (Debian's package) driven by Playwright, against a built site on loopback."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from benchmarks.search_download import CHROMIUM_ARGS  # the switches this machine's Chromium needs

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


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


def search(page: Any, base: str, query: str, seconds: float = 30) -> list[str]:
    """Search as a reader does: type `query` into the header's box on the home page and press
    Enter; the search page (Pagefind) shows the results. Returns their links: each page's, and
    those of the sections under it (a day's statements)."""
    page.goto(base, wait_until="networkidle")
    box = page.locator("input.chronicle-search-form__input")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=seconds * 1000)
    return [a.get_attribute("href") or "" for a in page.locator(".pagefind-ui__result-link").all()]
