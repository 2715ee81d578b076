"""The cross-reference graph: statements by day, actor, claim and source, and who answered whom."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from .model import STANCES, Chronicle, Claim, Statement


@dataclass(frozen=True)
class ClaimMention:
    """A statement's bearing on one claim, as listed on the claim's page."""

    statement: Statement
    stance: str


@dataclass(frozen=True)
class Index:
    """Every way a page needs to look records up. Lists are in time order, days ascending."""

    chronicle: Chronicle
    statements: dict[str, Statement]
    by_day: dict[dt.date, tuple[Statement, ...]]
    by_actor: dict[str, tuple[Statement, ...]]
    by_claim: dict[str, tuple[ClaimMention, ...]]
    by_source: dict[str, tuple[Statement, ...]]
    verdicts_by_source: dict[str, tuple[Claim, ...]]
    responses: dict[str, tuple[Statement, ...]]

    @property
    def days(self) -> list[dt.date]:
        return list(self.by_day)

    def neighbours(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The previous and next days that have statements."""
        days, i = self._day_positions
        return (days[i[day] - 1] if i[day] > 0 else None, days[i[day] + 1] if i[day] + 1 < len(days) else None)

    @cached_property
    def _day_positions(self) -> tuple[list[dt.date], dict[dt.date, int]]:
        # Looked up once per day page: a list.index() each time was quadratic in the days.
        days = self.days
        return days, {day: i for i, day in enumerate(days)}

    def stances(self, actor: str) -> dict[str, Counter[str]]:
        """For one actor: each claim they spoke to, with how often they took each stance."""
        tally: dict[str, Counter[str]] = {}
        for statement in self.by_actor.get(actor, ()):
            for link in statement.claims:
                tally.setdefault(link.claim, Counter())[link.stance] += 1
        return dict(sorted(tally.items()))

    def mentions(self, claim: str, stance: str) -> list[ClaimMention]:
        """A claim's statements that take `stance`, in time order."""
        return [m for m in self.by_claim.get(claim, ()) if m.stance == stance]

    def tally(self, claim: str) -> dict[str, int]:
        """How many statements take each stance on a claim, in the order of STANCES."""
        counts = Counter(m.stance for m in self.by_claim.get(claim, ()))
        return {stance: counts[stance] for stance in STANCES}


def build_index(chronicle: Chronicle, previous: Index | None = None) -> Index:
    """Index a validated chronicle. Statements arrive in time order and keep it everywhere.
    With the `previous` index (of the last build, under `mkdocs serve`), what an edit did not
    change is taken from it (see `_updated`)."""
    if previous is not None:
        updated = _updated(previous, chronicle)
        if updated is not None:
            return updated
    by_day: dict[dt.date, list[Statement]] = defaultdict(list)
    by_actor: dict[str, list[Statement]] = defaultdict(list)
    by_claim: dict[str, list[ClaimMention]] = defaultdict(list)
    by_source: dict[str, list[Statement]] = defaultdict(list)
    responses: dict[str, list[Statement]] = defaultdict(list)
    for statement in chronicle.statements:
        by_day[statement.day].append(statement)
        by_actor[statement.actor].append(statement)
        for link in statement.claims:
            by_claim[link.claim].append(ClaimMention(statement, link.stance))
        for source in dict.fromkeys(c.source for c in statement.sources):
            by_source[source].append(statement)
        for answered in statement.responds_to:
            responses[answered].append(statement)
    verdicts_by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in chronicle.claims.values():
        for source in dict.fromkeys(c.source for v in claim.verdicts for c in v.sources):
            verdicts_by_source[source].append(claim)

    def frozen(groups: dict) -> dict:  # type: ignore[type-arg]
        return {key: tuple(group) for key, group in sorted(groups.items())}

    return Index(
        chronicle=chronicle,
        statements={s.id: s for s in chronicle.statements},
        by_day=frozen(by_day),
        by_actor=frozen(by_actor),
        by_claim=frozen(by_claim),
        by_source=frozen(by_source),
        verdicts_by_source=frozen(verdicts_by_source),
        responses=frozen(responses),
    )


def _updated(previous: Index, chronicle: Chronicle) -> Index | None:
    """`build_index(chronicle)` made from `previous` when the two chronicles differ only by
    statements edited in place: the same actors, claims and sources (the very objects, as
    `revalidate` keeps them) and the same statements in the same order, each still on the same
    day and in the same groups. Only the groups that hold an edited statement are made again
    (at 20,000 statements, indexing everything again took a third of a second); None otherwise."""
    old = previous.chronicle
    if chronicle.actors is not old.actors or chronicle.claims is not old.claims or chronicle.sources is not old.sources:
        return None
    pairs = edited_in_place(old.statements, chronicle.statements)
    if pairs is None or any(_groups(before) != _groups(after) for before, after in pairs):
        return None
    edited = {after.id: after for _, after in pairs}
    by_day, by_actor, by_claim = dict(previous.by_day), dict(previous.by_actor), dict(previous.by_claim)
    by_source, responses = dict(previous.by_source), dict(previous.responses)

    def swap(group: tuple[Statement, ...]) -> tuple[Statement, ...]:
        return tuple(edited.get(s.id, s) for s in group)

    for statement in edited.values():
        by_day[statement.day] = swap(by_day[statement.day])
        by_actor[statement.actor] = swap(by_actor[statement.actor])
        for link in statement.claims:
            by_claim[link.claim] = tuple(
                ClaimMention(edited[m.statement.id], m.stance) if m.statement.id in edited else m
                for m in by_claim[link.claim]
            )
        for source in dict.fromkeys(c.source for c in statement.sources):
            by_source[source] = swap(by_source[source])
        for answered in statement.responds_to:
            responses[answered] = swap(responses[answered])
    return Index(
        chronicle=chronicle,
        statements={**previous.statements, **edited},
        by_day=by_day,
        by_actor=by_actor,
        by_claim=by_claim,
        by_source=by_source,
        verdicts_by_source=previous.verdicts_by_source,
        responses=responses,
    )


def _groups(statement: Statement) -> tuple[object, ...]:
    """What decides where a statement is indexed (and its place in time order, with its id)."""
    sources = tuple(dict.fromkeys(c.source for c in statement.sources))
    return (statement.id, statement.day, statement.actor, statement.claims, sources, statement.responds_to)


def edited_in_place(old: tuple[Statement, ...], new: tuple[Statement, ...]) -> list[tuple[Statement, Statement]] | None:
    """The statements of `new` that are not the very objects of `old`, as (before, after),
    when both list the same ids in the same order (no statement added, removed or moved in
    time, as after most edits under `mkdocs serve`); None otherwise."""
    if len(old) != len(new):
        return None
    pairs = []
    for before, after in zip(old, new, strict=True):
        if before is not after:
            if before.id != after.id:
                return None
            pairs.append((before, after))
    return pairs
