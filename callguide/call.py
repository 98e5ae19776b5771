"""The call-level configuration (``call.yaml``): what the home page, the PDF cover and the exports say of the call.

Checked like a proposal (``check.check_call``): positions, stable codes, Chinese messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from .model import PHONE_PATTERN, StrictModel

CALL_FILE = "call.yaml"


class Contact(StrictModel):
    office: str = Field(title="联系处室", description="必填，如 国际合作处。")
    phone: str = Field(
        title="联系电话",
        description="必填，公开。固定电话（如 0531-51751234）或手机号。",
        pattern=f"^{PHONE_PATTERN}$",
    )


class Call(StrictModel):
    """One call for proposals: the title, the issuing body and the dates."""

    year: int = Field(title="年度", description="必填整数，如 2026。", ge=2000, le=2100)
    title: str = Field(title="指南标题", description="必填，一行。")
    short_title: str = Field(title="简称", description="必填，一行。")
    issuer: str = Field(title="发布单位", description="必填。")
    document_number: str = Field(title="文号", description="必填，如 ×科外字〔2026〕18号。")
    publish_date: dt.date = Field(title="发布日期", description="必填日期，如 2026-11-20（不加引号）。")
    deadline: dt.date = Field(
        title="申报截止日期", description="必填日期，如 2027-01-15（不加引号），不得早于发布日期。"
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

    @field_validator("title", "short_title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise PydanticCustomError("one-line", "只能写成一行")
        return value

    @field_validator("deadline")
    @classmethod
    def _after_publication(cls, value: dt.date, info: Any) -> dt.date:
        published = info.data.get("publish_date")
        if published is not None and value < published:
            raise PydanticCustomError(
                "call-dates",
                "申报截止日期（{deadline}）早于发布日期（{published}）；截止日期应不早于发布日期",
                {"deadline": value.isoformat(), "published": published.isoformat()},
            )
        return value


def date_cn(value: dt.date) -> str:
    """2025-01-09 -> 2025年1月9日 (as official documents write dates)."""
    return f"{value.year}年{value.month}月{value.day}日"


_DIGITS = "零一二三四五六七八九"


def numeral_cn(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (for headings 一、二、…)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
