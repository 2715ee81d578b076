"""A newcomer follows CONTRIBUTING.md literally in a fresh clone: adds a statement with
`chronicle new`, sees it validate, and sees it on its day, actor and claim pages while serving."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_serve import free_port, serve, wait_for

from conftest import ROOT

pytestmark = pytest.mark.slow


def fresh_clone(dest: Path) -> Path:
    """The files git tracks, as they are now: what a clone of this commit would hold."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def contributing_example() -> str:
    """The `chronicle new` command that CONTRIBUTING.md shows, word for word."""
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    example = next(b for b in blocks if "chronicle new statement --date" in b)
    return example


def test_a_newcomer_adds_a_statement_and_sees_it_served(tmp_path: Path) -> None:
    clone = fresh_clone(tmp_path / "clone")
    # `make install` makes .venv; the one this test runs in is the same installation.
    (clone / ".venv").symlink_to(Path(sys.executable).parent.parent)
    example = contributing_example()
    words = re.search(r'--text "([^"]+)"', example)
    assert words is not None
    added = subprocess.run(["bash", "-c", example], cwd=clone, capture_output=True, text=True, check=False)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "wrote chronicle/statements/2022/02/17/" in added.stdout

    checked = subprocess.run([".venv/bin/chronicle", "validate"], cwd=clone, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

    port = free_port()
    with serve(clone, port):
        base = f"http://127.0.0.1:{port}/"
        for page in ("days/2022-02-17/", "actors/ben-wallace/", "claims/russia-withdrawing-troops/"):
            assert wait_for(base + page, words.group(1), 60), page
    assert os.path.islink(clone / ".venv")
