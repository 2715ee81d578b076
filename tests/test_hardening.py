"""A pull request cannot hurt readers, the build machine or the data: the untrusted-input battery."""

from __future__ import annotations

import hashlib
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build, write_records
from mkdocs_chronicle.validate import Result, validate_folder

WALLACE = "statements/2022/02/17/wallace-later.yml"


def check(root: Path) -> Result:
    return validate_folder(root, "chronicle")


def messages(result: Result) -> list[str]:
    return [str(p) for p in result.problems]


def timed(root: Path) -> tuple[Result, float]:
    started = time.perf_counter()
    result = check(root)
    return result, time.perf_counter() - started


# -- the loader's refusals, timed ----------------------------------------------------------------


def test_alias_bomb_is_refused_fast_with_a_location(mini: Path) -> None:
    lines = ["name: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (mini / "actors" / "bomb.yml").write_text("\n".join(lines) + "\n")
    result, seconds = timed(mini)
    assert seconds < 1
    assert messages(result) == [
        "chronicle/actors/bomb.yml:1:7: YAML anchors (&name) are not allowed (write the value out)"
    ]


def test_duplicate_key_is_refused_naming_both_lines(mini: Path) -> None:
    write_records(mini, {"actors/uk-government.yml": "name: UK\nkind: government\nname: Britain\n"})
    assert messages(check(mini)) == [
        "chronicle/actors/uk-government.yml:3:1: duplicate key 'name' (first given on line 1) (give each field once)"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (lambda: b"name: x\n" + b"#" * (50 * 1024 * 1024), "bytes; a record may have"),
        (lambda: b"name: " + b"x" * (1024 * 1024) + b"\nkind: person\n", "bytes; a record may have"),
        (lambda: b"name: " + b"[" * 1000 + b"]" * 1000 + b"\nkind: person\n", "nesting"),
        (lambda: b"name: " + b"x" * 30_000 + b"\nkind: person\n", "the limit is"),
    ],
    ids=["50MB-file", "1MB-field", "nesting-1000", "30k-value"],
)
def test_limits_are_refused_in_under_a_second(mini: Path, content, expected: str) -> None:  # type: ignore[no-untyped-def]
    (mini / "actors" / "big.yml").write_bytes(content())
    result, seconds = timed(mini)
    assert seconds < 1
    assert len(result.problems) == 1 and expected in str(result.problems[0])


@pytest.mark.parametrize(
    ("brackets", "expected"),
    [
        ("[" * 20_000, "is too long"),
        ("[" * 9000, "'[' characters"),
        ("![" * 300, "'[' characters"),
        ("[^" * 300, "'[' characters"),
    ],
)
def test_quadratic_markdown_is_refused_in_under_a_second(mini: Path, brackets: str, expected: str) -> None:
    text = (mini / WALLACE).read_text()
    write_records(mini, {WALLACE: text + f"annotation: '{brackets}'\n"})
    result, seconds = timed(mini)
    assert seconds < 1
    assert len(result.problems) == 1
    assert expected in result.problems[0].message


def test_deeply_nested_markdown_lists_are_refused(mini: Path) -> None:
    text = (mini / WALLACE).read_text()
    write_records(mini, {WALLACE: text + "annotation: '" + "1. " * 3000 + "x'\n"})
    assert "nested more than" in messages(check(mini))[0]


# -- identities and paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "twin",
    ["Ben-wallace", "ben\u200b-wallace", "\uff42en-wallace"],  # case; zero-width space; fullwidth b (NFKC)
    ids=["case", "zero-width", "nfkc"],
)
def test_ids_that_differ_only_invisibly_are_refused_naming_both(mini: Path, twin: str) -> None:
    write_records(mini, {f"actors/{twin}.yml": "name: Other\nkind: person\n"})
    assert messages(check(mini)) == [
        f"chronicle/actors/{twin}.yml:0:0: the id '{twin}' is already used by chronicle/actors/ben-wallace.yml"
        " but for case, Unicode form or invisible characters (rename one file)"
    ]


@pytest.mark.parametrize("bad", ["../../x", "/abs", ".hidden", "CON", "con", "a/b", "x" * 90])
def test_path_like_ids_are_refused(mini: Path, bad: str) -> None:
    text = (mini / WALLACE).read_text().replace("actor: ben-wallace", f"actor: '{bad}'")
    write_records(mini, {WALLACE: text})
    assert len(check(mini).errors) == 1


@pytest.mark.parametrize("name", [".hidden", "con", "lpt1"])
def test_path_like_file_names_are_refused(mini: Path, name: str) -> None:
    write_records(mini, {f"actors/{name}.yml": "name: X\nkind: person\n"})
    assert len(check(mini).errors) == 1


