"""The call-level configuration (``call.yaml``): what the home page, the PDF cover and the exports say of the call.

Checked like a proposal (``check.check_call``): positions, stable codes, Chinese messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_date
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .model import PHONE_PATTERN, OneLine, StrictModel

CALL_FILE = "call.yaml"
# Every time in the guide is Beijing time, and the pages say so.
BEIJING = ZoneInfo("Asia/Shanghai")
TIME_ZONE_NAME = "北京时间"

MilestoneKind = Literal["opens", "closes", "other"]
MILESTONE_KINDS: dict[str, str] = {
    "opens": "申报开始（此前显示“未开始”）",
    "closes": "申报截止（此后显示“已截止”；网站的“申报中”倒计时以它为准）",
    "other": "其他时间节点（如主管部门推荐截止）",
}
_WHEN = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def _beijing_time(value: Any) -> Any:
    """``2027-01-15 17:00`` (what editors write; YAML leaves it text) or a YAML timestamp → Beijing time."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=BEIJING) if value.tzinfo is None else value.astimezone(BEIJING)
    if isinstance(value, dt.date):
        raise PydanticCustomError(
            "time-missing",
            "只写了日期，没有时刻；请写成 {example}（北京时间，24 小时制）",
            {"example": f"{value.isoformat()} 17:00"},
        )
    if isinstance(value, str) and (found := _WHEN.match(value)):
        year, month, day, hour, minute, second = (int(g or 0) for g in found.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)
        except ValueError:
            pass
    raise PydanticCustomError(
        "time-format",
        "时间“{found}”无法识别；应写成 2027-01-15 17:00 这样（年-月-日 时:分，北京时间，24 小时制）",
        {"found": str(value)},
    )


BeijingTime = Annotated[dt.datetime, BeforeValidator(_beijing_time)]


class Milestone(StrictModel):
    """One time of the call's timetable (the online window opens, the applicants' deadline, …)."""

    name: OneLine = Field(title="名称", description="必填，一行，如 申报单位网上提交截止。")
    kind: MilestoneKind = Field(
        "other",
        title="类型",
        description="opens（申报开始）| closes（申报截止，须有且只有一项）| other（其他，默认）。",
    )
    at: BeijingTime = Field(
        title="时间", description="必填，北京时间，写成 2027-01-15 17:00（年-月-日 时:分）。"
    )
    name_en: OneLine | None = Field(
        None,
        title="英文名称",
        description="选填，一行：英文页面上的名称，如 Deadline for recommendations by the competent departments。"
        "kind 为 opens 或 closes 时可不写。",
    )

    @property
    def english(self) -> str:
        """The milestone's name on the English pages."""
        return self.name_en or _MILESTONE_EN.get(self.kind) or self.name


_MILESTONE_EN = {
    "opens": "Online applications open",
    "closes": "Deadline for the lead organisations' online submission",
}


class CallEnglish(StrictModel):
    """英文页面上关于本次申报的说明（公开）。"""

    title: OneLine = Field(title="英文标题", description="必填，一行。")
    issuer: OneLine = Field(title="发布单位英文名称", description="必填，一行。")
    office: OneLine = Field(title="联系处室英文名称", description="必填，一行。")
    introduction: str = Field(title="英文简介", description="必填。Markdown 文本：本次申报是什么、谁来申报。")


class Contact(StrictModel):
    office: str = Field(title="联系处室", description="必填，如 国际合作处。")
    phone: str = Field(
        title="联系电话",
        description="必填，公开。固定电话（如 0531-51751234）或手机号。",
        pattern=f"^{PHONE_PATTERN}$",
    )


