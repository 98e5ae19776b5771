"""The built site in headless Debian Chromium, served on 127.0.0.1: pages, search, the summary's filters.

Every test also checks that the page logged no console error and that no request left 127.0.0.1.
With UPDATE_SCREENSHOTS=1 the tests save the screenshots in docs/screenshots/ (for the README).
"""

from __future__ import annotations

import datetime as dt
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
        *(["修订记录"] if topic.revisions else []),
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


def test_search_does_not_lead_to_a_withdrawn_topic(page: Any, base_url: str, guide: PublishedGuide) -> None:
    page.goto(base_url)
    withdrawn = {t.slug for t in guide.withdrawn}
    assert withdrawn
    for query in QUERIES["withdrawn"]:
        assert withdrawn.isdisjoint(topic_of(u) for u in search(page, query)), query


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


# --- the call's status, the applicant's box, corrections ------------------------------------------

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
STATUS_PAGES = ("index.html", f"topics/{TOPIC}.html")


@pytest.mark.parametrize(
    ("now", "zh", "en"),
    [
        (
            dt.datetime(2026, 11, 28, 12, 0, tzinfo=BEIJING),
            "未开始（3 天后开始）",
            "Not open yet (opens in 3 days)",
        ),
        (
            dt.datetime(2026, 12, 1, 8, 30, tzinfo=BEIJING),
            "未开始（今日 09:00 开始）",
            "Not open yet (opens today at 09:00 Beijing time)",
        ),
        (
            dt.datetime(2026, 12, 20, 10, 0, tzinfo=BEIJING),
            "申报中（距截止还有 26 天）",
            "Open (26 days to the deadline)",
        ),
        (
            dt.datetime(2027, 1, 14, 10, 0, tzinfo=BEIJING),
            "申报中（距截止还有 1 天）",
            "Open (1 day to the deadline)",
        ),
        (
            dt.datetime(2027, 1, 15, 16, 30, tzinfo=BEIJING),
            "申报中（今日 17:00 截止）",
            "Open (closes today at 17:00 Beijing time)",
        ),
        (dt.datetime(2027, 1, 15, 17, 0, tzinfo=BEIJING), "已截止", "Closed"),
    ],
    ids=["before", "opening-day", "open", "one-day", "closing-day", "after"],
)
def test_the_status_is_computed_in_the_browser_from_its_clock(
    page: Any, base_url: str, now: dt.datetime, zh: str, en: str
) -> None:
    """In Chinese on the Chinese pages, in English on the English home page."""
    page.clock.set_fixed_time(now)
    for path, status in [*((p, zh) for p in STATUS_PAGES), ("en/index.html", en)]:
        page.goto(base_url + path)
        assert page.locator(".cg-status").first.inner_text() == status, path


def test_days_are_counted_in_beijing_time_whatever_the_readers_time_zone(browser: Any, base_url: str) -> None:
    # 2027-01-14 23:30 in New York is 2027-01-15 12:30 in Beijing: the closing day there
    context = browser.new_context(timezone_id="America/New_York", locale="en-US")
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime(2027, 1, 15, 12, 30, tzinfo=BEIJING))
    page.goto(base_url)
    assert page.locator(".cg-status").first.inner_text() == "申报中（今日 17:00 截止）"
    context.close()


def test_an_open_page_turns_to_closed_when_the_deadline_passes(page: Any, base_url: str) -> None:
    page.clock.install(time=dt.datetime(2027, 1, 15, 16, 59, 30, tzinfo=BEIJING))
    page.goto(base_url + f"topics/{TOPIC}.html")
    assert page.locator(".cg-status").inner_text() == "申报中（今日 17:00 截止）"
    page.clock.run_for(60_000)
    assert page.locator(".cg-status").inner_text() == "已截止"


def test_without_javascript_the_times_alone_are_shown(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url)
    assert not page.locator(".cg-status").is_visible()
    times = page.locator(".cg-timetable").inner_text()
    assert "2027年1月15日 17:00" in times and "网上申报开始" in times
    assert "北京时间" in page.locator(".cg-tz").inner_text()
    page.goto(base_url + f"topics/{TOPIC}.html")
    assert "2027年1月15日 17:00（北京时间）" in page.locator(".cg-apply").inner_text()
    context.close()


