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
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.path}:{self.line}:{self.column}: {label}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def github_annotation(self) -> str:
        """The problem as a GitHub Actions workflow command, shown on the pull request's diff."""
        where = f"file={_escape(self.path, True)}"
        if self.line:
            where += f",line={self.line}" + (f",col={self.column}" if self.column else "")
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        return f"::{self.severity} {where}::{_escape(text, False)}"


def _escape(text: str, is_property: bool) -> str:
    # GitHub's workflow-command escaping; properties also escape ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def summary(problems: Iterable[Problem]) -> str:
    """ "2 error(s), 1 warning(s) in 3 file(s)"."""
    problems = list(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    files = len({p.path for p in problems})
    return f"{errors} error(s), {len(problems) - errors} warning(s) in {files} file(s)"


def format_problems(problems: Iterable[Problem]) -> str:
    """Every problem on its own line, sorted by place and grouped by file, then a summary."""
    ordered = sorted(problems)
    lines: list[str] = []
    for i, problem in enumerate(ordered):
        if i and problem.path != ordered[i - 1].path:
            lines.append("")
        lines.append(str(problem))
    lines.append(summary(ordered))
    return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known id, or "" when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
