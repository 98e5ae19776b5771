"""Shared fixtures: the project's paths, and one real build of the shipped samples per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# Every build in the tests lays the PDF out afresh (run_build passes --no-cache; tests/test_pdfcache.py
# builds with the cache): a reused PDF would make "two builds give the same bytes" true by construction.
INPUTS = ("mkdocs.yml", "call.yaml", "proposals", "content", "templates")
# for throwaway git repositories: a fixed identity, and none of the user's configuration
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """``golden(path, text)``: compare ``text`` with the committed golden file (rewrite it with --update-golden)."""
    update = request.config.getoption("--update-golden")

    def compare(path: Path, text: str) -> None:
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {path} did not exist: written, check it and commit it")
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from {path} (pytest --update-golden)"
        )

    return compare


def copy_project(target: Path) -> Path:
    """A copy of the project's inputs (not its outputs) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        src = PROJECT / name
        if src.is_dir():
            shutil.copytree(src, target / name, symlinks=True)
        elif src.exists():
            shutil.copy2(src, target / name)
    return target


def project_with_history(target: Path) -> Path:
    """A clone of the project's repository with the working tree's inputs over it: the build reads
    the revisions since publication from the history, and builds what is being tested."""
    if (PROJECT / ".git").exists():
        subprocess.run(["git", "clone", "-q", str(PROJECT), str(target)], check=True, capture_output=True)
        for name in INPUTS:
            path = target / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    return copy_project(target)


def run_build(root: Path, *args: str, cache: bool = False) -> subprocess.CompletedProcess[str]:
    """``build.py ARGS --root ROOT``; a build (no command, build, pdf) with ``--no-cache`` unless ``cache``."""
    builds = not args or args[0] in ("build", "pdf") or args[0].startswith("-")
    fresh = ["--no-cache"] if builds and not cache else []
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args, *fresh, "--root", str(root)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=900,
    )


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with its history, built once with ``.venv/bin/python build.py``: its
    ``site/`` and ``build/`` are real outputs."""
    root = project_with_history(tmp_path_factory.mktemp("project") / "clone")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="session")
def site_dir(built_root: Path) -> Path:
    return built_root / "site"