def test_a_topic_page_leads_an_applicant_on(page: Any, base_url: str, guide: PublishedGuide) -> None:
    page.goto(base_url + f"topics/{TOPIC}.html")
    links = page.locator(".cg-apply-links a").all_inner_texts()
    assert links == ["申报要求", "申报方式与时间", "联系方式", "在 PDF 全文中查看本专题", "English summary"]
    page.locator(".cg-apply-links a", has_text="申报方式与时间").click()
    assert page.locator("h1").first.inner_text() == "申报方式与时间"
    page.go_back()
    topics = guide.topics
    i = [t.slug for t in topics].index(TOPIC)
    page.locator("a.cg-next").click()
    assert page.url.endswith(f"topics/{topics[i + 1].slug}.html")
    page.locator("a.cg-previous").click()
    assert page.url.endswith(f"topics/{TOPIC}.html")
    page.goto(base_url + f"topics/{topics[0].slug}.html")
    assert page.locator("a.cg-previous").count() == 0
    page.goto(base_url + f"topics/{topics[-1].slug}.html")
    assert page.locator("a.cg-next").count() == 0
    screenshot(page, "topic-box")


def test_a_printed_topic_carries_the_guide_the_number_the_deadline_and_the_address(
    page: Any, base_url: str, guide: PublishedGuide, tmp_path: Path
) -> None:
    import subprocess

    topic = next(t for t in guide.topics if t.slug == TOPIC)
    page.goto(base_url + f"topics/{TOPIC}.html")
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert pages >= 2
    for n in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        flat = " ".join(text.split())
        assert guide.call.title in flat, n
        assert f"专题 {topic.number} · 申报单位网上提交截止 2027年1月15日 17:00（北京时间）" in flat, n
        assert f"https://example.org/call-guide/topics/{TOPIC}.html" in flat, n
        assert f"{n}/{pages}" in flat.replace(" / ", "/"), n


def test_corrections_are_visible_to_an_applicant(page: Any, base_url: str, guide: PublishedGuide) -> None:
    """The samples' own history: topic 7 corrected and topic 8 withdrawn after publication."""
    assert guide.withdrawn and any(t.revisions for t in guide.topics)
    page.goto(base_url + "updates.html")
    entries = page.locator(".cg-update-list li")
    assert entries.count() == len(guide.updates)
    withdrawn = guide.withdrawn[0]
    page.locator(".cg-update-list a", has_text=withdrawn.title).click()
    notice = page.locator(".cg-withdrawn").inner_text()
    assert f"本专题已于 {withdrawn.date.year}年{withdrawn.date.month}月{withdrawn.date.day}日撤回" in notice
    page.go_back()
    revised = next(t for t in guide.topics if t.revisions)
    page.locator(".cg-update-list a", has_text=revised.title).click()
    assert "修订，见修订记录" in page.locator(".cg-revised").inner_text()
    assert revised.revisions[0].note in page.locator(".cg-revisions").inner_text()
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
    screenshot(page, "revised-topic")


# --- accessibility: axe-core (WCAG 2.0 and 2.1, A and AA) -------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now, one line each with the first elements."""
    from axe_playwright_python.sync_playwright import Axe

    # resultTypes: the violations in full, the passes only counted (a much smaller answer to carry back)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
        for v in result.response["violations"]
    ]


def test_the_axe_check_reports_what_it_finds(browser: Any) -> None:
    """The harness itself: grey text on white and an image without text are found."""
    page = browser.new_page()
    page.set_content(
        '<html lang="zh-CN"><head><title>样例</title></head><body><main>'
        '<p style="color:#bbb;background:#fff">浅色文字</p><img src="data:,"></main></body></html>'
    )
    found = violations(page)
    page.close()
    assert [v.split(" ")[0] for v in found] == ["color-contrast", "image-alt"]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_every_page_passes_axe_core(browser: Any, base_url: str, site_dir: Path, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    found = {}
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    assert len(pages) > 20 and "404.html" in pages
    for path in pages:
        page.goto(base_url + path)
        if problems := violations(page):
            found[path] = problems
    context.close()
    assert found == {}


def test_the_search_dialog_showing_results_passes_axe_core(page: Any, base_url: str) -> None:
    page.goto(base_url)
    assert search(page, "养殖")
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "搜索"
    assert violations(page) == []


class _Missing404(_Quiet):
    """A static server that answers a missing address with the site's 404.html, as GitHub Pages does."""

    def __init__(self, *args: Any, page: Path, **kwargs: Any) -> None:
        self.page = page
        super().__init__(*args, **kwargs)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = self.page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize("under", ["", "call-guide/"], ids=["at-the-root", "under-the-base-path"])
def test_the_404_page_keeps_its_style_wherever_it_is_served(
    browser: Any, site_dir: Path, tmp_path: Path, under: str
) -> None:
    served = site_dir
    if under:  # the site at /call-guide/, as configured (site_url)
        (tmp_path / under.rstrip("/")).symlink_to(site_dir, target_is_directory=True)
        served = tmp_path
    handler = functools.partial(_Missing404, directory=str(served), page=site_dir / "404.html")
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/{under}"
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    try:
        for missing in ("404.html", "no-such-page.html", "topics/no/such/topic.html"):
            requests.clear()
            response = page.goto(root + missing)
            assert response is not None and response.status in (200, 404)
            assert requests == [root + missing]  # nothing else to load from an unknown place
            assert page.locator("h1").inner_text() == "页面未找到"
            home = page.locator("a", has_text="首页").get_attribute("href")
            assert home == f"/{under}index.html", missing
            assert violations(page) == [], missing
        page.locator("a", has_text="首页").click()
        page.wait_for_selector(".cg-topic-list")  # the real home page
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_the_search_index_is_loaded_only_when_a_reader_searches(page: Any, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url.removeprefix(base_url)))
    page.goto(base_url + f"topics/{TOPIC}.html")
    page.wait_for_load_state("networkidle")
    assert "search/search_data.json" not in requested
    stub = page.request.get(base_url + "search/search_index.json").json()
    assert stub["docs"] == [] and "config" in stub  # what Material fetches on every page
    assert search(page, "养殖")
    assert "search/search_data.json" in requested


