"""The website's generated pages: golden topic pages, what each page holds, safety, and the open data."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, copy_project

from callguide import exports, site
from callguide import model as m
from callguide.check import check_paths, load_call
from callguide.guide import PublishedGuide, load_guide, publish

GOLDEN = PROJECT / "tests" / "golden" / "site"
GOLDEN_SLUGS = ("deep-sea-aquaculture-platform-mooring-feeding", "solid-state-lithium-battery-electrolyte")
TEMPLATES = PROJECT / "templates"


def two_topic_guide() -> PublishedGuide:
    """The two golden samples alone, so other samples do not change their numbers."""
    checked, problems = check_paths([PROJECT / "proposals" / f"{s}.yaml" for s in GOLDEN_SLUGS], PROJECT)
    assert not [p for p in problems if p.is_error]
    return publish(load_call(PROJECT / "call.yaml"), [(c.slug, c.proposal) for c in checked if c.proposal])


@pytest.fixture(scope="module")
def guide() -> PublishedGuide:
    return load_guide(PROJECT)[0]


@pytest.fixture(scope="module")
def pages(guide: PublishedGuide) -> dict[str, str]:
    content = [site.ContentPage("general.md", "总体要求"), site.ContentPage("contact.md", "联系方式")]
    return site.pages(guide, TEMPLATES, content)


# --- golden files -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", GOLDEN_SLUGS)
def test_topic_page_matches_golden_file(slug: str, golden: Callable[[Path, str], None]) -> None:
    golden(GOLDEN / f"{slug}.md", site.pages(two_topic_guide(), TEMPLATES)[f"topics/{slug}.md"])


# --- what the pages hold --------------------------------------------------------------------------


def test_every_page_is_generated(guide: PublishedGuide, pages: dict[str, str]) -> None:
    expected = {site.HOME, site.SUMMARY, site.TRL_APPENDIX, site.UPDATES, site.EN_HOME}
    expected |= {f"topics/{t.slug}.md" for t in (*guide.topics, *guide.withdrawn)}
    expected |= {f"en/topics/{t.slug}.md" for t in guide.topics if t.en}
    assert set(pages) == expected


def test_topic_page_has_facts_technologies_and_every_guide_heading(
    guide: PublishedGuide, pages: dict[str, str]
) -> None:
    for topic in guide.topics:
        text = pages[site.topic_path(topic)]
        assert f'<h1 id="{topic.slug}"><span class="cg-number">{topic.number}.</span>' in text
        for label in ("产业领域", "合作国别、地区", "项目类型", "省财政资金支持强度"):
            assert f"<dt>{label}</dt>\n<dd>" in text
        assert f"<dd>{topic.funding_text} 万元</dd>" in text
        assert f'href="../guide.pdf#{topic.slug}"' in text
        for t in topic.key_technologies:
            link = (
                f'当前 <a href="../trl.html#trl-{t.trl_current}">{t.trl_current}级（{t.trl_current_name}）</a>'
                f' → 预期 <a href="../trl.html#trl-{t.trl_expected}">{t.trl_expected}级（{t.trl_expected_name}）</a>'
            )
            assert link in text
        headings = [line for line in text.splitlines() if line.startswith("#")]
        expected = ["## 项目概述 { #overview }", "## 关键技术 { #key-technologies }"]
        for key, field in m.Guide.model_fields.items():
            if key not in topic.guide:
                continue
            if key == "acceptance_indicators":
                expected.append("## 考核指标 { #indicators }")
            level = "###" if key in ("acceptance_indicators", "performance_indicators") else "##"
            expected.append(f"{level} {field.title} {{ #{key} }}")
        if topic.revisions:
            expected.append("## 修订记录 { #revisions }")
        assert headings == expected


def test_guide_headings_are_the_official_ones(pages: dict[str, str]) -> None:
    text = pages["topics/deep-sea-aquaculture-platform-mooring-feeding.md"]
    titles = [line.split(" {")[0].lstrip("# ") for line in text.splitlines() if line.startswith("#")]
    assert titles[2:] == [
        "研究内容",
        "考核指标",
        "验收考核指标",
        "绩效参考指标",
        "申报条件",
        "支持强度",
        "技术成熟度",
        "项目交示件",
        "张榜范围",
        "修订记录",  # corrected after publication (the samples' history)
    ]


def test_home_page_has_the_call_the_pdf_and_every_field(guide: PublishedGuide, pages: dict[str, str]) -> None:
    text = pages[site.HOME]
    call = guide.call
    for value in (call.title, call.issuer, "2026年11月25日", "2027年1月15日 17:00", "下载指南全文（PDF）"):
        assert value in text
    assert f'href="{call.pdf_filename}"' in text
    assert '<a href="general.html">总体要求</a>' in text
    assert '<a href="trl.html">附件：技术成熟度等级划分</a>' in text
    for g in guide.groups:
        assert f"### {g.numeral}、{g.name} {{ #field-{g.number} }}" in text
        count = f'<span class="cg-count-name">{g.numeral}、{g.name}</span><span class="cg-count-value">{len(g.topics)}</span>'
        assert f'<a href="#field-{g.number}">{count}</a>' in text
    for t in guide.topics:
        assert f'<li value="{t.number}"><a href="topics/{t.slug}.html">' in text


def test_summary_has_one_row_per_topic_with_filter_data(guide: PublishedGuide, pages: dict[str, str]) -> None:
    text = pages[site.SUMMARY]
    assert text.count("<tr data-number=") == len(guide.topics)
    for t in guide.topics:
        row = (
            f'<tr data-number="{t.number}" data-field="{t.field}" data-region="{t.region}" '
            f'data-partners="{"|".join(p.code for p in t.partner_countries)}" data-types="{"|".join(t.project_types)}" data-funding="{t.provincial_funding}" data-trl="{t.target_trl}">'
        )
        assert row in text
    for g in guide.groups:
        assert f'<option value="{g.name}">' in text


def test_trl_appendix_has_all_thirteen_levels(pages: dict[str, str]) -> None:
    text = pages[site.TRL_APPENDIX]
    for level in m.TRL_LEVELS:
        assert f'<tr id="trl-{level.level}"><td>{level.level}</td><td>{level.name}</td>' in text
        assert level.evidence in text


@pytest.mark.parametrize(
    ("from_path", "to", "directory_urls", "expected"),
    [
        ("topics/a.md", "trl.md#trl-3", False, "../trl.html#trl-3"),
        ("topics/a.md", "guide.pdf#a", False, "../guide.pdf#a"),
        ("index.md", "topics/a.md", False, "topics/a.html"),
        ("index.md", "guide.pdf", False, "guide.pdf"),
        ("topics/a.md", "trl.md#trl-3", True, "../../trl/#trl-3"),
        ("topics/a.md", "index.md", True, "../../"),
        ("index.md", "topics/a.md", True, "topics/a/"),
        ("summary.md", "guide.pdf", True, "../guide.pdf"),
    ],
)
def test_relative_urls(from_path: str, to: str, directory_urls: bool, expected: str) -> None:
    assert site.relative_url(from_path, to, directory_urls) == expected


# --- a crafted project: hostile text, drafts and withdrawn proposals -----------------------------

HOSTILE = {  # raw HTML passes the check with a warning: the site must show it as text
    "title": "恶意标题<img src=x onerror=alert(1)>测试",
    "overview": "概述<script>alert('overview')</script>，<a href=\"javascript:alert(2)\">链接</a>。",
    "research": '1. 研究<iframe src="https://evil.example/"></iframe>内容\n2. [合法链接](https://example.org/)',
    "tech": "关键<b onmouseover=alert(4)>技术</b>",
    "keyword": "<svg onload=alert(5)>",  # partner_countries are checked names: hostile text fails there
    "en_title": "Hostile <img src=x onerror=alert(6)> title",
}
DRAFT_TITLE = "草稿状态的指南建议不应发布"
WITHDRAWN_TITLE = "已撤回的指南建议不应发布"


def _write_proposal(root: Path, slug: str, source: str, **changes: object) -> None:
    data = yaml.safe_load((PROJECT / "proposals" / f"{source}.yaml").read_text(encoding="utf-8"))
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (root / "proposals" / f"{slug}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with a hostile proposal, a draft and a withdrawn one, built by ``mkdocs build``."""
    root = copy_project(tmp_path_factory.mktemp("crafted"))
    _write_proposal(
        root,
        "hostile-text",
        "deep-sea-aquaculture-platform-mooring-feeding",
        title=HOSTILE["title"],
        overview=HOSTILE["overview"],
        guide__research_content=HOSTILE["research"],
        key_technologies__0__name=HOSTILE["tech"],
        en={"title": HOSTILE["en_title"], "summary": HOSTILE["overview"], "keywords": [HOSTILE["keyword"]]},
    )
    _write_proposal(
        root, "a-draft", "solid-state-lithium-battery-electrolyte", status="draft", title=DRAFT_TITLE
    )
    _write_proposal(
        root,
        "a-withdrawn",
        "solid-state-lithium-battery-electrolyte",
        status="withdrawn",
        title=WITHDRAWN_TITLE,
    )
    env = {**os.environ, "CALLGUIDE_PDF": "false", "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return root / "site"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def test_hostile_text_is_inert_on_every_page(crafted: Path) -> None:
    pages = sorted(crafted.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for tag, attrs in _elements(html):
            assert tag not in ("iframe", "svg") or "onload" not in attrs, page
            assert not (tag == "img" and attrs.get("src") == "x"), page
            assert not (tag == "b" and "onmouseover" in attrs), page
            for name, value in attrs.items():
                assert not name.startswith("onmouse") and name not in ("onerror", "onload"), (page, tag, name)
                if name in ("href", "src"):
                    assert not (value or "").strip().lower().startswith("javascript:"), (page, tag, value)
        assert "<script>alert(" not in html, page


def test_hostile_text_is_shown_as_text(crafted: Path) -> None:
    html = (crafted / "topics" / "hostile-text.html").read_text(encoding="utf-8")
    assert "恶意标题&lt;img src=x onerror=alert(1)&gt;测试" in html
    assert (
        "概述&lt;script&gt;alert(&#x27;overview&#x27;)&lt;/script&gt;" in html
        or "概述&lt;script&gt;alert('overview')&lt;/script&gt;" in html
    )
    assert '<a href="https://example.org/">合法链接</a>' in html
    assert "关键&lt;b onmouseover=alert(4)&gt;技术&lt;/b&gt;" in html
    en = (crafted / "en" / "topics" / "hostile-text.html").read_text(encoding="utf-8")
    assert "&lt;svg onload=alert(5)&gt;" in en
    assert "Hostile &lt;img src=x onerror=alert(6)&gt; title" in en


def test_forbidden_link_schemes_stay_plain_text() -> None:
    """The check refuses javascript: links; should one get through, the page still has no such link."""
    import dataclasses

    import markdown as python_markdown
    from mkdocs.utils.meta import get_data

    guide = two_topic_guide()
    topic = dataclasses.replace(
        guide.topics[0],
        overview="[点我](javascript:alert(1)) [再点](JAVASCRIPT:alert(2)) [数据](data:text/html,x) <javascript:alert(3)>",
        guide={**guide.topics[0].guide, "funding": "[资金](vbscript:msgbox(1))"},
    )
    guide = dataclasses.replace(guide, groups=(dataclasses.replace(guide.groups[0], topics=(topic,)),))
    text, _ = get_data(site.pages(guide, TEMPLATES)[site.topic_path(topic)])  # front matter, as mkdocs does
    html = python_markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables", "toc"])
    assert "[点我](javascript:alert(1))" in html
    for tag, attrs in _elements(html):
        if tag == "a":
            assert (attrs.get("href") or "").startswith(("../", "https:", "http:", "mailto:")), attrs


def test_search_index_holds_hostile_text_escaped(crafted: Path) -> None:
    docs = json.loads((crafted / "search" / "search_data.json").read_text(encoding="utf-8"))["docs"]
    texts = [d["title"] + d["text"] for d in docs if "hostile-text" in d["location"]]
    assert texts
    for text in texts:
        flat = text.replace("\u200b", "")
        assert "<img" not in flat and "<script" not in flat and "<iframe" not in flat and "<svg" not in flat


def test_drafts_and_withdrawn_proposals_are_not_published(crafted: Path) -> None:
    assert not (crafted / "topics" / "a-draft.html").exists()
    assert not (crafted / "topics" / "a-withdrawn.html").exists()
    for path in crafted.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml"):
            text = path.read_text(encoding="utf-8-sig").replace("\u200b", "")
            assert DRAFT_TITLE not in text and WITHDRAWN_TITLE not in text, path
            assert "a-draft" not in text and "a-withdrawn" not in text, path


# --- open data (from the real build: tests/conftest.py site_dir) ---------------------------------


@pytest.mark.slow
def test_topics_json_holds_the_public_record_of_every_topic(site_dir: Path, built_root: Path) -> None:
    guide = load_guide(built_root)[0]
    doc = json.loads((site_dir / "topics.json").read_text(encoding="utf-8"))
    assert doc["call"]["title"] == guide.call.title
    assert doc["topics"] == [t.public_record() for t in guide.topics]
    withdrawn = [t["number"] for t in doc["withdrawn"]]
    assert withdrawn == [t.number for t in guide.withdrawn]
    assert [t["number"] for t in doc["topics"]] == [
        n for n in range(1, len(guide.topics) + len(withdrawn) + 1) if n not in withdrawn
    ]
    assert not {"proposer", "investment", "report", "status", "order"} & set().union(*doc["topics"])


@pytest.mark.slow
def test_topics_csv_has_a_bom_chinese_headers_and_one_row_per_topic(site_dir: Path, built_root: Path) -> None:
    guide = load_guide(built_root)[0]
    raw = (site_dir / "topics.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [head for head, _ in exports.CSV_COLUMNS]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(str(t.number), t.slug, t.title) for t in guide.topics]
    deep_sea = next(r for r in rows if r[1] == "deep-sea-aquaculture-platform-mooring-feeding")
    head = rows[0]
    assert deep_sea[head.index("合作国家（地区）")] == "马来西亚、印度尼西亚"
    assert deep_sea[head.index("合作国家（地区）代码（ISO 3166-1）")] == "MY、ID"
    assert deep_sea[head.index("Partner countries/regions")] == "Malaysia; Indonesia"
    assert deep_sea[head.index("English title")].startswith("Typhoon-resistant mooring")
    assert deep_sea[head.index("省财政资金支持强度（万元）")] == "550"  # as corrected after publication


@pytest.mark.slow
def test_each_page_title_names_the_call_once(site_dir: Path, built_root: Path) -> None:
    guide = load_guide(built_root)[0]
    call = guide.call.title

    def title(path: str) -> str:
        html = (site_dir / path).read_text(encoding="utf-8")
        return html.split("<title>", 1)[1].split("</title>", 1)[0].strip()

    assert title("index.html") == call
    topic = guide.topics[0]
    assert title(f"topics/{topic.slug}.html") == f"{topic.number}. {topic.title} - {call}"
    for page in site_dir.rglob("*.html"):
        assert title(str(page.relative_to(site_dir))).count(call) == 1, page


@pytest.mark.slow
def test_the_site_has_every_page_the_pdf_and_no_external_asset(site_dir: Path, built_root: Path) -> None:
    guide = load_guide(built_root)[0]
    for name in (
        "index.html",
        "summary.html",
        "trl.html",
        "topics.json",
        "topics.csv",
        guide.call.pdf_filename,
    ):
        assert (site_dir / name).is_file(), name
    for t in guide.topics:
        assert (site_dir / "topics" / f"{t.slug}.html").is_file()
    for page in site_dir.rglob("*.html"):
        for tag, attrs in _elements(page.read_text(encoding="utf-8")):
            fetched = tag == "link" and attrs.get("rel") not in ("canonical", "alternate", "prev", "next")
            url = (
                attrs.get("src")
                if tag in ("script", "img", "iframe")
                else attrs.get("href")
                if fetched
                else None
            )
            assert not (url or "").startswith(("http:", "https:", "//")), (page, tag, url)


@pytest.mark.slow
def test_mkdocs_build_alone_makes_the_same_site(site_dir: Path, built_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(built_root / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    ours = {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    theirs = {p.relative_to(site_dir) for p in site_dir.rglob("*") if p.is_file()}
    assert ours == theirs
    for rel in ours:
        if rel.suffix in (".html", ".json", ".csv", ".js", ".css"):
            assert (out / rel).read_bytes() == (site_dir / rel).read_bytes(), rel


@pytest.mark.slow
def test_the_search_index_holds_no_boilerplate_and_the_english_summaries(site_dir: Path) -> None:
    """Result snippets start with the topic, not with the links every topic page has."""
    docs = json.loads((site_dir / "search" / "search_data.json").read_text(encoding="utf-8"))["docs"]
    topics = [d for d in docs if "topics/" in d["location"]]
    assert topics
    for boilerplate in (
        "在 PDF 全文中查看本专题",
        "上一专题",
        "下一专题",
        "English summary",
        "申报方式与时间",
    ):
        assert [d["location"] for d in topics if boilerplate in d["text"]] == [], boilerplate
    first = next(d for d in topics if d["location"] == "topics/pem-electrolyzer-green-hydrogen.html")
    assert first["text"].startswith("产业领域")
    english = [d for d in docs if d["location"].startswith("en/topics/pem-electrolyzer-green-hydrogen.html")]
    assert any("green hydrogen" in d["text"] for d in english)
