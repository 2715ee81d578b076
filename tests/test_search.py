"""The site's search: Pagefind's bundle, made from the records, behind the header's search box.

In the browser, searching is tested with the readers' pages (test_readers.py) and with the
hostile records (test_xss.py); here, what the bundle holds and how a build fails without it.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from conftest import MINI, Build, copy_project, mkdocs_build, write_records
from mkdocs_chronicle.pagefind_index import write_bundle
from mkdocs_chronicle.search import document

STATEMENT_WORDS = "Physical observations that we see"


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's record of each page, by URL: what a result shows (gzip'd JSON after a signature)."""
    found = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment
    return found


def test_each_statement_is_indexed_once_under_its_anchor_on_its_day(site: Build) -> None:
    pages = fragments(site.site)
    day = pages["/days/2022-02-16/"]
    assert STATEMENT_WORDS in day["content"]
    assert day["meta"]["title"] == "16 February 2022"
    assert "wallace-bbc-physical-observations" in [anchor["id"] for anchor in day["anchors"]]
    assert [url for url, page in pages.items() if STATEMENT_WORDS in page["content"]] == ["/days/2022-02-16/"]


def test_actors_claims_sources_and_content_pages_are_indexed_by_their_own_words(site: Build) -> None:
    pages = fragments(site.site)
    assert "Zelenskyy" in pages["/actors/volodymyr-zelenskiy/"]["content"]  # an alias
    assert pages["/claims/russian-forces-returning-to-bases/"]["meta"]["title"].startswith("Russian forces")
    assert any(url.startswith("/sources/") for url in pages)
    assert pages["/about/"]["meta"]["title"] == "About"
    # The generated index pages and the search page itself are not results.
    assert not {"/days/", "/actors/", "/search/"} & pages.keys()
    # Material's search, which fetched every word at once, is gone.
    assert not (site.site / "search" / "search_index.json").exists()


def test_the_header_search_box_sends_its_query_to_the_search_page(site: Build) -> None:
    day = BeautifulSoup(site.page("days/2022-02-16/"), "html.parser")
    form = day.select_one("header form.chronicle-search-form[role=search]")
    assert form is not None and form["action"] == "../../search/"
    assert form.select_one("input[type=search][name=q]") is not None
    search_page = BeautifulSoup(site.page("search/"), "html.parser")
    scripts = [s["src"] for s in search_page.select("article script[src]")]
    assert scripts == ["../pagefind/pagefind-ui.js"]
    assert (site.site / "pagefind" / "pagefind-ui.js").is_file()
    assert "triggerSearch(query)" in search_page.select("article script:not([src])")[0].get_text()


def test_record_text_is_escaped_in_search_documents() -> None:
    html = document('Say "<b>hi</b>"', "<script>alert(1)</script>")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'data-pagefind-meta="title:Say &#34;&lt;b&gt;hi&lt;/b&gt;&#34;"' in html


def test_a_build_without_pagefind_fails_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", write_records(tmp_path / "records", MINI))
    build = mkdocs_build(project, tmp_path / "site", env={"PAGEFIND_BINARY_PATH": str(tmp_path / "no-pagefind")})
    assert build.returncode != 0
    assert "The search index could not be written: could not start Pagefind" in build.log, build.log
    assert "Traceback" not in build.log


def test_a_document_that_fails_to_be_made_fails_the_bundle_instead_of_hanging(tmp_path: Path) -> None:
    def documents() -> Iterator[tuple[str, str]]:
        yield "a/", document("A page", "words")
        raise RuntimeError("this record could not be made into a document")

    outcome: list[BaseException | int] = []

    def run() -> None:
        try:
            outcome.append(write_bundle(documents(), tmp_path / "pagefind", "en"))
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "write_bundle hung"
    assert isinstance(outcome[0], RuntimeError) and "could not be made" in str(outcome[0])
    assert not (tmp_path / "pagefind").exists()
