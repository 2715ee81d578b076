"""Open data: every record as one JSON file (with its JSON Schema) and the statements as CSV.

Outputs depend on the records and the build date only, never on the clock or dict order, so
that two builds of the same records give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from importlib import resources
from typing import Any

from .index import Index
from .model import Actor, Citation, Claim, Source, Statement
from .render import day_uri, page_url

JSON_PATH = "data/chronicle.json"
SCHEMA_PATH = "data/chronicle.schema.json"
CSV_PATH = "data/statements.csv"
DATA_PATHS = (JSON_PATH, SCHEMA_PATH, CSV_PATH)
TITLE = "Crisis Chronicle: statements on Russia's claimed troop pullback near Ukraine, 14\u201324 February 2022"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CSV_COLUMNS = (
    "statement_id",
    "date",
    "time",
    "actor_id",
    "actor_name",
    "kind",
    "text",
    "claim_id",
    "claim_title",
    "stance",
    "source_id",
    "source_url",
    "permalink",
)
# Spreadsheets run a cell that starts with one of these as a formula (=HYPERLINK(...) can leak
# data or mislead a reader), so such a cell is written with a leading apostrophe, which they
# show as text; chronicle.json keeps every value exactly.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def open_data(
    index: Index,
    *,
    build_date: dt.date,
    use_directory_urls: bool = True,
    cache: dict[str, dict[str, str]] | None = None,
) -> dict[str, bytes]:
    """Export the chronicle as open data files.

    Args:
        index: The indexed chronicle.
        build_date: The date written as `generated` in chronicle.json (the build's, not the clock's).
        use_directory_urls: As in mkdocs.yml; decides the form of the CSV's permalinks.
        cache: Each statement's JSON and CSV text by statement id, under "json" and "csv",
            kept by `mkdocs serve` between rebuilds less the statements an edit touched.

    Returns:
        Output paths relative to the site root (`data/chronicle.json`,
        `data/chronicle.schema.json`, `data/statements.csv`) mapped to their UTF-8 bytes.
    """
    cache = {} if cache is None else cache
    return {
        JSON_PATH: chronicle_json(index, build_date=build_date, cache=cache.setdefault("json", {})),
        SCHEMA_PATH: schema_bytes(),
        CSV_PATH: statements_csv(index, use_directory_urls=use_directory_urls, cache=cache.setdefault("csv", {})),
    }


def schema_bytes() -> bytes:
    """The JSON Schema of chronicle.json, as shipped in the package."""
    return resources.files(__package__).joinpath("schemas", "chronicle-data.schema.json").read_bytes()


def compact_json(value: Any) -> str:
    """JSON without spaces, keys sorted: what json.dumps writes with its C encoder (an indent
    makes it fall back to Python code, many times slower on 20,000 statements)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chronicle_json(index: Index, *, build_date: dt.date, cache: dict[str, str] | None = None) -> bytes:
    """Every record, references given as ids, dates as ISO strings; keys sorted, records by id
    (statements in the chronicle's time order). Equal to `compact_json` of the whole, but made
    of each statement's own text, so that a cached statement is not encoded again."""
    chronicle = index.chronicle
    cache = {} if cache is None else cache
    statements = []
    for statement in chronicle.statements:
        text = cache.get(statement.id)
        if text is None:
            text = cache[statement.id] = compact_json(_statement(statement))
        statements.append(text)
    members = {
        "title": compact_json(TITLE),
        "license": compact_json(LICENSE),
        "generated": compact_json(build_date.isoformat()),
        "counts": compact_json(
            {
                "actors": len(chronicle.actors),
                "claims": len(chronicle.claims),
                "sources": len(chronicle.sources),
                "statements": len(chronicle.statements),
            }
        ),
        "actors": compact_json([_actor(a) for a in chronicle.actors.values()]),
        "claims": compact_json([_claim(c) for c in chronicle.claims.values()]),
        "sources": compact_json([_source(s) for s in chronicle.sources.values()]),
        "statements": "[" + ",".join(statements) + "]",
    }
    body = ",".join(f"{compact_json(key)}:{members[key]}" for key in sorted(members))
    return ("{" + body + "}\n").encode("utf-8")


def statements_csv(index: Index, *, use_directory_urls: bool = True, cache: dict[str, str] | None = None) -> bytes:
    """One row per statement and claim (one row with empty claim and stance for a statement
    without claims), in the chronicle's time order."""
    chronicle = index.chronicle
    cache = {} if cache is None else cache
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(CSV_COLUMNS)
    for statement in chronicle.statements:
        rows = cache.get(statement.id)
        if rows is None:
            rows = cache[statement.id] = _csv_rows(index, statement, use_directory_urls)
        buffer.write(rows)
    return buffer.getvalue().encode("utf-8")


def _csv_rows(index: Index, statement: Statement, use_directory_urls: bool) -> str:
    chronicle = index.chronicle
    first = chronicle.sources[statement.sources[0].source]
    common = {
        "statement_id": statement.id,
        "date": statement.day.isoformat(),
        "time": statement.moment.isoformat() if statement.moment else "",
        "actor_id": statement.actor,
        "actor_name": chronicle.actors[statement.actor].name,
        "kind": statement.kind,
        "text": statement.text,
        "source_id": first.id,
        "source_url": first.url,
        "permalink": page_url(day_uri(statement.day), use_directory_urls) + "#" + statement.id,
    }
    links = [(c.claim, chronicle.claims[c.claim].title, c.stance) for c in statement.claims] or [("", "", "")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for claim_id, claim_title, stance in links:
        row = {**common, "claim_id": claim_id, "claim_title": claim_title, "stance": stance}
        writer.writerow([neutralise_formula(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def neutralise_formula(cell: str) -> str:
    """A CSV cell a spreadsheet would not run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _citations(citations: tuple[Citation, ...]) -> list[dict[str, Any]]:
    return [{"source": c.source, "locator": c.locator} for c in citations]


def _actor(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "aliases": list(actor.aliases),
        "country": actor.country,
        "affiliation": actor.affiliation,
        "roles": [{"title": r.title, "from": _date(r.start), "to": _date(r.end)} for r in actor.roles],
        "wikidata": actor.wikidata,
        "description": actor.description,
    }


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "title": claim.title,
        "summary": claim.summary,
        "verdicts": [
            {"date": v.date.isoformat(), "rating": v.rating, "note": v.note, "sources": _citations(v.sources)}
            for v in claim.verdicts
        ],
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": _date(source.published),
        "accessed": _date(source.accessed),
        "archive_url": source.archive_url,
        "language": source.language,
        "kind": source.kind,
        "via": list(source.via),
    }


def _statement(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.id,
        "date": statement.day.isoformat(),
        "time": statement.moment.isoformat() if statement.moment else None,
        "actor": statement.actor,
        "role": statement.role,
        "kind": statement.kind,
        "text": statement.text,
        "language": statement.language,
        "translation": statement.translation,
        "venue": statement.venue,
        "place": statement.place,
        "date_note": statement.date_note,
        "claims": [{"claim": c.claim, "stance": c.stance} for c in statement.claims],
        "sources": _citations(statement.sources),
        "responds_to": list(statement.responds_to),
        "annotation": statement.annotation,
        "tags": list(statement.tags),
    }
