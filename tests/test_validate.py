"""Validation: every problem found, located, and worded so a contributor can fix it."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import gc
import json
import os
import shutil
import threading
import unicodedata
from pathlib import Path

import fastjsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, write_records
from mkdocs_chronicle import fanout, validate
from mkdocs_chronicle.load import ReadCache, RecordFile, read_record
from mkdocs_chronicle.model import Statement
from mkdocs_chronicle.validate import (
    _FAST_VALIDATORS,
    _VALIDATORS,
    SCHEMA_NAMES,
    Result,
    _format_character,
    _near_duplicate,
    identity_key,
    inline_refs,
    load_schema,
    revalidate,
    validate_folder,
)


def check(root: Path) -> Result:
    return validate_folder(root, "chronicle")


def only_problem(result: Result) -> str:
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return str(result.problems[0])


def test_the_mini_chronicle_is_valid(mini: Path) -> None:
    result = check(mini)
    assert result.problems == []
    chronicle = result.chronicle
    assert chronicle is not None
    assert [s.id for s in chronicle.statements] == ["wallace-no-evidence", "crimea-video", "wallace-later"]
    wallace = chronicle.statements[0]
    assert wallace.moment == dt.datetime(2022, 2, 16, 9, tzinfo=dt.UTC)
    assert wallace.sources[0].locator == "paragraph 4"
    assert chronicle.actors["ben-wallace"].roles[0].title == "UK Defence Secretary"


def test_missing_required_field(mini: Path) -> None:
    write_records(mini, {"sources/report.yml": "title: A report\nurl: https://example.org/\n"})
    assert only_problem(check(mini)) == (
        "chronicle/sources/report.yml:1:1: missing required field 'publisher' (add publisher:)"
    )


def test_unknown_field_suggests_the_known_one(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name: UK government\nkind: government\ncountyr: GB\n"})
    assert only_problem(check(mini)) == (
        "chronicle/actors/uk-government.yml:3:1: unknown field 'countyr' (did you mean 'country'?)"
    )


def test_impossible_date_is_refused_at_its_place(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("2022-02-17", "2022-02-30")})
    problems = [str(p) for p in check(mini).problems]
    assert problems == ["chronicle/statements/2022/02/17/wallace-later.yml:1:7: '2022-02-30' is not a calendar date"]


def test_date_must_match_the_folder(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("2022-02-17", "2022-02-18")})
    message = only_problem(check(mini))
    assert message.startswith("chronicle/statements/2022/02/17/wallace-later.yml:1:1: the date 2022-02-18")
    assert "move the file to statements/2022/02/18/" in message


def test_date_in_the_future_is_refused(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2022, 2, 15, tzinfo=dt.UTC).timestamp())))
    problems = [str(p) for p in check(mini).problems]
    assert problems == ["chronicle/statements/2022/02/17/wallace-later.yml:1:7: 2022-02-17 is in the future"]


@pytest.mark.parametrize("value", ["16 February 2022", "2022-2-16", "2022-02-16T09:00", "2022-02-16 09:00+00:00"])
def test_malformed_dates(mini: Path, value: str) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("2022-02-17", value)})
    message = only_problem(check(mini))
    assert ":1:7: " in message and "is not a valid value for 'date'" in message


def test_unknown_actor_suggests_the_right_one(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text.replace("ben-wallace", "ben-walace")})
    assert only_problem(check(mini)) == (
        "chronicle/statements/2022/02/17/wallace-later.yml:2:8: "
        "unknown actor 'ben-walace' (did you mean 'ben-wallace'?)"
    )


def test_every_kind_of_reference_is_checked(mini: Path) -> None:
    write_records(
        mini,
        {
            "actors/ben-wallace.yml": "name: Ben Wallace\nkind: person\naffiliation: uk-govt\n",
            "claims/russia-withdrawing-troops.yml": (
                "title: T\nverdicts:\n  - date: 2022-02-16\n    rating: unproven\n    note: N\n"
                "    sources:\n      - source: reportt\n"
            ),
            "statements/2022/02/17/wallace-later.yml": (
                "date: 2022-02-17\nactor: ben-wallace\ntext: T\nsources:\n  - source: repor\n"
                "claims:\n  - claim: russia-withdrawing\n    stance: disputes\nresponds_to:\n  - crimea-vid\n"
            ),
        },
    )
    problems = [str(p) for p in check(mini).problems]
    assert problems == [
        "chronicle/actors/ben-wallace.yml:3:14: unknown actor 'uk-govt' (did you mean 'uk-government'?)",
        "chronicle/claims/russia-withdrawing-troops.yml:7:17: unknown source 'reportt' (did you mean 'report'?)",
        "chronicle/statements/2022/02/17/wallace-later.yml:5:13: unknown source 'repor' (did you mean 'report'?)",
        "chronicle/statements/2022/02/17/wallace-later.yml:7:12: unknown claim 'russia-withdrawing'"
        " (did you mean 'russia-withdrawing-troops'?)",
        "chronicle/statements/2022/02/17/wallace-later.yml:10:5: unknown statement 'crimea-vid'"
        " (did you mean 'crimea-video'?)",
    ]


def test_wrong_enum_value_suggests(mini: Path) -> None:
    text = (mini / "statements/2022/02/16/crimea-video.yml").read_text()
    write_records(mini, {"statements/2022/02/16/crimea-video.yml": text.replace("stance: supports", "stance: support")})
    assert only_problem(check(mini)).endswith(
        ":9:13: 'support' is not one of: supports, disputes, neutral (did you mean 'supports'?)"
    )


def test_wrong_types_are_named(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name: [UK]\nkind: government\naliases: UK\n"})
    problems = [str(p) for p in check(mini).problems]
    assert problems == [
        "chronicle/actors/uk-government.yml:1:1: 'name' should be text",
        "chronicle/actors/uk-government.yml:3:1: 'aliases' should be a list"
        " (Other spellings and transliterations (Zelensky, Zelenskyy).)",
    ]


def test_empty_required_value(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name:\nkind: government\n"})
    assert "'name' is empty" in only_problem(check(mini))


@pytest.mark.parametrize("name", ["Ben.yml", "ben_wallace.yml", "-ben.yml"])
def test_file_names_must_be_ids(mini: Path, name: str) -> None:
    write_records(mini, {f"actors/{name}": "name: B\nkind: person\n"})
    assert "is not a valid record id" in only_problem(check(mini))


def test_statement_ids_are_unique_across_days(mini: Path) -> None:
    text = (mini / "statements/2022/02/16/crimea-video.yml").read_text()
    write_records(mini, {"statements/2022/02/17/crimea-video.yml": text.replace("2022-02-16", "2022-02-17")})
    assert "the id 'crimea-video' is already used by chronicle/statements/2022/02/16/crimea-video.yml" in only_problem(
        check(mini)
    )


def test_statement_outside_a_day_folder(mini: Path) -> None:
    write_records(mini, {"statements/2022/loose.yml": "date: 2022-02-16\n"})
    assert "statements/YYYY/MM/DD/" in only_problem(check(mini))


def test_all_problems_are_reported_together(mini: Path) -> None:
    write_records(
        mini,
        {
            "actors/uk-government.yml": "name: UK\nkind: state\n",
            "sources/report.yml": "title: R\npublisher: P\nurl: ftp://example.org/\n",
            "statements/2022/02/17/wallace-later.yml": "date: 2022-02-17\nactor: nobody\ntext: T\nsources: []\n",
        },
    )
    result = check(mini)
    assert result.chronicle is None
    assert len(result.errors) == 3
    assert [p.path.rsplit("/", 1)[1] for p in result.problems] == [
        "uk-government.yml",
        "report.yml",
        "wallace-later.yml",
    ]


def test_translation_needs_a_language(mini: Path) -> None:
    text = (mini / "statements/2022/02/17/wallace-later.yml").read_text()
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": text + "translation: T\n"})
    assert "a translation needs the original's language" in only_problem(check(mini))


# -- the compiled schema check must accept exactly what jsonschema accepts ----------------------

# Keywords whose meaning is the same in draft 2020-12 (jsonschema) and in draft 7, which
# fastjsonschema applies to these schemas; `$ref` only as a local reference that
# `inline_refs` replaces. Anything else needs its own look before it is used in a schema.
SAME_IN_BOTH = {
    "$schema", "$defs", "$ref", "title", "description", "default", "type", "enum", "properties",
    "additionalProperties", "required", "items", "minItems", "uniqueItems", "minLength", "maxLength", "pattern",
}  # fmt: skip


def keywords(schema: object) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            found.add(key)
            children = value.values() if key in ("properties", "$defs") else [value]
            for child in children:
                found |= keywords(child)
    elif isinstance(schema, list):
        for item in schema:
            found |= keywords(item)
    return found


@pytest.mark.parametrize("kind", sorted(SCHEMA_NAMES.values()))
def test_schemas_use_only_keywords_that_mean_the_same_in_both_validators(kind: str) -> None:
    schema = load_schema(kind)
    assert keywords(schema) <= SAME_IN_BOTH
    assert "$ref" not in json.dumps(inline_refs(schema))
    assert all(isinstance(s.get("items"), dict) for s in walk_schemas(schema) if "items" in s)  # not tuple form


def walk_schemas(schema: object) -> list[dict[str, object]]:
    if isinstance(schema, dict):
        return [schema] + [s for value in schema.values() for s in walk_schemas(value)]
    if isinstance(schema, list):
        return [s for item in schema for s in walk_schemas(item)]
    return []


def test_a_ref_beside_other_keywords_is_not_inlined() -> None:
    with pytest.raises(ValueError):
        inline_refs({"$defs": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a", "minLength": 1}}})


YAML_VALUES = st.recursive(
    st.none() | st.sampled_from(["", "x", "ben-wallace", "2022-02-16", "quote", "supports", "en", "https://a.org/"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "kind", "text", "date", "actor", "sources", "source", "claim", "stance", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=10,
)
VALID_RECORDS = {
    "actors": {"name": "B", "kind": "person", "roles": [{"title": "T", "from": "2020-01-01"}], "aliases": ["A"]},
    "claims": {
        "title": "T",
        "verdicts": [{"date": "2022-02-16", "rating": "false", "note": "N", "sources": [{"source": "s"}]}],
    },
    "sources": {"title": "T", "publisher": "P", "url": "https://a.org/", "via": ["x"]},
    "statements": {"date": "2022-02-16", "actor": "a", "text": "T", "sources": [{"source": "s"}], "tags": ["a", "b"]},
}


def agree(kind: str, data: object) -> None:
    try:
        _FAST_VALIDATORS[kind](data)
        fast_accepts = True
    except fastjsonschema.JsonSchemaValueException:
        fast_accepts = False
    assert fast_accepts == (not list(_VALIDATORS[kind].iter_errors(data))), data


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALID_RECORDS)), YAML_VALUES)
def test_the_compiled_check_agrees_with_jsonschema_on_any_data(kind: str, data: object) -> None:
    agree(kind, data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALID_RECORDS)), st.lists(st.tuples(st.integers(0, 20), YAML_VALUES), max_size=3))
def test_the_compiled_check_agrees_with_jsonschema_on_edited_records(
    kind: str, edits: list[tuple[int, object]]
) -> None:
    record = copy.deepcopy(VALID_RECORDS[kind])
    assert not list(_VALIDATORS[kind].iter_errors(record))  # edits start from a valid record
    fields = [*sorted(load_schema(SCHEMA_NAMES[kind])["properties"]), "extra"]
    for which, value in edits:
        record[fields[which % len(fields)]] = value
    agree(kind, record)


# -- shortcuts that must give what the long way gives --------------------------------------------


def test_every_format_character_is_unprintable() -> None:
    # `_format_character` skips a printable text without looking at each character.
    assert all(not chr(c).isprintable() for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf")
    assert _format_character("Ben\u00adWallace") == "\u00ad"
    assert _format_character("Zelenskyy\tÉ") is None


@given(st.text(st.characters(max_codepoint=127)))
def test_an_ascii_identity_key_is_its_casefold(record_id: str) -> None:
    folded = unicodedata.normalize("NFKC", record_id).casefold()
    assert identity_key(record_id) == "".join(c for c in folded if unicodedata.category(c) != "Cf")


@given(
    st.lists(st.sampled_from(["ab", "cd", "ef", "gh", "ij"]), max_size=25),
    st.lists(st.sampled_from(["ab", "cd", "ef", "gh", "ij"]), max_size=25),
)
def test_near_duplicate_is_the_ratio_of_words(a: list[str], b: list[str]) -> None:
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    assert _near_duplicate(" ".join(a), " ".join(b)) == (ratio >= 0.9)


def test_validation_pauses_the_cycle_collector_and_restores_it(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real_read = validate.read_records

    def read(records: list[RecordFile]) -> object:
        seen.append(gc.isenabled())
        return real_read(records)

    monkeypatch.setattr(validate, "read_records", read)
    assert gc.isenabled()
    assert check(mini).problems == []
    assert gc.isenabled() and seen and not any(seen)
    gc.disable()
    try:
        check(mini)
        assert not gc.isenabled()  # left off, as the caller had it
    finally:
        gc.enable()


def test_what_validation_made_is_in_the_oldest_generation_at_once(mini: Path) -> None:
    # The records live as long as the build: the first collection after reading should not go
    # over them all (with the collector paused, they would all still be counted as new).
    assert gc.isenabled()
    chronicle = check(mini).chronicle
    assert chronicle is not None
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    made = [chronicle.statements[0], next(iter(chronicle.actors.values())), chronicle.statements[-1].sources]
    assert all(id(o) in oldest for o in made)


def test_hidden_characters_are_found_at_any_depth_and_markdown_is_checked(mini: Path) -> None:
    write_records(
        mini,
        {
            "actors/ben-wallace.yml": "name: Ben Wallace\nkind: person\nroles:\n  - title: Defence\u2066Secretary\n",
            "sources/report.yml": 'title: R\npublisher: P\nurl: https://example.org/\nvia: ["a\u202eb"]\n',
            "claims/russia-withdrawing-troops.yml": "title: T\nsummary: '" + "[" * 300 + "'\n",
        },
    )
    problems = [str(p) for p in check(mini).errors]
    assert (
        "chronicle/actors/ben-wallace.yml:4:12: invisible or direction-changing character U+2066 (delete it)"
        in problems
    )
    assert "chronicle/sources/report.yml:4:7: invisible or direction-changing character U+202E (delete it)" in problems
    assert any("russia-withdrawing-troops.yml:2:10: Markdown with 300 '['" in p for p in problems)


def test_a_hidden_character_written_as_an_escape_in_an_ascii_file_is_found(mini: Path) -> None:
    # The file is ASCII, but a double-quoted escape makes the character.
    write_records(mini, {"actors/ben-wallace.yml": 'name: Ben Wallace\nkind: person\nroles:\n  - title: "A\\u202eB"\n'})
    assert [str(p) for p in check(mini).errors] == [
        "chronicle/actors/ben-wallace.yml:4:12: invisible or direction-changing character U+202E (delete it)"
    ]


def test_a_hidden_character_in_a_document_that_is_only_text_is_found(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "UK \u202egovernment\n"})
    messages = [p.message for p in check(mini).problems]
    assert "invisible or direction-changing character U+202E" in messages


# Everything that can go wrong in reading and checking one record, and across records.
MESSY = {
    "actors/uk-government.yml": "name: UK\nkind: state\n",
    "actors/Bad_Id.yml": "name: X\nkind: person\n",
    "actors/twice.yml": "name: A\nname: B\nkind: person\n",
    "claims/broken.yml": "title: [unclosed\n",
    "sources/empty.yml": "",
    "sources/hidden.yml": "title: R\npublisher: P\u200bQ\nurl: https://example.org/\n",
    "statements/2022/02/17/crimea-video.yml": "date: 2022-02-17\nactor: ben-wallace\ntext: T\nsources: []\n",
    "statements/2022/loose.yml": "date: 2022-02-16\n",
    "statements/2022/02/18/wrong-day.yml": "date: 2022-02-17\nactor: ben-wallace\ntext: T\nsources:\n"
    "  - source: report\n",
    "statements/2022/02/18/nobody.yml": "date: 2022-02-18\nactor: nobody\ntext: T\nsources:\n  - source: nowhere\n",
}


def count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The processes this process forks from now on (multiprocessing forks with os.fork)."""
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forked


