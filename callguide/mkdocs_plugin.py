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

import shutil
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, TemplateError
from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import exports, feeds, pdfcache, preview, site
from .builddate import as_datetime, build_epoch
from .content import ContentPage, content_pages
from .errors import CallGuideError
from .guide import PublishedGuide, fingerprint, load_guide
from .history import missing_notice
from .pdfjob import PdfJob
from .render import describe_template_error
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
        self.failure: str | None = None  # serve: why the preview shows the error page instead of the site

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        if command == "serve":
            self.cache = ServeCache()

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        was_failing, self.failure = self.failure, None
        if self.serving:
            config.strict = False  # a warning must not stall the preview; build.py builds strictly
            try:
                self.guide = self._load()
            except CallGuideError as exc:
                self._fail(exc.message)
                return config
            if was_failing:
                preview.say(f"预览已更新：{len(self.guide.topics)} 个专题。")
        else:
            self.guide = self.given or self._load()
        # one source for what the site says of the call: call.yaml
        config.site_name = self.guide.call.title
        config.site_url = self.guide.call.site_url
        # every page's <meta name="description"> unless its own front matter gives one
        config.site_description = site.excerpt(self.guide.call.introduction, 150)
        return config

    def _fail(self, report: str) -> None:
        """Under serve: show ``report`` on the console and, in place of the site, as a page."""
        if report != self.failure:
            preview.say(f"预览未更新，请修改下列问题后保存：\n{report}")
        self.failure = report

    def _load(self) -> PublishedGuide:
        """Check and publish; under ``mkdocs serve`` again only when an input file changed (drafts there
        only need to be readable YAML: their problems show as warnings)."""
        key = fingerprint(self.root, self.config.strict_check)
        if self._loaded is None or self._loaded[0] != key:
            try:
                guide, checked, problems = load_guide(
                    self.root, self.config.strict_check, lenient_drafts=self.serving
                )
            except CallGuideError as exc:
                if self.serving:
                    raise
                raise PluginError(f"指南建议检查未通过，网站未生成：\n{exc.message}") from exc
            if self.serving and problems:
                preview.say(preview.problems_text(problems, len(checked) + 1))
            if guide.history_missing and self.given is None and not self.serving:
                log.info(missing_notice(guide.history_missing))
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
        if self.failure is None:
            try:
                return self._site_files(files, config)
            except (CallGuideError, TemplateError) as exc:
                if not self.serving:
                    raise
                message = exc.message if isinstance(exc, CallGuideError) else describe_template_error(exc)
                self._fail(f"网站模板错误：{message}" if isinstance(exc, TemplateError) else message)
        kept = Files([f for f in files if not f.is_documentation_page()])
        kept.append(
            File.generated(
                config, site.HOME, content=preview.error_page(self.root / "templates", self.failure or "")
            )
        )
        config.nav = [{"预览未更新": site.HOME}]
        return kept

    def _site_files(self, files: Files, config: MkDocsConfig) -> Files:
        guide = self._guide()
        content = content_pages(self.root)
        generated = site.pages(guide, self.root / "templates", content, config.use_directory_urls)
        hidden = set(site.unlisted_paths(guide))
        for path, text in generated.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(f"content/{path} 与自动生成的页面重名，请改名或删除该文件。")
            inclusion = InclusionLevel.NOT_IN_NAV if path in hidden else InclusionLevel.UNDEFINED
            files.append(File.generated(config, path, content=text, inclusion=inclusion))
        if config.nav is None:
            config.nav = _nav(guide, content)
        if self.cache is not None:
            self.cache.on_files(files, config, self.root / "templates")
        return files

    @property
    def _caching(self) -> bool:
        """The serve page cache is in use: not for the error page."""
        return self.cache is not None and self.failure is None

    # --- mkdocs serve: the page cache ---------------------------------------------------------------

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.cache is not None and self._caching:
            self.cache.on_nav(nav)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.cache is not None and self._caching:
            self.cache.on_pre_page(page)
        return page

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.cache is not None and self._caching:
            self.cache.on_page_content(page)
        # the generated pages' raw blocks say markdown="0" to Python-Markdown; no attribute of HTML
        return html.replace(' markdown="0"', "")

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.filters["css_string"] = site.css_string  # theme/main.html: the printed pages' running heads
        return self.cache.on_env(env) if self.cache is not None and self._caching else env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if page.meta.get("lang") == "en":  # the English pages: the theme writes one language for all
            output = output.replace('<html lang="zh"', '<html lang="en"', 1)
        if self.cache is not None and self._caching:
            self.cache.on_post_page(output, page)
        return output

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for name in ("proposals", "templates", "call.yaml"):
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        preview.say(
            f"预览地址：{server.url}\n修改 proposals/、templates/、content/ 或 call.yaml 后页面自动刷新；按 Ctrl+C 停止。"
        )
        return server

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._stop_pdf()
        if self.failure is not None or not self.config.pdf or (self.serving and not self.config.pdf_on_serve):
            return
        guide = self._guide()
        workdir = Path(config.site_dir).resolve().parent
        date = as_datetime(build_epoch(self.root, guide.call))
        cache_dir = pdfcache.folder(self.root) if self.config.pdf_cache else None
        self.pdf_job = PdfJob(guide, self.root, guide.call.pdf_filename, date, workdir, cache_dir)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        out = Path(config.site_dir)
        if self.failure is not None:  # every address shows the error page (served as the 404 page)
            shutil.copyfile(out / "index.html", out / "404.html")
            return
        guide = self._guide()
        (out / "404.html").write_text(site.not_found_page(guide, self.root / "templates"), encoding="utf-8")
        site.defer_search_index(out)
        exports.write_open_data(guide, out)
        built = as_datetime(build_epoch(self.root, guide.call))
        feeds.write_feeds(guide, out, built, config.use_directory_urls)
        job, self.pdf_job = self.pdf_job, None
        if job is None:
            if self.serving and not self.config.pdf_on_serve:
                (out / guide.call.pdf_filename).write_bytes(preview.placeholder_pdf(guide.call.title))
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
        {"更新公告": site.UPDATES},
        {"附件": [{"技术成熟度等级划分": site.TRL_APPENDIX}]},
        {"English": site.EN_HOME},
    ]