# --- issue 15: the summary by partner country, in the address, on a phone ------------------------


def partner_codes(guide: PublishedGuide, code: str) -> list[int]:
    return [t.number for t in guide.topics if code in {p.code for p in t.partner_countries}]


def test_summary_filters_by_the_partners_country_or_region(
    page: Any, base_url: str, guide: PublishedGuide
) -> None:
    page.goto(f"{base_url}summary.html")
    options = page.eval_on_selector_all(
        "select[data-filter=partners] option", "os => os.map(o => [o.value, o.textContent])"
    )
    assert options == [["", "全部"], *([p.code, p.zh] for p in guide.partner_places)]
    assert [o[1] for o in options[-2:]] == ["中国香港", "中国澳门"]  # regions of China, after the countries

    page.select_option("select[data-filter=partners]", "RU")
    assert [int(r["number"]) for r in visible_rows(page)] == partner_codes(guide, "RU") != []
    page.select_option("select[data-filter=field]", "新材料")  # the applicant of the issue
    expected = [
        t.number for t in guide.topics if t.field == "新材料" and t.number in partner_codes(guide, "RU")
    ]
    assert [int(r["number"]) for r in visible_rows(page)] == expected != []
    page.select_option("select[data-filter=field]", "医养健康")
    assert visible_rows(page) == [] and page.locator(".cg-empty").is_visible()


def test_the_summarys_filters_and_order_live_in_the_address(
    page: Any, base_url: str, guide: PublishedGuide
) -> None:
    page.goto(f"{base_url}summary.html")
    page.select_option("select[data-filter=partners]", "KZ")
    page.wait_for_url("**/summary.html?partner=KZ")
    page.click("button[data-sort=funding]")
    page.wait_for_url("**/summary.html?partner=KZ&sort=funding%3Adescending")
    kz = [t for t in guide.topics if t.number in partner_codes(guide, "KZ")]
    by_funding = [t.number for t in sorted(kz, key=lambda t: (-t.provincial_funding, t.number))]
    assert [int(r["number"]) for r in visible_rows(page)] == by_funding

    page.reload()  # restored on load
    assert page.input_value("select[data-filter=partners]") == "KZ"
    assert page.input_value("select[data-sort-select]") == "funding:descending"
    assert [int(r["number"]) for r in visible_rows(page)] == by_funding
    assert page.locator("th[aria-sort=descending] button[data-sort=funding]").count() == 1

    page.go_back()  # the back button undoes the sort, then the filter
    page.wait_for_url("**/summary.html?partner=KZ")
    assert [int(r["number"]) for r in visible_rows(page)] == partner_codes(guide, "KZ")
    page.go_back()
    page.wait_for_url("**/summary.html")
    assert len(visible_rows(page)) == len(guide.topics)

    shared = page.context.new_page()  # a shared address shows the same table; unknown values are ignored
    shared.goto(f"{base_url}summary.html?partner=KZ&field=不存在&sort=trl:ascending")
    assert shared.input_value("select[data-filter=field]") == ""
    trl = [int(r["trl"]) for r in visible_rows(shared)]
    assert len(trl) == len(kz) and trl == sorted(trl)
    shared.close()


def test_on_a_phone_the_summary_is_a_list_of_cards(
    browser: Any, base_url: str, guide: PublishedGuide
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base_url}summary.html?partner=RU")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing to scroll sideways
    rows = page.locator("table.cg-summary tbody tr:not([hidden])")
    assert rows.count() == len(partner_codes(guide, "RU"))
    card = rows.first.bounding_box()
    assert card is not None and card["width"] <= 390 and card["height"] > 200
    labels = page.eval_on_selector_all(
        "table.cg-summary tbody tr:not([hidden]) td",
        "tds => tds.slice(0, 8).map(td => getComputedStyle(td, '::before').content)",
    )
    assert labels[:5] == ['"序号"', '"项目名称"', '"产业领域"', '"合作国别、地区"', '"合作国家（地区）"']
    assert "俄罗斯" in rows.first.inner_text()
    page.select_option("select[data-sort-select]", "funding:descending")  # the header is hidden: sort here
    page.wait_for_url("**/summary.html?partner=RU&sort=funding%3Adescending")
    funding = [float(r["funding"]) for r in visible_rows(page)]
    assert funding == sorted(funding, reverse=True)
    screenshot(page, "summary-phone")
    context.close()


