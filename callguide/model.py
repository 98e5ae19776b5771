"""The proposal model: the single source of truth for keys, types, enumerations,
Chinese labels and limits of a proposal file (format v1, see the spec).

Everything else reads from here: the check (problem messages use the labels),
the JSON Schema (``schema/proposal.schema.json``), the ``new`` template, the
site, the PDF and the exports.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from . import COMMAND, countries
from .countries import Place
from .trl import TRL_LEVELS, TRL_MAX, TRL_MIN, TrlLevel, trl_name, trl_name_en

# the levels and the places are the model's too
__all__ = ["TRL_LEVELS", "TRL_MAX", "TRL_MIN", "Place", "TrlLevel", "countries", "trl_name", "trl_name_en"]

# --- enumerations (official order, as on 附件1 信息表) -----------------------

Status = Literal["accepted", "draft", "withdrawn"]
IndustryField = Literal[
    "新一代信息技术",
    "高端装备",
    "新能源",
    "新材料",
    "现代海洋",
    "医养健康",
    "高端化工",
    "现代高效农业",
    "生物技术",
    "低空经济",
    "其他",
]
Region = Literal["多边科技合作", "创新领先国家", "上合组织成员国", "“一带一路”共建国家", "港澳台地区"]
ProjectType = Literal["引进来", "走出去", "依托国际创新合作平台", "重大活动签约"]
ImportCategory = Literal["0-1颠覆性技术", "重大基础研究", "“卡脖子”技术", "国产化替代", "变革性技术迭代"]

# The English name of every enumeration value, for the English pages and the open data (one place)
ENUM_EN: dict[str, str] = {
    "新一代信息技术": "New-generation information technology",
    "高端装备": "High-end equipment",
    "新能源": "New energy",
    "新材料": "New materials",
    "现代海洋": "Modern marine industries",
    "医养健康": "Medicine and health",
    "高端化工": "High-end chemicals",
    "现代高效农业": "Modern efficient agriculture",
    "生物技术": "Biotechnology",
    "低空经济": "Low-altitude economy",
    "其他": "Other",
    "多边科技合作": "Multilateral S&T cooperation",
    "创新领先国家": "Innovation-leading countries",
    "上合组织成员国": "SCO member states",
    "“一带一路”共建国家": "Belt and Road partner countries",
    "港澳台地区": "Hong Kong, Macao and Taiwan regions of China",
    "引进来": "Bringing in",
    "走出去": "Going global",
    "依托国际创新合作平台": "Based on an international innovation cooperation platform",
    "重大活动签约": "Signed at a major event",
    "0-1颠覆性技术": "Disruptive 0-to-1 technology",
    "重大基础研究": "Major basic research",
    "“卡脖子”技术": "Critical bottleneck technology",
    "国产化替代": "Domestic substitution",
    "变革性技术迭代": "Transformative technology iteration",
}

STATUSES: tuple[str, ...] = get_args(Status)
FIELDS: tuple[str, ...] = get_args(IndustryField)
REGIONS: tuple[str, ...] = get_args(Region)
PROJECT_TYPES: tuple[str, ...] = get_args(ProjectType)
IMPORT_CATEGORIES: tuple[str, ...] = get_args(ImportCategory)
OTHER_FIELD = "其他"
IMPORT_TYPE = "引进来"

# --- limits -------------------------------------------------------------------

SLUG_PATTERN = r"[a-z0-9][a-z0-9-]*"
SLUG_MAX = 64
TITLE_MIN, TITLE_MAX = 4, 60
OVERVIEW_MAX = 1000
KEY_TECH_MIN, KEY_TECH_MAX = 1, 5
MAX_FILE_BYTES = 1024 * 1024
REVISION_NOTE_MAX = 300  # characters of one revision note
EN_TITLE_MAX = 200  # characters of the English title
EN_SUMMARY_MAX_WORDS = 300
EN_KEYWORDS_MAX, EN_KEYWORD_MAX = 10, 60  # keywords, characters of one
EN_MOSTLY_HAN = 0.5  # an English text with a larger share of Han characters among its letters: warned
# mainland mobile (optional +86), or landline with optional area code and extension
PHONE_PATTERN = r"(?:(?:\+86[- ]?)?1[3-9]\d{9}|(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?)"


# --- the 13 technology readiness levels (附件2): callguide/trl.py ----------------

# --- normalisation of enumerations --------------------------------------------

_QUOTES = "\"'“”‘’「」『』〝〞＂＇"


def enum_key(value: str) -> str:
    """The comparison key of an enumeration value: width folded (NFKC), quotes and spaces dropped."""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in folded if ch not in _QUOTES and not ch.isspace())


def normalise_enum(value: Any, allowed: tuple[str, ...]) -> Any:
    """Map ``value`` to its canonical spelling in ``allowed``; leave anything else as it is."""
    if not isinstance(value, str):
        return value
    key = enum_key(value)
    for canonical in allowed:
        if enum_key(canonical) == key:
            return canonical
    return value


def _normaliser(allowed: tuple[str, ...]) -> BeforeValidator:
    return BeforeValidator(lambda v: normalise_enum(v, allowed))


def word_count(text: str) -> int:
    """Words of an English text: runs of non-space characters."""
    return len(text.split())


def han_share(text: str) -> float:
    """The share of Han characters among the letters of ``text`` (0 without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    han = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("CJK"))
    return han / len(letters) if letters else 0.0


