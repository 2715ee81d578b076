"""What the site's search indexes, made from the records rather than from page HTML.

Pagefind (pagefind_index.py) indexes small HTML documents, one per page a result leads to. A
day's document holds each of its statements under a heading whose id is the statement's anchor
on the day page, so a result lists the day and, under it, the statements that matched. Each
statement is indexed once, there; actor, claim and source pages by their own words (names,
aliases, titles, summaries, verdicts), so search still finds an actor by any spelling. Parsing
the published pages instead would index each statement four times or more, in 500 MB of HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import escape

from .index import Index
from .render import human_date

Url = Callable[[str, Any], str]  # (kind, key) -> site-relative URL
Document = tuple[str, str]  # (site-relative URL, HTML)


def _html(title: str, body: str) -> str:
    # The result's title is given, not taken from the first heading.
    return f'<html><body data-pagefind-meta="title:{escape(title)}">{body}</body></html>'


def _paragraphs(*texts: str | None) -> str:
    # Every record value is escaped: the document is HTML, and Pagefind shows excerpts of it.
    return "".join(f"<p>{escape(t)}</p>" for t in texts if t)


def document(title: str, *texts: str | None, sections: str = "") -> str:
    """A record's search document: its title, its paragraphs, then `sections` (HTML)."""
    return _html(title, f"<h1>{escape(title)}</h1>{_paragraphs(*texts)}{sections}")


def search_documents(index: Index, url: Url, cache: dict[str, str] | None = None) -> Iterator[Document]:
    """Every generated page's search document, in page order. `cache` holds each statement's
    section by id, kept by `mkdocs serve` between rebuilds."""
    chronicle = index.chronicle
    cache = {} if cache is None else cache
    for day, statements in index.by_day.items():
        names = sorted({chronicle.actors[s.actor].name for s in statements})
        sections = []
        for statement in statements:
            section = cache.get(statement.id)
            if section is None:
                actor = chronicle.actors[statement.actor]
                heading = f"{actor.name}, {human_date(statement.day)}"
                paragraphs = _paragraphs(statement.text, statement.translation, statement.role, statement.venue)
                section = cache[statement.id] = f'<h2 id="{escape(statement.id)}">{escape(heading)}</h2>{paragraphs}'
            sections.append(section)
        yield (
            url("day", day),
            document(human_date(day), f"Statements by {', '.join(names)}", sections="".join(sections)),
        )
    for actor in chronicle.actors.values():
        roles = ", ".join(r.title for r in actor.roles)
        aliases = f"Also written: {', '.join(actor.aliases)}" if actor.aliases else None
        yield url("actor", actor.id), document(actor.name, aliases, roles, actor.description)
    for claim in chronicle.claims.values():
        notes = [f"{human_date(v.date)}: {v.rating}. {v.note}" for v in claim.verdicts]
        yield url("claim", claim.id), document(claim.title, claim.summary, *notes)
    for source in chronicle.sources.values():
        yield url("source", source.id), document(source.title, source.publisher, ", ".join(source.via))


def page_document(title: str, html: str) -> str:
    """A content page's search document: the HTML MkDocs made of its Markdown (the site's own)."""
    return _html(title, html)
