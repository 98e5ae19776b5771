"""The published guide: accepted proposals as public topics, grouped by field and numbered.

This is the only place that turns a proposal into what the public may see, and it sees only
``model.public_view``: the model's allow-list of public data. Private data (``proposer``,
``investment.total``, ``report``, the private parts of key technologies) is not in a
``PublishedGuide`` at all, so no template, search index or open-data file can reach it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import model as m
from .model import money

__all__ = ["money"]  # re-exported: exports, diff and the tests write amounts with it
from .builddate import build_epoch
from .call import BEIJING, CALL_FILE, Call, date_cn, numeral_cn
from .check import Checked, check_call, check_paths
from .history import History, read_history
from .problems import CheckFailed, Problem, failed
from .revisions import Revision, revision_problems, topic_revisions


@dataclass(frozen=True)
class Technology:
    name: str
    trl_current: int
    trl_expected: int

    @property
    def trl_current_name(self) -> str:
        return m.trl_name(self.trl_current)

    @property
    def trl_expected_name(self) -> str:
        return m.trl_name(self.trl_expected)


@dataclass(frozen=True)
class English:
    """The English summary of a topic (``en:``), for foreign partners."""

    title: str
    summary: str  # restricted Markdown
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """One published topic: public fields only."""

    number: int
    slug: str
    title: str
    field: str
    field_other: str | None
    region: str
    partner_countries: tuple[m.Place, ...]
    project_types: tuple[str, ...]
    import_category: str | None
    provincial_funding: float
    overview: str
    key_technologies: tuple[Technology, ...]
    guide: dict[str, str]  # section key -> Markdown text, in GUIDE_SECTIONS order
    revisions: tuple[Revision, ...] = ()  # newest first
    en: English | None = None

    @property
    def partners_text(self) -> str:
        """德国、丹麦 (the Chinese names)."""
        return "、".join(p.zh for p in self.partner_countries)

    @property
    def partners_en(self) -> str:
        """Germany; Denmark (the English names)."""
        return "; ".join(p.en for p in self.partner_countries)

    @property
    def field_en(self) -> str:
        return f"{m.ENUM_EN[self.field]} ({self.field_other})" if self.field_other else m.ENUM_EN[self.field]

    @property
    def target_trl_en(self) -> str:
        return f"Level {self.target_trl} ({m.trl_name_en(self.target_trl)})"

    @property
    def updated(self) -> dt.date | None:
        """The date of the latest revision (None: unchanged since publication)."""
        return self.revisions[0].date if self.revisions else None

    @property
    def field_label(self) -> str:
        return f"{self.field}（{self.field_other}）" if self.field_other else self.field

    @property
    def target_trl(self) -> int:
        return max(t.trl_expected for t in self.key_technologies)

    @property
    def funding_text(self) -> str:
        return money(self.provincial_funding)

    @property
    def project_types_text(self) -> str:
        """引进来（国产化替代）、依托国际创新合作平台."""
        return "、".join(
            f"{t}（{self.import_category}）" if t == m.IMPORT_TYPE and self.import_category else t
            for t in self.project_types
        )

    def public_record(self) -> dict[str, Any]:
        """The open-data record (topics.json / topics.csv)."""
        return {
            "number": self.number,
            "slug": self.slug,
            "title": self.title,
            "field": self.field,
            "field_other": self.field_other,
            "region": self.region,
            "partner_countries": [p.zh for p in self.partner_countries],
            "partner_country_codes": [p.code for p in self.partner_countries],
            "project_types": list(self.project_types),
            "import_category": self.import_category,
            "provincial_funding_wan_yuan": self.provincial_funding,
            "target_trl": self.target_trl,
            "key_technologies": [
                {"name": t.name, "trl_current": t.trl_current, "trl_expected": t.trl_expected}
                for t in self.key_technologies
            ],
            "updated": self.updated.isoformat() if self.updated else None,
            "revisions": [r.record() for r in self.revisions],
            "en": {
                "title": self.en.title if self.en else None,
                "summary": self.en.summary if self.en else None,
                "keywords": list(self.en.keywords) if self.en else [],
                "field": self.field_en,
                "region": m.ENUM_EN[self.region],
                "partner_countries": [p.en for p in self.partner_countries],
                "project_types": [m.ENUM_EN[t] for t in self.project_types],
                "import_category": m.ENUM_EN[self.import_category] if self.import_category else None,
                "target_trl": m.trl_name_en(self.target_trl),
            },
        }


@dataclass(frozen=True)
class WithdrawnTopic:
    """A topic published and later withdrawn: its page stays (at the same address) and says so; its
    number stays its own (the topics after it keep theirs)."""

    number: int
    slug: str
    title: str
    field_label: str
    revisions: tuple[Revision, ...]

    @property
    def withdrawal(self) -> Revision | None:
        return next((r for r in self.revisions if r.withdrawn), None)

    @property
    def date(self) -> dt.date | None:
        return self.withdrawal.date if self.withdrawal else None

    def public_record(self) -> dict[str, Any]:
        w = self.withdrawal
        return {
            "number": self.number,
            "slug": self.slug,
            "title": self.title,
            "withdrawn": w.date.isoformat() if w else None,
            "note": w.note if w else None,
        }


@dataclass(frozen=True)
class Update:
    """One line of the 更新公告: a revision of a topic (or a withdrawn topic)."""

    topic: Topic | WithdrawnTopic
    revision: Revision


@dataclass(frozen=True)
class FieldGroup:
    number: int
    name: str
    topics: tuple[Topic, ...]

    @property
    def numeral(self) -> str:
        return numeral_cn(self.number)


@dataclass(frozen=True)
class PublishedGuide:
    """The call and its numbered topics: public data only."""

    call: Call
    groups: tuple[FieldGroup, ...]
    withdrawn: tuple[WithdrawnTopic, ...] = ()
    history_missing: str | None = None  # why no revision was read from git (None: it was)

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(t for g in self.groups for t in g.topics)

    @property
    def updates(self) -> list[Update]:
        """Every revision of the guide, newest first (then in topic order)."""
        every: list[Topic | WithdrawnTopic] = [*self.topics, *self.withdrawn]
        found = [Update(t, r) for t in every for r in t.revisions]
        return sorted(found, key=lambda u: (-u.revision.date.toordinal(), u.topic.number))

    @property
    def revision_dates(self) -> list[dt.date]:
        """The days on which the guide was revised, oldest first."""
        return sorted({u.revision.date for u in self.updates})

    @property
    def edition(self) -> int:
        """1 as published; one more for every day with a revision."""
        return 1 + len(self.revision_dates)

    @property
    def revised_on(self) -> dt.date | None:
        return self.revision_dates[-1] if self.revision_dates else None

    @property
    def edition_text(self) -> str | None:
        """第 2 版 · 2026年12月5日修订 (None as first published)."""
        return f"第 {self.edition} 版 · {date_cn(self.revised_on)}修订" if self.revised_on else None

    @property
    def partner_places(self) -> list[m.Place]:
        """The partners' countries and regions that occur, countries by their Chinese names' pinyin,
        then Hong Kong, Macao and Taiwan (regions of China, listed apart)."""
        return m.countries.sorted_places({p for t in self.topics for p in t.partner_countries})

    def neighbours(self, topic: Topic) -> tuple[Topic | None, Topic | None]:
        """The topics before and after ``topic`` in guide order."""
        topics = self.topics
        i = topics.index(topic)
        return (topics[i - 1] if i else None, topics[i + 1] if i + 1 < len(topics) else None)


def _topic(number: int, slug: str, view: dict[str, Any], history: History) -> Topic:
    """A topic from the public view of its proposal (``model.public_view``), nothing else."""
    return Topic(
        number=number,
        slug=slug,
        title=view["title"].strip(),
        field=view["field"],
        field_other=view["field_other"],
        region=view["region"],
        partner_countries=tuple(m.countries.by_zh(c) for c in view["partner_countries"] or ()),
        project_types=tuple(view["project_types"]),
        import_category=view["import_category"],
        provincial_funding=view["investment"]["provincial"],
        overview=view["overview"],
        key_technologies=tuple(
            Technology(t["name"].strip(), t["trl_current"], t["trl_expected"])
            for t in view["key_technologies"]
        ),
        guide={k: v for k in m.GUIDE_SECTIONS if (v := view["guide"][k])},
        revisions=topic_revisions(history.of(slug), view.get("revisions")),
        en=_english(view.get("en")),
    )


def _english(en: dict[str, Any] | None) -> English | None:
    if not en:
        return None
    return English(en["title"].strip(), en["summary"], tuple(k.strip() for k in en.get("keywords") or ()))


def guide_order(slug: str, p: m.Proposal) -> tuple[int, int, str]:
    """Where a topic stands in the guide: its field's official place, then ``order``, then the slug."""
    return (m.FIELDS.index(p.field), p.order if p.order is not None else 1 << 30, slug)


