"""`chronicle validate` and `chronicle new`: what a contributor runs before opening a pull request."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, write_records
from mkdocs_chronicle import cli, scaffold

OUTPUT_SCHEMA = json.loads((ROOT / "plugins/mkdocs_chronicle/schemas/validate-output.schema.json").read_text())
WALLACE = "chronicle/statements/2022/02/16/wallace-times-radio-no-evidence.yml"


def run(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_chronicle.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GITHUB_ACTIONS": "", **env},
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "chronicle", tmp_path / "chronicle")
    return tmp_path


def misspell_wallace(root: Path) -> int:
    record = root / WALLACE
    lines = record.read_text().splitlines()
    line = next(i for i, text in enumerate(lines) if text == "actor: ben-wallace")
    lines[line] = "actor: ben-walace"
    record.write_text("\n".join(lines) + "\n")
    return line + 1


def test_the_repository_records_are_clean() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "statements" in result.stdout
    assert " error" not in result.stderr.replace("0 error(s)", "")


def test_a_misspelt_actor_is_located_named_and_corrected(clone: Path) -> None:
    line = misspell_wallace(clone)
    result = run("validate", "chronicle", cwd=clone)
    assert result.returncode == 1
    expected = f"{WALLACE}:{line}:8: unknown actor 'ben-walace' (did you mean 'ben-wallace'?)"
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_problems_are_grouped_per_file_with_a_summary(clone: Path) -> None:
    misspell_wallace(clone)
    write_records(clone / "chronicle", {"actors/kremlin.yml": "name: The Kremlin\nkind: goverment\n"})
    lines = run("validate", "chronicle", cwd=clone).stderr.splitlines()
    kremlin = [i for i, text in enumerate(lines) if text.startswith("chronicle/actors/kremlin.yml")]
    wallace = [i for i, text in enumerate(lines) if text.startswith(WALLACE)]
    assert kremlin and wallace and lines[kremlin[-1] + 1] == ""  # a blank line ends each file's group
    assert lines[-1].startswith("2 error(s), ")


def test_under_github_actions_problems_become_annotations(clone: Path) -> None:
    line = misspell_wallace(clone)
    result = run("validate", "chronicle", cwd=clone, GITHUB_ACTIONS="true")
    assert f"::error file={WALLACE},line={line},col=8::unknown actor 'ben-walace' (did you mean 'ben-wallace'?)" in (
        result.stdout.splitlines()
    )
    assert result.returncode == 1


@pytest.mark.parametrize("broken", [False, True])
def test_json_output_follows_its_schema(clone: Path, broken: bool) -> None:
    if broken:
        misspell_wallace(clone)
    result = run("validate", "chronicle", "--format", "json", cwd=clone)
    report = json.loads(result.stdout)
    jsonschema.validate(report, OUTPUT_SCHEMA)
    assert report["ok"] is not broken and result.returncode == int(broken)
    assert (report["counts"] is None) == broken
    if broken:
        assert {"path": WALLACE, "severity": "error", "message": "unknown actor 'ben-walace'"}.items() <= (
            report["problems"][-1].items()
        )


def test_missing_access_date_and_archive_and_near_duplicates_warn_without_failing(clone: Path) -> None:
    write_records(
        clone / "chronicle",
        {
            "sources/plain.yml": "title: T\npublisher: P\nurl: https://example.org/\n",
            "statements/2022/02/16/wallace-again.yml": (
                "date: 2022-02-16\nactor: ben-wallace\nkind: quote\n"
                "text: We haven't seen any evidence at the moment of that withdrawal!\n"
                "sources:\n  - source: plain\n"
            ),
        },
    )
    result = run("validate", "chronicle", cwd=clone)
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert (
        "chronicle/sources/plain.yml:1:1: warning: the source has no access date (add accessed: YYYY-MM-DD)" in warnings
    )
    assert any("plain.yml" in w and "no archive_url" in w for w in warnings)
    duplicates = [w for w in warnings if "looks like a duplicate of" in w]
    assert len(duplicates) == 1
    assert "wallace-again.yml" in duplicates[0] and "wallace-times-radio-no-evidence.yml" in duplicates[0]


def test_a_missing_folder_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    result = run("validate", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere:0:0: the records folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("frobnicate").returncode == 2


# -- chronicle new --------------------------------------------------------------------------

NEW_STATEMENT = (
    "new", "statement", "--date", "2022-02-17", "--actor", "ben-wallace", "--text", "Brand new words.",
    "--source", "rferl-2022-02-16-concrete-steps", "--claims", "russia-withdrawing-troops:disputes",
)  # fmt: skip


def test_new_writes_the_record_in_its_day_folder_and_validates(clone: Path) -> None:
    result = run(*NEW_STATEMENT, cwd=clone)
    assert result.returncode == 0, result.stderr
    record = clone / "chronicle/statements/2022/02/17/ben-wallace-brand-new-words.yml"
    assert result.stdout.startswith("wrote chronicle/statements/2022/02/17/ben-wallace-brand-new-words.yml")
    text = record.read_text()
    assert text.splitlines()[0].startswith("# yaml-language-server: $schema=")
    assert text.splitlines()[0].endswith("schemas/statement.schema.json")
    assert "claim: russia-withdrawing-troops\n  stance: disputes" in text


def test_new_refuses_to_overwrite(clone: Path) -> None:
    assert run(*NEW_STATEMENT, cwd=clone).returncode == 0
    record = clone / "chronicle/statements/2022/02/17/ben-wallace-brand-new-words.yml"
    before = record.read_text()
    again = run(*NEW_STATEMENT, cwd=clone)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert record.read_text() == before


def test_new_suggests_the_id_meant(clone: Path) -> None:
    before = sorted(clone.rglob("*.yml"))
    result = run(*[a if a != "ben-wallace" else "ben-walace" for a in NEW_STATEMENT], cwd=clone)
    assert result.returncode == 1
    assert "actor: unknown actor 'ben-walace' — did you mean 'ben-wallace'?" in result.stderr
    assert sorted(clone.rglob("*.yml")) == before


def test_new_without_a_terminal_names_the_missing_fields(clone: Path) -> None:
    result = run("new", "source", "--title", "T", cwd=clone)
    assert result.returncode == 2
    assert "missing publisher, url (give --publisher ... --url ...," in result.stderr


def test_new_asks_for_what_is_missing_and_asks_again_after_a_typo(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {"name": ["Ada Example"], "kind": ["persn", "person"], "country": ["GB"]}
    asked: list[str] = []

    def ask(field: scaffold.Field, default: str) -> str:
        asked.append(field.name)
        return answers.get(field.name, [""]).pop(0) if answers.get(field.name) else ""

    assert cli.new_command("actor", clone / "chronicle", {}, None, ask) == 0
    assert asked == ["name", "kind", "kind", "country", "aliases", "role"]
    assert (
        "'persn' is not one of person, organisation, government, media — did you mean 'person'?"
        in capsys.readouterr().err
    )
    record = (clone / "chronicle/actors/ada-example.yml").read_text()
    assert record.endswith("name: Ada Example\nkind: person\ncountry: GB\n")


def test_new_source_records_todays_access_date(clone: Path) -> None:
    result = run("new", "source", "--title", "T", "--publisher", "P", "--url", "https://example.org/t", cwd=clone)
    assert result.returncode == 0, result.stderr
    text = (clone / "chronicle/sources/p-t.yml").read_text()
    assert "accessed: '" in text
