"""The commented proposal template written by ``build.py new SLUG``, generated from the model."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import COMMAND
from . import model as m

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/proposal.schema.json"

_ENUMS: dict[str, tuple[str, ...]] = {
    "status": m.STATUSES,
    "field": m.FIELDS,
    "region": m.REGIONS,
    "project_types": m.PROJECT_TYPES,
    "import_category": m.IMPORT_CATEGORIES,
}


def _is_model(annotation: Any) -> type[BaseModel] | None:
    for t in (annotation, *get_args(annotation)):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _comment(name: str, info: FieldInfo) -> str:
    need = "必填" if info.is_required() else "选填"
    text = f"# {info.title}（{need}）"
    desc = (info.description or "").removeprefix("必填").removeprefix("选填").lstrip("，。；")
    if desc:
        text += f"：{desc}"
    if name in _ENUMS:
        text += f" 可选：{' | '.join(_ENUMS[name])}"
    return text


def _placeholder(name: str, info: FieldInfo) -> str:
    if name == "status":
        return " draft"
    annotation = info.annotation
    if get_origin(annotation) is list or any(get_origin(a) is list for a in get_args(annotation)):
        return " []"
    if annotation in (int, float) or annotation == int | None:
        return ""
    return ' ""'


def _lines(model: type[BaseModel], indent: str, optional_commented: bool) -> list[str]:
    out: list[str] = []
    for name, info in model.model_fields.items():
        sub = _is_model(info.annotation)
        if get_origin(info.annotation) is list and sub:
            out.append(f"{indent}{_comment(name, info)}")
            out.append(f"{indent}{name}:")
            item = _lines(sub, indent + "    ", optional_commented)
            item[0] = f"{indent}  {item[0].lstrip()}"
            item[1] = f"{indent}  - {item[1].lstrip()}"
            out.extend(item)
            continue
        if sub is not None:
            prefix = "# " if not info.is_required() and optional_commented else ""
            out.append(f"{indent}{_comment(name, info)}{m.visibility_note((name,)) if not indent else ''}")
            out.append(f"{indent}{prefix}{name}:")
            out.extend(
                f"{indent}{'# ' if prefix else ''}{line[len(indent) :]}" if prefix else line
                for line in _lines(sub, indent + "  ", optional_commented)
            )
            continue
        comment = _comment(name, info)
        value = _placeholder(name, info)
        if not info.is_required() and name not in ("status",):
            out.append(f"{indent}{comment}")
            out.append(f"{indent}# {name}:{value}")
        else:
            out.append(f"{indent}{comment}")
            out.append(f"{indent}{name}:{value}")
    return out


def proposal_template(slug: str) -> str:
    head = [
        SCHEMA_COMMENT,
        f"# 指南建议：proposals/{slug}.yaml（文件名 {slug} 即专题的永久编号，用于网址和 PDF 锚点）",
        "# 填写说明：每项上方的注释给出该项在官方表格中的名称和填写规则。",
        "# 文本可用受限的 Markdown：段落、列表（1. 或 - 开头）、**强调**、表格和 http/https/mailto 链接。",
        f"# 数字不加引号；像数字、日期或 yes/no 的文本请加引号。填好后运行：{COMMAND} check",
        "# 新建的文件是草稿（status: draft），不会发布；填写完成、检查通过后把 status 改为 accepted。",
        "",
    ]
    return "\n".join(head + _lines(m.Proposal, "", optional_commented=True)) + "\n"


# --- a template filled in (build.py import) ---------------------------------------------------------

NOTE = "# 待核对："
NOT_ON_FORM = {
    "partner_countries": "表格中没有此项：请按说明报告补写外方合作单位所在的国家或地区",
    "order": "表格中没有此项：需要时填写",
}


def _scalar(value: Any) -> str:
    """A value on one line of YAML: plain where YAML reads it back as the same text, else quoted."""
    import json

    import yaml

    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return m.money(value) if isinstance(value, float) else str(value)
    text = str(value)
    try:
        plain = (
            yaml.safe_load(f"k: {text}") == {"k": text}
            and " #" not in text
            and not text.startswith(("'", '"'))
        )
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def _value_lines(indent: str, name: str, value: Any) -> list[str]:
    if isinstance(value, str) and "\n" in value.strip() and not value.startswith(" "):
        return [f"{indent}{name}: |", *(f"{indent}  {line}".rstrip() for line in value.strip().split("\n"))]
    if isinstance(value, list):
        return [f"{indent}{name}: [{', '.join(_scalar(v) for v in value)}]"]
    return [f"{indent}{name}: {_scalar(value)}".rstrip()]


def _filled(
    model: type[BaseModel],
    data: dict[str, Any],
    notes: dict[tuple[Any, ...], str],
    loc: tuple[Any, ...],
    indent: str,
) -> list[str]:
    out: list[str] = []
    for name, info in model.model_fields.items():
        here = (*loc, name)
        sub = _is_model(info.annotation)
        value = data.get(name)
        note = notes.get(here) or (NOT_ON_FORM.get(name) if not loc else None)
        head = [f"{indent}{_comment(name, info)}{m.visibility_note((name,)) if not indent and sub else ''}"]
        if note:
            head.append(f"{indent}{NOTE}{note}")
        if get_origin(info.annotation) is list and sub:
            out += [*head, f"{indent}{name}:"]
            for i, item in enumerate(value or [{}]):
                lines = _filled(sub, item, notes, (*here, i), indent + "    ")
                first = next(j for j, line in enumerate(lines) if not line.lstrip().startswith("#"))
                lines[first] = f"{indent}  - {lines[first].lstrip()}"
                out += lines
            continue
        if sub is not None:
            if value is None and not info.is_required():
                out += [*head, f"{indent}# {name}:"]
                continue
            out += [*head, f"{indent}{name}:", *_filled(sub, value or {}, notes, here, indent + "  ")]
            continue
        if value is None:
            placeholder = _placeholder(name, info)
            commented = not info.is_required() and name != "status"
            out += [*head, f"{indent}{'# ' if commented else ''}{name}:{placeholder}"]
            continue
        out += [*head, *_value_lines(indent, name, value)]
    return out


def filled_template(slug: str, data: dict[str, Any], notes: dict[tuple[Any, ...], str], source: str) -> str:
    """The template of ``build.py new`` with the values read from a form, and a 待核对 note where
    the importer could not read one (left empty, so that ``check`` points at it)."""
    head = [
        SCHEMA_COMMENT,
        f"# 指南建议：proposals/{slug}.yaml（文件名 {slug} 即专题的永久编号，用于网址和 PDF 锚点）",
        f"# 由 {COMMAND} import 从 {source} 导入；“{NOTE.strip('# ')}”标出需要编辑核对或补写的项。",
        "# 填写说明：每项上方的注释给出该项在官方表格中的名称和填写规则。",
        f"# 核对后运行：{COMMAND} check",
        "",
    ]
    values = {"status": "accepted", **data}
    return "\n".join(head + _filled(m.Proposal, values, notes, (), "")) + "\n"
