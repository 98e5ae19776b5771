"""The tables: the public open data (``site/topics.json``, ``site/topics.csv``) from the published
guide, and the department's internal 汇总表 (附件3) in ``build/internal/`` only, never under ``site/``.

The 汇总表 holds the proposers' names and phone numbers, as the official form asks: it is the one
output made from the internal records (the whole proposals), which travel beside the guide.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import summarytable
from .guide import PublishedGuide, money
from .model import LABELS, Proposal

OPEN_DATA = ("topics.json", "topics.csv")
CSV_COLUMNS = (
    ("序号", "number"),
    ("编号", "slug"),
    (LABELS["title"], "title"),
    (LABELS["field"], "field"),
    (LABELS["field_other"], "field_other"),
    (LABELS["region"], "region"),
    (LABELS["partner_countries"], "partner_countries"),
    ("合作国家（地区）代码（ISO 3166-1）", "partner_country_codes"),
    (LABELS["project_types"], "project_types"),
    (LABELS["import_category"], "import_category"),
    ("省财政资金支持强度（万元）", "provincial_funding_wan_yuan"),
    ("预期技术成熟度等级", "target_trl"),
    ("关键技术（当前等级→预期等级）", "key_technologies"),
    ("最近修订日期", "updated"),
    ("English title", "en.title"),
    ("Partner countries/regions", "en.partner_countries"),
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
            "milestones": [{"name": m.name, "kind": m.kind, "at": m.at.isoformat()} for m in call.timetable],
            "edition": guide.edition,
            "revised": guide.revised_on.isoformat() if guide.revised_on else None,
        },
        "topics": [t.public_record() for t in guide.topics],
        # published and later withdrawn: no longer a topic of the guide, listed with the date and the note
        "withdrawn": [t.public_record() for t in guide.withdrawn],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any, sep: str = "、") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "；".join(f"{k['name']}（{k['trl_current']}→{k['trl_expected']}）" for k in value)
        return sep.join(value)
    if isinstance(value, float):
        return money(value)
    return str(value)


def _at(record: dict[str, Any], key: str) -> Any:
    """``record["en"]["title"]`` for ``en.title``."""
    for part in key.split("."):
        record = record[part]
    return record


def topics_csv(guide: PublishedGuide) -> str:
    """``topics.csv``: one row per topic, Chinese headers; written with a BOM so spreadsheet programs read UTF-8."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([head for head, _ in CSV_COLUMNS])
    for topic in guide.topics:
        record = topic.public_record()
        writer.writerow(
            [_cell(_at(record, key), "; " if key.startswith("en.") else "、") for _, key in CSV_COLUMNS]
        )
    return buf.getvalue()


def write_open_data(guide: PublishedGuide, site_dir: Path) -> list[Path]:
    json_path, csv_path = (site_dir / name for name in OPEN_DATA)
    json_path.write_text(topics_json(guide), encoding="utf-8")
    csv_path.write_text(topics_csv(guide), encoding="utf-8-sig", newline="")
    return [json_path, csv_path]


# --- 附件3 汇总表 (internal) ------------------------------------------------------


def write_csv(guide: PublishedGuide, proposals: Mapping[str, Proposal], path: Path) -> None:
    """UTF-8 with BOM so that Excel opens it with the right characters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in summarytable.COLUMNS])
    for row in summarytable.rows(guide, proposals):
        writer.writerow([money(v) if isinstance(v, float) else v for v in row])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def write_internal(guide: PublishedGuide, proposals: Mapping[str, Proposal], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx, csv_path = out_dir / f"{summarytable.BASENAME}.xlsx", out_dir / f"{summarytable.BASENAME}.csv"
    summarytable.write_xlsx(guide, proposals, xlsx)
    write_csv(guide, proposals, csv_path)
    return [xlsx, csv_path]