# --- issue 15: the English pages -----------------------------------------------------------------


def test_a_foreign_partner_reads_the_english_pages_and_finds_the_official_text(
    page: Any, base_url: str, guide: PublishedGuide
) -> None:
    page.goto(base_url)
    page.locator(".md-tabs a", has_text="English").click()
    page.wait_for_url("**/en/index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    status = page.locator(".cg-status")
    status.wait_for()
    assert status.inner_text().startswith(("Not open yet", "Open (", "Closed"))
    topic = next(t for t in guide.topics if t.en)
    assert topic.en is not None
    page.locator("table.cg-en-topics a", has_text=topic.en.title).click()
    page.wait_for_url(f"**/en/topics/{topic.slug}.html")
    assert page.locator("article h1").inner_text() == f"{topic.number}. {topic.en.title}"
    screenshot(page, "english-topic")
    page.locator("a[hreflang=zh]", has_text="Chinese page").click()
    page.wait_for_url(f"**/topics/{topic.slug}.html")
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert page.locator("article h1").inner_text() == f"{topic.number}. {topic.title}"
    page.locator(".cg-apply a[hreflang=en]", has_text="English summary").click()
    page.wait_for_url(f"**/en/topics/{topic.slug}.html")


# --- issue 15: the search forgives ---------------------------------------------------------------


def test_the_search_says_when_it_shows_partial_matches(page: Any, base_url: str) -> None:
    page.goto(base_url)
    query = next(q for q in QUERIES["queries"] if q.get("kind") == "partial")
    assert topic_of(search(page, query["query"])[0]) == query["expect"]
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta').textContent.includes('部分匹配')"
    )
    assert page.locator(".md-search-result__meta").inner_text().startswith("未找到完全匹配，以下为部分匹配")
    search(page, "系泊")  # an exact match says nothing of the sort
    assert "部分匹配" not in page.locator(".md-search-result__meta").inner_text()


def test_the_search_does_not_find_what_was_never_published(page: Any, base_url: str) -> None:
    page.goto(base_url)
    for query in QUERIES["unpublished"]:
        assert "lipid-nanoparticle-nucleic-acid-delivery" not in [topic_of(u) for u in search(page, query)], (
            query
        )


WORKER_DOCS = [
    {"location": "a.html", "title": "反渗透膜", "text": "<p>开展海水淡化用反渗透复合膜研究。</p>"},
    {"location": "b.html", "title": "乙", "text": "<p>省财政资金支持不超过 500 万元。</p>"},
    {"location": "c.html", "title": "丙", "text": "<p>省财政资金支持不超过500万元。</p>"},
    {"location": "d.html", "title": "丁", "text": "<p>新增销售收入5000万元，年产500吨，另需万元级设备。</p>"},
    {"location": "e.html", "title": "戊", "text": "<p>单机功率 5 MW 的风电机组。</p>"},
]


@pytest.mark.parametrize(
    ("query", "partial", "found"),
    [
        ("海水淡化膜", True, ["a.html"]),  # the issue's words, not side by side in the text
        ("500万元", False, ["b.html", "c.html"]),  # the text with and without the space
        ("500 万元", False, ["b.html", "c.html"]),
        ("5000万元", False, ["d.html"]),  # not 500 beside some other 万元
        ("5MW", False, ["e.html"]),
        ("5 mw", False, ["e.html"]),
        ("淡化膜片", False, []),  # half of it (淡化) is not most of it
        ("500万吨", False, []),  # numbers are never forgiven
    ],
)
def test_the_search_worker_forgives_as_the_issue_asks(
    page: Any, base_url: str, query: str, partial: bool, found: list[str]
) -> None:
    """The worker the site ships, in Chromium, on an index of five sections made for the cases."""
    page.goto(base_url)
    data = page.evaluate(
        """([docs, q]) => new Promise(ok => {
            const w = new Worker('assets/javascripts/search-worker.js');
            w.onmessage = e => {
              if (e.data.type === 1) w.postMessage({type: 2, data: q});
              if (e.data.type === 3) { ok(e.data.data); w.terminate(); }
            };
            w.postMessage({type: 0, data: {config: {}, docs: docs}});
        })""",
        [WORKER_DOCS, query],
    )
    assert sorted(g[0]["location"] for g in data["items"]) == found
    assert data.get("partial", False) is partial
