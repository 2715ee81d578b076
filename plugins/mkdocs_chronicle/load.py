"""Read record files into plain data, strictly, remembering where every value came from.

Records arrive by pull request, so the reader trusts nothing: it works on libyaml's event
stream (not PyYAML's constructor), which lets it refuse aliases the moment one appears,
before anything can expand them, and read every scalar as text (no YAML 1.1 booleans,
sexagesimals or octals).

Walking the events in Python costs most of the reading time, so a file is first read by a
fast path (`parse_nodes`): libyaml's C composer builds the node tree and Python only checks
it and copies it out. The fast path accepts a file only when it can see that the strict
reader would accept it and give the same document; anything else (a syntax error, an
anchor, a tag, a duplicate key...) goes to the strict reader, whose messages stay the only
ones a contributor sees.
"""

from __future__ import annotations

import operator
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .problems import Problem

try:  # libyaml is an order of magnitude faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _CParser = None  # type: ignore[assignment, misc]

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 16
MAX_SCALAR_CHARS = 20_000
RECORD_KINDS = ("actors", "claims", "sources", "statements")

# C0/C1 controls except tab and newline, DEL, NEL, the Unicode line/paragraph separators,
# and lone surrogates (which a double-quoted "\ud800" escape can produce).
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Every ASCII character that is not forbidden: deleting them from an ASCII text leaves nothing
# unless it has a forbidden one, which bytes.translate finds six times faster than the search.
_ALLOWED_ASCII = b"\t\n" + bytes(range(0x20, 0x7F))

Path_ = tuple[str | int, ...]


class Places:
    """Where a document's values and keys are: given by the strict reader, or, for a document
    the fast path read, found when first asked for by reading its text again with the strict
    reader. Places are needed only to report a problem, and recording every one of them
    would cost the fast path half its time."""

    def __init__(
        self,
        positions: dict[Path_, tuple[int, int]] | None = None,
        key_positions: dict[Path_, tuple[int, int]] | None = None,
        text: str | None = None,
    ) -> None:
        self._positions = positions or {}
        self._key_positions = key_positions or {}
        self._text = text

    def get(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        """(positions of values, positions of keys)."""
        if self._text is not None:
            read = parse_events(self._text, "")
            if isinstance(read, Document):  # always: the fast path reads only what the strict reader accepts
                self._positions, self._key_positions = read.positions, read.key_positions
            self._text = None
        return self._positions, self._key_positions

    @property
    def text(self) -> str | None:
        """The text the places are still to be found in, if they are not found yet."""
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Places) and self.get() == other.get()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "Places(...)"


@dataclass(frozen=True)
class Document:
    """One record file, read.

    Attributes:
        path: The file as shown to contributors (relative to the project).
        data: Plain data: dicts, lists, strings, and None for an empty value.
        places: Where its values and keys are (see `positions` and `key_positions`).
    """

    path: str
    data: Any
    places: Places = field(default_factory=Places)

    def lean(self) -> Document:
        """This document, keeping its text instead of its data, which is read again from the
        text when asked for. Once a record is checked its data is seldom needed again (only to
        check it on another day), and thousands of data trees are most of what reading keeps
        in memory and of what a worker sends back. Only a document the fast path read has its
        text at hand; any other is given back as it is."""
        text = self.places.text
        if text is None or "data" not in self.__dict__:
            return self
        return _lean_document(self.path, self.places)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # A lean document pickles as its path and text: workers send thousands back (fanout.py),
        # and this costs half as much to unpickle as its attributes do.
        text = self.__dict__.get("_text")
        if text is None:
            return super().__reduce_ex__(protocol)
        return _unpickle_lean_document, (self.path, text)

    def __getattr__(self, name: str) -> Any:
        # Only for what the instance lacks: the data of a lean document (see `lean`).
        text = self.__dict__.get("_text")
        if name != "data" or text is None:
            raise AttributeError(name)
        read = parse_nodes(text, self.path) or parse_events(text, self.path)
        assert isinstance(read, Document)  # (it was read from this very text before)
        return read.data

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        """(line, column) of each value, by its path of keys and indexes."""
        return self.places.get()[0]

    @property
    def key_positions(self) -> dict[Path_, tuple[int, int]]:
        """(line, column) of each mapping key, by the path of its value."""
        return self.places.get()[1]

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


