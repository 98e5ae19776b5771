"""A Word file (.docx), read as untrusted input: the limits of the zip, then its text as a reader sees it.

python-docx gives the structure; its ``.text`` drops what real forms are full of — Wingdings check
boxes (``w:sym``) and the text of content controls (``w:sdt``) — so paragraphs are read here from
their XML: ``w:t`` text, ``w:sym`` symbols as the box they draw, tabs and line breaks, auto-numbered
paragraphs (``w:numPr``) as Markdown list items. Merged cells, which python-docx repeats at every
grid position they cover, are read once.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CallGuideError

MAX_UNPACKED = 20 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 100  # unpacked : packed, above which the file is treated as a zip bomb
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHECKED = set("☑☒■√✓✔☒⊠▣")
UNCHECKED = set("□☐○◻")
# Wingdings and Wingdings 2 code points (w:sym w:char) of the boxes forms use
_SYMBOLS = {
    ("wingdings", "F0FE"): "☑",
    ("wingdings", "F078"): "☒",
    ("wingdings", "F0FD"): "☒",
    ("wingdings", "F0A8"): "□",
    ("wingdings", "F06F"): "□",
    ("wingdings", "F0FC"): "√",
    ("wingdings 2", "F052"): "☑",
    ("wingdings 2", "F054"): "☒",
    ("wingdings 2", "F0A3"): "□",
    ("wingdings 2", "F050"): "√",
}


class DocxRefused(CallGuideError):
    """The file is not a Word document that may be read: the message says what to do."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message, stage="导入")


@dataclass(frozen=True)
class Block:
    """A paragraph or a table row of the document, as text, in document order."""

    kind: str  # "p", "row", or "table" (a whole top-level table as Markdown, after its rows)
    cells: tuple[str, ...]  # one for a paragraph
    where: str  # 第3段, 表1 第2行

    @property
    def text(self) -> str:
        return "\n".join(self.cells)


