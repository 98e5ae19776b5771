"""The hand-written pages of ``content/``, read once: title, place in the PDF, Markdown body.

The site lists them under 申报须知 (in this order); the PDF prints those with ``pdf: N`` in their
front matter as chapters before the topics, ordered by N.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import CallGuideError

CONTENT = "content"
HOME = "index.md"  # generated from call.yaml, never hand-written
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


@dataclass(frozen=True)
class ContentPage:
    """A page of ``content/``: its path there, its title, its chapter number in the PDF (or None)."""

    path: str
    title: str
    pdf: int | None = None
    body: str = ""

    @property
    def stem(self) -> str:
        return Path(self.path).stem


def read_page(path: Path, folder: Path) -> ContentPage:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    rel = path.relative_to(folder).as_posix()
    match = _FRONT.match(text)
    meta = yaml.safe_load(match.group(1)) if match else {}
    meta = meta if isinstance(meta, dict) else {}
    order, title = meta.get("pdf"), meta.get("title", path.stem)
    if (order is not None and (not isinstance(order, int) or isinstance(order, bool))) or not isinstance(
        title, str
    ):
        raise CallGuideError(
            f"{CONTENT}/{rel}：front matter 中 pdf 应为整数、title 应为文字，实际为 pdf={order!r}、title={title!r}",
            stage="内容页",
        )
    return ContentPage(rel, title.strip(), order, text[match.end() :] if match else text)


def content_pages(root: Path) -> list[ContentPage]:
    """Every ``content/*.md`` page but the home page, in the order of ``pdf`` (then file name)."""
    folder = root / CONTENT
    pages = [read_page(p, folder) for p in sorted(folder.glob("*.md")) if p.name != HOME]
    return sorted(pages, key=lambda p: (p.pdf if p.pdf is not None else 1 << 30, p.path))