def _one_line(value: str) -> str:
    if "\n" in value.strip() or "\r" in value.strip():  # a block scalar's last line end is no second line
        raise PydanticCustomError("one-line", "只能写成一行")
    return value


# Text of one line: titles, names (the check names the key: 项目名称只能写成一行)
OneLine = Annotated[str, AfterValidator(_one_line)]


def _at_most(count: Callable[[str], int], limit: int, code: str, message: str) -> AfterValidator:
    """A text no longer than ``limit`` as ``count`` counts it; ``message`` names {max} and {n}."""

    def check(value: str) -> str:
        if (n := count(value)) > limit:
            raise PydanticCustomError(code, message, {"max": limit, "n": n})
        return value

    return AfterValidator(check)


def _partner_place(value: Any) -> Any:
    """A partner's country or region, any accepted spelling → its Chinese name (what the model stores)."""
    place = countries.find(value) if isinstance(value, str) else None
    return place.zh if place is not None else value


def _known_place(value: str) -> str:
    if countries.find(value) is not None:
        return value
    if countries.is_china(value):
        raise PydanticCustomError(
            "country-china",
            "“{value}”是申报单位所在国，不是外方合作国家（地区）；请删去这一项"
            "（与港澳台合作时写 中国香港、中国澳门 或 中国台湾）",
            {"value": value},
        )
    guess = countries.suggestion(value)
    raise PydanticCustomError(
        "country-unknown",
        "“{value}”不是已知的国家或地区名称（按 ISO 3166-1 和通用中文简称核对）",
        {
            "value": value,
            "hint": f"是否想写“{guess.zh}”？"
            if guess
            else "请写国家或地区的中文名称，如 俄罗斯、韩国、中国香港",
        },
    )


PartnerPlace = Annotated[str, BeforeValidator(_partner_place), AfterValidator(_known_place)]


def money(value: float) -> str:
    """万元 amounts as the guide writes them: 500, 1850.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def count_chars(text: str) -> int:
    """字数: characters, whitespace not counted."""
    return sum(1 for ch in text if not ch.isspace())


# --- the model ----------------------------------------------------------------

Text = Annotated[str, Field(min_length=1)]
_CHECKED_BY = f"{COMMAND} check"
# The JSON Schema says what it can of the rules the check enforces (editors see it in VS Code);
# yaml-language-server compares multipleOf without float error (0.07 passes, 600.125 does not).
_TWO_DECIMALS: dict[str, Any] = {"multipleOf": 0.01}


def _one_line_schema(label: str) -> dict[str, Any]:
    return {"pattern": r"^\s*[^\r\n]*\s*$", "patternErrorMessage": f"{label}只能写成一行"}


def _exactly_when(key: str, condition: dict[str, Any], when: str) -> dict[str, Any]:
    """JSON Schema: ``key`` is required when ``condition`` holds and absent (or null) otherwise."""
    return {
        "if": condition,
        "then": {"required": [key], "errorMessage": f"{when}时必须填写 {key}"},
        "else": {
            "properties": {key: {"type": "null", "errorMessage": f"只有{when}时才能填写 {key}；请删除该项"}}
        },
    }


OptionalText = Annotated[str, Field(description="Markdown 文本")]


class StrictModel(BaseModel):
    """Extra keys forbidden, no coercion ("500" is not a number), frozen, no blank text."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _not_blank(cls, value: Any, info: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise PydanticCustomError("empty-text", "内容不能为空白")
        return value


