"""`mkdocs serve --dirty` (what `make serve` runs): after an edit, a rebuild writes only the pages
and files that show an edited record, and the site it leaves equals a clean build of the edited
records, file for file and byte for byte.

The builds run in this process, as `mkdocs serve` runs them: one `on_startup`, then one
`build(..., dirty=True)` per change into the same folder, with the plugin kept in between.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import subprocess
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

import mkdocs_chronicle.plugin
from conftest import copy_project
from mkdocs_chronicle.feeds import FeedWriter
from mkdocs_chronicle.pagefind_index import SearchIndexError
from mkdocs_chronicle.render import Renderer

SERVE_URL = "http://127.0.0.1:8000/"
STATEMENT = "chronicle/statements/2022/02/16/wallace-times-radio-no-evidence.yml"
STATEMENT_ID = "wallace-times-radio-no-evidence"


def configure(project: Path, site: Path) -> MkDocsConfig:
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL  # as `mkdocs serve` does
    return config


def serve_session(project: Path, site: Path) -> Callable[[], None]:
    """The first build of a `mkdocs serve --dirty`; returns the rebuild it does after each change."""

    def rebuild() -> None:
        config = configure(project, site)
        build(config, serve_url=SERVE_URL, dirty=True)
        # The page is served at once, and search catches up in the background: wait for it.
        config.plugins["chronicle"].wait_for_background()

    configure(project, site).plugins.on_startup(command="serve", dirty=True)
    rebuild()
    return rebuild


def start(tmp_path: Path) -> tuple[Path, Path, Callable[[], None]]:
    """The repository's project copied, and a serve session's first build of it."""
    project = copy_project(tmp_path / "project")
    served = tmp_path / "served"
    return project, served, serve_session(project, served)


def assert_same_as_clean_build(project: Path, served: Path, clean: Path) -> None:
    clean_build(project, clean)
    assert differences(served, clean) == []


def clean_build(project: Path, site: Path) -> None:
    # In another process: MkDocs keeps one plugin object per process, the serve session's.
    env = {**os.environ, "CHRONICLE_SITE_URL": SERVE_URL, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    subprocess.run(command, env=env, check=True, capture_output=True)


def files_of(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    first, second = files_of(a), files_of(b)
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The generated pages and feeds rendered, in order, by every build of the test."""
    rendered: list[str] = []
    render, write = Renderer.render, FeedWriter.write

    def spy_render(self: Renderer, plan: mkdocs_chronicle.render.PagePlan) -> str:
        rendered.append(plan.src_uri)
        return render(self, plan)

    def spy_write(self: FeedWriter, plan: mkdocs_chronicle.feeds.FeedPlan) -> bytes:
        rendered.append(plan.path)
        return write(self, plan)

    monkeypatch.setattr(Renderer, "render", spy_render)
    monkeypatch.setattr(FeedWriter, "write", spy_write)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    yield rendered


INDEX_PAGES = {"days/index.md", "actors/index.md", "claims/index.md", "sources/index.md"}


def pages_showing(site: Path, pattern: str) -> set[str]:
    """Generated pages (as src_uri) and feeds whose output matches `pattern`."""
    found = set()
    for folder in ("days", "actors", "claims", "sources"):
        for html in (site / folder).rglob("index.html"):
            if re.search(pattern, html.read_text("utf-8")):
                rel = html.parent.relative_to(site).as_posix()
                found.add(f"{rel}.md" if rel != folder else f"{folder}/index.md")
        for feed in (site / folder).rglob("feed.xml"):
            if re.search(pattern, feed.read_text("utf-8")):
                found.add(feed.relative_to(site).as_posix())
    if re.search(pattern, (site / "feed.xml").read_text("utf-8")):
        found.add("feed.xml")
    return found


