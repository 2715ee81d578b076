"""What an edit touches: the records that changed, and from them the pages and files to write again.

`mkdocs serve --dirty` rebuilds only what `File.is_modified()` says changed. A generated page
depends on records, named here by tokens ("statement:<id>", "actor:<id>", "claim:<id>",
"source:<id>", "day:<date>", and "span" for the chronicle's first and last day, which every
claim chart is drawn against). A page is written again when the tokens it depended on before the
edit, or depends on after it, include a changed one: the union catches a statement that moved
away from a page as well as one that moved onto it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .index import Index
from .model import Chronicle, Statement

Tokens = frozenset[str]


def changed_tokens(old: Chronicle, new: Chronicle) -> set[str]:
    """The tokens of every record added, removed or changed, and of days that came or went."""
    changed: set[str] = set()
    kinds: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("actor", old.actors, new.actors),
        ("claim", old.claims, new.claims),
        ("source", old.sources, new.sources),
        ("statement", {s.id: s for s in old.statements}, {s.id: s for s in new.statements}),
    ]
    for kind, before, after in kinds:
        for key in before.keys() | after.keys():
            was, now = before.get(key), after.get(key)
            if was is not now and was != now:
                changed.add(f"{kind}:{key}")
    old_days, new_days = {s.day for s in old.statements}, {s.day for s in new.statements}
    changed.update(f"day:{day.isoformat()}" for day in old_days ^ new_days)
    if (min(old_days, default=None), max(old_days, default=None)) != (
        min(new_days, default=None),
        max(new_days, default=None),
    ):
        changed.add("span")
    return changed


def entry_tokens(statement: Statement) -> set[str]:
    """What a statement's feed entry shows: the statement, its actor, claims and sources."""
    tokens = {f"statement:{statement.id}", f"actor:{statement.actor}"}
    tokens.update(f"claim:{link.claim}" for link in statement.claims)
    tokens.update(f"source:{citation.source}" for citation in statement.sources)
    return tokens


def card_tokens(index: Index, statement: Statement) -> Tokens:
    """What a statement's card shows: its feed entry's, and the statements it answers or that
    answer it (linked by their actor's name and their day)."""
    tokens = entry_tokens(statement)
    related = [index.statements[i] for i in statement.responds_to if i in index.statements]
    for other in [*related, *index.responses.get(statement.id, ())]:
        tokens.update((f"statement:{other.id}", f"actor:{other.actor}"))
    return frozenset(tokens)


class Dependencies:
    """The tokens of every card and generated page or file of one build."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.cards = {s.id: card_tokens(index, s) for s in index.chronicle.statements}
        self.members: dict[str, list[str]] = {}
        for actor in index.chronicle.actors.values():
            if actor.affiliation:
                self.members.setdefault(actor.affiliation, []).append(actor.id)

    def of_statements(self, statements: Iterable[Statement], *extra: str) -> Tokens:
        tokens: set[str] = set(extra)
        for statement in statements:
            tokens |= self.cards[statement.id]
        return frozenset(tokens)

    def of_feed(self, statements: Iterable[Statement], owner: str) -> Tokens:
        tokens = {owner} if owner else set()
        for statement in statements:
            tokens |= entry_tokens(statement)
        return frozenset(tokens)

    def of_page(self, src_uri: str, context: dict[str, Any]) -> Tokens | None:
        """A generated page's tokens; None for the index pages, which show every record."""
        ix = self.index
        if "day" in context:
            around = [d for d in (context["previous"], context["next"]) if d is not None]
            return self.of_statements(
                context["statements"], *(f"day:{d.isoformat()}" for d in [context["day"], *around])
            )
        if "actor" in context:
            actor = context["actor"]
            related = [actor.id, *self.members.get(actor.id, ()), *([actor.affiliation] if actor.affiliation else [])]
            return self.of_statements(context["statements"], *(f"actor:{a}" for a in related))
        if "claim" in context:
            claim = context["claim"]
            cited = {f"source:{c.source}" for v in claim.verdicts for c in v.sources}
            mentions = [m.statement for m in ix.by_claim.get(claim.id, ())]
            return self.of_statements(mentions, f"claim:{claim.id}", "span", *cited)
        if "source" in context:
            source = context["source"]
            verdicts = [f"claim:{c.id}" for c in ix.verdicts_by_source.get(source.id, ())]
            return self.of_statements(context["statements"], f"source:{source.id}", *verdicts)
        return None


def touched(before: Tokens | None, after: Tokens | None, changed: set[str]) -> bool:
    """Whether a page (or file) must be written again; None means "depends on everything"."""
    if before is None or after is None:
        return True
    return not changed.isdisjoint(before) or not changed.isdisjoint(after)
