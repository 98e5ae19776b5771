"""The rules that span several keys of one proposal: one small function per rule, in ``RULES``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeGuard

from . import model as m
from .loading import Document, Loc
from .markdown import unsafe_parts
from .problems import Problem, Severity

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


def texts(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text of a proposal but the secret ones (the proposer's), with its key path."""
    if isinstance(data, dict):
        for k, v in data.items():
            if m.is_secret((*loc, k)):
                continue
            yield from texts(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from texts(v, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


@rule
def markdown_safety(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    for loc, text in texts(data):
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
