"""The `chronicle` command: check records, and start new ones, without building the site."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import scaffold
from .problems import did_you_mean, format_problems, summary
from .validate import Result, validate_folder

OUTPUT_VERSION = 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 clean, 1 problems, 2 usage)."""
    parser = argparse.ArgumentParser(prog="chronicle", description="Work with Crisis Chronicle records.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("validate", help="check every record; exit 1 on any error")
    check.add_argument("folder", nargs="?", default="chronicle", help="the records folder (default: chronicle)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")

    new = commands.add_parser("new", help="write a new record, asking for what is missing")
    new.add_argument("kind", choices=sorted(scaffold.QUESTIONS), help="the kind of record")
    new.add_argument("--records", default="chronicle", help="the records folder (default: chronicle)")
    new.add_argument("--id", help="the record's id (default: made from its words)")
    for name in sorted({f for kind in scaffold.QUESTIONS.values() for f in kind}):
        new.add_argument(f"--{name.replace('_', '-')}", dest=f"field_{name}", metavar=name.upper())

    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate_command(Path(args.folder), args.folder.rstrip("/") or ".", args.format)
    answers = {k.removeprefix("field_"): v for k, v in vars(args).items() if k.startswith("field_") and v is not None}
    ask = _prompt if sys.stdin.isatty() else None
    return new_command(args.kind, Path(args.records), answers, args.id, ask)


def validate_command(folder: Path, shown_as: str, output: str) -> int:
    """`chronicle validate`: problems on stderr (or JSON on stdout), GitHub annotations in CI."""
    result = validate_folder(folder, shown_as)
    if output == "json":
        print(json.dumps(validation_report(result), indent=2, ensure_ascii=False))
    else:
        if result.problems:
            print(format_problems(result.problems), file=sys.stderr)
        if result.chronicle is not None:
            c = result.chronicle
            print(
                f"{shown_as}: {len(c.statements)} statements, {len(c.actors)} actors, {len(c.claims)} claims, "
                f"{len(c.sources)} sources; {summary(result.problems) if result.problems else 'no problems'}"
            )
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in result.problems:
            print(problem.github_annotation())
    return 1 if result.errors else 0


def validation_report(result: Result) -> dict[str, Any]:
    """The problems as plain data (the shape of schemas/validate-output.schema.json)."""
    c = result.chronicle
    return {
        "version": OUTPUT_VERSION,
        "ok": not result.errors,
        "summary": {
            "errors": len(result.errors),
            "warnings": len(result.problems) - len(result.errors),
            "files": len({p.path for p in result.problems}),
        },
        "counts": None
        if c is None
        else {
            "statements": len(c.statements),
            "actors": len(c.actors),
            "claims": len(c.claims),
            "sources": len(c.sources),
        },
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "message": p.message,
                "hint": p.hint,
            }
            for p in result.problems
        ],
    }


Ask = Callable[[scaffold.Field, str], str]


def new_command(kind: str, records: Path, answers: dict[str, str], record_id: str | None, ask: Ask | None) -> int:
    """`chronicle new KIND`: take the fields given, ask for the rest (or say which are missing),
    check references as they are typed, write the record where it belongs, and validate."""
    known = validate_folder(records, records.as_posix()) if records.is_dir() else None
    ids = {} if known is None or known.chronicle is None else _ids(known)
    if kind == "source":
        answers.setdefault("accessed", dt.date.today().isoformat())
    missing: list[str] = []
    for field in scaffold.fields(kind):
        value = answers.get(field.name)
        while True:
            if value is None and ask is not None:
                value = ask(field, _default(field)) or None
            if value is None:
                if field.required:
                    missing.append(field.name)
                break
            problem = _check_answer(field, value, ids)
            if problem is None:
                answers[field.name] = value
                break
            print(f"{field.name}: {problem}", file=sys.stderr)
            if ask is None:
                return 1
            value = None
    if missing:
        flags = " ".join(f"--{m.replace('_', '-')} ..." for m in missing)
        what = f"missing {', '.join(missing)} (give {flags}, or run it in a terminal)"
        print(f"chronicle new {kind}: {what}", file=sys.stderr)
        return 2
    data = scaffold.record_data(kind, answers)
    record_id = record_id or scaffold.suggest_id(kind, data)
    file = scaffold.record_path(records, kind, record_id, data)
    if file.exists():
        print(f"{file}: already exists; choose another --id (records are never overwritten)", file=sys.stderr)
        return 1
    file.parent.mkdir(parents=True, exist_ok=True)
    schema_dir = records.resolve().parent / "plugins" / "mkdocs_chronicle" / "schemas"
    file.write_text(
        scaffold.record_text(kind, data, file, schema_dir if schema_dir.is_dir() else scaffold.SCHEMA_DIR),
        encoding="utf-8",
    )
    print(f"wrote {file}")
    return validate_command(records, records.as_posix(), "text")


def _ids(result: Result) -> dict[str, set[str]]:
    c = result.chronicle
    assert c is not None
    return {"actor": set(c.actors), "claim": set(c.claims), "source": set(c.sources)}


def _check_answer(field: scaffold.Field, value: str, ids: dict[str, set[str]]) -> str | None:
    if field.choices and value not in field.choices:
        return f"'{value}' is not one of {', '.join(field.choices)}" + _hint(did_you_mean(value, field.choices))
    if field.reference and ids and value not in ids[field.reference]:
        return f"unknown {field.reference} '{value}'" + _hint(did_you_mean(value, ids[field.reference]))
    if field.name == "claims" and ids:
        for link in filter(None, (item.strip() for item in value.split(","))):
            claim, _, stance = link.partition(":")
            if claim not in ids["claim"]:
                return f"unknown claim '{claim}'" + _hint(did_you_mean(claim, ids["claim"]))
            if stance not in ("supports", "disputes", "neutral"):
                return f"'{link}': give the stance as {claim}:supports, {claim}:disputes or {claim}:neutral"
    return None


def _hint(text: str) -> str:
    return f" — {text}" if text else ""


def _default(field: scaffold.Field) -> str:
    return dt.date.today().isoformat() if field.name in ("date", "accessed") else ""


def _prompt(field: scaffold.Field, default: str) -> str:
    label = f"{field.name} ({'required' if field.required else 'optional'})"
    if field.choices:
        label += f" [{'/'.join(field.choices)}]"
    if default:
        label += f" [{default}]"
    print(f"# {field.description}", file=sys.stderr)
    return input(f"{label}: ").strip() or default


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
