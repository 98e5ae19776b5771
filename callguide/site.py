"""The website's generated pages as Markdown text: home, one page per topic, the summary, the TRL appendix,
the 更新公告 and the pages of withdrawn topics; and the files made beside them (404.html, the search stub).

Nothing here knows mkdocs: ``pages()`` takes the published guide and returns
``{path: markdown}``; ``callguide.mkdocs_plugin`` is the thin adapter that
hands them to mkdocs. Moving to another static-site engine means writing
another adapter, not new pages.

Safety: every value that comes from a proposal reaches a page only inside a
block of raw HTML (``<div markdown="0">``), escaped by Jinja or made by
``markdown.render``, so Python-Markdown never reinterprets it. Markdown
syntax is used only for fixed headings, whose text comes from the model.
"""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup, escape

from .call import datetime_cn
from .content import ContentPage
from .guide import PublishedGuide, Topic, WithdrawnTopic
from .markdown import plain
from .render import environment

HOME = "index.md"
SUMMARY = "summary.md"
TRL_APPENDIX = "trl.md"
UPDATES = "updates.md"
TOPICS_DIR = "topics"
# the English pages for foreign partners: the call, and each topic with an English summary (``en:``)
EN_HOME = "en/index.md"
EN_TOPICS_DIR = "en/topics"
FEED = "feed.xml"
# the search index mkdocs writes, and where it is moved: Material fetches search/search_index.json on
# every page (142 KiB for the samples); it gets a stub, and our worker fetches the whole index only
# when a reader searches (content/assets/javascripts/search-worker.js)
SEARCH_INDEX = "search/search_index.json"
SEARCH_DATA = "search/search_data.json"
CALENDAR = "call.ics"
# the hand-written pages every topic page links to (when content/ has them): what an applicant needs next
APPLICANT_PAGES = ("requirements.md", "how-to-apply.md", "contact.md")


def topic_path(topic: Topic | WithdrawnTopic) -> str:
    return f"{TOPICS_DIR}/{topic.slug}.md"


def en_topic_path(topic: Topic) -> str:
    return f"{EN_TOPICS_DIR}/{topic.slug}.md"


def unlisted_paths(guide: PublishedGuide) -> list[str]:
    """The pages in no navigation: the withdrawn topics' (kept at their address) and the English
    topic pages (listed on the English home page)."""
    return [*withdrawn_paths(guide), *(en_topic_path(t) for t in guide.topics if t.en)]


def withdrawn_paths(guide: PublishedGuide) -> list[str]:
    """The pages of withdrawn topics: kept at their address, in no navigation."""
    return [topic_path(t) for t in guide.withdrawn]


def address(call_url: str, path: str, directory_urls: bool = False) -> str:
    """The absolute address of the page made from ``path`` (``*.md``) or of a site file (for print,
    feeds and calendars)."""
    return call_url.rstrip("/") + "/" + (page_url(path, directory_urls) if path.endswith(".md") else path)


