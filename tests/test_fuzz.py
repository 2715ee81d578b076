"""Property-based tests: whatever a pull request contains, the outcome is "valid" or a list of
located problems, never an exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, write_records
from mkdocs_chronicle.load import Document, parse, read_text
from mkdocs_chronicle.problems import Problem
from mkdocs_chronicle.validate import validate_folder

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOKENS = st.sampled_from([*":-?[]{},&*!|>'\"%@`#\n\t ", "<<", "---", "...", "\\u2028", "\x00", "é", "\u202e", "~"])


def noise(max_tokens: int) -> st.SearchStrategy[str]:
    return st.lists(TOKENS, max_size=max_tokens).map("".join)


def located(problem: Problem, path: str) -> bool:
    return problem.path.startswith(path) and problem.line >= 0 and problem.column >= 0 and bool(problem.message)


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused(raw: bytes) -> None:
    text = read_text(raw, "r.yml")
    if isinstance(text, Problem):
        assert located(text, "r.yml")
        return
    result = parse(text, "r.yml")
    assert isinstance(result, Document) or located(result, "r.yml")


@FUZZ
@given(st.lists(st.one_of(TOKENS, st.characters()), max_size=300).map("".join))
def test_any_text_is_parsed_or_refused(text: str) -> None:
    result = parse(text, "r.yml")
    assert isinstance(result, Document) or located(result, "r.yml")


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for position, length, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length :]
    return text


RECORD = st.sampled_from(sorted(MINI))
EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 3), noise(4)), min_size=1, max_size=6)


@FUZZ
@given(RECORD, EDITS)
def test_mutated_records_validate_or_report_located_problems(name: str, edits: list[tuple[int, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_records(Path(folder) / "chronicle", MINI)
        original = (root / name).read_text("utf-8")
        (root / name).write_text(mutate(original, edits), encoding="utf-8")
        result = validate_folder(root, "chronicle")
        assert (result.chronicle is None) == bool(result.errors)
        assert all(located(p, "chronicle/") for p in result.problems)


JSON_VALUES = st.recursive(
    st.none() | st.text(max_size=20) | st.integers() | st.booleans(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "date",
        "actor",
        "text",
        "sources",
        "claims",
        "kind",
        "stance",
        "source",
        "claim",
        "name",
        "title",
        "url",
        "responds_to",
        "annotation",
        "verdicts",
        "roles",
        "aliases",
        "language",
        "translation",
        "extra",
    ]
)


@FUZZ
@given(
    st.dictionaries(FIELDS, JSON_VALUES, max_size=8),
    st.sampled_from(["actors/a.yml", "claims/c.yml", "sources/s.yml", "statements/2022/02/16/s.yml"]),
)
def test_random_structures_validate_or_report_located_problems(record: dict[str, object], name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_records(Path(folder) / "chronicle", MINI)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(json.dumps(record), encoding="utf-8")  # JSON is YAML flow style
        result = validate_folder(root, "chronicle")
        assert (result.chronicle is None) == bool(result.errors)
        assert all(located(p, "chronicle/") for p in result.problems)