class KeyTechnology(StrictModel):
    """关键科学问题及技术清单中的一项。"""

    name: str = Field(title="科学问题/关键技术", description="关键技术名称，必填；同一建议内不得重复。")
    trl_current: int = Field(
        title="当前自评等级",
        description="技术成熟度等级 1–13（见附件2《技术成熟度等级划分》）。",
        ge=TRL_MIN,
        le=TRL_MAX,
    )
    trl_expected: int = Field(
        title="实施预期等级",
        description="技术成熟度等级 1–13，不得低于当前自评等级（相等时给出警告）。"
        f"（“不低于当前等级”一条 JSON Schema 无法表达，由 {_CHECKED_BY} 检查。）",
        ge=TRL_MIN,
        le=TRL_MAX,
    )
    description: str | None = Field(None, title="技术描述", description="不公开。Markdown 文本。")
    evidence: str | None = Field(
        None, title="当前技术成熟度等级的说明与证据", description="不公开。Markdown 文本。"
    )
    target: str | None = Field(None, title="预期指标", description="不公开。Markdown 文本。")


class Investment(StrictModel):
    """项目实施投入计划（万元）。"""

    total: float = Field(
        title="项目计划总投入（万元）",
        description="必填，大于 0，最多两位小数。不公开。",
        gt=0,
        json_schema_extra=_TWO_DECIMALS,
    )
    provincial: float = Field(
        title="省财政资金支持强度建议（万元）",
        description="必填，大于 0，最多两位小数，不得高于项目计划总投入。"
        f"（“不高于总投入”一条 JSON Schema 无法表达，由 {_CHECKED_BY} 检查。）",
        gt=0,
        json_schema_extra=_TWO_DECIMALS,
    )

    @field_validator("total", "provincial")
    @classmethod
    def _two_decimals(cls, value: float) -> float:
        exponent = Decimal(str(value)).as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise PydanticCustomError(
                "investment-decimals", "金额最多保留两位小数（单位：万元），当前为 {value}", {"value": value}
            )
        return value


class Proposer(StrictModel):
    """项目指南建议来源。任何公开输出都不得包含这些信息。"""

    organization: str = Field(title="建议单位", description="必填。绝不公开。")
    name: str = Field(title="建议人", description="必填。绝不公开。")
    position: str = Field(title="职称/职务", description="必填。绝不公开。")
    phone: str = Field(
        title="联系电话",
        description="必填。大陆手机号（可带 +86）或固定电话（可带区号、分机号），如 0531-88881234 或 13812345678。绝不公开。",
        pattern=f"^{PHONE_PATTERN}$",
    )


class Report(StrictModel):
    """指南建议说明报告（参考提纲）。均为选填 Markdown 文本，不公开。"""

    background: str | None = Field(None, title="背景意义")
    current_status: str | None = Field(None, title="发展现状")
    gaps: str | None = Field(None, title="主要差距")
    significance: str | None = Field(None, title="实施意义")
    cooperation_necessity: str | None = Field(None, title="开展国际科技合作的必要性")
    cooperation_basis: str | None = Field(None, title="合作基础")
    research_tasks: str | None = Field(None, title="主要研究内容，中外双方任务")
    technical_targets: str | None = Field(None, title="技术指标")
    performance_targets: str | None = Field(None, title="绩效目标")
    funding_plan: str | None = Field(None, title="资金投入")
    outcomes: str | None = Field(None, title="预期成效和项目交示件")


