"""A newcomer's first steps: the pinned packages install on the Python floor, setup.sh says what it needs,
and every command the README prints runs as written from a fresh shell."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from conftest import GIT_ENV, PROJECT, copy_project
from packaging.specifiers import SpecifierSet
from packaging.version import Version

README = (PROJECT / "README.md").read_text(encoding="utf-8")
FLOOR = Version(
    tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ].removeprefix(">=")
)
# Pythons the README promises: Debian 12's and Debian 13's
PROMISED = (Version("3.11.2"), Version("3.13.5"))
# commands whose real run is long (a build, a server, a benchmark, a Debian root): run with --help
LONG = (
    ".venv/bin/python build.py",
    ".venv/bin/python build.py pdf",
    ".venv/bin/python build.py serve",
    ".venv/bin/python bench/",
    "bash scripts/fresh-debian.sh",
)


def _locked() -> dict[str, str]:
    pins = {}
    for line in (PROJECT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


# --- the lock installs on every Python the README promises ---------------------------------------


def test_the_floor_is_the_oldest_python_promised() -> None:
    assert min(PROMISED) == FLOOR


def test_every_installed_distribution_admits_the_python_floor() -> None:
    excluded = []
    for dist in metadata.distributions():
        spec = dist.metadata.get("Requires-Python")
        if spec and not all(v in SpecifierSet(spec) for v in PROMISED):
            excluded.append(f"{dist.metadata['Name']} {dist.version}: Requires-Python {spec}")
    assert excluded == [], "pinned packages that do not install on Debian 12 or 13"


def test_the_environment_is_the_lock() -> None:
    installed = {
        re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version for d in metadata.distributions()
    }
    assert {n: installed.get(n) for n in _locked()} == _locked()


def test_setup_names_the_python_it_needs(tmp_path: Path) -> None:
    old = tmp_path / "python3"
    old.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.11.1" && exit 0\nexit 1\n')
    old.chmod(0o755)
    result = subprocess.run(
        ["bash", "scripts/setup.sh", "--no-build"],
        cwd=PROJECT,
        env={"PATH": os.environ["PATH"], "PYTHON": str(old)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"Python {FLOOR} or newer is needed (found: Python 3.11.1)" in result.stderr


# --- the quick start, and every command as the README prints it ----------------------------------


def test_ci_runs_the_readme_quick_start_read_from_the_readme() -> None:
    printed = subprocess.run(
        ["bash", "scripts/quickstart.sh", "--print"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert [c.split("#")[0].strip() for c in printed] == [
        "bash scripts/setup.sh",
        ".venv/bin/python -m pytest",
    ]
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/quickstart.sh" in ci
    assert "for suite in bookworm trixie; do" in ci and 'bash scripts/fresh-debian.sh "$suite"' in ci


def readme_commands() -> list[str]:
    table = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", table, flags=re.M)


@pytest.fixture(scope="module")
def fresh_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's files in a throwaway git repository with an ``origin/main``, as a clone has."""
    root = copy_project(tmp_path_factory.mktemp("checkout"))
    for name in ("build.py", "callguide", "bench", "scripts", "schema", "pyproject.toml", "README.md"):
        src = PROJECT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    (root / ".venv").symlink_to(PROJECT / ".venv")
    git = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, env=git, check=True, capture_output=True)
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=root, env=git, check=True)
    return root


def test_the_readme_lists_every_command() -> None:
    listed = {c.split()[2] if c.startswith(".venv/bin/python build.py ") else c for c in readme_commands()}
    from callguide.cli import COMMANDS

    assert {c for c in COMMANDS if c != "build"} <= listed


@pytest.mark.parametrize("command", readme_commands())
def test_each_readme_command_runs_as_written_in_a_fresh_shell(command: str, fresh_checkout: Path) -> None:
    long = command.startswith(LONG) and not command.startswith(
        tuple(f".venv/bin/python build.py {c}" for c in ("check", "new", "diff", "schema"))
    )
    line = f"{command} --help" if long else command
    # a fresh shell: no virtual environment activated, no `python` on the PATH
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(fresh_checkout), **GIT_ENV}
    result = subprocess.run(
        ["bash", "-c", line], cwd=fresh_checkout, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip()
    if command.endswith(" new hydrogen-fuel-cell-stack"):
        assert (fresh_checkout / "proposals" / "hydrogen-fuel-cell-stack.yaml").is_file()


def _spelled_as_it_runs(text: str) -> bool:
    """Every ``build.py`` in ``text`` is written ``.venv/bin/python build.py``."""
    return text.count("build.py") == text.count(".venv/bin/python build.py") > 0


def test_usage_and_hints_spell_the_command_as_it_runs(fresh_checkout: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(fresh_checkout), **GIT_ENV}

    def run(line: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", line], cwd=fresh_checkout, env=env, capture_output=True, text=True
        )

    usage = run(".venv/bin/python build.py --help").stdout
    assert usage.startswith("usage: .venv/bin/python build.py ")
    new = run(".venv/bin/python build.py new hint-spelling-check")
    bad_ref = run(".venv/bin/python build.py diff no-such-ref")
    bad_slug = run(".venv/bin/python build.py new Bad_Slug")
    template = (fresh_checkout / "proposals" / "hint-spelling-check.yaml").read_text(encoding="utf-8")
    for text in (usage, new.stdout, bad_ref.stderr, bad_slug.stderr, template):
        assert _spelled_as_it_runs(text), text
    for line in new.stdout.splitlines():  # the hint's commands run as printed
        for hint in re.findall(r"(\.venv/bin/python build\.py check \S+?)，", line):
            assert run(hint).returncode == 1  # the fresh template is not filled in yet
