"""The GitHub workflows, the pre-commit hook and the pull-request template: valid, and doing what the README says.

The workflow files are validated offline against the GitHub workflow schema that
check-jsonschema ships (``--builtin-schema vendor.github-workflows``); the steps'
commands are then run here the way the workflow runs them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import GIT_ENV, PROJECT, copy_project

WORKFLOWS = PROJECT / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
VENV_PYTHON = ".venv/bin/python"


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(path: Path, job: str) -> list[dict[str, Any]]:
    return load(path)["jobs"][job]["steps"]


def runs(path: Path, job: str) -> list[str]:
    return [s["run"].strip() for s in steps(path, job) if "run" in s]


def step_named(path: Path, job: str, start: str) -> dict[str, Any]:
    [step] = [s for s in steps(path, job) if s.get("name", "").startswith(start)]
    return step


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        env=os.environ | OFFLINE,  # any network access would fail: the schema is vendored
        timeout=120,
    )


# --- validation -----------------------------------------------------------------------


def test_the_workflows_are_valid() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["deploy.yml", "pull-request.yml"]
    result = validate(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = PULL_REQUEST.read_text(encoding="utf-8").replace("runs-on:", "run-on:")
    broken.write_text(text, encoding="utf-8")
    result = validate(broken)
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


def test_actions_are_pinned_to_a_major_version() -> None:
    for path in (PULL_REQUEST, DEPLOY):
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                if "uses" in step:
                    assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


# --- the pull-request workflow -----------------------------------------------------------


def readme_setup_command() -> str:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.S)
    assert block
    return block.group(1).splitlines()[0].split("#")[0].strip()


def test_the_pull_request_workflow_sets_up_as_the_readme_and_ci_do() -> None:
    setup = readme_setup_command()
    assert setup == "bash scripts/setup.sh"
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/quickstart.sh" in ci  # the README's commands, read from the README
    for path, job in ((PULL_REQUEST, "check-test-build"), (DEPLOY, "build")):
        assert f"{setup} --no-build" in runs(path, job)
        # the README's "fresh Debian machine with Python 3.11, as root": setup.sh installs the Debian packages
        assert load(path)["jobs"][job]["container"] == "python:3.11-bookworm"
        checkout = steps(path, job)[0]
        assert checkout["uses"].startswith("actions/checkout@")
        assert checkout["with"]["fetch-depth"] == 0
        assert 'git config --global --add safe.directory "$GITHUB_WORKSPACE"' in runs(path, job)
    assert "--no-build" in (PROJECT / "scripts" / "setup.sh").read_text(encoding="utf-8")


def test_the_pull_request_workflow_checks_tests_builds_summarises_and_uploads() -> None:
    workflow = load(PULL_REQUEST)
    assert workflow["on"] == {"pull_request": None}
    assert workflow["permissions"] == {"contents": "read"}
    commands = runs(PULL_REQUEST, "check-test-build")
    expected = [
        f"{VENV_PYTHON} build.py check --format github",
        f"{VENV_PYTHON} -m pytest",
        f"{VENV_PYTHON} build.py",
        f'{VENV_PYTHON} build.py diff "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"',
    ]
    assert [c for c in commands if c.startswith(VENV_PYTHON)] == expected
    summary = step_named(PULL_REQUEST, "check-test-build", "Change summary")
    assert summary["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    upload = steps(PULL_REQUEST, "check-test-build")[-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "site/"


def test_the_deploy_workflow_publishes_site_on_pages() -> None:
    workflow = load(DEPLOY)
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["concurrency"]["group"] == "pages"
    build = [s.get("uses", s.get("run")) for s in steps(DEPLOY, "build")]
    assert build.index("actions/configure-pages@v6") < build.index(f"{VENV_PYTHON} build.py")
    assert build[-1] == "actions/upload-pages-artifact@v5"
    assert steps(DEPLOY, "build")[-1]["with"] == {"path": "site/"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v5"}]


# --- the steps' commands, run as the workflow runs them -----------------------------------


def as_here(command: str, root: Path) -> str:
    """The step's shell command with this interpreter and the project's build.py, on ``root``."""
    here = f"{shlex.quote(sys.executable)} {shlex.quote(str(PROJECT / 'build.py'))}"
    return re.sub(
        r"\.venv/bin/python build\.py (\w+)", rf"{here} \1 --root {shlex.quote(str(root))}", command
    )


def test_the_check_step_passes_on_the_samples_with_github_annotations(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    command = as_here(step_named(PULL_REQUEST, "check-test-build", "Check").get("run", ""), root)
    result = subprocess.run(
        ["bash", "-e", "-c", command], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout


def test_the_summary_step_appends_the_change_summary(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    env = os.environ | GIT_ENV
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=root, check=True, env=env)
    (root / "proposals" / "pem-electrolyzer-green-hydrogen.yaml").unlink()
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    step = step_named(PULL_REQUEST, "check-test-build", "Change summary")
    env |= {"BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run(
        ["bash", "-e", "-c", as_here(step["run"], root)], cwd=root, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## 指南专题变更：`origin/main` → 工作区\n")
    assert "### 删除专题（1）" in text and "：文件已删除" in text


# --- pre-commit --------------------------------------------------------------------------


def hook() -> dict[str, Any]:
    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    [found] = repo["hooks"]
    return found


def test_the_pre_commit_hook_selects_proposal_files() -> None:
    h = hook()
    assert h["language"] == "system"
    assert h["pass_filenames"] is True
    assert h["entry"] == f"{VENV_PYTHON} build.py check"
    selects = re.compile(h["files"])  # pre-commit matches with re.search
    for path in ("proposals/a.yaml", "proposals/b.yml", "proposals/notes.txt"):
        assert selects.search(path), path
    for path in ("README.md", "callguide/check.py", "tests/data/valid/proposals/a.yaml"):
        assert not selects.search(path), path


@pytest.mark.skipif(not (PROJECT / VENV_PYTHON).exists(), reason="no .venv: run scripts/setup.sh first")
@pytest.mark.parametrize(
    ("files", "status"),
    [
        (
            [
                "proposals/pem-electrolyzer-green-hydrogen.yaml",
                "proposals/silicon-photonics-optical-interconnect-chip.yaml",
            ],
            0,
        ),
        (["tests/data/invalid/broken.yaml"], 1),
    ],
)
def test_the_pre_commit_hook_command_checks_the_files(files: list[str], status: int) -> None:
    """The entry, run from the repository root with the file names appended, as pre-commit runs it."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [*shlex.split(hook()["entry"]), *files],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == status, result.stdout + result.stderr
    if status:
        assert "tests/data/invalid/broken.yaml:" in result.stdout and "检查未通过" in result.stdout
    else:
        assert result.stdout == f"检查通过：共 {len(files)} 个文件，没有发现问题。\n"


# --- the pull-request template -------------------------------------------------------------


def test_the_pull_request_template_has_the_editors_checklist() -> None:
    text = (PROJECT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(items) >= 8
    for needle in (
        "build.py check",
        "一个文件",
        "编号",
        "proposer",
        "引号",
        "支持强度",
        "investment.provincial",
        "PDF",
    ):
        assert any(needle in item for item in items), needle