class Guide(StrictModel):
    """五、指南建议：发布在网站和 PDF 上的正文。"""

    research_content: Text = Field(title="研究内容", description="必填。Markdown 文本。")
    acceptance_indicators: Text = Field(title="验收考核指标", description="必填。Markdown 文本。")
    performance_indicators: str | None = Field(
        None, title="绩效参考指标", description="选填。Markdown 文本。"
    )
    eligibility: Text = Field(title="申报条件", description="必填。Markdown 文本。")
    funding: Text = Field(title="支持强度", description="必填。Markdown 文本。")
    trl: Text = Field(title="技术成熟度", description="必填。Markdown 文本。")
    deliverables: Text = Field(title="项目交示件", description="必填。Markdown 文本。")
    call_scope: Text = Field(title="张榜范围", description="必填。Markdown 文本。")


class RevisionNote(StrictModel):
    """One official note of a correction after publication (公开)."""

    date: dt.date = Field(
        title="修订日期", description="必填日期，如 2026-12-05（不加引号）：这次修改合并发布的日期。"
    )
    note: str = Field(
        title="修订说明",
        description="必填，一段文字（公开），写明改了什么，如 将支持强度由不超过 500 万元调整为不超过 450 万元。",
        min_length=1,
        max_length=REVISION_NOTE_MAX,
    )


class English(StrictModel):
    """英文摘要（公开）：供外方合作伙伴阅读的英文页面。"""

    title: OneLine = Field(
        title="英文标题",
        description=f"必填，一行，{EN_TITLE_MAX} 个字符以内。",
        min_length=4,
        max_length=EN_TITLE_MAX,
        json_schema_extra=_one_line_schema("英文标题"),
    )
    summary: Annotated[
        str,
        _at_most(
            word_count, EN_SUMMARY_MAX_WORDS, "en-summary-length", "英文摘要应在 {max} 词以内，当前 {n} 词"
        ),
    ] = Field(
        title="英文摘要",
        description=f"必填，英文，{EN_SUMMARY_MAX_WORDS} 词以内。纯文本或 Markdown 文本。",
    )
    keywords: list[Annotated[str, Field(min_length=1, max_length=EN_KEYWORD_MAX)]] | None = Field(
        None,
        title="英文关键词",
        description=f"选填列表，至多 {EN_KEYWORDS_MAX} 个，每个 {EN_KEYWORD_MAX} 个字符以内。",
        max_length=EN_KEYWORDS_MAX,
    )


