"""Problems found in records: values, collected and reported together, never raised."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record, at a place a contributor can find.

    Attributes:
        path: The file, as given to the loader (usually relative to the site).
        line: 1-based line, 0 when the problem concerns the whole file.
        column: 1-based column, 0 when unknown.
        message: What is wrong, in the contributor's terms.
        hint: What to do about it, or "".
        severity: "error" fails the build; "warning" is reported only.
    """

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ChronicleError(Exception):
    """Raised once, at the end, when a chronicle has problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """Every problem on its own line, sorted by place, then a summary line."""
    ordered = sorted(problems)
    errors = sum(1 for p in ordered if p.severity == "error")
    files = len({p.path for p in ordered})
    lines = [str(p) for p in ordered]
    lines.append(f"{errors} error(s), {len(ordered) - errors} warning(s) in {files} file(s)")
    return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known id, or "" when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
