"""The tables: the public open data (``site/topics.json``, ``site/topics.csv``) from the published
guide, and the department's internal 汇总表 (附件3) in ``build/internal/`` only, never under ``site/``.

The 汇总表 holds the proposers' names and phone numbers, as the official form asks: it is the one
output made from the internal records (the whole proposals), which travel beside the guide.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .guide import PublishedGuide, money
from .model import LABELS, Proposal

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
BASENAME = "summary-table"


# --- open data (public) -----------------------------------------------------------

OPEN_DATA = ("topics.json", "topics.csv")
CSV_COLUMNS = (
    ("序号", "number"),
    ("编号", "slug"),
    (LABELS["title"], "title"),
    (LABELS["field"], "field"),
    (LABELS["field_other"], "field_other"),
    (LABELS["region"], "region"),
    ("合作国别", "partner_countries"),
    (LABELS["project_types"], "project_types"),
    (LABELS["import_category"], "import_category"),
    ("省财政资金支持强度（万元）", "provincial_funding_wan_yuan"),
    ("预期技术成熟度等级", "target_trl"),
    ("关键技术（当前等级→预期等级）", "key_technologies"),
)


def topics_json(guide: PublishedGuide) -> str:
    """``topics.json``: the call and the public record of every published topic."""
    call = guide.call
    doc = {
        "call": {
            "title": call.title,
            "year": call.year,
            "issuer": call.issuer,
            "document_number": call.document_number,
            "publish_date": call.publish_date.isoformat(),
            "deadline": call.deadline.isoformat(),
        },
        "topics": [t.public_record() for t in guide.topics],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "；".join(f"{k['name']}（{k['trl_current']}→{k['trl_expected']}）" for k in value)
        return "、".join(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def topics_csv(guide: PublishedGuide) -> str:
    """``topics.csv``: one row per topic, Chinese headers; written with a BOM so spreadsheet programs read UTF-8."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([head for head, _ in CSV_COLUMNS])
    for topic in guide.topics:
        record = topic.public_record()
        writer.writerow([_cell(record[key]) for _, key in CSV_COLUMNS])
    return buf.getvalue()


def write_open_data(guide: PublishedGuide, site_dir: Path) -> list[Path]:
    json_path, csv_path = (site_dir / name for name in OPEN_DATA)
    json_path.write_text(topics_json(guide), encoding="utf-8")
    csv_path.write_text(topics_csv(guide), encoding="utf-8-sig", newline="")
    return [json_path, csv_path]


# --- 附件3 汇总表 (internal) ------------------------------------------------------


def rows(guide: PublishedGuide, proposals: Mapping[str, Proposal]) -> list[list[object]]:
    """One row per published topic, in guide order, in the official column order.

    ``proposals`` (slug → the whole proposal) are the internal records; the guide holds public data only.
    """
    out: list[list[object]] = []
    for topic in guide.topics:
        proposal = proposals[topic.slug]
        region = topic.region
        if topic.partner_countries:
            region += f"（{'、'.join(topic.partner_countries)}）"
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


def title(guide: PublishedGuide) -> str:
    return f"{guide.call.year}年省级国际科技合作项目指南建议汇总表"


def write_csv(guide: PublishedGuide, proposals: Mapping[str, Proposal], path: Path) -> None:
    """UTF-8 with BOM so that Excel opens it with the right characters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in rows(guide, proposals):
        writer.writerow([money(v) if isinstance(v, float) else v for v in row])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def write_xlsx(guide: PublishedGuide, proposals: Mapping[str, Proposal], path: Path) -> None:
    """The sheet as the department prints it: A4 landscape, styled header, widths, a totals row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "附件3 汇总表"
    ncols = len(COLUMNS)
    last = get_column_letter(ncols)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws["A1"] = "附件3"
    ws["A1"].font = Font(name="黑体", size=12)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = title(guide)
    ws["A2"].font = Font(name="方正小标宋简体", size=18, bold=True)
    ws["A2"].alignment = center
    ws.row_dimensions[2].height = 32
    ws["A3"] = "主管部门（盖章）："
    ws["H3"] = "联系人："
    ws["J3"] = "年      月      日"
    header_row = 4
    for col, (name, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=col, value=name)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = center
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[header_row].height = 36

    data = rows(guide, proposals)
    for r, row in enumerate(data, start=header_row + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = border
            cell.alignment = center if c in (1, 6, 7, 9, 10) else wrap
            cell.font = Font(name="仿宋", size=11)
            if c in (6, 7):
                cell.number_format = "#,##0.00"
    total_row = header_row + len(data) + 1
    ws.cell(row=total_row, column=1, value="合计").alignment = center
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=5)
    for c in (6, 7):
        letter = get_column_letter(c)
        total = f"=SUM({letter}{header_row + 1}:{letter}{total_row - 1})" if data else 0
        cell = ws.cell(row=total_row, column=c, value=total)
        cell.number_format = "#,##0.00"
        cell.alignment = center
    for c in range(1, ncols + 1):
        cell = ws.cell(row=total_row, column=c)
        cell.border = border
        cell.font = Font(name="黑体", size=11, bold=True)

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last}{total_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    stamp = dt.datetime.combine(guide.call.publish_date, dt.time())
    wb.properties.creator = guide.call.issuer
    wb.properties.title = title(guide)
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible(buffer.getvalue(), stamp))


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


def write_internal(guide: PublishedGuide, proposals: Mapping[str, Proposal], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx, csv_path = out_dir / f"{BASENAME}.xlsx", out_dir / f"{BASENAME}.csv"
    write_xlsx(guide, proposals, xlsx)
    write_csv(guide, proposals, csv_path)
    return [xlsx, csv_path]
