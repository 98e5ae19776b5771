"""The call-level configuration (``call.yaml``): what the home page, the PDF cover and the exports say of the call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    office: str = Field(title="联系处室")
    phone: str = Field(title="联系电话")


class Call(BaseModel):
    """One call for proposals: the title, the issuing body and the dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(title="年度")
    title: str = Field(title="指南标题")
    short_title: str = Field(title="简称")
    issuer: str = Field(title="发布单位")
    document_number: str = Field(title="文号")
    publish_date: dt.date = Field(title="发布日期")
    deadline: dt.date = Field(title="申报截止日期")
    site_url: str = Field(title="网站地址")
    pdf_filename: str = Field("guide.pdf", title="PDF 文件名", pattern=r"^[a-z0-9][a-z0-9.-]*\.pdf$")
    contact: Contact
    introduction: str = Field(title="简介")


def load_call(path: Path) -> Call:
    with path.open(encoding="utf-8") as fh:
        return Call.model_validate(yaml.safe_load(fh))


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
