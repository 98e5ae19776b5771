"""How the package holds together: private data no template can reach, no import cycle, one error
family with the machine's failures named, working folders that do not pile up."""

from __future__ import annotations

import ast
import dataclasses
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import weasyprint
from conftest import PROJECT, copy_project
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from callguide import cli, weasy, workdirs
from callguide.guide import load_guide
from callguide.privacy import needles
from callguide.render import environment
from callguide.site import front_matter

PACKAGE = PROJECT / "callguide"


# --- private data is out of the templates' reach ------------------------------------------------


@pytest.fixture(scope="module")
def loaded():
    guide, checked, _ = load_guide(PROJECT)
    secrets = needles(c.proposal.proposer for c in checked if c.proposal is not None)
    assert len(secrets) > 20
    return guide, secrets


def test_the_published_guide_holds_no_private_value(loaded) -> None:
    guide, secrets = loaded
    text = repr(dataclasses.asdict(guide))
    assert not [s for s in secrets if s in text]
    internal = {"total", "proposer", "report", "description", "evidence", "target"}
    for topic in guide.topics:
        assert not internal & {f.name for f in dataclasses.fields(topic)}


TRIES = [
    "{{ guide.proposals }}",
    "{{ guide.private }}",
    "{{ topic.proposer.name }}",
    "{{ topic.investment.total }}",
    "{{ topic.report }}",
    "{{ guide.groups[0].topics[0].proposer }}",
    "{{ topic.public_record.__globals__ }}",
    "{{ topic.__class__.__init__.__globals__ }}",
    "{{ call.__class__.__mro__ }}",
    "{{ front_matter.__globals__ }}",
    "{{ LABELS.__class__.__subclasses__() }}",
]


@pytest.mark.parametrize("source", TRIES)
def test_no_template_reaches_a_proposer_through_what_it_is_given(loaded, source: str) -> None:
    guide, _ = loaded
    context = {"guide": guide, "call": guide.call, "topic": guide.topics[0], "front_matter": front_matter}
    template = environment(PROJECT / "templates").from_string(source)
    with pytest.raises((UndefinedError, SecurityError)):
        template.render(context)


# --- the build runs one way -----------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    """The callguide modules ``path`` imports, at any depth of the file (lazy imports count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(a.name for a in node.names if (PACKAGE / f"{a.name}.py").exists())
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("callguide."):
            found.add(node.module.split(".")[1])
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif len(path) < len(graph):
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []


def test_options_travel_as_arguments_not_environment_variables() -> None:
    written = []
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            target = node.targets[0] if isinstance(node, ast.Assign) else None
            if isinstance(target, ast.Subscript) and ast.unparse(target.value) == "os.environ":
                written.append((path.name, ast.unparse(target.slice)))
    # the one exception: mkdocs reads the sitemap's date from SOURCE_DATE_EPOCH, set while it builds
    assert set(written) == {("builddate.py", "'SOURCE_DATE_EPOCH'")}, written


def test_the_weasyprint_patch_is_for_the_pinned_version() -> None:
    # a new WeasyPrint: re-measure callguide/weasy.py's _page_styles_without_scan, then port or drop it
    assert weasyprint.__version__ == weasy.PATCHED_VERSION
    assert f"weasyprint=={weasy.PATCHED_VERSION}" in (PROJECT / "requirements.lock").read_text(
        encoding="utf-8"
    )


# --- errors -----------------------------------------------------------------------------------------


def test_a_full_disk_is_named_as_such_with_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    target = root / "build" / "internal" / "summary-table.xlsx"

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr("callguide.exports.write_internal", full)
    code = cli.main(["build", "-q", "--no-cache", "--root", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"磁盘空间不足，无法写入 {target}" in err and "内部错误" not in err
    assert "site/ 保持不变" in err and not (root / "site").exists()


def test_a_file_that_may_not_be_written_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from callguide.errors import describe_os_error

    where = tmp_path / "site"
    assert describe_os_error(PermissionError(errno.EACCES, "Permission denied", str(where))) == (
        f"没有权限写入或读取 {where}；请检查该文件或目录的权限"
    )


# --- working folders of killed builds -----------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_working_folders_of_builds_no_longer_running_are_removed(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    stale = [
        tmp_path / f".site-build-{dead}-x1",
        tmp_path / f".pdf-build-{dead}-x2",
        tmp_path / f".site-old-{dead}",
    ]
    running = [tmp_path / f".site-build-{alive}-x3", tmp_path / ".site-build-unnamed"]
    for folder in (*stale, *running):
        folder.mkdir()
    assert sorted(workdirs.remove_stale(tmp_path)) == sorted(stale)
    assert [f.exists() for f in running] == [True, True]


@pytest.mark.slow
def test_a_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    dead = _dead_pid()
    left = [root / f".site-build-{dead}-abc", root / f".pdf-build-{dead}-def"]
    for folder in left:
        (folder / "half").mkdir(parents=True)
    assert cli.main(["build", "-q", "--no-cache", "--root", str(root)]) == 0
    assert not any(f.exists() for f in left)
    assert not list(root.glob(".site-build-*")) and not list(root.glob(".pdf-build-*"))


def _processes_naming(root: Path) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(root).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_a_build_killed_midway_leaves_the_site_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    assert cli.main(["build", "-q", "--no-cache", "--root", str(root)]) == 0
    before = sorted(p.relative_to(root).as_posix() for p in (root / "site").rglob("*"))
    build = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "-q", "--no-cache", "--root", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(root.glob(".pdf-build-*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert build.poll() is None, "the build ended before it could be killed"
    build.send_signal(signal.SIGKILL)  # no clean-up code runs
    build.wait()
    time.sleep(0.5)
    assert _processes_naming(root) == [], "the PDF process dies with its build"
    left = list(root.glob(".site-build-*")) + list(root.glob(".pdf-build-*"))
    assert left, "a killed build leaves its working folders"
    assert sorted(p.relative_to(root).as_posix() for p in (root / "site").rglob("*")) == before
    assert cli.main(["build", "-q", "--no-cache", "--root", str(root)]) == 0
    assert not any(p.exists() for p in left)
