"""The consolidated PDF (issue 4), read back with real readers: pypdf and poppler-utils.

One build of a copy of the samples (plus ``tests/data/pdf/``: a draft and a topic of typesetting
edge cases) is shared by the ``slow`` tests: in-process, so that WeasyPrint's log can be
captured, and once more through ``.venv/bin/python build.py pdf`` for the reproducibility check.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT, copy_project, run_build
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from callguide import model as m
from callguide import pdf, weasy
from callguide.builddate import as_datetime, build_epoch
from callguide.check import load_call
from callguide.errors import CallGuideError
from callguide.guide import PublishedGuide, load_guide
from callguide.pdfjob import PdfFailed, PdfJob

DATA = Path(__file__).resolve().parent / "data"
MM = 72 / 25.4
GUIDE_TITLES = {k: f.title for k, f in m.Guide.model_fields.items()}


# --- readers ------------------------------------------------------------------------------------


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, check=True, timeout=120).stdout.decode("utf-8")


def page_texts(path: Path) -> list[str]:
    """pdftotext, one string per page."""
    return run("pdftotext", "-enc", "UTF-8", str(path), "-").split("\f")[:-1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def pdfinfo(path: Path) -> dict[str, str]:
    lines = run("pdfinfo", "-enc", "UTF-8", str(path)).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def pdffonts(path: Path) -> list[list[str]]:
    return [line.split() for line in run("pdffonts", str(path)).splitlines()[2:]]


def chapter_titles(root: Path) -> list[str]:
    """The front matter pages, read from ``content/*.md`` as an editor writes them."""
    pages = []
    for path in sorted((root / "content").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if "pdf" in meta:
            pages.append((meta["pdf"], path.stem, meta["title"]))
    return [title for _, _, title in sorted(pages)]


def expected_date(guide: PublishedGuide) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.combine(guide.call.publish_date, dt.time(), dt.UTC)


# --- the shared build ---------------------------------------------------------------------------


@dataclass
class Built:
    root: Path
    guide: PublishedGuide
    path: Path
    result: pdf.PdfResult
    warnings: list[logging.LogRecord]
    progress: list[tuple[int, bool]]  # what build_pdf reported: (pages laid out, writing)

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.path)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def date_of(root: Path, guide: PublishedGuide) -> dt.datetime:
    """The date the build gives the PDF of ``root`` (builddate: the one place that says it)."""
    return as_datetime(build_epoch(root, guide.call))


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_project(tmp_path_factory.mktemp("pdf-project"))
    for extra in sorted((DATA / "pdf").glob("*.yaml")):
        shutil.copy(extra, root / "proposals" / extra.name)
    guide, _, _ = load_guide(root)
    logger, handler = logging.getLogger("weasyprint"), _Records()
    level = logger.level
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    progress: list[tuple[int, bool]] = []
    try:
        result = pdf.build_pdf(
            guide,
            root,
            root / "in-process" / guide.call.pdf_filename,
            date_of(root, guide),
            lambda pages, writing: progress.append((pages, writing)),
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return Built(root, guide, result.path, result, handler.records, progress)


@pytest.fixture(scope="session")
def cli_pdf(pdf_build: Built) -> Path:
    """The same inputs built again by ``.venv/bin/python build.py pdf``."""
    done = run_build(pdf_build.root, "pdf", "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    return pdf_build.root / "site" / pdf_build.guide.call.pdf_filename


@pytest.fixture(scope="session")
def texts(pdf_build: Built) -> list[str]:
    return page_texts(pdf_build.path)


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_outline_holds_chapters_fields_and_topics_in_order(pdf_build: Built) -> None:
    marks = outline(pdf_build.reader)
    expected = [(1, title) for title in chapter_titles(pdf_build.root)] + [(1, "项目指南")]
    for group in pdf_build.guide.groups:
        expected.append((2, f"{group.numeral}、{group.name}"))
        expected += [(3, f"{t.number}.{t.title}") for t in group.topics]
    if pdf_build.guide.updates:  # the samples' own corrections: a second appendix
        expected += [(1, "附件1　技术成熟度等级划分"), (1, "附件2　修订说明")]
    else:
        expected.append((1, "附件　技术成熟度等级划分"))
    assert [(level, title) for level, title, _ in marks] == expected
    # numbered in guide order; a topic withdrawn after publication keeps its number, unused
    numbers = sorted(t.number for t in (*pdf_build.guide.topics, *pdf_build.guide.withdrawn))
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.slow
def test_every_topic_has_a_named_destination_equal_to_its_slug(pdf_build: Built) -> None:
    reader = pdf_build.reader
    destinations = reader.named_destinations
    pages = {title: page for _, title, page in outline(reader)}
    for t in pdf_build.guide.topics:
        assert t.slug in destinations, t.slug
        page = reader.get_destination_page_number(destinations[t.slug]) + 1
        assert page == pages[f"{t.number}.{t.title}"]


@pytest.mark.slow
def test_contents_page_numbers_are_the_pages_the_entries_start_on(pdf_build: Built, texts: list[str]) -> None:
    marks = outline(pdf_build.reader)
    first_chapter = marks[0][2]
    layout = run(
        "pdftotext",
        "-layout",
        "-enc",
        "UTF-8",
        "-f",
        "2",
        "-l",
        str(first_chapter - 1),
        str(pdf_build.path),
        "-",
    )
    contents: dict[str, int] = {}
    pending = ""
    for line in layout.splitlines():
        entry = re.match(r"^(.*?)\s*\.{2,}\s*(\d+)\s*$", line)
        if entry:
            contents[squeeze(pending + entry.group(1))] = int(entry.group(2))
            pending = ""
        elif line.strip() and not re.fullmatch(r"\s*(目\s*录|—\s*\d+\s*—)\s*", line):
            pending += line
    assert len(contents) == len(marks)
    for level, title, page in marks:
        key = squeeze(title.replace("附件　", "附件"))
        assert contents[key] == page, title
        if level == 3:  # the topic's title is printed on that page, which carries that number
            body = squeeze(texts[page - 1])
            assert squeeze(title) in body
            assert re.search(rf"—{page}—", body)


@pytest.mark.slow
def test_published_titles_headings_and_levels_are_in_the_text(pdf_build: Built, texts: list[str]) -> None:
    text = squeeze("".join(texts))
    topics = pdf_build.guide.topics
    for t in topics:
        assert squeeze(t.title) in text
        for k in t.key_technologies:  # 当前X级（名称）→预期Y级（名称）, in a table cell of two lines
            assert f"当前{k.trl_current}级（{k.trl_current_name}）→" in text
            assert f"预期{k.trl_expected}级（{k.trl_expected_name}）" in text
    headings = {
        "项目概述：": len(topics),
        "关键技术：": len(topics),
        f"（一）{GUIDE_TITLES['research_content']}：": len(topics),
        "（二）考核指标：": len(topics),
        f"1.{GUIDE_TITLES['acceptance_indicators']}：": len(topics),
        f"2.{GUIDE_TITLES['performance_indicators']}：": sum(
            "performance_indicators" in t.guide for t in topics
        ),
    }
    for key in ("eligibility", "funding", "trl", "deliverables", "call_scope"):
        headings[f"{GUIDE_TITLES[key]}："] = len(topics)
    for heading, count in headings.items():
        assert text.count(heading) >= count, heading
    assert "技术成熟度等级划分" in text
    for level in m.TRL_LEVELS:
        assert f"第{level.level}级{level.name}" in text


@pytest.mark.slow
def test_drafts_and_private_data_are_not_in_the_pdf(pdf_build: Built, texts: list[str]) -> None:
    readable = squeeze("".join(texts)) + squeeze(run("pdfinfo", "-enc", "UTF-8", str(pdf_build.path)))
    assert "proposer" not in pdf_build.path.name
    unpublished = 0
    for path in sorted((pdf_build.root / "proposals").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status", "accepted") != "accepted":
            unpublished += 1
            assert squeeze(data["title"]) not in readable, path.name
        proposer = data["proposer"]
        for value in (proposer["name"], proposer["organization"], str(proposer["phone"])):
            assert squeeze(value) not in readable, (path.name, value)
        public = squeeze(
            " ".join([data["title"], data["overview"], *map(str, data["guide"].values())])
            + " ".join(k["name"] for k in data["key_technologies"])
        )
        private = [*(data.get("report") or {}).values()]
        for k in data["key_technologies"]:
            private += [k.get(key) for key in ("description", "evidence", "target") if k.get(key)]
        for value in private:
            snippet = squeeze(str(value))[:24]
            if len(snippet) >= 12 and snippet not in public:
                assert snippet not in readable, (path.name, snippet)
    assert unpublished >= 1  # tests/data/pdf adds a draft


@pytest.mark.slow
def test_markdown_lists_and_tables_render_as_such(pdf_build: Built) -> None:
    html = pdf.render_html(pdf_build.guide, pdf_build.root, date_of(pdf_build.root, pdf_build.guide))
    assert "<table>" in html and "<ol>" in html and "<ul>" in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html  # raw HTML in a proposal is text
    assert not re.search(r"<img\b|\bsrc=\"", html)  # a Markdown image is a link at most, never fetched
    assert html.count("<link ") == 1  # print.css only


# --- print features -----------------------------------------------------------------------------


@pytest.mark.slow
def test_pages_are_a4_and_the_text_stays_in_the_text_block(pdf_build: Built) -> None:
    reader = pdf_build.reader
    assert len(reader.pages) == pdf_build.result.pages > 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.5)
    assert pdfinfo(pdf_build.path)["Page size"].endswith("(A4)")
    bbox = run("pdftotext", "-bbox", str(pdf_build.path), "-")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', bbox)
    assert words
    # long URLs, long Latin words and wide table cells wrap inside the 156 mm text block
    assert min(float(x0) for x0, _ in words) >= 28 * MM - 1
    assert max(float(x1) for _, x1 in words) <= (28 + 156) * MM + 1


@pytest.mark.slow
def test_page_numbers_on_every_page_but_the_cover(texts: list[str]) -> None:
    assert not re.search(r"—\s*\d+\s*—", texts[0])
    for number, text in enumerate(texts[1:], start=2):
        assert re.findall(r"—\s*(\d+)\s*—", text)[-1] == str(number)


@pytest.mark.slow
def test_fonts_are_embedded_subsets_with_unicode_maps(pdf_build: Built) -> None:
    fonts = pdffonts(pdf_build.path)
    assert fonts
    for row in fonts:
        name, emb, sub, uni = row[0], row[-5], row[-4], row[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert re.match(r"[A-Z]{6}\+", name), name
    assert any("CJK" in row[0] or "Song" in row[0] for row in fonts)


@pytest.mark.slow
def test_metadata(pdf_build: Built) -> None:
    call = pdf_build.guide.call
    info = pdfinfo(pdf_build.path)
    assert info["Title"] == call.title
    assert info["Author"] == call.issuer
    assert info["Subject"].startswith(call.introduction.split()[0][:20])
    assert call.short_title in info["Keywords"]
    assert pdf_build.reader.trailer["/Root"]["/Lang"] == "zh-CN"
    meta = pdf_build.reader.metadata
    assert meta.creation_date == meta.modification_date == expected_date(pdf_build.guide)


@pytest.mark.slow
def test_two_builds_are_byte_identical(pdf_build: Built, cli_pdf: Path) -> None:
    assert cli_pdf.read_bytes() == pdf_build.path.read_bytes()
    ids = PdfReader(cli_pdf).trailer["/ID"]
    assert len(ids) == 2 and ids[0]


@pytest.mark.slow
def test_weasyprint_logs_no_warnings(pdf_build: Built) -> None:
    assert [r.getMessage() for r in pdf_build.warnings] == []


# --- small documents: fonts, the text grid, the fetcher -----------------------------------------


def small_pdf(body: str, out: Path) -> Path:
    html = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="print.css"></head><body>{body}</body></html>'
    weasy.render_document(html, PROJECT / pdf.ASSETS).write_pdf(out)
    return out


def test_progress_reports_every_page_laid_out_then_the_writing(pdf_build: Built) -> None:
    layout = [pages for pages, writing in pdf_build.progress if not writing]
    assert layout == sorted(layout) and set(range(1, pdf_build.result.pages + 1)) <= set(layout)
    assert pdf_build.progress[-1] == (pdf_build.result.pages, True)


def test_a_rare_character_is_drawn_with_a_font_that_has_it(tmp_path: Path) -> None:
    path = small_pdf("<p>生僻字𠀀。</p>", tmp_path / "rare.pdf")
    assert "𠀀" in run("pdftotext", "-enc", "UTF-8", str(path), "-")
    covering = {
        f.split(",")[0].replace(" ", "") for f in run("fc-list", ":charset=20000", "family").splitlines()
    }
    assert covering, f"no installed font has U+20000: install Debian's {pdf.RARE_PACKAGE}"
    used = {row[0].split("+", 1)[1].split("-")[0] for row in pdffonts(path)}
    assert used & covering, (used, covering)


def test_body_text_sets_22_lines_of_28_characters(tmp_path: Path) -> None:
    path = small_pdf(f"<p>{'国' * 28 * 30}</p>", tmp_path / "grid.pdf")
    first = [line for line in page_texts(path)[0].splitlines() if "国" in line]
    assert len(first) == 22
    assert [len(line) for line in first] == [26] + [28] * 21  # two characters of indent


def test_fetcher_serves_the_pdf_assets_only() -> None:
    fetch = weasy.asset_fetcher(PROJECT / pdf.ASSETS)
    assets = (PROJECT / "templates" / "pdf").resolve().as_uri()
    assert b"@page" in fetch(f"{assets}/print.css").read()
    refused = [
        "file:///etc/passwd",
        "http://127.0.0.1:9/evil.css",
        "https://example.org/x.png",
        f"{assets}/../../call.yaml",
        f"{assets}/%2e%2e/%2e%2e/call.yaml",
        f"{assets}/print.css?x=1",
        "data:text/css,body{color:red}",
        "ftp://example.org/x.css",
    ]
    for url in refused:
        with pytest.raises(weasy.FetchRefused):
            fetch(url)


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<img src="../../call.yaml">',
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">',
        '<p style="background: url(https://example.org/x.png)">x</p>',
    ],
)
def test_a_document_naming_another_resource_fails_the_build(markup: str, tmp_path: Path) -> None:
    with pytest.raises(FatalURLFetchingError):
        small_pdf(markup, tmp_path / "refused.pdf")


def test_missing_fonts_fail_with_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_fc_list", lambda pattern: ())
    with pytest.raises(pdf.PdfError, match="fonts-noto-cjk"):
        pdf.check_fonts("中文")
    monkeypatch.setattr(
        pdf, "_fc_list", lambda pattern: ("Noto Serif CJK SC",) if pattern == ":lang=zh" else ()
    )
    pdf.check_fonts("中文")
    with pytest.raises(pdf.PdfError, match="fonts-hanazono"):
        pdf.check_fonts("生僻字𠀀")


def test_build_date(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    call = load_call(PROJECT / "call.yaml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert as_datetime(build_epoch(tmp_path, call)) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert as_datetime(build_epoch(tmp_path, call)) == dt.datetime.combine(
        call.publish_date, dt.time(), dt.UTC
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(CallGuideError, match="SOURCE_DATE_EPOCH"):
        build_epoch(tmp_path, call)


def test_front_matter_pages_in_pdf_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "b.md").write_text(
        "---\ntitle: 第一章\npdf: 1\n---\n\n# 一、标题\n\n正文<b>粗</b>。\n", encoding="utf-8"
    )
    (content / "a.md").write_text(
        "---\ntitle: 第二章\npdf: 2\n---\n\n见[申报要求](requirements.md)和[官网](https://example.org/)。"
        "![图](file:///etc/passwd)\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n",
        encoding="utf-8",
    )
    (content / "index.md").write_text("---\ntitle: 首页\n---\n\n网站首页。\n", encoding="utf-8")
    chapters = pdf.chapters(tmp_path)
    assert [c.title for c in chapters] == ["第一章", "第二章"]
    first, second = (str(c.html) for c in chapters)
    assert "<h2>一、标题</h2>" in first and "&lt;b&gt;" in first
    assert "<span>申报要求</span>" in second and '<a href="https://example.org/">官网</a>' in second
    assert "<img" not in second and "<table>" in second
    (content / "c.md").write_text("---\ntitle: 坏\npdf: 第三\n---\n", encoding="utf-8")
    with pytest.raises(CallGuideError, match=r"c\.md"):
        pdf.chapters(tmp_path)


# --- in a second process (callguide.pdfjob): the same bytes, forked or spawned ---------------


@contextmanager
def another_thread() -> Iterator[None]:
    """With a second thread running, forking is unsafe: the job must spawn instead."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("threads", ["alone", "beside another thread"])
def test_the_job_makes_the_same_pdf_as_in_process(pdf_build: Built, tmp_path: Path, threads: str) -> None:
    heard: list[tuple[int, bool]] = []
    if threads == "alone":
        job = PdfJob(
            pdf_build.guide, pdf_build.root, "guide.pdf", date_of(pdf_build.root, pdf_build.guide), tmp_path
        )
    else:
        with another_thread():
            job = PdfJob(
                pdf_build.guide,
                pdf_build.root,
                "guide.pdf",
                date_of(pdf_build.root, pdf_build.guide),
                tmp_path,
            )
    method = {"alone": "ForkProcess", "beside another thread": "SpawnProcess"}[threads]
    assert type(job.process).__name__ == method
    result = job.move_to(tmp_path / "out" / "guide.pdf", job.result(lambda p, w: heard.append((p, w))))
    assert result.path.read_bytes() == pdf_build.path.read_bytes()
    assert result.pages == pdf_build.result.pages
    assert heard[-1] == (result.pages, True)  # the last word: every page, written
    assert not any(tmp_path.glob(".pdf-build-*"))  # the job's temporary folder is gone


def test_a_failing_job_reports_the_template_error(pdf_build: Built, tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "templates" / "pdf").mkdir(parents=True)
    (root / "templates" / "pdf" / "guide.html.j2").write_text("{{ no_such_thing.title }}", encoding="utf-8")
    job = PdfJob(pdf_build.guide, root, "guide.pdf", date_of(pdf_build.root, pdf_build.guide), tmp_path)
    with pytest.raises(PdfFailed) as failed:
        job.result()
    assert failed.value.kind == "template"
    assert "guide.html.j2" in str(failed.value) and "no_such_thing" in str(failed.value)
    assert not any(tmp_path.glob(".pdf-build-*"))


# --- tagged, PDF/A-2a and PDF/UA-1 (callguide/archival.py) ------------------------------------------
#
# Read back with pypdf. No PDF/A or PDF/UA validator (veraPDF) installs from the registries this
# machine reaches, so these tests cover the clauses below and say so: ISO 19005-2 6.2.3 (an output
# intent with an ICC profile), 6.6.2 (XMP with pdfaid, extension schema for other properties),
# 6.7 (tagged: /MarkInfo, /StructTreeRoot, /Lang); ISO 14289-1 5 (pdfuaid:part), 7.1
# (/DisplayDocTitle, dc:title), 7.4 (headings in order), 7.5 (tables with header cells), 7.6
# (lists with labels and bodies), 7.18.5 (links with /Contents). Not covered: fonts' glyph widths
# (6.2.11.5), the content of every marked-content sequence, artifacts on every page.

XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


def structure(reader: PdfReader) -> list[tuple[str, Any]]:
    """Every structure element, in document order: (its type, the element)."""
    out: list[tuple[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if "/S" in node:
            out.append((str(node["/S"]), node))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if (isinstance(kid, dict) and "/S" in kid) or (
                isinstance(kid, dict) and "/K" in kid and "/Type" not in kid
            ):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def xmp(reader: PdfReader) -> Any:
    import xml.etree.ElementTree as ET

    text = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    return ET.fromstring(text[text.index("<x:xmpmeta") : text.index("</x:xmpmeta>") + len("</x:xmpmeta>")])


@pytest.mark.slow
def test_the_pdf_is_tagged_pdfa_2a_and_declares_pdfua_1(pdf_build: Built) -> None:
    reader = pdf_build.reader
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root and root["/Lang"] == "zh-CN"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    meta = xmp(reader)
    described = {k: v for d in meta.iter(f"{{{XMP['rdf']}}}Description") for k, v in d.attrib.items()}
    assert described[f"{{{XMP['pdfaid']}}}part"] == "2"
    assert described[f"{{{XMP['pdfaid']}}}conformance"] == "A"
    assert described[f"{{{XMP['pdfuaid']}}}part"] == "1"
    # PDF/A-2 accepts pdfuaid only with its schema described in the packet
    prefixes = [e.text for e in meta.iter(f"{{{XMP['pdfaSchema']}}}prefix")]
    assert prefixes == ["pdfuaid"]
    title = next(meta.iter(f"{{{XMP['dc']}}}title"))
    assert "".join(title.itertext()).strip() == pdf_build.guide.call.title
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    assert len(intent["/DestOutputProfile"].get_object().get_data()) > 1000  # the ICC profile itself


@pytest.mark.slow
def test_every_link_is_tagged_described_and_printed(pdf_build: Built) -> None:
    reader = pdf_build.reader
    annots = [a.get_object() for p in reader.pages for a in p.get("/Annots") or []]
    links = [a for a in annots if a["/Subtype"] == "/Link"]
    assert len(links) > 50
    assert all(str(a.get("/Contents", "")).strip() for a in links)
    assert all(int(a.get("/F", 0)) & 4 for a in links)  # the Print flag
    assert sum(1 for kind, _ in structure(reader) if kind == "/Link") == len(links)


@pytest.mark.slow
def test_the_structure_headings_follow_the_documents_headings(pdf_build: Built) -> None:
    from html.parser import HTMLParser

    class Headings(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.levels: list[str] = []

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if re.fullmatch(r"h[1-6]", tag):
                self.levels.append("/H" + tag[1])

    html = pdf.render_html(pdf_build.guide, pdf_build.root, expected_date(pdf_build.guide))
    parser = Headings()
    parser.feed(html)
    tagged = [kind for kind, _ in structure(pdf_build.reader) if re.fullmatch(r"/H[1-6]", kind)]
    assert tagged == parser.levels
    assert tagged.count("/H1") >= 6 and "/H3" in tagged


@pytest.mark.slow
def test_tables_have_header_cells_and_lists_labels_and_bodies(pdf_build: Built) -> None:
    elements = structure(pdf_build.reader)
    kinds = [kind for kind, _ in elements]
    assert kinds.count("/Table") >= len(pdf_build.guide.topics) * 2  # facts and technologies per topic

    def descendants(node: Any) -> list[str]:
        found: list[str] = []
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                found += [str(kid["/S"]), *descendants(kid)]
        return found

    tables = [descendants(node) for kind, node in elements if kind == "/Table"]
    assert all("/TH" in inside for inside in tables)
    items = [descendants(node) for kind, node in elements if kind == "/LI"]
    assert items and all("/LBody" in inside for inside in items)


@pytest.mark.slow
def test_a_topic_title_starts_the_page_that_holds_its_facts(pdf_build: Built, texts: list[str]) -> None:
    """A title is never left at the foot of a page apart from its facts table."""
    label = m.LABELS["field"]
    for t in pdf_build.guide.topics:
        heading = squeeze(f"{t.number}.{t.title}")
        pages = [i for i, text in enumerate(texts) if heading in squeeze(text)]
        body = [i for i in pages if label in texts[i]]  # not the contents page
        assert body, t.slug
        page = squeeze(texts[body[0]])
        assert page.find(squeeze(label), page.index(heading)) != -1, t.slug  # the facts begin below it


@pytest.mark.slow
def test_tagging_with_page_references_made_once_gives_weasyprints_own_bytes(
    pdf_build: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint.pdf as wpdf
    from weasyprint.pdf import tags

    from callguide import archival

    html = pdf.render_html(pdf_build.guide, pdf_build.root, expected_date(pdf_build.guide))
    document = weasy.render_document(html, pdf_build.root / pdf.ASSETS)
    assert getattr(wpdf.add_tags, "callguide", False)  # the faster one is in use
    with warnings.catch_warnings():  # WeasyPrint's own sRGB file (see pdf.build_pdf)
        warnings.simplefilter("ignore", ResourceWarning)
        ours = document.write_pdf(pdf_identifier=True, pdf_variant=archival.register())
        monkeypatch.setattr(wpdf, "add_tags", tags.add_tags)
        assert document.write_pdf(pdf_identifier=True, pdf_variant=archival.register()) == ours


def test_superscripts_come_from_one_font(tmp_path: Path) -> None:
    path = small_pdf("<p>催化效率10³ M⁻¹s⁻¹，每小时10⁶个</p>", tmp_path / "sup.pdf")
    runs: list[tuple[str, str]] = []
    PdfReader(path).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: runs.append(
            (text, str(font.get("/BaseFont")) if font else "")
        )
    )
    fonts = {font.split("+", 1)[-1] for text, font in runs if re.search("[¹²³⁰-⁹⁺⁻]", text)}
    assert len(fonts) == 1, runs
    assert "".join(text for text, _ in runs).count("⁻¹") == 2


@pytest.mark.slow
def test_lists_under_the_indicator_headings_are_numbered_one_level_down(texts: list[str]) -> None:
    """Under "1.验收考核指标：" (level 3, 1.) a numbered list is level 4: （1）（2）…, not 1. again."""
    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    after = [
        lines[i + 1] for i, line in enumerate(lines[:-1]) if line in ("1.验收考核指标：", "2.绩效参考指标：")
    ]
    assert after and not [line for line in after if re.match(r"^\d+\.", line)]
    assert any(line.startswith("（1）") for line in after)


def marked_texts(page: Any) -> dict[int, str]:
    """The text drawn in each marked-content sequence of ``page`` (MCID → text), decoded by pypdf."""
    texts: dict[int, list[str]] = {}
    stack: list[int | None] = []

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            stack.append(props.get("/MCID") if hasattr(props, "get") else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(t: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None:
            texts.setdefault(mcid, []).append(t)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return {k: "".join(v) for k, v in texts.items()}


def reading_order(reader: PdfReader) -> list[tuple[int, int, bool]]:
    """Every marked-content reference of the structure tree in its order: (page object, MCID, in a table)."""
    found: list[tuple[int, int, bool]] = []

    def walk(node: Any, page: Any = None, table: bool = False) -> None:
        node = node.get_object()
        page, table = node.get("/Pg", page), table or node.get("/S") == "/Table"
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if isinstance(kid, int):
                found.append((page.idnum, kid, table))
                continue
            kid = kid.get_object()
            if "/MCID" in kid:
                found.append((kid.get("/Pg", page).idnum, kid["/MCID"], table))
            elif "/S" in kid:
                walk(kid, page, table)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.slow
def test_the_structure_reads_each_page_as_pdftotext_does(pdf_build: Built, texts: list[str]) -> None:
    """On a page of running text the structure tree's order is pdftotext's, character for character; on a
    page with a table pdftotext reads across the columns, so there every character drawn (the page
    number, an artifact, aside) is in the tree once."""
    reader = pdf_build.reader
    order = reading_order(reader)
    prose = 0
    for n, page in enumerate(reader.pages):
        drawn = marked_texts(page)
        mine = [(mcid, table) for number, mcid, table in order if number == page.indirect_reference.idnum]
        # pdftotext joins a word hyphenated at a line's end (the drawn "-" goes): compare without hyphens
        tagged = squeeze("".join(drawn.get(mcid, "") for mcid, _ in mine)).replace("-", "")
        plain = re.sub(r"—\d+—", "", squeeze(texts[n])).replace("-", "")
        assert sorted(tagged) == sorted(plain), n + 1
        if not any(table for _, table in mine):
            prose += 1
            assert tagged == plain, n + 1
    assert prose >= 10