def edit(project: Path, record: str, old: str, new: str) -> None:
    path = project / record
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {record}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_editing_a_statement_rewrites_only_the_pages_that_show_it(tmp_path: Path, written: list[str]) -> None:
    project, served, rebuild = start(tmp_path)
    generated = set(written)
    showing = pages_showing(served, f'id="{STATEMENT_ID}"|#{STATEMENT_ID}"|/#{STATEMENT_ID}<')
    assert {"days/2022-02-16.md", "feed.xml"} <= showing

    written.clear()
    edit(project, STATEMENT, "at the moment of that withdrawal", "EDITED while serving")
    rebuild()

    assert set(written) <= showing  # not even the index pages: they show no statement's words
    assert "days/2022-02-16.md" in written and "days/2022-02-17.md" not in written
    assert len(set(written)) < len(generated) / 4
    assert "EDITED while serving" in (served / "days/2022-02-16/index.html").read_text("utf-8")
    assert_same_as_clean_build(project, served, tmp_path / "clean")


def test_renaming_an_actor_rewrites_the_pages_that_name_them(tmp_path: Path, written: list[str]) -> None:
    project, served, rebuild = start(tmp_path)
    naming = pages_showing(served, r"Ben Wallace|actors/ben-wallace/")

    written.clear()
    edit(project, "chronicle/actors/ben-wallace.yml", "name: Ben Wallace", "name: Benjamin Wallace")
    rebuild()

    assert set(written) <= naming | INDEX_PAGES
    assert "actors/ben-wallace.md" in written and "actors/ben-wallace/feed.xml" in written
    assert_same_as_clean_build(project, served, tmp_path / "clean")


def test_adding_moving_and_deleting_statements_leaves_a_clean_builds_site(
    tmp_path: Path, written: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    project, served, rebuild = start(tmp_path)

    # A statement on a day that had none, answering another: a new page, new neighbours for
    # the days around it, and "Answered by" on the card it answers.
    new_day = project / "chronicle/statements/2022/02/25/a-later-answer.yml"
    new_day.parent.mkdir(parents=True)
    new_day.write_text(
        "date: 2022-02-25\n"
        "actor: ben-wallace\n"
        "text: A later answer.\n"
        "sources:\n  - source: nationalpost-reuters-2022-02-16-wallace\n"
        f"responds_to:\n  - {STATEMENT_ID}\n",
        "utf-8",
    )
    rebuild()
    assert (served / "days/2022-02-25/index.html").is_file()
    assert_same_as_clean_build(project, served, tmp_path / "clean-1")

    # Moved to another day (file and date), then deleted: its day page goes when it was the last.
    moved = project / "chronicle/statements/2022/02/26/a-later-answer.yml"
    moved.parent.mkdir(parents=True)
    moved.write_text(new_day.read_text("utf-8").replace("date: 2022-02-25", "date: 2022-02-26"), "utf-8")
    new_day.unlink()
    rebuild()
    assert not (served / "days/2022-02-25/index.html").exists()
    assert_same_as_clean_build(project, served, tmp_path / "clean-2")

    moved.unlink()
    rebuild()
    assert_same_as_clean_build(project, served, tmp_path / "clean-3")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], "a rebuild warned"


def test_a_broken_edit_then_its_fix_rebuilds_correctly(tmp_path: Path, written: list[str]) -> None:
    project, served, rebuild = start(tmp_path)
    edit(project, STATEMENT, "actor: ben-wallace", "actor: nobody-by-that-name")
    with pytest.raises(Abort):
        rebuild()
    edit(project, STATEMENT, "actor: nobody-by-that-name", "actor: ben-wallace")
    edit(project, STATEMENT, "at the moment of that withdrawal", "FIXED")
    rebuild()
    assert_same_as_clean_build(project, served, tmp_path / "clean")


