"""schema.org JSON-LD for search engines and tools: ClaimReview, Quotation, Person/Organization."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from .index import Index
from .model import Actor, Claim, Statement

SCHEMA_ORG = "https://schema.org"
# Verdict ratings on a 1-5 scale for ClaimReview's reviewRating (alternateName keeps our word).
RATING_VALUES = {"false": 1, "misleading": 2, "disputed": 2, "unproven": 3, "partly-true": 4, "true": 5}

Url = Callable[[str, Any], str]  # (kind, key) -> absolute URL


def script(data: dict[str, Any]) -> Markup:
    """`data` as a <script type="application/ld+json"> element that user text cannot close:
    '<', '>' and '&' are written as JSON escapes, which JSON-LD parsers read back unchanged."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def agent(actor: Actor, url: Url) -> dict[str, Any]:
    """An actor as a schema.org Person or Organization."""
    data: dict[str, Any] = {
        "@type": "Person" if actor.kind == "person" else "Organization",
        "@id": url("actor", actor.id),
        "name": actor.name,
        "url": url("actor", actor.id),
    }
    if actor.aliases:
        data["alternateName"] = list(actor.aliases)
    if actor.wikidata:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{actor.wikidata}"
    if actor.description:
        data["description"] = actor.description
    if actor.roles and actor.kind == "person":
        data["jobTitle"] = actor.roles[-1].title
    return data


def quotation(index: Index, statement: Statement, url: Url) -> dict[str, Any]:
    """A statement as a schema.org Quotation, based on its sources."""
    actor = index.chronicle.actors[statement.actor]
    sources = [index.chronicle.sources[c.source] for c in statement.sources]
    data: dict[str, Any] = {
        "@type": "Quotation",
        "@id": url("statement", statement.id),
        "url": url("statement", statement.id),
        "text": statement.text,
        "dateCreated": (statement.moment or statement.day).isoformat(),
        "spokenByCharacter": {"@type": agent(actor, url)["@type"], "@id": url("actor", actor.id), "name": actor.name},
        "isBasedOn": [
            {
                "@type": "CreativeWork",
                "name": s.title,
                "url": s.url,
                "publisher": {"@type": "Organization", "name": s.publisher},
            }
            for s in sources
        ],
    }
    if statement.kind != "quote":
        data["additionalType"] = statement.kind  # a paraphrase or an action, not verbatim words
    if statement.language:
        data["inLanguage"] = statement.language
    return data


def day_graph(index: Index, statements: Iterable[Statement], url: Url) -> dict[str, Any]:
    """The statements of a day page."""
    return {"@context": SCHEMA_ORG, "@graph": [quotation(index, s, url) for s in statements]}


def actor_graph(actor: Actor, url: Url) -> dict[str, Any]:
    """An actor page's subject."""
    return {"@context": SCHEMA_ORG, **agent(actor, url)}


def claim_graph(index: Index, claim: Claim, url: Url, publisher: str) -> dict[str, Any]:
    """A claim page: one ClaimReview per dated verdict, each reviewing the same Claim, whose
    appearances are the statements that bear on it."""
    reviewed = {
        "@type": "Claim",
        "@id": url("claim", claim.id),
        "name": claim.title,
        "appearance": [
            {"@type": "Quotation", "@id": url("statement", m.statement.id), "url": url("statement", m.statement.id)}
            for m in index.by_claim.get(claim.id, ())
        ],
    }
    reviews = [
        {
            "@type": "ClaimReview",
            "url": url("claim", claim.id) + f"#verdict-{number}",
            "claimReviewed": claim.title,
            "datePublished": verdict.date.isoformat(),
            "itemReviewed": reviewed,
            "reviewBody": verdict.note,
            "author": {"@type": "Organization", "name": publisher},
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING_VALUES[verdict.rating],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": verdict.rating,
            },
        }
        for number, verdict in enumerate(claim.verdicts, start=1)
    ]
    return {"@context": SCHEMA_ORG, "@graph": reviews or [reviewed]}
