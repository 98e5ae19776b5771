"""The usual human causes of a YAML syntax error, found in the text and said in Chinese with the fix.

PyYAML says ``could not find expected ':'`` one line after a full-width colon; an editor needs "键
title 后面用了全角冒号" at the colon. ``causes`` looks for what people actually type — full-width
colons, tabs and full-width spaces in the indentation, a missing space after ``:`` or ``-``, a quote
that is never closed — and ``inner_quotes`` repairs the one slip the format accepts as meant:
``region: "一带一路"共建国家`` (a value that starts with a quote and goes on after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .call import Call
from .document import Document, Loc
from .model import LABELS, key_path

KEY = r"[A-Za-z_][A-Za-z0-9_]*"
# every key of the format (proposals and call.yaml), to tell a key from text
KEYS = frozenset(k.rsplit(".", 1)[-1] for k in LABELS) | frozenset(Call.model_fields) | {"office", "phone"}
_LEAD = re.compile(r"^[ \t\u3000\xa0]*")
_FULLWIDTH_COLON = re.compile(rf"^(?:-\s+)?({KEY})\s*：")
_NO_SPACE_AFTER_COLON = re.compile(rf"^(?:-\s+)?({KEY}):(?=[^\s/])")
_NO_SPACE_AFTER_DASH = re.compile(r"^-(?=[^\s\-\d.])")
_QUOTED_START = re.compile(rf"^(?:-\s+|{KEY}:\s+)([\"'])")
# key: "一带一路"共建国家 / - "卡脖子"技术 / [国产化替代, "卡脖子"技术]: the value goes on after its
# closing quote (up to the end of the line, or of the flow item)
_INNER_QUOTES = re.compile(
    r'(^\s*(?:-\s+)?(?:[A-Za-z_][A-Za-z0-9_]*:\s+)?|[\[,]\s*)"([^"\n]*)"([^\s#,\]}][^\n,\]}]*)'
)


@dataclass(frozen=True)
class Cause:
    code: str
    line: int
    column: int
    message: str
    hint: str


def causes(text: str, keys: frozenset[str]) -> list[Cause]:
    """Every usual cause of a syntax error in ``text``, in line order. ``keys``: the format's keys."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        lead = _LEAD.match(line).group()  # type: ignore[union-attr]
        body = line[len(lead) :]
        if "\t" in lead:
            found.append(Cause("yaml-tab", n, lead.index("\t") + 1, "这一行用 Tab 键缩进；YAML 只能用空格缩进",
                               "请把 Tab 换成空格，与同级的行对齐（每级两个空格）"))  # fmt: skip
        elif odd := next((ch for ch in lead if ch in "\u3000\xa0"), None):
            what = "全角空格" if odd == "\u3000" else "不间断空格（多见于从网页或 Word 复制的文字）"
            found.append(Cause("yaml-space", n, lead.index(odd) + 1, f"这一行的缩进里有{what}",
                               "请删掉行首的空白，重新用半角空格缩进"))  # fmt: skip
        if not body or body.startswith("#"):
            continue
        if (m := _FULLWIDTH_COLON.match(body)) and m.group(1) in keys:
            key = m.group(1)
            found.append(Cause("yaml-fullwidth-colon", n, len(lead) + m.end(), f"键 {key} 后面用了全角冒号“：”",
                               f"YAML 的冒号须是半角的，后面再加一个空格：{key}: …"))  # fmt: skip
        elif (m := _NO_SPACE_AFTER_COLON.match(body)) and m.group(1) in keys:
            key = m.group(1)
            found.append(Cause("yaml-colon-space", n, len(lead) + m.end(), f"键 {key} 的冒号后面缺少空格",
                               f"请在冒号后加一个空格：{key}: {body[m.end():]}"))  # fmt: skip
        elif _NO_SPACE_AFTER_DASH.match(body):
            found.append(Cause("yaml-dash-space", n, len(lead) + 1, "列表项的“-”后面缺少空格",
                               f"请在“-”后加一个空格：- {body[1:]}"))  # fmt: skip
        elif m := _QUOTED_START.match(body):
            quote = m.group(1)
            value = body[m.end(1) - 1 :]
            closed = value.count(quote) - value.count("\\" + quote) if quote == '"' else value.count(quote)
            if closed % 2 == 1:
                found.append(Cause("yaml-quote", n, len(lead) + m.end(1), f"这一行的半角引号 {quote} 没有配对",
                                   f"请在内容末尾补上 {quote}，或去掉开头的 {quote}（正文中的引号请用中文引号“”）"))  # fmt: skip
    return found


def inner_quotes(line: str) -> str | None:
    """``region: "一带一路"共建国家`` as YAML reads it as meant: ``region: '"一带一路"共建国家'``; None when
    the line is not of that shape."""

    def quoted(m: re.Match[str]) -> str:
        value = f'"{m.group(2)}"{m.group(3)}'
        stripped = value.rstrip()
        return m.group(1) + "'" + stripped.replace("'", "''") + "'" + value[len(stripped) :]

    repaired = _INNER_QUOTES.sub(quoted, line)
    return repaired if repaired != line else None


def syntax_problems(doc: Document, text: str, error: yaml.MarkedYAMLError) -> None:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = error.problem or error.context or "语法错误"
    expert = f"（YAML 解析器在第 {line} 行第 {col} 列报告：{what}）"
    found = [c for c in causes(text, KEYS) if c.line <= line]
    for i, cause in enumerate(found):
        hint = cause.hint + (expert if i == 0 else "")
        doc.problem(cause.code, (cause.line, cause.column), "", cause.message, hint=hint)
    if not found:
        doc.problem(
            "yaml-syntax", (line, col), "", f"YAML 语法错误：{what}；请检查这一行及上一行的缩进、冒号和引号"
        )


_COMMENT = re.compile(r"[ \t]+#")


def comment_after(doc: Document, event: Any, loc: Loc) -> None:
    """``title: 高效 #2 电堆``: YAML keeps 高效 and drops the rest as a comment; an editor meant text."""
    lines = doc.text.splitlines()
    row = event.end_mark.line
    rest = lines[row][event.end_mark.column :] if row < len(lines) else ""
    if (match := _COMMENT.match(rest)) and loc and isinstance(loc[-1], str):
        column = event.end_mark.column + match.end()
        dropped = rest[match.end() - 1 :].strip()
        doc.problem(
            "text-comment",
            (row + 1, column),
            key_path(loc),
            f"“{dropped}”被 YAML 当作注释丢掉了，这一项只读到了“{event.value}”",
            found=dropped,
            hint=f'如果“{dropped}”是正文，请给整段加引号：{loc[-1]}: "{event.value} {dropped}"，或改用“|”另起一行书写',
        )
