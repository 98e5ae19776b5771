"""A topic's revision record: the events git shows (``history``) joined, by date, with the notes editors
wrote in ``revisions:`` (the official wording); and the check's warnings where the two disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import COMMAND
from .call import date_cn
from .check import Checked
from .history import Event, History, Kind
from .problems import Problem

KIND_LABELS: dict[str, str] = {
    "revised": "修订",
    "withdrawn": "撤回",
    "restored": "恢复发布",
    "added": "新增专题",
    "deleted": "删除",
}
NOTED = ("revised", "withdrawn")  # the events that need an official note


@dataclass(frozen=True)
class Revision:
    """One day's change of a topic: what happened, the public parts changed, the editors' note."""

    date: dt.date
    kinds: tuple[Kind, ...]
    parts: tuple[str, ...]
    note: str | None

    @property
    def label(self) -> str:
        return "、".join(KIND_LABELS[k] for k in self.kinds) if self.kinds else KIND_LABELS["revised"]

    @property
    def date_text(self) -> str:
        return date_cn(self.date)

    @property
    def withdrawn(self) -> bool:
        return "withdrawn" in self.kinds

    def record(self) -> dict[str, Any]:
        """The open-data form."""
        return {
            "date": self.date.isoformat(),
            "kind": self.label,
            "parts": list(self.parts),
            "note": self.note,
        }


def topic_revisions(
    events: Iterable[Event], notes: Iterable[Mapping[str, Any]] | None
) -> tuple[Revision, ...]:
    """Events and notes of one topic, one entry per date, newest first."""
    kinds: dict[dt.date, list[Kind]] = {}
    parts: dict[dt.date, list[str]] = {}
    for e in events:
        if e.kind not in kinds.setdefault(e.date, []):
            kinds[e.date].append(e.kind)
        parts.setdefault(e.date, []).extend(p for p in e.parts if p not in parts[e.date])
    written: dict[dt.date, list[str]] = {}
    for n in notes or ():
        written.setdefault(n["date"], []).append(n["note"].strip())
    return tuple(
        Revision(
            day,
            tuple(kinds.get(day, ())),
            tuple(parts.get(day, ())),
            "；".join(written[day]) if day in written else None,
        )
        for day in sorted(set(kinds) | set(written), reverse=True)
    )


def _note_example(date: dt.date, kind: str) -> str:
    wording = "因……，本专题撤回" if kind == "withdrawn" else "将……由……调整为……"
    return f"revisions:\n  - date: {date.isoformat()}\n    note: {wording}"


def revision_problems(checked: list[Checked], history: History, publish_date: dt.date) -> Iterator[Problem]:
    """Notes dated before publication (errors); with the history: changes without a note and notes
    without a change (warnings), published files that were deleted (warnings)."""
    by_slug = {c.slug: c for c in checked}
    for item in checked:
        for i, day in _note_dates(item.doc.data):
            if day < publish_date:
                yield _at_note(
                    item,
                    i,
                    "revision-date",
                    f"修订日期（{date_cn(day)}）早于指南发布日期（{date_cn(publish_date)}）；发布前的修改不是修订，"
                    "请删去这一项或改正日期",
                )
    if history.missing is not None:
        return
    for e in history.events:
        if e.kind == "deleted" and e.slug not in by_slug:
            yield Problem(
                f"proposals/{e.slug}.yaml",
                1,
                1,
                "published-file-deleted",
                "",
                f"已发布的专题文件在 {date_cn(e.date)} 被删除，其网址随之失效；请恢复该文件并写 "
                "status: withdrawn（加上修订说明），专题页会保留并显示“已撤回”",
                severity="warning",
            )
    for item in checked:
        yield from _note_problems(item, history.of(item.slug), publish_date)


def _note_problems(item: Checked, events: list[Event], publish_date: dt.date) -> Iterator[Problem]:
    doc = item.doc
    data = doc.data if isinstance(doc.data, dict) else {}
    noted = {day for _, day in _note_dates(data)}
    changed = {e.date for e in events}
    for e in events:
        if e.kind in NOTED and e.date not in noted:
            what = "撤回了本专题" if e.kind == "withdrawn" else f"修改了公开内容（{'、'.join(e.parts)}）"
            key = ("revisions",) if "revisions" in data else ("status",) if e.kind == "withdrawn" else ()
            line, col = doc.where_key(key) if key else (1, 1)
            yield Problem(
                doc.display,
                line,
                col,
                "revision-note-missing",
                "revisions",
                f"指南发布后，{date_cn(e.date)}{what}，但 revisions 中没有这一天的修订说明；"
                f"网站、PDF 和更新公告会列出这次{KIND_LABELS[e.kind]}，请写明改了什么",
                severity="warning",
                hint=f"在文件末尾加上（已有 revisions 时只加后两行）：\n{_note_example(e.date, e.kind)}",
            )
    for i, day in _note_dates(data):
        if day >= publish_date and day not in changed:
            known = "、".join(d.isoformat() for d in sorted(changed)) or "无"
            yield _at_note(
                item,
                i,
                "revision-note-unmatched",
                f"git 历史中 {date_cn(day)} 没有本专题公开内容的修改；修订日期应是修改合并发布的那一天"
                f"（git 中本专题发布后的修改日期：{known}）",
                severity="warning",
                hint=f"用 {COMMAND} diff 可查看改了什么",
            )


def _note_dates(data: Any) -> Iterator[tuple[int, dt.date]]:
    """(index, date) of every note of ``revisions:`` that has a date."""
    notes = data.get("revisions") if isinstance(data, dict) else None
    for i, note in enumerate(notes if isinstance(notes, list) else []):
        day = note.get("date") if isinstance(note, dict) else None
        if isinstance(day, dt.date):
            yield i, day


def _at_note(item: Checked, i: int, code: str, message: str, **extra: Any) -> Problem:
    """A problem with the date of note ``i``, where it stands."""
    line, col = item.doc.where(("revisions", i, "date"))
    day = item.doc.data["revisions"][i]["date"]
    return Problem(
        item.doc.display, line, col, code, f"revisions[{i}].date", message, found=day.isoformat(), **extra
    )
