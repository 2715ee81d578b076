"""`mkdocs serve` rebuilds: an edit re-reads only the changed record, and what it builds from
equals what a clean read gives."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from conftest import write_records
from mkdocs_chronicle import fanout, validate
from mkdocs_chronicle.load import ReadCache
from mkdocs_chronicle.validate import validate_folder


def test_an_edit_rereads_only_the_changed_record(mini: Path) -> None:
    cache = ReadCache()
    first = validate_folder(mini, "chronicle", cache)
    assert first.chronicle is not None and cache.reads == len(list(mini.rglob("*.yml")))

    again = validate_folder(mini, "chronicle", cache)
    assert cache.reads == len(list(mini.rglob("*.yml")))  # nothing read a second time
    assert again.chronicle == first.chronicle

    record = mini / "statements/2022/02/17/wallace-later.yml"
    before = cache.reads
    write_records(mini, {"statements/2022/02/17/wallace-later.yml": record.read_text().replace("Still", "Yet")})
    stat = record.stat()
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a distinct time, even on coarse clocks
    edited = validate_folder(mini, "chronicle", cache)
    assert cache.reads == before + 1
    assert edited.chronicle == validate_folder(mini, "chronicle").chronicle  # the same as a clean read
    assert edited.chronicle is not None
    assert next(s for s in edited.chronicle.statements if s.id == "wallace-later").text == "Yet no evidence."


def test_a_broken_edit_is_reported_and_a_fix_is_read_again(mini: Path) -> None:
    cache = ReadCache()
    validate_folder(mini, "chronicle", cache)
    record = mini / "actors/uk-government.yml"
    good = record.read_text()
    record.write_text(good + "name: again\n")
    assert "duplicate key" in str(validate_folder(mini, "chronicle", cache).problems[0])
    record.write_text(good)
    stat = record.stat()
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000))
    assert validate_folder(mini, "chronicle", cache).problems == []


def touch(record: Path, text: str, step: int) -> None:
    """Write `text` and give the file a distinct modification time, even on coarse clocks."""
    record.write_text(text)
    stat = record.stat()
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns + step * 1_000_000))


def test_an_edit_rechecks_only_the_changed_record_and_gives_a_clean_validations_result(mini: Path) -> None:
    write_records(mini, {"sources/report.yml": "title: R\npublisher: P\nurl: ftp://example.org/\n"})  # an error
    count = len(list(mini.rglob("*.yml")))
    cache = ReadCache()
    first = validate_folder(mini, "chronicle", cache)
    assert cache.checks == count and first.problems == validate_folder(mini, "chronicle").problems

    again = validate_folder(mini, "chronicle", cache)
    assert cache.checks == count  # nothing checked a second time
    assert again == first  # its problems still reported

    record = mini / "statements/2022/02/17/wallace-later.yml"
    touch(record, record.read_text().replace("Still", "Yet").replace("ben-wallace", "ben-walace"), 3)
    edited = validate_folder(mini, "chronicle", cache)
    assert cache.checks == count + 1
    assert edited == validate_folder(mini, "chronicle")
    assert "unknown actor 'ben-walace'" in str(edited.problems)


def test_checks_are_made_again_on_another_day(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ReadCache()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2022, 2, 15, tzinfo=dt.UTC).timestamp())))
    assert "is in the future" in str(validate_folder(mini, "chronicle", cache).problems)
    checks = cache.checks
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2022, 2, 16, tzinfo=dt.UTC).timestamp())))
    assert validate_folder(mini, "chronicle", cache).problems == []  # the day has come
    assert cache.checks == 2 * checks


def test_a_cold_read_on_every_core_fills_the_cache_as_one_process_does(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_records(mini, {"sources/report.yml": "title: R\npublisher: P\nurl: ftp://example.org/\n"})  # an error
    count = len(list(mini.rglob("*.yml")))
    alone, alone_cache = validate_folder(mini, "chronicle"), ReadCache()
    validate_folder(mini, "chronicle", alone_cache)
    monkeypatch.setattr(validate, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(fanout, "CHUNK", 1)
    monkeypatch.setattr(fanout, "workers_for", lambda count, at_least: 1 if count >= at_least else 0)
    cache = ReadCache()
    first = validate_folder(mini, "chronicle", cache)
    assert first == alone
    assert (cache.reads, cache.checks) == (alone_cache.reads, alone_cache.checks) == (count, count)

    assert validate_folder(mini, "chronicle", cache) == first
    assert (cache.reads, cache.checks) == (count, count)  # nothing read or checked again

    record = mini / "statements/2022/02/17/wallace-later.yml"
    touch(record, record.read_text().replace("Still", "Yet"), 3)
    edited = validate_folder(mini, "chronicle", cache)
    assert (cache.reads, cache.checks) == (count + 1, count + 1)
    monkeypatch.undo()
    assert edited == validate_folder(mini, "chronicle")


def test_an_index_updated_for_edited_statements_equals_a_new_one() -> None:
    import dataclasses

    from conftest import ROOT
    from mkdocs_chronicle.index import build_index
    from mkdocs_chronicle.model import Chronicle, ClaimLink

    chronicle = validate_folder(ROOT / "chronicle", "chronicle").chronicle
    assert chronicle is not None
    before = build_index(chronicle)
    answering = next(s for s in chronicle.statements if s.responds_to and s.claims)
    others = [s for s in chronicle.statements if s is not answering]

    def with_statement(edited: object) -> Chronicle:
        statements = tuple(edited if s is answering else s for s in chronicle.statements)
        return Chronicle(chronicle.actors, chronicle.claims, chronicle.sources, statements)  # type: ignore[arg-type]

    # A new text: only the groups that hold the statement are made again.
    reworded = with_statement(dataclasses.replace(answering, text="Reworded."))
    updated = build_index(reworded, previous=before)
    assert updated == build_index(reworded)
    assert updated.by_day[answering.day] is not before.by_day[answering.day]
    untouched = next(s for s in others if s.day != answering.day)
    assert updated.by_day[untouched.day] is before.by_day[untouched.day]
    assert updated.verdicts_by_source is before.verdicts_by_source

    # A statement that moves between groups, or a record of another kind: indexed afresh.
    stance = "disputes" if answering.claims[0].stance != "disputes" else "supports"
    claims = (ClaimLink(answering.claims[0].claim, stance), *answering.claims[1:])
    moved = [
        with_statement(dataclasses.replace(answering, claims=claims)),
        with_statement(dataclasses.replace(answering, responds_to=())),
        with_statement(dataclasses.replace(answering, day=answering.day + dt.timedelta(days=1))),
        Chronicle(dict(chronicle.actors), chronicle.claims, chronicle.sources, chronicle.statements),
    ]
    for edited in moved:
        rebuilt = build_index(edited, previous=before)
        assert rebuilt == build_index(edited)
        assert rebuilt.by_day is not before.by_day and all(
            rebuilt.by_day[d] is not before.by_day[d] for d in before.by_day if d in rebuilt.by_day
        )


def test_changes_found_in_place_equal_those_found_by_comparing_everything() -> None:
    import dataclasses

    from conftest import ROOT
    from mkdocs_chronicle.incremental import changed_tokens
    from mkdocs_chronicle.model import Chronicle

    chronicle = validate_folder(ROOT / "chronicle", "chronicle").chronicle
    assert chronicle is not None
    first, last = chronicle.statements[0], chronicle.statements[-1]
    other_actor = next(a for a in chronicle.actors if a != first.actor)
    edits = [
        {first.id: dataclasses.replace(first, text="Reworded.")},
        {first.id: dataclasses.replace(first, actor=other_actor)},  # listed elsewhere: "index"
        {first.id: dataclasses.replace(first, day=first.day - dt.timedelta(days=3))},  # a new first day: "span"
        {last.id: dataclasses.replace(last, day=last.day + dt.timedelta(days=1))},
        {first.id: dataclasses.replace(first, text="A"), last.id: dataclasses.replace(last, text="B")},
    ]
    for edit in edits:
        statements = tuple(edit.get(s.id, s) for s in chronicle.statements)
        in_place = Chronicle(chronicle.actors, chronicle.claims, chronicle.sources, statements)
        copied = Chronicle(dict(chronicle.actors), dict(chronicle.claims), dict(chronicle.sources), statements[::-1])
        found = changed_tokens(chronicle, in_place)
        assert found == changed_tokens(chronicle, copied)
        assert {f"statement:{i}" for i in edit} <= found
    assert "index" in changed_tokens(
        chronicle, Chronicle(chronicle.actors, chronicle.claims, chronicle.sources, (chronicle.statements[1:]))
    )
