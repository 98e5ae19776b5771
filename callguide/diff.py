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
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import COMMAND
from . import model as m
from .check import Checked, check_paths
from .errors import CallGuideError
from .privacy import needles, pattern
from .problems import Problem
from .topics import guide_order, money

Loc = tuple[str | int, ...]
PROPOSALS = "proposals"
STATUS_NAMES = {"accepted": "采纳", "draft": "草稿", "withdrawn": "撤回"}
PRIVATE_NOTE = "（不公开，内容不显示）"
MASK = "〔已隐去〕"
WRAP_COLUMNS = 80  # display columns of a line in a diff block (a CJK character counts 2)
_INLINE_MAX = 60  # longer (or multi-line) text is shown as a diff block
_ESCAPE = re.compile(r"([\\`*_\[\]<>|&~])")


class GitError(CallGuideError):
    """git could not answer: not a repository, or an unknown ref (a usage error: exit 2)."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message, stage="比较")


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


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("找不到 git 命令；请先安装 git") from exc
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return result.stdout


def resolve(root: Path, base: str) -> str:
    """The commit id of ``base``; raises GitError for a bad ref or outside a repository."""
    try:
        _git(root, "rev-parse", "--git-dir")
    except GitError as exc:
        raise GitError(f"{root} 不在 git 仓库中（{exc}）") from exc
    if base.startswith("-"):
        raise GitError(f"“{base}”不是 git 版本")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"git 中找不到版本“{base}”（分支、标签或提交）") from None


def _base_side(root: Path, commit: str, tmp: Path) -> Side:
    """``proposals/`` as it was at ``commit``, written into ``tmp`` and checked there."""
    listing = _git(root, "ls-tree", "-z", commit, "--", f"{PROPOSALS}/")
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        entries.append((mode, kind, oid, Path(os.fsdecode(path)).name))
    blobs = [(mode, oid, name) for mode, kind, oid, name in entries if kind == "blob"]  # no subfolders
    contents = _cat_blobs(root, [oid for _, oid, _ in blobs])
    target = tmp / PROPOSALS
    target.mkdir(parents=True)
    for (mode, _, name), data in zip(blobs, contents, strict=True):
        file = target / name
        if mode == "120000":  # a symlink: the check reports it as such
            file.symlink_to(os.fsdecode(data))
        else:
            file.write_bytes(data)
    return _checked_side(target, tmp)


def _cat_blobs(root: Path, oids: list[str]) -> list[bytes]:
    if not oids:
        return []
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    contents, pos = [], 0
    for _ in oids:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        contents.append(out[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return contents


# --- comparing two proposals --------------------------------------------------------


@dataclass(frozen=True)
class Change:
    loc: Loc
    old: Any
    new: Any

    @property
    def public(self) -> bool:
        return m.is_public(self.loc)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return _lines(a) == _lines(b)
    return bool(a == b)


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


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


# --- Markdown -------------------------------------------------------------------------


def _inline(value: Any) -> str:
    """A value on one line of Markdown, with Markdown's special characters escaped."""
    if value is None or value == [] or value == ():
        return "（无）"
    if isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value)
    elif isinstance(value, float):
        value = money(value)
    return _ESCAPE.sub(r"\\\1", " ".join(str(value).split()))


def _code(text: str) -> str:
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def label(loc: Loc) -> str:
    name = m.label(loc)
    if loc[0] == "report" and len(loc) > 1:
        return f"说明报告·{name}"
    if loc[0] == "proposer" and len(loc) > 1:
        return f"建议来源·{name}"
    return name


def _technology(t: m.KeyTechnology) -> str:
    return f"{_inline(t.name)}（当前 {_trl(t.trl_current)}，预期 {_trl(t.trl_expected)}）"


def _trl(level: int) -> str:
    return f"{level}级（{m.trl_name(level)}）"


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _wrap(line: str, columns: int = WRAP_COLUMNS) -> list[str]:
    """A long line cut into pieces of at most ``columns`` display columns (code blocks do not wrap)."""
    pieces, current, width = [], "", 0
    for ch in line:
        w = _width(ch)
        if width + w > columns and current:
            pieces.append(current)
            current, width = "", 0
        current += ch
        width += w
    pieces.append(current)
    return pieces


def text_diff(old: str | None, new: str | None) -> list[str]:
    """The whole text, old and new lines marked ``-``/``+``, wrapped for a ``diff`` code block."""
    a, b = _lines(old or ""), _lines(new or "")
    out: list[str] = []
    for line in list(difflib.unified_diff(a, b, lineterm="", n=max(len(a), len(b))))[3:]:
        mark, body = line[:1], line[1:]
        out.extend(f"{mark}{piece}" for piece in _wrap(body))
    return out


def _block(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return [
        "",
        "  <details><summary>修改前后（- 删除，+ 新增）</summary>",
        "",
        f"  {fence}diff",
        *(f"  {line}".rstrip() for line in lines),
        f"  {fence}",
        "",
        "  </details>",
        "",
    ]


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and ("\n" in value.strip() or len(value.strip()) > _INLINE_MAX)


def change_lines(change: Change) -> list[str]:
    head = f"- **{label(change.loc)}**"
    if not change.public:
        return [f"{head}：已修改{PRIVATE_NOTE}"]
    old, new = change.old, change.new
    if change.loc[0] == "key_technologies" and len(change.loc) == 2:
        if old is None:
            return [f"{head}：新增 {_technology(new)}"]
        return [f"{head}：删除 {_technology(old)}"]
    if change.loc[-1] in ("trl_current", "trl_expected"):
        return [f"{head}：{_trl(old)} → {_trl(new)}"]
    if _is_long(old) or _is_long(new):
        return [f"{head}：已修改", *_block(text_diff(old, new))]
    return [f"{head}：{_inline(old)} → {_inline(new)}"]


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
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[list[str]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        out = [
            f"## 指南专题变更：{_code(self.base)} → 工作区",
            "",
            f"发布的专题：{self.old.count()} → {self.new.count()}"
            f"（新增 {len(self.added)}，删除 {len(self.removed)}，修改 {len(self.changed)}）",
            "",
        ]
        if not (self.added or self.removed or self.changed or self.invalid):
            out += ["没有专题变更。", ""]
        if self.added:
            out += [f"### 新增专题（{len(self.added)}）", "", *self.added, ""]
        if self.removed:
            out += [f"### 删除专题（{len(self.removed)}）", "", *self.removed, ""]
        if self.changed:
            out += [f"### 修改专题（{len(self.changed)}）", ""]
            for lines in self.changed:
                out += lines
        if self.invalid:
            out += [f"### 未通过检查的文件（{len(self.invalid)}）", "", *self.invalid, ""]
            out += [f"运行 `{COMMAND} check` 查看问题和修改方法。", ""]
        return "\n".join(out).rstrip("\n") + "\n"


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


def _proposers(side: Side) -> Iterator[m.Proposer]:
    for item in side.files.values():
        data = item.doc.data
        proposer = data.get("proposer") if isinstance(data, dict) else None
        if isinstance(proposer, dict):
            values = {k: proposer.get(k) for k in ("name", "organization", "phone")}
            if all(isinstance(v, str) for v in values.values()):
                yield m.Proposer.model_construct(**values)


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
        old = _base_side(root, commit, Path(tmp))
        new = _checked_side(root / PROPOSALS, root)
        text = compare(base, old, new).markdown()
        text, leaked = mask(text, needles([*_proposers(old), *_proposers(new)]))
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
