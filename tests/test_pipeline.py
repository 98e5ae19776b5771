"""Safe publishing: nothing half-published, no private data, the same bytes from the same commit."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, project_with_history, run_build
from pypdf import PdfReader

from callguide.pipeline import Progress

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def proposer_values() -> list[str]:
    values = []
    for path in sorted((PROJECT / "proposals").glob("*.yaml")):
        proposer = yaml.safe_load(path.read_text(encoding="utf-8"))["proposer"]
        values += [proposer["name"], proposer["organization"], str(proposer["phone"])]
    return values


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, built once; each test restores what it breaks."""
    root = copy_project(tmp_path_factory.mktemp("publish"))
    result = run_build(root, "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def build_with(project: Path, path: Path, text: str) -> subprocess.CompletedProcess[str]:
    """A build of ``project`` with ``path`` holding ``text``; the file is put back as it was afterwards."""
    original = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text(text, encoding="utf-8")
    try:
        return run_build(project)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_text(original, encoding="utf-8")


def test_a_failing_check_leaves_the_previous_site_untouched(project: Path) -> None:
    before = tree_digest(project / "site")
    result = build_with(project, project / "proposals" / "zz-broken.yaml", "title: 残缺的建议\n")
    assert result.returncode == 1
    assert "zz-broken.yaml" in result.stdout and "required" in result.stdout
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site-build-*")), "the temporary build directory is removed"


def test_a_failing_build_counts_every_file_it_checked(project: Path) -> None:
    checked = len(list((project / "proposals").iterdir())) + 2  # the proposals, the broken one and call.yaml
    result = build_with(project, project / "proposals" / "zz-broken.yaml", "title: 残缺的建议\n")
    assert result.returncode == 1
    assert f"涉及 1 个文件（共检查 {checked} 个文件）" in result.stdout, result.stdout


def test_a_mistake_in_call_yaml_is_a_check_problem_not_an_internal_error(project: Path) -> None:
    before = tree_digest(project / "site")
    call = project / "call.yaml"
    original = call.read_text(encoding="utf-8")
    result = build_with(
        project,
        call,
        original.replace("publish_date: 2026-11-25", "publish_date: 2026-11-25\nclosing_date: 2027-01-20"),
    )
    assert result.returncode == 1
    line = original.splitlines().index("publish_date: 2026-11-25") + 2
    assert f"call.yaml:{line}:1: error unknown-key: closing_date" in result.stdout, result.stdout
    assert "内部错误" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "site") == before


def test_a_template_error_leaves_the_previous_site_untouched(project: Path) -> None:
    before = tree_digest(project / "site")
    templates = sorted((project / "templates" / "site").rglob("*.j2"))
    assert templates, "the site templates exist"
    original = templates[0].read_text(encoding="utf-8")
    result = build_with(project, templates[0], original + "\n{{ no_such_variable.attribute }}\n")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, "a clear error, not a crash"
    assert tree_digest(project / "site") == before


def test_a_pdf_error_leaves_the_previous_site_untouched(project: Path) -> None:
    before = tree_digest(project / "site")
    templates = sorted((project / "templates" / "pdf").rglob("*.j2"))
    assert templates, "the PDF templates exist"
    original = templates[0].read_text(encoding="utf-8")
    result = build_with(project, templates[0], "{% if %}" + original)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "site") == before


def test_a_planted_leak_fails_the_build(project: Path) -> None:
    """The privacy scan is a second line of defence: a proposer's name in a content page stops the build."""
    before = tree_digest(project / "site")
    page = project / "content" / "contact.md"
    original = page.read_text(encoding="utf-8")
    leaked = yaml.safe_load(next((project / "proposals").glob("*.yaml")).read_text(encoding="utf-8"))[
        "proposer"
    ]
    result = build_with(project, page, original + f"\n\n咨询：{leaked['name']}\n")
    assert result.returncode == 1
    assert "隐私检查未通过" in result.stderr and leaked["name"] in result.stderr
    assert tree_digest(project / "site") == before


def test_the_internal_summary_table_is_outside_the_site(project: Path) -> None:
    internal = project / "build" / "internal"
    assert (internal / "summary-table.xlsx").is_file() and (internal / "summary-table.csv").is_file()
    assert not list((project / "site").rglob("summary-table*"))


def test_no_public_file_contains_proposer_data(site_dir: Path) -> None:
    """Every file under site/ — pages, search index, JSON, CSV, sitemap, the PDF's text — for every proposer value."""
    from callguide.privacy import readable_text

    values = proposer_values()
    assert len(values) >= 3 * 14
    files = [p for p in site_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in files) and any(p.name == "search_index.json" for p in files)
    for path in files:
        text = readable_text(path)
        for value in values:
            assert value not in text, f"{value} leaks into {path.relative_to(site_dir)}"
            assert value not in str(path.relative_to(site_dir))


def test_two_builds_of_the_same_inputs_are_byte_identical(site_dir: Path, tmp_path: Path) -> None:
    second = project_with_history(tmp_path / "again")
    result = run_build(second, "-q")
    assert result.returncode == 0, result.stderr
    first, again = tree_digest(site_dir), tree_digest(second / "site")
    assert first.keys() == again.keys()
    differing = [name for name in first if first[name] != again[name]]
    assert differing == []


def test_the_build_prints_its_stages_and_a_summary(project: Path) -> None:
    result = run_build(project)
    assert result.returncode == 0
    stages = [
        "检查指南建议",
        "生成网站",
        "隐私检查（网站）",
        "等待 PDF",
        "隐私检查（PDF",
        "内部汇总表",
        "完成：发布",
    ]
    positions = [result.stdout.find(stage) for stage in stages]
    assert -1 not in positions and positions == sorted(positions), result.stdout
    pages = len(PdfReader(project / "site" / "guide.pdf").pages)
    assert f"PDF：共 {pages} 页" in result.stdout
    assert "\r" not in result.stdout  # not a terminal: no running count rewritten in place
    quiet = run_build(project, "-q")
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_a_running_count_is_rewritten_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    progress = Progress(tty=True)
    with progress.stage("pdf", "生成 PDF"):
        progress.status("PDF：已排版 1 页")
    out = capsys.readouterr().out
    assert out == "· 生成 PDF …\n\r\033[K  PDF：已排版 1 页\r\033[K  生成 PDF 完成（0.0 秒）\n"


def test_a_running_count_is_a_line_now_and_then_in_a_log(capsys: pytest.CaptureFixture[str]) -> None:
    progress = Progress(tty=False, interval=0.0)
    progress.status("网站：1/21 页")
    assert capsys.readouterr().out == "  网站：1/21 页\n"
    rare = Progress(tty=False, interval=3600.0)
    rare.status("网站：2/21 页")
    quiet = Progress(quiet=True, tty=True)
    quiet.status("网站：3/21 页")
    assert capsys.readouterr().out == ""


def test_build_pdf_alone_replaces_only_the_pdf(project: Path) -> None:
    before = tree_digest(project / "site")
    result = run_build(project, "pdf", "-q")
    assert result.returncode == 0, result.stderr
    after = tree_digest(project / "site")
    assert after.keys() == before.keys()
    assert [name for name in after if after[name] != before[name]] == []  # same inputs: same bytes


def test_a_build_without_previous_site_creates_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "fresh")
    shutil.rmtree(root / "site", ignore_errors=True)
    (root / "proposals" / "zz-broken.yaml").write_text("title: 残缺\n", encoding="utf-8")
    assert run_build(root, "-q").returncode == 1
    assert not (root / "site").exists()