def _lean_document(path: str, places: Places) -> Document:
    lean = object.__new__(Document)
    lean.__dict__.update(path=path, places=places, _text=places.text)  # (frozen: no setattr)
    return lean


def _unpickle_lean_document(path: str, text: str) -> Document:
    return _lean_document(path, Places(text=text))


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
    # (isascii costs nothing: a str knows whether it is ASCII.)
    if not text.isascii() or text.encode("ascii").translate(None, _ALLOWED_ASCII):
        bad = _FORBIDDEN_CHARS.search(text)
        if bad:
            return _char_problem(path, text, bad.start())
    return parse_nodes(text, path) or parse_events(text, path)


def parse_events(text: str, path: str) -> Document | Problem:
    """The strict reader: `parse` of a text without forbidden characters, event by event,
    refusing at the first construct it does not allow."""
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
    return Document(path, builder.root, Places(builder.positions, builder.key_positions))


# A node's start is the start of its first property, so a node with an anchor, a tag or
# (as a target) an alias starts with one of these; no other node does, because a plain
# scalar cannot start with them and every other node starts with its own indicator.
_PROPERTY_STARTS = frozenset("&!*")


class _Unproven(Exception):
    """The fast path met something only the strict reader may judge."""


if _CParser is not None:

    class _NodeReader(_CParser):
        """libyaml's C composer with no tag resolution: every node keeps the tag it was given,
        which is "" unless the file wrote one (only `!` alone resolves to "" as well, and its
        node starts with "!")."""

        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            return ""

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass


def parse_nodes(text: str, path: str) -> Document | None:
    """The fast path of `parse`, for a text without forbidden characters: the `Document` the
    strict reader (`parse_events`) would give, or None when that is not certain."""
    if _CParser is None:  # pragma: no cover - depends on how PyYAML was built
        return None
    try:
        root = _NodeReader(text).get_single_node()
    except yaml.YAMLError:  # a syntax error, a second document, an unknown alias...
        return None
    if root is None:  # no document at all
        return None
    # A node can have a property (an anchor, or a tag) only if the text has an '&' or a '!' (and
    # an alias, only if it has an anchor): in most records, no node need be looked at for one.
    # The text is padded: an empty value at the very end starts at len(text).
    padded = text + "\n" if "&" in text or "!" in text else None
    try:
        data = _copy(root, padded, 0)
    except _Unproven:
        return None
    return Document(path, data, Places(text=text))


def _copy(node: yaml.Node, text: str | None, depth: int) -> Any:
    """Copy a node tree into plain data, refusing (with `_Unproven`) whatever `_TreeBuilder`
    would refuse; its nodes are looked at for properties in `text` unless it is None. (It runs
    for every value of every record: hence the inlined checks.)"""
    if text is not None and (node.tag or text[node.start_mark.index] in _PROPERTY_STARTS):
        raise _Unproven
    if type(node) is yaml.ScalarNode:
        return _scalar(node.value, node.style)
    if depth >= MAX_DEPTH:
        raise _Unproven
    if type(node) is yaml.SequenceNode:
        return [_copy(item, text, depth + 1) for item in node.value]
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode:
            raise _Unproven
        if text is not None and (key_node.tag or text[key_node.start_mark.index] in _PROPERTY_STARTS):
            raise _Unproven
        key = _scalar(key_node.value, key_node.style)
        # An empty key is not text, "<<" is a merge key, and a key given twice is refused.
        if key is None or key == "<<" or key in mapping:
            raise _Unproven
        value = value_node.value
        if (
            text is None
            and type(value_node) is yaml.ScalarNode
            and not value_node.style
            and len(value) <= MAX_SCALAR_CHARS
        ):
            mapping[key] = value or None  # (a plain value, the most common: `_scalar` without two calls)
        else:
            mapping[key] = _copy(value_node, text, depth + 1)
    return mapping


def _scalar(value: str, style: str | None) -> str | None:
    if len(value) > MAX_SCALAR_CHARS:
        raise _Unproven
    if not style:
        return value or None
    # Only a double-quoted scalar's escapes can make characters that the check of the whole
    # text (in `parse`) has not already refused.
    if style == '"' and _FORBIDDEN_CHARS.search(value):
        raise _Unproven
    return value


