"""``build.py import``: the filled-in 附件1 (信息表 and 说明报告, one file or two) → the first draft of a proposal.

Every value the form gives is read; where the form is ticked twice, not at all, or a level or amount
cannot be read, the value is left out and the problem is said with its place in the document, so
that ``check`` then points at what is left for the editor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import model as m
from .docxtext import CHECKED, Block, blocks, open_docx
from .forms import GUIDE_HEADING, GUIDE_PARTS, OUTCOMES, OUTLINE, TECH_HEADING, TECH_PARTS

_SPACE = re.compile(r"[\s\u3000]+")
_QUOTES = "“”\"'‘’"
OVERVIEW_INSTRUCTION = re.compile(r"^简要说明项目实施的必要性.*?（1000字以内）\s*")
VALUE_LABELS = {
    "项目名称": ("title",),
    "项目概述": ("overview",),
    "项目计划总投入": ("investment", "total"),
    "省财政资金支持强度建议": ("investment", "provincial"),
    "建议单位": ("proposer", "organization"),
    "建议人": ("proposer", "name"),
    "职称/职务": ("proposer", "position"),
    "职称职务": ("proposer", "position"),
    "联系电话": ("proposer", "phone"),
}


@dataclass(frozen=True)
class ImportProblem:
    code: str
    where: str  # 表1 第1行
    label: str  # 产业领域
    message: str

    def text(self, file: str) -> str:
        return f"{file}: {self.where}「{self.label}」: {self.message}"


@dataclass
class Imported:
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: dict[tuple[str | int, ...], str] = field(default_factory=dict)  # loc → 待核对 note
    is_form: bool = False

    def problem(self, code: str, block: Block, label: str, message: str, loc: tuple[str | int, ...]) -> None:
        self.problems.append(ImportProblem(code, block.where, label, message))
        self.notes[loc] = message


def label_of(text: str) -> str:
    """项　目　名　称： → 项目名称 (spaces, ideographic spaces, colons and bold marks dropped)."""
    return _SPACE.sub("", text).replace("*", "").strip("：:")


def ticked(text: str, options: tuple[str, ...]) -> list[str]:
    """The options of ``text`` whose box is ticked (☑ ■ √ …, or a Wingdings box read as one)."""
    plain = "".join(ch for ch in text if ch not in _QUOTES)
    found = []
    for option in options:
        key = "".join(ch for ch in option if ch not in _QUOTES)
        for match in re.finditer(re.escape(key), plain):
            before = plain[: match.start()].rstrip(" （(\t")
            if before and before[-1] in CHECKED:
                found.append(option)
                break
    return found


def level(text: str) -> int | None:
    """4, 第4级, 4级（功能级）, 功能级 → 4."""
    folded = unicodedata.normalize("NFKC", text)
    if match := re.search(r"\d+", folded):
        n = int(match.group())
        return n if m.TRL_MIN <= n <= m.TRL_MAX else None
    names = {t.name: t.level for t in m.TRL_LEVELS}
    return next((n for name, n in names.items() if name in folded), None)


def amount(text: str) -> float | None:
    """500万元, 1,200.5 万元 → 500, 1200.5; XXXX万元 (not filled in) → None."""
    folded = unicodedata.normalize("NFKC", text).replace(",", "")
    match = re.search(r"(\d+(?:\.\d+)?)", folded)
    if not match:
        return None
    value = float(match.group(1))
    return int(value) if value.is_integer() else value


def _put(data: dict[str, Any], loc: tuple[str, ...], value: Any) -> None:
    for key in loc[:-1]:
        data = data.setdefault(key, {})
    data[loc[-1]] = value


def read(paths: list[Path]) -> Imported:
    """The form's values from one file or two (信息表 and 说明报告, in either order)."""
    out = Imported()
    techs: list[dict[str, Any]] = []
    files = [list(blocks(open_docx(path))) for path in paths]
    _table(
        out, [b for f in files for b in f if b.kind == "row"], techs
    )  # the 信息表 first: it names the techs
    for found in files:  # each file's 说明报告 on its own: a heading does not run on into the next file
        _report(out, [b for b in found if b.kind in ("p", "table")], techs)
    if out.is_form:
        _guide_complete(out)
    if techs:
        out.data["key_technologies"] = techs
    return out


def _table(out: Imported, rows: list[Block], techs: list[dict[str, Any]]) -> None:
    for row in rows:
        cells = row.cells
        head = label_of(cells[0]) if cells else ""
        if head == "产业领域":
            out.is_form = True
            _choose_field(out, row, cells[-1])
        elif head in ("合作国别、地区", "合作国别地区"):
            chosen = ticked(cells[-1], m.REGIONS)
            _one(out, row, "合作国别、地区", chosen, ("region",))
        elif head == "项目类型":
            _types(out, row, cells[-1])
        elif head.isdigit() and len(cells) >= 4 and cells[1].strip():
            tech: dict[str, Any] = {"name": cells[1].strip()}
            for key, text in (("trl_current", cells[2]), ("trl_expected", cells[3])):
                if (n := level(text)) is None:
                    tech_loc = ("key_technologies", len(techs), key)
                    out.problem(
                        "level-unreadable",
                        row,
                        "技术成熟度等级",
                        f"等级“{text}”无法识别；应为 1–13 级",
                        tech_loc,
                    )
                else:
                    tech[key] = n
            techs.append(tech)
        for i, cell in enumerate(cells[:-1]):
            found = VALUE_LABELS.get(label_of(cell))
            if found is None or not (value := cells[i + 1].strip()):
                continue
            loc = found
            if loc[0] == "investment":
                if (number := amount(value)) is None:
                    out.problem(
                        "amount-unreadable", row, label_of(cell), f"金额“{value}”无法识别（未填写？）", loc
                    )
                    continue
                _put(out.data, loc, number)
            elif loc == ("overview",):
                _put(out.data, loc, OVERVIEW_INSTRUCTION.sub("", value).strip())
            else:
                _put(out.data, loc, value)


