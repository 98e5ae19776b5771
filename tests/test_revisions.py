"""After publication: corrections read from git and the editors' notes, withdrawn topics that keep their
address and number, the 更新公告 with its Atom feed, the timetable as a calendar.

Each test builds a throwaway git repository of the samples: published on 2026-11-24 (the call's
``publish_date`` is 2026-11-25), then a public correction, a private edit and a withdrawal, each a
commit with its own date, the withdrawal merged from a branch (a pull request) the day after it was
written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import GIT_ENV, copy_project, run_build
from icalendar import Calendar

pytestmark = pytest.mark.slow

REVISED = "solid-state-lithium-battery-electrolyte"
WITHDRAWN = "cognitive-impairment-screening-bci-rehabilitation"
NOTE = "将支持强度由不超过 800 万元调整为不超过 700 万元。"
WITHDRAWAL_NOTE = "因外方合作单位调整，本专题撤回。"
ATOM = "{http://www.w3.org/2005/Atom}"


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_note(path: Path, date: str, note: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(f"revisions:\n  - date: {date}\n    note: {note}\n")


def as_first_published(root: Path) -> None:
    """The samples carry the notes of their own corrections: a guide as first published has none."""
    for path in (root / "proposals").glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if "revisions:\n" in lines:
            cut = lines.index("revisions:\n")
            while cut and lines[cut - 1].startswith("#"):
                cut -= 1
            path.write_text("".join(lines[:cut]), encoding="utf-8")


def published_repo(root: Path) -> Path:
    copy_project(root)
    as_first_published(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Publish the guide", date="2026-11-24T10:00:00+08:00")
    return root


def correct_funding(root: Path, note: bool = True) -> None:
    path = root / "proposals" / f"{REVISED}.yaml"
    edit(path, "  provincial: 800", "  provincial: 700")
    edit(path, "省财政资金支持不超过800万元。", "省财政资金支持不超过700万元。")
    if note:
        add_note(path, "2026-12-05", NOTE)
    git(root, "commit", "-qam", "Correct the funding", date="2026-12-05T10:00:00+08:00")


def edit_privately(root: Path) -> None:
    edit(
        root / "proposals" / f"{REVISED}.yaml",
        "其中申请省财政资金800万元，单位自筹3400万元。",
        "其中申请省财政资金700万元，单位自筹3500万元。",
    )
    git(root, "commit", "-qam", "Private: the funding plan", date="2026-12-06T10:00:00+08:00")


def withdraw(root: Path, note: bool = True) -> None:
    """On a branch written on 2026-12-07, merged into main (the first parent) on 2026-12-08."""
    git(root, "checkout", "-qb", "withdraw")
    path = root / "proposals" / f"{WITHDRAWN}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^status: accepted$", "status: withdrawn", text, flags=re.M), encoding="utf-8")
    if "status: withdrawn" not in path.read_text(encoding="utf-8"):
        edit(path, "\ntitle:", "\nstatus: withdrawn\ntitle:")
    if note:
        add_note(path, "2026-12-08", WITHDRAWAL_NOTE)
    git(root, "commit", "-qam", "Withdraw a topic", date="2026-12-07T10:00:00+08:00")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "withdraw", "-m", "Merge: withdraw", date="2026-12-08T10:00:00+08:00")


def build(root: Path) -> subprocess.CompletedProcess[str]:
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def text_of(html: str) -> str:
    """The visible text of a page's article, one space between elements."""
    article = html[html.index("<article") : html.index("</article>")]
    flat = re.sub(r"<[^>]+>", " ", article)
    return re.sub(r"\s+", " ", flat.replace("&nbsp;", " ")).strip()


def page_text(root: Path, path: str) -> str:
    return text_of((root / "site" / path).read_text(encoding="utf-8"))


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    args += ["-f", str(first)] if first else []
    args += ["-l", str(last)] if last else []
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = published_repo(tmp_path_factory.mktemp("revised"))
    correct_funding(root)
    edit_privately(root)
    withdraw(root)
    build(root)
    return root


