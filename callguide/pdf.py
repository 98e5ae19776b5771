"""The consolidated PDF: the call guide as a department issues it, typeset after GB/T 9704-2012.

``render_html`` turns the published guide (public fields only) and the ``content/`` pages marked
``pdf: N`` into one HTML document through ``templates/pdf/guide.html.j2``; ``build_pdf`` lays it out
with WeasyPrint and ``templates/pdf/print.css``. The fetcher serves files under ``templates/pdf/``
and nothing else, so no URL in proposal text is ever fetched. Fonts come from fontconfig; the build
stops with the Debian package to install rather than print boxes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import subprocess
import time
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from . import archival, weasy
from .content import content_pages
from .errors import CallGuideError
from .guide import PublishedGuide
from .markdown import _softbreak, link_allowed
from .markdown import render as render_md
from .render import environment
from .weasy import ProgressReport

ASSETS = Path("templates") / "pdf"
TEMPLATE = "pdf/guide.html.j2"
CJK_PACKAGE = "fonts-noto-cjk"
RARE_PACKAGE = "fonts-hanazono"  # HanaMinB: CJK Extension B and beyond
RARE_CHARS = re.compile("[\U00020000-\U0003134f]")  # CJK Extensions B–H (outside the BMP)


class PdfError(CallGuideError):
    """The PDF cannot be built as it should look; the message says what to do."""

    def __init__(self, message: str):
        super().__init__(message, stage="PDF")


@dataclass(frozen=True)
class Chapter:
    """A front-matter page of ``content/`` printed before the topics."""

    id: str
    title: str
    order: int
    html: Markup


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    size: int
    seconds: float
    cached: bool = False  # copied from an earlier build with the same inputs (callguide.pdfcache)


# --- chapters: the content/ pages marked pdf: N ----------------------------------------------------


def _chapter_markdown() -> MarkdownIt:
    """CommonMark with tables for the hand-written pages: HTML and images off, links as in proposals."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    md.add_render_rule("softbreak", _softbreak)

    def adjust(state: object) -> None:
        for tok in state.tokens:  # type: ignore[attr-defined]
            if tok.type in ("heading_open", "heading_close") and tok.tag == "h1":
                tok.tag = "h2"  # the page title is the chapter heading; '#' inside is a 一、 heading
            opened: list[Token] = []
            for child in tok.children or ():
                # relative links (other site pages) and unsafe schemes print as plain text
                if child.type == "link_open":
                    opened.append(child)
                    if not link_allowed(str(child.attrGet("href") or "")):
                        child.tag, child.attrs = "span", {}
                elif child.type == "link_close" and opened and opened.pop().tag == "span":
                    child.tag = "span"

    md.core.ruler.push("pdf_adjust", adjust)
    return md


_CHAPTER_MD = _chapter_markdown()


def chapters(root: Path) -> list[Chapter]:
    """The ``content/`` pages with ``pdf: N`` in their front matter, ordered by N (then file name)."""
    return [
        Chapter(f"_ch-{p.stem}", p.title, p.pdf, Markup(_CHAPTER_MD.render(p.body)))
        for p in content_pages(root)
        if p.pdf is not None
    ]


# --- helpers for the template -------------------------------------------------------------------


def runin(label: str, text: str | None, level: str = "") -> Markup:
    """The label run into the text (申报条件：……) when the text is one paragraph, else set above it."""
    html = str(render_md(text))
    head = f'<span class="{escape(f"runin {level}".strip())}">{escape(label)}：</span>'
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Markup(f"<p>{head}{html[3:]}")
    return Markup(f'<p class="runin-alone">{head}</p>\n{html}')


def cover_title(guide: PublishedGuide) -> str:
    title = guide.call.title
    return title if str(guide.call.year) in title else f"{guide.call.year}年度{title}"


def render_html(guide: PublishedGuide, root: Path, date: dt.datetime) -> str:
    """The whole document as HTML (public fields only), ready for ``weasy.render_document``."""
    call = guide.call
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ")
    keywords = [call.short_title, f"{call.year}年度", "国际科技合作", *(g.name for g in guide.groups)]
    return (
        environment(root / "templates")
        .get_template(TEMPLATE)
        .render(
            call=call,
            cover_title=cover_title(guide),
            subject=" ".join(call.introduction.split()),
            keywords=keywords,
            created=stamp,
            chapters=chapters(root),
            guide=guide,
            groups=guide.groups,
            runin=runin,
        )
    )


# --- fonts --------------------------------------------------------------------------------------


@cache
def _fc_list(pattern: str) -> tuple[str, ...]:
    if not shutil.which("fc-list"):
        raise PdfError(
            f"找不到 fc-list，无法检查中文字体。请安装 Debian 软件包 fontconfig 和 {CJK_PACKAGE}："
            f"apt-get install fontconfig {CJK_PACKAGE}"
        )
    out = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True, timeout=60)
    return tuple(sorted({line.strip() for line in out.stdout.splitlines() if line.strip()}))


def check_fonts(text: str) -> None:
    """Fail unless fontconfig has a Chinese font, and a font for every rare character in ``text``."""
    if not _fc_list(":lang=zh"):
        raise PdfError(
            "系统中没有中文字体，PDF 中的汉字将显示为方框。"
            f"请安装 Debian 软件包 {CJK_PACKAGE}（apt-get install {CJK_PACKAGE}）后重新构建。"
        )
    missing = sorted({ch for ch in RARE_CHARS.findall(text) if not _fc_list(f":charset={ord(ch):x}")})
    if missing:
        chars = "、".join(f"{ch}（U+{ord(ch):X}）" for ch in missing)
        raise PdfError(
            f"没有字体包含生僻字 {chars}，PDF 中将显示为方框。"
            f"请安装 Debian 软件包 {RARE_PACKAGE}（apt-get install {RARE_PACKAGE}）后重新构建。"
        )


def build_pdf(
    guide: PublishedGuide,
    root: Path,
    out: Path,
    date: dt.datetime,
    report: ProgressReport | None = None,
    cache_dir: Path | None = None,
) -> PdfResult:
    """Write the guide's PDF to ``out``: reproducible bytes for the same inputs and ``date``.

    ``report``, when given, hears of every page laid out and of the start of writing. With
    ``cache_dir``, a PDF made earlier from the same inputs is copied instead (``callguide.pdfcache``),
    and a new one is kept there.
    """
    from . import pdfcache

    start = time.perf_counter()
    html = render_html(guide, root, date)
    check_fonts(html)
    out.parent.mkdir(parents=True, exist_ok=True)
    digest = pdfcache.key(html, root) if cache_dir is not None else ""
    if cache_dir is not None and (kept := pdfcache.lookup(cache_dir, digest)):
        shutil.copyfile(kept[0], out)
        if report is not None:
            report(kept[1], True)
        return PdfResult(out, kept[1], out.stat().st_size, time.perf_counter() - start, cached=True)
    with weasy.cycle_collector_paused(), weasy.progress_reported(report):
        document = weasy.render_document(html, root / ASSETS)
        # /ID from the content (stable across builds); tagged PDF/A-2a declaring PDF/UA-1 (archival.py).
        # WeasyPrint 70 opens its sRGB profile for the output intent and leaves the file to the
        # garbage collector: a ResourceWarning about its own file, nothing lost.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            document.write_pdf(out, pdf_identifier=True, pdf_variant=archival.register())
        pages = len(document.pages)
        del document
    if cache_dir is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written costs time, not the build
            pdfcache.store(cache_dir, digest, out, pages)
    return PdfResult(out, pages, out.stat().st_size, time.perf_counter() - start)
