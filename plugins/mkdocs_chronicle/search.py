"""Search entries for the generated pages, made from the records rather than from page HTML.

Material's search plugin parses every page's HTML to index it; for generated pages, where
each statement appears on four or more pages, that was the largest cost of a build and made the
index several times larger than the chronicle. Here each statement is indexed once, at its
anchor on its day page, and actor, claim and source pages by their own words (names, aliases,
titles, summaries), so search still finds an actor by any spelling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import escape

from .index import Index
from .render import human_date

Url = Callable[[str, Any], str]  # (kind, key) -> site-relative URL


def _entry(location: str, title: str, *texts: str | None) -> dict[str, str]:
    # Material shows titles and texts as HTML: every record value is escaped.
    return {
        "location": location,
        "title": str(escape(title)),
        "text": " ".join(f"<p>{escape(t)}</p>" for t in texts if t),
    }


def search_entries(index: Index, url: Url, cache: dict[str, dict[str, str]] | None = None) -> list[dict[str, str]]:
    """Entries for Material's search index (`docs` of search/search_index.json), in page order.
    `cache` holds each statement's entry by id, kept by `mkdocs serve` between rebuilds."""
    chronicle = index.chronicle
    cache = {} if cache is None else cache
    entries = []
    for day, statements in index.by_day.items():
        names = sorted({chronicle.actors[s.actor].name for s in statements})
        entries.append(_entry(url("day", day), human_date(day), f"Statements by {', '.join(names)}"))
        for statement in statements:
            entry = cache.get(statement.id)
            if entry is None:
                actor = chronicle.actors[statement.actor]
                entry = cache[statement.id] = _entry(
                    url("statement", statement.id),
                    f"{actor.name}, {human_date(statement.day)}",
                    statement.text,
                    statement.translation,
                    statement.role,
                    statement.venue,
                )
            entries.append(entry)
    for actor in chronicle.actors.values():
        roles = ", ".join(r.title for r in actor.roles)
        aliases = f"Also written: {', '.join(actor.aliases)}" if actor.aliases else None
        entries.append(_entry(url("actor", actor.id), actor.name, aliases, roles, actor.description))
    for claim in chronicle.claims.values():
        notes = [f"{human_date(v.date)}: {v.rating}. {v.note}" for v in claim.verdicts]
        entries.append(_entry(url("claim", claim.id), claim.title, claim.summary, *notes))
    for source in chronicle.sources.values():
        entries.append(_entry(url("source", source.id), source.title, source.publisher, ", ".join(source.via)))
    return entries
