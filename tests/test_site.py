"""Real builds: `mkdocs build --strict` into a temporary folder, then the HTML is read as a browser gets it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import MINI, ROOT, Build, copy_project, mkdocs_build, write_records
from mkdocs_chronicle.validate import validate_folder

# The seed report's quotations (rferl-2022-02-16), copied word for word, so that the test does
# not depend on the encoding of the records it checks.
SEED_QUOTES = {
    "wallace-times-radio-no-evidence": "We haven't seen any evidence at the moment of that withdrawal",
    "wallace-bbc-physical-observations": (
        "Physical observations that we see show the opposite of some of the recent rhetoric coming out the Kremlin"
    ),
    "anand-escalation-increasingly-significant": (
        "The escalation of Russian troops at the Ukrainian border, including in Belarus, is increasingly significant"
    ),
    "biden-no-proof-of-withdrawal": "very much in a threatening position.",
    "makey-not-a-single-serviceman": (
        "Not a single [Russian] military serviceman, not a single piece of military equipment will stay. The Defense"
        " Ministry has stated this, [Belarusian leader] Lukashenka has said this, and the Belarusian delegations have"
        " said this during different events held under the auspices of the OSCE"
    ),
    "michel-concrete-tangible-steps": (
        "In the last two days, Russia has signaled that it may be open to diplomacy, and we urge Russia to take"
        " concrete and tangible steps towards de-escalation because this is the condition for sincere political"
        " dialogue"
    ),
    "stoltenberg-remains-to-be-seen": (
        "It remains to be seen whether there is a Russian withdrawal.... What we see is that they have increased the"
        " number of troops, and more troops are on the way"
    ),
    "stoltenberg-movement-not-withdrawal": (
        "If they really start to withdraw forces, that's something we will welcome.... They have always moved forces"
        " back and forth, so just that we see movement of forces, of battle tanks, doesn't confirm a real withdrawal"
    ),
    "biden-concrete-ideas": "concrete ideas",
    "biden-continue-diplomatic-efforts": (
        "We will continue our diplomatic efforts in close consultation with our allies and our partners. As long as"
        " there is hope of diplomatic resolution that prevents the use of force and avoids incredible human suffering"
        " that would follow, we will pursue it"
    ),
    "putin-negotiations-track": "We are ready to work further together. We are ready to go down the negotiations track",
    "scholz-good-sign": "good sign",
    "scholz-points-of-departure": "There were enough points of departure indicating a good development",
    "putin-does-not-want-war": "of course",
}


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def statement_text(build: Build, url: str, statement_id: str) -> str:
    article = soup(build.page(url)).find("article", id=statement_id)
    assert article is not None, f"{statement_id} is not on {url}"
    return words(article.get_text(" "))


def test_the_build_logs_no_warning(site: Build) -> None:
    assert "WARNING" not in site.log and "ERROR" not in site.log, site.log


def test_every_seed_quote_is_on_its_day_actor_and_claim_pages(site: Build) -> None:
    chronicle = validate_folder(ROOT / "chronicle").chronicle
    assert chronicle is not None
    statements = {s.id: s for s in chronicle.statements}
    for statement_id, quote in SEED_QUOTES.items():
        statement = statements[statement_id]
        pages = [f"days/{statement.day.isoformat()}/", f"actors/{statement.actor}/"]
        pages += [f"claims/{link.claim}/" for link in statement.claims]
        assert len(pages) >= 3, f"{statement_id} bears on no claim"
        for url in pages:
            assert quote in statement_text(site, url, statement_id), (statement_id, url)


def test_every_statement_is_on_all_its_pages(site: Build) -> None:
    chronicle = validate_folder(ROOT / "chronicle").chronicle
    assert chronicle is not None
    for statement in chronicle.statements:
        pages = [f"days/{statement.day.isoformat()}/", f"actors/{statement.actor}/"]
        pages += [f"claims/{link.claim}/" for link in statement.claims]
        pages += [f"sources/{citation.source}/" for citation in statement.sources]
        for url in pages:
            assert words(statement.text) in statement_text(site, url, statement.id), (statement.id, url)


def internal_targets(site: Path):  # type: ignore[no-untyped-def]
    """Every (page, link) to a page of this site, resolved to a site path and fragment."""
    for file in sorted(site.rglob("*.html")):
        if file.name == "404.html":  # served at any address, so its links are absolute (site_url)
            continue
        page_url = "/" + file.relative_to(site).as_posix()
        for tag in soup(file.read_text("utf-8")).find_all(["a", "link", "script", "img"]):
            ref = tag.get("href") or tag.get("src")
            if not ref or urlsplit(ref).scheme or ref.startswith("//"):
                continue
            target = urlsplit(urljoin(page_url, ref))
            yield page_url, ref, unquote(target.path), target.fragment


def test_every_internal_link_and_anchor_resolves(site: Build) -> None:
    broken = []
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page_url, ref, path, fragment in internal_targets(site.site):
        file = site.site / path.lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        checked += 1
        if not file.is_file():
            broken.append((page_url, ref))
            continue
        if fragment and file.suffix == ".html":
            if file not in ids:
                ids[file] = {t["id"] for t in soup(file.read_text("utf-8")).find_all(id=True)}
            if fragment not in ids[file]:
                broken.append((page_url, ref))
    assert checked > 1000
    assert broken == []


def test_the_navigation_holds_the_index_pages_only(site: Build) -> None:
    nav = soup(site.page("days/2022-02-16/")).select_one("nav.md-nav--primary")
    assert nav is not None
    labels = [words(a.get_text()) for a in nav.select("a.md-nav__link")]
    assert labels == ["Home", "Days", "Actors", "Claims", "Sources", "Open data", "About", "Contributing"]


def test_pages_are_titled_and_their_edit_link_opens_the_record(site: Build) -> None:
    page = soup(site.page("actors/ben-wallace/"))
    assert page.title is not None and page.title.get_text() == "Ben Wallace - Crisis Chronicle"
    edit = page.select_one("a.md-content__button")
    assert edit is not None and edit["href"].endswith("/edit/main/chronicle/actors/ben-wallace.yml")
    card_edit = soup(site.page("days/2022-02-16/")).select_one(
        "#anand-escalation-increasingly-significant .chronicle-edit a"
    )
    assert card_edit is not None
    assert card_edit["href"].endswith(
        "/edit/main/chronicle/statements/2022/02/16/anand-escalation-increasingly-significant.yml"
    )


def test_the_home_page_lists_days_and_claims(site: Build) -> None:
    home = soup(site.page(""))
    latest = [a["href"] for a in home.select(".chronicle-days a")]
    assert latest[0] == "days/2022-02-24/" and len(latest) == 7  # the newest week, newest first
    claims = [words(a.get_text()) for a in home.select(".chronicle-claim-list > li > a")]
    assert "Russia has begun withdrawing troops from areas near Ukraine's border." in claims


def test_generated_pages_are_in_the_sitemap(site: Build) -> None:
    assert "actors/ben-wallace/" in (site.site / "sitemap.xml").read_text("utf-8")


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("mini")
    records = write_records(
        root / "records",
        {
            **MINI,
            "actors/uk-government.yml": ('name: "UK </title><script>alert(1)</script> government"\nkind: government\n'),
        },
    )
    project = copy_project(root / "project", records)
    build = mkdocs_build(project, root / "site")
    assert build.returncode == 0, build.log
    return build


def test_a_day_links_its_neighbours(mini_site: Build) -> None:
    first = soup(mini_site.page("days/2022-02-16/"))
    assert [a["href"] for a in first.select(".chronicle-day-nav a[rel=next]")] == ["../../days/2022-02-17/"] * 2
    assert first.select(".chronicle-day-nav a[rel=prev]") == []
    second = soup(mini_site.page("days/2022-02-17/"))
    assert [a["href"] for a in second.select(".chronicle-day-nav a[rel=prev]")] == ["../../days/2022-02-16/"] * 2


def test_names_are_escaped_in_titles_and_pages(mini_site: Build) -> None:
    html = mini_site.page("actors/uk-government/")
    assert "<script>alert(1)</script>" not in html
    page = soup(html)
    assert (
        page.find(lambda t: t.name == "script" and t.get("type") != "application/ld+json" and "alert" in t.text) is None
    )
    structured = page.find("script", type="application/ld+json")
    assert structured is not None and "<" not in structured.text  # it cannot close its element
    assert json.loads(structured.text)["name"] == "UK </title><script>alert(1)</script> government"
    assert page.title is not None and "</title><script>alert(1)</script>" in page.title.get_text()


def test_bad_records_fail_the_build_with_located_messages(tmp_path: Path) -> None:
    records = shutil.copytree(ROOT / "chronicle", tmp_path / "records")
    (records / "actors" / "ben-wallace.yml").write_text("name: Ben Wallace\nkind: persn\n")
    project = copy_project(tmp_path / "project", records)
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0
    assert "chronicle/actors/ben-wallace.yml:2:7: 'persn' is not one of:" in build.log
    assert "Traceback" not in build.log
    assert not (tmp_path / "site" / "index.html").exists()
