"""The `chronicle` command: check records without building the site."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .problems import format_problems
from .validate import validate_folder


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 clean, 1 problems, 2 usage)."""
    parser = argparse.ArgumentParser(prog="chronicle", description="Work with Crisis Chronicle records.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every record; exit 1 on any problem")
    check.add_argument("folder", nargs="?", default="chronicle", help="the records folder (default: chronicle)")
    args = parser.parse_args(argv)

    folder = Path(args.folder)
    result = validate_folder(folder, args.folder.rstrip("/") or ".")
    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
    if result.errors:
        return 1
    chronicle = result.chronicle
    assert chronicle is not None  # no errors means a chronicle was built
    print(
        f"{args.folder}: {len(chronicle.statements)} statements, {len(chronicle.actors)} actors, "
        f"{len(chronicle.claims)} claims, {len(chronicle.sources)} sources; no problems"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
