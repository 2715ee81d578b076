"""`mkdocs serve` rebuilds: an edit re-reads only the changed record, and what it builds from
equals what a clean read gives."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import write_records
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
