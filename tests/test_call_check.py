"""``call.yaml`` is checked like a proposal: file, line, column, code and a Chinese message; never a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from callguide.check import check_call, load_call
from callguide.problems import CheckFailed

PROJECT = Path(__file__).resolve().parent.parent
BROKEN = PROJECT / "tests" / "data" / "invalid" / "call" / "call.yaml"


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    path = tmp_path / "call.yaml"
    path.write_text(text, encoding="utf-8")
    call, problems = check_call(path)
    assert call is None or not problems
    return [(p.code, p.line, p.key) for p in problems]


def shipped() -> str:
    return (PROJECT / "call.yaml").read_text(encoding="utf-8")


def test_the_shipped_call_passes() -> None:
    call, problems = check_call(PROJECT / "call.yaml")
    assert problems == [] and call is not None
    assert call.deadline >= call.publish_date


def test_every_mistake_in_a_broken_call_is_reported_at_its_line() -> None:
    call, problems = check_call(BROKEN)
    assert call is None
    assert [(p.code, p.line, p.column, p.key) for p in problems] == [
        ("type", 2, 7, "year"),
        ("type", 7, 15, "publish_date"),
        ("format", 9, 11, "site_url"),
        ("format", 10, 15, "pdf_filename"),
        ("required", 11, 1, "contact.phone"),
        ("unknown-key", 13, 3, "contact.telephone"),
    ]
    by_key = {p.key: p for p in problems}
    assert by_key["year"].full_message() == '年度应为整数，这里是带引号的文本 "2026"；请去掉引号。'
    assert "请去掉引号" in by_key["publish_date"].message
    assert by_key["pdf_filename"].found == "指南.pdf"
    assert "以 .pdf 结尾" in by_key["pdf_filename"].message
    assert by_key["contact.telephone"].hint == "是否想写 phone？"


def test_a_deadline_before_publication_is_an_error(tmp_path: Path) -> None:
    text = shipped().replace("deadline: 2027-01-15", "deadline: 2026-11-01")
    line = text.splitlines().index("deadline: 2026-11-01") + 1
    assert problems_of(tmp_path, text) == [("call-dates", line, "deadline")]


def test_yaml_mistakes_in_the_call_are_reported_like_in_a_proposal(tmp_path: Path) -> None:
    assert problems_of(tmp_path, shipped() + "year: 2027\n")[0][0] == "yaml-duplicate-key"
    assert problems_of(tmp_path, "title: [unclosed\n")[0][0] == "yaml-syntax"
    assert problems_of(tmp_path, "")[0][0] == "yaml-not-mapping"


def test_load_call_raises_check_failed_with_the_problems() -> None:
    with pytest.raises(CheckFailed) as caught:
        load_call(BROKEN)
    assert caught.value.checked == 1
    assert {p.code for p in caught.value.problems} == {"type", "format", "required", "unknown-key"}


def check_json(*paths: str) -> dict:
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--format", "json", *paths],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(result.stdout)


def test_build_py_check_checks_the_call_with_the_proposals() -> None:
    summary = check_json()["summary"]
    assert summary["checked"] == len(list((PROJECT / "proposals").iterdir())) + 1
    assert summary["passed"]


def test_the_project_call_yaml_named_on_the_command_line_is_checked_as_the_call() -> None:
    # as a proposal it would lack title, field, guide …
    assert check_json("call.yaml")["summary"] == {
        "checked": 1,
        "errors": 0,
        "warnings": 0,
        "files_with_problems": 0,
        "passed": True,
    }
