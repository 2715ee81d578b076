"""Open data: chronicle.json valid against its schema, references as ids; the statements CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import ROOT, write_records
from mkdocs_chronicle.export import CSV_COLUMNS, neutralise_formula, open_data
from mkdocs_chronicle.index import Index, build_index
from mkdocs_chronicle.validate import validate_folder

BUILT = dt.date(2026, 11, 28)
SCHEMA_FILE = ROOT / "plugins" / "mkdocs_chronicle" / "schemas" / "chronicle-data.schema.json"
HEADER = (
    "statement_id,date,time,actor_id,actor_name,kind,text,claim_id,claim_title,stance,source_id,source_url,permalink"
)


def index_of(records: Path) -> Index:
    result = validate_folder(records, "chronicle")
    assert result.chronicle is not None, result.problems
    return build_index(result.chronicle)


def export(records: Path) -> tuple[Index, dict[str, bytes]]:
    index = index_of(records)
    return index, open_data(index, build_date=BUILT)


def rows(files: dict[str, bytes]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files["data/statements.csv"].decode("utf-8"), newline="")))


def check_json(records: Path, index: Index, files: dict[str, bytes]) -> dict[str, Any]:
    """What holds for any chronicle: valid, complete, stable, every reference an id."""
    schema = json.loads(files["data/chronicle.schema.json"])
    assert files["data/chronicle.schema.json"] == SCHEMA_FILE.read_bytes()
    jsonschema.Draft202012Validator.check_schema(schema)
    text = files["data/chronicle.json"].decode("utf-8")
    data: dict[str, Any] = json.loads(text)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(data)] == []
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"

    assert len(data["statements"]) == len(list((records / "statements").rglob("*.yml")))
    chronicle = index.chronicle
    assert data["generated"] == "2026-11-28"
    assert data["counts"] == {kind: len(data[kind]) for kind in ("actors", "claims", "sources", "statements")}
    assert [a["id"] for a in data["actors"]] == sorted(chronicle.actors)
    assert [c["id"] for c in data["claims"]] == sorted(chronicle.claims)
    assert [s["id"] for s in data["sources"]] == sorted(chronicle.sources)
    assert [s["id"] for s in data["statements"]] == [s.id for s in chronicle.statements]

    actors, claims, sources = set(chronicle.actors), set(chronicle.claims), set(chronicle.sources)
    statements = {s["id"] for s in data["statements"]}
    for actor in data["actors"]:
        assert actor["affiliation"] is None or actor["affiliation"] in actors
    for claim in data["claims"]:
        for verdict in claim["verdicts"]:
            assert {c["source"] for c in verdict["sources"]} <= sources
    for statement in data["statements"]:
        assert statement["actor"] in actors
        assert {c["claim"] for c in statement["claims"]} <= claims
        assert {c["source"] for c in statement["sources"]} <= sources
        assert set(statement["responds_to"]) <= statements
        record = index.statements[statement["id"]]
        assert statement["text"] == record.text
        assert statement["date"] == record.day.isoformat()
        assert statement["time"] == (record.moment.isoformat() if record.moment else None)
    assert open_data(index, build_date=BUILT) == files
    return data


def check_csv(index: Index, files: dict[str, bytes]) -> list[dict[str, str]]:
    """What holds for any chronicle: the header, a row per statement and claim, in time order."""
    raw = files["data/statements.csv"].decode("utf-8")
    assert raw.split("\n", 1)[0] == HEADER
    assert "\r" not in raw  # lines end in "\n" (records cannot hold a carriage return)
    table = rows(files)
    chronicle = index.chronicle
    assert len(table) == sum(max(1, len(s.claims)) for s in chronicle.statements)
    expected = [(s.id, link.claim, link.stance) for s in chronicle.statements for link in s.claims]
    expected += [(s.id, "", "") for s in chronicle.statements if not s.claims]
    assert sorted((r["statement_id"], r["claim_id"], r["stance"]) for r in table) == sorted(expected)
    order = {s.id: i for i, s in enumerate(chronicle.statements)}
    assert [order[r["statement_id"]] for r in table] == sorted(order[r["statement_id"]] for r in table)
    for row in table:
        assert list(row) == list(CSV_COLUMNS)
        statement = index.statements[row["statement_id"]]
        source = chronicle.sources[statement.sources[0].source]
        assert (row["source_id"], row["source_url"]) == (source.id, source.url)
        assert row["actor_name"] == neutralise_formula(chronicle.actors[statement.actor].name)
        assert row["permalink"] == f"days/{statement.day.isoformat()}/#{statement.id}"
        assert row["claim_title"] == (chronicle.claims[row["claim_id"]].title if row["claim_id"] else "")
        assert row["time"] == (statement.moment.isoformat() if statement.moment else "")
        assert row["text"] == neutralise_formula(statement.text)
    return table


def test_the_files(mini: Path) -> None:
    _, files = export(mini)
    assert sorted(files) == ["data/chronicle.json", "data/chronicle.schema.json", "data/statements.csv"]


def test_chronicle_json_of_the_mini_chronicle(mini: Path) -> None:
    index, files = export(mini)
    data = check_json(mini, index, files)
    assert data["counts"] == {"actors": 3, "claims": 1, "sources": 1, "statements": 3}
    wallace = next(s for s in data["statements"] if s["id"] == "wallace-no-evidence")
    assert wallace == {
        "id": "wallace-no-evidence",
        "date": "2022-02-16",
        "time": "2022-02-16T09:00:00+00:00",
        "actor": "ben-wallace",
        "role": "UK Defence Secretary",
        "kind": "quote",
        "text": "We haven't seen any evidence at the moment of that withdrawal.",
        "language": None,
        "translation": None,
        "venue": None,
        "place": None,
        "date_note": None,
        "claims": [{"claim": "russia-withdrawing-troops", "stance": "disputes"}],
        "sources": [{"source": "report", "locator": "paragraph 4"}],
        "responds_to": ["crimea-video"],
        "annotation": "See [the report](https://example.org/report).",
        "tags": [],
    }
    actor = next(a for a in data["actors"] if a["id"] == "ben-wallace")
    assert actor["affiliation"] == "uk-government"
    assert actor["roles"] == [{"title": "UK Defence Secretary", "from": None, "to": None}]
    [claim] = data["claims"]
    assert claim["verdicts"] == [
        {
            "date": "2022-02-16",
            "rating": "unproven",
            "note": "No evidence of a withdrawal was seen.",
            "sources": [{"source": "report", "locator": None}],
        }
    ]
    [source] = data["sources"]
    assert (source["published"], source["accessed"]) == ("2022-02-16", "2022-02-16")


def test_the_schema_refuses_what_the_file_never_holds(mini: Path) -> None:
    _, files = export(mini)
    schema = json.loads(files["data/chronicle.schema.json"])
    validator = jsonschema.Draft202012Validator(schema)
    good = json.loads(files["data/chronicle.json"])
    for spoil in [
        lambda d: d["statements"][0].update(extra=1),  # closed objects
        lambda d: d["statements"][0].pop("time"),  # every field present
        lambda d: d["statements"][0].update(actor="Ben Wallace"),  # references are ids
        lambda d: d["statements"][0].update(date="16 February 2022"),
        lambda d: d["claims"][0]["verdicts"][0].update(rating="maybe"),
        lambda d: d.update(generated=None),
    ]:
        data = json.loads(json.dumps(good))
        spoil(data)
        assert not validator.is_valid(data)


def test_unicode_is_written_as_is(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name: Уряд «UK» — \u2019s\nkind: government\n"})
    index, files = export(mini)
    assert "Уряд «UK» — \u2019s".encode() in files["data/chronicle.json"]
    check_json(mini, index, files)


def test_statements_csv_of_the_mini_chronicle(mini: Path) -> None:
    index, files = export(mini)
    table = check_csv(index, files)
    assert [(r["statement_id"], r["claim_id"], r["stance"]) for r in table] == [
        ("wallace-no-evidence", "russia-withdrawing-troops", "disputes"),
        ("crimea-video", "russia-withdrawing-troops", "supports"),
        ("wallace-later", "", ""),
    ]
    assert table[0]["time"] == "2022-02-16T09:00:00+00:00"
    assert table[1]["time"] == ""
    assert table[0]["permalink"] == "days/2022-02-16/#wallace-no-evidence"
    plain = open_data(index, build_date=BUILT, use_directory_urls=False)
    assert rows(plain)[0]["permalink"] == "days/2022-02-16.html#wallace-no-evidence"


def test_a_statement_on_two_claims_has_two_rows(mini: Path) -> None:
    write_records(
        mini,
        {
            "claims/second-claim.yml": "title: A second claim.\n",
            "statements/2022/02/17/wallace-later.yml": """
                date: 2022-02-17
                actor: ben-wallace
                text: "Still no evidence,\\nand a second line."
                sources:
                  - source: report
                claims:
                  - claim: second-claim
                    stance: neutral
                  - claim: russia-withdrawing-troops
                    stance: disputes
            """,
        },
    )
    index, files = export(mini)
    table = check_csv(index, files)
    later = [r for r in table if r["statement_id"] == "wallace-later"]
    assert [(r["claim_id"], r["claim_title"], r["stance"]) for r in later] == [
        ("second-claim", "A second claim.", "neutral"),
        (
            "russia-withdrawing-troops",
            "Russia has begun withdrawing troops from areas near Ukraine's border.",
            "disputes",
        ),
    ]
    assert later[0]["text"] == "Still no evidence,\nand a second line."


@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A2)"])
def test_a_formula_looking_text_is_neutralised(mini: Path, text: str) -> None:
    write_records(
        mini,
        {
            "statements/2022/02/17/wallace-later.yml": f"""
                date: 2022-02-17
                actor: ben-wallace
                text: '{text}'
                sources:
                  - source: report
            """
        },
    )
    index, files = export(mini)
    row = next(r for r in check_csv(index, files) if r["statement_id"] == "wallace-later")
    assert row["text"] == "'" + text
    later = next(s for s in json.loads(files["data/chronicle.json"])["statements"] if s["id"] == "wallace-later")
    assert later["text"] == text  # the JSON keeps the words exactly


def test_the_repository_records() -> None:
    records = ROOT / "chronicle"
    index, files = export(records)
    data = check_json(records, index, files)
    assert data["counts"]["statements"] == len(index.chronicle.statements) > 0
    check_csv(index, files)


@pytest.mark.parametrize("cell", ["=1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(cell: str) -> None:
    assert neutralise_formula(cell) == "'" + cell
    assert neutralise_formula("a" + cell) == "a" + cell


def test_any_column_is_neutralised(mini: Path) -> None:
    write_records(mini, {"actors/ben-wallace.yml": "name: '@Ben Wallace'\nkind: person\n"})
    index, files = export(mini)
    assert {r["actor_name"] for r in check_csv(index, files) if r["actor_id"] == "ben-wallace"} == {"'@Ben Wallace"}
