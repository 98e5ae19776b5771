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
import gc
import logging
import mimetypes
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from . import model as m
from .markdown import _softbreak, link_allowed
from .markdown import render as render_md
from .render import environment
from .topics import PublishedGuide, Topic

ASSETS = Path("templates") / "pdf"
TEMPLATE = "pdf/guide.html.j2"
CJK_PACKAGE = "fonts-noto-cjk"
RARE_PACKAGE = "fonts-hanazono"  # HanaMinB: CJK Extension B and beyond
RARE_CHARS = re.compile("[\U00020000-\U0003134f]")  # CJK Extensions B–H (outside the BMP)


class PdfError(Exception):
    """The PDF cannot be built as it should look; the message says what to do."""


@dataclass(frozen=True)
class Chapter:
    """A front-matter page of ``content/`` printed before the topics."""

    id: str
    title: str
    order: int
    html: Markup


# ``report(pages_laid_out, writing)``: called for every page WeasyPrint lays out, then once when it writes
ProgressReport = Callable[[int, bool], None]


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    size: int
    seconds: float
    cached: bool = False  # copied from an earlier build with the same inputs (callguide.pdfcache)


# --- front matter -------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


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


def front_matter(root: Path) -> list[Chapter]:
    """The ``content/*.md`` pages with ``pdf: N`` in their front matter, ordered by N (then file name)."""
    chapters = []
    for path in sorted((root / "content").glob("*.md")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        match = _FRONT.match(text)
        if not match:
            continue
        meta = yaml.safe_load(match.group(1)) or {}
        if not isinstance(meta, dict) or "pdf" not in meta:
            continue
        order, title = meta.get("pdf"), meta.get("title")
        if not isinstance(order, int) or isinstance(order, bool) or not isinstance(title, str):
            raise PdfError(
                f"content/{path.name}：front matter 中 pdf 应为整数、title 应为文字，"
                f"实际为 pdf={order!r}、title={title!r}"
            )
        body = text[match.end() :]
        chapters.append(Chapter(f"_ch-{path.stem}", title.strip(), order, Markup(_CHAPTER_MD.render(body))))
    return sorted(chapters, key=lambda c: (c.order, c.id))


# --- helpers for the template -------------------------------------------------------------------


def runin(label: str, text: str | None, level: str = "") -> Markup:
    """The label run into the text (申报条件：……) when the text is one paragraph, else set above it."""
    html = str(render_md(text))
    head = f'<span class="{escape(f"runin {level}".strip())}">{escape(label)}：</span>'
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Markup(f"<p>{head}{html[3:]}")
    return Markup(f'<p class="runin-alone">{head}</p>\n{html}')


def project_types(topic: Topic) -> str:
    """引进来（国产化替代）、依托国际创新合作平台."""
    return "、".join(
        f"{t}（{topic.import_category}）" if t == m.IMPORT_TYPE and topic.import_category else t
        for t in topic.project_types
    )


def cover_title(guide: PublishedGuide) -> str:
    title = guide.call.title
    return title if str(guide.call.year) in title else f"{guide.call.year}年度{title}"


def build_date(root: Path, guide: PublishedGuide) -> dt.datetime:
    """The document date: SOURCE_DATE_EPOCH, else the latest commit, else the call's publish date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError) as exc:
            raise PdfError(f"SOURCE_DATE_EPOCH 应为 Unix 时间戳（秒），实际为 {epoch!r}") from exc
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=30
        )
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return dt.datetime.fromtimestamp(int(out.stdout.strip()), dt.UTC)
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.datetime.combine(guide.call.publish_date, dt.time(), dt.UTC)


def render_html(guide: PublishedGuide, root: Path, date: dt.datetime | None = None) -> str:
    """The whole document as HTML (public fields only), ready for ``render_document``."""
    call = guide.call
    stamp = (date or build_date(root, guide)).strftime("%Y-%m-%dT%H:%M:%SZ")
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
            chapters=front_matter(root),
            groups=guide.groups,
            runin=runin,
            project_types=project_types,
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


# --- WeasyPrint ---------------------------------------------------------------------------------


class FetchRefused(Exception):
    """A URL outside the project's PDF assets."""


def asset_fetcher(root: Path):  # -> weasyprint.urls.URLFetcher
    """A fetcher that serves files under ``root/templates/pdf/`` and stops the build for anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    assets = (root / ASSETS).resolve()

    class AssetFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            path = asset_path(assets, url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return AssetFetcher()


def asset_path(assets: Path, url: str) -> Path:
    """The file ``url`` names if it is one of the assets; FetchRefused otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
        raise FetchRefused(f"PDF 只使用 templates/pdf/ 中的文件，拒绝读取 {url}")
    raw = unquote(parts.path)
    path = Path(url2pathname(parts.path))
    if ".." in Path(raw).parts or not path.is_absolute():
        raise FetchRefused(f"PDF 只使用 templates/pdf/ 中的文件，拒绝读取 {url}")
    try:
        real = path.resolve(strict=True)
    except OSError as exc:
        raise FetchRefused(f"找不到 PDF 资源 {url}") from exc
    if not real.is_relative_to(assets) or not real.is_file():
        raise FetchRefused(f"PDF 只使用 templates/pdf/ 中的文件，拒绝读取 {url}")
    return real


def _page_styles_without_scan() -> None:
    """WeasyPrint 70 finds a page's margin-box styles (``@bottom-right`` …) by scanning the cascaded
    styles of every element of the document, once per page: quadratic in the guide's length. The
    keys it looks for are ``(page_type, pseudo)`` for the pseudo-elements named in ``@page`` rules;
    this looks them up directly. The styles are computed exactly as before, for every page."""
    import weasyprint
    from weasyprint.layout import page as pages

    if weasyprint.__version__ != "70.0" or getattr(pages.set_page_type_computed_styles, "callguide", False):
        return

    def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
        style_for.add_page_declarations(page_type)
        root = html.etree_element
        style_for.set_computed_styles(page_type, root=root, parent=root, base_url=html.base_url)
        cascaded = style_for.get_cascaded_styles()
        named = {
            selector[1]
            for sheet, _, _ in style_for._sheets
            for _, selectors, _ in sheet.page_rules
            for selector in selectors
        }
        for pseudo in sorted(p for p in named if p):
            if (page_type, pseudo) in cascaded:
                style_for.set_computed_styles(
                    page_type, pseudo_type=pseudo, root=root, parent=page_type, base_url=html.base_url
                )

    set_page_type_computed_styles.callguide = True  # type: ignore[attr-defined]
    pages.set_page_type_computed_styles = set_page_type_computed_styles


def render_document(html: str, root: Path):  # -> weasyprint.Document
    """Lay out ``html`` (which links ``print.css``) with the project's assets and nothing else."""
    from weasyprint import HTML

    _page_styles_without_scan()

    base = (root / ASSETS).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=asset_fetcher(root)).render()


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """WeasyPrint makes millions of short-lived objects, freed by reference counting; the cycle
    collector's passes over them take a sixth of the layout time (measured) and free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _ProgressHandler(logging.Handler):
    """WeasyPrint announces its steps on the ``weasyprint.progress`` logger: "Step 5 - Creating
    layout - Page %d" for every page it lays out, "Step 6 - Creating PDF" when it starts writing."""

    def __init__(self, report: ProgressReport):
        super().__init__(logging.INFO)
        self.report = report
        self.pages = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if message.startswith("Step 5 - Creating layout - Page") and record.args:
            page = record.args[0] if isinstance(record.args, tuple) else None
            if isinstance(page, int):
                self.pages = max(self.pages, page)
                self.report(self.pages, False)
        elif message.startswith("Step 6"):
            self.report(self.pages, True)