@pytest.fixture(scope="module")
def topics(revised: Path) -> dict:
    return json.loads((revised / "site" / "topics.json").read_text(encoding="utf-8"))


# --- corrections ------------------------------------------------------------------------------


def test_a_public_correction_is_listed_on_the_topic_page_with_its_date_parts_and_note(revised: Path) -> None:
    text = page_text(revised, f"topics/{REVISED}.html")
    assert "本专题已于 2026年12月5日修订，见 修订记录" in text
    assert f"修订记录 2026年12月5日 修订（省财政资金支持强度、支持强度）：{NOTE}" in text
    assert "<dd>700 万元</dd>" in (revised / "site" / "topics" / f"{REVISED}.html").read_text(
        encoding="utf-8"
    )


def test_a_private_edit_is_no_revision(revised: Path) -> None:
    site = revised / "site"
    for path in (f"topics/{REVISED}.html", "updates.html", "feed.xml", "topics.json"):
        assert "2026-12-06" not in (site / path).read_text(encoding="utf-8")
        assert "2026年12月6日" not in (site / path).read_text(encoding="utf-8")


def test_the_updates_page_lists_every_revision_newest_first_with_links(revised: Path) -> None:
    html = (revised / "site" / "updates.html").read_text(encoding="utf-8")
    text = text_of(html)
    assert text.index("2026年12月8日") < text.index("2026年12月5日")
    assert "现行版本为第 3 版 · 2026年12月8日修订" in text
    assert f'href="topics/{WITHDRAWN}.html"' in html and f'href="topics/{REVISED}.html"' in html
    assert "撤回。" + WITHDRAWAL_NOTE in text
    assert "修订（省财政资金支持强度、支持强度）。" + NOTE in text


def test_the_merge_of_a_pull_request_dates_the_change(revised: Path) -> None:
    """The withdrawal was written on 12-07 and merged on 12-08: it was published on 12-08."""
    assert "2026年12月7日" not in (revised / "site" / "updates.html").read_text(encoding="utf-8")


# --- withdrawn after publication --------------------------------------------------------------


def test_a_withdrawn_topic_keeps_its_address_and_says_when_and_why(revised: Path, topics: dict) -> None:
    text = page_text(revised, f"topics/{WITHDRAWN}.html")
    assert f"本专题已于 2026年12月8日撤回，不再受理申报。 {WITHDRAWAL_NOTE}" in text
    (withdrawn,) = topics["withdrawn"]
    assert withdrawn == {
        "number": withdrawn["number"],
        "slug": WITHDRAWN,
        "title": withdrawn["title"],
        "withdrawn": "2026-12-08",
        "note": WITHDRAWAL_NOTE,
    }


def test_a_withdrawn_topic_leaves_the_summary_the_search_the_pdf_body_and_the_topics(
    revised: Path, topics: dict
) -> None:
    site = revised / "site"
    title = topics["withdrawn"][0]["title"]
    assert WITHDRAWN not in (site / "summary.html").read_text(encoding="utf-8")
    assert title not in (site / "search" / "search_data.json").read_text(encoding="utf-8")
    assert WITHDRAWN not in [t["slug"] for t in topics["topics"]]
    body = pdf_text(site / "guide.pdf").split("修订说明")[0]
    assert title[:12] not in body.replace("\n", "")
    assert title not in (site / "index.html").read_text(encoding="utf-8")


def test_the_topics_after_a_withdrawn_one_keep_their_numbers(revised: Path, topics: dict) -> None:
    gap = topics["withdrawn"][0]["number"]
    numbers = [t["number"] for t in topics["topics"]]
    assert gap not in numbers
    assert numbers == [n for n in range(1, len(numbers) + 2) if n != gap]