def _one(out: Imported, row: Block, label: str, chosen: list[str], loc: tuple[str, ...]) -> None:
    if len(chosen) == 1:
        _put(out.data, loc, chosen[0])
    elif chosen:
        out.problem(
            "form-several",
            row,
            label,
            f"勾选了 {len(chosen)} 项（{'、'.join(chosen)}），表格要求仅选择一项",
            loc,
        )
    else:
        out.problem("form-none", row, label, "没有勾选任何一项", loc)


def _choose_field(out: Imported, row: Block, text: str) -> None:
    chosen = ticked(text, m.FIELDS)
    _one(out, row, "产业领域", chosen, ("field",))
    if chosen == [m.OTHER_FIELD]:
        match = re.search(r"其他\s*[:：]\s*([^（(\n]*)", text)
        name = (match.group(1) if match else "").strip(" _＿")
        if name:
            out.data["field_other"] = name
        else:
            out.problem("form-none", row, "其他", "勾选了“其他”，但没有写明领域名称", ("field_other",))


def _types(out: Imported, row: Block, text: str) -> None:
    chosen = ticked(text, m.PROJECT_TYPES)
    if not chosen:
        out.problem("form-none", row, "项目类型", "没有勾选任何项目类型", ("project_types",))
        return
    out.data["project_types"] = chosen
    if m.IMPORT_TYPE in chosen:
        _one(out, row, "“引进来”类别", ticked(text, m.IMPORT_CATEGORIES), ("import_category",))


_HEADINGS: dict[str, tuple[str, ...] | None] = {
    **{label_of(h): (("report", k) if k else None) for h, k in OUTLINE},
    label_of(OUTCOMES[0]): ("report", OUTCOMES[1]),
}
_GUIDE = {label_of(h): k for h, k in GUIDE_PARTS}
_TECH = {label_of(h): k for h, k in TECH_PARTS}
_TECH_NAME = re.compile(r"^（[一二三四五六七八九十]+）关键技术\d*[：:](.*)$")


def _guide_complete(out: Imported) -> None:
    """Every required section of 五、指南建议 was found."""
    guide = out.data.get("guide", {})
    where = Block("p", ("",), "说明报告 五、指南建议")
    for label, key in GUIDE_PARTS:
        if key is None or key in guide or not m.Guide.model_fields[key].is_required():
            continue
        out.problem(
            "guide-missing",
            where,
            label_of(label),
            f"说明报告中没有找到“{label_of(label)}”这一项",
            ("guide", key),
        )


def _report(out: Imported, paragraphs: list[Block], techs: list[dict[str, Any]]) -> None:
    target: tuple[str | int, ...] | None = None
    texts: dict[tuple[str | int, ...], list[str]] = {}
    mode = ""
    tech = -1
    for block in paragraphs:
        text = block.text.strip()
        if block.kind == "table":  # a table in the report: Markdown, under the heading it follows
            if target is not None and text:
                texts.setdefault(target, []).append(text)
            continue
        plain = label_of(text.split("\n", 1)[0])
        label, _, rest = text.partition("：") if "：" in text[:20] else text.partition(":")
        if label.count("**") % 2 == 1 and rest.startswith("**"):  # **申报条件：**牵头单位…
            rest = rest[2:]
        key = label_of(label)
        if plain == label_of(TECH_HEADING):
            mode, target = "tech", None
        elif plain == label_of(GUIDE_HEADING):
            mode, target = "guide", None
        elif plain in _HEADINGS:
            mode, target = "report", _HEADINGS[plain]
        elif mode == "tech" and (match := _TECH_NAME.match(_SPACE.sub("", text))):
            tech += 1
            name = match.group(1).strip()
            index = next((i for i, t in enumerate(techs) if t.get("name") == name), tech)
            tech = index
            target = None
        elif mode == "tech" and key in _TECH and tech >= 0:
            target = ("key_technologies", tech, _TECH[key])
            texts.setdefault(target, []).append(rest.strip())
        elif mode == "guide" and key in _GUIDE:
            guide_key = _GUIDE[key]
            target = ("guide", guide_key) if guide_key else None
            if target:
                texts.setdefault(target, []).append(rest.strip())
        elif target is not None:
            texts.setdefault(target, []).append(text)
    for loc, parts in texts.items():
        value = "\n\n".join(p for p in parts if p).strip()
        if not value:
            continue
        if loc[0] == "key_technologies":
            index = int(loc[1])
            while len(techs) <= index:
                techs.append({})
            techs[index][str(loc[2])] = value
        else:
            _put(out.data, tuple(str(p) for p in loc), value)
