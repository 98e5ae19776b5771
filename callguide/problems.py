"""The Problem record and its text, JSON and GitHub formatters."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from .errors import CallGuideError

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to change: where, what was found, what is allowed."""

    file: str
    line: int
    column: int
    code: str
    key: str
    message: str
    severity: Severity = "error"
    found: str | None = None
    allowed: str | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def full_message(self) -> str:
        parts = [self.message]
        if self.hint:
            parts.append(self.hint)
        text = "；".join(p.rstrip("。；") for p in parts)
        return text if text.endswith(("？", "！")) else text + "。"


class CheckFailed(CallGuideError):
    """The check found errors: the build stops before it writes anything. ``checked``: files checked."""

    def __init__(self, problems: list[Problem], checked: int, strict: bool = False):
        super().__init__(format_text(problems, checked, strict).rstrip("\n"), stage="检查")
        self.problems = problems
        self.checked = checked


def counts(problems: Sequence[Problem]) -> tuple[int, int, int]:
    errors = sum(p.is_error for p in problems)
    files = len({p.file for p in problems})
    return errors, len(problems) - errors, files


def summary(problems: Sequence[Problem], checked: int, strict: bool = False) -> str:
    errors, warnings, files = counts(problems)
    failed = errors > 0 or (strict and warnings > 0)
    if not problems:
        return f"检查通过：共 {checked} 个文件，没有发现问题。"
    head = "检查未通过" if failed else "检查通过"
    return f"{head}：{errors} 个错误，{warnings} 个警告，涉及 {files} 个文件（共检查 {checked} 个文件）。"


def format_text(problems: Sequence[Problem], checked: int, strict: bool = False) -> str:
    lines = []
    for p in sorted(problems):
        where = f"{p.file}:{p.line}:{p.column}"
        key = f": {p.key}" if p.key else ""
        lines.append(f"{where}: {p.severity} {p.code}{key}")
        lines.append(f"  {p.full_message()}")
    lines.append(summary(problems, checked, strict))
    return "\n".join(lines) + "\n"


def format_json(problems: Sequence[Problem], checked: int, strict: bool = False) -> str:
    errors, warnings, files = counts(problems)
    doc = {
        "problems": [asdict(p) | {"full_message": p.full_message()} for p in sorted(problems)],
        "summary": {
            "checked": checked,
            "errors": errors,
            "warnings": warnings,
            "files_with_problems": files,
            "passed": not (errors or (strict and warnings)),
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem], checked: int, strict: bool = False) -> str:
    """GitHub Actions workflow commands: the problems appear on the pull request's diff."""
    lines = []
    for p in sorted(problems):
        level = "error" if p.is_error or strict else "warning"
        props = (
            f"file={_escape_property(p.file)},line={p.line},col={p.column},title={_escape_property(p.code)}"
        )
        body = f"{p.key}: {p.full_message()}" if p.key else p.full_message()
        lines.append(f"::{level} {props}::{_escape_data(body)}")
    lines.append(summary(problems, checked, strict))
    return "\n".join(lines) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


def failed(problems: Iterable[Problem], strict: bool = False) -> bool:
    return any(p.is_error or strict for p in problems)