# --- the open data, the PDF, the feed, the calendar -------------------------------------------------


def test_the_open_data_gives_every_topic_its_latest_revision(topics: dict) -> None:
    by_slug = {t["slug"]: t for t in topics["topics"]}
    assert by_slug[REVISED]["updated"] == "2026-12-05"
    assert by_slug[REVISED]["revisions"] == [
        {"date": "2026-12-05", "kind": "修订", "parts": ["省财政资金支持强度", "支持强度"], "note": NOTE}
    ]
    assert all(t["updated"] is None for s, t in by_slug.items() if s != REVISED)
    assert topics["call"]["edition"] == 3 and topics["call"]["revised"] == "2026-12-08"


def test_the_pdf_cover_gives_the_edition_and_an_appendix_lists_the_revisions(revised: Path) -> None:
    pdf = revised / "site" / "guide.pdf"
    assert "第 3 版 · 2026年12月8日修订" in pdf_text(pdf, 1, 1)
    appendix = pdf_text(pdf).split("附件2")[-1].replace("\n", "")
    assert appendix.startswith("修订说明")
    flat = appendix.replace(" ", "")
    assert f"（已撤回）：撤回。{WITHDRAWAL_NOTE}" in flat
    assert f"联合攻关：修订（省财政资金支持强度、支持强度）。{NOTE.replace(' ', '')}" in flat
    assert flat.index("2026年12月8日") < flat.index("2026年12月5日")


def test_the_feed_holds_the_updates_newest_first_and_every_page_links_it(revised: Path) -> None:
    site = revised / "site"
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2026-12-08T00:00:00+08:00",
        "2026-12-05T00:00:00+08:00",
    ]
    assert (
        entries[0].findtext(f"{ATOM}id")
        == f"https://example.org/call-guide/updates.html#2026-12-08-{WITHDRAWN}"
    )
    assert (
        entries[1].find(f"{ATOM}link").get("href") == f"https://example.org/call-guide/topics/{REVISED}.html"
    )
    assert NOTE in entries[1].findtext(f"{ATOM}summary")
    assert feed.findtext(f"{ATOM}updated") == "2026-12-08T00:00:00+08:00"
    for html in site.rglob("*.html"):
        assert 'type="application/atom+xml"' in html.read_text(encoding="utf-8"), html


def test_the_calendar_has_one_event_per_milestone_in_beijing_time(revised: Path) -> None:
    cal = Calendar.from_ical((revised / "site" / "call.ics").read_bytes())
    events = cal.walk("VEVENT")
    assert [e.decoded("dtstart").isoformat() for e in events] == [
        "2026-12-01T09:00:00+08:00",
        "2027-01-15T17:00:00+08:00",
        "2027-01-22T17:00:00+08:00",
    ]
    assert all(str(e["dtstart"].params["TZID"]) == "Asia/Shanghai" for e in events)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    uids = [str(e["uid"]) for e in events]
    assert uids[:2] == ["callguide-2026-opens@example.org", "callguide-2026-closes@example.org"]
    assert len(set(uids)) == 3
    # DTSTAMP is the build date (the last commit's): the same commit gives the same calendar
    assert {e.decoded("dtstamp") for e in events} == {dt.datetime(2026, 12, 8, 2, tzinfo=dt.UTC)}
    assert [a.decoded("trigger") for e in events for a in e.walk("VALARM")] == [dt.timedelta(days=-1)] * 2


def test_two_builds_of_the_same_commit_are_byte_identical(revised: Path) -> None:
    def digests() -> dict[str, str]:
        site = revised / "site"
        return {
            p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*"))
            if p.is_file()
        }

    before = digests()
    build(revised)
    assert digests() == before


# --- the check ----------------------------------------------------------------------------------