def converted(path: Path, folder: Path) -> Path | None:
    """``path`` (.doc, .wps) saved as .docx by LibreOffice into ``folder``, where ``soffice`` is installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    profile = (
        folder / "profile"
    ).as_uri()  # its own profile: no clash with a LibreOffice the editor has open
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx"]
    try:
        subprocess.run(
            [*command, "--outdir", str(folder), str(path)], capture_output=True, timeout=180, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = folder / f"{path.stem}.docx"
    return out if out.is_file() else None


def open_docx(path: Path) -> Any:  # -> docx.Document
    """The document, after the checks an untrusted file needs; DocxRefused otherwise. A .doc or .wps is
    converted by LibreOffice where it is installed."""
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        with tempfile.TemporaryDirectory(prefix="callguide-convert-") as tmp:
            docx_path = converted(path, Path(tmp))
            if docx_path is not None:
                return open_docx(docx_path)
        raise DocxRefused(f"{path.name} 是旧的 Word/WPS 格式；请在 Word 或 WPS 中“另存为” .docx 后再导入")
    if suffix == ".docm":
        raise DocxRefused(f"{path.name} 含宏（.docm），不导入；请另存为不含宏的 .docx")
    if suffix != ".docx":
        raise DocxRefused(f"{path.name} 不是 .docx 文件")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
                raise DocxRefused(
                    f"{path.name} 解压后 {unpacked // 1024} KiB，压缩比 {unpacked / packed:.0f}:1，超过导入上限"
                    f"（{MAX_UNPACKED // 1024 // 1024} MiB、{MAX_RATIO}:1）；请检查文件是否完整"
                )
            if "word/document.xml" not in archive.namelist():
                raise DocxRefused(f"{path.name} 中没有 Word 正文（word/document.xml）；不是 Word 文档")
            if any(n.lower().endswith("vbaproject.bin") for n in archive.namelist()):
                raise DocxRefused(f"{path.name} 含宏，不导入；请另存为不含宏的 .docx")
    except zipfile.BadZipFile:
        raise DocxRefused(f"{path.name} 已损坏或不是 .docx 文件（无法作为 zip 打开）") from None
    import docx  # python-docx parses with lxml, which resolves no external entities and reaches no network

    try:
        return docx.Document(str(path))
    except Exception as exc:  # a damaged part: python-docx raises many kinds
        raise DocxRefused(
            f"{path.name} 无法读取（{type(exc).__name__}）；请在 Word 中打开并另存为 .docx"
        ) from None


def _on(props: Any, name: str) -> bool:
    el = props.find(f"{W}{name}") if props is not None else None
    return el is not None and el.get(f"{W}val", "true") not in ("0", "false", "none")


def _run_text(run: Any) -> str:
    out: list[str] = []
    for el in run.iter():
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}sym":
            key = ((el.get(f"{W}font") or "").lower(), (el.get(f"{W}char") or "").upper())
            out.append(_SYMBOLS.get(key, ""))
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
    return "".join(out)


def paragraph_text(p: Any, emphasis: bool = False) -> str:
    """A paragraph's text as a reader sees it: symbols, content controls, breaks; "- " where Word numbers
    it; with ``emphasis``, bold runs as ``**…**`` and italic ones as ``*…*`` (Markdown the format allows)."""
    pieces: list[tuple[str, str]] = []  # (mark, text)
    for run in p._p.iter(f"{W}r"):
        text = _run_text(run)
        if not text:
            continue
        props = run.find(f"{W}rPr")
        mark = ("**" if _on(props, "b") else "*" if _on(props, "i") else "") if emphasis else ""
        if pieces and pieces[-1][0] == mark:
            pieces[-1] = (mark, pieces[-1][1] + text)
        else:
            pieces.append((mark, text))
    text = "".join(
        f"{body[: len(body) - len(body.lstrip())]}{mark}{body.strip()}{mark}{body[len(body.rstrip()) :]}"
        if mark and body.strip()
        else body
        for mark, body in pieces
    )
    if p._p.find(f"{W}pPr/{W}numPr") is not None and text.strip():
        text = "- " + text.lstrip()  # Word's own numbering: the "1." is not in the text
    return text


def cell_text(cell: Any) -> str:
    return "\n".join(paragraph_text(p) for p in cell.paragraphs).strip()


def blocks(document: Any) -> Iterator[Block]:
    """Every paragraph and table row of the body in order; rows of tables inside cells follow their row."""
    tables = 0
    paragraphs = 0
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            tables += 1
            rows = list(_rows(item, f"表{tables}"))
            yield from rows
            yield Block(
                "table", (markdown_table([r.cells for r in rows if "内表" not in r.where]),), f"表{tables}"
            )
        else:
            paragraphs += 1
            yield Block("p", (paragraph_text(item, emphasis=True),), f"第{paragraphs}段")


def _rows(table: Any, name: str) -> Iterator[Block]:
    for r, row in enumerate(table.rows, start=1):
        seen: set[Any] = set()  # the cells' XML elements (kept alive, so compared by identity)
        cells = []
        nested = []
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell, repeated by python-docx
                continue
            seen.add(cell._tc)
            cells.append(cell_text(cell))
            nested.extend(cell.tables)
        yield Block("row", tuple(cells), f"{name} 第{r}行")
        for i, inner in enumerate(nested, start=1):
            yield from _rows(inner, f"{name} 第{r}行内表{i}")


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    """A Word table as a Markdown table: the first row the header; a cell's lines joined by a space."""
    if not rows:
        return ""
    width = max(len(r) for r in rows)

    def line(cells: tuple[str, ...]) -> str:
        padded = [*cells, *([""] * (width - len(cells)))]
        return "| " + " | ".join(" ".join(c.split()).replace("|", "\\|") for c in padded) + " |"

    return "\n".join([line(rows[0]), "|" + "---|" * width, *(line(r) for r in rows[1:])])
