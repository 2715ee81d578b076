"""Atom feeds of the chronicle's statements: the whole chronicle, and one per claim and per actor.

Every value put into a feed is plain text (feedgen escapes it); every timestamp comes from the
records, never from the clock, so that two builds of the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from .index import Index
from .model import Statement
from .render import day_uri, human_date, human_time, page_url

SITE_TITLE = "Crisis Chronicle"
SITE_FEED_SIZE = 100
TITLE_WIDTH = 60
RIGHTS = (
    "The compilation (records, claims, stances, verdicts, annotations) is under CC BY 4.0; "
    "quoted words remain their speakers' and publishers'."
)
KIND_LABELS = {"quote": "quote", "paraphrase": "paraphrase (reported speech)", "action": "action (something done)"}


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
    if not site_url.startswith(("http://", "https://")):
        raise ValueError(f"feeds need an absolute site_url (http or https), not {site_url!r}")
    feeds = _Feeds(index, site_url if site_url.endswith("/") else site_url + "/", use_directory_urls)
    chronicle = index.chronicle
    newest_first = chronicle.statements[::-1]
    out = {
        "feed.xml": feeds.feed(
            "feed.xml",
            "index.md",
            SITE_TITLE,
            f"The {SITE_FEED_SIZE} newest statements recorded in the chronicle.",
            newest_first[:SITE_FEED_SIZE],
            fallback=build_date,
        )
    }
    for claim_id, mentions in index.by_claim.items():
        claim = chronicle.claims[claim_id]
        out[f"claims/{claim_id}/feed.xml"] = feeds.feed(
            f"claims/{claim_id}/feed.xml",
            f"claims/{claim_id}.md",
            f"{SITE_TITLE} — {claim.title}",
            "Statements that support, dispute or speak to this claim.",
            [m.statement for m in reversed(mentions)],
        )
    for actor_id, statements in index.by_actor.items():
        actor = chronicle.actors[actor_id]
        out[f"actors/{actor_id}/feed.xml"] = feeds.feed(
            f"actors/{actor_id}/feed.xml",
            f"actors/{actor_id}.md",
            f"{SITE_TITLE} — {actor.name}",
            f"Statements by {actor.name}.",
            statements[::-1],
        )
    return out


def published(statement: Statement) -> dt.datetime:
    """When a statement was made: its moment, or its day at 00:00 UTC when it has no time."""
    if statement.moment is not None:
        return statement.moment
    return dt.datetime.combine(statement.day, dt.time(), dt.UTC)


class _Feeds:
    def __init__(self, index: Index, base: str, use_directory_urls: bool) -> None:
        self.index = index
        self.base = base
        self.use_directory_urls = use_directory_urls

    def url(self, src_uri: str) -> str:
        return self.base + page_url(src_uri, self.use_directory_urls)

    def feed(
        self,
        path: str,
        page_src_uri: str,
        title: str,
        subtitle: str,
        statements: Iterable[Statement],
        fallback: dt.date | None = None,
    ) -> bytes:
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
            fg.updated(dt.datetime.combine(fallback or dt.date(1970, 1, 1), dt.time(), dt.UTC))
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
