"""Read record files into plain data, strictly, remembering where every value came from.

Records arrive by pull request, so the reader trusts nothing: it works on libyaml's event
stream (not PyYAML's constructor), which lets it refuse aliases the moment one appears,
before anything can expand them, and read every scalar as text (no YAML 1.1 booleans,
sexagesimals or octals).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

try:  # libyaml is an order of magnitude faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 16
MAX_SCALAR_CHARS = 20_000
RECORD_KINDS = ("actors", "claims", "sources", "statements")

# C0/C1 controls except tab and newline, DEL, NEL, the Unicode line/paragraph separators,
# and lone surrogates (which a double-quoted "\ud800" escape can produce).
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """One record file, read.

    Attributes:
        path: The file as shown to contributors (relative to the project).
        data: Plain data: dicts, lists, strings, and None for an empty value.
        positions: (line, column) of each value, by its path of keys and indexes.
        key_positions: (line, column) of each mapping key, by the path of its value.
    """

    path: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, at_value: bool = False) -> tuple[int, int]:
        """The place to point at for a problem with the value at `path`: its key (or, with
        `at_value`, the value itself), else the nearest enclosing one that exists."""
        if at_value and path in self.positions:
            return self.positions[path]
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.key_positions:
                return self.key_positions[prefix]
            if prefix in self.positions:
                return self.positions[prefix]
        return (1, 1)

    def problem(
        self, path: Path_, message: str, hint: str = "", severity: str = "error", at_value: bool = False
    ) -> Problem:
        """A problem located at the value found at `path` (see `where`)."""
        line, column = self.where(path, at_value)
        return Problem(self.path, line, column, message, hint, severity)


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


def read_text(raw: bytes, path: str) -> str | Problem:
    """Decode a record's bytes as UTF-8, normalising a BOM and CRLF (`parse` refuses
    control characters)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return Problem(path, line, column, "the file is not valid UTF-8", "save it as UTF-8")
    return text.replace("\r\n", "\n")


def _char_problem(path: str, text: str, offset: int) -> Problem:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(
        path,
        line,
        column,
        f"forbidden character U+{ord(text[offset]):04X} (a control or invisible line character)",
        "delete it; only tab and newline are allowed",
    )


def parse(text: str, path: str) -> Document | Problem:
    """Parse one YAML document into a `Document`, or say where and why it was refused."""
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        return _char_problem(path, text, bad.start())
    builder = _TreeBuilder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Refused as refused:
        return Problem(path, refused.line, refused.column, refused.message, refused.hint)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(path, line, column, f"YAML syntax error: {error.problem or error.context}")
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports unmarked errors rarely
        return Problem(path, 1, 1, f"YAML error: {error}")
    if builder.documents == 0:
        return Problem(path, 1, 1, "the file is empty", "a record is a mapping of fields")
    return Document(path, builder.root, builder.positions, builder.key_positions)


