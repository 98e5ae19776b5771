"""``.venv/bin/python build.py diff BASE``: the topics added, removed and changed since a git ref, in Markdown.

Both sides go through the project's own check: the base version of ``proposals/``
is read from git (``git ls-tree`` / ``git cat-file``) into a temporary directory
and checked there, the working tree is checked in place; only valid proposals are
compared, field by field. A topic is "published" when its proposal is valid and
``accepted``, so a status change counts as an addition or a removal.

Public fields are shown with their old and new text; private fields (the
proposer, the total investment, the report, the private parts of key
technologies) are reported as changed, never with their values. As a second
line of defence, any proposer value that still reaches the output is masked.

Git is asked in ``gitsource.py``; a change is written as Markdown by ``difftext.py``; the report's
layout is ``templates/diff/report.md.j2``.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import COMMAND
from . import model as m
from .check import Checked, check_paths, proposers
from .compare import changes
from .difftext import _code, _inline, change_lines
from .gitsource import GitError, resolve, write_tree
from .guide import guide_order
from .privacy import needles, pattern
from .problems import Problem
from .render import environment

PROPOSALS = "proposals"
STATUS_NAMES = {"accepted": "采纳", "draft": "草稿", "withdrawn": "撤回"}
MASK = "〔已隐去〕"


# --- the two sides ----------------------------------------------------------------


@dataclass
class Side:
    """One side of the comparison: every entry of ``proposals/`` by file name, checked."""

    files: dict[str, Checked] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)

    def published(self, name: str) -> m.Proposal | None:
        item = self.files.get(name)
        if item is None or item.proposal is None or item.proposal.status != "accepted":
            return None
        return item.proposal

    def valid(self, name: str) -> bool:
        item = self.files.get(name)
        return item is not None and item.proposal is not None

    def count(self) -> int:
        return sum(self.published(name) is not None for name in self.files)


def _checked_side(proposals_dir: Path, root: Path) -> Side:
    side = Side()
    if not proposals_dir.is_dir():
        return side
    checked, problems = check_paths([proposals_dir], root)
    for item in checked:
        side.files[item.doc.path.name] = item
    for p in problems:
        side.problems.setdefault(Path(p.file).name, []).append(p)
    return side


def _status(value: str) -> str:
    return f"{value}（{STATUS_NAMES.get(value, value)}）"


def _where(name: str) -> str:
    return _code(f"{PROPOSALS}/{name}")


def _topic_head(p: m.Proposal, name: str) -> str:
    field_label = f"{p.field}（{p.field_other}）" if p.field_other else p.field
    return f"**{_inline(p.title.strip())}**（{_inline(field_label)}，{_where(name)}）"


def _state(side: Side, name: str) -> str:
    item = side.files.get(name)
    if item is None:
        return "无此文件"
    if item.proposal is not None:
        return f"有效，{_status(item.proposal.status)}"
    errors = sorted({(p.code, p.key) for p in side.problems.get(name, []) if p.is_error})
    found = "、".join(_code(code) + (f"（{_code(key)}）" if key else "") for code, key in errors)
    return f"未通过检查（{found or '无法读取'}）"


@dataclass
class Report:
    """The comparison, section by section, as Markdown lines."""

    base: str
    old: Side
    new: Side

    def code(self, text: str) -> str:
        return _code(text)

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[list[str]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def markdown(self, templates: Path) -> str:
        text = (
            environment(templates, html=False)
            .get_template("diff/report.md.j2")
            .render(report=self, COMMAND=COMMAND)
        )
        return text.rstrip("\n") + "\n"

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.invalid)


def _guide_order(name: str, p: m.Proposal) -> tuple[int, int, str]:
    return guide_order(Path(name).stem, p)


def compare(base: str, old: Side, new: Side) -> Report:
    """Sort every file into added, removed, changed or invalid (in guide order)."""
    report = Report(base, old, new)
    added: list[tuple[tuple[int, int, str], str]] = []
    removed: list[tuple[tuple[int, int, str], str]] = []
    changed: list[tuple[tuple[int, int, str], list[str]]] = []
    for name in sorted(set(old.files) | set(new.files)):
        in_old, in_new = name in old.files, name in new.files
        if (in_old and not old.valid(name)) or (in_new and not new.valid(name)):
            report.invalid.append(f"- {_where(name)}：修改前{_state(old, name)}；现在{_state(new, name)}")
            continue
        a, b = old.published(name), new.published(name)
        if a is None and b is not None:
            before = old.files.get(name)
            why = "新文件"
            if before is not None and before.proposal is not None:
                why = f"状态由 {_status(before.proposal.status)} 改为 {_status(b.status)}"
            added.append((_guide_order(name, b), f"- {_topic_head(b, name)}：{why}"))
        elif a is not None and b is None:
            after = new.files.get(name)
            why = "文件已删除"
            if after is not None and after.proposal is not None:
                why = f"状态改为 {_status(after.proposal.status)}，不再发布"
            removed.append((_guide_order(name, a), f"- {_topic_head(a, name)}：{why}"))
        elif a is not None and b is not None and (found := changes(a, b)):
            lines = [f"#### {_inline(b.title.strip())}（{_where(name)}）", ""]
            for change in found:
                lines += change_lines(change)
            changed.append((_guide_order(name, b), [*lines, ""]))
    report.added = [line for _, line in sorted(added)]
    report.removed = [line for _, line in sorted(removed)]
    report.changed = [lines for _, lines in sorted(changed, key=lambda x: x[0])]
    return report


# --- privacy: mask any proposer value that reached the output ----------------------------


def mask(text: str, values: set[str]) -> tuple[str, bool]:
    if not values:
        return text, False
    masked = pattern(values).sub(MASK, text)
    return masked, masked != text


# --- the command --------------------------------------------------------------------


def diff_markdown(root: Path, base: str) -> str:
    """The change summary of ``root/proposals`` against git ref ``base``; raises GitError."""
    commit = resolve(root, base)
    with tempfile.TemporaryDirectory(prefix="callguide-diff-") as tmp:
        old = _checked_side(write_tree(root, commit, PROPOSALS, Path(tmp)), Path(tmp))
        new = _checked_side(root / PROPOSALS, root)
        text = compare(base, old, new).markdown(root / "templates")
        text, leaked = mask(text, needles([*proposers(old.files.values()), *proposers(new.files.values())]))
    if leaked:
        text += f"\n> **注意**：公开字段中出现了建议人信息（已显示为{MASK}）；请从公开字段中删除。\n"
    return text


def diff_command(root: Path, base: str) -> int:
    """``build.py diff BASE``: Markdown on stdout; exit 0, or 2 when BASE is not a git ref."""
    try:
        text = diff_markdown(root, base)
    except GitError as exc:
        print(f"无法比较：{exc}。用法：{COMMAND} diff BASE（如 origin/main）", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0
