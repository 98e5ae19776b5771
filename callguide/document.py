"""A proposal file as the check sees it: its text, its data, where every key and value stands, and the
problems found so far; and the file-level rules read before any YAML (encoding, size, name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import MAX_FILE_BYTES, SLUG_MAX, SLUG_PATTERN, SLUG_RE
from .problems import Problem

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Scalar:
    """How a scalar was written: the text, whether it was quoted, the type YAML gave it."""

    raw: str
    quoted: bool
    tag: str  # str, int, float, bool, null, timestamp, ...
    style: str | None = None  # None (plain), "'", '"', "|" or ">"


@dataclass
class Document:
    """A loaded proposal file: its data and where every piece of it stands."""

    path: Path
    display: str
    slug: str
    data: Any = None
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    scalars: dict[Loc, Scalar] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""  # the file's text, once read

    def where(self, loc: Loc) -> tuple[int, int]:
        """The position of ``loc``, or of its closest existing parent."""
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def place(self, loc: Loc, value: str, offset: int) -> tuple[int, int]:
        """Where ``value[offset]`` stands in the file: exact in a literal block (``|``), where every
        line of the value is a line of the file; else the value's start."""
        line, col = self.where(loc)
        scalar = self.scalars.get(loc)
        if scalar is None or scalar.style != "|":
            return line, col
        before = value[:offset]
        line += 1 + before.count("\n")
        lines = self.text.splitlines()
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        indent = len(source) - len(source.lstrip(" "))
        return line, indent + len(before.rsplit("\n", 1)[-1]) + 1

    def where_key(self, loc: Loc) -> tuple[int, int]:
        return self.key_positions.get(loc) or self.where(loc)

    def problem(self, code: str, pos: tuple[int, int], key: str, message: str, **kw: Any) -> None:
        self.problems.append(Problem(self.display, pos[0], pos[1], code, key, message, **kw))


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
    return line, col


def read_text(doc: Document) -> str | None:
    """File-level checks; returns the text, or None after recording why it cannot be read."""
    path = doc.path
    if path.is_symlink():
        doc.problem(
            "file-symlink", (1, 1), "", "proposals/ 中不允许符号链接；请把文件本身放进来", found=str(path)
        )
        return None
    if path.suffix != ".yaml":
        msg = "文件扩展名应为 .yaml" + ("（不是 .yml）" if path.suffix == ".yml" else "")
        doc.problem("file-extension", (1, 1), "", msg + f"；请改名为 {path.stem}.yaml", found=path.name)
        return None
    if not SLUG_RE.match(doc.slug) or len(doc.slug) > SLUG_MAX:
        doc.problem(
            "slug-invalid",
            (1, 1),
            "",
            f"文件名“{doc.slug}”不是合法的编号：只能用小写字母、数字和连字符，以字母或数字开头，最多 {SLUG_MAX} 个字符",
            found=doc.slug,
            allowed=SLUG_PATTERN,
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            doc.problem(
                "file-too-large",
                (1, 1),
                "",
                f"文件大小 {size} 字节，超过 {MAX_FILE_BYTES // 1024 // 1024} MiB 上限",
                found=str(size),
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        doc.problem("file-unreadable", (1, 1), "", f"无法读取文件：{exc.strerror}")
        return None
    if b"\x00" in data:
        line, col = _position_of_byte(data, data.index(b"\x00"))
        doc.problem("file-nul", (line, col), "", "文件中含有 NUL 字节（\\0），不是文本文件")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position_of_byte(data, exc.start)
        doc.problem(
            "file-encoding",
            (line, col),
            "",
            f"文件不是 UTF-8 编码（第 {exc.start} 字节 0x{data[exc.start]:02x}）；请用 UTF-8 另存",
        )
        return None
    return text.removeprefix("\ufeff")