def read_record(file: Path, path: str) -> Document | Problem:
    """Read the record at `file` (shown as `path`): refuse links, special files and big files."""
    try:
        info = os.lstat(file)
    except OSError as error:
        return Problem(path, 0, 0, f"cannot read the file: {error.strerror}")
    if stat.S_ISLNK(info.st_mode):
        return Problem(path, 0, 0, "symbolic links are not allowed", "commit the file itself")
    if not stat.S_ISREG(info.st_mode):
        return Problem(path, 0, 0, "not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        return Problem(path, 0, 0, f"the file is {info.st_size} bytes; a record may have {MAX_FILE_BYTES}")
    with open(file, "rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return Problem(path, 0, 0, f"the file is larger than {MAX_FILE_BYTES} bytes")
    text = read_text(raw, path)
    if isinstance(text, Problem):
        return text
    return parse(text, path)


class _TreeBuilder:
    """Turns parser events into plain data, one check per event so refusal is immediate."""

    def __init__(self) -> None:
        self.root: Any = None
        self.documents = 0
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        # Each open container: (container, its path, the pending key for mappings or None).
        self._stack: list[list[Any]] = []

    def feed(self, event: yaml.Event) -> None:
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(line, column, "YAML aliases (*name) are not allowed", "write the value out")
        if getattr(event, "anchor", None) is not None:
            raise _Refused(line, column, "YAML anchors (&name) are not allowed", "write the value out")
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise _Refused(line, column, f"YAML tags ({tag}) are not allowed", "remove the tag")
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Refused(line, column, "only one YAML document per file", "remove the '---'")
        elif isinstance(event, yaml.ScalarEvent):
            value = None if event.value == "" and not event.style else event.value
            if value is not None and len(value) > MAX_SCALAR_CHARS:
                raise _Refused(line, column, f"a value of {len(value)} characters; the limit is {MAX_SCALAR_CHARS}")
            bad = _FORBIDDEN_CHARS.search(value or "")
            if bad:
                raise _Refused(
                    line,
                    column,
                    f"forbidden character U+{ord(value[bad.start()]):04X} in a value",  # type: ignore[index]
                    "only tab and newline are allowed",
                )
            self._add(value, line, column)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(self._stack) >= MAX_DEPTH:
                raise _Refused(line, column, f"nesting deeper than {MAX_DEPTH} levels")
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = self._add(container, line, column)
            self._stack.append([container, path, None])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._stack.pop()

    def _add(self, value: Any, line: int, column: int) -> Path_:
        if not self._stack:
            self.root = value
            self.positions[()] = (line, column)
            return ()
        frame = self._stack[-1]
        container, path, pending_key = frame
        if isinstance(container, list):
            child: Path_ = (*path, len(container))
            container.append(value)
        elif pending_key is None:  # this value is a key
            if not isinstance(value, str):
                raise _Refused(line, column, "a key must be plain text", "")
            child = (*path, value)
            if value in container:
                first = self.key_positions[child][0]
                raise _Refused(
                    line,
                    column,
                    f"duplicate key '{value}' (first given on line {first})",
                    "give each field once",
                )
            if value == "<<":
                raise _Refused(line, column, "YAML merge keys (<<) are not allowed")
            self.key_positions[child] = (line, column)
            frame[2] = value
            container[value] = None  # reserve the key so duplicates are seen in order
            return child
        else:
            child = (*path, pending_key)
            container[pending_key] = value
            frame[2] = None
        self.positions[child] = (line, column)
        return child


@dataclass(frozen=True)
class RecordFile:
    """A record file found under the records folder, before it is read."""

    kind: str  # one of RECORD_KINDS
    id: str  # the file's stem
    file: Path
    path: str  # as shown to contributors
    folder_parts: tuple[str, ...]  # folders between the kind folder and the file


def walk(root: Path, shown_as: str) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Every regular file under `root` as (file, path relative to root), sorted, and a
    problem for each symbolic link or special file found, which is never followed: a link
    could publish any file of the build machine."""
    files: list[tuple[Path, Path]] = []
    problems: list[Problem] = []
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        here = Path(folder)
        for name in sorted(dirnames + filenames):
            file = here / name
            rel = file.relative_to(root)
            mode = os.lstat(file).st_mode
            if stat.S_ISLNK(mode):
                problems.append(
                    Problem(
                        f"{shown_as}/{rel.as_posix()}", 0, 0, "symbolic links are not allowed", "commit the file itself"
                    )
                )
                if name in dirnames:
                    dirnames.remove(name)
            elif stat.S_ISREG(mode):
                files.append((file, rel))
            elif not stat.S_ISDIR(mode):
                problems.append(Problem(f"{shown_as}/{rel.as_posix()}", 0, 0, "not a regular file"))
    return files, problems


def find_records(root: Path, shown_as: str) -> tuple[list[RecordFile], list[Problem]]:
    """Every `*.yml` record under `root`, sorted, and problems with anything else found there."""
    if not root.is_dir():
        return [], [Problem(shown_as, 0, 0, "the records folder does not exist")]
    files, problems = walk(root, shown_as)
    found: list[RecordFile] = []
    for file, rel in files:
        shown = f"{shown_as}/{rel.as_posix()}"
        if len(rel.parts) == 1:
            if rel.name.lower() != "readme.md":
                problems.append(Problem(shown, 0, 0, "files here must be inside a kind folder"))
        elif rel.parts[0] not in RECORD_KINDS:
            problems.append(Problem(shown, 0, 0, f"unknown folder; records live in {', '.join(RECORD_KINDS)}"))
        elif not rel.name.endswith(".yml"):
            hint = "rename it to .yml" if rel.name.endswith(".yaml") else "records are .yml files"
            problems.append(Problem(shown, 0, 0, "not a record file", hint))
        else:
            found.append(RecordFile(rel.parts[0], rel.name[:-4], file, shown, rel.parts[1:-1]))
    return found, sorted(problems)


class ReadCache:
    """Records already read, by file: `mkdocs serve` keeps one across rebuilds so that an edit
    re-reads only the files whose size or modification time changed."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int], Document | Problem]] = {}
        self.reads = 0  # files actually read, for tests and benchmarks

    def read(self, file: Path, path: str) -> Document | Problem:
        """`read_record(file, path)`, unless the file is unchanged since it was last read."""
        try:
            info = os.lstat(file)
        except OSError:
            return read_record(file, path)
        stamp = (info.st_mtime_ns, info.st_size)
        cached = self._entries.get(file)
        if cached is not None and cached[0] == stamp and getattr(cached[1], "path", None) == path:
            return cached[1]
        self.reads += 1
        result = read_record(file, path)
        self._entries[file] = (stamp, result)
        return result
