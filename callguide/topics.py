"""The published guide: accepted proposals as public topics, grouped by field and numbered.

This is the only place that turns a proposal into what the public may see. The
public view is built key by key from an allow-list, so private data (``proposer``,
``investment.total``, ``report``, the private parts of key technologies) never
reaches a template, the search index or an export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import model as m
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
    call: Call
    groups: tuple[FieldGroup, ...]
    private: dict[str, m.Proposer] = field(
        repr=False, default_factory=dict
    )  # slug -> proposer, internal only
    proposals: dict[str, m.Proposal] = field(
        repr=False, default_factory=dict
    )  # slug -> full proposal, internal

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(t for g in self.groups for t in g.topics)

    def field_counts(self) -> list[tuple[str, int]]:
        return [(g.name, len(g.topics)) for g in self.groups]


def money(value: float) -> str:
    """万元 amounts as written in the guide: 500, 1850.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _topic(number: int, slug: str, p: m.Proposal) -> Topic:
    return Topic(
        number=number,
        slug=slug,
        title=p.title.strip(),
        field=p.field,
        field_other=p.field_other,
        region=p.region,
        partner_countries=tuple(p.partner_countries or ()),
        project_types=tuple(p.project_types),
        import_category=p.import_category,
        provincial_funding=p.investment.provincial,
        overview=p.overview,
        key_technologies=tuple(
            Technology(t.name.strip(), t.trl_current, t.trl_expected) for t in p.key_technologies
        ),
        guide={k: v for k in m.GUIDE_SECTIONS if (v := getattr(p.guide, k))},
    )


def _sort_key(item: tuple[str, m.Proposal]) -> tuple[int, int, str]:
    slug, p = item
    return (m.FIELDS.index(p.field), p.order if p.order is not None else 1 << 30, slug)


def publish(call: Call, proposals: Iterable[tuple[str, m.Proposal]]) -> PublishedGuide:
    """Accepted proposals → the numbered guide (fields in official order, then order, then slug)."""
    accepted = sorted(((s, p) for s, p in proposals if p.status == "accepted"), key=_sort_key)
    groups: list[FieldGroup] = []
    number = 0
    for name in m.FIELDS:
        members = []
        for slug, p in accepted:
            if p.field == name:
                number += 1
                members.append(_topic(number, slug, p))
        if members:
            groups.append(FieldGroup(len(groups) + 1, name, tuple(members)))
    return PublishedGuide(
        call=call,
        groups=tuple(groups),
        private={s: p.proposer for s, p in accepted},
        proposals=dict(accepted),
    )


def load_guide(root: Path, strict: bool = False) -> tuple[PublishedGuide, list[Checked], list[Problem]]:
    """Check ``root/proposals`` and ``root/call.yaml``, then publish; raises CheckFailed when the check fails."""
    checked, problems = check_paths([root / "proposals"], root)
    call, call_problems = check_call(root / CALL_FILE, root)
    problems = sorted(problems + call_problems)
    if call is None or failed(problems, strict):
        raise CheckFailed(problems, len(checked) + 1)
    guide = publish(call, ((c.slug, c.proposal) for c in checked if c.proposal is not None))
    return guide, checked, problems


_CACHE: dict[tuple[object, ...], tuple[PublishedGuide, list[Checked], list[Problem]]] = {}


def _fingerprint(root: Path, strict: bool) -> tuple[object, ...]:
    entries = [root / "call.yaml", *sorted((root / "proposals").iterdir())]
    stats = []
    for p in entries:
        try:
            st = p.lstat()
        except OSError:
            continue
        stats.append((p.name, st.st_mtime_ns, st.st_size, st.st_ino))
    return (str(root.resolve()), strict, tuple(stats))


def load_guide_cached(
    root: Path, strict: bool = False
) -> tuple[PublishedGuide, list[Checked], list[Problem]]:
    """``load_guide``, remembered while no input file changes (one check per build, fast serve reloads)."""
    key = _fingerprint(root, strict)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = load_guide(root, strict)
    return _CACHE[key]
