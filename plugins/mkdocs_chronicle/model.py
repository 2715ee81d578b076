"""The chronicle's records as frozen values. Built only by `validate`, so every one is valid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

STANCES = ("supports", "disputes", "neutral")

Frozen = TypeVar("Frozen")


def assemble(cls: type[Frozen], fields: dict[str, Any]) -> Frozen:
    """The instance of the frozen dataclass `cls` whose fields are `fields`, every one of them
    (defaults too): what `cls(**fields)` makes, for a seventh of the CPU with the eighteen
    fields of a statement, each of which a frozen dataclass's `__init__` sets through
    `object.__setattr__` (its attributes then take a dict of their own: about 290 bytes more
    a statement, and no saving for a class of two fields)."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


@dataclass(frozen=True)
class Citation:
    """A reference from a statement or verdict to a source, with where in it to look."""

    source: str
    locator: str | None = None


@dataclass(frozen=True)
class ClaimLink:
    """A statement's bearing on a claim."""

    claim: str
    stance: str  # one of STANCES


@dataclass(frozen=True)
class Role:
    """A title an actor held, with the dates it was held where known."""

    title: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Actor:
    """Someone who speaks or acts in the chronicle."""

    id: str
    path: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    affiliation: str | None = None
    roles: tuple[Role, ...] = ()
    wikidata: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Verdict:
    """How a claim stood on one date, and why: hindsight is dated, never rewritten."""

    date: dt.date
    rating: str
    note: str
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class Claim:
    """A proposition that statements support or dispute."""

    id: str
    path: str
    title: str
    summary: str | None = None
    verdicts: tuple[Verdict, ...] = ()


@dataclass(frozen=True)
class Source:
    """A document that reports statements."""

    id: str
    path: str
    title: str
    publisher: str
    url: str
    published: dt.date | None = None
    accessed: dt.date | None = None
    archive_url: str | None = None
    language: str | None = None
    kind: str | None = None
    via: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """Who said (or did) what, when, according to which sources.

    `day` is the calendar date as written in the record (the actor's local date); `moment`
    is the full date-time with offset when the record gives one.
    """

    id: str
    path: str
    day: dt.date
    moment: dt.datetime | None
    actor: str
    text: str
    sources: tuple[Citation, ...]
    kind: str = "quote"
    role: str | None = None
    venue: str | None = None
    place: str | None = None
    language: str | None = None
    translation: str | None = None
    claims: tuple[ClaimLink, ...] = ()
    responds_to: tuple[str, ...] = ()
    annotation: str | None = None
    date_note: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[dt.date, int, dt.datetime | None, str]:
        """Day first; within a day, timed statements in UTC order, then untimed ones, by id.
        (A moment always has its UTC offset, and such date-times compare as instants.)"""
        if self.moment is None:
            return (self.day, 1, None, self.id)
        return (self.day, 0, self.moment, self.id)


@dataclass(frozen=True)
class Chronicle:
    """All records of a chronicle, each kind sorted by id, statements in time order."""

    actors: dict[str, Actor]
    claims: dict[str, Claim]
    sources: dict[str, Source]
    statements: tuple[Statement, ...]
