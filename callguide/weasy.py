"""What the PDF needs of WeasyPrint: the asset-only fetcher, a layout patch for 70.0, the paused cycle
collector and the progress of the layout. ``pdf.py`` says what the document is; this says how
WeasyPrint is driven to make it.
"""

from __future__ import annotations

import functools
import gc
import logging
import mimetypes
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .errors import CallGuideError

# ``report(pages_laid_out, writing)``: called for every page WeasyPrint lays out, then once when it writes
ProgressReport = Callable[[int, bool], None]


class FetchRefused(CallGuideError):
    """A URL outside the project's PDF assets (raised inside WeasyPrint, which stops the layout)."""

    def __init__(self, message: str):
        super().__init__(message, stage="PDF")


def asset_fetcher(folder: Path):  # -> weasyprint.urls.URLFetcher
    """A fetcher that serves files under ``folder`` (templates/pdf/) and stops the build for anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    assets = folder.resolve()

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
    if not real.is_file() or not (real.is_relative_to(assets) or real in system_fonts()):
        raise FetchRefused(f"PDF 只使用 templates/pdf/ 中的文件和系统字体，拒绝读取 {url}")
    return real


@functools.cache
def system_fonts() -> frozenset[Path]:
    """The font files fontconfig knows: what an ``@font-face { src: local(…) }`` of print.css reads."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(Path(line).resolve() for line in listed.splitlines() if line.strip())


PATCHED_VERSION = "70.0"  # the WeasyPrint release whose internals _page_styles_without_scan replaces


def _page_styles_without_scan() -> None:
    """WeasyPrint 70 finds a page's margin-box styles (``@bottom-right`` …) by scanning the cascaded
    styles of every element of the document, once per page: quadratic in the guide's length. The
    keys it looks for are ``(page_type, pseudo)`` for the pseudo-elements named in ``@page`` rules;
    this looks them up directly. The styles are computed exactly as before, for every page.

    Replaces ``weasyprint.layout.page.set_page_type_computed_styles`` of WeasyPrint 70.0
    (https://github.com/Kozea/WeasyPrint/blob/v70.0/weasyprint/layout/page.py); any other version
    keeps its own (tests/test_pdf.py fails when the pinned version moves, to re-measure and port).
    """
    import weasyprint
    from weasyprint.layout import page as pages

    if weasyprint.__version__ != PATCHED_VERSION or getattr(
        pages.set_page_type_computed_styles, "callguide", False
    ):
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


def _tags_with_page_references_once() -> None:
    """WeasyPrint 70 tags a document (``weasyprint.pdf.tags.add_tags``) asking ``pdf.page_references``
    for every structure element, and pydyf builds that tuple of every page anew on each call:
    quadratic in the guide's length (at 200 topics tagging tripled the time to write the PDF). No
    page is added while tagging, so the tuple is made once for the call; the tags are the same.

    Wraps ``add_tags`` as ``weasyprint.pdf.generate_pdf`` calls it in WeasyPrint 70.0
    (https://github.com/Kozea/WeasyPrint/blob/v70.0/weasyprint/pdf/__init__.py).
    """
    import weasyprint
    import weasyprint.pdf as wpdf

    if weasyprint.__version__ != PATCHED_VERSION or getattr(wpdf.add_tags, "callguide", False):
        return
    original = wpdf.add_tags

    def add_tags(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        cls = type(pdf)
        references = pdf.page_references
        pdf.__class__ = type(cls.__name__, (cls,), {"page_references": property(lambda self: references)})
        try:
            return original(pdf, *args, **kwargs)
        finally:
            pdf.__class__ = cls

    add_tags.callguide = True  # type: ignore[attr-defined]
    wpdf.add_tags = add_tags


def render_document(html: str, assets: Path):  # -> weasyprint.Document
    """Lay out ``html`` (which links ``print.css``) with the files in ``assets`` and nothing else."""
    from weasyprint import HTML

    _page_styles_without_scan()
    _tags_with_page_references_once()

    base = assets.resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=asset_fetcher(assets)).render()


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
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
def progress_reported(report: ProgressReport | None) -> Iterator[None]:
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
