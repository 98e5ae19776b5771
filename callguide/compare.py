"""Two valid proposals compared key by key: what ``build.py diff`` reports and what makes a revision."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import model as m

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Change:
    loc: Loc
    old: Any
    new: Any

    @property
    def public(self) -> bool:
        return m.is_public(self.loc)


def lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return lines(a) == lines(b)
    return bool(a == b)


def changes(old: m.Proposal, new: m.Proposal) -> list[Change]:
    """Every differing key of two valid proposals, in the model's order (status excepted)."""
    out: list[Change] = []
    for name in m.Proposal.model_fields:
        if name == "status":
            continue
        a, b = getattr(old, name), getattr(new, name)
        if name == "key_technologies":
            out.extend(_technology_changes(a, b))
        elif name in m.SUBMODELS:
            sub = m.SUBMODELS[name]
            for key in sub.model_fields:
                va, vb = getattr(a, key, None), getattr(b, key, None)
                if not _same(va, vb):
                    out.append(Change((name, key), va, vb))
        elif not _same(a, b):
            out.append(Change((name,), a, b))
    return out


def _technology_changes(old: list[m.KeyTechnology], new: list[m.KeyTechnology]) -> Iterator[Change]:
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a is None or b is None:
            yield Change(("key_technologies", i), a, b)
            continue
        for key in m.KeyTechnology.model_fields:
            va, vb = getattr(a, key), getattr(b, key)
            if not _same(va, vb):
                yield Change(("key_technologies", i, key), va, vb)


# How a changed public key is named in a revision record: by its section on the topic page.
_PART_OF = {
    "field_other": "field",
    "import_category": "project_types",
}
_PART_LABELS = {
    "investment": "省财政资金支持强度",
    "key_technologies": "关键技术",
}


def public_parts(found: list[Change]) -> tuple[str, ...]:
    """The public parts of a topic that ``found`` touches, by their labels, in the model's order.

    ``status``, ``order``, the revision notes themselves and the English summary are not the guide's
    content (``model.OUTSIDE_REVISIONS``); private keys are no part."""
    parts: list[str] = []
    for change in found:
        loc = change.loc
        if loc[0] in m.OUTSIDE_REVISIONS or not m.is_public(loc):
            continue
        name = _PART_OF.get(str(loc[0]), str(loc[0]))
        key = f"guide.{loc[1]}" if name == "guide" else name
        label = _PART_LABELS.get(key) or m.LABELS[key]
        if label not in parts:
            parts.append(label)
    return tuple(parts)