def page_url(path: str, directory_urls: bool) -> str:
    """The URL (relative to the site root) of the page made from ``path``, as mkdocs writes it."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(from_path: str, to: str, directory_urls: bool) -> str:
    """A link from the page made of ``from_path`` to ``to`` (a page ``*.md`` or any other site file), anchor kept."""
    target, _, anchor = to.partition("#")
    url = page_url(target, directory_urls) if target.endswith(".md") else target
    here = page_url(from_path, directory_urls)
    base = here if here == "" or here.endswith("/") else posixpath.dirname(here)
    rel = posixpath.relpath(url or ".", base or ".")
    if (url == "" or url.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{anchor}" if anchor else "")


def front_matter(**meta: Any) -> Markup:
    """YAML front matter. Strings are HTML-escaped (mkdocs themes print ``page.meta.title`` without
    autoescaping); every value is written as JSON, so a title cannot become YAML of its own."""
    lines = []
    for key, value in meta.items():
        value = str(escape(value)) if isinstance(value, str) else value
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return Markup("---\n" + "\n".join(lines) + "\n---")


def excerpt(text: str, limit: int = 120) -> str:
    flat = html.unescape(plain(text))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _render(env: Environment, template: str, path: str, directory_urls: bool, **context: Any) -> str:
    def url(to: str) -> str:
        return relative_url(path, to, directory_urls)

    return env.get_template(f"site/{template}").render(
        url=url, topic_path=topic_path, en_topic_path=en_topic_path, **context
    )


def pages(
    guide: PublishedGuide,
    templates: Path,
    content_pages: Sequence[ContentPage] = (),
    directory_urls: bool = False,
) -> dict[str, str]:
    """Every generated page: ``{path in the docs tree: Markdown}``."""
    env = environment(templates)
    common = {
        "guide": guide,
        "call": guide.call,
        "front_matter": front_matter,
        "HOME": HOME,
        "SUMMARY": SUMMARY,
        "TRL_APPENDIX": TRL_APPENDIX,
        "UPDATES": UPDATES,
        "FEED": FEED,
        "CALENDAR": CALENDAR,
        "EN_HOME": EN_HOME,
    }
    home_alternates = _alternates(guide, HOME, EN_HOME, directory_urls)
    out = {
        HOME: _render(
            env,
            "home.md.j2",
            HOME,
            directory_urls,
            content_pages=content_pages,
            alternates=home_alternates,
            **common,
        ),
        SUMMARY: _render(env, "summary.md.j2", SUMMARY, directory_urls, **common),
        TRL_APPENDIX: _render(env, "trl.md.j2", TRL_APPENDIX, directory_urls, **common),
        UPDATES: _render(env, "updates.md.j2", UPDATES, directory_urls, **common),
        EN_HOME: _render(
            env,
            "en/index.md.j2",
            EN_HOME,
            directory_urls,
            alternates=home_alternates,
            **common,
        ),
    }
    by_path = {p.path: p for p in content_pages}
    applicant_pages = [by_path[p] for p in APPLICANT_PAGES if p in by_path]
    call = guide.call
    for topic in guide.topics:
        path = topic_path(topic)
        previous, following = guide.neighbours(topic)
        alternates = _alternates(guide, path, en_topic_path(topic), directory_urls) if topic.en else []
        out[path] = _render(
            env,
            "topic.md.j2",
            path,
            directory_urls,
            topic=topic,
            description=excerpt(topic.overview),
            applicant_pages=applicant_pages,
            previous=previous,
            next=following,
            alternates=alternates,
            print_head=[
                call.title,
                f"专题 {topic.number} · {call.closes.name} {datetime_cn(call.closes.at)}（北京时间）",
                address(call.site_url, path, directory_urls),
            ],
            **common,
        )
        if topic.en:
            en_path = en_topic_path(topic)
            out[en_path] = _render(
                env,
                "en/topic.md.j2",
                en_path,
                directory_urls,
                topic=topic,
                description=excerpt(topic.en.summary),
                alternates=alternates,
                **common,
            )
    for withdrawn in guide.withdrawn:
        path = topic_path(withdrawn)
        out[path] = _render(env, "withdrawn.md.j2", path, directory_urls, topic=withdrawn, **common)
    return out


def _alternates(guide: PublishedGuide, zh: str, en: str, directory_urls: bool) -> list[list[str]]:
    """The ``hreflang`` alternates of a page in Chinese and its English page: [language, address]."""
    url = guide.call.site_url
    return [["zh", address(url, zh, directory_urls)], ["en", address(url, en, directory_urls)]]


def css_string(value: Any) -> Markup:
    """A CSS string literal of ``value`` (which may come HTML-escaped from front matter): quotes,
    backslashes, line breaks and ``<`` escaped, so nothing ends the string or the ``<style>``."""
    text = html.unescape(str(value))
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def not_found_page(guide: PublishedGuide, templates: Path) -> str:
    """``404.html``: served at any missing address, at the root of a server or under the configured
    path, so it loads nothing (its style is inline) and a script points its links at the site's root
    as found from where it is served."""
    path = urlsplit(guide.call.site_url).path or "/"
    return (
        environment(templates)
        .get_template("site/404.html.j2")
        .render(call=guide.call, base_path=path if path.endswith("/") else path + "/")
    )


def defer_search_index(site_dir: Path) -> None:
    """Move the search index to ``SEARCH_DATA`` and leave Material a stub of its configuration."""
    index = site_dir / SEARCH_INDEX
    if not index.exists():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    index.replace(site_dir / SEARCH_DATA)
    stub = {"config": data.get("config", {}), "docs": []}  # the worker fetches SEARCH_DATA when docs is empty
    index.write_text(json.dumps(stub, ensure_ascii=False), encoding="utf-8")