def check(root: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return run_build(root, "check", "--format", "json", *paths)


def problems(root: Path, *paths: str) -> list[tuple[str, str, str]]:
    result = check(root, *paths)
    found = json.loads(result.stdout)["problems"]
    return [(Path(p["file"]).stem, p["code"], p["severity"]) for p in found]


def test_check_warns_of_a_change_or_a_withdrawal_without_a_note(tmp_path: Path) -> None:
    root = published_repo(tmp_path)
    correct_funding(root, note=False)
    withdraw(root, note=False)
    assert sorted(problems(root)) == [
        (WITHDRAWN, "revision-note-missing", "warning"),
        (REVISED, "revision-note-missing", "warning"),
    ]
    result = check(root)
    assert result.returncode == 0  # warnings: the build goes on, `check --strict` fails
    messages = {Path(p["file"]).stem: p for p in json.loads(result.stdout)["problems"]}
    assert "2026年12月5日修改了公开内容（省财政资金支持强度、支持强度）" in messages[REVISED]["message"]
    assert "date: 2026-12-05" in messages[REVISED]["hint"]
    assert "2026年12月8日撤回了本专题" in messages[WITHDRAWN]["message"]
    assert run_build(root, "check", "--strict").returncode == 1
    # one file checked alone: only its own warning, no "deleted" for the files not given
    assert problems(root, f"proposals/{REVISED}.yaml") == [(REVISED, "revision-note-missing", "warning")]


def test_check_flags_notes_dated_before_publication_or_on_a_day_without_a_change(tmp_path: Path) -> None:
    root = published_repo(tmp_path)
    path = root / "proposals" / f"{REVISED}.yaml"
    edit(path, "  provincial: 800", "  provincial: 700")
    edit(path, "省财政资金支持不超过800万元。", "省财政资金支持不超过700万元。")
    path.write_text(
        path.read_text(encoding="utf-8")
        + "revisions:\n  - date: 2026-11-01\n    note: 早于发布。\n  - date: 2026-12-04\n    note: 日期错了一天。\n",
        encoding="utf-8",
    )
    git(root, "commit", "-qam", "Correct", date="2026-12-05T10:00:00+08:00")
    assert sorted(problems(root)) == [
        (REVISED, "revision-date", "error"),
        (REVISED, "revision-note-missing", "warning"),
        (REVISED, "revision-note-unmatched", "warning"),
    ]
    unmatched = next(
        p for p in json.loads(check(root).stdout)["problems"] if p["code"] == "revision-note-unmatched"
    )
    assert "2026-12-05" in unmatched["message"]  # the day git knows


def test_deleting_a_published_file_is_a_warning_that_says_to_withdraw_instead(tmp_path: Path) -> None:
    root = published_repo(tmp_path)
    git(root, "rm", "-q", f"proposals/{WITHDRAWN}.yaml")
    git(root, "commit", "-qm", "Delete", date="2026-12-05T10:00:00+08:00")
    ((stem, code, severity),) = problems(root)
    assert (stem, code, severity) == (WITHDRAWN, "published-file-deleted", "warning")


def test_before_any_change_there_is_no_revision_and_the_first_edition(tmp_path: Path) -> None:
    root = published_repo(tmp_path)
    build(root)
    assert "指南发布以来没有修订。" in page_text(root, "updates.html")
    assert "版次" not in page_text(root, "index.html")
    assert "修订说明" not in pdf_text(root / "site" / "guide.pdf")
    assert ET.parse(root / "site" / "feed.xml").getroot().findall(f"{ATOM}entry") == []


def test_a_shallow_clone_warns_once_and_publishes_only_the_written_notes(
    revised: Path, tmp_path: Path
) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{revised}", str(shallow)],
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    result = build(shallow)
    assert result.stdout.count("浅克隆") == 1
    assert not (shallow / "site" / "topics" / f"{WITHDRAWN}.html").exists()  # no history: never published
    text = page_text(shallow, f"topics/{REVISED}.html")
    assert f"2026年12月5日 修订：{NOTE}" in text  # the note, without the parts git would tell