# A record is opened without following a link (the walk refuses links, but a file can become
# one before it is read) and without waiting (for a writer to a FIFO, say).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_record(file: str | Path, path: str) -> Document | Problem:
    """Read the record at `file` (shown as `path`): refuse links, special files and big files."""
    return _parse_read(_read_regular_file(file, path), path)


def read_records(records: Sequence[RecordFile]) -> list[Document | Problem]:
    """`read_record` of each record, reading every file before parsing any. System calls
    taking turns with parsing cost more: the processor's caches keep less of either. (Done
    this way, with checking after parsing, reading 20,000 statements took a tenth less.)"""
    raws = [_read_regular_file(record.file, record.path) for record in records]
    return [_parse_read(raw, record.path) for raw, record in zip(raws, records, strict=True)]


def _parse_read(raw: bytes | Problem, path: str) -> Document | Problem:
    if isinstance(raw, Problem):
        return raw
    text = read_text(raw, path)
    if isinstance(text, Problem):
        return text
    return parse(text, path)


def _read_regular_file(file: str | Path, path: str) -> bytes | Problem:
    """The bytes of `file` if it is a regular file of at most MAX_FILE_BYTES. It is opened first
    and then looked at (fstat): an lstat, which looks the path up again, costs more."""
    if not hasattr(os, "O_NOFOLLOW") and os.path.islink(file):  # pragma: no cover - not on POSIX
        return Problem(path, 0, 0, "symbolic links are not allowed", "commit the file itself")
    try:
        descriptor = os.open(file, _OPEN_FLAGS)
    except OSError as error:
        if os.path.islink(file):  # (O_NOFOLLOW refused it)
            return Problem(path, 0, 0, "symbolic links are not allowed", "commit the file itself")
        return Problem(path, 0, 0, f"cannot read the file: {error.strerror}")
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return Problem(path, 0, 0, "not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            return Problem(path, 0, 0, f"the file is {info.st_size} bytes; a record may have {MAX_FILE_BYTES}")
        raw = _read_open(descriptor, MAX_FILE_BYTES + 1, info.st_size)
    finally:
        os.close(descriptor)
    if len(raw) > MAX_FILE_BYTES:
        return Problem(path, 0, 0, f"the file is larger than {MAX_FILE_BYTES} bytes")
    return raw


def _read_open(descriptor: int, limit: int, expected: int) -> bytes:
    """The first `limit` bytes of the open regular file `descriptor`, expected to be `expected`
    bytes long (os.read costs half as much as open() and its buffers). Each read is asked for
    little more than can come: os.read makes a buffer of the size asked for, and one of `limit`
    bytes costs more than reading a small file. A regular file gives less than asked for only
    at its end, so a file read whole in one go takes one read."""
    chunks: list[bytes] = []
    size = 0
    request = min(limit, expected + 1)  # (one byte more, to see a file that has grown)
    while size < limit:
        chunk = os.read(descriptor, request)
        chunks.append(chunk)
        size += len(chunk)
        if len(chunk) < request:
            break
        request = min(limit - size, 65_536)
    return b"".join(chunks)


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


class RecordFile(NamedTuple):
    """A record file found under the records folder, before it is read. (A named tuple: tens of
    thousands are made at every start, and a frozen dataclass costs nearly three times as much to make.)"""

    kind: str  # one of RECORD_KINDS
    id: str  # the file's stem
    file: str  # its path on disk: a string, cheaper than a Path to make, hash and compare
    path: str  # as shown to contributors
    folder_parts: tuple[str, ...]  # folders between the kind folder and the file


def walk(root: Path, shown_as: str) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Every regular file under `root` as (file, path relative to root), sorted, and a
    problem for each symbolic link or special file found, which is never followed: a link
    could publish any file of the build machine."""
    found, problems = _walk(root, shown_as)
    return [(Path(file), Path(*parts)) for file, parts in found], problems


def _walk(root: Path, shown_as: str) -> tuple[list[tuple[str, tuple[str, ...]]], list[Problem]]:
    """`walk`, giving each file as a string and its path relative to root as its parts: Path
    objects cost more than the rest of a walk."""
    files: list[tuple[str, tuple[str, ...]]] = []
    problems: list[Problem] = []
    _walk_folder(os.fspath(root), (), shown_as, files, problems)
    return files, problems


def _walk_folder(
    folder: str,
    parts: tuple[str, ...],
    shown_as: str,
    files: list[tuple[str, tuple[str, ...]]],
    problems: list[Problem],
) -> None:
    """A folder's files in name order, then its subfolders' (as `os.walk` gives them); a
    folder that cannot be listed is skipped, as `os.walk` does."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=operator.attrgetter("name"))
    except OSError:
        return
    subfolders: list[os.DirEntry[str]] = []
    for entry in entries:
        # The entry's type comes from the directory listing, without following links.
        if entry.is_symlink():
            shown = "/".join((shown_as, *parts, entry.name))
            problems.append(Problem(shown, 0, 0, "symbolic links are not allowed", "commit the file itself"))
        elif entry.is_file(follow_symlinks=False):
            files.append((entry.path, (*parts, entry.name)))
        elif entry.is_dir(follow_symlinks=False):
            subfolders.append(entry)
        else:
            problems.append(Problem("/".join((shown_as, *parts, entry.name)), 0, 0, "not a regular file"))
    for entry in subfolders:
        _walk_folder(entry.path, (*parts, entry.name), shown_as, files, problems)


def find_records(root: Path, shown_as: str) -> tuple[list[RecordFile], list[Problem]]:
    """Every `*.yml` record under `root`, sorted, and problems with anything else found there."""
    if not root.is_dir():
        return [], [Problem(shown_as, 0, 0, "the records folder does not exist")]
    files, problems = _walk(root, shown_as)
    found: list[RecordFile] = []
    for file, parts in files:
        shown = "/".join((shown_as, *parts))
        name = parts[-1]
        if len(parts) == 1:
            if name.lower() != "readme.md":
                problems.append(Problem(shown, 0, 0, "files here must be inside a kind folder"))
        elif parts[0] not in RECORD_KINDS:
            problems.append(Problem(shown, 0, 0, f"unknown folder; records live in {', '.join(RECORD_KINDS)}"))
        elif not name.endswith(".yml"):
            hint = "rename it to .yml" if name.endswith(".yaml") else "records are .yml files"
            problems.append(Problem(shown, 0, 0, "not a record file", hint))
        else:
            found.append(RecordFile(parts[0], name[:-4], file, shown, parts[1:-1]))
    return found, sorted(problems)


class ReadCache:
    """Records already read and checked, by file: `mkdocs serve` keeps one across rebuilds so
    that an edit re-reads and re-checks only the files whose size or modification time changed."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int], Document | Problem]] = {}
        self.reads = 0  # files actually read, for tests and benchmarks
        # What the validator made of each file's document (its own checks, see validate.py):
        # (the document, what else the result depends on, the result). It is used only while
        # `read` still gives back that very document, so an edit is checked again.
        self.checked: dict[str, tuple[Document, object, object]] = {}
        self.checks = 0  # records actually checked, for tests and benchmarks
        self.validated: Any = None  # the last whole validation's result and state (validate.revalidate)

    def read(self, file: str | Path, path: str) -> Document | Problem:
        """`read_record(file, path)`, unless the file is unchanged since it was last read."""
        cached, stamp = self.lookup(file, path)
        if cached is not None:
            return cached
        result = read_record(file, path)
        if stamp is not None:
            self.store(file, stamp, result)
        return result

    def lookup(self, file: str | Path, path: str) -> tuple[Document | Problem | None, tuple[int, int] | None]:
        """(what `read` gave last time, None) while the file is unchanged; else (None, the
        file's stamp to `store` with what reading it now gives), or (None, None) when it
        cannot even be looked at (reading it then gives the problem, which is not kept)."""
        try:
            info = os.lstat(file)
        except OSError:
            return None, None
        stamp = (info.st_mtime_ns, info.st_size)
        cached = self._entries.get(os.fspath(file))
        if cached is not None and cached[0] == stamp and getattr(cached[1], "path", None) == path:
            return cached[1], None
        return None, stamp

    def store(self, file: str | Path, stamp: tuple[int, int], result: Document | Problem) -> None:
        """Keep what reading `file` gave, its stamp taken (by `lookup`) before reading it."""
        self.reads += 1
        self._entries[os.fspath(file)] = (stamp, result)
