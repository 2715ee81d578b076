"""Shared fixtures: small chronicles written into temporary folders, and real site builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A tiny but complete chronicle: every kind of record and every cross-reference.
MINI = {
    "actors/ben-wallace.yml": """
        name: Ben Wallace
        kind: person
        country: GB
        affiliation: uk-government
        roles:
          - title: UK Defence Secretary
    """,
    "actors/uk-government.yml": """
        name: UK government
        kind: government
        country: GB
    """,
    "actors/russian-defence-ministry.yml": """
        name: Russian Defence Ministry
        kind: government
        aliases: [Russian Defense Ministry]
    """,
    "claims/russia-withdrawing-troops.yml": """
        title: Russia has begun withdrawing troops from areas near Ukraine's border.
        verdicts:
          - date: 2022-02-16
            rating: unproven
            note: No evidence of a withdrawal was seen.
            sources:
              - source: report
    """,
    "sources/report.yml": """
        title: A report
        publisher: A publisher
        url: https://example.org/report
        published: 2022-02-16
        accessed: 2022-02-16
        archive_url: https://archive.example.org/report
    """,
    "statements/2022/02/16/crimea-video.yml": """
        date: 2022-02-16
        actor: russian-defence-ministry
        kind: action
        text: Published video of units leaving Crimea.
        sources:
          - source: report
        claims:
          - claim: russia-withdrawing-troops
            stance: supports
    """,
    "statements/2022/02/16/wallace-no-evidence.yml": """
        date: 2022-02-16T09:00:00+00:00
        actor: ben-wallace
        role: UK Defence Secretary
        text: We haven't seen any evidence at the moment of that withdrawal.
        sources:
          - source: report
            locator: paragraph 4
        claims:
          - claim: russia-withdrawing-troops
            stance: disputes
        responds_to:
          - crimea-video
        annotation: See [the report](https://example.org/report).
    """,
    "statements/2022/02/17/wallace-later.yml": """
        date: 2022-02-17
        actor: ben-wallace
        kind: paraphrase
        text: Still no evidence.
        sources:
          - source: report
    """,
}


def write_records(root: Path, records: dict[str, str | None]) -> Path:
    """Write records (path → YAML text, dedented; None deletes) under `root` and return it."""
    for rel, text in records.items():
        file = root / rel
        if text is None:
            file.unlink(missing_ok=True)
            continue
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh copy of the mini chronicle; tests change it with write_records."""
    return write_records(tmp_path / "chronicle", MINI)


def copy_project(dest: Path, records: Path | None = None) -> Path:
    """The site's files (config, pages, templates, records) copied to `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy2(ROOT / name, dest / name)
    for folder in ("content", "overrides"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copytree(records or ROOT / "chronicle", dest / "chronicle")
    return dest


@dataclass
class Build:
    site: Path
    returncode: int
    log: str

    def page(self, url: str) -> str:
        """The HTML of the page at a site URL such as 'days/2022-02-16/'."""
        path = self.site / url
        return (path / "index.html" if url.endswith("/") or not url else path).read_text("utf-8")


def mkdocs_build(project: Path, site: Path, *extra: str, env: dict[str, str] | None = None) -> Build:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1800000000", "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    return Build(site, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real site, built once from the repository's own records."""
    build = mkdocs_build(ROOT, tmp_path_factory.mktemp("site") / "site")
    assert build.returncode == 0, build.log
    return build