class Proposal(StrictModel):
    """省级国际科技合作项目指南建议（一份建议一个文件：proposals/<slug>.yaml）。"""

    model_config = ConfigDict(
        title="指南建议",
        json_schema_extra={
            "$comment": "Generated from callguide/model.py; do not edit by hand.",
            "allOf": [
                _exactly_when(
                    "field_other",
                    {"properties": {"field": {"const": OTHER_FIELD}}, "required": ["field"]},
                    f"产业领域为“{OTHER_FIELD}”",
                ),
                _exactly_when(
                    "import_category",
                    {
                        "properties": {"project_types": {"contains": {"const": IMPORT_TYPE}}},
                        "required": ["project_types"],
                    },
                    f"项目类型含“{IMPORT_TYPE}”",
                ),
            ],
        },
    )

    status: Annotated[Status, _normaliser(STATUSES)] = Field(
        "accepted",
        title="状态",
        description="accepted（采纳，发布）| draft（草稿）| withdrawn（撤回）；默认 accepted。",
    )
    order: int | None = Field(
        None, title="排序", description="选填整数；同一产业领域内先按此排序，再按文件名。"
    )
    title: OneLine = Field(
        title="项目名称",
        description=f"必填，一行，{TITLE_MIN}–{TITLE_MAX} 个字符。",
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        json_schema_extra=_one_line_schema("项目名称"),
    )
    field: Annotated[IndustryField, _normaliser(FIELDS)] = Field(
        title="产业领域", description="仅选择一个领域；选“其他”时须填写 field_other。"
    )
    field_other: str | None = Field(
        None, title="其他领域名称", description="产业领域为“其他”时必填，否则不得填写。"
    )
    region: Annotated[Region, _normaliser(REGIONS)] = Field(title="合作国别、地区")
    partner_countries: list[PartnerPlace] | None = Field(
        None,
        title="合作国家（地区）",
        description="选填列表，写外方合作单位所在国家或地区的中文名称，如 [俄罗斯, 中国香港]；"
        "按 ISO 3166-1 核对，俄罗斯联邦、Russia 等写法统一为标准简称，不得重复。",
    )
    project_types: list[Annotated[ProjectType, _normaliser(PROJECT_TYPES)]] = Field(
        title="项目类型", description="可多选，1–4 项，不得重复。", min_length=1, max_length=4
    )
    import_category: Annotated[ImportCategory, _normaliser(IMPORT_CATEGORIES)] | None = Field(
        None,
        title="“引进来”类别",
        description="项目类型含“引进来”时必填（仅选择一种），否则不得填写。",
    )
    overview: Annotated[
        str,
        _at_most(
            count_chars, OVERVIEW_MAX, "overview-length", "项目概述应在 {max} 字以内（不计空白），当前 {n} 字"
        ),
    ] = Field(title="项目概述", description=f"必填，{OVERVIEW_MAX} 字以内（不计空白）。Markdown 文本。")
    key_technologies: list[KeyTechnology] = Field(
        title="关键科学问题及技术清单",
        description=f"{KEY_TECH_MIN}–{KEY_TECH_MAX} 项，名称不得重复。",
        min_length=KEY_TECH_MIN,
        max_length=KEY_TECH_MAX,
    )
    investment: Investment = Field(title="项目实施投入计划")
    proposer: Proposer = Field(title="项目指南建议来源", description="绝不公开。")
    report: Report | None = Field(None, title="指南建议说明报告", description="选填，不公开。")
    guide: Guide = Field(title="指南建议")
    en: English | None = Field(
        None,
        title="英文摘要",
        description="公开。title（英文标题）、summary（英文摘要）、keywords（英文关键词）。"
        "有此项的专题另有英文页面，供外方合作伙伴阅读。",
    )
    revisions: list[RevisionNote] | None = Field(
        None,
        title="修订说明",
        description="选填列表，公开。发布后修改公开内容或撤回专题时，每次写一项：date（合并发布的日期）和 note（修订说明）。",
    )


# --- labels for key paths -----------------------------------------------------

SUBMODELS: dict[str, type[BaseModel]] = {
    "key_technologies": KeyTechnology,
    "investment": Investment,
    "proposer": Proposer,
    "report": Report,
    "guide": Guide,
    "en": English,
}

GUIDE_SECTIONS: tuple[str, ...] = tuple(Guide.model_fields)


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside a field's type: ``Investment``, ``list[KeyTechnology]``, ``Report | None`` → the class."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _submodel(arg)) is not None:
            return found
    return None


def model_at(loc: tuple[str | int, ...], root: type[BaseModel] = Proposal) -> type[BaseModel] | None:
    """The model class whose keys are allowed at the mapping ``loc`` (None if not a mapping)."""
    model: type[BaseModel] = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        sub = _submodel(field.annotation) if field is not None else None
        if sub is None:
            return None
        model = sub
    return model


def label(loc: tuple[str | int, ...], root: type[BaseModel] = Proposal) -> str:
    """The Chinese label of the key at ``loc``, e.g. ('key_technologies', 1, 'trl_expected') -> 第2项关键技术的实施预期等级."""
    keys = [p for p in loc if isinstance(p, str)]
    if not keys:
        return "文件"
    parent = model_at(tuple(loc[:-1]), root) if isinstance(loc[-1], str) else None
    if parent is not None and keys[-1] in parent.model_fields:
        title = parent.model_fields[keys[-1]].title or keys[-1]
    elif len(keys) == 1 and keys[0] in root.model_fields:
        title = root.model_fields[keys[0]].title or keys[0]
    else:
        title = keys[-1]
    indices = [p for p in loc if isinstance(p, int)]
    if loc[0] == "key_technologies" and indices:
        return f"第{indices[0] + 1}项关键技术的{title}" if len(loc) > 2 else f"第{indices[0] + 1}项关键技术"
    if indices and isinstance(loc[-1], int):
        return f"{title}第{loc[-1] + 1}项"
    return title


