"""What a reader gets: pictures whose marks lead to statements, search by alias, feeds, open
data and structured data, and pages that pass axe-core. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup
from pyld import jsonld

from browser import ARTIFACTS, browser, search, serve
from conftest import ROOT, Build
from mkdocs_chronicle.validate import validate_folder

PAGES = {
    "home": "",
    "day": "days/2022-02-16/",
    "actor": "actors/jens-stoltenberg/",
    "claim": "claims/russia-withdrawing-troops/",
    "source": "sources/rferl-2022-02-16-concrete-steps/",
    "open-data": "open-data/",
}


def soup(build: Build, url: str) -> BeautifulSoup:
    return BeautifulSoup(build.page(url), "html.parser")


def chronicle():  # type: ignore[no-untyped-def]
    result = validate_folder(ROOT / "chronicle", "chronicle")
    assert result.chronicle is not None
    return result.chronicle


# -- pictures (static) --------------------------------------------------------------------


def test_the_home_timeline_has_a_bar_per_day_linking_to_it(site: Build) -> None:
    figure = soup(site, "").select_one("figure.chronicle-day-chart")
    assert figure is not None and figure.find("svg") is not None
    links = [a["href"] for a in figure.select("svg a")]
    days = sorted({s.day for s in chronicle().statements})
    assert links == [f"days/{d.isoformat()}/" for d in days]
    assert figure.select_one("svg title") is not None  # its text alternative
    assert len(figure.select("details table tbody tr")) == len(days)  # the table fallback


def test_a_claims_timeline_has_a_mark_per_statement_and_its_verdicts(site: Build) -> None:
    c = chronicle()
    claim = c.claims["russia-withdrawing-troops"]
    figure = soup(site, PAGES["claim"]).select_one("figure.chronicle-claim-chart")
    assert figure is not None
    marks = [a["href"] for a in figure.select("svg a")]
    expected = [s for s in c.statements if any(link.claim == claim.id for link in s.claims)]
    assert sorted(marks) == sorted(f"../../days/{s.day.isoformat()}/#{s.id}" for s in expected)
    assert len(figure.select("line.chronicle-verdict-line")) == len(claim.verdicts) >= 2


def test_an_actors_stance_table_links_counts_to_statements(site: Build) -> None:
    page = soup(site, "actors/joe-biden/")
    links = page.select("table.chronicle-stances td a")
    assert links
    for link in links:
        assert page.find("article", id=link["href"].removeprefix("#")) is not None


# -- statements ---------------------------------------------------------------------------


def test_statements_carry_time_permalink_citation_and_translation(site: Build) -> None:
    c = chronicle()
    translated = next(s for s in c.statements if s.translation)
    page = soup(site, f"days/{translated.day.isoformat()}/")
    card = page.find("article", id=translated.id)
    assert card is not None
    assert card.select_one("time[datetime]")["datetime"].startswith(translated.day.isoformat())
    assert (
        card.select_one("a.chronicle-permalink")["href"] == f"../../days/{translated.day.isoformat()}/#{translated.id}"
    )
    cite = card.select_one("details.chronicle-cite p").get_text(" ")
    assert f"/days/{translated.day.isoformat()}/#{translated.id}" in cite and "accessed" in cite
    pair = card.select_one(".chronicle-bilingual")
    assert pair is not None and pair.select_one(f'[lang="{translated.language}"]') is not None
    assert pair.select_one('[lang="en"]') is not None


# -- feeds, open data, structured data ------------------------------------------------------


def test_every_feed_parses_and_holds_the_right_entries(site: Build) -> None:
    c = chronicle()
    feeds = sorted(site.site.rglob("feed.xml"))
    assert len(feeds) > 20
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        rel = feed.relative_to(site.site).parent.as_posix()
        if rel == ".":
            expected = sorted(c.statements, key=lambda s: s.sort_key, reverse=True)[:100]
        elif rel.startswith("claims/"):
            claim = rel.split("/")[1]
            expected = [s for s in c.statements if any(link.claim == claim for link in s.claims)]
        else:
            expected = [s for s in c.statements if s.actor == rel.split("/")[1]]
        assert {e.link.rsplit("#", 1)[1] for e in parsed.entries} == {s.id for s in expected}, feed
    home = soup(site, "")
    assert home.select_one('link[rel=alternate][type="application/atom+xml"]')["href"] == "feed.xml"
    claim_page = soup(site, PAGES["claim"])
    assert claim_page.select_one('link[rel=alternate][type="application/atom+xml"]')["href"] == "feed.xml"


def test_open_data_matches_the_records(site: Build) -> None:
    data = json.loads((site.site / "data/chronicle.json").read_text("utf-8"))
    schema = json.loads((site.site / "data/chronicle.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    statement_files = list((ROOT / "chronicle/statements").rglob("*.yml"))
    assert len(data["statements"]) == len(statement_files)
    rows = list(csv.DictReader(io.StringIO((site.site / "data/statements.csv").read_text("utf-8"))))
    c = chronicle()
    assert len(rows) == sum(max(1, len(s.claims)) for s in c.statements)
    page = soup(site, "open-data/")
    assert {a["href"] for a in page.select("a")} >= {"../data/chronicle.json", "../data/statements.csv"}
    assert "CC BY 4.0" in page.get_text()


def structured(build: Build, url: str) -> list[dict[str, Any]]:
    scripts = soup(build, url).select('script[type="application/ld+json"]')
    return [json.loads(s.get_text()) for s in scripts]


def offline_loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
    # The schema.org context, reduced to what a JSON-LD processor needs, without a network.
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    context = {"@vocab": "https://schema.org/"}
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": context}}


def test_claim_pages_carry_json_ld_naming_each_verdict(site: Build) -> None:
    jsonld.set_document_loader(offline_loader)
    c = chronicle()
    for claim in c.claims.values():
        (document,) = structured(site, f"claims/{claim.id}/")
        expanded = jsonld.expand(document)
        reviews = [n for n in expanded if "https://schema.org/ClaimReview" in n.get("@type", [])]
        assert len(reviews) == len(claim.verdicts)
        for review, verdict in zip(reviews, claim.verdicts, strict=True):
            rating = review["https://schema.org/reviewRating"][0]
            assert rating["https://schema.org/alternateName"][0]["@value"] == verdict.rating
            assert review["https://schema.org/datePublished"][0]["@value"] == verdict.date.isoformat()
    (day,) = structured(site, PAGES["day"])
    assert {node["@type"] for node in day["@graph"]} == {"Quotation"}
    (actor,) = structured(site, "actors/joe-biden/")
    assert actor["@type"] == "Person" and jsonld.expand(actor)


# -- in the browser -----------------------------------------------------------------------


@pytest.mark.browser
def test_pages_in_chromium_charts_lead_to_statements_search_finds_aliases_axe_passes(site: Build) -> None:
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    serious: dict[str, list[str]] = {}
    with serve(site.site) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        for name, url in PAGES.items():
            page.goto(base + url)
            page.screenshot(path=str(ARTIFACTS / f"reader-{name}.png"), full_page=True)
            results = Axe().run(page)
            bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                serious[name] = [f"{v['id']}: {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}" for v in bad]

        # A mark on a claim's timeline leads to its statement on the day page.
        page.goto(base + PAGES["claim"])
        mark = page.locator("figure.chronicle-claim-chart svg a").first
        target = mark.get_attribute("href")
        assert target is not None
        mark.click()
        page.wait_for_url("**/" + target.removeprefix("../../"))
        assert page.locator(f"article#{target.rsplit('#', 1)[1]}").is_visible()

        # A bar of the home timeline leads to its day.
        page.goto(base)
        page.locator("figure.chronicle-day-chart svg a").first.click()
        page.wait_for_url("**/days/2022-02-14/")

        # Search finds an actor by any spelling of the name, a statement by its words, a claim by its title.
        for query, expected in [
            ("Zelensky", "actors/volodymyr-zelenskiy/"),
            ("Zelenskyy", "actors/volodymyr-zelenskiy/"),
            ("Physical observations", "days/2022-02-16/"),
            ("returning to their bases", "claims/russian-forces-returning-to-bases/"),
        ]:
            hrefs = search(page, base, query)
            assert any(expected in h for h in hrefs), (query, hrefs)
    assert serious == {}, json.dumps(serious, indent=1)
