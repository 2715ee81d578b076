"""The site's search bundle, written by Pagefind in its own process while MkDocs writes pages.

Pagefind splits its index into chunks by word: a reader's browser fetches the few chunks a query
needs, not one file with every word of the chronicle (9.4 MB at 20,000 statements for
Material's search).

Pagefind's binary comes from PyPI (`pagefind_bin`) and is driven as `pagefind --service`, the
protocol its own Node and Python wrappers speak: base64-encoded JSON messages, each ended by a
comma and answered by one message with the same id. The Python wrapper reads one answer every
tenth of a second (five minutes for 3,000 documents), so this module streams them itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .search import Document


class SearchIndexError(Exception):
    """Pagefind could not be run, or refused a document."""


def executable() -> str:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, else the one installed with pagefind_bin."""
    if path := os.environ.get("PAGEFIND_BINARY_PATH"):
        return path
    try:
        from pagefind_bin import get_executable
    except ImportError as error:
        raise SearchIndexError("Pagefind is not installed: `pip install pagefind-bin`") from error
    return str(get_executable())


def write_bundle(
    documents: Iterable[Document],
    output: Path,
    language: str,
    started: Callable[[subprocess.Popen[bytes]], None] = lambda _process: None,
    stop: threading.Event | None = None,
) -> int:
    """Index `documents` (site-relative URL, HTML) and put the bundle at `output` (the site's
    `pagefind/` folder), replacing the one there only once the new one is whole. Returns the
    number of documents indexed. `started` is given Pagefind's process (to stop it early);
    once `stop` is set, no more files are written."""
    with tempfile.TemporaryFile() as stderr:
        count, files = _index(documents, language, stderr, started)
    output.parent.mkdir(parents=True, exist_ok=True)  # MkDocs makes the site folder as it writes
    staging = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=output.parent))
    try:
        staging.chmod(0o755)  # published as it is: readable by a web server, as MkDocs' folders are
        folders = set()
        for path, content in files:
            if stop is not None and stop.is_set():
                raise SearchIndexError("stopped")
            parts = path.split("/")
            if path.startswith("/") or ".." in parts:
                raise SearchIndexError(f"Pagefind named a file outside its folder: {path}")
            if len(parts) > 1 and parts[0] not in folders:
                (staging / parts[0]).mkdir(parents=True, exist_ok=True)
                folders.add(parts[0])
            with open(staging / path, "wb") as file:
                file.write(content)
        if output.exists():
            old = output.with_name(staging.name + "-old")
            output.rename(old)
            staging.rename(output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(output)
        return count
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _index(
    documents: Iterable[Document],
    language: str,
    stderr: IO[bytes],
    started: Callable[[subprocess.Popen[bytes]], None],
) -> tuple[int, list[tuple[str, bytes]]]:
    """The number of documents indexed, and the bundle's files (path, content)."""
    try:
        command = [executable(), "--service"]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
    except OSError as error:
        raise SearchIndexError(f"could not start Pagefind: {error}") from error
    started(process)
    assert process.stdin is not None and process.stdout is not None
    stdin, answers = process.stdin, _answers(process.stdout)
    writer = None
    try:
        _send(stdin, 0, {"type": "NewIndex", "config": {"force_language": language}})
        stdin.flush()
        index_id = _expect(next(answers, None), "NewIndex", stderr)["index_id"]
        # Written by another thread while this one reads the answers: Pagefind answers as it
        # goes, and would stop once its output pipe is full.
        failed: list[BaseException] = []  # what went wrong making the documents, in the writer
        writer = threading.Thread(
            target=_write_all, args=(process, _requests(index_id, documents), failed), daemon=True
        )
        writer.start()
        count = 0
        while True:
            answer = next(answers, None)
            if failed:  # (the writer stopped Pagefind: its error, not Pagefind's silence)
                raise failed[0]
            answer = _expect(answer, None, stderr)
            if answer["type"] == "GetFiles":
                break
            count += 1
        files = [(file["path"], base64.b64decode(file["content"])) for file in answer["files"]]
        return count, files
    finally:
        process.kill()  # done, or failed, or cancelled: the writer's next message fails
        if writer is not None:
            writer.join()  # it reads the caches the next build changes
        for pipe in (stdin, process.stdout):
            with contextlib.suppress(BrokenPipeError):  # a message was left unsent: Pagefind had stopped
                pipe.close()
        process.wait()


def _requests(index_id: int, documents: Iterable[Document]) -> Iterator[dict[str, Any]]:
    for url, html in documents:
        yield {"type": "AddFile", "index_id": index_id, "url": "/" + url, "file_path": None, "file_contents": html}
    # The files come back in the answer, and are written here: Pagefind 1.5 answers WriteFiles
    # before its files are whole (Pagefind/pagefind#1271).
    yield {"type": "GetFiles", "index_id": index_id}


def _write_all(
    process: subprocess.Popen[bytes], requests: Iterator[dict[str, Any]], failed: list[BaseException]
) -> None:
    assert process.stdin is not None
    try:
        for message_id, payload in enumerate(requests, start=1):
            _send(process.stdin, message_id, payload)
        process.stdin.flush()
    except (BrokenPipeError, ValueError):  # Pagefind stopped: the reader says why
        pass
    except BaseException as error:  # a document could not be made: the reader raises it
        failed.append(error)
        process.kill()  # else Pagefind waits for the rest, and the reader for Pagefind


def _send(stdin: IO[bytes], message_id: int, payload: dict[str, Any]) -> None:
    message = json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")
    stdin.write(base64.b64encode(message) + b",")


def _answers(stdout: IO[bytes]) -> Iterator[dict[str, Any]]:
    buffer = bytearray()  # the last answer holds the whole bundle: megabytes, read in pieces
    while chunk := stdout.read1(1 << 20):  # type: ignore[attr-defined]
        searched = len(buffer)
        buffer += chunk
        start, end = 0, buffer.find(b",", searched)
        while end != -1:
            yield json.loads(base64.b64decode(buffer[start:end]))["payload"]
            start, end = end + 1, buffer.find(b",", end + 1)
        del buffer[:start]


def _expect(answer: dict[str, Any] | None, kind: str | None, stderr: IO[bytes]) -> dict[str, Any]:
    if answer is None:
        stderr.seek(0)
        said = stderr.read().decode("utf-8", "replace").strip()[-2000:]
        raise SearchIndexError("Pagefind stopped" + (f": {said}" if said else ""))
    if answer["type"] == "Error":
        raise SearchIndexError(f"Pagefind: {answer['message']}")
    if kind is not None and answer["type"] != kind:
        raise SearchIndexError(f"Pagefind answered {answer['type']}, not {kind}")
    return answer


class SearchIndexer:
    """Writes the search bundle in a thread (Pagefind itself runs on the other core) so that it
    is made while MkDocs writes the pages. `wait` returns the number of documents indexed, or
    raises what went wrong; `cancel` stops it, leaving the bundle there was."""

    def __init__(self, documents: Iterable[Document], output: Path, language: str, *, background: bool = False) -> None:
        self._background = background
        self._result: int | BaseException = SearchIndexError("not finished")
        self._process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, args=(documents, output, language), name="pagefind", daemon=True
        )
        self._thread.start()

    def _run(self, documents: Iterable[Document], output: Path, language: str) -> None:
        try:
            self._result = write_bundle(documents, output, language, self._started, self._stop)
        except BaseException as error:  # handed to the build in wait()
            self._result = error

    def _started(self, process: subprocess.Popen[bytes]) -> None:
        if self._background and hasattr(os, "setpriority"):
            # Behind a `mkdocs serve` rebuild, which should have the CPU when an edit comes.
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, process.pid, 10)
        with self._lock:
            self._process = process
            if self._stop.is_set():
                process.kill()

    def wait(self) -> int:
        self._thread.join()
        if isinstance(self._result, BaseException):
            raise self._result
        return self._result

    def cancel(self) -> None:
        """Stop indexing, and wait until the thread has let go of the documents."""
        with self._lock:
            self._stop.set()
            if self._process is not None:
                self._process.kill()
        self._thread.join()