def publish(
    call: Call, proposals: Iterable[tuple[str, m.Proposal]], history: History | None = None
) -> PublishedGuide:
    """Accepted proposals → the numbered guide (fields in official order, then order, then slug).

    A topic published and later withdrawn (``history``) keeps its number and its page; it is
    numbered in its place and listed apart, so the numbers of the topics after it do not change."""
    history = history or History()  # none given: nothing known to have happened since publication
    listed = sorted(
        ((s, p) for s, p in proposals if p.status == "accepted" or s in history.published),
        key=lambda i: guide_order(*i),
    )
    groups: list[FieldGroup] = []
    withdrawn: list[WithdrawnTopic] = []
    number = 0
    for name in m.FIELDS:
        members = []
        for slug, p in listed:
            if p.field != name:
                continue
            number += 1
            topic = _topic(number, slug, m.public_view(p), history)
            if p.status == "accepted":
                members.append(topic)
            else:
                withdrawn.append(
                    WithdrawnTopic(number, slug, topic.title, topic.field_label, topic.revisions)
                )
        if members:
            groups.append(FieldGroup(len(groups) + 1, name, tuple(members)))
    return PublishedGuide(
        call=call, groups=tuple(groups), withdrawn=tuple(withdrawn), history_missing=history.missing
    )


