"""The mistakes editors make, one at a time, on ``tests/data/valid/base.yaml``: each is reported with
its code at the line and column where it was typed, and the message holds the fix.

(Found by adding a topic as a new editor would: pasting from Word, not knowing YAML.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callguide.check import check_paths
from callguide.problems import Problem

BASE = (Path(__file__).parent / "data" / "valid" / "base.yaml").read_text(encoding="utf-8")


def edit(old: str, new: str) -> str:
    assert old in BASE, f"{old!r} is not in base.yaml"
    return BASE.replace(old, new, 1)


def check_text(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "topic.yaml"
    path.write_text(text, encoding="utf-8")
    return check_paths([path])[1]


TITLE = "title: 海上风电柔性直流送出关键装备联合研发"
# (id, text, code, line, column, a piece of the fix the message must hold)
CASES = [
    # YAML syntax: the usual human cause, at the character typed
    ("full-width colon", edit(TITLE, TITLE.replace(": ", "：")), "yaml-fullwidth-colon", 4, 6, "title: …"),
    (
        "full-width colon on the last line",
        edit("  call_scope: 面向全球张榜。", "  call_scope：面向全球张榜。"),
        "yaml-fullwidth-colon",
        41,
        13,
        "call_scope: …",
    ),
    ("tab indentation", edit("  organization:", "\torganization:"), "yaml-tab", 25, 1, "换成空格"),
    ("ideographic space", edit("  organization:", "\u3000 organization:"), "yaml-space", 25, 1, "半角空格"),
    ("non-breaking space", edit("  name: 测试甲", "\xa0 name: 测试甲"), "yaml-space", 26, 1, "半角空格"),
    (
        "no space after a colon",
        edit("field: 新能源", "field:新能源"),
        "yaml-colon-space",
        5,
        6,
        "field: 新能源",
    ),
    (
        "no space after a dash",
        edit(
            "project_types: [引进来, 依托国际创新合作平台]",
            "project_types:\n  -引进来\n  - 依托国际创新合作平台",
        ),
        "yaml-dash-space",
        9,
        3,
        "- 引进来",
    ),
    (
        "quote never closed",
        edit(TITLE, 'title: "海上风电柔性直流送出关键装备联合研发'),
        "yaml-quote",
        4,
        8,
        "补上",
    ),
    # nothing lost silently
    ("text cut at #", edit(TITLE, TITLE.replace("直流", "直流 #2 ")), "text-comment", 4, 17, "加引号"),
    (
        "Word bullet",
        edit("    2. 研制高压直流海缆绝缘材料。", "    • 研制高压直流海缆绝缘材料。"),
        "pasted-bullet",
        34,
        5,
        "“- ”",
    ),
    (
        "circled number",
        edit("    2. 研制高压直流海缆绝缘材料。", "    ② 研制高压直流海缆绝缘材料。"),
        "pasted-bullet",
        34,
        5,
        "“1. ”",
    ),
    (
        "paragraphs joined by one line break",
        edit(
            "    2. 研制高压直流海缆绝缘材料。", "    2. 研制高压直流海缆绝缘材料。\n    样机须通过型式试验。"
        ),
        "single-line-break",
        35,
        5,
        "空一行",
    ),
    (
        "proposer phone in public text",
        edit("  call_scope: 面向全球张榜。", "  call_scope: 面向全球张榜，咨询 0532-86661234。"),
        "proposer-in-public",
        41,
        15,
        "删除",
    ),
    # the value found and the corrected one
    (
        "level with its unit",
        edit("    trl_current: 4", "    trl_current: 4级"),
        "type",
        15,
        18,
        "trl_current: 4",
    ),
    (
        "full-width digit",
        edit("    trl_expected: 7", "    trl_expected: ７"),
        "type",
        16,
        19,
        "trl_expected: 7",
    ),
    ("amount with its unit", edit("  total: 4200", "  total: 4200万元"), "type", 22, 10, "total: 4200"),
    (
        "amount in yuan with its unit",
        edit("  total: 4200", "  total: 42000000元"),
        "type",
        22,
        10,
        "total: 4200",
    ),
    (
        "a list written as text",
        edit("project_types: [引进来, 依托国际创新合作平台]", "project_types: 引进来，依托国际创新合作平台"),
        "type",
        8,
        16,
        "[引进来, 依托国际创新合作平台]",
    ),
    (
        "full-width commas inside brackets",
        edit(
            "project_types: [引进来, 依托国际创新合作平台]", "project_types: [引进来，依托国际创新合作平台]"
        ),
        "enum",
        8,
        17,
        "[引进来, 依托国际创新合作平台]",
    ),
    (
        "two import categories",
        edit("import_category: “卡脖子”技术", 'import_category: [国产化替代, "卡脖子"技术]'),
        "type",
        9,
        18,
        "只能选择一个",
    ),
    (
        "an empty required text",
        edit("  call_scope: 面向全球张榜。", "  call_scope:"),
        "empty-value",
        41,
        14,
        "冒号后写上内容",
    ),
    (
        "a Chinese key",
        edit("  call_scope: 面向全球张榜。", "  张榜范围: 面向全球张榜。"),
        "unknown-key",
        41,
        3,
        "call_scope",
    ),
    ("an amount in yuan", edit("  total: 4200", "  total: 42000000"), "amount-implausible", 22, 10, "4200"),
    (
        "funding text and amount differ",
        edit("  provincial: 800.5", "  provincial: 300"),
        "funding-mismatch",
        38,
        12,
        "核对",
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "line", "column", "fix"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_mistake_is_reported_where_it_was_typed_with_the_fix(
    tmp_path: Path, text: str, code: str, line: int, column: int, fix: str
) -> None:
    problems = check_text(tmp_path, text)
    found = [p for p in problems if p.code == code]
    assert found, [(p.code, p.line, p.column) for p in problems]
    p = found[0]
    assert (p.line, p.column) == (line, column), (p.line, p.column, p.full_message())
    assert fix in p.full_message(), p.full_message()
    assert "[" not in (p.found or "") or code in ("type", "enum"), p.found


def test_a_list_written_as_text_is_one_problem_not_a_cascade(tmp_path: Path) -> None:
    for written in ("引进来，依托国际创新合作平台", "[引进来，依托国际创新合作平台]"):
        text = edit("project_types: [引进来, 依托国际创新合作平台]", f"project_types: {written}")
        assert [p.code for p in check_text(tmp_path, text)] in (["type"], ["enum"]), written


def test_lists_are_shown_in_chinese_punctuation(tmp_path: Path) -> None:
    (p,) = check_text(
        tmp_path, edit("import_category: “卡脖子”技术", "import_category: [国产化替代, 重大基础研究]")
    )
    assert "国产化替代、重大基础研究" in p.message and "['" not in p.full_message()


@pytest.mark.parametrize(
    "value", ['region: "一带一路"共建国家', 'import_category: "卡脖子"技术', "region: “一带一路”共建国家"]
)
def test_an_ascii_quote_inside_an_enumeration_is_read_as_meant(tmp_path: Path, value: str) -> None:
    key = value.split(":")[0]
    line = next(line for line in BASE.splitlines() if line.startswith(f"{key}:"))
    assert check_text(tmp_path, edit(line, value)) == []


def test_yaml_own_words_stay_as_a_second_line_for_the_expert(tmp_path: Path) -> None:
    (p,) = check_text(tmp_path, edit(TITLE, TITLE.replace(": ", "：")))
    assert "YAML 解析器在第 5 行第 1 列报告：could not find expected ':'" in p.full_message()


def test_a_comment_on_its_own_line_or_after_a_number_is_still_a_comment(tmp_path: Path) -> None:
    text = edit("    trl_current: 4", "    # 自评依据见说明报告\n    trl_current: 4  # 初样级")
    assert check_text(tmp_path, text) == []
