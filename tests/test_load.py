"""The loader: strict YAML, text-only scalars, positions for every value."""

from __future__ import annotations

import functools
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_chronicle import fanout
from mkdocs_chronicle import load as loader
from mkdocs_chronicle.load import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_SCALAR_CHARS,
    Document,
    Places,
    RecordFile,
    _read_open,
    find_records,
    parse,
    parse_events,
    parse_nodes,
    read_record,
    read_records,
    walk,
)
from mkdocs_chronicle.problems import Problem

T = TypeVar("T")


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


@pytest.mark.parametrize("text", ["name: Ben\ntext: a{}b\n", "name: Ben\ntext: \u00e9 a{}b\n"])
def test_each_control_character_is_refused_in_ascii_and_other_text(text: str) -> None:
    # An ASCII text is checked a faster way than any other: both must refuse the same.
    allowed = {"\t", "\n"} | {chr(code) for code in range(0x20, 0x7F)}
    for code in range(0x100):
        read = parse(text.format(chr(code)), "r.yml")
        refused = isinstance(read, Problem) and "forbidden character" in read.message
        assert refused == (chr(code) not in allowed and code < 0xA0), hex(code)
        if refused:
            assert isinstance(read, Problem) and (read.line, read.column) == (2, text.index("{") - 9)


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


# -- the fast path: libyaml's composer, used only when the strict reader would agree ------------


def strict(text: str) -> Document | Problem:
    """What the event-by-event reader alone gives (after the whole-text character check)."""
    bad = parse(text, "r.yml")
    return bad if isinstance(bad, Problem) and "forbidden character" in bad.message else parse_events(text, "r.yml")


def test_a_clean_record_takes_the_fast_path_and_reads_the_same() -> None:
    text = 'name: Ben\nroles:\n  - title: "Secretary"\n    from: 2019-07-24\ntext: |\n  two\n  lines\nempty:\n'
    fast = parse_nodes(text, "r.yml")
    assert isinstance(fast, Document)
    assert fast == parse_events(text, "r.yml")
    assert fast.positions == parse_events(text, "r.yml").positions  # found again when asked for
    assert fast.where(("roles", 0, "title")) == (3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",  # an anchor that nothing uses leaves no trace in the node tree
        "a: &x [1]\nb: *x\n",
        "a: !!str 1\n",  # the tag a plain scalar resolves to anyway
        "a: ! 1\n",  # the non-specific tag resolves to nothing
        "!!map {a: 1}\n",
        "&x a: 1\n",  # a property on a key
        "a:\n  &x b: 1\n",
        "a: 1\n---\na: 2\n",
        "base: {a: 1}\nother:\n  <<: {b: 2}\n",
        "a: 1\na: 2\n",
        "? [a, b]\n: 1\n",
        ": 1\n",
        "a: " + "x" * (MAX_SCALAR_CHARS + 1) + "\n",
        'a: "\\x07"\n',  # an escape makes a forbidden character
        "a: " + "[" * 17 + "]" * 17 + "\n",
        "a: [1\n",
        "",
        "# only a comment\n",
    ],
)
def test_the_fast_path_leaves_every_refusal_to_the_strict_reader(text: str) -> None:
    assert parse_nodes(text, "r.yml") is None
    assert parse(text, "r.yml") == strict(text)


def test_nesting_up_to_the_limit_is_read_by_the_fast_path() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n"
    assert isinstance(parse_nodes(text, "r.yml"), Document)
    assert parse_nodes("a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n", "r.yml") is None


def test_nesting_deeper_than_libyaml_allows_is_refused_without_a_crash() -> None:
    problem = refused("- " * 100_000 + "x\n")
    assert "nesting" in problem.message and problem.line == 1


YAML_TOKENS = st.sampled_from(
    [*":-?[]{},&*!|>'\"%#\n\t ", "<<", "---", "...", "a", "b", "é", "\\x07", "\\u202e", "~", "  ", "- ", ": "]
)
RECORD_TEXTS = st.sampled_from(
    [
        "name: Ben\nkind: person\nroles:\n  - title: T\n    from: 2019-07-24\n",
        "date: 2022-02-16T09:00+00:00\nactor: a\ntext: 'quoted'\nsources:\n  - source: s\n    locator: p 4\n",
        'title: "T"\nverdicts: [{date: 2022-02-16, rating: false, note: >\n  folded\n  text}]\n',
    ]
)


def same_outcome(text: str) -> None:
    fast = parse_nodes(text, "r.yml")
    reference = strict(text)
    if fast is not None:
        assert isinstance(reference, Document), reference
        assert (fast.data, fast.positions, fast.key_positions) == (
            reference.data,
            reference.positions,
            reference.key_positions,
        )
    assert parse(text, "r.yml") == reference


@settings(max_examples=400, deadline=None)
@given(st.lists(YAML_TOKENS, max_size=40).map("".join))
def test_fast_and_strict_readers_agree_on_any_text(text: str) -> None:
    same_outcome(text)