def test_a_change_to_a_content_page_rewrites_every_page(tmp_path: Path, written: list[str]) -> None:
    project, _served, rebuild = start(tmp_path)
    generated = set(written)
    written.clear()
    about = project / "content/about.md"
    about.write_text(about.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    rebuild()
    assert set(written) == generated  # the navigation, in every page, may have changed


def test_a_rebuild_keeps_nothing_of_the_builds_before_the_last(tmp_path: Path, written: list[str]) -> None:
    # Under `mkdocs serve` each build's records would otherwise stay in memory for good.
    project, served, rebuild = start(tmp_path)
    plugin = configure(project, served).plugins["chronicle"]
    assert isinstance(plugin, mkdocs_chronicle.plugin.ChroniclePlugin)
    first = weakref.ref(plugin.dependencies)
    first_chronicle = weakref.ref(plugin.renderer.index.chronicle)
    for words in ("ONE", "TWO"):
        edit(project, STATEMENT, "We haven't", f"{words} We haven't")
        rebuild()
        edit(project, STATEMENT, f"{words} We haven't", "We haven't")
    rebuild()
    gc.collect()
    assert first() is None and first_chronicle() is None


def test_an_edit_while_search_is_indexing_stops_it_and_search_catches_up(tmp_path: Path) -> None:
    project, served, rebuild = start(tmp_path)
    edit(project, STATEMENT, "at the moment of that withdrawal", "FIRST EDIT")
    config = configure(project, served)
    build(config, serve_url=SERVE_URL, dirty=True)  # served; its search bundle is still being made
    indexer = config.plugins["chronicle"].indexer
    assert indexer is not None
    edit(project, STATEMENT, "FIRST EDIT", "SECOND EDIT")
    rebuild()  # stops the first bundle, and waits for its own
    with contextlib.suppress(SearchIndexError):  # stopped by the second edit, unless done before it
        indexer.wait()
    assert not list(served.glob(".pagefind-*"))  # nothing half-made left in the site
    assert_same_as_clean_build(project, served, tmp_path / "clean")


class _Server:
    """What the plugin's on_serve uses of MkDocs' server."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_with_the_watcher_an_edit_is_checked_on_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, served, rebuild = start(tmp_path)
    config = configure(project, served)
    plugin = config.plugins["chronicle"]
    server = _Server()
    plugin.on_serve(server, config=config, builder=None)
    whole: list[Path] = []
    validate_folder = mkdocs_chronicle.plugin.validate_folder
    monkeypatch.setattr(
        mkdocs_chronicle.plugin, "validate_folder", lambda *a: whole.append(a[0]) or validate_folder(*a)
    )
    try:
        assert server.watched == [str(plugin.watcher.folder)]  # MkDocs polls one file, not the records
        before = plugin.watcher.trigger.stat().st_mtime_ns
        edit(project, STATEMENT, "at the moment of that withdrawal", "EDITED under the watcher")
        deadline = time.monotonic() + 5
        while plugin.watcher.trigger.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.02)
        rebuild()
        assert whole == []  # only the edited statement was checked again (validate.revalidate)
        assert "EDITED under the watcher" in (served / "days/2022-02-16/index.html").read_text("utf-8")
        assert_same_as_clean_build(project, served, tmp_path / "clean")
        # A new file: the records are validated whole.
        (project / STATEMENT).with_name("brand-new.yml").write_text((project / STATEMENT).read_text("utf-8"), "utf-8")
        time.sleep(0.5)
        rebuild()
        assert whole == [project / "chronicle"]
    finally:
        plugin.on_shutdown()


def test_a_rebuild_reuses_the_list_of_the_themes_static_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fnmatch

    import mkdocs.structure.files

    matched: list[str] = []
    real = fnmatch.fnmatch

    class CountingFnmatch:
        @staticmethod
        def fnmatch(name: str, pattern: str) -> bool:
            matched.append(name)
            return real(name, pattern)

    monkeypatch.setattr(mkdocs.structure.files, "fnmatch", CountingFnmatch)
    project, served, rebuild = start(tmp_path)
    assert matched  # the first build matches the theme's files to find its static ones
    matched.clear()
    edit(project, STATEMENT, "at the moment of that withdrawal", "EDITED while serving")
    rebuild()
    assert not matched  # the rebuild uses that list again
    assert_same_as_clean_build(project, served, tmp_path / "clean")
    (project / "overrides" / "extra.txt").write_text("a new static file\n", "utf-8")
    rebuild()  # a change to the theme's files: listed again
    assert matched
    assert (served / "extra.txt").read_text("utf-8") == "a new static file\n"


def test_a_one_off_build_keeps_no_records_for_a_next_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = configure(project, tmp_path / "site")
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    cache = config.plugins["chronicle"].read_cache
    assert cache.reads == 0 and cache.validated is None  # nothing kept alive until the build ends
    assert (tmp_path / "site" / "days" / "2022-02-16" / "index.html").is_file()
