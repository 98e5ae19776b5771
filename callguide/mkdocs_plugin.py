"""The mkdocs plugin ``callguide``: a thin adapter from the published guide to mkdocs.

- ``on_config``: check the proposals and publish the guide (a failed check stops the build).
- ``on_files``: add the pages made by ``callguide.site`` (home, topics, summary, TRL appendix).
- ``on_files`` also sets the navigation when ``mkdocs.yml`` has none.
- ``on_serve``: watch ``proposals/``, ``templates/`` and ``call.yaml``.
- ``on_post_build``: write ``topics.json``, ``topics.csv`` and the PDF.

So ``mkdocs build`` alone makes the same site as ``python build.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data

from . import problems as pr
from . import site
from .topics import CheckFailed, PublishedGuide, load_guide_cached

log = get_plugin_logger(__name__)


class CallGuideConfig(Config):
    strict_check = c.Type(bool, default=False)  # warnings of the check fail the build too
    pdf = c.Type(bool, default=True)  # write the PDF (mkdocs build, python build.py)
    pdf_on_serve = c.Type(bool, default=False)  # … and on every reload of mkdocs serve (slow)


class CallGuidePlugin(BasePlugin[CallGuideConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.root = Path.cwd()
        self.guide: PublishedGuide | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        try:
            self.guide, _, problems = load_guide_cached(self.root, self.config.strict_check)
        except CheckFailed as exc:
            report = pr.format_text(
                exc.problems, len({p.file for p in exc.problems}), self.config.strict_check
            )
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
        return files

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for name in ("proposals", "templates", "call.yaml"):
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        guide = self._guide()
        out = Path(config.site_dir)
        site.write_open_data(guide, out)
        if not self.config.pdf or (self.command == "serve" and not self.config.pdf_on_serve):
            return
        try:
            from .pdf import build_pdf
        except ImportError:  # TODO: remove once callguide/pdf.py has landed
            log.info("callguide.pdf is not available yet: the site is built without the PDF")
            return
        build_pdf(guide, self.root, out / guide.call.pdf_filename)

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
