"""``build.py import`` and ``build.py export-forms``: the department's Word forms in and out.

The fixtures (tests/fixtures/docx/, made by its make.py) are the forms as real documents vary.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT, copy_project

from callguide import importer
from callguide.check import check_paths, load_call
from callguide.cli import main
from callguide.forms import write_form
from callguide.skeleton import filled_template

DOCX = PROJECT / "tests" / "fixtures" / "docx"
GOLDEN = PROJECT / "tests" / "golden" / "import"
NOT_ON_FORM = {
    "status",
    "order",
    "partner_countries",
    "revisions",
    "en",
}  # revisions: after publication; en: ours


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.strip() if isinstance(value, str) else value


def comparable(proposal) -> dict:
    data = _plain(proposal.model_dump(exclude=NOT_ON_FORM))
    data["project_types"] = sorted(data["project_types"])  # the form has no order for them
    return data


def imported(tmp_path: Path, *files: Path, slug: str = "imported"):
    got = importer.read(list(files))
    path = tmp_path / "proposals" / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(filled_template(slug, got.data, got.notes, files[0].name), encoding="utf-8")
    checked, problems = check_paths([path])
    return got, checked[0].proposal, problems


SAMPLES = sorted(p.stem for p in (PROJECT / "proposals").glob("*.yaml"))


@pytest.mark.parametrize("slug", SAMPLES)
def test_import_of_the_exported_form_gives_back_the_proposal(tmp_path: Path, slug: str) -> None:
    checked, _ = check_paths([PROJECT / "proposals" / f"{slug}.yaml"])
    original = checked[0].proposal
    form = tmp_path / f"{slug}.docx"
    write_form(original, load_call(PROJECT / "call.yaml"), form)
    got, again, problems = imported(tmp_path, form)
    assert got.problems == [] and [p for p in problems if p.is_error] == []
    assert comparable(again) == comparable(original)


def reference() -> dict:
    checked, _ = check_paths([PROJECT / "proposals" / "pem-electrolyzer-green-hydrogen.yaml"])
    return comparable(checked[0].proposal)


@pytest.mark.parametrize(
    "files",
    [
        ("complete.docx",),
        ("wingdings.docx",),  # boxes as Wingdings symbols (w:sym), which python-docx's text drops
        ("content-controls.docx",),  # boxes as check-box content controls (w:sdt)
        ("spaced-labels.docx",),  # 项　目　名　称, 产业领域：
        ("rows-in-main-table.docx", "part-report.docx"),  # the technologies as rows of the main table
        ("part-info.docx", "part-report.docx"),  # 信息表 and 说明报告 in two files …
        ("part-report.docx", "part-info.docx"),  # … in either order
    ],
)
def test_each_variant_of_the_form_imports_to_what_the_form_says(
    tmp_path: Path, files: tuple[str, ...]
) -> None:
    got, proposal, problems = imported(tmp_path, *(DOCX / f for f in files))
    assert got.problems == [] and [p.code for p in problems if p.is_error] == []
    assert comparable(proposal) == reference()


def test_words_own_numbering_becomes_a_markdown_list(tmp_path: Path) -> None:
    _, proposal, _ = imported(tmp_path, DOCX / "numbered.docx")
    assert proposal.guide.research_content.strip().split("\n\n") == ["- 研制兆瓦级电堆样机", "- 开展示范运行"]


def test_a_wrongly_filled_form_says_what_and_where_and_check_points_at_it(tmp_path: Path) -> None:
    got, proposal, problems = imported(tmp_path, DOCX / "wrongly-filled.docx")
    assert proposal is None
    found = {(p.code, p.where, p.label) for p in got.problems}
    assert found == {
        ("form-several", "表1 第1行", "产业领域"),
        ("form-none", "表1 第4行", "“引进来”类别"),
        ("level-unreadable", "表1 第6行内表1 第2行", "技术成熟度等级"),
        ("amount-unreadable", "表1 第7行", "项目计划总投入"),
    }
    several = next(p for p in got.problems if p.code == "form-several")
    assert "新能源、新材料" in several.message and "仅选择一项" in several.message
    # left empty, so that check points at each: the field, the missing category, the level, the amount
    assert {p.key for p in problems if p.is_error} == {
        "field",
        "project_types",
        "key_technologies[0].trl_current",
        "investment.total",
    }
    text = (tmp_path / "proposals" / "imported.yaml").read_text(encoding="utf-8")
    assert "# 待核对：勾选了 2 项（新能源、新材料）" in text


def test_a_complete_form_imports_to_the_committed_file(tmp_path: Path, golden) -> None:
    root = tmp_path / "project"
    (root / "proposals").mkdir(parents=True)
    code, out, _ = run("import", str(DOCX / "complete.docx"), "--slug", "pem-import", "--root", str(root))
    assert code == 0, out
    golden(GOLDEN / "complete.yaml", (root / "proposals" / "pem-import.yaml").read_text(encoding="utf-8"))


def test_without_slug_one_is_proposed_from_the_title_and_printed(tmp_path: Path) -> None:
    (tmp_path / "proposals").mkdir()
    code, out, _ = run("import", str(DOCX / "complete.docx"), "--root", str(tmp_path))
    assert code == 0
    (written,) = (tmp_path / "proposals").glob("*.yaml")
    assert written.stem.startswith("zhao-wa-ji-zhi-zi-jiao-huan-mo") and len(written.stem) <= 64
    assert f"编号（按项目名称拼音）：{written.stem}" in out


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("old-format.doc", "另存为"),
        ("macro.docm", "宏"),
        ("damaged.docx", "已损坏"),
        ("zip-bomb.docx", "超过导入上限"),
        ("not-the-form.docx", "不是附件1"),
    ],
)
def test_a_file_that_cannot_be_imported_writes_nothing_and_says_why(
    tmp_path: Path, name: str, said: str
) -> None:
    (tmp_path / "proposals").mkdir()
    code, _, err = run("import", str(DOCX / name), "--slug", "x", "--root", str(tmp_path))
    assert code == 2 and said in err and "Traceback" not in err
    assert list((tmp_path / "proposals").iterdir()) == []


def test_an_existing_file_is_overwritten_only_with_force(tmp_path: Path) -> None:
    (tmp_path / "proposals").mkdir()
    target = tmp_path / "proposals" / "x.yaml"
    target.write_text("# the editor's work\n", encoding="utf-8")
    code, _, err = run("import", str(DOCX / "complete.docx"), "--slug", "x", "--root", str(tmp_path))
    assert code == 2 and "--force" in err and target.read_text(encoding="utf-8") == "# the editor's work\n"
    assert (
        run("import", str(DOCX / "complete.docx"), "--slug", "x", "--force", "--root", str(tmp_path))[0] == 0
    )


def test_nothing_is_written_outside_proposals(tmp_path: Path) -> None:
    (tmp_path / "proposals").mkdir()
    code, _, err = run("import", str(DOCX / "complete.docx"), "--slug", "../outside", "--root", str(tmp_path))
    assert code == 2 and "不合法" in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["proposals"]


def test_a_folder_imports_every_file_and_ends_with_a_table(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("complete.docx", "wrongly-filled.docx", "old-format.doc"):
        shutil.copy(DOCX / name, inbox / name)
    root = tmp_path / "project"
    (root / "proposals").mkdir(parents=True)
    code, out, _ = run("import", str(inbox), "--root", str(root))
    assert code == 2  # the worst of the three
    table = out.split("文件 → 编号 → 结果", 1)[1]
    assert "complete.docx → zhao-wa-ji" in table and "→ 已写入" in table
    assert "wrongly-filled.docx → zhi-zi-jiao-huan-mo" in table and "→ 需核对" in table
    assert "old-format.doc → — → 未写入" in table


def test_export_forms_writes_the_internal_forms_only(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    code, out, _ = run("export-forms", "--root", str(root))
    assert code == 0, out
    forms = sorted(p.stem for p in (root / "build" / "internal" / "forms").glob("*.docx"))
    assert forms == SAMPLES
    assert not (root / "site").exists()


def test_a_word_table_in_the_report_becomes_a_markdown_table(tmp_path: Path) -> None:
    import docx

    d = docx.Document(str(DOCX / "complete.docx"))
    heading = next(p for p in d.paragraphs if p.text == "1.技术指标")
    table = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate(
        (("指标", "目标值"), ("单槽产氢量", "≥200 标方/小时"), ("直流电耗", "≤4.2 kWh|标方"))
    ):
        table.rows[r].cells[0].text, table.rows[r].cells[1].text = a, b
    heading._p.addnext(table._tbl)
    form = tmp_path / "with-table.docx"
    d.save(str(form))
    _, proposal, _ = imported(tmp_path, form)
    assert proposal.report.technical_targets.startswith(
        "| 指标 | 目标值 |\n|---|---|\n| 单槽产氢量 | ≥200 标方/小时 |\n| 直流电耗 | ≤4.2 kWh\\|标方 |"
    )


def test_an_external_entity_in_the_xml_is_not_read(tmp_path: Path) -> None:
    import zipfile

    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    form = tmp_path / "xxe.docx"
    with zipfile.ZipFile(DOCX / "complete.docx") as src, zipfile.ZipFile(form, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                head, _, rest = data.decode("utf-8").partition("?>")
                data = (
                    (f'{head}?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>' + rest)
                    .replace("兆瓦级质子交换膜", "&x;兆瓦级质子交换膜", 1)
                    .encode("utf-8")
                )
            dst.writestr(info, data)
    code, out, err = run("import", str(form), "--slug", "xxe", "--root", str(tmp_path))
    written = tmp_path / "proposals" / "xxe.yaml"
    assert code in (0, 1, 2) and "Traceback" not in err
    assert "机密内容" not in out + err + (written.read_text(encoding="utf-8") if written.exists() else "")


def test_bold_and_italic_in_the_report_become_emphasis(tmp_path: Path) -> None:
    import docx

    d = docx.Document(str(DOCX / "complete.docx"))
    p = next(p for p in d.paragraphs if p.text.startswith("申报条件："))
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    p.add_run("申报条件：").bold = True
    p.add_run("牵头单位须")
    p.add_run("具有").italic = True
    p.add_run("独立法人资格")
    p.add_run("，并与外方签订合作协议。").bold = True
    form = tmp_path / "emphasis.docx"
    d.save(str(form))
    _, proposal, _ = imported(tmp_path, form)
    assert proposal.guide.eligibility.strip().startswith(
        "牵头单位须*具有*独立法人资格**，并与外方签订合作协议。**"
    )


def test_an_old_word_file_is_converted_where_libreoffice_is_installed(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed here: a .doc gets the 另存为 .docx message instead"
        )
    import subprocess

    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "doc",
         "--outdir", str(tmp_path), str(DOCX / "complete.docx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    _, proposal, problems = imported(tmp_path, tmp_path / "complete.doc")
    assert [p.code for p in problems if p.is_error] == []
    assert comparable(proposal) == reference()


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("4", 4),
        ("第4级", 4),
        ("4级（功能级）", 4),
        ("功能级", 4),
        ("１３级", 13),
        ("第X级", None),
        ("14", None),
    ],
)
def test_levels_are_read_as_forms_write_them(text: str, level: int | None) -> None:
    assert importer.level(text) == level


@pytest.mark.parametrize(
    ("text", "value"), [("500万元", 500), ("1,200.5 万元", 1200.5), ("８００万元", 800), ("XXXX万元", None)]
)
def test_amounts_are_read_as_forms_write_them(text: str, value: float | None) -> None:
    assert importer.amount(text) == value


def _edited(tmp_path: Path, change) -> Path:
    import docx

    d = docx.Document(str(DOCX / "complete.docx"))
    change(d)
    out = tmp_path / "edited.docx"
    d.save(str(out))
    return out


def _cell(d, label: str):
    return next(row.cells[-1] for row in d.tables[0].rows if row.cells[0].text == label)


def test_other_field_with_its_name_and_the_overview_without_the_forms_instruction(tmp_path: Path) -> None:
    def change(d) -> None:
        field = _cell(d, "产业领域")
        field.text = field.text.replace("☑新能源", "□新能源").replace("□其他:__________", "☑其他:海洋碳汇")
        overview = _cell(d, "项目概述")
        overview.text = (
            "简要说明项目实施的必要性、主要合作内容、拟解决关键问题、预期成效目标（1000字以内）"
            + overview.text
        )

    got = importer.read([_edited(tmp_path, change)])
    assert (got.data["field"], got.data["field_other"]) == ("其他", "海洋碳汇")
    assert got.data["overview"].startswith("质子交换膜（PEM）电解水制氢")


def test_no_box_ticked_and_two_categories_are_problems_with_their_place(tmp_path: Path) -> None:
    def change(d) -> None:
        region = _cell(d, "合作国别、地区")
        region.text = region.text.replace("☑", "□")
        types = _cell(d, "项目类型")
        types.text = types.text.replace("□重大基础研究", "☑重大基础研究")

    got = importer.read([_edited(tmp_path, change)])
    assert {(p.code, p.label) for p in got.problems} == {
        ("form-none", "合作国别、地区"),
        ("form-several", "“引进来”类别"),
    }
    assert "region" not in got.data and "import_category" not in got.data


def test_a_missing_section_of_the_guide_is_named(tmp_path: Path) -> None:
    def change(d) -> None:
        p = next(p for p in d.paragraphs if p.text.startswith("张榜范围："))
        p._p.getparent().remove(p._p)

    got = importer.read([_edited(tmp_path, change)])
    assert [(p.code, p.where, p.label) for p in got.problems] == [
        ("guide-missing", "说明报告 五、指南建议", "张榜范围")
    ]


def test_a_label_alone_on_its_line_takes_the_paragraphs_below_it(tmp_path: Path) -> None:
    def change(d) -> None:
        p = next(p for p in d.paragraphs if p.text.startswith("申报条件："))
        rest = p.text.removeprefix("申报条件：")
        p.text = "申报条件"
        new = d.add_paragraph(rest)
        p._p.addnext(new._p)

    got = importer.read([_edited(tmp_path, change)])
    assert (
        got.data["guide"]["eligibility"].startswith("- 须为在重大国际科技合作活动中已签约的项目")
        or got.data["guide"]["eligibility"]
    )
    assert got.problems == []


def test_a_form_written_but_to_be_checked_exits_1_and_shows_both_reports(tmp_path: Path) -> None:
    (tmp_path / "proposals").mkdir()
    code, out, _ = run(
        "import", str(DOCX / "wrongly-filled.docx"), "--slug", "to-check", "--root", str(tmp_path)
    )
    assert code == 1
    assert "表1 第1行「产业领域」: 勾选了 2 项" in out  # the form's problems …
    assert "proposals/to-check.yaml:" in out and "检查未通过" in out  # … then check's own report
    assert (tmp_path / "proposals" / "to-check.yaml").is_file()