@contextmanager
def _progress_reported(report: ProgressReport | None) -> Iterator[None]:
    if report is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler = _ProgressHandler(report)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the steps are for ``report`` only, not for other handlers
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def build_pdf(
    guide: PublishedGuide,
    root: Path,
    out: Path,
    report: ProgressReport | None = None,
    cache_dir: Path | None = None,
) -> PdfResult:
    """Write the guide's PDF to ``out``: reproducible bytes for the same inputs and date.

    ``report``, when given, hears of every page laid out and of the start of writing. With
    ``cache_dir``, a PDF made earlier from the same inputs is copied instead (``callguide.pdfcache``),
    and a new one is kept there.
    """
    from . import pdfcache

    start = time.perf_counter()
    html = render_html(guide, root)
    check_fonts(html)
    out.parent.mkdir(parents=True, exist_ok=True)
    digest = pdfcache.key(html, root) if cache_dir is not None else ""
    if cache_dir is not None and (kept := pdfcache.lookup(cache_dir, digest)):
        shutil.copyfile(kept[0], out)
        if report is not None:
            report(kept[1], True)
        return PdfResult(out, kept[1], out.stat().st_size, time.perf_counter() - start, cached=True)
    with _cycle_collector_paused(), _progress_reported(report):
        document = render_document(html, root)
        document.write_pdf(out, pdf_identifier=True)  # /ID from the content: stable across builds
        pages = len(document.pages)
        del document
    if cache_dir is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written costs time, not the build
            pdfcache.store(cache_dir, digest, out, pages)
    return PdfResult(out, pages, out.stat().st_size, time.perf_counter() - start)


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)
