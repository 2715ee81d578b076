"""Watching the records for `mkdocs serve` by the system's file notifications.

MkDocs watches by polling: every half second it looks at each watched file. For a chronicle of
20,000 statements that is 25,000 files, a third of a second each time, and while a rebuild runs
the two share one Python. The records are watched by the system's notifications instead
(watchdog's native observer: inotify on Linux, FSEvents on macOS), and each change is passed on
to MkDocs by rewriting one small file that MkDocs polls. Where MkDocs' server lets it
(`deliver_to`), the change is handed to MkDocs' own observer at once instead: its poll of that
file would add up to half a second to every rebuild.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileModifiedEvent, FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Not "opened" or "closed_no_write": the build itself reads the records it checks.
EDITS = {"modified", "closed"}  # a file written in place
CHANGES = EDITS | {"created", "deleted", "moved"}


class RecordsWatcher(FileSystemEventHandler):
    """Tells MkDocs when a record changes, by rewriting `trigger` (in a folder of its own, for
    MkDocs to watch) or straight through MkDocs' observer (`deliver_to`), and tells the next
    build which files were edited (`take`)."""

    def __init__(self, records_dir: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="chronicle-serve-"))
        self.trigger = self.folder / "records-changed"
        self._changes = 0
        self._lock = threading.Lock()
        self._edited: set[str] | None = set()  # None: something else happened too
        self._deliver: Callable[[], None] | None = None  # see deliver_to
        self._note()
        self._observer = Observer()
        self._observer.schedule(self, str(records_dir), recursive=True)
        self._observer.start()  # raises OSError where the system will not watch that many folders

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        if event.is_directory and event.event_type in EDITS:
            return  # a folder's own time, changed with a file in it: that file says what happened
        with self._lock:
            if self._edited is not None and event.event_type in EDITS:
                self._edited.add(os.fsdecode(event.src_path))
            else:
                self._edited = None
        self._note()

    def deliver_to(self, server: Any) -> bool:
        """Hand each change straight to `server`'s observer, which must already watch this
        watcher's folder: MkDocs 1.6's LiveReloadServer has a watchdog observer (`observer`)
        with one emitter per watched folder, and a change an emitter queues reaches the
        handler that asks for a rebuild without waiting for the next poll. The trigger file
        is then left alone (its poll would ask for a second rebuild). False, and the trigger
        file is rewritten as before, when the server has no such emitter."""
        folder = os.path.abspath(self.folder)
        for emitter in list(getattr(getattr(server, "observer", None), "emitters", ())):
            watch = getattr(emitter, "watch", None)
            if watch is not None and os.path.abspath(watch.path) == folder and hasattr(emitter, "queue_event"):
                self._deliver = functools.partial(emitter.queue_event, FileModifiedEvent(str(self.trigger)))
                return True
        return False

    def take(self) -> set[str] | None:
        """The files written in place since the last call, or None when files or folders were
        also added, removed or moved (or a change may have been missed)."""
        with self._lock:
            edited, self._edited = self._edited, set()
        return edited

    def _note(self) -> None:
        if self._deliver is not None:
            self._deliver()
            return
        with self._lock:
            self._changes += 1
            # A new time and a new size: MkDocs compares both, whatever the clock's resolution.
            self.trigger.write_text("changed\n" * (1 + self._changes % 2), "utf-8")

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join()
        shutil.rmtree(self.folder, ignore_errors=True)
