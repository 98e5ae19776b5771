"""How a change reads in ``build.py diff``'s Markdown: labels, values escaped for Markdown, long texts
as a wrapped ``diff`` block, private values never shown."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from . import model as m
from .compare import Change, Loc
from .compare import lines as _lines
from .guide import money

PRIVATE_NOTE = "（不公开，内容不显示）"
WRAP_COLUMNS = 80  # display columns of a line in a diff block (a CJK character counts 2)
_INLINE_MAX = 60  # longer (or multi-line) text is shown as a diff block
_ESCAPE = re.compile(r"([\\`*_\[\]<>|&~])")


def _inline(value: Any) -> str:
    """A value on one line of Markdown, with Markdown's special characters escaped."""
    if value is None or value == [] or value == ():
        return "（无）"
    if isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value)
    elif isinstance(value, float):
        value = money(value)
    return _ESCAPE.sub(r"\\\1", " ".join(str(value).split()))


def _code(text: str) -> str:
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def label(loc: Loc) -> str:
    name = m.label(loc)
    if loc[0] == "report" and len(loc) > 1:
        return f"说明报告·{name}"
    if loc[0] == "proposer" and len(loc) > 1:
        return f"建议来源·{name}"
    return name


def _technology(t: m.KeyTechnology) -> str:
    return f"{_inline(t.name)}（当前 {_trl(t.trl_current)}，预期 {_trl(t.trl_expected)}）"


def _trl(level: int) -> str:
    return f"{level}级（{m.trl_name(level)}）"


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _wrap(line: str, columns: int = WRAP_COLUMNS) -> list[str]:
    """A long line cut into pieces of at most ``columns`` display columns (code blocks do not wrap)."""
    pieces, current, width = [], "", 0
    for ch in line:
        w = _width(ch)
        if width + w > columns and current:
            pieces.append(current)
            current, width = "", 0
        current += ch
        width += w
    pieces.append(current)
    return pieces


def text_diff(old: str | None, new: str | None) -> list[str]:
    """The whole text, old and new lines marked ``-``/``+``, wrapped for a ``diff`` code block."""
    a, b = _lines(old or ""), _lines(new or "")
    out: list[str] = []
    for line in list(difflib.unified_diff(a, b, lineterm="", n=max(len(a), len(b))))[3:]:
        mark, body = line[:1], line[1:]
        out.extend(f"{mark}{piece}" for piece in _wrap(body))
    return out


def _block(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return [
        "",
        "  <details><summary>修改前后（- 删除，+ 新增）</summary>",
        "",
        f"  {fence}diff",
        *(f"  {line}".rstrip() for line in lines),
        f"  {fence}",
        "",
        "  </details>",
        "",
    ]


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and ("\n" in value.strip() or len(value.strip()) > _INLINE_MAX)


def change_lines(change: Change) -> list[str]:
    head = f"- **{label(change.loc)}**"
    if not change.public:
        return [f"{head}：已修改{PRIVATE_NOTE}"]
    old, new = change.old, change.new
    if change.loc[0] == "key_technologies" and len(change.loc) == 2:
        if old is None:
            return [f"{head}：新增 {_technology(new)}"]
        return [f"{head}：删除 {_technology(old)}"]
    if change.loc[-1] in ("trl_current", "trl_expected"):
        return [f"{head}：{_trl(old)} → {_trl(new)}"]
    if _is_long(old) or _is_long(new):
        return [f"{head}：已修改", *_block(text_diff(old, new))]
    return [f"{head}：{_inline(old)} → {_inline(new)}"]
