"""The Atom feeds: valid, newest first, one per claim and actor, plain text, the same bytes every build."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from conftest import ROOT, write_records
from mkdocs_chronicle.feeds import build_feeds, published
from mkdocs_chronicle.index import Index, build_index
from mkdocs_chronicle.model import Statement
from mkdocs_chronicle.validate import validate_folder

SITE = "https://example.org/chronicle/"
BUILT = dt.date(2026, 11, 28)
ATOM = "{http://www.w3.org/2005/Atom}"


def index_of(records: Path) -> Index:
    result = validate_folder(records, "chronicle")
    assert result.chronicle is not None, result.problems
    return build_index(result.chronicle)


def feeds_of(records: Path, **options: object) -> dict[str, bytes]:
    return build_feeds(index_of(records), **{"site_url": SITE, "build_date": BUILT, **options})  # type: ignore[arg-type]


def parse(xml: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def permalink(statement: Statement) -> str:
    return f"{SITE}days/{statement.day.isoformat()}/#{statement.id}"


def newest_first(statements: tuple[Statement, ...] | list[Statement]) -> list[str]:
    return [permalink(s) for s in sorted(statements, key=lambda s: s.sort_key, reverse=True)]


def test_one_feed_for_the_site_and_one_per_claim_and_actor_with_statements(mini: Path) -> None:
    assert sorted(feeds_of(mini)) == [
        "actors/ben-wallace/feed.xml",
        "actors/russian-defence-ministry/feed.xml",
        "claims/russia-withdrawing-troops/feed.xml",
        "feed.xml",
    ]


def test_the_site_feed_lists_statements_newest_first(mini: Path) -> None:
    feed = parse(feeds_of(mini)["feed.xml"])
    assert [e.id for e in feed.entries] == [
        f"{SITE}days/2022-02-17/#wallace-later",
        f"{SITE}days/2022-02-16/#crimea-video",  # untimed: after the day's timed statements in time order
        f"{SITE}days/2022-02-16/#wallace-no-evidence",
    ]
    assert [e.link for e in feed.entries] == [e.id for e in feed.entries]
    assert feed.feed.id == SITE
    assert feed.feed.title == "Crisis Chronicle"
    assert {link.rel: link.href for link in feed.feed.links} == {"alternate": SITE, "self": SITE + "feed.xml"}
    # The newest statement's date, not the build's or the clock's.
    assert feed.feed.updated == "2022-02-17T00:00:00+00:00"


def test_an_entry_gives_the_statement_as_text(mini: Path) -> None:
    feed = parse(feeds_of(mini)["feed.xml"])
    entry = next(e for e in feed.entries if e.id.endswith("#wallace-no-evidence"))
    assert entry.title == "Ben Wallace: We haven't seen any evidence at the moment of that…"
    assert entry.author == "Ben Wallace"
    assert entry.published == entry.updated == "2022-02-16T09:00:00+00:00"
    [content] = entry.content
    assert content.type == "text/plain"
    assert content.value.startswith("We haven't seen any evidence at the moment of that withdrawal.\n")
    for line in [
        "Actor: Ben Wallace, UK Defence Secretary",
        "Date: 16 February 2022, 09:00 UTC",
        "Claim (disputes): Russia has begun withdrawing troops from areas near Ukraine's border.",
        "Source: A report (A publisher, paragraph 4)",
    ]:
        assert line in content.value.splitlines()
    untimed = next(e for e in feed.entries if e.id.endswith("#crimea-video"))
    assert untimed.published == untimed.updated == "2022-02-16T00:00:00+00:00"


def test_a_feed_per_claim_holds_exactly_its_statements(mini: Path) -> None:
    index = index_of(mini)
    feeds = build_feeds(index, site_url=SITE, build_date=BUILT)
    for claim_id, mentions in index.by_claim.items():
        feed = parse(feeds[f"claims/{claim_id}/feed.xml"])
        assert [e.id for e in feed.entries] == newest_first([m.statement for m in mentions])
        assert feed.feed.id == f"{SITE}claims/{claim_id}/"
        assert feed.feed.title == f"Crisis Chronicle — {index.chronicle.claims[claim_id].title}"
    feed = parse(feeds["claims/russia-withdrawing-troops/feed.xml"])
    assert [e.id.rsplit("#")[1] for e in feed.entries] == ["crimea-video", "wallace-no-evidence"]


def test_a_feed_per_actor_holds_exactly_their_statements(mini: Path) -> None:
    index = index_of(mini)
    feeds = build_feeds(index, site_url=SITE, build_date=BUILT)
    for actor_id, statements in index.by_actor.items():
        feed = parse(feeds[f"actors/{actor_id}/feed.xml"])
        assert [e.id for e in feed.entries] == newest_first(statements)
        assert {e.author for e in feed.entries} == {index.chronicle.actors[actor_id].name}
        assert feed.feed.title == f"Crisis Chronicle — {index.chronicle.actors[actor_id].name}"
    feed = parse(feeds["actors/ben-wallace/feed.xml"])
    assert [e.id.rsplit("#")[1] for e in feed.entries] == ["wallace-later", "wallace-no-evidence"]
    assert feed.feed.updated == "2022-02-17T00:00:00+00:00"


def test_markup_in_a_statement_stays_text(mini: Path) -> None:
    text = '<script>alert("x")</script> Tom & Jerry <b>bold</b> &amp;'
    write_records(
        mini,
        {
            "statements/2022/02/17/wallace-later.yml": f"""
                date: 2022-02-17
                actor: ben-wallace
                text: '{text}'
                sources:
                  - source: report
            """
        },
    )
    xml = feeds_of(mini)["feed.xml"]
    assert b"<script" not in xml and b"<b>" not in xml
    assert b"&lt;script&gt;" in xml and b"Tom &amp; Jerry" in xml and b"&amp;amp;" in xml
    entry = parse(xml).entries[0]
    assert entry.content[0].value.split("\n")[0] == text
    assert entry.title.startswith("Ben Wallace: <script>")
    # Read as XML, the content is one text node: nothing in it became an element.
    element = ET.fromstring(xml).find(f"{ATOM}entry/{ATOM}content")
    assert element is not None
    assert element.get("type") == "text" and len(element) == 0
    assert (element.text or "").split("\n")[0] == text


def test_the_same_records_give_the_same_bytes(mini: Path) -> None:
    first, second = feeds_of(mini), feeds_of(mini)
    assert first == second
    # Nothing from the clock or the build date: another build day changes nothing.
    assert feeds_of(mini, build_date=dt.date(2030, 1, 1)) == first
    for xml in first.values():
        assert b"lastBuildDate" not in xml and b"version=" not in xml.split(b"?>", 1)[1]


def test_addresses_follow_the_url_style_and_site_url(mini: Path) -> None:
    plain = parse(feeds_of(mini, site_url="https://example.org/chronicle", use_directory_urls=False)["feed.xml"])
    assert plain.entries[0].id == f"{SITE}days/2022-02-17.html#wallace-later"
    assert plain.feed.id == f"{SITE}index.html"
    claim = parse(
        feeds_of(mini, use_directory_urls=False)["claims/russia-withdrawing-troops/feed.xml"],
    )
    assert claim.feed.id == f"{SITE}claims/russia-withdrawing-troops.html"
    assert claim.feed.links[1].href == f"{SITE}claims/russia-withdrawing-troops/feed.xml"


def test_a_site_url_is_required(mini: Path) -> None:
    with pytest.raises(ValueError, match="absolute site_url"):
        feeds_of(mini, site_url="")


def test_every_feed_holds_the_hundred_newest(mini: Path) -> None:
    start = dt.date(2021, 9, 1)
    days = [start + dt.timedelta(days=i) for i in range(105)]
    write_records(
        mini,
        {
            f"statements/{d:%Y/%m/%d}/note-{i}.yml": f"""
                date: {d.isoformat()}
                actor: uk-government
                text: Statement number {i} of the series.
                sources:
                  - source: report
            """
            for i, d in enumerate(days)
        },
    )
    index = index_of(mini)
    feeds = build_feeds(index, site_url=SITE, build_date=BUILT)
    site = parse(feeds["feed.xml"])
    assert len(site.entries) == 100
    assert [e.id for e in site.entries] == newest_first(index.chronicle.statements)[:100]
    by_uk = [s for s in index.chronicle.statements if s.actor == "uk-government"]
    assert len(by_uk) > 100
    actor_feed = parse(feeds["actors/uk-government/feed.xml"])
    assert [e.id for e in actor_feed.entries] == newest_first(by_uk)[:100]


def test_an_empty_chronicle_has_an_empty_site_feed(tmp_path: Path) -> None:
    records = write_records(tmp_path / "chronicle", {"actors/nobody.yml": "name: Nobody\nkind: person\n"})
    feeds = feeds_of(records)
    assert list(feeds) == ["feed.xml"]
    feed = parse(feeds["feed.xml"])
    assert feed.entries == [] and feed.feed.updated == "2026-11-28T00:00:00+00:00"


def test_the_repository_records_give_valid_feeds() -> None:
    index = index_of(ROOT / "chronicle")
    feeds = build_feeds(index, site_url=SITE, build_date=BUILT)
    chronicle = index.chronicle
    assert set(feeds) == {"feed.xml"} | {f"claims/{c}/feed.xml" for c in index.by_claim} | {
        f"actors/{a}/feed.xml" for a in index.by_actor
    }
    site = parse(feeds["feed.xml"])
    assert [e.id for e in site.entries] == newest_first(chronicle.statements)[:100]
    assert site.feed.updated == max(published(s) for s in chronicle.statements).isoformat()
    for claim_id, mentions in index.by_claim.items():
        feed = parse(feeds[f"claims/{claim_id}/feed.xml"])
        assert [e.id for e in feed.entries] == newest_first([m.statement for m in mentions])
    for actor_id, statements in index.by_actor.items():
        feed = parse(feeds[f"actors/{actor_id}/feed.xml"])
        assert [e.id for e in feed.entries] == newest_first(statements)
    for entry in site.entries:
        statement = index.statements[entry.id.rsplit("#", 1)[1]]
        assert entry.content[0].value.startswith(statement.text + "\n")
        assert entry.author == chronicle.actors[statement.actor].name
    assert build_feeds(index, site_url=SITE, build_date=BUILT) == feeds
