"""Write a new record file from answers: the right place, the schema comment, the fields in order."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from .validate import ID_PATTERN, SCHEMA_NAMES, load_schema

KINDS = {name: folder for folder, name in SCHEMA_NAMES.items()}  # "statement" -> "statements"
SCHEMA_DIR = Path(__file__).parent / "schemas"


@dataclass(frozen=True)
class Field:
    """One question `chronicle new` asks: a field of the record's schema."""

    name: str
    required: bool
    description: str
    choices: tuple[str, ...] = ()
    reference: str | None = None  # the kind of record an id field refers to


# Fields asked for, in order, per kind; others can be added to the file by hand afterwards.
QUESTIONS = {
    "statement": ("date", "actor", "text", "kind", "role", "venue", "place", "source", "locator", "claims"),
    "actor": ("name", "kind", "country", "aliases", "role"),
    "claim": ("title", "summary"),
    "source": ("title", "publisher", "url", "published", "accessed", "archive_url", "kind"),
}
REFERENCES = {("statement", "actor"): "actor", ("statement", "source"): "source"}


def fields(kind: str) -> list[Field]:
    """The questions for one kind of record, described by its JSON Schema."""
    schema = load_schema(kind)
    properties = schema["properties"]
    required = set(schema["required"])
    result = []
    for name in QUESTIONS[kind]:
        if name not in properties:  # asked flat, stored nested (sources, claims, roles)
            result.append(_FLAT[name])
            continue
        prop = properties[name]
        definition = schema.get("$defs", {}).get(prop.get("$ref", "").rsplit("/", 1)[-1], {})
        description = prop.get("description") or definition.get("description", "")
        result.append(
            Field(name, name in required, description, tuple(prop.get("enum", ())), REFERENCES.get((kind, name)))
        )
    return result


_FLAT = {
    "source": Field("source", True, "The id of the source that reports it.", reference="source"),
    "locator": Field("locator", False, "Where in the source: a paragraph, a timestamp."),
    "claims": Field(
        "claims", False, "Claims it bears on, as CLAIM:STANCE (supports, disputes or neutral), comma-separated."
    ),
    "role": Field("role", False, "A title the actor holds or held."),
}


def record_data(kind: str, answers: dict[str, str]) -> dict[str, Any]:
    """The record's fields from flat answers, in the schema's shape."""
    data: dict[str, Any] = {}
    for name, value in answers.items():
        if not value or name in ("source", "locator", "claims", "role", "aliases"):
            continue
        data[name] = value
    if kind == "statement":
        citation = {"source": answers["source"]}
        if answers.get("locator"):
            citation["locator"] = answers["locator"]
        data["sources"] = [citation]
        if answers.get("role"):
            data["role"] = answers["role"]
        links = [item.strip() for item in answers.get("claims", "").split(",") if item.strip()]
        if links:
            data["claims"] = [dict(zip(("claim", "stance"), link.split(":", 1), strict=False)) for link in links]
    if kind == "actor":
        if answers.get("aliases"):
            data["aliases"] = [a.strip() for a in answers["aliases"].split(",") if a.strip()]
        if answers.get("role"):
            data["roles"] = [{"title": answers["role"]}]
    order = list(load_schema(kind)["properties"])
    return dict(sorted(data.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def suggest_id(kind: str, data: dict[str, Any]) -> str:
    """An id from the record's words: the actor's name, the claim's title, the statement's start."""
    words = {
        "actor": data.get("name", ""),
        "claim": data.get("title", ""),
        "source": f"{data.get('publisher', '')} {data.get('published', '')} {data.get('title', '')}",
        "statement": f"{data.get('actor', '')} {' '.join(str(data.get('text', '')).split()[:6])}",
    }[kind]
    slug = slugify(words, max_length=60, word_boundary=True)
    return slug if ID_PATTERN.match(slug) else f"{kind}-{dt.date.today():%Y%m%d}"


def record_path(records: Path, kind: str, record_id: str, data: dict[str, Any]) -> Path:
    """Where the record lives: statements in their day's folder, others in their kind's."""
    folder = records / KINDS[kind]
    if kind == "statement":
        day = str(data["date"])[:10]
        folder = folder.joinpath(*day.split("-"))
    return folder / f"{record_id}.yml"


def record_text(kind: str, data: dict[str, Any], file: Path, schema_dir: Path = SCHEMA_DIR) -> str:
    """The file's text: a schema comment for editors (VS Code's YAML extension and others
    read it to complete and check fields), then the fields."""
    schema = schema_dir / f"{kind}.schema.json"
    relative = posixpath.relpath(schema.resolve().as_posix(), file.parent.resolve().as_posix())
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return f"# yaml-language-server: $schema={relative}\n{body}"
