"""`mkdocs serve`: editing a record rebuilds the site and the new words are served."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import copy_project
from mkdocs_chronicle.watch import RecordsWatcher

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return True
        time.sleep(0.25)
    return False


@contextmanager
def serve(project: Path, port: int) -> Iterator[subprocess.Popen[str]]:
    """`mkdocs serve` (as `make serve` runs it) for `project` on a loopback port."""
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_editing_a_record_while_serving_rebuilds_the_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port = free_port()
    with serve(project, port):
        url = f"http://127.0.0.1:{port}/days/2022-02-16/"
        assert wait_for(url, "at the moment of that withdrawal", 60), "the site was never served"
        record = project / "chronicle/statements/2022/02/16/wallace-times-radio-no-evidence.yml"
        record.write_text(record.read_text().replace("at the moment of that withdrawal", "EDITED-WHILE-SERVING"))
        started = time.monotonic()
        assert wait_for(url, "EDITED-WHILE-SERVING", 30), "the edit was not served"
        print(f"edit to served page: {time.monotonic() - started:.2f} s")


def test_the_records_watcher_passes_on_changes_but_not_reads(tmp_path: Path) -> None:
    records = tmp_path / "records"
    (records / "2022").mkdir(parents=True)
    record = records / "2022" / "a.yml"
    record.write_text("text: one\n", "utf-8")
    watcher = RecordsWatcher(records)
    try:

        def trigger_changes(action: Callable[[], object]) -> bool:
            before = watcher.trigger.stat()
            action()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                after = watcher.trigger.stat()
                if (after.st_mtime_ns, after.st_size) != (before.st_mtime_ns, before.st_size):
                    return True
                time.sleep(0.05)
            return False

        watcher.take()
        assert trigger_changes(lambda: record.write_text("text: two\n", "utf-8"))  # an edit
        time.sleep(0.2)  # its "closed" comes after its "modified"
        assert watcher.take() == {str(record)}  # the next build checks that file only
        assert watcher.take() == set()
        assert trigger_changes(lambda: (records / "2023").mkdir())  # a new folder
        assert watcher.take() is None  # the next build checks every file
        assert trigger_changes(lambda: (records / "2022" / "b.yml").write_text("text: three\n", "utf-8"))
        assert trigger_changes(lambda: record.unlink())  # a deletion
        time.sleep(0.3)  # the last events are in
        assert not trigger_changes(lambda: (records / "2022" / "b.yml").read_text("utf-8"))  # a read is not
    finally:
        watcher.stop()
    assert not watcher.folder.exists()


def test_an_edit_reaches_mkdocs_without_waiting_for_its_poll(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer

    records = tmp_path / "records"
    records.mkdir()
    record = records / "a.yml"
    record.write_text("text: one\n", "utf-8")
    builds: list[float] = []
    # MkDocs polls its watched folders; here only every 30 s, so that a rebuild within
    # seconds can only have come straight from the records watcher.
    server = LiveReloadServer(
        builder=lambda: builds.append(time.monotonic()),
        host="127.0.0.1",
        port=free_port(),
        root=str(tmp_path),
        polling_interval=30,
    )
    watcher = RecordsWatcher(records)
    try:
        server.watch(str(watcher.folder))
        assert watcher.deliver_to(server)
        serving = threading.Thread(target=server.serve, daemon=True)
        serving.start()
        time.sleep(0.5)  # the server and its observer are up
        before = watcher.trigger.stat()
        edited = time.monotonic()
        record.write_text("text: two\n", "utf-8")
        deadline = edited + 5
        while not builds and time.monotonic() < deadline:
            time.sleep(0.02)
        assert builds, "MkDocs was not asked to rebuild"
        assert builds[0] - edited < 1.0
        time.sleep(0.3)
        assert len(builds) == 1  # once: the trigger file is left alone, so its poll asks for nothing
        after = watcher.trigger.stat()
        assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
        assert watcher.take() == {str(record)}
    finally:
        server.shutdown()
        watcher.stop()


def test_without_mkdocs_observer_the_watcher_rewrites_its_file(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    watcher = RecordsWatcher(records)
    try:
        assert not watcher.deliver_to(object())
        before = watcher.trigger.stat()
        (records / "a.yml").write_text("text: one\n", "utf-8")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            after = watcher.trigger.stat()
            if (after.st_mtime_ns, after.st_size) != (before.st_mtime_ns, before.st_size):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the trigger file was not rewritten")
    finally:
        watcher.stop()