@settings(max_examples=400, deadline=None)
@given(RECORD_TEXTS, st.lists(st.tuples(st.integers(0, 200), st.integers(0, 3), YAML_TOKENS), max_size=4))
def test_fast_and_strict_readers_agree_on_edited_records(text: str, edits: list[tuple[int, int, str]]) -> None:
    for position, length, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length :]
    same_outcome(text)


def test_walk_lists_a_folders_files_before_its_subfolders_in_name_order(tmp_path: Path) -> None:
    for rel in ["b/x.yml", "a/z.yml", "a/c/y.yml", "a/b.yml", "c.yml"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("a: b\n")
    os.mkfifo(tmp_path / "a" / "pipe")
    files, problems = walk(tmp_path, "root")
    assert [rel.as_posix() for _, rel in files] == ["c.yml", "a/b.yml", "a/z.yml", "a/c/y.yml", "b/x.yml"]
    assert all(file == tmp_path / rel for file, rel in files)
    assert [(p.path, p.message) for p in problems] == [("root/a/pipe", "not a regular file")]


def test_a_file_is_read_up_to_the_limit_only(tmp_path: Path) -> None:
    file = tmp_path / "big"
    file.write_bytes(b"x" * 100_000)

    def read_start(limit: int, expected: int) -> bytes:
        descriptor = os.open(file, os.O_RDONLY)
        try:
            return _read_open(descriptor, limit, expected)
        finally:
            os.close(descriptor)

    assert read_start(70_000, 100_000) == b"x" * 70_000
    assert read_start(200_000, 100_000) == b"x" * 100_000
    # A file that has grown or shrunk since its size was taken is read all the same.
    assert read_start(200_000, 10) == b"x" * 100_000
    assert read_start(70_000, 10) == b"x" * 70_000
    assert read_start(200_000, 150_000) == b"x" * 100_000


def test_a_record_that_is_not_a_plain_file_is_refused_without_being_read(tmp_path: Path) -> None:
    # The walk refuses these too, but a file can change between the walk and the read.
    (tmp_path / "target.yml").write_text("name: A\n")
    (tmp_path / "link.yml").symlink_to(tmp_path / "target.yml")
    os.mkfifo(tmp_path / "pipe.yml")  # (opening it for reading must not wait for a writer)
    (tmp_path / "folder.yml").mkdir()
    (tmp_path / "dangling.yml").symlink_to(tmp_path / "nowhere")
    names = ("link.yml", "pipe.yml", "folder.yml", "missing.yml", "dangling.yml")
    said = {name: read_record(tmp_path / name, name) for name in names}
    assert {name: (p.message if isinstance(p, Problem) else p) for name, p in said.items()} == {
        "link.yml": "symbolic links are not allowed",
        "pipe.yml": "not a regular file",
        "folder.yml": "not a regular file",
        "missing.yml": "cannot read the file: No such file or directory",
        "dangling.yml": "symbolic links are not allowed",
    }


def test_a_record_is_read_with_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A regular file gives less than asked for only at its end: asking again costs a system call
    # for each of tens of thousands of records.
    file = tmp_path / "r.yml"
    file.write_text("name: Ben\nkind: person\n")
    reads: list[int] = []
    real_read = os.read

    def read(descriptor: int, size: int) -> bytes:
        reads.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(os, "read", read)
    document = read_record(file, "r.yml")
    assert isinstance(document, Document) and document.data == {"name": "Ben", "kind": "person"}
    assert reads == [len("name: Ben\nkind: person\n") + 1]


def each(func: Callable[[int], T]) -> Callable[[Sequence[int]], list[T]]:
    """A function of one item made into one of a chunk of items, as fanout.map_ordered takes."""
    return lambda items: [func(item) for item in items]


def test_records_are_all_read_before_any_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # System calls taking turns with parsing cost about a fifth more.
    records = []
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yml").write_text(f"name: {name}\n")
        records.append(RecordFile("actors", name, str(tmp_path / f"{name}.yml"), f"actors/{name}.yml", ()))
    records.append(RecordFile("actors", "gone", str(tmp_path / "gone.yml"), "actors/gone.yml", ()))
    steps: list[str] = []
    real_read, real_parse = os.read, loader.parse

    def read(descriptor: int, size: int) -> bytes:
        steps.append("read")
        return real_read(descriptor, size)

    def parsing(text: str, path: str) -> Document | Problem:
        steps.append("parse")
        return real_parse(text, path)

    monkeypatch.setattr(os, "read", read)
    monkeypatch.setattr(loader, "parse", parsing)
    got = read_records(records)
    assert steps == ["read"] * 3 + ["parse"] * 3
    assert [d.data if isinstance(d, Document) else d.message for d in got] == [
        {"name": "a"},
        {"name": "b"},
        {"name": "c"},
        "cannot read the file: No such file or directory",
    ]


def test_forked_workers_give_the_results_in_order_and_a_lost_share_is_done_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fanout, "CHUNK", 2)
    parent = os.getpid()
    assert fanout.map_ordered(each(lambda n: n * n), range(41), 2) == [n * n for n in range(41)]

    def dies_in_a_worker(n: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return -n

    def fails_in_a_worker(n: int) -> int:
        if os.getpid() != parent and n > 10:
            raise ValueError(n)
        return -n

    assert fanout.map_ordered(each(dies_in_a_worker), range(41), 2) == [-n for n in range(41)]
    assert fanout.map_ordered(each(fails_in_a_worker), range(41), 2) == [-n for n in range(41)]


def test_each_share_is_used_once_and_the_moment_it_is_here(monkeypatch: pytest.MonkeyPatch) -> None:
    # Validation adds each share of records then, while the workers are still busy.
    monkeypatch.setattr(fanout, "CHUNK", 2)
    parent = os.getpid()
    events: list[str] = []
    used: list[tuple[int, list[int]]] = []

    def square(items: Sequence[int], workers_die: bool) -> list[int]:
        if os.getpid() == parent:
            events.append("made")
            time.sleep(0.005)  # (so that the workers surely take shares too)
        elif workers_die:
            os._exit(3)  # its share is done again here, and used then
        return [n * n for n in items]

    def use(start: int, results: list[int]) -> None:
        events.append("used")
        used.append((start, results))

    for workers, workers_die in ((0, False), (2, False), (2, True)):
        events.clear()
        used.clear()
        got = fanout.map_ordered(functools.partial(square, workers_die=workers_die), range(41), workers, use)
        assert got == [n * n for n in range(41)]
        assert sorted(start for start, _ in used) == (list(range(0, 41, 2)) if workers else [0])
        assert [n for _, results in sorted(used) for n in results] == got
        # Each share the calling process makes is used before it makes another.
        assert all(events[i + 1] == "used" for i, event in enumerate(events) if event == "made")
        made_here = events.count("made")
        if workers and not workers_die:
            assert made_here < 21  # some shares came from the workers
        elif workers_die:
            assert made_here == 21  # every share was made here, the lost ones at the end


def test_a_worker_sends_all_its_results_while_the_calling_process_is_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pipe holds them: a worker that had to wait for them to be read would, in turn, keep
    # the calling process waiting half-way through reading one.
    monkeypatch.setattr(fanout, "CHUNK", 1)
    parent = os.getpid()
    worker_done: list[bool] = []

    def result(n: int) -> str:
        if os.getpid() == parent and not worker_done:  # the calling process's first share
            deadline = time.monotonic() + 10
            while multiprocessing.active_children() and time.monotonic() < deadline:
                time.sleep(0.01)
            worker_done.append(not multiprocessing.active_children())
        return str(n) * 100_000

    assert fanout.map_ordered(each(result), range(8), 1) == [str(n) * 100_000 for n in range(8)]
    assert worker_done == [True]


def test_model_objects_come_back_from_a_worker_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fanout, "CHUNK", 2)

    def located(n: int) -> tuple[Problem, Places]:
        return Problem(f"r{n}.yml", n, 1, "message"), Places(text=f"a: {n}\n")

    got = fanout.map_ordered(each(located), range(21), 1)
    assert got == [located(n) for n in range(21)]
    assert all(type(problem) is Problem for problem, _ in got)