class Call(StrictModel):
    """One call for proposals: the title, the issuing body and the dates."""

    # keys of earlier versions of call.yaml, and what replaced them (the check says so)
    RETIRED_KEYS: ClassVar[dict[str, str]] = {
        "deadline": "申报截止时间现写在 milestones 中（到分钟，北京时间）：请删去 deadline 这一行，"
        "在 milestones 下写 - name: 申报单位网上提交截止 / kind: closes / at: 2027-01-15 17:00",
    }

    year: int = Field(title="年度", description="必填整数，如 2026。", ge=2000, le=2100)
    title: OneLine = Field(title="指南标题", description="必填，一行。")
    short_title: OneLine = Field(title="简称", description="必填，一行。")
    issuer: str = Field(title="发布单位", description="必填。")
    document_number: str = Field(title="文号", description="必填，如 ×科外字〔2026〕18号。")
    publish_date: dt.date = Field(title="发布日期", description="必填日期，如 2026-11-20（不加引号）。")
    milestones: list[Milestone] = Field(
        title="申报时间节点",
        description="必填列表：网上申报开始、申报截止、主管部门推荐截止等，北京时间；须有一项 kind: closes。",
        min_length=1,
    )
    site_url: str = Field(
        title="网站地址", description="必填，以 http:// 或 https:// 开头的网址。", pattern=r"^https?://\S+$"
    )
    pdf_filename: str = Field(
        "guide.pdf",
        title="PDF 文件名",
        description="小写字母、数字、点和连字符，以 .pdf 结尾，如 guide.pdf。",
        pattern=r"^[a-z0-9][a-z0-9.-]*\.pdf$",
    )
    contact: Contact = Field(title="联系方式")
    introduction: str = Field(title="简介", description="必填。Markdown 文本。")
    en: CallEnglish | None = Field(
        None, title="英文说明", description="选填：英文页面（site/en/）的标题、发布单位、联系处室和简介。"
    )

    @property
    def closes(self) -> Milestone:
        """The applicants' deadline (``kind: closes``; the check makes sure there is exactly one)."""
        return next(m for m in self.milestones if m.kind == "closes")

    @property
    def opens(self) -> dt.datetime:
        """When applications open: the ``opens`` milestone, else the start of the publication day."""
        first = next((m for m in self.milestones if m.kind == "opens"), None)
        return first.at if first else dt.datetime.combine(self.publish_date, dt.time(), tzinfo=BEIJING)

    @property
    def deadline(self) -> dt.date:
        return self.closes.at.date()

    @property
    def timetable(self) -> list[Milestone]:
        """The milestones in time order."""
        return sorted(self.milestones, key=lambda m: m.at)


def milestone_problems(call: Call) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """What the model alone cannot see in the timetable: (key path, code, message) for each mistake."""
    closes = [i for i, m in enumerate(call.milestones) if m.kind == "closes"]
    opens = [i for i, m in enumerate(call.milestones) if m.kind == "opens"]
    if not closes:
        yield (
            ("milestones",),
            "call-dates",
            "申报时间节点中没有申报截止时间；请把申报单位提交截止的那一项写上 kind: closes",
        )
    for i in closes[1:]:
        yield (
            ("milestones", i, "kind"),
            "call-dates",
            "只能有一项 kind: closes（申报截止）；其他截止时间请写 kind: other",
        )
    for i in opens[1:]:
        yield (
            ("milestones", i, "kind"),
            "call-dates",
            "只能有一项 kind: opens（申报开始）；其他时间请写 kind: other",
        )
    if closes and opens and call.milestones[closes[0]].at <= call.milestones[opens[0]].at:
        yield (
            ("milestones", closes[0], "at"),
            "call-dates",
            f"申报截止时间（{datetime_cn(call.milestones[closes[0]].at)}）不晚于申报开始时间"
            f"（{datetime_cn(call.milestones[opens[0]].at)}）；截止应在开始之后",
        )
    seen: set[str] = set()
    for i, m in enumerate(call.milestones):
        if m.at.date() < call.publish_date:
            yield (
                ("milestones", i, "at"),
                "call-dates",
                f"“{m.name}”的时间（{datetime_cn(m.at)}）早于发布日期（{date_cn(call.publish_date)}）",
            )
        if m.name.strip() in seen:
            yield ("milestones", i, "name"), "call-dates", f"时间节点“{m.name}”重复；每项名称应不同"
        seen.add(m.name.strip())


def date_cn(value: dt.date) -> str:
    """2025-01-09 -> 2025年1月9日 (as official documents write dates)."""
    return f"{value.year}年{value.month}月{value.day}日"


def datetime_cn(value: dt.datetime) -> str:
    """2027-01-15 17:00 (Beijing) -> 2027年1月15日 17:00."""
    value = value.astimezone(BEIJING)
    return f"{date_cn(value.date())} {value:%H:%M}"


def date_en(value: dt.date) -> str:
    """2027-01-15 -> 15 January 2027 (the English pages; Babel's English month names)."""
    return format_date(value, "d MMMM y", locale="en")


def datetime_en(value: dt.datetime) -> str:
    """2027-01-15 17:00 (Beijing) -> 15 January 2027, 17:00."""
    value = value.astimezone(BEIJING)
    return f"{date_en(value.date())}, {value:%H:%M}"


def phone_international(phone: str) -> str:
    """0531-51751234 -> +86 531 5175 1234, 13812345678 -> +86 138 1234 5678 (phonenumbers); an
    extension written -123 or 转123 (PHONE_PATTERN) as ext. 123. Anything else as written."""
    number, ext = phone.strip(), None
    if split := re.fullmatch(r"(.+?\d{7,8})(?:-|转)(\d{1,6})", number):
        number, ext = split.groups()
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        return phone
    if not phonenumbers.is_valid_number(parsed):
        return phone
    shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return shown + (f" ext. {ext}" if ext else "")


_DIGITS = "零一二三四五六七八九"


def numeral_cn(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (for headings 一、二、…)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
