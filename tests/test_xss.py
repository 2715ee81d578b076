"""Cross-site scripting: classic payloads in every text field of every record kind.

The site must render them as text. Checked twice: statically (no script, event handler or
`javascript:` URL that the theme did not put there) and in headless Chromium (no payload runs,
on page load or when a reader searches).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser import browser, search, serve
from conftest import Build, copy_project, mkdocs_build
from mkdocs_chronicle.markup import ALLOWED_TAGS as ANNOTATION_TAGS

PAYLOADS = [
    line for line in (Path(__file__).parent / "data" / "xss_payloads.txt").read_text("utf-8").splitlines() if line
]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background")


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def payload_records(root: Path, benign: bool = False) -> Path:
    """One actor, claim, source and statement per payload, the payload in every text field
    (with `benign`, the same records with plain words instead: the theme's own markup)."""
    for i, payload in enumerate(PAYLOADS):
        p = yaml_text(f"benign words {i}" if benign else payload)
        day = dt.date(2022, 1, 1) + dt.timedelta(days=i % 10)
        files = {
            f"actors/actor-{i}.yml": (
                f"name: {p}\nkind: person\naliases: [{p}]\ndescription: {p}\nroles:\n  - title: {p}\n"
            ),
            f"sources/source-{i}.yml": (f"title: {p}\npublisher: {p}\nurl: https://example.org/{i}\nvia: [{p}]\n"),
            f"claims/claim-{i}.yml": (
                f"title: {p}\nsummary: {p}\nverdicts:\n  - date: 2022-01-20\n    rating: unproven\n"
                f"    note: {p}\n    sources:\n      - source: source-{i}\n        locator: {p}\n"
            ),
            f"statements/{day:%Y/%m/%d}/statement-{i}.yml": (
                f"date: {day.isoformat()}\nactor: actor-{i}\ntext: {p}\nrole: {p}\nvenue: {p}\nplace: {p}\n"
                f"date_note: {p}\nlanguage: de\ntranslation: {p}\nannotation: {p}\n"
                f"sources:\n  - source: source-{i}\n    locator: {p}\n"
                f"claims:\n  - claim: claim-{i}\n    stance: supports\n"
            ),
        }
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
    return root


def build_records(root: Path, benign: bool) -> Build:
    project = copy_project(root / "project", payload_records(root / "records", benign))
    build = mkdocs_build(project, root / "site")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_records(tmp_path_factory.mktemp("xss"), benign=False)


@pytest.fixture(scope="module")
def benign_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_records(tmp_path_factory.mktemp("benign"), benign=True)


def generated_pages(site: Path) -> list[Path]:
    return sorted(p for kind in ("days", "actors", "claims", "sources") for p in (site / kind).rglob("index.html"))


def test_the_corpus_is_large_and_reaches_every_page(xss_site: Build) -> None:
    assert len(PAYLOADS) >= 50
    assert len(generated_pages(xss_site.site)) >= 3 * len(PAYLOADS)
    # The payloads are there, as text: one appears escaped in its actor's name and title.
    html = xss_site.page("actors/actor-0/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def tag_shapes(file: Path) -> Counter[tuple[str, tuple[str, ...]]]:
    page = BeautifulSoup(file.read_text("utf-8"), "html.parser")
    return Counter((tag.name, tuple(sorted(tag.attrs))) for tag in page.find_all(True))


def test_no_script_handler_or_javascript_url_the_theme_did_not_put_there(xss_site: Build, benign_site: Build) -> None:
    found = []
    for file in [*generated_pages(xss_site.site), xss_site.site / "index.html"]:
        page = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        for tag in page.find_all(True):
            where = f"{file.relative_to(xss_site.site)}: <{tag.name}>"
            if tag.name == "script" and tag.get("type") == "application/ld+json":
                json.loads(tag.get_text())  # data, never run: it must only stay one intact JSON text
            elif tag.name == "script" and not tag.get("src") and re.search(r"alert|xss", tag.get_text(), re.I):
                found.append(where)
            for name, value in tag.attrs.items():
                if name.lower().startswith("on"):
                    found.append(f"{where} {name}")
                if name.lower() in URL_ATTRIBUTES:
                    cleaned = re.sub(r"[\s\x00-\x1f]", "", str(value)).lower()
                    if cleaned.startswith(("javascript:", "vbscript:", "data:")):
                        found.append(f"{where} {name}={value}")
        # Every element beyond those the same records with plain words produce must be one
        # that sanitised annotation Markdown may contain.
        extra = tag_shapes(file) - tag_shapes(benign_site.site / file.relative_to(xss_site.site))
        for (name, attributes), _count in extra.items():
            if name not in ANNOTATION_TAGS or not set(attributes) <= {"href", "title", "rel"}:
                found.append(f"{file.relative_to(xss_site.site)}: extra <{name} {' '.join(attributes)}>")
    assert found == []


@pytest.mark.browser
def test_no_payload_runs_in_chromium(xss_site: Build) -> None:
    pages = generated_pages(xss_site.site)
    dialogs: list[str] = []
    with serve(xss_site.site) as base, browser() as chromium:
        context = chromium.new_context()
        # A payload that runs at all reports itself: alert is replaced before any page script.
        context.add_init_script("window.alert = (m) => { window.__xss = (window.__xss || 0) + 1; };")
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        executed = []
        for file in pages:
            url = base + file.parent.relative_to(xss_site.site).as_posix() + "/"
            page.goto(url, wait_until="load")
            page.wait_for_timeout(20)
            if page.evaluate("window.__xss || 0"):
                executed.append(url)
        # The search index holds every payload too: searching renders them in the results.
        search(page, base, "alert")
        page.wait_for_timeout(500)
        if page.evaluate("window.__xss || 0"):
            executed.append("search results")
        context.close()
    print(f"payloads: {len(PAYLOADS)}; pages loaded: {len(pages)}; executed: {len(executed)}; dialogs: {len(dialogs)}")
    assert executed == [] and dialogs == []
