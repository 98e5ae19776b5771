"""The 汇总表 (附件3) as the department sends it upward: the published topics by 产业领域 with subtotals
and a total written as numbers, and a second sheet accounting for every suggestion not published.

Internal: it holds the proposers' names and phone numbers, as the official form asks, and is written
to ``build/internal/`` only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import model as m
from .guide import PublishedGuide, guide_order

# the official column order of 附件3, with column widths (in characters) for the sheet
COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("产业领域", 14),
    ("合作国别/地区", 18),
    ("项目名称", 40),
    ("项目类型", 22),
    ("项目计划总投入（万元）", 14),
    ("经费支持建议（万元）", 14),
    ("指南建议单位", 28),
    ("建议人", 10),
    ("建议人联系电话", 18),
)
UNPUBLISHED_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("编号（文件名）", 30),
    ("项目名称", 40),
    ("产业领域", 14),
    ("状态", 8),
    ("项目计划总投入（万元）", 14),
    ("经费支持建议（万元）", 14),
    ("指南建议单位", 28),
    ("建议人", 10),
    ("建议人联系电话", 18),
)
STATUS_CN = {"draft": "草稿", "withdrawn": "撤回"}
BASENAME = "summary-table"
HEADER_ROW = 4
AMOUNT_COLUMNS = (6, 7)
BODY_FONT = "仿宋"  # every cell of the table but the labels GB/T 9704 sets in 黑体 and the title
HEAD_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def title(guide: PublishedGuide) -> str:
    return f"{guide.call.year}年省级国际科技合作项目指南建议汇总表"


def rows(guide: PublishedGuide, proposals: Mapping[str, m.Proposal]) -> list[list[object]]:
    """One row per published topic, in guide order, in the official column order.

    ``proposals`` (slug → the whole proposal) are the internal records; the guide holds public data only.
    """
    out: list[list[object]] = []
    for topic in guide.topics:
        proposal = proposals[topic.slug]
        region = topic.region
        if topic.partner_countries:
            region += f"（{topic.partners_text}）"
        out.append(
            [
                topic.number,
                topic.field_label,
                region,
                topic.title,
                topic.project_types_text,
                proposal.investment.total,
                proposal.investment.provincial,
                proposal.proposer.organization,
                proposal.proposer.name,
                proposal.proposer.phone,
            ]
        )
    return out


def amount_format(value: float) -> str:
    """Whole 万元 where whole, two decimals only where needed (500, 1850.50)."""
    return "0" if float(value).is_integer() else "0.00"


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _amount(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _header(ws: Worksheet, columns: Iterable[tuple[str, int]], row: int) -> None:
    for col, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = Font(name=HEAD_FONT, size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = _CENTER
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row].height = 36


def _row(ws: Worksheet, r: int, values: list[object], bold: bool = False) -> None:
    for c, value in enumerate(values, start=1):
        if isinstance(value, float):
            value = _amount(value)
        cell = ws.cell(row=r, column=c, value=value)
        cell.border = _BORDER
        cell.alignment = _CENTER if c in (1, *AMOUNT_COLUMNS, 9, 10) or bold else _WRAP
        cell.font = Font(name=HEAD_FONT if bold else BODY_FONT, size=11, bold=bold)
        if c in AMOUNT_COLUMNS and isinstance(value, int | float):
            cell.number_format = amount_format(value)


def _sum_row(ws: Worksheet, r: int, label: str, members: list[list[object]]) -> None:
    """A subtotal or total: the label across the first five columns, the sums as numbers (not formulas,
    which files written here would carry without their values)."""
    sums: list[object] = [sum(_number(row[c - 1]) for row in members) for c in AMOUNT_COLUMNS]
    _row(ws, r, [label, "", "", "", "", *sums, "", "", ""], bold=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)


def _page(ws: Worksheet, last_row: int) -> None:
    last = get_column_letter(ws.max_column)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _heading(ws: Worksheet, text: str, columns: int) -> None:
    last = get_column_letter(columns)
    ws["A1"] = "附件3"
    ws["A1"].font = Font(name=HEAD_FONT, size=12)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = text
    ws["A2"].font = Font(name=TITLE_FONT, size=18, bold=True)
    ws["A2"].alignment = _CENTER
    ws.row_dimensions[2].height = 32
    for ref, value in (("A3", "主管部门（盖章）："), ("H3", "联系人："), ("J3", "年      月      日")):
        ws[ref] = value
        ws[ref].font = Font(name=BODY_FONT, size=12)


def write_xlsx(guide: PublishedGuide, proposals: Mapping[str, m.Proposal], path: Path) -> None:
    """The workbook as the department prints it: A4 landscape, styled header, subtotals by field."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "附件3 汇总表"
    _heading(ws, title(guide), len(COLUMNS))
    _header(ws, COLUMNS, HEADER_ROW)
    data = rows(guide, proposals)
    r = HEADER_ROW + 1
    start = 0
    for group in guide.groups:
        members = data[start : start + len(group.topics)]
        start += len(members)
        for values in members:
            _row(ws, r, values)
            r += 1
        _sum_row(ws, r, f"小计：{group.name}（{len(members)} 项）", members)
        r += 1
    _sum_row(ws, r, f"合计（{len(data)} 项）", data)
    _page(ws, r)
    _unpublished_sheet(wb, guide, proposals)
    stamp = dt.datetime.combine(guide.call.publish_date, dt.time())
    wb.properties.creator = guide.call.issuer
    wb.properties.title = title(guide)
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible(buffer.getvalue(), stamp))


def _unpublished_sheet(wb: Workbook, guide: PublishedGuide, proposals: Mapping[str, m.Proposal]) -> None:
    """Every suggestion received but not published (drafts, withdrawn), so that each can be accounted for."""
    ws = wb.create_sheet("未发布的建议")
    _heading(ws, f"{title(guide)}（未发布的建议）", len(UNPUBLISHED_COLUMNS))
    _header(ws, UNPUBLISHED_COLUMNS, HEADER_ROW)
    held = sorted(
        ((s, p) for s, p in proposals.items() if p.status != "accepted"), key=lambda i: guide_order(*i)
    )
    r = HEADER_ROW + 1
    for number, (slug, p) in enumerate(held, start=1):
        field = f"{p.field}（{p.field_other}）" if p.field_other else p.field
        values: list[object] = [number, slug, p.title.strip(), field, STATUS_CN.get(p.status, p.status)]
        values += [p.investment.total, p.investment.provincial]
        values += [p.proposer.organization, p.proposer.name, p.proposer.phone]
        _row(ws, r, values)
        r += 1
    if not held:
        _row(ws, r, ["（无）", "", "", "", "", "", "", "", "", ""])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(UNPUBLISHED_COLUMNS))
    _page(ws, r if not held else r - 1)


def _reproducible(xlsx: bytes, stamp: dt.datetime) -> bytes:
    """The same bytes for the same table: openpyxl stamps the file's entries and its 'modified'
    property with the time of saving; both become ``stamp`` (the call's publication date)."""
    out = io.BytesIO()
    modified = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = modified.sub(rb"\g<1>" + iso + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()
