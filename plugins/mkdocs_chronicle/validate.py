"""Check records against their schemas and each other; build the `Chronicle` when all is well.

Every problem is collected with its place and returned; nothing here raises on bad input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import gc
import json
import operator
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from . import fanout
from .load import Document, ReadCache, RecordFile, find_records, read_records
from .markup import MAX_MARKDOWN_CHARS, markdown_problem
from .model import Actor, Chronicle, Citation, Claim, ClaimLink, Role, Source, Statement, Verdict, assemble
from .problems import Problem, did_you_mean

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
SCHEMA_NAMES = {"actors": "actor", "claims": "claim", "sources": "source", "statements": "statement"}
# Names that Windows refuses as file names, whatever the extension.
RESERVED_IDS = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")
# Fields a reader sees as a name or title: no invisible (format) characters at all.
NAME_FIELDS = {"name", "aliases", "title", "publisher", "role", "venue", "place"}
# Bidirectional overrides and isolates reorder what a reader sees; refused in every field.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
MARKDOWN_FIELDS = {"annotation", "summary"}
# From how many files to read a cold folder on every core (see `_read_all`): below that,
# starting a process costs more than it saves.
PARALLEL_MIN_FILES = 2000


def identity_key(record_id: str) -> str:
    """What two ids must not share: the same letters after Unicode normalisation and case
    folding, invisible characters removed (`Ben`, `ben` and `be\u200bn` are one id)."""
    if record_id.isascii():  # (NFKC leaves ASCII as it is, and it has no invisible characters)
        return record_id.casefold()
    folded = unicodedata.normalize("NFKC", record_id).casefold()
    return "".join(c for c in folded if unicodedata.category(c) != "Cf")


def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one record kind ("actor", "claim", "source", "statement")."""
    text = resources.files(__package__).joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_VALIDATORS = {folder: jsonschema.Draft202012Validator(load_schema(name)) for folder, name in SCHEMA_NAMES.items()}


