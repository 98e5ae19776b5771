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
    assert call.closes.at.isoformat() == "2027-01-15T17:00:00+08:00"
    assert call.opens.isoformat() == "2026-12-01T09:00:00+08:00"
    assert [m.name for m in call.timetable] == ["网上申报开始", "申报单位网上提交截止", "主管部门推荐截止"]


def test_every_mistake_in_a_broken_call_is_reported_at_its_line() -> None:
    call, problems = check_call(BROKEN)
    assert call is None
    assert [(p.code, p.line, p.column, p.key) for p in problems] == [
        ("type", 2, 7, "year"),
        ("type", 7, 15, "publish_date"),
        ("time-missing", 8, 45, "milestones[0].at"),
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


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.splitlines().index(after) if after else 0
    return next(i for i, line in enumerate(text.splitlines()) if i >= start and needle in line) + 1


CLOSES = "    at: 2027-01-15 17:00"


def test_a_deadline_before_the_opening_is_an_error(tmp_path: Path) -> None:
    text = shipped().replace(CLOSES, "    at: 2026-11-30 17:00")
    assert problems_of(tmp_path, text) == [("call-dates", line_of(text, "2026-11-30"), "milestones[1].at")]
    _, problems = check_call(tmp_path / "call.yaml")
    assert (
        "申报截止时间（2026年11月30日 17:00）不晚于申报开始时间（2026年12月1日 09:00）" in problems[0].message
    )


def test_a_milestone_before_publication_is_an_error(tmp_path: Path) -> None:
    text = shipped().replace("    at: 2026-12-01 09:00", "    at: 2026-11-01 09:00")
    assert problems_of(tmp_path, text) == [("call-dates", line_of(text, "2026-11-01"), "milestones[0].at")]


@pytest.mark.parametrize(
    ("written", "code", "says"),
    [
        ("2027-01-15", "time-missing", "请写成 2027-01-15 17:00"),
        ("2027-01-15 5pm", "time-format", "时间“2027-01-15 5pm”无法识别"),
        ("2027-02-30 17:00", "time-format", "无法识别"),
    ],
)
def test_a_time_without_its_hour_or_in_another_form_is_reported_with_the_form_to_use(
    tmp_path: Path, written: str, code: str, says: str
) -> None:
    text = shipped().replace(CLOSES, f"    at: {written}")
    assert problems_of(tmp_path, text) == [(code, line_of(text, written), "milestones[1].at")]
    _, problems = check_call(tmp_path / "call.yaml")
    assert says in problems[0].message


def test_seconds_and_an_explicit_offset_are_accepted_and_read_as_beijing_time(tmp_path: Path) -> None:
    path = tmp_path / "call.yaml"
    path.write_text(shipped().replace(CLOSES, "    at: 2027-01-15 09:00:00+00:00"), encoding="utf-8")
    call, problems = check_call(path)
    assert problems == [] and call is not None
    assert call.closes.at.isoformat() == "2027-01-15T17:00:00+08:00"


def test_exactly_one_deadline_drives_the_status(tmp_path: Path) -> None:
    none = shipped().replace("    kind: closes\n", "")
    assert problems_of(tmp_path, none) == [("call-dates", line_of(none, "milestones:"), "milestones")]
    two = shipped().replace("  - name: 主管部门推荐截止\n", "  - name: 主管部门推荐截止\n    kind: closes\n")
    assert problems_of(tmp_path, two) == [
        ("call-dates", line_of(two, "kind: closes", "  - name: 主管部门推荐截止"), "milestones[2].kind")
    ]


def test_the_old_deadline_key_says_what_replaced_it(tmp_path: Path) -> None:
    text = shipped().replace("milestones:", "deadline: 2027-01-15\nmilestones:")
    path = tmp_path / "call.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_call(path)
    assert [(p.code, p.key) for p in problems] == [("unknown-key", "deadline")]
    assert "申报截止时间现写在 milestones 中" in problems[0].full_message()


def test_yaml_mistakes_in_the_call_are_reported_like_in_a_proposal(tmp_path: Path) -> None:
    assert problems_of(tmp_path, shipped() + "year: 2027\n")[0][0] == "yaml-duplicate-key"
    assert problems_of(tmp_path, "title: [unclosed\n")[0][0] == "yaml-syntax"
    assert problems_of(tmp_path, "")[0][0] == "yaml-not-mapping"


def test_load_call_raises_check_failed_with_the_problems() -> None:
    with pytest.raises(CheckFailed) as caught:
        load_call(BROKEN)
    assert caught.value.checked == 1
    assert {p.code for p in caught.value.problems} == {
        "type",
        "time-missing",
        "format",
        "required",
        "unknown-key",
    }


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
