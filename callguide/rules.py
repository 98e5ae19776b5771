"""The rules that span several keys of one proposal: one small function per rule, in ``RULES``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeGuard

from . import model as m
from .call import date_cn
from .loading import Document, Loc
from .markdown import unsafe_parts
from .messages import list_items
from .naming import misnamed
from .problems import Problem, Severity

Rule = Callable[[Document, dict[str, Any]], Iterator[Problem]]
RULES: list[Rule] = []
VALID_RULES: list[Rule] = []  # run only when the model accepted every value


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def on_valid(fn: Rule) -> Rule:
    """A rule about values that are each valid: it would only repeat a problem already reported."""
    VALID_RULES.append(fn)
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


def _named_types(types: Any) -> list[str]:
    """The project types an editor named, also where they wrote several in one text (引进来，走出去):
    the type problem is reported once, not followed by a false one about ``import_category``."""
    items = types if isinstance(types, list) else [types] if isinstance(types, str) else []
    return [m.normalise_enum(p, m.PROJECT_TYPES) for t in items if isinstance(t, str) for p in list_items(t)]


@rule
def import_category(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    types = data.get("project_types")
    if not isinstance(types, list | str):
        return
    imports = m.IMPORT_TYPE in _named_types(types)
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
    seen: set[str] = set()
    for i, t in enumerate(types):
        norm = m.normalise_enum(t, m.PROJECT_TYPES)
        if not isinstance(norm, str):  # a list or mapping in the list: the model reports its type
            continue
        if norm in seen:
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


@rule
def regions_named_as_regions(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    """Public text that names Hong Kong, Macao or Taiwan as a country (callguide.naming): a warning."""
    for loc, text in texts(data):
        if not m.is_public(loc) or loc[:1] == ("partner_countries",):  # the names there are checked
            continue
        for found, fix in misnamed(text):
            yield _at(
                doc,
                loc,
                "naming",
                f"“{found}”把港澳台称作国家或不合规范",
                severity="warning",
                found=found,
                hint=fix,
            )


# --- what would be lost or misread when published ----------------------------------------------

_BULLET = re.compile(r"^[ \t]*([•●◆■▪·○◇□►▶✓√]|[\u2460-\u2473])")
_SENTENCE_END = re.compile(r"[。！？；!?;]$")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#)")


def _lines_of(doc: Document, loc: Loc, text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of a literal block's lines: the only text whose line breaks reach Markdown."""
    scalar = doc.scalars.get(loc)
    if scalar is None or scalar.style != "|":
        return
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@rule
def pasted_layout(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    """Word bullets and paragraphs on consecutive lines: published as one run-on paragraph."""
    for loc, text in texts(data):
        previous = ""
        joined = False
        for offset, line in _lines_of(doc, loc, text):
            if match := _BULLET.match(line):
                line_no, col = doc.place(loc, text, offset + match.start(1))
                yield Problem(
                    doc.display, line_no, col, "pasted-bullet", m.key_path(loc),
                    f"这一行以“{match.group(1)}”开头（从 Word 粘贴的项目符号或编号）：发布后不会显示为列表，"
                    "并与上一行连成一段",
                    severity="warning", found=match.group(1),
                    hint="无序列表请改为“- ”开头，有序列表请改为“1. ”“2. ”开头",
                )  # fmt: skip
            elif (
                not joined
                and previous.strip()
                and line.strip()
                and _SENTENCE_END.search(previous.strip())
                and not _BLOCK_START.match(line)
                and not previous.lstrip().startswith("|")
                and _indent(line) <= _indent(previous)  # an indented line continues on purpose
            ):
                joined = True  # once per text: the fix is the same for every paragraph
                line_no, col = doc.place(loc, text, offset + len(line) - len(line.lstrip()))
                yield Problem(
                    doc.display, line_no, col, "single-line-break", m.key_path(loc),
                    "这一段与上一段之间只有一个换行，发布后两段会连成一段",
                    severity="warning",
                    hint="分段请在两段之间空一行",
                )  # fmt: skip
            previous = line


# 万元: an amount above this (1,000 亿元) was most likely written in 元
IMPLAUSIBLE_WAN_YUAN = 1_000_000
_WAN_YUAN = re.compile(r"(\d+(?:\.\d+)?)\s*万元")


@on_valid
def plausible_amounts(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    inv = data.get("investment")
    if not isinstance(inv, dict):
        return
    for key in ("total", "provincial"):
        value = inv.get(key)
        if _is_number(value) and value > IMPLAUSIBLE_WAN_YUAN:
            yield _at(
                doc,
                ("investment", key),
                "amount-implausible",
                f"{m.label(('investment', key))}为 {m.money(value)} 万元（即 {m.money(value / 10000)} 亿元），"
                "可能是按“元”填写的",
                severity="warning",
                found=m.money(value),
                hint=f"单位是万元：{m.money(value)} 元应写成 {m.money(value / 10000)}",
            )
    guide, provincial, total = data.get("guide"), inv.get("provincial"), inv.get("total")
    funding = guide.get("funding") if isinstance(guide, dict) else None
    if not (
        isinstance(funding, str) and _is_number(provincial) and _is_number(total) and 0 < provincial <= total
    ):
        return  # an amount that is wrong itself is reported as such
    amounts = [float(a) for a in _WAN_YUAN.findall(funding)]
    if amounts and not any(abs(a - provincial) < 0.005 for a in amounts):
        written = "、".join(f"{m.money(a)} 万元" for a in amounts)
        yield _at(
            doc,
            ("guide", "funding"),
            "funding-mismatch",
            f"支持强度中写的金额（{written}）与省财政资金支持强度建议（{m.money(provincial)} 万元）不一致",
            severity="warning",
            found=written,
            hint="请核对 guide.funding 与 investment.provincial，使两处金额一致",
        )


def _places(data: dict[str, Any]) -> Iterator[tuple[int, Any, m.Place]]:
    """The partners' places an editor named that the model knows: (index, as written, place)."""
    partners = data.get("partner_countries")
    for i, name in enumerate(partners if isinstance(partners, list) else []):
        place = m.countries.find(name) if isinstance(name, str) else None
        if place is not None:
            yield i, name, place


@rule
def partner_countries_distinct(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    seen: dict[str, Any] = {}
    for i, name, place in _places(data):
        if place.code in seen:
            same = "" if seen[place.code] == name else f"（“{name}”与“{seen[place.code]}”都是{place.zh}）"
            yield _at(
                doc,
                ("partner_countries", i),
                "duplicate-item",
                f"合作国家（地区）“{place.zh}”重复{same}；请删除重复项",
                found=name,
            )
        seen.setdefault(place.code, name)


@on_valid
def partners_within_region(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    """港澳台地区 with a partner elsewhere, 上合组织成员国 with a partner outside the SCO: warnings."""
    region = m.normalise_enum(data.get("region"), m.REGIONS)
    for i, name, place in _places(data):
        if region == "港澳台地区" and not place.is_china_region:
            yield _at(
                doc,
                ("partner_countries", i),
                "partner-outside-region",
                f"合作国别、地区为“港澳台地区”，但合作方“{place.zh}”不在中国香港、中国澳门、中国台湾",
                severity="warning",
                found=name,
                hint="请核对 region 与 partner_countries：与其他国家合作时，region 应选相应类别",
            )
        if region == "上合组织成员国" and not place.in_sco:
            yield _at(
                doc,
                ("partner_countries", i),
                "partner-outside-region",
                f"合作国别、地区为“上合组织成员国”，但“{place.zh}”不是上合组织成员国"
                f"（截至 {date_cn(m.countries.SCO_AS_OF)}：{m.countries.sco_members_text()}）",
                severity="warning",
                found=name,
                hint="请核对 region 与 partner_countries：多国合作可选“多边科技合作”",
            )


@on_valid
def english_is_english(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    en = data.get("en")
    if not isinstance(en, dict):
        return
    for key, name in (("title", "英文标题"), ("summary", "英文摘要")):
        text = en.get(key)
        if isinstance(text, str) and m.han_share(text) > m.EN_MOSTLY_HAN:
            yield _at(
                doc,
                ("en", key),
                "en-not-english",
                f"{name}大部分是汉字（{m.han_share(text):.0%}），外方合作伙伴读不懂",
                severity="warning",
                found=text[:40] + ("…" if len(text) > 40 else ""),
                hint=f"en.{key} 请写英文；中文内容写在 title、overview 等项中",
            )
