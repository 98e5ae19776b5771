"""Fast ``mkdocs serve`` reloads: pages whose inputs did not change are not rendered again.

mkdocs rebuilds every page on every change it sees. When an editor saves one proposal, one topic
page (and the home and summary pages) changed; the other pages are the same bytes as before. This
cache, used by the callguide plugin under ``mkdocs serve`` only, remembers for each page

- its HTML body, keyed on the page's source, the set of files and the configuration, so that
  Python-Markdown does not run again on an unchanged page, and
- its finished HTML, keyed on the same and on the whole navigation (every title, URL and section:
  a page shows the navigation, and links to the previous and next page), so that the theme's
  template is not rendered again either.

The file is still written (mkdocs empties the site folder before each build) and the search
index still gets every page. ``mkdocs build`` never uses the cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, DictLoader, Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

TEMPLATE = "callguide/cached-page.html"


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _nav_signature(items: list[Any]) -> list[Any]:
    return [
        (type(item).__name__, item.title, getattr(item, "url", None), _nav_signature(item.children or []))
        for item in items
    ]


def _tree_signature(folder: Path) -> list[tuple[str, int, int]]:
    """Name, size and mtime of every file under ``folder`` (the theme overrides, the templates)."""
    if not folder.is_dir():
        return []
    return [
        (str(p.relative_to(folder)), (st := p.stat()).st_size, st.st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]


class ServeCache:
    def __init__(self) -> None:
        self._bodies: dict[str, tuple[str, dict[str, Any]]] = {}  # src_uri -> (key, render state)
        self._pages: dict[str, tuple[str, str]] = {}  # src_uri -> (key, finished HTML)
        self._build = ""  # what every page depends on in this build
        self._nav = ""
        self._keys: dict[str, tuple[str, str]] = {}  # src_uri -> (body key, page key), this build
        self.hits = 0

    # --- events, in the order mkdocs sends them ---------------------------------------------------

    def on_files(self, files: Files, config: MkDocsConfig, templates: Path) -> None:
        config_file = Path(config.config_file_path or "")
        self._build = _digest(
            sorted(f.src_uri for f in files),
            config_file.read_bytes() if config_file.is_file() else None,
            config.site_name,  # from call.yaml
            config.site_url,
            repr(config.theme),
            [_tree_signature(Path(d)) for d in config.theme.dirs[:1]],  # the theme's custom_dir
            _tree_signature(templates),
        )
        self._keys = {}
        self.hits = 0

    def on_nav(self, nav: Navigation) -> None:
        self._nav = _digest(_nav_signature(nav.items))

    def on_pre_page(self, page: Page) -> None:
        """Render the page's Markdown only if its source or the build changed."""
        source = page.file.content_string
        body_key = _digest(self._build, page.file.src_uri, source)
        page_key = _digest(body_key, self._nav)
        self._keys[page.file.src_uri] = (body_key, page_key)
        render = page.render
        cached = self._bodies.get(page.file.src_uri)

        def cached_render(config: MkDocsConfig, files: Files) -> None:
            if cached is not None and cached[0] == body_key:
                _restore(page, cached[1], files)
            else:
                render(config, files)
                self._bodies[page.file.src_uri] = (body_key, _state(page))

        page.render = cached_render  # type: ignore[method-assign]

    def on_page_content(self, page: Page) -> None:
        """A page whose finished HTML is known is written from the cache, not from the theme."""
        keys = self._keys.get(page.file.src_uri)
        cached = self._pages.get(page.file.src_uri)
        if keys and cached and cached[0] == keys[1]:
            page.callguide_cached_html = Markup(cached[1])  # type: ignore[attr-defined]
            page.meta["template"] = TEMPLATE
            self.hits += 1

    def on_env(self, env: Environment) -> Environment:
        if TEMPLATE not in env.list_templates():
            cached: list[BaseLoader] = [DictLoader({TEMPLATE: "{{ page.callguide_cached_html }}"})]
            env.loader = ChoiceLoader(cached + ([env.loader] if env.loader else []))
        return env

    def on_post_page(self, output: str, page: Page) -> None:
        keys = self._keys.get(page.file.src_uri)
        if keys and page.meta.get("template") != TEMPLATE:
            self._pages[page.file.src_uri] = (keys[1], output)


def _state(page: Page) -> dict[str, Any]:
    return {
        "content": page.content,
        "toc": page.toc,
        "_title_from_render": page._title_from_render,
        "present_anchor_ids": page.present_anchor_ids,
        "links_to_anchors": {f.src_uri: dict(links) for f, links in (page.links_to_anchors or {}).items()},
    }


def _restore(page: Page, state: dict[str, Any], files: Files) -> None:
    page.content = state["content"]
    page.toc = state["toc"]
    page._title_from_render = state["_title_from_render"]
    page.present_anchor_ids = state["present_anchor_ids"]
    links = {}
    for uri, anchors in state["links_to_anchors"].items():
        if (target := files.get_file_from_path(uri)) is not None:
            links[target] = anchors
    page.links_to_anchors = links
