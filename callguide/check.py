"""The editors' check: every proposal against the format, every problem with a place and a fix.

The model (``model.py``) checks shapes, types, enumerations and limits; ``messages.py`` turns
pydantic's errors into stable codes and plain Chinese; ``rules.py`` holds the rules that span
several keys of a proposal. This module checks whole files and what spans several files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from . import model as m
from .call import Call, milestone_problems
from .loading import Document, load
from .messages import problem_from_error
from .problems import CheckFailed, Problem
from .rules import RULES, VALID_RULES, texts


@dataclass
class Checked:
    """A file after the check: the loaded document and, when it is valid, the proposal."""

    doc: Document
    proposal: m.Proposal | None

    @property
    def slug(self) -> str:
        return self.doc.slug


# --- one file, many files -------------------------------------------------------


def check_document(doc: Document) -> Checked:
    if doc.data is None:
        return Checked(doc, None)
    proposal = None
    try:
        proposal = m.Proposal.model_validate(doc.data)
    except ValidationError as exc:
        doc.problems.extend(problem_from_error(doc, err) for err in exc.errors())
    for fn in RULES:
        doc.problems.extend(fn(doc, doc.data))
    if proposal is not None:
        for fn in VALID_RULES:
            doc.problems.extend(fn(doc, doc.data))
    if any(p.is_error for p in doc.problems):
        proposal = None
    return Checked(doc, proposal)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The files to check: files as given, directories' entries (hidden ones excepted)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for entry in sorted(path.iterdir()):
                if entry.name.startswith("."):
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    problems.append(
                        Problem(
                            str(entry),
                            1,
                            1,
                            "file-unexpected",
                            "",
                            "proposals/ 中不应有子目录；每个建议是一个 .yaml 文件",
                        )
                    )
                    continue
                files.append(entry)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            problems.append(Problem(str(path), 1, 1, "file-missing", "", "文件不存在"))
    return files, problems


def proposers(checked: Iterable[Checked]) -> Iterator[m.Proposer]:
    """The proposer of every file, read from its data (an invalid file's too)."""
    for item in checked:
        data = item.doc.data
        proposer = data.get(m.SECRET) if isinstance(data, dict) else None
        if isinstance(proposer, dict):
            values = {k: v for k in m.SECRET_VALUES if isinstance(v := proposer.get(k), str)}
            yield m.Proposer.model_construct(None, **({k: "" for k in m.SECRET_VALUES} | values))


def proposer_in_public_text(checked: list[Checked]) -> Iterator[Problem]:
    """A proposer's name, organisation or phone pasted into public text: reported where it was pasted."""
    from .privacy import needles, pattern

    values = needles(proposers(checked))
    if not values:
        return
    found = pattern(values)
    for item in checked:
        doc = item.doc
        for loc, text in texts(doc.data):
            if not m.is_public(loc):
                continue
            for match in found.finditer(text):
                line, col = doc.place(loc, text, match.start())
                yield Problem(
                    doc.display,
                    line,
                    col,
                    "proposer-in-public",
                    m.key_path(loc),
                    f"{m.label(loc)}中出现了建议人信息“{match.group()}”；建议单位、建议人和联系电话绝不公开，"
                    "请从这段文字中删除（只写在 proposer 中）",
                    found=match.group(),
                )


def cross_file(checked: list[Checked]) -> Iterator[Problem]:
    """Unique slugs and unique titles among accepted proposals."""
    by_slug: dict[str, Checked] = {}
    by_title: dict[str, Checked] = {}
    for item in checked:
        doc = item.doc
        if doc.data is None:
            continue
        first = by_slug.setdefault(doc.slug, item)
        if first is not item:
            yield Problem(
                doc.display,
                1,
                1,
                "duplicate-slug",
                "",
                f"编号 {doc.slug} 与 {first.doc.display} 重复；请改文件名",
            )
        data = doc.data
        status = m.normalise_enum(data.get("status", "accepted"), m.STATUSES)
        title = data.get("title")
        if status != "accepted" or not isinstance(title, str):
            continue
        seen = by_title.setdefault(title.strip(), item)
        if seen is not item:
            line, col = doc.where(("title",))
            yield Problem(
                doc.display,
                line,
                col,
                "duplicate-title",
                "title",
                f"项目名称与 {seen.doc.display} 相同；已采纳的建议名称不得重复",
                found=title,
            )


def check_call(path: Path, root: Path | None = None) -> tuple[Call | None, list[Problem]]:
    """Check ``call.yaml`` like a proposal: the same loader, positions, codes and messages."""
    doc = load(path, root)
    if doc.data is None:
        return None, sorted(doc.problems)
    call = None
    try:
        call = Call.model_validate(doc.data)
    except ValidationError as exc:
        doc.problems.extend(problem_from_error(doc, err, Call) for err in exc.errors())
    if call is not None:
        for loc, code, message in milestone_problems(call):
            doc.problem(
                code, doc.where_key(loc) if len(loc) == 1 else doc.where(loc), m.key_path(loc), message
            )
    if any(p.is_error for p in doc.problems):  # the loader's too: a duplicate key keeps the first value
        call = None
    return call, sorted(doc.problems)


def load_call(path: Path) -> Call:
    """``call.yaml`` as a Call; raises CheckFailed (with the problems) when it is not valid."""
    call, problems = check_call(path)
    if call is None:
        raise CheckFailed(problems, 1)
    return call


def check_paths(paths: Iterable[Path], root: Path | None = None) -> tuple[list[Checked], list[Problem]]:
    """Check every file; returns the checked files and all problems (nothing raised for bad input)."""
    files, problems = discover(paths)
    checked = [check_document(load(f, root)) for f in files]
    for item in checked:
        problems.extend(item.doc.problems)
    extra = [*cross_file(checked), *proposer_in_public_text(checked)]
    problems.extend(extra)
    bad = {p.file for p in extra if p.is_error}
    for item in checked:
        if item.doc.display in bad:
            item.proposal = None
    return checked, sorted(problems)
