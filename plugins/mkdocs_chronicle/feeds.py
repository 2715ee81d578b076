"""Atom feeds of the chronicle's statements: the whole chronicle, and one per claim and per actor.

Every value put into a feed is plain text (feedgen escapes it); every timestamp comes from the
records, never from the clock, so that two builds of the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from .index import Index
from .model import Statement
from .render import day_uri, human_date, human_time, page_url

SITE_TITLE = "Crisis Chronicle"
FEED_SIZE = 100  # entries in each feed: the newest
TITLE_WIDTH = 60
RIGHTS = (
    "The compilation (records, claims, stances, verdicts, annotations) is under CC BY 4.0; "
    "quoted words remain their speakers' and publishers'."
)
KIND_LABELS = {"quote": "quote", "paraphrase": "paraphrase (reported speech)", "action": "action (something done)"}


@dataclass(frozen=True)
class FeedPlan:
    """One feed to write: where, for which page, and its statements (newest first)."""

    path: str
    page_src_uri: str
    title: str
    subtitle: str
    statements: tuple[Statement, ...]
    owner: str  # the record the feed is about ("claim:<id>", "actor:<id>"), or "" for the site's


def feed_plans(index: Index) -> list[FeedPlan]:
    """The site's feed, then one per claim and per actor with statements, each holding its
    FEED_SIZE newest statements (a feed reader wants what is new; the pages hold everything)."""
    chronicle = index.chronicle
    plans = [
        FeedPlan(
            "feed.xml",
            "index.md",
            SITE_TITLE,
            f"The {FEED_SIZE} newest statements recorded in the chronicle.",
            chronicle.statements[::-1][:FEED_SIZE],
            "",
        )
    ]
    for claim_id, mentions in index.by_claim.items():
        plans.append(
            FeedPlan(
                f"claims/{claim_id}/feed.xml",
                f"claims/{claim_id}.md",
                f"{SITE_TITLE} — {chronicle.claims[claim_id].title}",
                f"The {FEED_SIZE} newest statements that support, dispute or speak to this claim.",
                tuple(m.statement for m in mentions[::-1][:FEED_SIZE]),
                f"claim:{claim_id}",
            )
        )
    for actor_id, statements in index.by_actor.items():
        name = chronicle.actors[actor_id].name
        plans.append(
            FeedPlan(
                f"actors/{actor_id}/feed.xml",
                f"actors/{actor_id}.md",
                f"{SITE_TITLE} — {name}",
                f"The {FEED_SIZE} newest statements by {name}.",
                statements[::-1][:FEED_SIZE],
                f"actor:{actor_id}",
            )
        )
    return plans


def build_feeds(
    index: Index,
    *,
    site_url: str,
    use_directory_urls: bool = True,
    build_date: dt.date,
) -> dict[str, bytes]:
    """Build the chronicle's Atom feeds.

    Args:
        index: The indexed chronicle.
        site_url: The site's absolute address (`site_url` of mkdocs.yml); feed and entry ids
            and links are made absolute with it.
        use_directory_urls: As in mkdocs.yml; decides the form of every page address.
        build_date: Only dates the site feed when the chronicle has no statement at all;
            otherwise a feed is dated by its newest statement.

    Returns:
        Output paths relative to the site root (`feed.xml`, `claims/<id>/feed.xml`,
        `actors/<id>/feed.xml`) mapped to the Atom XML, UTF-8 encoded.

    Raises:
        ValueError: If `site_url` is not an absolute http(s) address (Atom ids must be).
    """
    writer = FeedWriter(index, site_url=site_url, use_directory_urls=use_directory_urls, build_date=build_date)
    return {plan.path: writer.write(plan) for plan in feed_plans(index)}


def published(statement: Statement) -> dt.datetime:
    """When a statement was made: its moment, or its day at 00:00 UTC when it has no time."""
    if statement.moment is not None:
        return statement.moment
    return dt.datetime.combine(statement.day, dt.time(), dt.UTC)


class FeedWriter:
    """Writes planned feeds as Atom XML (see build_feeds for the arguments)."""

    def __init__(self, index: Index, *, site_url: str, use_directory_urls: bool, build_date: dt.date) -> None:
        if not site_url.startswith(("http://", "https://")):
            raise ValueError(f"feeds need an absolute site_url (http or https), not {site_url!r}")
        self.index = index
        self.base = site_url if site_url.endswith("/") else site_url + "/"
        self.use_directory_urls = use_directory_urls
        self.build_date = build_date

    def url(self, src_uri: str) -> str:
        return self.base + page_url(src_uri, self.use_directory_urls)

    def write(self, plan: FeedPlan) -> bytes:
        return self.feed(plan.path, plan.page_src_uri, plan.title, plan.subtitle, plan.statements)

    def feed(self, path: str, page_src_uri: str, title: str, subtitle: str, statements: Iterable[Statement]) -> bytes:
        statements = list(statements)
        fg = FeedGenerator()
        fg.id(self.url(page_src_uri))
        fg.title(title)
        fg.subtitle(subtitle)
        fg.link(href=self.url(page_src_uri), rel="alternate", type="text/html")
        fg.link(href=self.base + path, rel="self", type="application/atom+xml")
        fg.rights(RIGHTS)
        # Without a version: a feedgen upgrade alone should not change the published bytes.
        fg.generator("python-feedgen", uri="https://lkiesow.github.io/python-feedgen")
        if statements:
            # Not the first entry's: an untimed statement (00:00 UTC) sorts after its day's timed ones.
            fg.updated(max(published(s) for s in statements))
        else:
            fg.updated(dt.datetime.combine(self.build_date, dt.time(), dt.UTC))
        for statement in statements:
            self.entry(fg, statement)
        xml: bytes = fg.atom_str(pretty=True)
        return xml

    def entry(self, fg: FeedGenerator, statement: Statement) -> None:
        actor = self.index.chronicle.actors[statement.actor]
        permalink = self.url(day_uri(statement.day)) + "#" + statement.id
        when = published(statement)
        fe = fg.add_entry(order="append")  # the default prepends, which would reverse the order
        fe.id(permalink)
        fe.link(href=permalink, rel="alternate", type="text/html")
        fe.title(_headline(actor.name, statement.text))
        fe.author(name=actor.name)
        fe.published(when)
        fe.updated(when)
        fe.content(self.content(statement), type="text")

    def content(self, statement: Statement) -> str:
        chronicle = self.index.chronicle
        actor = chronicle.actors[statement.actor]
        lines = [statement.text, ""]
        if statement.translation:
            lines += [f"Translation (from {statement.language}): {statement.translation}", ""]
        lines.append(f"Actor: {actor.name}" + (f", {statement.role}" if statement.role else ""))
        date = human_date(statement.day)
        if statement.moment is not None:
            date += f", {human_time(statement.moment)}"
        lines.append(f"Date: {date}")
        if statement.date_note:
            lines.append(f"Date note: {statement.date_note}")
        lines.append(f"Recorded as: {KIND_LABELS.get(statement.kind, statement.kind)}")
        for link in statement.claims:
            lines.append(f"Claim ({link.stance}): {chronicle.claims[link.claim].title}")
        for citation in statement.sources:
            source = chronicle.sources[citation.source]
            locator = f", {citation.locator}" if citation.locator else ""
            lines.append(f"Source: {source.title} ({source.publisher}{locator})")
        return "\n".join(lines)


def _headline(name: str, text: str, width: int = TITLE_WIDTH) -> str:
    words = " ".join(text.split())
    if len(words) > width:
        words = words[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{name}: {words}"
