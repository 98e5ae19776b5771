"""The build: check, render into a temporary directory beside ``site/``, scan, then swap.

Nothing is half-published: ``site/`` is replaced only when every stage
succeeded, and a failure leaves the previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import TemplateError
from mkdocs.plugins import BasePlugin

from . import pdfcache
from . import problems as pr
from .builddate import as_datetime, build_epoch, source_date
from .errors import CallGuideError
from .guide import PublishedGuide, load_guide
from .history import missing_notice
from .pdf import PdfResult
from .pdfjob import PdfJob
from .privacy import needles, scan_file, scan_files
from .render import describe_template_error
from .workdirs import OLD_SITE, SITE_WORK, new_folder, remove_stale


class BuildError(CallGuideError):
    """A stage of the build failed; the message says which and why (in Chinese, for editors)."""


class Progress:
    """Stage timing and messages; silent with ``quiet``. ``times`` is keyed by the stage's short name.

    Inside a long stage, ``status`` shows a running count: rewritten in place on a terminal (at most
    ten times a second), and elsewhere (CI logs) printed as a line at most every ``interval`` seconds.
    """

    def __init__(self, quiet: bool = False, tty: bool | None = None, interval: float = 5.0):
        self.quiet = quiet
        self.tty = sys.stdout.isatty() if tty is None else tty
        self.interval = interval
        self.times: dict[str, float] = {}
        self.labels: dict[str, str] = {}
        self._status_shown = False
        self._last_status = time.monotonic()

    @contextmanager
    def stage(self, key: str, label: str) -> Iterator[None]:
        self.say(f"· {label} …")
        start = time.perf_counter()
        self._last_status = time.monotonic()
        yield
        self.record(key, label, time.perf_counter() - start)
        self.say(f"  {label} 完成（{self.times[key]:.1f} 秒）")

    def record(self, key: str, label: str, seconds: float) -> None:
        self.times[key] = self.times.get(key, 0.0) + seconds
        self.labels[key] = label

    def status(self, text: str) -> None:
        if self.quiet:
            return
        since = time.monotonic() - self._last_status
        if self.tty and (since >= 0.1 or not self._status_shown):
            sys.stdout.write(f"\r\033[K  {text}")
            sys.stdout.flush()
            self._status_shown = True
            self._last_status = time.monotonic()
        elif not self.tty and since >= self.interval:
            print(f"  {text}", flush=True)
            self._last_status = time.monotonic()

    def say(self, text: str) -> None:
        if self.quiet:
            return
        if self._status_shown:  # the running count gives way to the line
            sys.stdout.write("\r\033[K")
            self._status_shown = False
        print(text, flush=True)


def pdf_status(progress: Progress) -> Callable[[int, bool], None]:
    """The PDF's progress as ``Progress.status`` lines."""

    def report(pages: int, writing: bool) -> None:
        progress.status(f"PDF：写入文件（共 {pages} 页）" if writing else f"PDF：已排版 {pages} 页")

    return report


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames on the same filesystem."""
    old = target.with_name(f"{OLD_SITE}{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


class _PageCounter(BasePlugin):
    """Hears mkdocs write each page, for the progress line (added to the build by ``build_site``)."""

    def __init__(self, report: Callable[[int, int], None]):
        super().__init__()
        self.report = report
        self.done = self.total = 0

    def on_files(self, files, *, config):
        self.done, self.total = 0, len(files.documentation_pages())
        return files

    def on_post_page(self, output, *, page, config):
        self.done += 1
        self.report(self.done, self.total)
        return output


def build_site(
    root: Path,
    site_dir: Path,
    guide: PublishedGuide,
    epoch: int,
    on_page: Callable[[int, int], None] | None = None,
) -> None:
    """``mkdocs build`` of ``root/mkdocs.yml`` into ``site_dir`` from ``guide``, without the PDF (the
    caller lays it out meanwhile); the plugin adds the topics and the open data. ``on_page(done,
    total)`` hears of every page written."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    except MkDocsException as exc:
        raise BuildError(f"网站配置（mkdocs.yml）有误：{exc}", stage="网站") from exc
    plugin = cfg.plugins.get("callguide")
    if plugin is not None:
        plugin.config.pdf = False
        plugin.given = guide
    if on_page is not None:
        cfg.plugins["callguide-progress"] = _PageCounter(on_page)
    try:
        with source_date(epoch):  # mkdocs reads the sitemap's date from the environment
            mkdocs_build(cfg)
    except MkDocsException as exc:
        raise BuildError(f"网站生成失败：{exc}", stage="网站") from exc
    except TemplateError as exc:
        raise BuildError(f"网站模板错误：{describe_template_error(exc)}", stage="网站") from exc
    finally:
        cfg.plugins.on_shutdown()


