"""The build: check, render into a temporary directory beside ``site/``, scan, then swap.

Nothing is half-published: ``site/`` is replaced only when every stage
succeeded, and a failure leaves the previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from . import pdfcache
from . import problems as pr
from .pdf import PdfResult
from .pdfjob import PdfFailed, PdfJob
from .problems import CheckFailed
from .topics import PublishedGuide, load_guide_cached


class BuildError(Exception):
    """A stage failed; the message says which and why (in Chinese, for editors)."""


def describe_template_error(exc: TemplateError) -> str:
    """``templates/site/topic.md.j2:12: 'x' is undefined``: the template and line an error comes from."""
    where = ""
    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or exc.name}:{exc.lineno}"
    else:
        for frame, line in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith((".j2", ".html", ".css")):
                where = f"{name}:{line}"
    return f"{where}: {exc.message or exc}" if where else str(exc)


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
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build_site(
    root: Path,
    site_dir: Path,
    defer_pdf: bool = False,
    on_page: Callable[[int, int], None] | None = None,
) -> PdfJob | None:
    """``mkdocs build`` of ``root/mkdocs.yml`` into ``site_dir``: the hooks add the topics, PDF and open data.

    With ``defer_pdf`` the PDF is still being laid out in its own process when this returns: the
    caller gets the job and must finish (``result``, ``move_to``) or ``cancel`` it. ``on_page(done, total)``
    hears of every page written.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    plugin = cfg.plugins.get("callguide")
    if plugin is not None:
        plugin.defer_pdf = defer_pdf
        plugin.on_page = on_page
    job = None
    try:
        mkdocs_build(cfg)
        job = plugin.take_pdf_job() if plugin is not None else None
    except MkDocsException as exc:
        raise BuildError(f"网站生成失败：{exc}") from exc
    except TemplateError as exc:
        raise BuildError(f"网站模板错误：{describe_template_error(exc)}") from exc
    finally:
        cfg.plugins.on_shutdown()  # stops a PDF job nobody took
    return job


def source_date_epoch(root: Path) -> int:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, else the latest commit's date, else the call's date.

    Every date written into the outputs (sitemap, PDF metadata) comes from here, so two builds of
    the same commit are byte-identical.
    """
    if value := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return int(value)
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=30
        )
        if result.returncode == 0 and result.stdout.strip():
            return int(result.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    from .call import CALL_FILE
    from .check import check_call

    call, _ = check_call(root / CALL_FILE)
    if call is None:  # the check reports why, before anything is built
        return 0
    published = call.publish_date
    return int(dt.datetime.combine(published, dt.time(), tzinfo=dt.UTC).timestamp())


def build(root: Path, quiet: bool = False, strict: bool = False, site: bool = True, pdf: bool = True) -> int:
    """Build everything (``site``) or the PDF alone; returns the exit code.

    Everything: check; mkdocs renders the site while the PDF is laid out in a second process;
    the site's files are scanned while the PDF is finished; then the PDF is scanned, the internal
    table written and the new site swapped in. ``CALLGUIDE_TIMINGS=path`` writes the stage times
    there as JSON (for ``bench/run.py``).
    """
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(root))
    progress = Progress(quiet)
    started = time.perf_counter()
    site_dir = root / "site"
    pdf_result: PdfResult | None = None
    try:
        with progress.stage("check", "检查指南建议"):
            guide, checked, problems = load_guide_cached(root, strict)
        if problems:
            sys.stdout.write(
                pr.format_text(problems, len(checked) + 1, strict)
            )  # the proposals and call.yaml
        from .privacy import scan_file, scan_files, values_of

        values = values_of(guide, [c.proposal.proposer for c in checked if c.proposal])
        tmp = Path(tempfile.mkdtemp(prefix=".site-build-", dir=root))
        job: PdfJob | None = None
        try:
            pdf_path = tmp / guide.call.pdf_filename
            if site:
                with progress.stage("site", "生成网站与开放数据（PDF 同时在另一进程中排版）"):
                    job = build_site(
                        root,
                        tmp,
                        defer_pdf=True,
                        on_page=lambda done, total: progress.status(f"网站：{done}/{total} 页"),
                    )
                with progress.stage("privacy_site", "隐私检查（网站）"):
                    _refuse(list(scan_files(tmp, values, skip=[pdf_path])))
                if job is not None:
                    with progress.stage("pdf_wait", "等待 PDF"):
                        try:
                            pdf_result = job.move_to(pdf_path, job.result(pdf_status(progress)))
                        except PdfFailed as exc:
                            raise BuildError(str(exc)) from exc
                    progress.record("pdf", "PDF（另一进程）", pdf_result.seconds)
            else:
                if site_dir.exists():
                    shutil.copytree(site_dir, tmp, dirs_exist_ok=True, symlinks=True)
                with progress.stage("pdf", "生成 PDF"):
                    from .pdf import build_pdf

                    try:
                        pdf_result = build_pdf(
                            guide, root, pdf_path, pdf_status(progress), pdfcache.folder(root)
                        )
                    except TemplateError as exc:
                        raise BuildError(f"PDF 模板错误：{describe_template_error(exc)}") from exc
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

                write_internal(guide, root / "build" / "internal")
            _swap(tmp, site_dir)
        finally:
            if job is not None:
                job.cancel()
            if tmp.exists():
                shutil.rmtree(tmp)
    except CheckFailed as exc:
        sys.stdout.write(pr.format_text(exc.problems, exc.checked, strict))
        print("构建已停止：site/ 保持不变。", file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"构建失败：{exc}\nsite/ 保持不变。", file=sys.stderr)
        return 1
    except Exception as exc:  # an internal error: still a clear message, and site/ untouched
        if os.environ.get("CALLGUIDE_DEBUG"):
            traceback.print_exc()
        print(
            f"构建失败（内部错误）：{type(exc).__name__}: {exc}\nsite/ 保持不变。"
            "设置环境变量 CALLGUIDE_DEBUG=1 可查看详细信息。",
            file=sys.stderr,
        )
        return 1
    total = time.perf_counter() - started
    _summary(progress, guide, site_dir, total)
    if target := os.environ.get("CALLGUIDE_TIMINGS"):
        _write_timings(Path(target), progress, guide, pdf_result, total)
    return 0


def _refuse(leaks: list[str]) -> None:
    if leaks:
        raise BuildError("隐私检查未通过，以下公开文件含有建议人信息：\n" + "\n".join(leaks))


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
