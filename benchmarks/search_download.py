"""What a reader's browser downloads for a first search on a built site.

    python -m benchmarks.search_download SITE [QUERY ...]

Serves SITE on loopback with a handler that counts the bytes of every file it sends, opens
`search/?q=QUERY` in headless Chromium (Debian's) with an empty cache, waits for the results and
for the network to go quiet, and adds up what came from `pagefind/`: Pagefind's scripts and
WebAssembly, its metadata, the index chunks the query needs and the fragments of the results
shown. The figure is the largest over the queries (default: words that every day's statements
use, the worst case for a synthetic chronicle). Prints JSON; the bytes are uncompressed, as
this server sends them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import threading
from pathlib import Path
from typing import Any, BinaryIO

# Words of the generator's vocabulary (generate.py): each is in thousands of statements.
QUERIES = ("troop", "border security", "withdraw from the border")
CHROMIUM_ARGS = [  # as the browser tests: without these Chromium calls out to a closed network
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[str, int]]  # set on the class made for each server

    def copyfile(self, source: BinaryIO, outputfile: Any) -> None:  # type: ignore[override]
        data = source.read()
        self.sent.append((self.path.split("?", 1)[0], len(data)))
        outputfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def bundle_size(site: Path) -> dict[str, int]:
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return {"bundle_files": len(files), "bundle_bytes": sum(p.stat().st_size for p in files)}


def measure(site: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, Any]:
    """Bytes fetched from pagefind/ for each query, each in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("Debian's chromium is not installed (`make browser` installs it)")
    handler = type("Handler", (_CountingHandler,), {"sent": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    per_query: dict[str, dict[str, Any]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for query in queries:
                handler.sent.clear()
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{base}search/?q={query.replace(' ', '+')}")
                page.wait_for_selector(".pagefind-ui__result-link", timeout=60_000)
                page.wait_for_load_state("networkidle")
                results = page.locator(".pagefind-ui__message").inner_text()
                fetched = [(path, size) for path, size in handler.sent if path.startswith("/pagefind/")]
                per_query[query] = {
                    "bytes": sum(size for _, size in fetched),
                    "files": len(fetched),
                    "results": results,
                }
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    worst = max(per_query, key=lambda q: per_query[q]["bytes"])
    return {
        "search_download_bytes": per_query[worst]["bytes"],
        "search_download_query": worst,
        "search_download_queries": per_query,
        **bundle_size(site),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", default=list(QUERIES))
    args = parser.parse_args()
    print(json.dumps(measure(args.site, tuple(args.queries)), indent=1))


if __name__ == "__main__":
    main()
