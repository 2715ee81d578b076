"""The GitHub side of contributing: workflows, issue forms, code owners and pre-commit hooks.

The workflows are linted with actionlint, the pull-request check is run as written against a
broken record, and the rules that keep them safe (read-only tokens, pinned actions, one run at a
time) are checked so that loosening one fails here rather than in review.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

GITHUB = ROOT / ".github"
PULL_REQUEST = GITHUB / "workflows/pull-request.yml"
PUBLISH = GITHUB / "workflows/publish.yml"
WORKFLOWS = [PULL_REQUEST, PUBLISH]
ISSUE_FORMS = [GITHUB / "ISSUE_TEMPLATE/suggest-statement.yml", GITHUB / "ISSUE_TEMPLATE/report-error.yml"]

BROKEN_RECORD = "chronicle/statements/2022/02/16/wallace-times-radio-no-evidence.yml"

# owner/name[/path]@vMAJOR.MINOR[.PATCH]: a released version, never a branch such as main.
PINNED = re.compile(r"[\w.-]+/[\w./-]+@v\d+\.\d+(\.\d+)?")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean true.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), f"unexpected `on`: {on!r}"
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_named(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    found = [step for step in steps(workflow) if step.get("name") == name]
    assert len(found) == 1, f"expected one step named {name!r}, found {len(found)}"
    return found[0]


# --- actionlint ---------------------------------------------------------------------------------


def test_actionlint_passes_on_the_workflows() -> None:
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if actionlint is None:
        pytest.fail("actionlint is not installed in the virtual environment: run `make install`")
    result = subprocess.run(
        [actionlint, *(str(path.relative_to(ROOT)) for path in WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


# --- the pull-request check, run as written -----------------------------------------------------


def test_validate_records_step_annotates_a_broken_record(tmp_path: Path) -> None:
    script = step_named(load(PULL_REQUEST), "Validate records")["run"]

    project = tmp_path / "project"
    shutil.copytree(ROOT / "chronicle", project / "chronicle")
    record = project / BROKEN_RECORD
    text = record.read_text(encoding="utf-8")
    assert "\nactor: ben-wallace\n" in text
    line = text.splitlines().index("actor: ben-wallace") + 1
    record.write_text(text.replace("\nactor: ben-wallace\n", "\nactor: ben-walace\n"), encoding="utf-8")
    (project / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)

    result = subprocess.run(
        ["bash", "-c", script],
        cwd=project,
        env={**os.environ, "GITHUB_ACTIONS": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode != 0, output
    annotation = re.compile(rf"::error file={re.escape(BROKEN_RECORD)},line={line},col=\d+::.*\bben-walace\b")
    assert any(annotation.match(line) for line in result.stdout.splitlines()), output


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_the_token_reads_the_repository_only(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        permissions = job.get("permissions", {})
        assert isinstance(permissions, dict), f"{name}: permissions must be listed, not {permissions!r}"
        if path == PUBLISH and name == "deploy":
            assert permissions == {"pages": "write", "id-token": "write"}
        else:
            writes = {scope for scope, level in permissions.items() if level not in ("read", "none")}
            assert not writes, f"{path.name}: job {name} may write {sorted(writes)}"


def test_only_the_deploy_job_publishes() -> None:
    jobs = load(PUBLISH)["jobs"]
    assert jobs["deploy"]["needs"] == "build"
    environment = jobs["deploy"]["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"
    assert [step["uses"].split("@")[0] for step in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact@") for step in jobs["build"]["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_release(path: Path) -> None:
    workflow = load(path)
    uses = [step["uses"] for step in steps(workflow) if "uses" in step]
    uses += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    assert uses
    loose = [ref for ref in uses if not PINNED.fullmatch(ref)]
    assert not loose, f"{path.name}: not pinned to a vMAJOR.MINOR release: {loose}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_one_run_at_a_time(path: Path) -> None:
    concurrency = load(path).get("concurrency")
    assert isinstance(concurrency, dict) and concurrency.get("group"), f"{path.name}: no concurrency group"
    if path == PUBLISH:
        assert concurrency["group"] == "pages"
    else:
        assert concurrency["cancel-in-progress"] is True


def test_publish_runs_on_pushes_to_main() -> None:
    workflow = load(PUBLISH)
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    build = step_named(workflow, "Build site")
    assert set(build["env"]) == {"CHRONICLE_SITE_URL", "CHRONICLE_REPO_URL"}
    assert "SOURCE_DATE_EPOCH=" in build["run"] and "mkdocs build --strict" in build["run"]


def test_pull_requests_are_validated_tested_built_and_uploaded() -> None:
    workflow = load(PULL_REQUEST)
    assert "pull_request" in triggers(workflow)
    runs = [step.get("run", "") for step in steps(workflow)]
    order = ["make install", ".venv/bin/chronicle validate chronicle", "make test", "mkdocs build --strict"]
    positions = [next(i for i, run in enumerate(runs) if command in run) for command in order]
    assert positions == sorted(positions), "install, validate, test, build: in that order"
    uploads = [step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"].rstrip("/") == "site"


# --- issue forms, code owners, pre-commit -------------------------------------------------------


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda path: path.name)
def test_issue_forms_parse(path: Path) -> None:
    form = load(path)
    assert form.get("name") and form.get("description")
    body = form.get("body")
    assert isinstance(body, list) and body
    ids = [item["id"] for item in body if item["type"] != "markdown"]
    assert ids and len(ids) == len(set(ids)), f"{path.name}: field ids must be present and unique"
    for item in body:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert item["attributes"].get("value" if item["type"] == "markdown" else "label")


def test_issue_config_parses() -> None:
    assert isinstance(load(GITHUB / "ISSUE_TEMPLATE/config.yml")["blank_issues_enabled"], bool)


def test_code_owners_keep_maintainers_on_everything_but_records_and_pages() -> None:
    rules = [
        line.split()
        for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert rules[0][0] == "*", "the catch-all must come first: the last matching rule wins"
    catch_all = rules[0][1:]
    assert catch_all
    narrower = {rule[0] for rule in rules[1:]}
    assert narrower == {"/chronicle/", "/content/"}, "only records and pages may skip a maintainer's review"


def test_pre_commit_hooks() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "chronicle-validate"
    assert (hook["entry"], hook["language"], hook["pass_filenames"], hook["files"]) == (
        "chronicle validate",
        "python",
        False,
        "^chronicle/",
    )
    config = load(ROOT / ".pre-commit-config.yaml")
    (local,) = (repo for repo in config["repos"] if repo["repo"] == "local")
    (own,) = local["hooks"]
    assert own["entry"] == ".venv/bin/chronicle validate chronicle"
    assert (own["language"], own["pass_filenames"]) == ("system", False)
    assert re.match(own["files"], "chronicle/actors/ben-wallace.yml")
