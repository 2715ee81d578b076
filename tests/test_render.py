"""Golden tests: the mini chronicle's records in, page HTML out, compared with tests/golden/.

Run with UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from mkdocs_chronicle.index import build_index
from mkdocs_chronicle.render import Renderer, page_url, relative_url
from mkdocs_chronicle.validate import validate_folder

GOLDEN = Path(__file__).parent / "golden"


def renderer(records: Path, **options: object) -> Renderer:
    result = validate_folder(records, "chronicle")
    assert result.chronicle is not None, result.problems
    options.setdefault("build_date", dt.date(2022, 3, 1))  # goldens must not change with the clock
    return Renderer(build_index(result.chronicle), **options)  # type: ignore[arg-type]


def plans_by_uri(r: Renderer) -> dict[str, object]:
    return {p.src_uri: p for p in r.plans()}


def test_the_pages_planned(mini: Path) -> None:
    assert sorted(plans_by_uri(renderer(mini))) == [
        "actors/ben-wallace.md",
        "actors/index.md",
        "actors/russian-defence-ministry.md",
        "actors/uk-government.md",
        "claims/index.md",
        "claims/russia-withdrawing-troops.md",
        "days/2022-02-16.md",
        "days/2022-02-17.md",
        "days/index.md",
        "search.md",
        "sources/index.md",
        "sources/report.md",
    ]


@pytest.mark.parametrize(
    "src_uri",
    [
        "days/2022-02-16.md",
        "actors/ben-wallace.md",
        "claims/russia-withdrawing-troops.md",
        "sources/report.md",
        "days/index.md",
    ],
)
def test_golden_pages(mini: Path, src_uri: str) -> None:
    r = renderer(mini, edit_url=lambda path: f"https://example.org/edit/{path}")
    html = r.render(next(p for p in r.plans() if p.src_uri == src_uri))
    golden = GOLDEN / (src_uri.replace("/", "--").removesuffix(".md") + ".html")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_statement_mentions_link_to_the_day_anchor(mini: Path) -> None:
    r = renderer(mini)
    actor_page = r.render(next(p for p in r.plans() if p.src_uri == "actors/ben-wallace.md"))
    assert 'href="../../days/2022-02-16/#wallace-no-evidence"' in actor_page
    day_page = r.render(next(p for p in r.plans() if p.src_uri == "days/2022-02-16.md"))
    # A response on the same day links to the same page: the browser only scrolls.
    assert 'href="../../days/2022-02-16/#crimea-video"' in day_page


def test_links_follow_use_directory_urls(mini: Path) -> None:
    r = renderer(mini, use_directory_urls=False)
    day_page = r.render(next(p for p in r.plans() if p.src_uri == "days/2022-02-16.md"))
    assert 'href="../actors/ben-wallace.html"' in day_page
    assert 'href="../days/2022-02-17.html"' in day_page


def test_a_site_template_overrides_the_package_one(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "overrides" / "chronicle").mkdir(parents=True)
    (tmp_path / "overrides" / "chronicle" / "source.html").write_text("<p>Custom: {{ source.title }}</p>")
    r = renderer(mini, override_dirs=[tmp_path / "overrides"])
    assert r.render(next(p for p in r.plans() if p.src_uri == "sources/report.md")) == "<p>Custom: A report</p>"


@pytest.mark.parametrize(
    ("src_uri", "directory", "flat"),
    [
        ("index.md", "", "index.html"),
        ("days/index.md", "days/", "days/index.html"),
        ("days/2022-02-16.md", "days/2022-02-16/", "days/2022-02-16.html"),
    ],
)
def test_page_url(src_uri: str, directory: str, flat: str) -> None:
    assert page_url(src_uri, True) == directory
    assert page_url(src_uri, False) == flat


@pytest.mark.parametrize(
    ("target", "base", "expected"),
    [
        ("actors/x/", "days/2022-02-16/", "../../actors/x/"),
        ("days/2022-02-16/#a", "days/2022-02-16/", "#a"),
        ("days/", "days/2022-02-16/", "../"),
        ("days/2022-02-17/", "days/2022-02-16/", "../2022-02-17/"),
        ("days/2022-02-16/", "", "days/2022-02-16/"),
        ("", "days/", "../"),
        ("actors/x.html", "days/d.html", "../actors/x.html"),
    ],
)
def test_relative_url(target: str, base: str, expected: str) -> None:
    assert relative_url(target, base) == expected
