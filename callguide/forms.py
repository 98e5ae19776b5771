"""The official 附件1 filled from a proposal: the 信息表 with its boxes ticked, then the 说明报告 after
the 参考提纲 — as the department files it (``build.py export-forms``; internal, ``build/internal/forms/``).

It is also the importer's test: reading a form written here gives back the proposal it was written from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import model as m
from .call import Call
from .guide import money

TICK, BOX = "☑", "□"
# the 说明报告's outline (参考提纲): (heading, report key or None for a heading that holds no text)
OUTLINE: tuple[tuple[str, str | None], ...] = (
    ("一、背景意义", "background"),
    ("二、项目概述", None),
    ("（一）国内外发展现状与差距分析", None),
    ("1.发展现状", "current_status"),
    ("2.主要差距", "gaps"),
    ("3.实施意义", "significance"),
    ("（二）开展国际科技合作的必要性", "cooperation_necessity"),
    ("（三）合作基础", "cooperation_basis"),
    ("（四）主要研究内容", "research_tasks"),
    ("（五）项目目标", None),
    ("1.技术指标", "technical_targets"),
    ("2.绩效目标", "performance_targets"),
    ("（六）资金投入", "funding_plan"),
)
OUTCOMES = ("四、预期成效和项目交示件", "outcomes")
TECH_HEADING = "三、关键技术清单及技术成熟度"
TECH_PARTS = (("技术描述", "description"), ("当前技术成熟度等级", "evidence"), ("预期指标", "target"))
GUIDE_HEADING = "五、指南建议"
# 五、指南建议 as the outline writes it: (label, guide key or None)
GUIDE_PARTS: tuple[tuple[str, str | None], ...] = (
    ("（一）研究内容", "research_content"),
    ("（二）考核指标", None),
    ("1.验收考核指标", "acceptance_indicators"),
    ("2.绩效参考指标", "performance_indicators"),
    ("申报条件", "eligibility"),
    ("支持强度", "funding"),
    ("技术成熟度", "trl"),
    ("项目交示件", "deliverables"),
    ("张榜范围", "call_scope"),
)
NUMERALS = "一二三四五"


def _boxes(options: Iterable[str], chosen: Iterable[str]) -> str:
    chosen = set(chosen)
    return "  ".join(f"{TICK if o in chosen else BOX}{o}" for o in options)


def _paragraphs(container: Any, text: str | None, first: str = "") -> None:
    """Markdown text as Word paragraphs: one per block (blank-line separated), its lines as line breaks;
    ``first`` runs into the first paragraph (申报条件：……)."""
    blocks = [b for b in (text or "").strip().split("\n\n") if b.strip()] or [""]
    for i, block in enumerate(blocks):
        p = container.add_paragraph()
        lines = block.split("\n")
        if i == 0 and first:
            p.add_run(first)
        for j, line in enumerate(lines):
            run = p.add_run(line)
            if j < len(lines) - 1:
                run.add_break()


def _level(n: int) -> str:
    return f"{n}级（{m.trl_name(n)}）"


def write_form(p: m.Proposal, call: Call, path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("附件1")
    d.add_paragraph(f"{call.year}年省级国际科技合作项目")
    d.add_paragraph("指南建议信息表")
    t = d.add_table(rows=12, cols=3)
    t.style = "Table Grid"

    def row(i: int, label: str, value: str | None = None) -> Any:
        cells = t.rows[i].cells
        cells[0].text = label
        merged = cells[1].merge(cells[2])
        if value is not None:
            merged.text = value
        return merged

    other = f"其他:{p.field_other or '__________'}"
    fields = [f for f in m.FIELDS if f != m.OTHER_FIELD]
    row(
        0,
        "产业领域",
        _boxes(fields, [p.field]) + f"  {TICK if p.field == m.OTHER_FIELD else BOX}{other}（仅选择一个领域）",
    )
    row(1, "合作国别、地区", _boxes(m.REGIONS, [p.region]))
    row(2, "项目名称", p.title.strip())
    types = set(p.project_types)
    lines = [
        f"{TICK if m.IMPORT_TYPE in types else BOX}“引进来”（ {_boxes(m.IMPORT_CATEGORIES, [p.import_category or ''])}）（仅选择一种类型）",
        *(
            f"{TICK if t_ in types else BOX}{'“走出去”' if t_ == '走出去' else t_}"
            for t_ in m.PROJECT_TYPES[1:]
        ),
        "（可多选）",
    ]
    row(3, "项目类型", "\n".join(lines))
    row(4, "项目概述", p.overview.strip())
    techs = row(5, "关键科学问题及技术清单（不超过5项）")
    inner = techs.add_table(rows=1 + len(p.key_technologies), cols=4)
    inner.style = "Table Grid"
    for c, head in enumerate(("序号", "科学问题/关键技术", "当前自评等级", "实施预期等级")):
        inner.rows[0].cells[c].text = head
    for i, k in enumerate(p.key_technologies, start=1):
        cells = inner.rows[i].cells
        cells[0].text, cells[1].text = str(i), k.name.strip()
        cells[2].text, cells[3].text = _level(k.trl_current), _level(k.trl_expected)
    for i, (group, label, value) in enumerate(
        (
            ("项目实施投入计划", "项目计划总投入", f"{money(p.investment.total)}万元"),
            ("", "省财政资金支持强度建议", f"{money(p.investment.provincial)}万元"),
            ("项目指南建议来源", "建议单位", p.proposer.organization),
            ("", "建议人", p.proposer.name),
            ("", "职称/职务", p.proposer.position),
            ("", "联系电话", p.proposer.phone),
        ),
        start=6,
    ):
        cells = t.rows[i].cells
        cells[0].text, cells[1].text, cells[2].text = group, label, value
    t.cell(6, 0).merge(t.cell(7, 0))
    t.cell(8, 0).merge(t.cell(11, 0))
    d.add_paragraph("备注：技术成熟度等级详见附件2《技术成熟度等级划分》")

    d.add_page_break()
    d.add_paragraph(f"“{p.title.strip()}”项目指南建议说明报告")
    report = p.report or m.Report.model_construct()
    for heading, key in OUTLINE:
        d.add_paragraph(heading)
        if key is not None:
            _paragraphs(d, getattr(report, key, None))
    d.add_paragraph(TECH_HEADING)
    for i, k in enumerate(p.key_technologies):
        d.add_paragraph(f"（{NUMERALS[i]}）关键技术{i + 1}：{k.name.strip()}")
        for label, key in TECH_PARTS:
            _paragraphs(d, getattr(k, key), f"{label}：")
    d.add_paragraph(OUTCOMES[0])
    _paragraphs(d, getattr(report, OUTCOMES[1], None))
    d.add_paragraph(GUIDE_HEADING)
    for label, key in GUIDE_PARTS:
        if key is None:
            d.add_paragraph(f"{label}：")
        elif (text := getattr(p.guide, key)) is not None:
            _paragraphs(d, text, f"{label}：")
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
