"""YAML → plain data, with the file, line and column of every key and value.

PyYAML's loaders keep the last of duplicate keys, expand aliases and coerce
YAML 1.1 scalars silently. Here we walk the parser's events ourselves (the
LibYAML parser when available) and decide: anchors, aliases, duplicate keys,
several documents and deep nesting are problems with a position, and each
scalar keeps how it was written so that the check can explain a coercion.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .document import Document, Loc, Scalar, read_text
from .yamlhints import comment_after, inner_quotes, syntax_problems

__all__ = ["Document", "Loc", "Scalar", "is_surprise", "load", "parse"]

try:
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without LibYAML
    _Parser = yaml.SafeLoader

MAX_DEPTH = 20
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_DECIMAL_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+")
TAG = "tag:yaml.org,2002:"
_QUOTED = ("'", '"', "|", ">")


class _Stop(Exception):
    """Raised to stop reading a file after a problem that makes the rest meaningless."""


def _pos(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _scalar_value(doc: Document, event: Any, loc: Loc) -> Any:
    quoted = event.style in _QUOTED
    if event.tag and event.tag not in ("!", f"{TAG}str"):
        line, col = _pos(event.start_mark)
        doc.problem("yaml-tag", (line, col), "", f"不支持 YAML 标签 {event.tag}；请去掉它", found=event.tag)
    if quoted or event.tag in ("!", f"{TAG}str"):
        tag = f"{TAG}str"
    else:
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    kind = tag.removeprefix(TAG)
    doc.scalars[loc] = Scalar(event.value, quoted, kind, event.style)
    if kind == "str" and not quoted and event.start_mark.line == event.end_mark.line:
        comment_after(doc, event, loc)
    raw = event.value
    if kind == "str":
        return raw
    if kind == "null":
        return None
    if kind == "int":
        if _DECIMAL_INT.fullmatch(raw):
            return int(raw)
    elif kind == "float" and _DECIMAL_FLOAT.fullmatch(raw):
        return float(raw)
    try:
        value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, raw))
    except Exception:
        value = raw
    if kind in ("int", "float"):
        # 0105551234 (octal), 1_000, 0x1F, 1:30 (sexagesimal), .inf: YAML 1.1 surprises.
        return _Surprise(raw, kind, value)
    if isinstance(value, dt.date | bool):
        return value
    return _Surprise(raw, kind, value)


@dataclass(frozen=True)
class _Surprise:
    """A plain scalar that YAML 1.1 would turn into something its writer did not mean."""

    raw: str
    kind: str
    value: Any

    def __repr__(self) -> str:
        return self.raw


def _walk(doc: Document, events: Any) -> Any:
    """Build the data from a stream of events (after STREAM-START, DOCUMENT-START)."""
    stack: list[tuple[Any, Loc, Any]] = []  # (container, loc, pending key or None)
    root: Any = None

    def attach(value: Any, loc: Loc, start: Any) -> bool:
        nonlocal root
        doc.positions[loc] = _pos(start)
        if not stack:
            root = value
            return True
        container, _, _ = stack[-1]
        if isinstance(container, list):
            container.append(value)
        else:
            container[loc[-1]] = value
            stack[-1] = (container, stack[-1][1], None)
        return True

    def next_loc() -> Loc | None:
        """The loc of the next value; None when the next scalar is a mapping key."""
        if not stack:
            return ()
        container, loc, key = stack[-1]
        if isinstance(container, list):
            return (*loc, len(container))
        if key is None:
            return None
        return (*loc, key)

    for event in events:
        if isinstance(event, yaml.DocumentEndEvent):
            return root
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            doc.problem(
                "yaml-alias", _pos(event.start_mark), "", f"不允许使用别名（*{event.anchor}）；请直接写出内容"
            )
            raise _Stop
        if anchor is not None:
            doc.problem(
                "yaml-anchor", _pos(event.start_mark), "", f"不允许使用锚点（&{anchor}）；请直接写出内容"
            )
            raise _Stop
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
            continue
        loc = next_loc()
        if loc is None:  # a mapping key
            container, parent, _ = stack[-1]
            if not isinstance(event, yaml.ScalarEvent) or (
                event.style not in _QUOTED
                and _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit) != f"{TAG}str"
            ):
                found = event.value if isinstance(event, yaml.ScalarEvent) else "复杂结构"
                doc.problem(
                    "yaml-key-type", _pos(event.start_mark), "", f"键必须是文本，这里是“{found}”", found=found
                )
                raise _Stop
            key = event.value
            key_loc = (*parent, key)
            if key in container or (key_loc in doc.key_positions):
                first = doc.key_positions.get(key_loc, (0, 0))
                doc.problem(
                    "yaml-duplicate-key",
                    _pos(event.start_mark),
                    "",
                    f"键 {key} 重复出现（第一次在第 {first[0]} 行）；请删除或合并其中一个",
                    found=key,
                )
                key = f"\x00dup{len(doc.problems)}"  # keep the first value; read but drop this one
            else:
                doc.key_positions[key_loc] = _pos(event.start_mark)
            stack[-1] = (container, parent, key)
            continue
        if len(stack) >= MAX_DEPTH:
            doc.problem("yaml-too-deep", _pos(event.start_mark), "", f"嵌套超过 {MAX_DEPTH} 层")
            raise _Stop
        if isinstance(event, yaml.ScalarEvent):
            attach(_scalar_value(doc, event, loc), loc, event.start_mark)
        elif isinstance(event, yaml.MappingStartEvent):
            value: Any = {}
            attach(value, loc, event.start_mark)
            stack.append((value, loc, None))
        elif isinstance(event, yaml.SequenceStartEvent):
            value = []
            attach(value, loc, event.start_mark)
            stack.append((value, loc, None))
    return root


def _drop_duplicates(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_duplicates(v) for k, v in value.items() if not k.startswith("\x00dup")}
    if isinstance(value, list):
        return [_drop_duplicates(v) for v in value]
    return value


def parse(doc: Document, text: str) -> None:
    """Fill ``doc.data`` from ``text``; problems are recorded on ``doc``.

    A value that starts with a quote and goes on after it (``"卡脖子"技术``) is read as the editor meant
    it; for any other syntax error the usual human cause is looked for (``yamlhints``) and said at its
    line, PyYAML's own words kept as a second line for the expert.
    """
    before = len(doc.problems)
    lines = text.split("\n")
    for _ in range(100):  # one repair per line at most
        error = _parse_once(doc, "\n".join(lines))
        row = error.problem_mark.line if error is not None and error.problem_mark is not None else -1
        repaired = inner_quotes(lines[row]) if 0 <= row < len(lines) else None
        if repaired is None:
            break
        lines[row] = repaired
        del doc.problems[before:]
        doc.positions.clear()
        doc.key_positions.clear()
        doc.scalars.clear()
    if error is not None:
        syntax_problems(doc, text, error)
    if doc.data is not None:
        doc.data = _drop_duplicates(doc.data)
    if not isinstance(doc.data, dict) and len(doc.problems) == before:
        found = "空文件" if doc.data is None else type(doc.data).__name__
        doc.problem("yaml-not-mapping", (1, 1), "", f"文件顶层应是“键: 值”的映射，这里是{found}", found=found)
        doc.data = None


def _parse_once(doc: Document, text: str) -> yaml.MarkedYAMLError | None:
    """One pass of the parser over ``text``: ``doc.data`` and the problems, or the syntax error."""
    doc.data = None
    loader = _Parser(text)
    try:
        events = iter(loader.get_event, None)
        first = next(events)  # STREAM-START
        assert isinstance(first, yaml.StreamStartEvent)
        documents = 0
        for event in events:
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    doc.problem(
                        "yaml-multi-document",
                        _pos(event.start_mark),
                        "",
                        "一个文件只能有一个 YAML 文档；请删除 --- 之后的内容，或把它拆成另一个文件",
                    )
                    doc.data = None
                    return None
                doc.data = _walk(doc, events)
    except _Stop:
        doc.data = None
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        return exc
    except yaml.YAMLError as exc:  # reader errors (control characters...)
        doc.problem("yaml-syntax", (1, 1), "", f"YAML 无法读取：{exc}")
        doc.data = None
    finally:
        loader.dispose()
    return None


def load(path: Path, root: Path | None = None) -> Document:
    """Read one proposal file. Never raises for bad input: problems are on the result."""
    try:
        display = str(path.relative_to(root)) if root else str(path)
    except ValueError:
        display = str(path)
    doc = Document(
        path=path, display=display, slug=path.stem if path.suffix in (".yaml", ".yml") else path.name
    )
    text = read_text(doc)
    if text is not None:
        doc.text = text
        parse(doc, text)
    return doc


def is_surprise(value: Any) -> bool:
    return isinstance(value, _Surprise)