def load_guide(
    root: Path, strict: bool = False, lenient_drafts: bool = False
) -> tuple[PublishedGuide, list[Checked], list[Problem]]:
    """Check ``root/proposals`` and ``root/call.yaml``, then publish; raises CheckFailed when the check fails.

    The checked files (the whole proposals, for the 汇总表 and the privacy scan) come back beside the
    public guide, never inside it. ``lenient_drafts`` (the preview): the problems of a draft that is
    readable YAML are warnings, so that a file just made by ``build.py new`` does not stop the site.
    """
    checked, problems = check_paths([root / "proposals"], root)
    if lenient_drafts:
        problems = _drafts_as_warnings(checked, problems)
    call, call_problems = check_call(root / CALL_FILE, root)
    problems = sorted(problems + call_problems)
    if call is None:
        raise CheckFailed(problems, len(checked) + 1)
    history, noted = revision_check(root, call, checked)
    problems = sorted(problems + noted)
    if failed(problems, strict):
        raise CheckFailed(problems, len(checked) + 1)
    guide = publish(call, ((c.slug, c.proposal) for c in checked if c.proposal is not None), history)
    return guide, checked, problems


def revision_check(root: Path, call: Call, checked: list[Checked]) -> tuple[History, list[Problem]]:
    """What happened to the ``checked`` files of ``root/proposals`` since publication (the working tree
    dated by the build), and the check's problems with their revision notes."""
    today = dt.datetime.fromtimestamp(build_epoch(root, call), BEIJING).date()
    history = read_history(root, call.publish_date, {c.slug: c.proposal for c in checked}, today)
    return history, sorted(revision_problems(checked, history, call.publish_date))


DRAFT_NOTE = "（草稿：预览中只提示，不影响网站；build.py check 和正式构建仍视为错误）"


def _drafts_as_warnings(checked: list[Checked], problems: list[Problem]) -> list[Problem]:
    drafts = {
        c.doc.display
        for c in checked
        if isinstance(c.doc.data, dict) and m.normalise_enum(c.doc.data.get("status"), m.STATUSES) == "draft"
    }
    return [
        replace(p, severity="warning", message=p.message + DRAFT_NOTE)
        if p.file in drafts and p.is_error
        else p
        for p in problems
    ]


def fingerprint(root: Path, strict: bool) -> tuple[object, ...]:
    """What ``load_guide`` reads, as file stats: equal fingerprints give the same guide."""
    # the git files a commit changes: the revisions since publication are read from the history
    git = [root / ".git" / "HEAD", root / ".git" / "index"]
    entries = [root / CALL_FILE, *git, *sorted((root / "proposals").iterdir())]
    stats = []
    for p in entries:
        try:
            st = p.lstat()
        except OSError:
            continue
        stats.append((p.name, st.st_mtime_ns, st.st_size, st.st_ino))
    return (str(root.resolve()), strict, tuple(stats))
