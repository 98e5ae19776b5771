"""Every rule of the proposal format (shared/spec/proposal-format.md), one case each.

Each case takes the valid file ``tests/data/valid/base.yaml``, changes one thing,
and asserts the problem's code, severity and line — never the prose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callguide.check import check_paths
from callguide.problems import Problem

DATA = Path(__file__).parent / "data"
BASE = (DATA / "valid" / "base.yaml").read_text(encoding="utf-8")


def check_text(tmp_path: Path, text: str, name: str = "topic.yaml") -> list[Problem]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _, problems = check_paths([path])
    return problems


def edit(old: str, new: str) -> str:
    assert old in BASE, f"{old!r} is not in base.yaml"
    return BASE.replace(old, new, 1)


def test_the_base_file_is_valid(tmp_path: Path) -> None:
    assert check_text(tmp_path, BASE) == []


# (id, changed text, expected code, expected line, severity)
CASES = [
    # required keys
    ("title missing", edit("title: 海上风电柔性直流送出关键装备联合研发\n", ""), "required", 1, "error"),
    ("proposer name missing", edit("  name: 测试甲\n", ""), "required", 24, "error"),
    (
        "guide section missing",
        edit("  trl: 项目完成时关键技术成熟度达到 7 级（环境级）。\n", ""),
        "required",
        31,
        "error",
    ),
    (
        "guide section empty",
        edit("  eligibility: 须与外方合作单位签订合作协议。", '  eligibility: ""'),
        "empty-text",
        37,
        "error",
    ),
    (
        "guide section blank",
        edit("  eligibility: 须与外方合作单位签订合作协议。", '  eligibility: "  "'),
        "empty-text",
        37,
        "error",
    ),
    # unknown keys
    ("unknown top-level key", edit("title:", "titel:"), "unknown-key", 4, "error"),
    ("unknown nested key", edit("  phone:", "  mobile:"), "unknown-key", 28, "error"),
    # enumerations
    ("field not in list", edit("field: 新能源", "field: 新能原"), "enum", 5, "error"),
    ("region not in list", edit("region: 创新领先国家", "region: 发达国家"), "enum", 6, "error"),
    (
        "project type not in list",
        edit("project_types: [引进来, 依托国际创新合作平台]", "project_types: [引进来, 请进来]"),
        "enum",
        8,
        "error",
    ),
    (
        "import category not in list",
        edit("import_category: “卡脖子”技术", "import_category: 颠覆性技术"),
        "enum",
        9,
        "error",
    ),
    ("status not in list", edit("status: accepted", "status: published"), "enum", 2, "error"),
    # title and overview
    (
        "title too short",
        edit("title: 海上风电柔性直流送出关键装备联合研发", "title: 风电"),
        "title-length",
        4,
        "error",
    ),
    (
        "title too long",
        edit("title: 海上风电柔性直流送出关键装备联合研发", "title: " + "风" * 61),
        "title-length",
        4,
        "error",
    ),
    (
        "title on two lines",
        edit("title: 海上风电柔性直流送出关键装备联合研发", "title: |\n  海上风电柔性直流\n  送出关键装备"),
        "title-one-line",
        4,
        "error",
    ),
    (
        "overview too long",
        edit("overview: |\n", "overview: |\n  " + "字" * 1001 + "\n"),
        "overview-length",
        10,
        "error",
    ),
    # field / field_other
    ("其他 without field_other", edit("field: 新能源", "field: 其他"), "field-other-required", 5, "error"),
    (
        "field_other without 其他",
        edit("field: 新能源", "field: 新能源\nfield_other: 文化科技"),
        "field-other-forbidden",
        6,
        "error",
    ),
    # project types / import category
    (
        "no project type",
        edit(
            "project_types: [引进来, 依托国际创新合作平台]\nimport_category: “卡脖子”技术",
            "project_types: []",
        ),
        "list-length",
        8,
        "error",
    ),
    (
        "repeated project type",
        edit("project_types: [引进来, 依托国际创新合作平台]", "project_types: [引进来, 引进来]"),
        "duplicate-item",
        8,
        "error",
    ),
    (
        "引进来 without category",
        edit("import_category: “卡脖子”技术\n", ""),
        "import-category-required",
        8,
        "error",
    ),
    (
        "category without 引进来",
        edit("project_types: [引进来, 依托国际创新合作平台]", "project_types: [走出去]"),
        "import-category-forbidden",
        9,
        "error",
    ),
    # key technologies and TRL
    (
        "no key technology",
        edit(BASE[BASE.index("  - name: 大容量") : BASE.index("investment:")], "").replace(
            "key_technologies:\n", "key_technologies: []\n"
        ),
        "list-length",
        13,
        "error",
    ),
    (
        "six key technologies",
        edit(
            "key_technologies:\n",
            "key_technologies:\n"
            + "".join(f"  - name: 技术{i}\n    trl_current: 2\n    trl_expected: 3\n" for i in range(4)),
        ),
        "list-length",
        13,
        "error",
    ),
    (
        "repeated technology name",
        edit("  - name: 高压直流海缆绝缘材料", "  - name: 大容量柔性直流换流阀设计"),
        "duplicate-item",
        18,
        "error",
    ),
    ("TRL above 13", edit("    trl_expected: 7", "    trl_expected: 14"), "trl-range", 16, "error"),
    ("TRL below 1", edit("    trl_current: 4", "    trl_current: 0"), "trl-range", 15, "error"),
    ("expected below current", edit("    trl_expected: 7", "    trl_expected: 3"), "trl-order", 16, "error"),
    (
        "expected equal to current",
        edit("    trl_expected: 7", "    trl_expected: 4"),
        "trl-equal",
        16,
        "warning",
    ),
    # investment
    ("provincial zero", edit("  provincial: 800.5", "  provincial: 0"), "investment-positive", 23, "error"),
    ("total negative", edit("  total: 4200", "  total: -1"), "investment-positive", 22, "error"),
    (
        "three decimals",
        edit("  provincial: 800.5", "  provincial: 800.555"),
        "investment-decimals",
        23,
        "error",
    ),
    (
        "provincial above total",
        edit("  provincial: 800.5", "  provincial: 5000"),
        "investment-exceeds",
        23,
        "error",
    ),
    # proposer
    (
        "phone not a phone number",
        edit('  phone: "0532-86661234"', '  phone: "12345"'),
        "phone-format",
        28,
        "error",
    ),
    # restricted Markdown
    (
        "javascript: link",
        edit("  deliverables: 换流阀样机 1 套。", "  deliverables: '[样机](javascript:alert(1))'"),
        "link-scheme",
        40,
        "error",
    ),
    (
        "file: link",
        edit("  deliverables: 换流阀样机 1 套。", "  deliverables: '见 <file:///etc/passwd>'"),
        "link-scheme",
        40,
        "error",
    ),
    (
        "raw HTML",
        edit("  deliverables: 换流阀样机 1 套。", "  deliverables: 换流阀样机<script>alert(1)</script>"),
        "raw-html",
        40,
        "warning",
    ),
    # YAML 1.1 surprises: errors, not coercions
    (
        "number in a text field",
        edit("title: 海上风电柔性直流送出关键装备联合研发", "title: 2025"),
        "yaml-coercion",
        4,
        "error",
    ),
    (
        "boolean in a text field",
        edit("  call_scope: 面向全球张榜。", "  call_scope: no"),
        "yaml-coercion",
        41,
        "error",
    ),
    (
        "date in a text field",
        edit("  deliverables: 换流阀样机 1 套。", "  deliverables: 2025-03-01"),
        "yaml-coercion",
        40,
        "error",
    ),
    (
        "octal phone number",
        edit('  phone: "0532-86661234"', "  phone: 0105551234"),
        "yaml-coercion",
        28,
        "error",
    ),
    (
        "mobile number unquoted",
        edit('  phone: "0532-86661234"', "  phone: 13812345678"),
        "yaml-coercion",
        28,
        "error",
    ),
    ("quoted number in a number field", edit("  total: 4200", '  total: "4200"'), "type", 22, "error"),
    ("quoted TRL", edit("    trl_current: 4", '    trl_current: "4"'), "type", 15, "error"),
    ("octal number in a number field", edit("  total: 4200", "  total: 04200"), "yaml-coercion", 22, "error"),
    ("boolean in a number field", edit("  total: 4200", "  total: yes"), "type", 22, "error"),
    (
        "text where a list is expected",
        edit("partner_countries: [丹麦, 德国]", "partner_countries: 丹麦"),
        "type",
        7,
        "error",
    ),
    # YAML structure
    (
        "duplicate key",
        edit("field: 新能源\n", "field: 新能源\nfield: 新材料\n"),
        "yaml-duplicate-key",
        6,
        "error",
    ),
    (
        "anchor",
        edit("partner_countries: [丹麦, 德国]", "partner_countries: &p [丹麦, 德国]"),
        "yaml-anchor",
        7,
        "error",
    ),
    ("two documents", BASE + "---\ntitle: 另一个文档\n", "yaml-multi-document", 42, "error"),
    ("syntax error", edit("field: 新能源", "field: [新能源"), "yaml-syntax", 6, "error"),
    ("non-text key", edit("field: 新能源", "field: 新能源\n2025: 年度"), "yaml-key-type", 6, "error"),
    (
        "explicit tag",
        edit("title: 海上风电柔性直流送出关键装备联合研发", "title: !!binary aGVsbG8="),
        "yaml-tag",
        4,
        "error",
    ),
    ("top level is a list", "- 海上风电\n- 柔性直流\n", "yaml-not-mapping", 1, "error"),
    ("empty file", "", "yaml-not-mapping", 1, "error"),
    (
        "deep nesting",
        edit("report:\n", "report:\n  gaps: " + "[" * 30 + "]" * 30 + "\n"),
        "yaml-too-deep",
        30,
        "error",
    ),
    # proposer data pasted into public text: reported on the line where it was pasted
    (
        "proposer name in public text",
        edit("  call_scope: 面向全球张榜。", "  call_scope: 面向全球张榜，联系测试甲。"),
        "proposer-in-public",
        41,
        "error",
    ),
    (
        "proposer phone in a block of public text",
        edit(
            "    2. 研制高压直流海缆绝缘材料。",
            "    2. 研制高压直流海缆绝缘材料。\n\n    咨询电话 0532-86661234。",
        ),
        "proposer-in-public",
        36,
        "error",
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "line", "severity"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule(tmp_path: Path, text: str, code: str, line: int, severity: str) -> None:
    problems = check_text(tmp_path, text)
    found = [(p.code, p.line, p.severity) for p in problems]
    assert (code, line, severity) in found, found
    # nothing else is reported (a misspelt key is also a missing one)
    also = {"required"} if code == "unknown-key" else set()
    assert {p.code for p in problems} - also == {code}, found


def test_proposer_data_in_public_text_points_at_the_value_pasted(tmp_path: Path) -> None:
    text = edit(
        "  eligibility: 须与外方合作单位签订合作协议。", "  eligibility: 须经测试能源装备研究院同意。"
    )
    (p,) = check_text(tmp_path, text)
    assert (p.code, p.key, p.found, p.line) == (
        "proposer-in-public",
        "guide.eligibility",
        "测试能源装备研究院",
        37,
    )
    assert "测试能源装备研究院" in p.message and "proposer" in p.message


def test_proposer_data_in_a_block_is_placed_on_its_own_line_and_column(tmp_path: Path) -> None:
    text = edit(
        "    2. 研制高压直流海缆绝缘材料。",
        "    2. 研制高压直流海缆绝缘材料。\n\n    咨询电话 0532-86661234。",
    )
    (p,) = check_text(tmp_path, text)
    assert (p.line, p.column, p.found) == (36, 10, "0532-86661234")


def test_proposer_data_in_private_text_is_allowed(tmp_path: Path) -> None:
    assert (
        check_text(
            tmp_path, edit("  background: 海上风电是能源转型的重要方向。", "  background: 由测试甲牵头。")
        )
        == []
    )


def test_another_files_proposer_in_public_text_is_found(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(edit("  name: 测试甲", "  name: 林雨桐"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        edit(
            "title: 海上风电柔性直流送出关键装备联合研发", "title: 海上风电柔性直流送出关键装备联合研发二期"
        ).replace("  call_scope: 面向全球张榜。", "  call_scope: 面向全球张榜，可咨询林雨桐。"),
        encoding="utf-8",
    )
    _, problems = check_paths([tmp_path])
    assert [(p.file.rsplit("/", 1)[-1], p.code, p.found) for p in problems] == [
        ("b.yaml", "proposer-in-public", "林雨桐")
    ]


def test_every_problem_has_a_position_key_path_and_chinese_message(tmp_path: Path) -> None:
    problems = check_text(tmp_path, edit("    trl_expected: 7", "    trl_expected: 3"))
    (p,) = problems
    assert (p.file, p.line, p.column, p.key) == (
        str(tmp_path / "topic.yaml"),
        16,
        19,
        "key_technologies[0].trl_expected",
    )
    assert "实施预期等级" in p.message and p.found == "3" and p.allowed == ">= 4"


def test_unknown_key_suggests_the_closest_key(tmp_path: Path) -> None:
    (p,) = [p for p in check_text(tmp_path, edit("title:", "titel:")) if p.code == "unknown-key"]
    assert p.hint is not None and "title" in p.hint


def test_enumeration_suggests_the_closest_value(tmp_path: Path) -> None:
    (p,) = check_text(tmp_path, edit("field: 新能源", "field: 新能原"))
    assert p.hint is not None and "新能源" in p.hint
    assert p.allowed is not None and "低空经济" in p.allowed


def test_all_problems_of_a_file_are_collected(tmp_path: Path) -> None:
    text = edit("field: 新能源", "field: 新能原").replace("    trl_expected: 7", "    trl_expected: 3")
    text = text.replace('  phone: "0532-86661234"', '  phone: "12345"')
    codes = [p.code for p in check_text(tmp_path, text)]
    assert codes == ["enum", "trl-order", "phone-format"]
