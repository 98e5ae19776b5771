"""The published guide: accepted proposals as public topics, grouped by field and numbered.

This is the only place that turns a proposal into what the public may see, and it sees only
``model.public_view``: the model's allow-list of public data. Private data (``proposer``,
``investment.total``, ``report``, the private parts of key technologies) is not in a
``PublishedGuide`` at all, so no template, search index or open-data file can reach it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import model as m
from .model import money

__all__ = ["money"]  # re-exported: exports, diff and the tests write amounts with it
from .call import CALL_FILE, Call, numeral_cn
from .check import Checked, check_call, check_paths
from .problems import CheckFailed, Problem, failed


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
class Topic:
    """One published topic: public fields only."""

    number: int
    slug: str
    title: str
    field: str
    field_other: str | None
    region: str
    partner_countries: tuple[str, ...]
    project_types: tuple[str, ...]
    import_category: str | None
    provincial_funding: float
    overview: str
    key_technologies: tuple[Technology, ...]
    guide: dict[str, str]  # section key -> Markdown text, in GUIDE_SECTIONS order

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
            "partner_countries": list(self.partner_countries),
            "project_types": list(self.project_types),
            "import_category": self.import_category,
            "provincial_funding_wan_yuan": self.provincial_funding,
            "target_trl": self.target_trl,
            "key_technologies": [
                {"name": t.name, "trl_current": t.trl_current, "trl_expected": t.trl_expected}
                for t in self.key_technologies
            ],
        }


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

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(t for g in self.groups for t in g.topics)


def _topic(number: int, slug: str, view: dict[str, Any]) -> Topic:
    """A topic from the public view of its proposal (``model.public_view``), nothing else."""
    return Topic(
        number=number,
        slug=slug,
        title=view["title"].strip(),
        field=view["field"],
        field_other=view["field_other"],
        region=view["region"],
        partner_countries=tuple(view["partner_countries"] or ()),
        project_types=tuple(view["project_types"]),
        import_category=view["import_category"],
        provincial_funding=view["investment"]["provincial"],
        overview=view["overview"],
        key_technologies=tuple(
            Technology(t["name"].strip(), t["trl_current"], t["trl_expected"])
            for t in view["key_technologies"]
        ),
        guide={k: v for k in m.GUIDE_SECTIONS if (v := view["guide"][k])},
    )


def guide_order(slug: str, p: m.Proposal) -> tuple[int, int, str]:
    """Where a topic stands in the guide: its field's official place, then ``order``, then the slug."""
    return (m.FIELDS.index(p.field), p.order if p.order is not None else 1 << 30, slug)


def publish(call: Call, proposals: Iterable[tuple[str, m.Proposal]]) -> PublishedGuide:
    """Accepted proposals → the numbered guide (fields in official order, then order, then slug)."""
    accepted = sorted(((s, p) for s, p in proposals if p.status == "accepted"), key=lambda i: guide_order(*i))
    groups: list[FieldGroup] = []
    number = 0
    for name in m.FIELDS:
        members = []
        for slug, p in accepted:
            if p.field == name:
                number += 1
                members.append(_topic(number, slug, m.public_view(p)))
        if members:
            groups.append(FieldGroup(len(groups) + 1, name, tuple(members)))
    return PublishedGuide(call=call, groups=tuple(groups))


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
    if call is None or failed(problems, strict):
        raise CheckFailed(problems, len(checked) + 1)
    guide = publish(call, ((c.slug, c.proposal) for c in checked if c.proposal is not None))
    return guide, checked, problems


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
    entries = [root / CALL_FILE, *sorted((root / "proposals").iterdir())]
    stats = []
    for p in entries:
        try:
            st = p.lstat()
        except OSError:
            continue
        stats.append((p.name, st.st_mtime_ns, st.st_size, st.st_ino))
    return (str(root.resolve()), strict, tuple(stats))
