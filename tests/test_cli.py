"""`chronicle validate`: what a contributor runs before opening a pull request."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_chronicle.cli", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_the_repository_records_are_clean() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout and result.stderr == ""


def test_a_misspelt_actor_is_located_named_and_corrected(tmp_path: Path) -> None:
    records = shutil.copytree(ROOT / "chronicle", tmp_path / "chronicle")
    record = records / "statements/2022/02/16/wallace-times-radio-no-evidence.yml"
    lines = record.read_text().splitlines()
    line = next(i for i, text in enumerate(lines) if text == "actor: ben-wallace")
    lines[line] = "actor: ben-walace"
    record.write_text("\n".join(lines) + "\n")

    result = run("validate", "chronicle", cwd=tmp_path)

    assert result.returncode == 1
    expected = (
        f"chronicle/statements/2022/02/16/wallace-times-radio-no-evidence.yml:{line + 1}:8: "
        "unknown actor 'ben-walace' (did you mean 'ben-wallace'?)"
    )
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_a_missing_folder_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    result = run("validate", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere:0:0: the records folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("frobnicate").returncode == 2
