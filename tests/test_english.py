"""The English pages for foreign partners, the open data in both languages, and how every public file
names Hong Kong, Macao and Taiwan.

Read from the session's real build (``site_dir``: the samples with their history, PDF included).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from callguide import model as m
from callguide.guide import PublishedGuide, load_guide
from callguide.naming import misnamed
from callguide.privacy import readable_text

REGION_NAMES = re.compile(r"香港|澳门|台湾|港澳台|Hong Kong|Macao|Taiwan")
PUBLIC_SUFFIXES = {".html", ".json", ".csv", ".xml", ".ics", ".pdf", ".txt"}


@pytest.fixture(scope="module")
def guide(built_root: Path) -> PublishedGuide:
    return load_guide(built_root)[0]


def html_of(site_dir: Path, path: str) -> str:
    return (site_dir / path).read_text(encoding="utf-8")


# --- the English pages ----------------------------------------------------------------------------


def test_half_the_samples_have_an_english_page(
    guide: PublishedGuide, site_dir: Path, built_root: Path
) -> None:
    samples = sorted((built_root / "proposals").glob("*.yaml"))
    with_en = [t for t in guide.topics if t.en]
    assert len(with_en) * 2 >= len(samples)
    pages = {p.stem for p in (site_dir / "en" / "topics").glob("*.html")}
    assert pages == {t.slug for t in with_en}


def test_english_pages_say_they_are_english_and_the_others_chinese(
    guide: PublishedGuide, site_dir: Path
) -> None:
    for page in site_dir.rglob("*.html"):
        lang = re.search(r'<html lang="([a-z]+)"', page.read_text(encoding="utf-8"))
        rel = page.relative_to(site_dir).as_posix()
        if rel == "404.html":
            continue
        assert lang and lang.group(1) == ("en" if rel.startswith("en/") else "zh"), rel


def test_the_english_home_page_lists_the_topics_with_an_english_summary(
    guide: PublishedGuide, site_dir: Path
) -> None:
    html = html_of(site_dir, "en/index.html")
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td><a href=\"topics/([a-z0-9-]+)\.html\">", html)
    assert rows == [(str(t.number), t.slug) for t in guide.topics if t.en]
    for text in (
        "Chinese lead organisation",
        "cooperation agreement",
        "Deadlines",
        "Contact",
        "+86 531 5175 1234",
    ):
        assert text in html
    assert "15 January 2027, 17:00" in html and "Beijing time (UTC+8)" in html
    wheat = next(t for t in guide.topics if t.slug == "saline-alkali-tolerant-wheat-cultivation")
    assert "Kazakhstan; Uzbekistan; Pakistan" in html and "SCO member states" in html
    assert f'<td class="cg-num">{m.money_en(wheat.provincial_funding)}</td>' in html


def test_a_topic_in_english_has_its_facts_in_english_and_links_to_its_chinese_page(
    guide: PublishedGuide, site_dir: Path
) -> None:
    topic = next(t for t in guide.topics if t.slug == "silicon-photonics-optical-interconnect-chip")
    assert topic.en is not None
    en = html_of(site_dir, f"en/topics/{topic.slug}.html")
    assert topic.en.title in en
    for fact in (
        "New-generation information technology",
        "Hong Kong, Macao and Taiwan regions of China",
        "Hong Kong SAR, China",
        "Bringing in (Transformative technology iteration)",
        "CNY 7 million",
        "Level 7 (Environment)",
    ):
        assert fact in en, fact
    assert f'<a href="../../topics/{topic.slug}.html" hreflang="zh">Chinese page</a>' in en
    zh = html_of(site_dir, f"topics/{topic.slug}.html")
    assert f'<a href="../en/topics/{topic.slug}.html" hreflang="en" lang="en">English summary</a>' in zh
    plain = next(t for t in guide.topics if not t.en)
    assert "English summary" not in html_of(site_dir, f"topics/{plain.slug}.html")


def test_the_sitemap_names_each_page_and_its_translation_both_ways(
    guide: PublishedGuide, site_dir: Path
) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    alternates = {
        u.findtext("s:loc", namespaces=ns): {
            a.get("hreflang"): a.get("href") for a in u.findall("x:link", ns)
        }
        for u in root.findall("s:url", ns)
    }
    base = guide.call.site_url
    for topic in (t for t in guide.topics if t.en):
        zh, en = f"{base}topics/{topic.slug}.html", f"{base}en/topics/{topic.slug}.html"
        assert alternates[zh] == alternates[en] == {"zh": zh, "en": en}
    assert alternates[f"{base}index.html"] == {"zh": f"{base}index.html", "en": f"{base}en/index.html"}


def test_the_open_data_has_the_english_fields_and_the_iso_codes(
    guide: PublishedGuide, site_dir: Path
) -> None:
    doc = json.loads((site_dir / "topics.json").read_text(encoding="utf-8"))
    deep = next(t for t in doc["topics"] if t["slug"] == "deep-sea-aquaculture-platform-mooring-feeding")
    assert deep["partner_countries"] == ["马来西亚", "印度尼西亚"]
    assert deep["partner_country_codes"] == ["MY", "ID"]
    assert deep["en"]["partner_countries"] == ["Malaysia", "Indonesia"]
    assert deep["en"]["title"].startswith("Typhoon-resistant mooring")
    assert deep["en"]["region"] == "Belt and Road partner countries"
    assert deep["en"]["target_trl"] == m.trl_name_en(max(k["trl_expected"] for k in deep["key_technologies"]))
    plain = next(t for t in doc["topics"] if t["en"]["title"] is None)
    assert plain["en"]["field"] == m.ENUM_EN[plain["field"]]


def test_every_enumeration_value_and_level_has_an_english_name() -> None:
    for values in (m.FIELDS, m.REGIONS, m.PROJECT_TYPES, m.IMPORT_CATEGORIES):
        assert all(m.ENUM_EN.get(v) for v in values)
    assert [m.trl_name_en(level) for level in range(1, 14)][:2] == ["Report", "Scheme"]
    assert len({m.trl_name_en(level) for level in range(1, 14)}) == 13


# --- Hong Kong, Macao and Taiwan in every public file ---------------------------------------------


def public_files(site_dir: Path) -> list[Path]:
    return [p for p in sorted(site_dir.rglob("*")) if p.is_file() and p.suffix in PUBLIC_SUFFIXES]


def test_no_public_file_names_hong_kong_macao_or_taiwan_as_a_country(site_dir: Path) -> None:
    files = public_files(site_dir)
    assert any(p.suffix == ".pdf" for p in files) and any(p.suffix == ".ics" for p in files)
    found = [f"{p.relative_to(site_dir)}: {w}" for p in files for w, _ in misnamed(readable_text(p))]
    assert found == []


class _Labelled(HTMLParser):
    """(label, value) pairs of a page: dt/dd, table header/cell by column, a form label and its options."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.dt = ""
        self.heads: list[str] = []
        self.column = 0
        self.label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("dt", "dd", "th", "td", "label", "option"):
            self.text = []
        if tag == "tr":
            self.column = 0
        if tag == "thead":
            self.heads = []
        if tag == "td":
            label = dict(attrs).get("data-label")
            if label:
                self.pairs.append((label, ""))  # the card's label: checked with the cell below
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self.text).strip()
        if tag == "dt":
            self.dt = text
        elif tag == "dd":
            self.pairs.append((self.dt, text))
        elif tag == "th":
            self.heads.append(text)
        elif tag == "td":
            head = self.heads[self.column] if self.column < len(self.heads) else ""
            self.pairs.append((head, text))
            if self.pairs[-2:-1] and self.pairs[-2][1] == "":
                self.pairs[-2] = (self.pairs[-2][0], text)
            self.column += 1
        elif tag == "label":
            self.label = text.split("\n")[0]
        elif tag == "option":
            self.pairs.append((self.label, text))
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_no_label_that_says_country_lists_hong_kong_macao_or_taiwan(site_dir: Path) -> None:
    wrong, seen = [], 0
    for page in site_dir.rglob("*.html"):
        parser = _Labelled()
        parser.feed(page.read_text(encoding="utf-8"))
        for label, value in parser.pairs:
            if not REGION_NAMES.search(value):
                continue
            seen += 1
            country_only = ("国家" in label and "地区" not in label) or (
                re.search(r"countr", label, re.I) and not re.search(r"region", label, re.I)
            )
            if country_only:
                wrong.append(f"{page.relative_to(site_dir)}: {label} → {value}")
    rows = list(csv.reader(io.StringIO((site_dir / "topics.csv").read_text(encoding="utf-8-sig"))))
    for i, head in enumerate(rows[0]):
        for row in rows[1:]:
            if REGION_NAMES.search(row[i]):
                seen += 1
                if "国家" in head and "地区" not in head:
                    wrong.append(f"topics.csv: {head} → {row[i]}")
    assert seen > 10  # the samples have partners in Hong Kong and Macao: the labels were looked at
    assert wrong == []


def test_the_check_warns_of_text_naming_a_region_as_a_country(tmp_path: Path) -> None:
    from callguide.check import check_paths

    base = (Path(__file__).parent / "data" / "valid" / "base.yaml").read_text(encoding="utf-8")
    path = tmp_path / "topic.yaml"
    path.write_text(
        base.replace("开展柔性直流换流阀", "联合台湾国及香港等国家开展柔性直流换流阀", 1), encoding="utf-8"
    )
    _, problems = check_paths([path])
    assert [(p.code, p.severity, p.key, p.found) for p in problems] == [
        ("naming", "warning", "overview", "台湾国"),
        ("naming", "warning", "overview", "香港等国家"),
    ]
