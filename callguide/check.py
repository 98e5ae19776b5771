"""The editors' check: every proposal against the format, every problem with a place and a fix.

The model (``model.py``) checks shapes, types, enumerations and limits; pydantic's
errors are translated here into stable codes and plain Chinese. Rules that span
several keys, or several files, are small functions below, one per rule.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError

from . import model as m
from .call import Call
from .loading import Document, Loc, is_surprise, load
from .markdown import unsafe_parts
from .problems import CheckFailed, Problem, Severity

_TYPE_NAMES = {
    "string_type": "文本",
    "int_type": "整数",
    "float_type": "数字",
    "list_type": "列表（每项以“- ”开头）",
    "dict_type": "键值映射",
    "model_type": "键值映射",
    "model_attributes_type": "键值映射",
    "date_type": "日期（如 2026-11-20，不加引号）",
}
_YAML_KINDS = {
    "bool": "布尔值（是/否）",
    "int": "数字",
    "float": "数字",
    "timestamp": "日期",
    "null": "空值",
}


@dataclass
class Checked:
    """A file after the check: the loaded document and, when it is valid, the proposal."""

    doc: Document
    proposal: m.Proposal | None

    @property
    def slug(self) -> str:
        return self.doc.slug


# --- pydantic errors -> problems ------------------------------------------------


def _closest(value: str, allowed: Iterable[str]) -> str | None:
    allowed = list(allowed)
    keys = {m.enum_key(a): a for a in allowed}
    match = difflib.get_close_matches(m.enum_key(value), list(keys), n=1, cutoff=0.5)
    return keys[match[0]] if match else None


def _problem_from_error(doc: Document, err: Any, root: type[BaseModel] = m.Proposal) -> Problem:
    loc: Loc = tuple(err["loc"])
    typ: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    key = m.key_path(loc)
    name = m.label(loc, root)
    line, col = doc.where(loc)
    found = None if typ == "missing" else repr(value) if not isinstance(value, str) else value

    def made(code: str, message: str, **extra: Any) -> Problem:
        return Problem(doc.display, line, col, code, key, message, **({"found": found} | extra))

    if typ == "missing":
        parent = loc[:-1]
        line, col = doc.where_key(parent) if parent else (1, 1)
        return made("required", f"缺少必填项“{name}”（{loc[-1]}）；请补上")
    if typ == "extra_forbidden":
        line, col = doc.where_key(loc)
        parent_model = m.model_at(loc[:-1], root)
        allowed = list(parent_model.model_fields) if parent_model else []
        guesses = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)
        return made(
            "unknown-key",
            f"未知的键 {loc[-1]}",
            found=str(loc[-1]),
            allowed="、".join(allowed),
            hint=f"是否想写 {guesses[0]}？" if guesses else f"允许的键：{'、'.join(allowed)}",
        )
    if typ == "literal_error":
        values = [a.strip("'") for a in ctx.get("expected", "").replace(" or ", ", ").split(", ")]
        guess = _closest(str(value), values) if isinstance(value, str) else None
        hint = f"是否想写“{guess}”？" if guess else None
        return made(
            "enum",
            f"{name}的值“{value}”不在允许范围内；可选：{'、'.join(values)}",
            allowed="、".join(values),
            hint=hint,
        )
    if typ in _TYPE_NAMES or typ == "bool_type":
        expected = _TYPE_NAMES.get(typ, "文本")
        scalar = doc.scalars.get(loc)
        if scalar and not scalar.quoted and (scalar.tag != "str" or is_surprise(value)):
            kind = _YAML_KINDS.get(scalar.tag, scalar.tag)
            if typ == "string_type":
                return made(
                    "yaml-coercion",
                    f'YAML 会把 {scalar.raw} 读成{kind}，而{name}应为文本；请加引号写成 "{scalar.raw}"',
                    found=scalar.raw,
                    allowed="文本",
                )
            if is_surprise(value):
                return made(
                    "yaml-coercion",
                    f"{scalar.raw} 的写法会被 YAML 1.1 误读（八进制、分隔符或特殊值）；请写成普通的十进制数",
                    found=scalar.raw,
                    allowed=expected,
                )
        if scalar and scalar.quoted and typ in ("int_type", "float_type", "date_type"):
            return made(
                "type",
                f'{name}应为{expected}，这里是带引号的文本 "{scalar.raw}"；请去掉引号',
                found=scalar.raw,
                allowed=expected,
            )
        got = "空值" if value is None else _YAML_KINDS.get(scalar.tag, "文本") if scalar else "列表或映射"
        return made("type", f"{name}应为{expected}，这里是{got}", allowed=expected)
    if typ in ("too_short", "too_long"):
        line, col = doc.where_key(loc)
        parent_model = m.model_at(loc[:-1], root)
        field = parent_model.model_fields.get(str(loc[-1])) if parent_model else None
        desc = field.description if field else ""
        return made(
            "list-length", f"{name}的项数为 {ctx.get('actual_length')}，不符合要求：{desc}", found=None
        )
    if typ in ("string_too_short", "string_too_long"):
        if loc == ("title",) and root is m.Proposal:
            n = len(value)
            return made("title-length", f"项目名称应为 {m.TITLE_MIN}–{m.TITLE_MAX} 个字符，当前 {n} 个")
        return made("empty-text", f"{name}不能为空；请填写内容")
    if typ == "string_pattern_mismatch" and loc[-1] != "phone":
        parent_model = m.model_at(loc[:-1], root)
        field = parent_model.model_fields.get(str(loc[-1])) if parent_model else None
        rule = (field.description or "") if field else ""
        return made("format", f"{name}“{value}”格式不对：{rule}", allowed=rule)
    if typ == "string_pattern_mismatch":
        return made(
            "phone-format",
            f"联系电话“{value}”格式不对；应为手机号（如 13812345678）或固定电话（如 0531-88881234，可带分机号 -123）",
            allowed="手机号或固定电话",
        )
    if typ in ("greater_than_equal", "less_than_equal") and loc[-1] in ("trl_current", "trl_expected"):
        return made("trl-range", f"{name}应为 {m.TRL_MIN}–{m.TRL_MAX} 的整数，当前为 {value}", allowed="1–13")
    if typ == "greater_than" and len(loc) >= 2 and loc[0] == "investment":
        return made("investment-positive", f"{name}应大于 0（单位：万元），当前为 {value}", allowed="> 0")
    if typ in ("finite_number",):
        return made("type", f"{name}应为有限的数字", allowed="数字")
    # our own PydanticCustomError codes carry their Chinese message
    return made(typ, err["msg"])


# --- rules across keys ----------------------------------------------------------

Rule = Callable[[Document, dict[str, Any]], Iterator[Problem]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def _at(doc: Document, loc: Loc, code: str, message: str, severity: Severity = "error", **kw: Any) -> Problem:
    line, col = doc.where(loc)
    return Problem(doc.display, line, col, code, m.key_path(loc), message, severity=severity, **kw)


@rule
def field_other(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    is_other = m.normalise_enum(data.get("field"), m.FIELDS) == m.OTHER_FIELD
    if is_other and not data.get("field_other"):
        yield _at(
            doc, ("field",), "field-other-required", "产业领域为“其他”时，须在 field_other 中写明具体领域"
        )
    if not is_other and data.get("field_other") is not None:
        yield _at(
            doc,
            ("field_other",),
            "field-other-forbidden",
            "只有产业领域为“其他”时才能填写 field_other；请删除该项",
        )


@rule
def import_category(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    types = data.get("project_types")
    if not isinstance(types, list):
        return
    imports = m.IMPORT_TYPE in [m.normalise_enum(t, m.PROJECT_TYPES) for t in types]
    if imports and data.get("import_category") is None:
        yield _at(
            doc,
            ("project_types",),
            "import-category-required",
            f"项目类型含“引进来”时，须填写 import_category（仅选择一种）：{'、'.join(m.IMPORT_CATEGORIES)}",
            allowed="、".join(m.IMPORT_CATEGORIES),
        )
    if not imports and data.get("import_category") is not None:
        yield _at(
            doc,
            ("import_category",),
            "import-category-forbidden",
            "项目类型不含“引进来”时不能填写 import_category；请删除该项，或在项目类型中加上“引进来”",
        )


@rule
def project_types_distinct(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    types = data.get("project_types")
    if not isinstance(types, list):
        return
    seen: set[Any] = set()
    for i, t in enumerate(types):
        norm = m.normalise_enum(t, m.PROJECT_TYPES)
        if isinstance(norm, str) and norm in seen:
            yield _at(
                doc, ("project_types", i), "duplicate-item", f"项目类型“{norm}”重复；请删除重复项", found=t
            )
        seen.add(norm)


@rule
def key_technology_names_distinct(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    techs = data.get("key_technologies")
    if not isinstance(techs, list):
        return
    seen: set[str] = set()
    for i, tech in enumerate(techs):
        name = tech.get("name") if isinstance(tech, dict) else None
        if isinstance(name, str):
            if name.strip() in seen:
                yield _at(
                    doc,
                    ("key_technologies", i, "name"),
                    "duplicate-item",
                    f"关键技术名称“{name}”与前面的重复；请合并或改名",
                    found=name,
                )
            seen.add(name.strip())


def _is_trl(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and m.TRL_MIN <= value <= m.TRL_MAX


@rule
def trl_order(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    techs = data.get("key_technologies")
    if not isinstance(techs, list):
        return
    for i, tech in enumerate(techs):
        if not isinstance(tech, dict):
            continue
        cur, exp = tech.get("trl_current"), tech.get("trl_expected")
        if not (_is_trl(cur) and _is_trl(exp)):
            continue
        loc = ("key_technologies", i, "trl_expected")
        if exp < cur:
            yield _at(
                doc,
                loc,
                "trl-order",
                f"实施预期等级（{exp}）低于当前自评等级（{cur}）；预期等级应不低于当前等级",
                found=str(exp),
                allowed=f">= {cur}",
            )
        elif exp == cur:
            yield _at(
                doc,
                loc,
                "trl-equal",
                f"实施预期等级与当前自评等级相同（{cur}级）；项目实施后技术成熟度通常应有提升，请确认",
                severity="warning",
                found=str(exp),
            )


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


@rule
def provincial_within_total(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    inv = data.get("investment")
    if not isinstance(inv, dict):
        return
    total, prov = inv.get("total"), inv.get("provincial")
    if _is_number(total) and _is_number(prov) and 0 < total < prov:
        yield _at(
            doc,
            ("investment", "provincial"),
            "investment-exceeds",
            f"省财政资金支持强度建议（{prov} 万元）高于项目计划总投入（{total} 万元）",
            found=str(prov),
            allowed=f"<= {total}",
        )


def _texts(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text of a proposal but the secret ones (the proposer's), with its key path."""
    if isinstance(data, dict):
        for k, v in data.items():
            if m.is_secret((*loc, k)):
                continue
            yield from _texts(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _texts(v, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


@rule
def markdown_safety(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    for loc, text in _texts(data):
        for kind, part in unsafe_parts(text):
            if kind == "link":
                yield _at(
                    doc,
                    loc,
                    "link-scheme",
                    f"链接“{part}”不被允许：只能链接 http、https 或 mailto 地址",
                    found=part,
                    allowed="http, https, mailto",
                )
            else:
                yield _at(
                    doc,
                    loc,
                    "raw-html",
                    f"文本中的 HTML“{part}”不会生效，将按原样显示为文字",
                    severity="warning",
                    found=part,
                )


# --- one file, many files -------------------------------------------------------


def check_document(doc: Document) -> Checked:
    if doc.data is None:
        return Checked(doc, None)
    proposal = None
    try:
        proposal = m.Proposal.model_validate(doc.data)
    except ValidationError as exc:
        doc.problems.extend(_problem_from_error(doc, err) for err in exc.errors())
    for fn in RULES:
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


def _proposers(checked: list[Checked]) -> Iterator[m.Proposer]:
    """The proposer of every file, read from its data (an invalid file's too)."""
    for item in checked:
        data = item.doc.data
        proposer = data.get(m.SECRET) if isinstance(data, dict) else None
        if isinstance(proposer, dict):
            values = {k: v for k in m.SECRET_VALUES if isinstance(v := proposer.get(k), str)}
            yield m.Proposer.model_construct(None, **({k: "" for k in m.SECRET_VALUES} | values))


def _line_of(doc: Document, loc: Loc, text: str, offset: int) -> tuple[int, int]:
    """Where ``text[offset]`` stands in the file: exact in a literal block (``|``), else the value's start."""
    line, col = doc.where(loc)
    scalar = doc.scalars.get(loc)
    if scalar is not None and scalar.style == "|":
        before = text[:offset]
        return line + 1 + before.count("\n"), 0
    return line, col


def proposer_in_public_text(checked: list[Checked]) -> Iterator[Problem]:
    """A proposer's name, organisation or phone pasted into public text: reported where it was pasted."""
    from .privacy import needles, pattern

    values = needles(_proposers(checked))
    if not values:
        return
    found = pattern(values)
    for item in checked:
        doc = item.doc
        for loc, text in _texts(doc.data):
            if not m.is_public(loc):
                continue
            for match in found.finditer(text):
                line, col = _line_of(doc, loc, text, match.start())
                if col == 0:  # in a block: the column of the match on its own line
                    col = len(text[: match.start()].rsplit("\n", 1)[-1]) + _indent(doc, line)
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


def _indent(doc: Document, line: int) -> int:
    lines = doc.text.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text) - len(text.lstrip(" ")) + 1


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
        doc.problems.extend(_problem_from_error(doc, err, Call) for err in exc.errors())
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