@pytest.mark.parametrize(
    ("field", "char"),
    [("name", "\u200b"), ("name", "\u202e"), ("aliases", "\u2066"), ("name", "\ufeff")],
)
def test_invisible_and_bidi_characters_in_names_are_refused(mini: Path, field: str, char: str) -> None:
    value = f"Ben{char}Wallace"
    record = f"name: {value}\nkind: person\n" if field == "name" else f"name: Ben\nkind: person\naliases: ['{value}']\n"
    write_records(mini, {"actors/ben-wallace.yml": record})
    assert [p.message for p in check(mini).problems] == [f"invisible or direction-changing character U+{ord(char):04X}"]


def test_bidi_overrides_are_refused_in_quotes_too(mini: Path) -> None:
    text = (mini / WALLACE).read_text().replace("Still no evidence.", "Still \u202eno evidence.")
    write_records(mini, {WALLACE: text})
    assert "U+202E" in messages(check(mini))[0]


# -- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/x",
        "https://user:pw@example.org/",
        "https://example.org/" + "a" * 2030,
        "https://exa mple.org/",
        "https://example.org/a b",
        "ftp://example.org/",
        "HTTPS://example.org/",
        "https:\\\\example.org",
        " https://example.org/",
    ],
)
def test_unsafe_urls_are_refused(mini: Path, url: str) -> None:
    escaped = url.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    write_records(mini, {"sources/report.yml": f'title: R\npublisher: P\nurl: "{escaped}"\n'})
    problems = check(mini).problems
    assert len(problems) == 1, problems
    assert problems[0].line == 3


def test_a_plain_https_url_is_accepted(mini: Path) -> None:
    write_records(mini, {"sources/report.yml": "title: R\npublisher: P\nurl: https://example.org/a?b=c#d\n"})
    assert check(mini).errors == []


# -- files: links and special files ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["file-outside", "linked-folder", "loop"])
def test_symbolic_links_fail_the_build_and_publish_nothing(tmp_path: Path, kind: str) -> None:
    project = copy_project(tmp_path / "project")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-THE-REPOSITORY\n")
    if kind == "file-outside":
        link = project / "content" / "leak.md"
        link.symlink_to(secret)
    elif kind == "linked-folder":
        link = project / "content" / "linked"
        link.symlink_to(tmp_path, target_is_directory=True)
    else:
        link = project / "chronicle" / "actors" / "loop.yml"
        link.symlink_to(link)
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0
    shown = link.relative_to(project).as_posix()
    assert f"{shown}:0:0: symbolic links are not allowed" in build.log
    assert "Traceback" not in build.log
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file()] if (tmp_path / "site").exists() else []
    assert not any("SECRET-OUTSIDE" in p.read_text(errors="replace") for p in published)


def test_special_files_are_refused(mini: Path) -> None:
    os.mkfifo(mini / "actors" / "pipe.yml")
    assert messages(check(mini)) == ["chronicle/actors/pipe.yml:0:0: not a regular file"]


def test_no_statement_is_dropped(mini: Path) -> None:
    chronicle = check(mini).chronicle
    assert chronicle is not None
    files = sorted((mini / "statements").rglob("*.yml"))
    assert len(chronicle.statements) == len(files) == 3


# -- reproducible builds ------------------------------------------------------------------------

REVERSED_LISTINGS = textwrap.dedent(
    """
    # Loaded by the second build: every folder listing comes back in reverse order.
    import os
    _scandir = os.scandir

    class _Reversed:
        def __init__(self, path="."):
            with _scandir(path) as entries:
                self._entries = iter(sorted(entries, key=lambda e: e.name, reverse=True))
        def __iter__(self):
            return self
        def __next__(self):
            return next(self._entries)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
        def close(self):
            pass

    os.scandir = _Reversed
    _listdir = os.listdir
    os.listdir = lambda path=".": sorted(_listdir(path), reverse=True)
    """
)


def digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = mkdocs_build(copy_project(tmp_path / "a" / "project"), tmp_path / "a" / "site")
    assert first.returncode == 0, first.log
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(REVERSED_LISTINGS)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hooks), *sys.path]))
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    second = mkdocs_build(copy_project(tmp_path / "b" / "elsewhere" / "project"), tmp_path / "b" / "site")
    assert second.returncode == 0, second.log
    one, two = digest(first.site), digest(second.site)
    assert len(one) > 50
    assert [name for name in one if one[name] != two.get(name)] == []
    assert one == two


def test_repository_records_are_all_loaded() -> None:
    chronicle = validate_folder(ROOT / "chronicle").chronicle
    assert chronicle is not None
    assert len(chronicle.statements) == len(list((ROOT / "chronicle" / "statements").rglob("*.yml")))