def test_few_items_or_one_core_fork_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert fanout.workers_for(10_000, 2_000) == 1
    assert fanout.workers_for(1_999, 2_000) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert fanout.workers_for(10_000, 2_000) == 0


def test_without_a_worker_to_be_had_everything_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert fanout.map_ordered(each(lambda n: n + 1), range(300), 1) == list(range(1, 301))


def test_a_lean_document_reads_its_data_again_from_its_text() -> None:
    import pickle

    text = 'name: Ben\nroles:\n  - title: "Secretary"\n    from: 2019-07-24\ntext: |\n  two\n  lines\n'
    full = parse_nodes(text, "r.yml")
    assert full is not None
    lean = full.lean()
    assert "data" not in lean.__dict__  # the tree is not kept...
    assert lean.data == full.data  # ...but read again when asked for
    assert lean == full and lean.where(("roles", 0, "title")) == (3, 5)
    assert len(pickle.dumps(lean)) < len(pickle.dumps(full))
    unpickled = pickle.loads(pickle.dumps(lean))
    assert unpickled == full and "data" not in unpickled.__dict__  # still lean (as workers send it)
    assert unpickled.data == full.data and unpickled.where(("roles", 0, "from")) == (4, 5)
    # A document without its text (the strict reader's, or one whose places were found) stays whole.
    strict_read = parse_events(text, "r.yml")
    assert isinstance(strict_read, Document) and strict_read.lean() is strict_read
    with pytest.raises(AttributeError):
        lean.nothing  # noqa: B018
