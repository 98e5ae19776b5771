"""The department's 汇总表 (附件3): read back with openpyxl and compared with the proposals themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from callguide import model as m
from callguide.exports import write_internal
from callguide.guide import PublishedGuide, load_guide, money, publish
from callguide.model import Proposal

PROJECT = Path(__file__).resolve().parent.parent
OFFICIAL_COLUMNS = [
    "序号",
    "产业领域",
    "合作国别/地区",
    "项目名称",
    "项目类型",
    "项目计划总投入（万元）",
    "经费支持建议（万元）",
    "指南建议单位",
    "建议人",
    "建议人联系电话",
]
HEADER_ROW = 4  # 附件3, the title, the 主管部门/联系人 line, then the header


@pytest.fixture(scope="module")
def loaded() -> tuple[PublishedGuide, dict[str, Proposal]]:
    guide, checked, _ = load_guide(PROJECT)
    return guide, {c.slug: c.proposal for c in checked if c.proposal is not None}


@pytest.fixture(scope="module")
def guide(loaded: tuple[PublishedGuide, dict[str, Proposal]]) -> PublishedGuide:
    return loaded[0]


@pytest.fixture(scope="module")
def written(
    loaded: tuple[PublishedGuide, dict[str, Proposal]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("internal")
    paths = write_internal(*loaded, out)
    assert sorted(p.name for p in out.iterdir()) == ["summary-table.csv", "summary-table.xlsx"]
    xlsx, csv_path = paths
    return xlsx, csv_path


@pytest.fixture(scope="module")
def sheet(written: tuple[Path, Path]) -> Worksheet:
    wb = load_workbook(written[0])
    assert [ws.title for ws in wb.worksheets] == ["附件3 汇总表", "未发布的建议"]
    return wb.worksheets[0]


def numbered(guide: PublishedGuide) -> list[list[Any]]:
    """``expected_rows`` with the guide's numbers: a topic withdrawn after publication (known from git
    history only) leaves its number unused."""
    return [[t.number, *row[1:]] for t, row in zip(guide.topics, expected_rows(), strict=True)]


def data_rows(ws: Worksheet) -> list[list[Any]]:
    """The topic rows: those numbered in the first column (subtotals and the total are labelled)."""
    return [
        values(ws, r) for r in range(HEADER_ROW + 1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)
    ]


def expected_rows() -> list[list[Any]]:
    """The 汇总表 rows, worked out from the YAML files: accepted ones, fields in official order, then order, then slug."""
    accepted = []
    for path in sorted((PROJECT / "proposals").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status", "accepted") == "accepted":
            accepted.append((path.stem, data))
    accepted.sort(
        key=lambda item: (
            m.FIELDS.index(m.normalise_enum(item[1]["field"], m.FIELDS)),
            item[1].get("order", 1 << 30),
            item[0],
        )
    )
    rows = []
    for number, (_, d) in enumerate(accepted, start=1):
        field = m.normalise_enum(d["field"], m.FIELDS)
        region = m.normalise_enum(d["region"], m.REGIONS)
        if d.get("partner_countries"):
            region += "（" + "、".join(d["partner_countries"]) + "）"
        types = [m.normalise_enum(t, m.PROJECT_TYPES) for t in d["project_types"]]
        category = m.normalise_enum(d.get("import_category"), m.IMPORT_CATEGORIES)
        rows.append(
            [
                number,
                f"{field}（{d['field_other']}）" if field == m.OTHER_FIELD else field,
                region,
                d["title"].strip(),
                "、".join(f"{t}（{category}）" if t == m.IMPORT_TYPE else t for t in types),
                d["investment"]["total"],
                d["investment"]["provincial"],
                d["proposer"]["organization"],
                d["proposer"]["name"],
                d["proposer"]["phone"],
            ]
        )
    return rows


def values(ws: Worksheet, row: int) -> list[Any]:
    return [ws.cell(row=row, column=c).value for c in range(1, len(OFFICIAL_COLUMNS) + 1)]


# --- contents -------------------------------------------------------------------------


def test_the_header_is_the_official_column_order(sheet: Worksheet) -> None:
    assert values(sheet, HEADER_ROW) == OFFICIAL_COLUMNS
    assert sheet["A1"].value == "附件3"
    assert sheet["A2"].value == "2026年省级国际科技合作项目指南建议汇总表"
    assert "A2:J2" in {str(r) for r in sheet.merged_cells.ranges}


def test_one_row_per_published_topic_in_guide_order(sheet: Worksheet, guide: PublishedGuide) -> None:
    expected = numbered(guide)
    assert len(expected) == len(guide.topics) > 0
    rows = data_rows(sheet)
    assert rows == expected
    assert [r[3] for r in rows] == [t.title for t in guide.topics]


def test_unpublished_proposals_are_left_out(sheet: Worksheet) -> None:
    titles = {sheet.cell(row=r, column=4).value for r in range(1, sheet.max_row + 1)}
    for name in ("industrial-robot-rv-reducer-precision", "lipid-nanoparticle-nucleic-acid-delivery"):
        data = yaml.safe_load((PROJECT / "proposals" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert data["status"] in ("draft", "withdrawn")
        assert data["title"] not in titles


def test_numbers_are_numbers_and_phones_are_text(sheet: Worksheet) -> None:
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if not isinstance(sheet.cell(row=row, column=1).value, int):
            continue
        for col in (6, 7):
            cell = sheet.cell(row=row, column=col)
            assert isinstance(cell.value, int | float)
            # whole 万元 where whole, two decimals only where needed
            assert cell.number_format == ("0" if float(cell.value).is_integer() else "0.00"), cell.value
        phone = sheet.cell(row=row, column=10)
        assert phone.data_type == "s" and m.PHONE_RE.match(phone.value)


def test_each_field_has_a_subtotal_and_the_table_a_total_written_as_numbers(
    written: tuple[Path, Path], guide: PublishedGuide
) -> None:
    ws = load_workbook(written[0], data_only=True).worksheets[0]  # what previewers and pandas read
    expected = expected_rows()
    labels = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    subtotals = [v for v in labels if isinstance(v, str) and v.startswith("小计：")]
    assert subtotals == [
        f"小计：{g.name}（{len(g.topics)} 项）" for g in guide.groups
    ]  # official field order
    assert labels[-1] == f"合计（{len(expected)} 项）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    at = HEADER_ROW + 1
    for g in guide.groups:
        rows = expected[: len(g.topics)]
        expected = expected[len(g.topics) :]
        at += len(rows)
        for col, index in ((6, 5), (7, 6)):
            assert ws.cell(at, col).value == pytest.approx(sum(r[index] for r in rows))
        assert f"A{at}:E{at}" in merged
        at += 1
    for col, index in ((6, 5), (7, 6)):
        total = ws.cell(ws.max_row, col).value
        assert isinstance(total, int | float) and total == pytest.approx(
            sum(r[index] for r in expected_rows())
        )
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row
    ), "no formula without its value"


def test_the_second_sheet_accounts_for_every_suggestion_not_published(written: tuple[Path, Path]) -> None:
    ws = load_workbook(written[0]).worksheets[1]
    held = {}
    for path in sorted((PROJECT / "proposals").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status", "accepted") != "accepted":
            held[path.stem] = data
    listed = [values(ws, r) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert {row[1]: row[4] for row in listed} == {
        slug: {"draft": "草稿", "withdrawn": "撤回"}[d["status"]] for slug, d in held.items()
    }
    for row in listed:
        data = held[row[1]]
        assert (row[2], row[8], row[9]) == (
            data["title"].strip(),
            data["proposer"]["name"],
            data["proposer"]["phone"],
        )


def test_one_chinese_font_family_in_the_body_and_no_calibri(
    sheet: Worksheet, written: tuple[Path, Path]
) -> None:
    for ws in load_workbook(written[0]).worksheets:
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value not in (None, "")}
        assert "Calibri" not in fonts and fonts <= {"仿宋", "黑体", "方正小标宋简体"}, fonts
    topic_row = next(
        r for r in range(HEADER_ROW + 1, sheet.max_row) if isinstance(sheet.cell(r, 1).value, int)
    )
    assert {sheet.cell(topic_row, c).font.name for c in range(1, 11)} == {"仿宋"}


def test_libreoffice_reads_the_table_where_it_is_installed(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed here: the table was read back with openpyxl only")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, double quote, UTF-8
            "--outdir",
            str(tmp_path),
            str(written[0]),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "summary-table.csv").read_text(encoding="utf-8"))))
    total = next(r for r in rows if r and r[0].startswith("合计"))
    assert total[0] == f"合计（{len(expected_rows())} 项）"
    assert float(total[5]) == pytest.approx(sum(r[5] for r in expected_rows()))  # a number LibreOffice shows


# --- presentation ---------------------------------------------------------------------


def test_the_header_is_styled(sheet: Worksheet) -> None:
    for col in range(1, len(OFFICIAL_COLUMNS) + 1):
        cell = sheet.cell(row=HEADER_ROW, column=col)
        assert cell.font.b is True
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("D9E1F2")
        assert cell.alignment.horizontal == "center" and cell.alignment.wrap_text
        assert cell.border.left.style == cell.border.bottom.style == "thin"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"


def test_column_widths_are_set(sheet: Worksheet) -> None:
    widths = {
        name: sheet.column_dimensions[chr(ord("A") + i)].width for i, name in enumerate(OFFICIAL_COLUMNS)
    }
    assert all(w and w >= 6 for w in widths.values()), widths
    assert max(widths, key=lambda k: widths[k]) == "项目名称"
    assert widths["指南建议单位"] > widths["建议人"]


def test_the_sheet_prints_on_a4_landscape_fitted_to_width(sheet: Worksheet) -> None:
    setup = sheet.page_setup
    assert int(setup.paperSize) == 9  # A4 in ECMA-376
    assert setup.orientation == "landscape"
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows in ("4:4", "$4:$4")
    assert sheet.print_area == f"'{sheet.title}'!$A$1:$J${sheet.max_row}"


# --- the CSV --------------------------------------------------------------------------


def test_the_csv_has_a_bom_and_the_same_rows(
    written: tuple[Path, Path], sheet: Worksheet, guide: PublishedGuide
) -> None:
    raw = written[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF, as Excel writes it
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == OFFICIAL_COLUMNS
    expected = [
        [money(v) if isinstance(v, int | float) and i in (5, 6) else str(v) for i, v in enumerate(r)]
        for r in numbered(guide)
    ]
    assert rows[1:] == expected
    xlsx = data_rows(sheet)
    assert [[str(v) for v in r] for r in rows[1:]] == [
        [money(v) if isinstance(v, float) else str(v) for v in r] for r in xlsx
    ]


def test_an_empty_guide_still_gives_a_valid_table(guide: PublishedGuide, tmp_path: Path) -> None:
    xlsx, csv_path = write_internal(publish(guide.call, []), {}, tmp_path)
    ws = load_workbook(xlsx).worksheets[0]
    assert values(ws, HEADER_ROW) == OFFICIAL_COLUMNS
    assert ws.cell(row=HEADER_ROW + 1, column=1).value == "合计（0 项）"
    assert ws.cell(row=HEADER_ROW + 1, column=6).value == 0
    assert csv_path.read_bytes().decode("utf-8-sig").splitlines() == [",".join(OFFICIAL_COLUMNS)]


def test_the_same_table_is_written_as_the_same_bytes(
    loaded: tuple[PublishedGuide, dict[str, Proposal]], tmp_path: Path
) -> None:
    first, _ = write_internal(*loaded, tmp_path / "one")
    again, _ = write_internal(*loaded, tmp_path / "two")
    assert first.read_bytes() == again.read_bytes()
    props = load_workbook(first).properties
    assert props.modified == props.created == dt.datetime.combine(loaded[0].call.publish_date, dt.time())
