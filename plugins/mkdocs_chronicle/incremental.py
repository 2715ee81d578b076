"""What an edit touches: the records that changed, and from them the pages and files to write again.

`mkdocs serve --dirty` rebuilds only what `File.is_modified()` says changed. A generated page
depends on records, named here by tokens ("statement:<id>", "actor:<id>", "claim:<id>",
"source:<id>", "day:<date>", and "span" for the chronicle's first and last day, which every
claim chart is drawn against). A page is written again when the tokens it depended on before the
edit, or depends on after it, include a changed one: the union catches a statement that moved
away from a page as well as one that moved onto it.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from .index import Index, edited_in_place
from .model import Chronicle, Statement

Tokens = frozenset[str]
_ID = operator.attrgetter("id")
_MENTION_ID = operator.attrgetter("statement.id")


def changed_tokens(old: Chronicle, new: Chronicle) -> set[str]:
    """The tokens of every record added, removed or changed, and of days that came or went."""
    changed: set[str] = set()
    edited = edited_in_place(old.statements, new.statements)  # (None: compared by id below)
    kinds: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("actor", old.actors, new.actors),
        ("claim", old.claims, new.claims),
        ("source", old.sources, new.sources),
    ]
    if edited is None:
        kinds.append(("statement", {s.id: s for s in old.statements}, {s.id: s for s in new.statements}))
    listed = False  # whether what the index pages, home lists and data files show changed
    for kind, before, after in kinds:
        if before is after:  # (`revalidate` keeps the records of the kinds an edit did not touch)
            continue
        for key in before.keys() | after.keys():
            was, now = before.get(key), after.get(key)
            if was is not now and was != now:
                changed.add(f"{kind}:{key}")
                listed = listed or kind != "statement" or _listing(was) != _listing(now)
    for was, now in edited or ():
        if was != now:
            changed.add(f"statement:{now.id}")
            listed = listed or _listing(was) != _listing(now)
    if listed:
        changed.add("index")
    if any(t.startswith("statement:") for t in changed):
        changed.add("data")  # the open data holds every field of every statement
    if edited is not None and all(was.day == now.day for was, now in edited):
        return changed  # the same days
    old_days, new_days = {s.day for s in old.statements}, {s.day for s in new.statements}
    changed.update(f"day:{day.isoformat()}" for day in old_days ^ new_days)
    if (min(old_days, default=None), max(old_days, default=None)) != (
        min(new_days, default=None),
        max(new_days, default=None),
    ):
        changed.add("span")
    return changed


def _listing(statement: Statement | None) -> tuple[Any, ...] | None:
    if statement is None:
        return None
    return (statement.day, statement.actor, statement.claims, tuple(c.source for c in statement.sources))


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
    """The tokens of every card and generated page or file of one build.

    With the previous build's Dependencies and the statements changed since, only the cards
    of those statements (and of the statements they answer or that answer them) are worked
    out again, and a page's or feed's statements' tokens only when its list of statements
    or one of their cards changed: at 20,000 statements, doing it all again took seconds.
    """

    def __init__(self, index: Index, previous: Dependencies | None = None, changed: set[str] | None = None) -> None:
        self.index = index
        self.members: dict[str, list[str]] = {}
        for actor in index.chronicle.actors.values():
            if actor.affiliation:
                self.members.setdefault(actor.affiliation, []).append(actor.id)
        # Statement-part tokens of each page and feed, with the statement ids they came from;
        # the previous build's only (not the whole previous object: under `mkdocs serve`, each
        # build's would keep every earlier build's records alive).
        self.parts: dict[str, tuple[tuple[str, ...], Tokens, Sequence[Any]]] = {}
        self._previous_parts = previous.parts if previous is not None else {}
        if previous is None or changed is None:
            self.cards = {s.id: card_tokens(index, s) for s in index.chronicle.statements}
            self.redone: set[str] | None = None  # every card
            self.edited: set[str] = set()
            return
        self.edited = {t.removeprefix("statement:") for t in changed if t.startswith("statement:")}
        redo = set(self.edited)
        for statement_id in self.edited:
            for ix in (previous.index, index):
                if statement_id in ix.statements:
                    redo.update(ix.statements[statement_id].responds_to)
                redo.update(s.id for s in ix.responses.get(statement_id, ()))
        self.cards = dict(previous.cards)
        for statement_id in redo:
            if statement_id in index.statements:
                self.cards[statement_id] = card_tokens(index, index.statements[statement_id])
            else:
                self.cards.pop(statement_id, None)
        self.redone = redo

    def _part(self, key: str, group: Sequence[Any], tokens_of: Any, stale: set[str] | None, id_of: Any = _ID) -> Tokens:
        """The tokens of the statements in `group` (whose ids `id_of` gives), from the previous
        build's when the same statements are listed and none of them is `stale`."""
        before = self._previous_parts.get(key)
        # The very list of last time has the same ids (an index keeps the lists no edit touched);
        # else they are listed (a map in C: 15,000 pages' worth of ids per rebuild).
        ids = before[0] if before is not None and before[2] is group else tuple(map(id_of, group))
        if before is not None and stale is not None and before[0] == ids and stale.isdisjoint(ids):
            part = before[1]
        else:
            tokens: set[str] = set()
            for item in group:
                tokens |= tokens_of(item)
            part = frozenset(tokens)
        self.parts[key] = (ids, part, group)
        return part

    def of_statements(self, key: str, statements: Sequence[Statement], *extra: str) -> Tokens:
        return self._part(key, statements, lambda s: self.cards[s.id], self.redone) | set(extra)

    def of_feed(self, key: str, statements: Sequence[Statement], owner: str) -> Tokens:
        edited = None if self.redone is None else self.edited
        return self._part(key, statements, entry_tokens, edited) | ({owner} if owner else set())

    def of_page(self, src_uri: str, context: dict[str, Any]) -> Tokens:
        """A generated page's tokens (an index page's is "index", see changed_tokens)."""
        ix = self.index
        if "day" in context:
            around = [d for d in (context["previous"], context["next"]) if d is not None]
            days = (f"day:{d.isoformat()}" for d in [context["day"], *around])
            return self.of_statements(src_uri, context["statements"], *days)
        if "actor" in context:
            actor = context["actor"]
            related = [actor.id, *self.members.get(actor.id, ()), *([actor.affiliation] if actor.affiliation else [])]
            return self.of_statements(src_uri, context["statements"], *(f"actor:{a}" for a in related))
        if "claim" in context:
            claim = context["claim"]
            cited = {f"source:{c.source}" for v in claim.verdicts for c in v.sources}
            mentions = ix.by_claim.get(claim.id, ())
            part = self._part(src_uri, mentions, lambda m: self.cards[m.statement.id], self.redone, _MENTION_ID)
            return part | {f"claim:{claim.id}", "span", *cited}
        if "source" in context:
            source = context["source"]
            verdicts = [f"claim:{c.id}" for c in ix.verdicts_by_source.get(source.id, ())]
            return self.of_statements(src_uri, context["statements"], f"source:{source.id}", *verdicts)
        if context.get("records") is False:  # the search page: Pagefind's interface, no record
            return frozenset()
        return INDEX


INDEX = frozenset({"index"})  # the index pages, the home page's lists and the data files


def touched(before: Tokens, after: Tokens, changed: set[str]) -> bool:
    """Whether a page (or file) must be written again."""
    return not changed.isdisjoint(before) or not changed.isdisjoint(after)