@pytest.mark.parametrize("messy", [False, True], ids=["valid", "messy"])
def test_reading_on_every_core_gives_what_one_process_gives(
    mini: Path, monkeypatch: pytest.MonkeyPatch, messy: bool
) -> None:
    more = {
        f"statements/2022/03/{day:02d}/s{n}.yml": f"date: 2022-03-{day:02d}\nactor: ben-wallace\ntext: Said {n}.\n"
        "sources:\n  - source: report\n"
        for n, day in enumerate(range(1, 29))
    }
    write_records(mini, more | (MESSY if messy else {}))
    (mini / "actors/bytes.yml").write_bytes(b"name: \xff\n")
    alone = check(mini)
    assert alone.errors  # (bytes.yml is not UTF-8)
    forked = count_forks(monkeypatch)
    monkeypatch.setattr(validate, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(fanout, "CHUNK", 3)  # many shares, taken in turns by both processes
    monkeypatch.setattr(fanout, "workers_for", lambda count, at_least: 2 if count >= at_least else 0)
    together = check(mini)
    assert len(forked) == 2
    assert together == alone
    assert [str(p) for p in together.problems] == [str(p) for p in alone.problems]
    if not messy:
        (mini / "actors/bytes.yml").unlink()
        together = check(mini)
        assert len(forked) == 4 and together.chronicle is not None
        monkeypatch.undo()
        assert together == check(mini)


def test_a_share_of_records_is_all_read_before_any_is_checked(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, _ = validate.find_records(mini, "chronicle")
    steps: list[str] = []
    real_read, real_check = validate.read_records, validate._check_record

    def read(records: list[RecordFile]) -> object:
        steps.append(f"read {len(records)}")
        return real_read(records)

    def check_one(record: RecordFile, document: object, day: object) -> object:
        steps.append("check")
        return real_check(record, document, day)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "read_records", read)
    monkeypatch.setattr(validate, "_check_record", check_one)
    done = validate._read_and_check(records, validate.today(), set())
    assert steps == [f"read {len(records)}"] + ["check"] * len(records)
    assert [read for read, _ in done] == [read_record(r.file, r.path) for r in records]


def test_no_fork_while_another_thread_runs(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked = count_forks(monkeypatch)
    monkeypatch.setattr(validate, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(fanout, "CHUNK", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert check(mini).problems == [] and len(forked) == 3  # (one thread: forks)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        result = check(mini)
    finally:
        stop.set()
        thread.join()
    assert len(forked) == 3  # not again
    assert result.problems == [] and result.chronicle is not None


# -- revalidate: an edit under `mkdocs serve`, checked on its own -------------------------------


def _records_copy(tmp_path: Path) -> tuple[Path, ReadCache, Result]:
    records = tmp_path / "chronicle"
    shutil.copytree(ROOT / "chronicle", records)
    cache = ReadCache()
    first = validate_folder(records, "chronicle", cache)
    assert first.chronicle is not None and first.problems  # warnings, to keep or drop
    return records, cache, first


def _rewrite(file: Path, **fields: str | list[dict[str, str]]) -> None:
    data = yaml.load(file.read_text("utf-8"), Loader=yaml.BaseLoader)
    data.update(fields)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _same_as_a_whole_validation(records: Path, result: Result | None) -> None:
    whole = validate_folder(records, "chronicle")
    assert result is not None
    assert [str(p) for p in result.problems] == [str(p) for p in whole.problems]
    assert result.chronicle == whole.chronicle


def test_revalidating_edited_statements_gives_what_a_whole_validation_gives(tmp_path: Path) -> None:
    records, cache, first = _records_copy(tmp_path)
    assert first.chronicle is not None
    by_actor_day: dict[tuple[str, dt.date], list[Statement]] = {}
    for statement in first.chronicle.statements:
        by_actor_day.setdefault((statement.actor, statement.day), []).append(statement)
    pair = next(group for group in by_actor_day.values() if len(group) >= 2)
    files = {s.id: next(records.rglob(f"statements/**/{s.id}.yml")) for s in first.chronicle.statements}

    # New words; then the words of another statement by the same actor that day (a warning).
    _rewrite(files[pair[1].id], text="Entirely new words, said again and again.")
    _same_as_a_whole_validation(records, revalidate([str(files[pair[1].id])], cache))
    _rewrite(files[pair[1].id], text=pair[0].text)
    result = revalidate([str(files[pair[1].id])], cache)
    assert any("looks like a duplicate" in p.message for p in result.problems if p.path.endswith(pair[1].id + ".yml"))  # type: ignore[union-attr]
    _same_as_a_whole_validation(records, result)
    # Back again: the warning goes.
    _rewrite(files[pair[1].id], text="Different words once more.")
    _same_as_a_whole_validation(records, revalidate([str(files[pair[1].id])], cache))
    # Another claim, and two files at once; nothing changed at all.
    claim = sorted(first.chronicle.claims)[-1]
    _rewrite(files[pair[0].id], claims=[{"claim": claim, "stance": "disputes"}])
    _same_as_a_whole_validation(records, revalidate([str(files[pair[0].id]), str(files[pair[1].id])], cache))
    _same_as_a_whole_validation(records, revalidate([], cache))
    # A time of day that moves the later statement before the earlier one, and back.
    assert pair[0].moment is None and pair[1].moment is None
    for date in (pair[1].day.isoformat() + "T00:01:00+00:00", pair[1].day.isoformat()):
        _rewrite(files[pair[1].id], date=date)
        _same_as_a_whole_validation(records, revalidate([str(files[pair[1].id])], cache))


def test_revalidating_gives_way_to_a_whole_validation_when_it_cannot_tell(tmp_path: Path) -> None:
    records, cache, first = _records_copy(tmp_path)
    statement = next(records.rglob("statements/**/*.yml"))
    actor = next((records / "actors").glob("*.yml"))
    _rewrite(statement, actor="nobody-at-all")  # an error: the whole validation words it
    assert revalidate([str(statement)], cache) is None
    assert validate_folder(records, "chronicle", cache).chronicle is None
    assert revalidate([], cache) is None  # nothing to start from after an error
    _rewrite(statement, actor=first.chronicle.statements[0].actor)  # type: ignore[union-attr]
    assert validate_folder(records, "chronicle", cache).chronicle is not None
    assert revalidate([str(actor)], cache) is None  # another kind of record
    assert revalidate([str(records / "statements" / "new.yml")], cache) is None  # a file it does not know
    statement.write_text("text: [unclosed\n", "utf-8")
    assert revalidate([str(statement)], cache) is None  # a file that no longer reads


def test_a_statement_made_with_every_field_equals_one_made_by_its_class(mini: Path) -> None:
    """A statement is assembled without its `__init__` (see model.assemble): it must still have
    every field, and equal what its class makes (as must its citations and claim links)."""
    write_records(
        mini,
        {
            "statements/2022/02/16/every-field.yml": """
                date: 2022-02-16T14:30+03:00
                date_note: The time is when the video was posted.
                actor: ben-wallace
                kind: paraphrase
                role: UK Defence Secretary
                venue: A press conference
                place: London
                text: Nothing has changed.
                language: en
                translation: Nothing has changed at all.
                sources:
                  - source: report
                    locator: paragraph 2
                claims:
                  - claim: russia-withdrawing-troops
                    stance: disputes
                responds_to: [crimea-video]
                annotation: Said *twice*.
                tags: [pullback]
            """
        },
    )
    result = check(mini)
    assert result.chronicle is not None, [str(p) for p in result.problems]
    for statement in result.chronicle.statements:
        made = [statement, *statement.sources, *statement.claims]
        for value in made:
            fields = {f.name for f in dataclasses.fields(value)}
            assert set(vars(value)) == fields
            assert value == type(value)(**vars(value))
            assert hash(value) == hash(type(value)(**vars(value)))


def test_statements_of_a_day_are_in_utc_order_then_untimed_by_id(mini: Path) -> None:
    def statement(moment: str) -> str:
        return f"date: {moment}\nactor: ben-wallace\ntext: Words {moment}.\nsources:\n  - source: report\n"

    write_records(
        mini,
        {
            "statements/2022/02/16/a-moscow.yml": statement("2022-02-16T10:00+03:00"),  # 07:00 UTC
            "statements/2022/02/16/b-london.yml": statement("2022-02-16T08:00Z"),
            "statements/2022/02/16/c-same-instant.yml": statement("2022-02-16T07:00Z"),  # as a-moscow: by id
            "statements/2022/02/16/0-untimed.yml": statement("2022-02-16"),
        },
    )
    result = check(mini)
    assert result.chronicle is not None, [str(p) for p in result.problems]
    assert [s.id for s in result.chronicle.statements if s.day == dt.date(2022, 2, 16)] == [
        "a-moscow",
        "c-same-instant",
        "b-london",
        "wallace-no-evidence",  # 09:00 UTC
        "0-untimed",
        "crimea-video",
    ]
