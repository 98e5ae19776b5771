"""The built site in headless Debian Chromium, served on 127.0.0.1: pages, search, the summary's filters.

Every test also checks that the page logged no console error and that no request left 127.0.0.1.
With UPDATE_SCREENSHOTS=1 the tests save the screenshots in docs/screenshots/ (for the README).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT

from callguide.guide import PublishedGuide, load_guide

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
SCREENSHOTS = PROJECT / "docs" / "screenshots"
QUERIES = yaml.safe_load((PROJECT / "tests" / "data" / "search_queries.yaml").read_text(encoding="utf-8"))
TOPIC = "deep-sea-aquaculture-platform-mooring-feeding"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def guide(built_root: Path) -> PublishedGuide:
    return load_guide(built_root)[0]


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page; after the test: no console error, no page error, no request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    p.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    p.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    p.on("request", lambda req: None if req.url.startswith(base_url) else foreign.append(req.url))
    p.set_default_timeout(15_000)
    yield p
    context.close()
    assert errors == []
    assert foreign == []


def screenshot(page: Any, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def search(page: Any, query: str) -> list[str]:
    """Type ``query`` in the header's search box; the result pages, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    # forget the previous result, so that the wait below is for this query's
    page.eval_on_selector(".md-search-result__meta", "m => { m.textContent = '' }")
    box.fill(query)
    box.press("End")  # Material reads the query on keyup
    page.wait_for_function(
        "q => { const m = document.querySelector('.md-search-result__meta');"
        " return document.querySelector('input.md-search__input').value === q"
        " && m && m.textContent !== '' && !/初始化|键入/.test(m.textContent) }",
        arg=query,
    )
    page.wait_for_timeout(100)
    urls = page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link", "els => els.map(e => e.getAttribute('href'))"
    )
    return list(dict.fromkeys(u.split("#")[0].split("?")[0] for u in urls))


def topic_of(url: str) -> str | None:
    return url.rsplit("/", 1)[-1].removesuffix(".html") if "topics/" in url else None


# --- pages ---------------------------------------------------------------------------------------


def test_home_lists_every_field_and_topic(page: Any, base_url: str, guide: PublishedGuide) -> None:
    page.goto(base_url)
    assert page.locator("h1").first.inner_text() == guide.call.title
    headings = page.locator("article h3").all_inner_texts()
    assert headings == [f"{g.numeral}、{g.name}" for g in guide.groups]
    links = page.locator(".cg-topic-list a").all_inner_texts()
    assert links == [t.title for t in guide.topics]
    pdf = page.locator("a", has_text="下载指南全文（PDF）")
    assert pdf.get_attribute("href") == guide.call.pdf_filename
    assert page.request.get(base_url + guide.call.pdf_filename).ok
    screenshot(page, "home")


def test_topic_page_shows_every_guide_heading(page: Any, base_url: str, guide: PublishedGuide) -> None:
    topic = next(t for t in guide.topics if t.slug == TOPIC)
    page.goto(f"{base_url}topics/{TOPIC}.html")
    assert page.locator("article h1").inner_text() == f"{topic.number}. {topic.title}"
    h2 = page.locator("article h2").all_inner_texts()
    h3 = page.locator("article h3").all_inner_texts()
    assert h2 == [
        "项目概述",
        "关键技术",
        "研究内容",
        "考核指标",
        "申报条件",
        "支持强度",
        "技术成熟度",
        "项目交示件",
        "张榜范围",
    ]
    assert h3 == ["验收考核指标", "绩效参考指标"]
    screenshot(page, "topic")
    first = page.locator(".cg-tech li").first
    assert "当前 4级（功能级） → 预期 7级（环境级）" in first.inner_text()
    first.locator("a").first.click()
    page.wait_for_url("**/trl.html#trl-4")
    assert page.locator("#trl-4").inner_text().startswith("4")


# --- search --------------------------------------------------------------------------------------


def test_search_finds_topics_by_words_inside_phrases(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}trl.html")
    missed = {}
    for q in QUERIES["queries"]:
        results = search(page, q["query"])
        if not results or topic_of(results[0]) != q["expect"]:
            missed[q["query"]] = results[:3]
    assert missed == {}


def test_search_does_not_match_characters_that_are_not_together(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}trl.html")
    for query in QUERIES["no_match"]:
        assert [u for u in search(page, query) if topic_of(u)] == [], query


def test_search_results_link_to_the_topic(page: Any, base_url: str) -> None:
    page.goto(base_url)
    assert topic_of(search(page, "远海")[0]) == TOPIC
    assert page.locator(".md-search-result mark", has_text="远海").count() >= 1
    page.wait_for_timeout(500)  # let the search overlay finish fading in
    screenshot(page, "search")
    page.locator("li.md-search-result__item > a.md-search-result__link").first.click()
    page.wait_for_url(f"**/topics/{TOPIC}.html*")


# --- the summary ---------------------------------------------------------------------------------


def visible_rows(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "table.cg-summary tbody tr:not([hidden])", "rows => rows.map(r => ({...r.dataset}))"
    )


def test_summary_filters_narrow_the_table(page: Any, base_url: str, guide: PublishedGuide) -> None:
    page.goto(f"{base_url}summary.html")
    total = len(guide.topics)
    assert len(visible_rows(page)) == total
    assert page.locator(".cg-count").inner_text() == f"显示 {total} / {total} 项"

    field = guide.groups[0].name
    page.select_option("select[data-filter=field]", field)
    rows = visible_rows(page)
    assert 0 < len(rows) < total and all(r["field"] == field for r in rows)

    page.select_option("select[data-filter=field]", "")
    page.select_option("select[data-filter=types]", "引进来")
    rows = visible_rows(page)
    assert 0 < len(rows) < total and all("引进来" in r["types"].split("|") for r in rows)

    region = guide.topics[0].region
    page.select_option("select[data-filter=region]", region)
    rows = visible_rows(page)
    expected = [t for t in guide.topics if t.region == region and "引进来" in t.project_types]
    assert [int(r["number"]) for r in rows] == [t.number for t in expected]
    assert page.locator(".cg-count").inner_text() == f"显示 {len(expected)} / {total} 项"

    page.click("form.cg-filters button[type=reset]")
    page.wait_for_function(
        f"document.querySelectorAll('table.cg-summary tbody tr:not([hidden])').length === {total}"
    )


def test_summary_sorts_by_funding_and_trl(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}summary.html")
    page.click("button[data-sort=funding]")
    funding = [float(r["funding"]) for r in visible_rows(page)]
    assert funding == sorted(funding, reverse=True) and funding[0] > funding[-1]
    page.click("button[data-sort=funding]")
    assert [float(r["funding"]) for r in visible_rows(page)] == sorted(funding)

    page.click("button[data-sort=trl]")
    trl = [int(r["trl"]) for r in visible_rows(page)]
    assert trl == sorted(trl, reverse=True)
    assert page.locator("th[aria-sort=descending] button[data-sort=trl]").count() == 1

    page.click("button[data-sort=number]")
    numbers = [int(r["number"]) for r in visible_rows(page)]
    assert numbers == sorted(numbers)
    page.select_option("select[data-filter=types]", "引进来")
    page.click("button[data-sort=funding]")
    screenshot(page, "summary")