def inline_refs(schema: Any, defs: dict[str, Any] | None = None) -> Any:
    """`schema` with each `{"$ref": "#/$defs/NAME"}` replaced by that definition: the compiled
    check then makes no function call per referenced value. A `$ref` may stand beside
    annotations only (in draft 2020-12 other keywords beside it would apply as well)."""
    defs = schema.get("$defs", {}) if defs is None else defs
    if isinstance(schema, list):
        return [inline_refs(item, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref: str = schema["$ref"]
        if not ref.startswith("#/$defs/") or set(schema) - {"$ref", "description"}:
            raise ValueError(f"cannot inline {schema}")
        return inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
    return {key: inline_refs(value, defs) for key, value in schema.items() if key != "$defs"}


# The same schemas compiled to plain Python, many times faster: every record is checked with
# these first and only a record they refuse goes to jsonschema, whose errors make the
# messages. The schemas use only keywords that mean the same in both (tests/test_validate.py
# checks that); no defaults are filled in and formats are not asserted, as in jsonschema.
_FAST_VALIDATORS = {
    folder: fastjsonschema.compile(inline_refs(load_schema(name)), use_default=False, use_formats=False)
    for folder, name in SCHEMA_NAMES.items()
}


@dataclass(frozen=True)
class Result:
    """What validation found: the chronicle when there is no error, and every problem."""

    chronicle: Chronicle | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def today() -> dt.date:
    """The date the build happens on: from SOURCE_DATE_EPOCH when set, for reproducibility."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def validate_folder(root: Path, shown_as: str | None = None, cache: ReadCache | None = None) -> Result:
    """Read and check every record under `root` (shown in messages as `shown_as`); with a
    `cache`, files unchanged since the cache read them are not read or checked again."""
    with _no_cycle_collection():
        return _validate_folder(root, shown_as or root.as_posix(), cache)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector. Reading builds millions of small dicts, lists and
    tuples that all stay alive, and the collector would go over them again and again (a
    fifth of the time at 20,000 records); they form no reference cycles, so nothing is
    left for it to free. Afterwards they are moved to the oldest generation, which is where
    they would end up (freeze, then unfreeze, does that without looking at them): else the
    first collection after this goes over every one of them, for nothing. The collector is
    switched back on only if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _validate_folder(root: Path, shown_as: str, cache: ReadCache | None) -> Result:
    files, problems = find_records(root, shown_as)
    builder = _Builder(problems, today())
    builder.expect(files)
    _read_all(files, cache, builder)
    return builder.finish(files, cache)


def _read_all(files: list[RecordFile], cache: ReadCache | None, builder: _Builder) -> None:
    """Read each file (`cache.read` or `read_records`) and add it to `builder`. When many files
    need reading (a cold start), forked workers help: each reads and also checks its files on
    their own (`_read_and_check`), which the builder then uses instead of checking them
    again; and each share of records is added the moment it is here, while the workers go on."""
    todo: list[tuple[int, tuple[int, int] | None]] = []  # (index, stamp to keep it with)
    for i, record in enumerate(files):
        if cache is None:
            todo.append((i, None))
            continue
        cached, stamp = cache.lookup(record.file, record.path)
        if cached is not None:
            builder.add(record, cached, None, cache)
        else:
            todo.append((i, stamp))

    def add(start: int, done: list[tuple[Document | Problem, _Checked | None]]) -> None:
        for (i, stamp), (read, checked) in zip(todo[start : start + len(done)], done, strict=True):
            if cache is not None and stamp is not None:
                cache.store(files[i].file, stamp, read)
            builder.add(files[i], read, checked, cache)

    workers = fanout.workers_for(len(todo), PARALLEL_MIN_FILES)
    records = [files[i] for i, _ in todo]
    if workers:
        # (Workers are forked after `expect`: they know which records the builder refuses.)
        fanout.map_ordered(lambda share: _read_and_check(share, builder.today, builder.refused), records, workers, add)
    else:
        add(0, [(read, None) for read in read_records(records)])


def _read_and_check(
    records: Sequence[RecordFile], day: dt.date, refused: set[str]
) -> list[tuple[Document | Problem, _Checked | None]]:
    """Each record read (lean, once checked), and what it gives on its own when its file could
    be read and it is not `refused` (see `_Builder.expect`: the builder never checks those).
    Every record is read before any is checked, as `read_records` reads every file before
    parsing any, and for the same reason."""
    done: list[tuple[Document | Problem, _Checked | None]] = []
    for record, read in zip(records, read_records(records), strict=True):
        if isinstance(read, Problem) or record.path in refused:
            done.append((read, None))
        else:
            checked = _check_record(record, read, day)
            done.append((read.lean(), checked))  # (its data is not needed again, see Document.lean)
    return done


DUPLICATE = "looks like a duplicate of "


@dataclass
class _Validated:
    """The last whole validation with a cache, and no error: what `revalidate` starts from."""

    records: dict[str, RecordFile]  # by file on disk
    builder: _Builder
    result: Result


def revalidate(changed: Iterable[str], cache: ReadCache) -> Result | None:
    """What `validate_folder` would give now, from its last result with this `cache`, when
    only the statement files `changed` (paths on disk) were edited in place: each is read and
    checked, and so are its references and its near-duplicates. None when it cannot be done
    that way and the folder must be validated whole: no earlier result, another day, a file
    added, removed or of another kind, or any error (the whole validation words them all).
    `mkdocs serve` knows which files changed from its watcher (watch.py)."""
    last = cache.validated
    if last is None or last.builder.today != today():
        return None
    records = []
    for file in set(changed):
        record = last.records.get(file)
        if record is None or record.kind != "statements":
            return None
        records.append(record)
    builder = last.builder.copy()
    paths = {r.path for r in records}
    problems = [p for p in last.result.problems if p.path not in paths]
    groups = set()
    moved = False  # whether an edited statement changed its place in time order
    for record in records:
        document = cache.read(record.file, record.path)
        if isinstance(document, Problem):
            return None
        checked = _checked(record, document, builder.today, cache)
        statement = checked.made
        if not checked.fits or not isinstance(statement, Statement):
            return None
        before = builder.statements.get(record.id)
        if before is None:
            return None
        groups.update({(before.actor, before.day), (statement.actor, statement.day)})
        moved = moved or before.sort_key != statement.sort_key
        builder.documents[record.path] = document
        builder.statements[record.id] = statement
        problems += checked.problems
        problems += builder.statement_problems(statement)
    if any(p.severity == "error" for p in problems):
        return None
    # A near-duplicate is reported on the later of two statements by one actor on one day.
    in_groups = {s.path for s in builder.statements.values() if (s.actor, s.day) in groups}
    problems = [p for p in problems if not (p.path in in_groups and p.message.startswith(DUPLICATE))]
    builder.problems = problems
    builder.near_duplicates(s for s in builder.statements.values() if (s.actor, s.day) in groups)
    chronicle = last.result.chronicle
    assert chronicle is not None  # (kept only without errors)
    if moved:
        statements = tuple(sorted(builder.statements.values(), key=operator.attrgetter("sort_key")))
    else:  # each in the place of the statement it replaces (sorting 20,000 again took a tenth of a second)
        statements = tuple(builder.statements[s.id] for s in chronicle.statements)
    problems.sort()
    result = Result(Chronicle(chronicle.actors, chronicle.claims, chronicle.sources, statements), problems)
    cache.validated = _Validated(last.records, builder, result)
    return result


def _twins(files: list[RecordFile], problems: list[Problem]) -> set[str]:
    """The paths of the records refused because another record of their kind already has
    their id, also when they differ only by case, Unicode form or invisible characters (a
    well-formed id is kept), each reported in `problems`."""
    first: dict[tuple[str, str], RecordFile] = {}
    groups: dict[tuple[str, str], list[RecordFile]] = {}  # only ids given more than once (seldom)
    for record in files:
        key = (record.kind, identity_key(record.id))
        seen = first.setdefault(key, record)
        if seen is not record:
            groups.setdefault(key, [seen]).append(record)
    twins: set[str] = set()
    for group in groups.values():
        keep, *others = sorted(group, key=lambda r: (not ID_PATTERN.match(r.id), r.path))
        for other in others:
            twins.add(other.path)
            how = "" if other.id == keep.id else " but for case, Unicode form or invisible characters"
            problems.append(
                Problem(other.path, 0, 0, f"the id '{other.id}' is already used by {keep.path}{how}", "rename one file")
            )
    return twins


class _Builder:
    """Builds the chronicle: `expect` the record files, `add` each as it is read (in any
    order), then `finish`."""

    def __init__(self, problems: list[Problem], today: dt.date) -> None:
        self.problems = problems
        self.today = today
        self.actors: dict[str, Actor] = {}
        self.claims: dict[str, Claim] = {}
        self.sources: dict[str, Source] = {}
        self.statements: dict[str, Statement] = {}
        self.documents: dict[str, Document] = {}  # by record path, for locating cross-reference problems
        # Every well-named record by kind, valid or not, so that one broken record is reported
        # once rather than again as "unknown" wherever it is referenced.
        self.ids: dict[str, dict[str, str]] = {kind: {} for kind in SCHEMA_NAMES}
        self.refused: set[str] = set()  # the paths of records not to add: twins, wrong ids or folders
        self.by_actor_day: dict[tuple[str, dt.date], list[Statement]] = {}  # for `finish`'s warnings

    # -- one record ------------------------------------------------------------------------

    def expect(self, files: list[RecordFile]) -> None:
        """Take note of every record file before any is added: refuse twins and wrong ids or
        folders, and know every id, so that a record's references are checked when it is added."""
        self.refused = _twins(files, self.problems)
        for record in files:
            if record.path in self.refused:
                continue
            refusal = _identity_refusal(record)
            if refusal is None:
                self.ids[record.kind][record.id] = record.path
            else:
                self.refused.add(record.path)
                self.problems.append(Problem(record.path, 0, 0, *refusal))

    def add(
        self, record: RecordFile, read: Document | Problem, checked: _Checked | None, cache: ReadCache | None
    ) -> None:
        """Add an expected record as read (a problem, when it could not be); `checked` is what a
        worker found checking this very document on its own, if one did (see _read_and_check)."""
        if isinstance(read, Problem):
            self.problems.append(read)
            return
        if record.path in self.refused:
            return
        checked = _checked(record, read, self.today, cache, checked)
        self.problems.extend(checked.problems)
        if not checked.fits:
            return
        self.documents[record.path] = read
        made = checked.made
        if made is None:
            return
        by_id: dict[str, Any] = getattr(self, record.kind)  # self.actors, self.claims...
        by_id[record.id] = made
        if isinstance(made, Statement):
            self.by_actor_day.setdefault((made.actor, made.day), []).append(made)
            if not self._references_known(made):
                self.problems += self.statement_problems(made)

    def copy(self) -> _Builder:
        """Another builder with the same records and problems, to change without changing this one."""
        other = _Builder(list(self.problems), self.today)
        other.actors, other.claims, other.sources = self.actors, self.claims, self.sources  # not changed
        other.statements, other.documents = dict(self.statements), dict(self.documents)
        other.ids = self.ids  # the same files: the same ids
        return other

    def finish(self, files: list[RecordFile], cache: ReadCache | None) -> Result:
        """The result, once every record of `files` is added (kept in `cache`, without errors)."""
        chronicle = self.cross_check()
        self.problems.sort()
        has_errors = any(p.severity == "error" for p in self.problems)
        result = Result(None if has_errors else chronicle, self.problems)
        if cache is not None:
            # (Without errors, no record was refused: each of `files` was added.)
            cache.validated = None if has_errors else _Validated({r.file: r for r in files}, self, result)
        return result

    # -- across records --------------------------------------------------------------------

    def _reference_problem(self, path: str, where: tuple[str | int, ...], kind: str, ref: str, folder: str) -> Problem:
        known = self.ids[folder]
        return self.documents[path].problem(where, f"unknown {kind} '{ref}'", did_you_mean(ref, known), at_value=True)

    def _references_known(self, statement: Statement) -> bool:
        """Whether every record a statement refers to exists and it answers no statement: the
        usual case, told without making `statement_problems`' lists."""
        if statement.responds_to or statement.actor not in self.ids["actors"]:
            return False
        sources, claims = self.ids["sources"], self.ids["claims"]
        return all([c.source in sources for c in statement.sources]) and all(
            [c.claim in claims for c in statement.claims]
        )

    def statement_problems(self, statement: Statement) -> list[Problem]:
        """What is wrong with a statement's references to other records."""
        check = self._reference_problem
        found = []
        if statement.actor not in self.ids["actors"]:
            found.append(check(statement.path, ("actor",), "actor", statement.actor, "actors"))
        for i, citation in enumerate(statement.sources):
            if citation.source not in self.ids["sources"]:
                found.append(check(statement.path, ("sources", i, "source"), "source", citation.source, "sources"))
        for i, link in enumerate(statement.claims):
            if link.claim not in self.ids["claims"]:
                found.append(check(statement.path, ("claims", i, "claim"), "claim", link.claim, "claims"))
        for i, other in enumerate(statement.responds_to):
            if other not in self.ids["statements"]:
                found.append(check(statement.path, ("responds_to", i), "statement", other, "statements"))
            if other == statement.id:
                found.append(
                    self.documents[statement.path].problem(("responds_to", i), "a statement cannot respond to itself")
                )
        return found

    def cross_check(self) -> Chronicle:
        def check(path: str, where: tuple[str | int, ...], kind: str, ref: str, folder: str) -> None:
            if ref not in self.ids[folder]:
                self.problems.append(self._reference_problem(path, where, kind, ref, folder))

        for actor in self.actors.values():
            if actor.affiliation is not None:
                check(actor.path, ("affiliation",), "actor", actor.affiliation, "actors")
                if actor.affiliation == actor.id:
                    self.problems.append(
                        self.documents[actor.path].problem(("affiliation",), "an actor cannot be its own affiliation")
                    )
        for claim in self.claims.values():
            for i, verdict in enumerate(claim.verdicts):
                for j, citation in enumerate(verdict.sources):
                    check(claim.path, ("verdicts", i, "sources", j, "source"), "source", citation.source, "sources")
        self._warn()
        return Chronicle(
            actors=dict(sorted(self.actors.items())),
            claims=dict(sorted(self.claims.items())),
            sources=dict(sorted(self.sources.items())),
            statements=tuple(sorted(self.statements.values(), key=operator.attrgetter("sort_key"))),
        )

    def _warn(self) -> None:
        """What a reviewer would ask about, without failing the build."""
        for source in self.sources.values():
            document = self.documents[source.path]
            if source.accessed is None:
                self.problems.append(
                    document.problem((), "the source has no access date", "add accessed: YYYY-MM-DD", "warning")
                )
            if source.archive_url is None:
                self.problems.append(
                    document.problem(
                        (), "the source has no archive_url", "add an archived copy's address if one exists", "warning"
                    )
                )
        self._near_duplicates(self.by_actor_day)

    def near_duplicates(self, statements: Iterable[Statement]) -> None:
        """Warn of statements by one actor on one day in nearly the same words."""
        by_actor_day: dict[tuple[str, dt.date], list[Statement]] = {}
        for statement in statements:
            by_actor_day.setdefault((statement.actor, statement.day), []).append(statement)
        self._near_duplicates(by_actor_day)

    def _near_duplicates(self, by_actor_day: dict[tuple[str, dt.date], list[Statement]]) -> None:
        for group in by_actor_day.values():
            if len(group) == 1:  # the usual case
                continue
            group.sort(key=operator.attrgetter("path"))
            for i, later in enumerate(group):
                for earlier in group[:i]:
                    if _near_duplicate(earlier.text, later.text):
                        self.problems.append(
                            self.documents[later.path].problem(
                                ("text",),
                                f"{DUPLICATE}{earlier.path} (same actor, day and nearly the same words)",
                                "merge them, or say how they differ",
                                "warning",
                            )
                        )


def _identity_refusal(record: RecordFile) -> tuple[str, str] | None:
    """What is wrong with a record's id or folder, as (message, hint), or None."""
    if not ID_PATTERN.match(record.id):
        return (
            f"'{record.id}' is not a valid record id",
            "name the file with lowercase letters, digits and hyphens, like ben-wallace.yml",
        )
    if RESERVED_IDS.match(record.id):
        return f"'{record.id}' is a reserved file name on Windows", "choose another id"
    if record.kind == "statements":
        if len(record.folder_parts) != 3:
            return "a statement lives in statements/YYYY/MM/DD/", "move it to the folder of its date"
    elif record.folder_parts:
        return f"{record.kind} records live directly in {record.kind}/", "move it up"
    return None


class _Maker:
    """Makes the model object of one record whose fields fit its schema, collecting the
    problems that the schema cannot see (impossible dates, a date in the wrong folder...)."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.problems: list[Problem] = []

    def _date(self, document: Document, path: tuple[str | int, ...], text: str) -> dt.date | None:
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            self.problems.append(document.problem(path, f"'{text}' is not a calendar date", at_value=True))
            return None
        # A day's grace: an editor east of UTC may already be living in tomorrow.
        if value > self.today + dt.timedelta(days=1):
            self.problems.append(document.problem(path, f"{text} is in the future", at_value=True))
        return value

    def actors(self, record: RecordFile, document: Document, data: dict[str, Any]) -> Actor:
        roles = []
        for i, role in enumerate(data.get("roles") or []):
            start = self._date(document, ("roles", i, "from"), role["from"]) if "from" in role else None
            end = self._date(document, ("roles", i, "to"), role["to"]) if "to" in role else None
            if start and end and end < start:
                self.problems.append(document.problem(("roles", i, "to"), "a role cannot end before it starts"))
            roles.append(Role(role["title"], start, end))
        return Actor(
            id=record.id,
            path=record.path,
            name=data["name"],
            kind=data["kind"],
            aliases=tuple(data.get("aliases") or ()),
            country=data.get("country"),
            affiliation=data.get("affiliation"),
            roles=tuple(roles),
            wikidata=data.get("wikidata"),
            description=data.get("description"),
        )

    def claims(self, record: RecordFile, document: Document, data: dict[str, Any]) -> Claim:
        verdicts = []
        for i, verdict in enumerate(data.get("verdicts") or []):
            day = self._date(document, ("verdicts", i, "date"), verdict["date"])
            if day is None:
                continue
            citations = _citations(verdict["sources"])
            verdicts.append(Verdict(day, verdict["rating"], verdict["note"], citations))
        return Claim(
            id=record.id,
            path=record.path,
            title=data["title"],
            summary=data.get("summary"),
            verdicts=tuple(sorted(verdicts, key=lambda v: v.date)),
        )

    def sources(self, record: RecordFile, document: Document, data: dict[str, Any]) -> Source:
        dates = {k: self._date(document, (k,), data[k]) for k in ("published", "accessed") if k in data}
        return Source(
            id=record.id,
            path=record.path,
            title=data["title"],
            publisher=data["publisher"],
            url=data["url"],
            published=dates.get("published"),
            accessed=dates.get("accessed"),
            archive_url=data.get("archive_url"),
            language=data.get("language"),
            kind=data.get("kind"),
            via=tuple(data.get("via") or ()),
        )

    def statements(self, record: RecordFile, document: Document, data: dict[str, Any]) -> Statement | None:
        text = data["date"]
        moment = None
        if "T" in text:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                self.problems.append(
                    document.problem(("date",), f"'{text}' is not a calendar date and time", at_value=True)
                )
                return None
        day = self._date(document, ("date",), text[:10])
        if day is None:
            return None
        expected = (text[0:4], text[5:7], text[8:10])  # (the schema's pattern: YYYY-MM-DD...)
        if record.folder_parts != expected:
            self.problems.append(
                document.problem(
                    ("date",),
                    f"the date {day.isoformat()} does not match the folder statements/{'/'.join(record.folder_parts)}/",
                    f"move the file to statements/{'/'.join(expected)}/ or correct the date",
                )
            )
        if "translation" in data and "language" not in data:
            self.problems.append(
                document.problem(("translation",), "a translation needs the original's language", "add language:")
            )
        seen: set[str] = set()
        for i, link in enumerate(data.get("claims") or []):
            if link["claim"] in seen:
                self.problems.append(
                    document.problem(("claims", i, "claim"), f"the claim '{link['claim']}' is listed twice")
                )
            seen.add(link["claim"])
        # (Every field is given: see `assemble`.)
        return assemble(
            Statement,
            {
                "id": record.id,
                "path": record.path,
                "day": day,
                "moment": moment,
                "actor": data["actor"],
                "text": data["text"],
                "sources": _citations(data["sources"]),
                "kind": data.get("kind", "quote"),
                "role": data.get("role"),
                "venue": data.get("venue"),
                "place": data.get("place"),
                "language": data.get("language"),
                "translation": data.get("translation"),
                "claims": tuple([ClaimLink(c["claim"], c["stance"]) for c in data.get("claims") or ()]),
                "responds_to": tuple(data.get("responds_to") or ()),
                "annotation": data.get("annotation"),
                "date_note": data.get("date_note"),
                "tags": tuple(data.get("tags") or ()),
            },
        )


@dataclass(frozen=True)
class _Checked:
    """What one record gives on its own, whatever the other records say: its problems and,
    when its fields fit its schema (`fits`), the model object made from them (None when a
    date could not be read)."""

    problems: tuple[Problem, ...]
    fits: bool
    made: Actor | Claim | Source | Statement | None


def _check_record(record: RecordFile, document: Document, today: dt.date) -> _Checked:
    """Check one record against its schema and make its model object."""
    problems = _schema_problems(record.kind, document) + _text_problems(document)
    if problems:
        return _Checked(tuple(problems), False, None)
    maker = _Maker(today)
    make: Callable[[RecordFile, Document, dict[str, Any]], Any] = getattr(maker, record.kind)
    made = make(record, document, document.data)
    return _Checked(tuple(maker.problems), True, made)


def _checked(
    record: RecordFile, document: Document, today: dt.date, cache: ReadCache | None, found: _Checked | None = None
) -> _Checked:
    """`_check_record`, or what it gave for this same document on the same day: the cache gives
    back the very same `Document` while its file is unchanged. What a worker `found` when it
    read the document counts as checking it now."""
    key = (record, today)
    if cache is not None:
        entry = cache.checked.get(record.file)
        if entry is not None and entry[0] is document and entry[1] == key and isinstance(entry[2], _Checked):
            return entry[2]
    checked = found if found is not None else _check_record(record, document, today)
    if cache is not None:
        cache.checks += 1
        cache.checked[record.file] = (document, key, checked)
    return checked


def _schema_problems(kind: str, document: Document) -> list[Problem]:
    """The record's schema errors, in words: none when the compiled schema accepts it."""
    try:
        _FAST_VALIDATORS[kind](document.data)
    except fastjsonschema.JsonSchemaValueException:
        return [_schema_problem(document, e) for e in _VALIDATORS[kind].iter_errors(document.data)]
    return []


def _text_problems(document: Document) -> list[Problem]:
    """Characters that hide or reorder what a reader sees, and Markdown too costly to render."""
    problems: list[Problem] = []
    strings: list[tuple[tuple[str | int, ...], str]] = []
    data, source = document.data, document.places.text
    if source is not None and isinstance(data, dict) and source.isascii() and "\\" not in source:
        # Read from an ASCII text without escapes, every value is ASCII: only Markdown is
        # left to check, and only at the top (isascii costs nothing: a str knows).
        strings = [((key,), value) for key, value in data.items() if key in MARKDOWN_FIELDS and isinstance(value, str)]
    else:
        if isinstance(data, str):
            strings.append(((), data))
        _texts_to_check(data, (), strings)
    for path, text in strings:
        # No ASCII character is a direction control or a format (Cf) character.
        if not text.isascii():
            field = next((p for p in path if isinstance(p, str)), "")
            bidi = BIDI_CONTROLS.search(text)
            invisible = field in NAME_FIELDS and _format_character(text)
            if bidi or invisible:
                char = bidi.group() if bidi else str(invisible)
                problems.append(
                    document.problem(
                        path, f"invisible or direction-changing character U+{ord(char):04X}", "delete it", at_value=True
                    )
                )
                continue
        if len(path) == 1 and path[0] in MARKDOWN_FIELDS and len(text) <= MAX_MARKDOWN_CHARS:
            costly = markdown_problem(text)  # (the schema reports a text that is too long)
            if costly:
                problems.append(document.problem(path, costly, "shorten or simplify it", at_value=True))
    return problems


def _format_character(text: str) -> str | None:
    """The first format (Cf) character in `text`, or None."""
    if text.isprintable():  # format characters are not printable: no need to look at each
        return None
    return next((c for c in text if unicodedata.category(c) == "Cf"), None)


def _texts_to_check(value: Any, path: tuple[str | int, ...], found: list[tuple[tuple[str | int, ...], str]]) -> None:
    """Add to `found`, with its path, in document order, every text inside the dict or list
    `value` that `_text_problems` has something to check in: one with a non-ASCII character,
    or Markdown. (Paths are made only for those: making one for every value cost more than
    all the checks.)"""
    items: Iterable[tuple[str | int, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        if isinstance(item, str):
            if not item.isascii() or (not path and key in MARKDOWN_FIELDS):
                found.append(((*path, key), item))
        else:
            _texts_to_check(item, (*path, key), found)


def _citations(items: list[dict[str, str]]) -> tuple[Citation, ...]:
    return tuple([Citation(c["source"], c.get("locator")) for c in items])  # (a list: faster than a generator)


def _near_duplicate(a: str, b: str) -> bool:
    words_a, words_b = a.casefold().split(), b.casefold().split()
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    # The quick ratios are upper bounds of ratio() and much cheaper: most pairs stop there.
    return matcher.real_quick_ratio() >= 0.9 and matcher.quick_ratio() >= 0.9 and matcher.ratio() >= 0.9


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of fields"}


def _schema_problem(document: Document, error: jsonschema.ValidationError) -> Problem:
    """Turn a JSON Schema error into words a contributor can act on."""
    path = tuple(error.absolute_path)
    value: Any = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return document.problem(path, f"missing required field '{missing}'", f"add {missing}:")
    if error.validator == "additionalProperties":
        known = schema.get("properties", {})
        name = sorted(k for k in value if k not in known)[0]
        hint = did_you_mean(name, known) or f"known fields: {', '.join(known)}"
        return document.problem((*path, name), f"unknown field '{name}'", hint)
    message, hint = _schema_message(error, f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this value")
    # A bad value is pointed at itself; a missing or misshapen one at its key.
    return document.problem(path, message, hint, at_value=error.validator in ("enum", "pattern", "maxLength"))


def _schema_message(error: jsonschema.ValidationError, field: str) -> tuple[str, str]:
    value: Any = error.instance
    limit: Any = error.validator_value
    hint = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    if value is None or error.validator == "minLength":
        return f"{field} is empty", hint
    if error.validator == "type":
        return f"{field} should be {_TYPE_NAMES.get(str(limit), str(limit))}", hint
    if error.validator == "enum":
        choices = [str(c) for c in limit]
        return f"'{value}' is not one of: {', '.join(choices)}", did_you_mean(str(value), choices)
    if error.validator == "pattern":
        return f"'{_short(value)}' is not a valid value for {field}", hint
    if error.validator == "maxLength":
        return f"{field} is too long ({len(value)} characters; at most {limit})", ""
    if error.validator == "minItems":
        return f"{field} needs at least {limit} item(s)", hint
    if error.validator == "uniqueItems":
        return f"{field} lists an item twice", ""
    return error.message, hint


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
