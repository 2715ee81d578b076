"""The loader: strict YAML, text-only scalars, positions for every value."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_chronicle.load import MAX_FILE_BYTES, Document, find_records, parse, read_record
from mkdocs_chronicle.problems import Problem


def load(text: str) -> Document:
    result = parse(text, "r.yml")
    assert isinstance(result, Document), result
    return result


def refused(text: str) -> Problem:
    result = parse(text, "r.yml")
    assert isinstance(result, Problem), result
    return result


@pytest.mark.parametrize("value", ["no", "on", "yes", "12:30", "0123", "1.10", "2022-02-16", "null", "~", "1e3"])
def test_every_scalar_is_text(value: str) -> None:
    assert load(f"a: {value}\n").data == {"a": value}


def test_empty_value_is_none_but_empty_quotes_are_text() -> None:
    assert load("a:\nb: ''\n").data == {"a": None, "b": ""}


def test_positions_of_values_and_keys() -> None:
    doc = load("name: Ben\nroles:\n  - title: Secretary\n")
    assert doc.positions[("name",)] == (1, 7)
    assert doc.key_positions[("roles",)] == (2, 1)
    assert doc.positions[("roles", 0, "title")] == (3, 12)
    assert doc.where(("roles", 0, "title")) == (3, 5)  # the key is where a reader looks
    assert doc.where(("roles", 5)) == (2, 1)  # a missing item points at its list's key


def test_duplicate_key_names_both_lines() -> None:
    problem = refused("actor: a\ntext: x\nactor: b\n")
    assert (problem.line, problem.column) == (3, 1)
    assert "duplicate key 'actor'" in problem.message and "line 1" in problem.message


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ("a: &x 1\nb: *x\n", "anchors", 1),
        ("a: [1]\nb: *x\n", "aliases", 2),
        ("a: !!str 1\n", "tags", 1),
        ("a: !custom 1\n", "tags", 1),
        ("a: 1\n---\na: 2\n", "one YAML document", 2),
        ("base: {a: 1}\nother:\n  <<: {b: 2}\n", "merge keys", 3),
        ("a: [1\n", "syntax error", 2),
        ("? [a, b]\n: 1\n", "plain text", 1),
    ],
)
def test_refused_constructs(text: str, words: str, line: int) -> None:
    problem = refused(text)
    assert words in problem.message
    assert problem.line == line


def test_empty_file_is_refused() -> None:
    assert "empty" in refused("").message


def test_alias_bomb_refused_at_the_first_alias() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    problem = refused("\n".join(lines) + "\n")
    assert problem.line == 1 and "anchors" in problem.message


def test_deep_nesting_refused() -> None:
    problem = refused("a: " + "[" * 1000 + "]" * 1000 + "\n")
    assert "nesting" in problem.message


def write(tmp_path: Path, raw: bytes) -> Document | Problem:
    file = tmp_path / "r.yml"
    file.write_bytes(raw)
    return read_record(file, "r.yml")


def test_bom_and_crlf_read_like_the_clean_file(tmp_path: Path) -> None:
    clean = write(tmp_path, b"name: Ben\ntext: |\n  two\n  lines\n")
    dirty = write(tmp_path, b"\xef\xbb\xbfname: Ben\r\ntext: |\r\n  two\r\n  lines\r\n")
    assert isinstance(clean, Document) and isinstance(dirty, Document)
    assert dirty.data == clean.data and dirty.positions == clean.positions


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("name: Ben\ntext: caf\xe9\n".encode("latin-1"), 2),
        ("name: Ben\n".encode("utf-16"), 1),
        (b"name: Ben\ntext: a\x00b\n", 2),
        (b'name: Ben\ntext: "a\\0b"\n', 2),
        (b'name: Ben\ntext: "\\ud800"\n', 2),
        ("name: Ben\ntext: a\u0085b\n".encode(), 2),
        ("name: Ben\ntext: a\u2028b\n".encode(), 2),
    ],
)
def test_bad_encodings_and_characters_are_refused_with_a_line(tmp_path: Path, raw: bytes, line: int) -> None:
    problem = write(tmp_path, raw)
    assert isinstance(problem, Problem)
    assert problem.line == line


def test_size_cap_refused_before_reading(tmp_path: Path) -> None:
    problem = write(tmp_path, b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    assert isinstance(problem, Problem) and "bytes" in problem.message


def test_symlinks_and_stray_files_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "chronicle"
    (root / "actors").mkdir(parents=True)
    (root / "actors" / "a.yml").write_text("name: A\nkind: person\n")
    (root / "actors" / "b.yaml").write_text("name: B\nkind: person\n")
    (root / "actors" / "c.yml").symlink_to("/etc/passwd")
    (root / "extras").mkdir()
    found, problems = find_records(root, "chronicle")
    assert [r.id for r in found] == ["a"]
    messages = {p.path: p.message for p in problems}
    assert messages["chronicle/actors/c.yml"] == "symbolic links are not allowed"
    assert messages["chronicle/actors/b.yaml"] == "not a record file"
    (root / "extras" / "x.yml").write_text("a: b\n")
    found, problems = find_records(root, "chronicle")
    assert "unknown folder" in {p.path: p.message for p in problems}["chronicle/extras/x.yml"]
