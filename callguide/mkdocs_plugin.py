"""The mkdocs plugin ``callguide``: a thin adapter from the published guide to mkdocs.

- ``on_config``: check the proposals and publish the guide (a failed check stops the build).
- ``on_files``: add the pages made by ``callguide.site`` (home, topics, summary, TRL appendix).
- ``on_files`` also sets the navigation when ``mkdocs.yml`` has none.
- ``on_serve``: watch ``proposals/``, ``templates/`` and ``call.yaml``; under ``mkdocs serve`` the
  page events go through ``callguide.servecache`` so that a reload renders only what changed.
- ``on_pre_build``: start the PDF in a second process (``callguide.pdfjob``), laid out while
  mkdocs renders the pages.
- ``on_post_build``: write ``topics.json`` and ``topics.csv``, wait for the PDF and move it in.
  ``callguide.publish`` sets ``defer_pdf`` and takes the running job instead, so that it can scan
  the site while the PDF is still being laid out.

So ``mkdocs build`` alone makes the same site as ``.venv/bin/python build.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from . import pdfcache, site
from . import problems as pr
from .pdfjob import PdfFailed, PdfJob
from .problems import CheckFailed
from .servecache import ServeCache
from .topics import PublishedGuide, load_guide_cached

log = get_plugin_logger(__name__)


class CallGuideConfig(Config):
    strict_check = c.Type(bool, default=False)  # warnings of the check fail the build too
    pdf = c.Type(bool, default=True)  # write the PDF (mkdocs build, .venv/bin/python build.py)
    pdf_on_serve = c.Type(bool, default=False)  # … and on every reload of mkdocs serve (slow)


class CallGuidePlugin(BasePlugin[CallGuideConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.root = Path.cwd()
        self.guide: PublishedGuide | None = None
        self.defer_pdf = False  # set by callguide.publish: leave the PDF job for it to finish
        self.pdf_job: PdfJob | None = None
        self.cache: ServeCache | None = None  # mkdocs serve only: unchanged pages are not rendered again
        self.on_page: Callable[[int, int], None] | None = None  # set by callguide.publish: progress
        self._pages_done = 0
        self._pages_total = 0

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        if command == "serve":
            self.cache = ServeCache()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        try:
            self.guide, _, problems = load_guide_cached(self.root, self.config.strict_check)
        except CheckFailed as exc:
            report = pr.format_text(exc.problems, exc.checked, self.config.strict_check)
            raise PluginError("指南建议检查未通过，网站未生成：\n" + report) from exc
        # one source for what the site says of the call: call.yaml
        config.site_name = self.guide.call.title
        config.site_url = self.guide.call.site_url
        for problem in problems:
            log.info(
                "%s:%s:%s: %s %s", problem.file, problem.line, problem.column, problem.code, problem.message
            )
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        guide = self._guide()
        content = _content_pages(files)
        generated = site.pages(guide, self.root / "templates", content, config.use_directory_urls)
        for path, text in generated.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(f"content/{path} 与自动生成的页面重名，请改名或删除该文件。")
            files.append(File.generated(config, path, content=text))
        if config.nav is None:
            config.nav = _nav(guide, content)
        if self.cache is not None:
            self.cache.on_files(files, config, self.root / "templates")
        self._pages_done, self._pages_total = 0, len(files.documentation_pages())
        return files

    # --- mkdocs serve: the page cache ---------------------------------------------------------------

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.cache is not None:
            self.cache.on_nav(nav)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.cache is not None:
            self.cache.on_pre_page(page)
        return page

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.cache is not None:
            self.cache.on_page_content(page)
        return html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        return self.cache.on_env(env) if self.cache is not None else env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.cache is not None:
            self.cache.on_post_page(output, page)
        self._pages_done += 1
        if self.on_page is not None:
            self.on_page(self._pages_done, self._pages_total)
        return output

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for name in ("proposals", "templates", "call.yaml"):
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        return server

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._stop_pdf()
        if not self.config.pdf or (self.command == "serve" and not self.config.pdf_on_serve):
            return
        guide = self._guide()
        workdir = Path(config.site_dir).resolve().parent
        workdir.mkdir(parents=True, exist_ok=True)
        self.pdf_job = PdfJob(guide, self.root, guide.call.pdf_filename, workdir, pdfcache.folder(self.root))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        guide = self._guide()
        out = Path(config.site_dir)
        site.write_open_data(guide, out)
        if self.defer_pdf or (job := self.take_pdf_job()) is None:
            return
        try:
            job.move_to(out / guide.call.pdf_filename, job.result())
        except PdfFailed as exc:
            raise PluginError(str(exc)) from exc

    def take_pdf_job(self) -> PdfJob | None:
        """The running PDF job, now the caller's to finish or cancel."""
        job, self.pdf_job = self.pdf_job, None
        return job

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_pdf()

    def on_shutdown(self) -> None:
        self._stop_pdf()

    def _stop_pdf(self) -> None:
        if (job := self.take_pdf_job()) is not None:
            job.cancel()

    def _guide(self) -> PublishedGuide:
        if self.guide is None:
            raise PluginError("callguide: on_config did not run")
        return self.guide


def _content_pages(files: Files) -> list[site.ContentPage]:
    """The hand-written pages, in the order of their front matter key ``pdf`` (then file name)."""
    found = []
    for f in files.documentation_pages():
        if f.generated_by or f.src_uri == site.HOME:
            continue
        meta = get_data(f.content_string)[1]
        title = str(meta.get("title") or Path(f.src_uri).stem)
        order = meta.get("pdf")
        found.append((order if isinstance(order, int) else 1 << 30, f.src_uri, title))
    return [site.ContentPage(path, title) for _, path, title in sorted(found)]


def _nav(guide: PublishedGuide, content: list[site.ContentPage]) -> list[Any]:
    """首页, the hand-written pages, the topics by field, the summary, the appendix.

    Titles are HTML-escaped: the theme prints navigation titles without autoescaping.
    """
    fields = [
        {
            f"{g.numeral}、{g.name}": [
                {str(escape(f"{t.number}. {t.title}")): site.topic_path(t)} for t in g.topics
            ]
        }
        for g in guide.groups
    ]
    return [
        {"首页": site.HOME},
        {"申报须知": [{str(escape(p.title)): p.path} for p in content]},
        {"指南专题": fields},
        {"专题汇总表": site.SUMMARY},
        {"附件": [{"技术成熟度等级划分": site.TRL_APPENDIX}]},
    ]
