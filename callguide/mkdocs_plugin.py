"""The mkdocs plugin ``callguide``: a thin adapter from the published guide to mkdocs.

- ``on_config``: check the proposals and publish the guide (a failed check stops the build).
- ``on_files``: add the pages made by ``callguide.site`` (home, topics, summary, TRL appendix).
- ``on_files`` also sets the navigation when ``mkdocs.yml`` has none.
- ``on_serve``: watch ``proposals/``, ``templates/`` and ``call.yaml``; under ``mkdocs serve`` the
  page events go through ``callguide.servecache`` so that a reload renders only what changed.
- ``on_pre_build``: start the PDF in a second process (``callguide.pdfjob``), laid out while
  mkdocs renders the pages (option ``pdf``; ``callguide.pipeline`` turns it off and runs the PDF
  itself).
- ``on_post_build``: write ``topics.json`` and ``topics.csv``, wait for the PDF and move it in.

So ``mkdocs build`` alone makes the same site as ``.venv/bin/python build.py``. Nothing flows back
from the plugin to its caller: ``callguide.pipeline`` hands it the guide (``given``) and options.
"""

from __future__ import annotations

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

from . import exports, pdfcache, site
from .builddate import as_datetime, build_epoch
from .content import ContentPage, content_pages
from .errors import CallGuideError
from .guide import PublishedGuide, fingerprint, load_guide
from .pdfjob import PdfJob
from .servecache import ServeCache

log = get_plugin_logger(__name__)


class CallGuideConfig(Config):
    strict_check = c.Type(bool, default=False)  # warnings of the check fail the build too
    pdf = c.Type(bool, default=True)  # write the PDF (mkdocs build, .venv/bin/python build.py)
    pdf_on_serve = c.Type(bool, default=False)  # … and on every reload of mkdocs serve (slow)
    pdf_cache = c.Type(bool, default=True)  # reuse a PDF made from the same inputs (build/cache/pdf/)


class CallGuidePlugin(BasePlugin[CallGuideConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.root = Path.cwd()
        self.given: PublishedGuide | None = None  # set by callguide.pipeline: the guide it checked
        self.guide: PublishedGuide | None = None
        self.pdf_job: PdfJob | None = None
        self.cache: ServeCache | None = None  # mkdocs serve only: unchanged pages are not rendered again
        self._loaded: tuple[tuple[object, ...], PublishedGuide] | None = None  # serve: reload on change

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        if command == "serve":
            self.cache = ServeCache()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        self.guide = self.given or self._load()
        # one source for what the site says of the call: call.yaml
        config.site_name = self.guide.call.title
        config.site_url = self.guide.call.site_url
        return config

    def _load(self) -> PublishedGuide:
        """Check and publish; under ``mkdocs serve`` again only when an input file changed."""
        key = fingerprint(self.root, self.config.strict_check)
        if self._loaded is None or self._loaded[0] != key:
            try:
                guide, _, problems = load_guide(self.root, self.config.strict_check)
            except CallGuideError as exc:
                raise PluginError(f"指南建议检查未通过，网站未生成：\n{exc.message}") from exc
            for problem in problems:
                log.info(
                    "%s:%s:%s: %s %s",
                    problem.file,
                    problem.line,
                    problem.column,
                    problem.code,
                    problem.message,
                )
            self._loaded = (key, guide)
        return self._loaded[1]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        guide = self._guide()
        try:
            content = content_pages(self.root)
        except CallGuideError as exc:
            raise PluginError(exc.message) from exc
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
        date = as_datetime(build_epoch(self.root, guide.call))
        cache_dir = pdfcache.folder(self.root) if self.config.pdf_cache else None
        self.pdf_job = PdfJob(guide, self.root, guide.call.pdf_filename, date, workdir, cache_dir)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        guide = self._guide()
        out = Path(config.site_dir)
        exports.write_open_data(guide, out)
        job, self.pdf_job = self.pdf_job, None
        if job is None:
            return
        try:
            job.move_to(out / guide.call.pdf_filename, job.result())
        except CallGuideError as exc:
            raise PluginError(exc.message) from exc

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_pdf()

    def on_shutdown(self) -> None:
        self._stop_pdf()

    def _stop_pdf(self) -> None:
        job, self.pdf_job = self.pdf_job, None
        if job is not None:
            job.cancel()

    def _guide(self) -> PublishedGuide:
        if self.guide is None:
            raise PluginError("callguide: on_config did not run")
        return self.guide


def _nav(guide: PublishedGuide, content: list[ContentPage]) -> list[Any]:
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
