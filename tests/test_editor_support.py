"""Editors complete and check records as they are typed: each record names its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, Build
from mkdocs_chronicle.scaffold import KINDS

SCHEMAS = ROOT / "plugins" / "mkdocs_chronicle" / "schemas"
RECORDS = sorted((ROOT / "chronicle").rglob("*.yml"))


def test_every_record_names_the_schema_of_its_kind_on_its_first_line() -> None:
    kind_of = {folder: kind for kind, folder in KINDS.items()}
    wrong = []
    for record in RECORDS:
        kind = kind_of[record.relative_to(ROOT / "chronicle").parts[0]]
        first = record.read_text("utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        target = (record.parent / first.removeprefix(prefix)).resolve()
        if not first.startswith(prefix) or target != SCHEMAS / f"{kind}.schema.json":
            wrong.append(record.relative_to(ROOT).as_posix())
    assert len(RECORDS) > 100
    assert wrong == []


@pytest.mark.parametrize("schema", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.name)
def test_schemas_are_valid_and_published_with_the_site(site: Build, schema: Path) -> None:
    document = json.loads(schema.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    assert (site.site / "schemas" / schema.name).read_bytes() == schema.read_bytes()
