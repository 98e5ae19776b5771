"""``.venv/bin/python build.py check``: output formats, exit codes, and the samples that ship with the project."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from callguide.check import check_paths
from callguide.cli import main
from callguide.model import FIELDS, IMPORT_CATEGORIES, PROJECT_TYPES, REGIONS

PROJECT = Path(__file__).resolve().parent.parent
BROKEN = "tests/data/invalid/broken.yaml"
GOLDEN = Path(__file__).parent / "golden" / "check"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``build.py ARGS`` called in-process (``cli.main``), from the project root."""
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in ("GITHUB_ACTIONS", *(env or {}))}
    cwd = os.getcwd()
    try:
        os.environ.pop("GITHUB_ACTIONS", None)
        os.environ.update(env or {})
        os.chdir(PROJECT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(cwd)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


def test_the_real_entry_point_checks_and_exits_as_main_does() -> None:
    """One run through ``build.py`` itself, in a separate interpreter."""
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--format", "json", BROKEN],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
        timeout=120,
    )
    assert result.returncode == 1
    assert json.loads(result.stdout) == json.loads(run("check", "--format", "json", BROKEN).stdout)


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_output_of_a_known_bad_file(fmt: str, golden) -> None:
    result = run("check", "--format", fmt, BROKEN)
    assert result.returncode == 1
    golden(GOLDEN / f"broken.{fmt}", result.stdout)


def test_every_defect_of_the_broken_file_is_reported_with_code_and_line() -> None:
    result = run("check", "--format", "json", BROKEN)
    report = json.loads(result.stdout)
    found = [(p["code"], p["line"]) for p in report["problems"]]
    assert found == [
        ("required", 1),
        ("enum", 4),
        ("import-category-forbidden", 7),
        ("unknown-key", 8),
        ("trl-order", 12),
        ("trl-equal", 15),
        ("type", 17),
        ("investment-exceeds", 21),
        ("phone-format", 26),
        ("yaml-coercion", 29),
        ("link-scheme", 33),
    ]
    assert report["summary"] == {
        "checked": 1,
        "errors": 10,
        "warnings": 1,
        "files_with_problems": 1,
        "passed": False,
    }


def test_github_format_is_chosen_on_github_actions() -> None:
    result = run("check", BROKEN, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith(
        "::error file=tests/data/invalid/broken.yaml,line=1,col=1,title=required::"
    )


def test_a_warning_fails_only_with_strict(tmp_path: Path) -> None:
    text = (
        (PROJECT / "tests/data/valid/base.yaml")
        .read_text(encoding="utf-8")
        .replace("trl_expected: 7", "trl_expected: 4")
    )
    path = tmp_path / "topic.yaml"
    path.write_text(text, encoding="utf-8")
    assert run("check", str(path)).returncode == 0
    strict = run("check", "--strict", str(path))
    assert strict.returncode == 1 and "trl-equal" in strict.stdout


def test_exit_codes() -> None:
    assert run("check", "tests/data/valid/base.yaml").returncode == 0
    assert run("check", BROKEN).returncode == 1
    assert run("check", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("check", "no/such/file.yaml").returncode == 1


def test_the_summary_line_counts_errors_warnings_and_files() -> None:
    last = run("check", BROKEN, "tests/data/valid/base.yaml").stdout.splitlines()[-1]
    assert last == "检查未通过：10 个错误，1 个警告，涉及 1 个文件（共检查 2 个文件）。"


# --- the shipped samples -------------------------------------------------------------------


def test_the_samples_pass_the_check() -> None:
    result = run("check", "--strict")
    assert result.returncode == 0, result.stdout


def test_the_samples_cover_the_format() -> None:
    checked, _ = check_paths([PROJECT / "proposals"])
    proposals = [c.proposal for c in checked if c.proposal is not None]
    accepted = [p for p in proposals if p.status == "accepted"]
    assert len(accepted) >= 12
    assert {p.status for p in proposals} == {"accepted", "draft", "withdrawn"}
    assert len({p.field for p in accepted}) >= 8
    assert {p.region for p in accepted} == set(REGIONS)
    assert {t for p in accepted for t in p.project_types} == set(PROJECT_TYPES)
    assert {p.import_category for p in accepted} - {None} == set(IMPORT_CATEGORIES)
    assert {p.field for p in accepted} <= set(FIELDS)
    texts = [v for p in accepted for v in p.guide.model_dump().values() if v]
    assert any("|---" in t.replace(" ", "") or "| ---" in t for t in texts), "a Markdown table"
    assert any(line.lstrip().startswith(("- ", "1. ")) for t in texts for line in t.splitlines()), (
        "a Markdown list"
    )


def test_every_sample_starts_with_the_schema_comment() -> None:
    for path in sorted((PROJECT / "proposals").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/proposal.schema.json", path.name


# --- build.py new ----------------------------------------------------------------------------


def test_new_writes_a_commented_template_that_fails_until_filled(tmp_path: Path) -> None:
    (tmp_path / "proposals").mkdir()
    result = run("new", "--root", str(tmp_path), "ocean-robotics")
    assert result.returncode == 0, result.stderr
    assert ".venv/bin/python build.py check" in result.stdout
    path = tmp_path / "proposals" / "ocean-robotics.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/proposal.schema.json\n")
    for label in ("项目名称", "产业领域", "合作国别、地区", "项目类型", "当前自评等级", "建议人", "张榜范围"):
        assert label in text
    check = run("check", str(path))
    assert check.returncode == 1
    assert "required" in check.stdout or "title-length" in check.stdout


def test_new_refuses_a_bad_slug_or_an_existing_file(tmp_path: Path) -> None:
    (tmp_path / "proposals").mkdir()
    assert run("new", "--root", str(tmp_path), "Bad_Slug").returncode == 2
    assert run("new", "--root", str(tmp_path), "topic").returncode == 0
    assert run("new", "--root", str(tmp_path), "topic").returncode == 2


def test_the_filled_in_template_passes(tmp_path: Path) -> None:
    """Every key the template names is a real key: filling the placeholders gives a valid file."""
    from callguide.skeleton import proposal_template

    base = (PROJECT / "tests/data/valid/base.yaml").read_text(encoding="utf-8")
    template = proposal_template("x")
    import yaml

    keys_in_template = set(re.findall(r"^[ #-]*([a-z_]+):", template, flags=re.MULTILINE))
    data = yaml.safe_load(base)
    assert {
        "title",
        "field",
        "region",
        "project_types",
        "overview",
        "trl_current",
        "phone",
        "call_scope",
    } <= keys_in_template
    assert set(data) <= keys_in_template | {"report"}