def build(
    root: Path,
    quiet: bool = False,
    strict: bool = False,
    site: bool = True,
    pdf: bool = True,
    cache: bool = True,
    timings: Path | None = None,
) -> None:
    """Build everything (``site``) or the PDF alone; raises CallGuideError (``site/`` untouched then).

    Everything: check; the PDF is laid out in a second process while mkdocs renders the site; the
    site's files are scanned while the PDF is finished; then the PDF is scanned, the internal table
    written and the new site swapped in. ``cache``: reuse a PDF made before from the same inputs.
    ``timings``: write the stage times there as JSON (for ``bench/run.py``).
    """
    progress = Progress(quiet)
    started = time.perf_counter()
    site_dir = root / "site"
    remove_stale(root)
    with progress.stage("check", "检查指南建议"):
        guide, checked, problems = load_guide(root, strict)
    if problems:
        sys.stdout.write(pr.format_text(problems, len(checked) + 1, strict))  # the proposals and call.yaml
    if guide.history_missing:
        progress.say(missing_notice(guide.history_missing))
    proposals = {c.slug: c.proposal for c in checked if c.proposal is not None}
    values = needles(p.proposer for p in proposals.values())
    epoch = build_epoch(root, guide.call)
    cache_dir = pdfcache.folder(root) if cache else None
    pdf_result: PdfResult | None = None
    tmp = new_folder(SITE_WORK, root)
    job: PdfJob | None = None
    try:
        pdf_path = tmp / guide.call.pdf_filename
        if site:
            if pdf:
                job = PdfJob(guide, root, guide.call.pdf_filename, as_datetime(epoch), root, cache_dir)
            with progress.stage("site", "生成网站与开放数据（PDF 同时在另一进程中排版）"):
                build_site(
                    root, tmp, guide, epoch, lambda done, total: progress.status(f"网站：{done}/{total} 页")
                )
            with progress.stage("privacy_site", "隐私检查（网站）"):
                _refuse(list(scan_files(tmp, values, skip=[pdf_path])))
            if job is not None:
                with progress.stage("pdf_wait", "等待 PDF"):
                    pdf_result = job.move_to(pdf_path, job.result(pdf_status(progress)))
                progress.record("pdf", "PDF（另一进程）", pdf_result.seconds)
        else:
            if site_dir.exists():
                shutil.copytree(site_dir, tmp, dirs_exist_ok=True, symlinks=True)
            with progress.stage("pdf", "生成 PDF"):
                from .pdf import build_pdf

                try:
                    pdf_result = build_pdf(
                        guide, root, pdf_path, as_datetime(epoch), pdf_status(progress), cache_dir
                    )
                except TemplateError as exc:
                    raise BuildError(f"PDF 模板错误：{describe_template_error(exc)}", stage="PDF") from exc
            with progress.stage("privacy_site", "隐私检查（网站）"):
                _refuse(list(scan_files(tmp, values, skip=[pdf_path])))
        if pdf_result is not None:
            reused = "（输入未变，沿用 build/cache/pdf/ 中的 PDF）" if pdf_result.cached else ""
            progress.say(f"  PDF：共 {pdf_result.pages} 页，{pdf_result.size / 1024:.0f} KiB{reused}")
        if pdf_path.exists():
            with progress.stage("privacy_pdf", "隐私检查（PDF 文字与元数据）"):
                _refuse(scan_file(pdf_path, tmp, values))
        with progress.stage("exports", "内部汇总表"):
            from .exports import write_internal

            write_internal(guide, proposals, root / "build" / "internal")
        _swap(tmp, site_dir)
    finally:
        if job is not None:
            job.cancel()
        if tmp.exists():
            shutil.rmtree(tmp)
    total = time.perf_counter() - started
    _summary(progress, guide, site_dir, total)
    if timings is not None:
        _write_timings(timings, progress, guide, pdf_result, total)


def _refuse(leaks: list[str]) -> None:
    if leaks:
        raise BuildError(
            "隐私检查未通过，以下公开文件含有建议人信息：\n" + "\n".join(leaks), stage="隐私检查"
        )


def _write_timings(
    target: Path, progress: Progress, guide: PublishedGuide, pdf: PdfResult | None, total: float
) -> None:
    """The figures ``bench/run.py`` reads: seconds per stage (``pdf`` overlaps ``site``), the PDF's size."""
    doc = {
        "topics": len(guide.topics),
        "total_s": round(total, 3),
        "stages_s": {k: round(v, 3) for k, v in progress.times.items()},
        "pdf_pages": pdf.pages if pdf else None,
        "pdf_bytes": pdf.size if pdf else None,
    }
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _summary(progress: Progress, guide: PublishedGuide, site_dir: Path, total: float) -> None:
    pdf = site_dir / guide.call.pdf_filename
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    size = f"{pdf.stat().st_size / 1024:.0f} KiB" if pdf.exists() else "无"
    stages = "，".join(f"{progress.labels[k]} {v:.1f} 秒" for k, v in progress.times.items())
    progress.say(
        f"完成：发布 {len(guide.topics)} 个专题，{pages} 个页面，PDF {size}；用时 {total:.1f} 秒（{stages}）。"
    )