def key_path(loc: tuple[str | int, ...]) -> str:
    """('key_technologies', 1, 'trl_expected') -> 'key_technologies[1].trl_expected'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


# --- what may be published -------------------------------------------------------

# The one allow-list of public data, in pydantic's ``include`` form: what may appear on the website,
# in its search index, in the PDF and in the open data. Everything else stays internal: the 汇总表
# may show it, no template ever receives it (``public_view``). ``status`` and ``order`` decide
# whether and where a topic is published; they are not content.
PUBLIC: dict[str, Any] = {
    "title": True,
    "field": True,
    "field_other": True,
    "region": True,
    "partner_countries": True,
    "project_types": True,
    "import_category": True,
    "overview": True,
    "key_technologies": {"__all__": {"name": True, "trl_current": True, "trl_expected": True}},
    "investment": {"provincial": True},
    "guide": True,
    "en": True,
    "revisions": {"__all__": {"date": True, "note": True}},
}
# Public, but not the guide's official text: changing them after publication is no revision of the
# guide (the revision notes themselves; the English summary, a translation for the partners)
OUTSIDE_REVISIONS: tuple[str, ...] = ("revisions", "en")
# Never public in any form, and searched for in every public file by the privacy scan.
SECRET = "proposer"
SECRET_VALUES = ("name", "organization", "phone")  # 职称/职务 is too common a word to search for


def _labels(model: type[BaseModel], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        out[prefix + name] = info.title or name
        if (sub := _submodel(info.annotation)) is not None:
            out |= _labels(sub, f"{prefix}{name}.")
    return out


# The Chinese label of every key, for templates and exports: LABELS["region"] == "合作国别、地区",
# LABELS["investment.provincial"] == "省财政资金支持强度建议（万元）".
LABELS: dict[str, str] = _labels(Proposal)

# The English labels of what the English pages show (the keys of LABELS, and the derived facts)
LABELS_EN: dict[str, str] = {
    "title": "Title",
    "field": "Industry field",
    "region": "Cooperation region",
    "partner_countries": "Partner countries/regions",
    "project_types": "Project type",
    "import_category": "Category of “bringing in”",
    "investment.provincial": "Provincial funding (up to)",
    "target_trl": "Target technology readiness level",
    "en.keywords": "Keywords",
    "key_technologies": "Key technologies",
}


def money_en(wan_yuan: float) -> str:
    """万元 for foreign readers, exactly: 450 → CNY 4.5 million, 2850.5 → CNY 28.505 million."""
    millions = Decimal(repr(wan_yuan)).scaleb(-2).normalize()
    return f"CNY {millions:f} million"


def public_view(proposal: Proposal) -> dict[str, Any]:
    """The public data of a proposal, as plain values: the only form in which it leaves the check."""
    return proposal.model_dump(include=PUBLIC)


def is_public(loc: tuple[str | int, ...]) -> bool:
    """Whether the value at ``loc`` (a key path into a proposal) may be published."""
    spec: Any = PUBLIC
    for part in loc:
        if spec is True:
            return True
        if isinstance(part, int):
            spec = spec.get("__all__", spec.get(part)) if isinstance(spec, dict) else None
        else:
            spec = spec.get(part) if isinstance(spec, dict) else None
        if spec is None:
            return False
    return spec is True or (isinstance(spec, dict) and bool(spec))


def is_secret(loc: tuple[str | int, ...]) -> bool:
    return bool(loc) and loc[0] == SECRET


def visibility_note(loc: tuple[str | int, ...]) -> str:
    """How the template of ``build.py new`` marks a key: （不公开） unless some of it is published."""
    return "" if is_public(loc) or loc in (("status",), ("order",)) else "（不公开）"


PHONE_RE = re.compile(f"^{PHONE_PATTERN}$")
SLUG_RE = re.compile(f"^{SLUG_PATTERN}$")
