"""Pydantic's errors as problems an editor can act on: a stable code, the key path, the position,
the value found and, where there is one, the fix."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from . import model as m
from .loading import Document, Loc, is_surprise
from .problems import Problem

_TYPE_NAMES = {
    "string_type": "文本",
    "int_type": "整数",
    "float_type": "数字",
    "list_type": "列表（每项以“- ”开头）",
    "dict_type": "键值映射",
    "model_type": "键值映射",
    "model_attributes_type": "键值映射",
    "date_type": "日期（如 2026-11-20，不加引号）",
}
_YAML_KINDS = {
    "bool": "布尔值（是/否）",
    "int": "数字",
    "float": "数字",
    "timestamp": "日期",
    "null": "空值",
}


_LIST_SEPARATORS = re.compile(r"\s*[，,、；;]\s*|\s+-\s*")
_UNITS = re.compile(r"^(?P<number>[-+]?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>级|万元|万|元)?$")


def shown(value: Any) -> str:
    """A value as an editor wrote it, in Chinese punctuation: lists joined by 、, never Python syntax."""
    if isinstance(value, list | tuple):
        return "、".join(shown(v) for v in value)
    if isinstance(value, dict):
        return "、".join(f"{k}: {shown(v)}" for k, v in value.items())
    return str(value)


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "键值映射"
    if isinstance(value, list | tuple):
        return "列表"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return "数字"
    if value is None:
        return "空值"
    return "文本"


def corrected_number(raw: str, money: bool) -> str | None:
    """``5级`` → ``5``, ``５`` → ``5``, ``2800万元`` → ``2800``, ``2,800`` → ``2800``; None if not a number."""
    match = _UNITS.match(unicodedata.normalize("NFKC", raw).strip())
    if not match:
        return None
    number, unit = match.group("number").replace(",", ""), match.group("unit")
    if unit == "元" and money:  # yuan, not 万元
        return f"{float(number) / 10000:g}"
    if unit == "级" and money:
        return None
    return number


def list_items(raw: str) -> list[str]:
    """The items of a list written as text: ``引进来，依托国际创新合作平台``, ``[a，b]``, ``-a - b``."""
    return [
        p.lstrip("-").strip() for p in _LIST_SEPARATORS.split(raw.strip().strip("[]［］ ")) if p.strip("- ")
    ]


def split_list(raw: str) -> list[str] | None:
    """``引进来，依托国际创新合作平台`` → its items, when the text holds several."""
    items = list_items(raw)
    return items if len(items) > 1 else None


def as_flow_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _closest(value: str, allowed: Iterable[str]) -> str | None:
    allowed = list(allowed)
    keys = {m.enum_key(a): a for a in allowed}
    match = difflib.get_close_matches(m.enum_key(value), list(keys), n=1, cutoff=0.5)
    return keys[match[0]] if match else None


def problem_from_error(doc: Document, err: Any, root: type[BaseModel] = m.Proposal) -> Problem:
    loc: Loc = tuple(err["loc"])
    typ: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    key = m.key_path(loc)
    name = m.label(loc, root)
    line, col = doc.where(loc)
    found = None if typ == "missing" else shown(value)
    hint: str | None

    def made(code: str, message: str, **extra: Any) -> Problem:
        return Problem(doc.display, line, col, code, key, message, **({"found": found} | extra))

    if typ == "missing":
        parent = loc[:-1]
        line, col = doc.where_key(parent) if parent else (1, 1)
        return made("required", f"缺少必填项“{name}”（{loc[-1]}）；请补上")
    if typ == "extra_forbidden":
        line, col = doc.where_key(loc)
        parent_model = m.model_at(loc[:-1], root)
        fields = parent_model.model_fields if parent_model else {}
        allowed = list(fields)
        by_title = {m.enum_key(f.title or ""): k for k, f in fields.items()}
        retired: dict[str, str] = getattr(parent_model, "RETIRED_KEYS", {})
        if (why := retired.get(str(loc[-1]))) is not None:
            hint = why
        elif (mapped := by_title.get(m.enum_key(str(loc[-1])))) is not None:
            hint = f"“{loc[-1]}”对应的键是 {mapped}：请把这一行写成 {mapped}: …（键用英文，见文件中的注释）"
        elif guesses := difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5):
            hint = f"是否想写 {guesses[0]}？"
        else:
            hint = f"允许的键：{'、'.join(allowed)}"
        return made(
            "unknown-key", f"未知的键 {loc[-1]}", found=str(loc[-1]), allowed="、".join(allowed), hint=hint
        )
    if typ == "literal_error":
        values = [a.strip("'") for a in ctx.get("expected", "").replace(" or ", ", ").split(", ")]
        options = "、".join(values)
        if isinstance(value, list) and not isinstance(loc[-1], int):
            return made(
                "type",
                f"{name}只能选择一个，这里写了 {len(value)} 个：{shown(value)}；可选：{options}",
                found=shown(value),
                allowed=options,
            )
        if not isinstance(value, str):
            return made(
                "type",
                f"{name}应为以下之一：{options}；这里是{kind_of(value)}",
                found=shown(value),
                allowed=options,
            )
        if not value.strip():
            return made(
                "empty-value", f"{name}没有填写；请从以下选项中选一个填上：{options}", allowed=options
            )
        parts = split_list(value) if isinstance(loc[-1], int) else None
        if parts and all(m.normalise_enum(p, tuple(values)) in values for p in parts):
            fixed = as_flow_list([m.normalise_enum(p, tuple(values)) for p in parts])
            return made(
                "enum",
                f"{name}“{value}”是用全角逗号或顿号连在一起的几项；列表各项之间要用半角逗号",
                allowed=options,
                hint=f"请写成 {m.key_path(loc[:-1])}: {fixed}",
            )
        guess = _closest(value, values)
        hint = f"是否想写“{guess}”？" if guess else None
        return made("enum", f"{name}的值“{value}”不在允许范围内；可选：{options}", allowed=options, hint=hint)
    if typ in _TYPE_NAMES or typ == "bool_type":
        expected = _TYPE_NAMES.get(typ, "文本")
        scalar = doc.scalars.get(loc)
        if value is None:
            return made("empty-value", f"{name}没有填写：冒号后是空的；请在冒号后写上内容", found="")
        if scalar and not scalar.quoted and (scalar.tag != "str" or is_surprise(value)):
            kind = _YAML_KINDS.get(scalar.tag, scalar.tag)
            if typ == "string_type":
                return made(
                    "yaml-coercion",
                    f'YAML 会把 {scalar.raw} 读成{kind}，而{name}应为文本；请加引号写成 "{scalar.raw}"',
                    found=scalar.raw,
                    allowed="文本",
                )
            if is_surprise(value):
                return made(
                    "yaml-coercion",
                    f"{scalar.raw} 的写法会被 YAML 1.1 误读（八进制、分隔符或特殊值）；请写成普通的十进制数",
                    found=scalar.raw,
                    allowed=expected,
                )
        if scalar and scalar.quoted and typ in ("int_type", "float_type", "date_type"):
            return made(
                "type",
                f'{name}应为{expected}，这里是带引号的文本 "{scalar.raw}"；请去掉引号',
                found=scalar.raw,
                allowed=expected,
            )
        if typ in ("int_type", "float_type") and isinstance(value, str):
            number = corrected_number(value, money=loc[0] == "investment")
            hint = (
                f"请写成 {loc[-1]}: {number}（只写数字，不加单位{'（万元）' if loc[0] == 'investment' else ''}）"
                if number
                else None
            )
            return made("type", f"{name}应为{expected}，这里是文本“{value}”", allowed=expected, hint=hint)
        if (
            typ == "list_type"
            and isinstance(value, str)
            and value.startswith("-")
            and not value.startswith("- ")
        ):
            items = list_items(value)
            return made(
                "yaml-dash-space",
                f"{name}的“-”后面缺少空格，YAML 没有把它读成列表，而是一段文字“{value}”",
                allowed=expected,
                hint="请在每个“-”后加一个空格：" + "；".join(f"- {i}" for i in items),
            )
        if typ == "list_type" and isinstance(value, str):
            parts = split_list(value)
            fixed = as_flow_list(parts) if parts else as_flow_list([value.strip()])
            return made(
                "type",
                f"{name}应为列表，这里是文本“{value}”",
                allowed=expected,
                hint=f"请写成 {loc[-1]}: {fixed}（方括号，半角逗号分隔），或每项一行、以“- ”开头",
            )
        got = _YAML_KINDS.get(scalar.tag, "文本") if scalar else kind_of(value)
        return made("type", f"{name}应为{expected}，这里是{got}", found=shown(value), allowed=expected)
    if typ in ("too_short", "too_long"):
        line, col = doc.where_key(loc)
        parent_model = m.model_at(loc[:-1], root)
        field = parent_model.model_fields.get(str(loc[-1])) if parent_model else None
        desc = field.description if field else ""
        return made(
            "list-length", f"{name}的项数为 {ctx.get('actual_length')}，不符合要求：{desc}", found=None
        )
    if typ in ("string_too_short", "string_too_long"):
        if loc == ("title",) and root is m.Proposal:
            n = len(value)
            return made("title-length", f"项目名称应为 {m.TITLE_MIN}–{m.TITLE_MAX} 个字符，当前 {n} 个")
        if typ == "string_too_long":
            limit = ctx.get("max_length")
            return made(
                "text-length",
                f"{name}应在 {limit} 个字符以内，当前 {len(value)} 个；请删减",
                found=shown(value),
                allowed=f"<= {limit}",
            )
        if isinstance(value, str) and value.strip() and ctx.get("min_length", 1) > 1:
            return made(
                "text-length",
                f"{name}至少应有 {ctx['min_length']} 个字符，当前 {len(value)} 个",
                found=shown(value),
            )
        return made("empty-text", f"{name}不能为空；请填写内容")
    if typ == "string_pattern_mismatch" and loc[-1] != "phone":
        parent_model = m.model_at(loc[:-1], root)
        field = parent_model.model_fields.get(str(loc[-1])) if parent_model else None
        rule = (field.description or "") if field else ""
        return made("format", f"{name}“{value}”格式不对：{rule}", allowed=rule)
    if typ == "string_pattern_mismatch":
        return made(
            "phone-format",
            f"联系电话“{value}”格式不对；应为手机号（如 13812345678）或固定电话（如 0531-88881234，可带分机号 -123）",
            allowed="手机号或固定电话",
        )
    if typ in ("greater_than_equal", "less_than_equal") and loc[-1] in ("trl_current", "trl_expected"):
        return made("trl-range", f"{name}应为 {m.TRL_MIN}–{m.TRL_MAX} 的整数，当前为 {value}", allowed="1–13")
    if typ == "greater_than" and len(loc) >= 2 and loc[0] == "investment":
        return made("investment-positive", f"{name}应大于 0（单位：万元），当前为 {value}", allowed="> 0")
    if typ in ("finite_number",):
        return made("type", f"{name}应为有限的数字", allowed="数字")
    if typ == "empty-text":
        return made("empty-text", f"{name}不能为空；请填写内容")
    if typ == "one-line":
        code = "title-one-line" if loc[-1] == "title" else "one-line"
        return made(code, f"{name}只能写成一行；请删去换行")
    # our own PydanticCustomError codes carry their Chinese message (and may carry a hint)
    return made(typ, err["msg"], **({"hint": ctx["hint"]} if ctx.get("hint") else {}))
