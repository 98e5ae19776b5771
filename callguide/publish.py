"""The build: check, render into a temporary directory beside ``site/``, scan, then swap.

Nothing is half-published: ``site/`` is replaced only when every stage
succeeded, and a failure leaves the previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from . import problems as pr
from .topics import CheckFailed, PublishedGuide, load_guide_cached


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
    """Stage timing and messages; silent with ``quiet``."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.times: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.say(f"· {name} …")
        start = time.perf_counter()
        yield
        self.times[name] = time.perf_counter() - start
        self.say(f"  {name} 完成（{self.times[name]:.1f} 秒）")

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames on the same filesystem."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build_site(root: Path, site_dir: Path) -> None:
    """``mkdocs build`` of ``root/mkdocs.yml`` into ``site_dir``: the hooks add the topics, PDF and open data."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    try:
        mkdocs_build(cfg)
    except MkDocsException as exc:
        raise BuildError(f"网站生成失败：{exc}") from exc
    except TemplateError as exc:
        raise BuildError(f"网站模板错误：{describe_template_error(exc)}") from exc
    finally:
        cfg.plugins.on_shutdown()


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
    from .call import load_call

    published = load_call(root / "call.yaml").publish_date
    return int(dt.datetime.combine(published, dt.time(), tzinfo=dt.UTC).timestamp())


def build(root: Path, quiet: bool = False, strict: bool = False, site: bool = True, pdf: bool = True) -> int:
    """Build everything (``site``) or the PDF alone; returns the exit code."""
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(root))
    progress = Progress(quiet)
    started = time.perf_counter()
    site_dir = root / "site"
    try:
        with progress.stage("检查指南建议"):
            guide, checked, problems = load_guide_cached(root, strict)
        if problems:
            sys.stdout.write(pr.format_text(problems, len(guide.topics), strict))
        tmp = Path(tempfile.mkdtemp(prefix=".site-build-", dir=root))
        try:
            if site:
                with progress.stage("生成网站（含 PDF 与开放数据）"):
                    build_site(root, tmp)
            else:
                if site_dir.exists():
                    shutil.copytree(site_dir, tmp, dirs_exist_ok=True, symlinks=True)
                with progress.stage("生成 PDF"):
                    from .pdf import build_pdf

                    try:
                        build_pdf(guide, root, tmp / guide.call.pdf_filename)
                    except TemplateError as exc:
                        raise BuildError(f"PDF 模板错误：{describe_template_error(exc)}") from exc
            with progress.stage("隐私检查"):
                from .privacy import scan

                leaks = scan(tmp, guide, [c.proposal.proposer for c in checked if c.proposal])
                if leaks:
                    raise BuildError("隐私检查未通过，以下公开文件含有建议人信息：\n" + "\n".join(leaks))
            with progress.stage("内部汇总表"):
                from .exports import write_internal

                write_internal(guide, root / "build" / "internal")
            _swap(tmp, site_dir)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
    except CheckFailed as exc:
        sys.stdout.write(pr.format_text(exc.problems, len({p.file for p in exc.problems}), strict))
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
    _summary(progress, guide, site_dir, time.perf_counter() - started)
    return 0


def _summary(progress: Progress, guide: PublishedGuide, site_dir: Path, total: float) -> None:
    pdf = site_dir / guide.call.pdf_filename
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    size = f"{pdf.stat().st_size / 1024:.0f} KiB" if pdf.exists() else "无"
    stages = "，".join(f"{k} {v:.1f} 秒" for k, v in progress.times.items())
    progress.say(
        f"完成：发布 {len(guide.topics)} 个专题，{pages} 个页面，PDF {size}；用时 {total:.1f} 秒（{stages}）。"
    )
