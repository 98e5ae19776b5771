"""The partners' countries and regions: ISO 3166-1 with the Chinese names in official use.

Part of the model (``callguide.model`` re-exports it): the check normalises every entry of
``partner_countries`` to one ``Place`` (the model stores its Chinese name), and every output takes the
names from here — the Chinese name on the site and in the PDF, the English name on the English pages,
both with the ISO code in the open data.

Names: pycountry's ISO 3166-1 list and its zh_CN translation, with the short names in common official
use where the translation gives the long form (韩国, not 大韩民国). Hong Kong, Macao and Taiwan are
regions of China and are named as official Chinese usage names them: 中国香港 / Hong Kong SAR, China,
中国澳门 / Macao SAR, China, 中国台湾 / Taiwan, China. They are never called countries: a label where
both can appear says 合作国家（地区）.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gettext
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pycountry

# Hong Kong, Macao and Taiwan: regions of China (region 港澳台地区)
CHINA_REGION_ORDER: tuple[str, ...] = ("HK", "MO", "TW")  # as official usage lists them: 港澳台
CHINA_REGIONS: frozenset[str] = frozenset(CHINA_REGION_ORDER)
CHINA = "CN"

# Member states of the Shanghai Cooperation Organisation (上海合作组织成员国), as of the date below
# (Belarus joined at the Astana summit of 4 July 2024). China is a member, but not a partner country.
SCO_MEMBER_LIST: tuple[str, ...] = (
    "CN",
    "RU",
    "KZ",
    "KG",
    "TJ",
    "UZ",
    "IN",
    "PK",
    "IR",
    "BY",
)  # as they joined
SCO_MEMBERS: frozenset[str] = frozenset(SCO_MEMBER_LIST)
SCO_AS_OF = dt.date(2024, 7, 4)

# The Chinese name shown, where it is not pycountry's zh_CN translation
_ZH: dict[str, str] = {
    "HK": "中国香港",
    "MO": "中国澳门",
    "TW": "中国台湾",
    "KR": "韩国",
    "KP": "朝鲜",
    "IR": "伊朗",
    "LA": "老挝",
    "SY": "叙利亚",
    "VE": "委内瑞拉",
    "BO": "玻利维亚",
    "MD": "摩尔多瓦",
    "KG": "吉尔吉斯斯坦",
    "CC": "科科斯（基林）群岛",
    "FK": "福克兰群岛（马尔维纳斯）",
}
# The English name shown, where it is not pycountry's common (or ISO) name
_EN: dict[str, str] = {
    "HK": "Hong Kong SAR, China",
    "MO": "Macao SAR, China",
    "TW": "Taiwan, China",
    "KR": "Republic of Korea",
    "KP": "Democratic People's Republic of Korea",
    "RU": "Russia",
    "PS": "Palestine",
    "VA": "Holy See",
    "FM": "Micronesia",
}
# Other names editors write for the same place (the Chinese and English names pycountry knows, the ISO
# codes and the names above are accepted too)
_ALIASES: dict[str, str] = {
    "俄罗斯联邦": "RU",
    "俄国": "RU",
    "大韩民国": "KR",
    "南韩": "KR",
    "英国": "GB",
    "大不列颠及北爱尔兰联合王国": "GB",
    "美国": "US",
    "阿拉伯联合酋长国": "AE",
    "沙特": "SA",
    "香港": "HK",
    "香港特区": "HK",
    "香港特别行政区": "HK",
    "中国香港特别行政区": "HK",
    "澳门": "MO",
    "澳门特区": "MO",
    "澳门特别行政区": "MO",
    "中国澳门特别行政区": "MO",
    "台湾": "TW",
    "台湾地区": "TW",
    "中国台湾地区": "TW",
    "中国台湾省": "TW",
    "吉尔吉斯坦": "KG",
    "蒙古国": "MN",
    "刚果（金）": "CD",
    "刚果（布）": "CG",
    "捷克共和国": "CZ",
    "Hong Kong, China": "HK",
    "Hong Kong SAR": "HK",
    "Macau": "MO",
    "Macao SAR": "MO",
    "South Korea": "KR",
    "UK": "GB",
    "Great Britain": "GB",
    "USA": "US",
    "UAE": "AE",
}


@dataclass(frozen=True)
class Place:
    """A partner's country or region."""

    code: str  # ISO 3166-1 alpha-2
    zh: str
    en: str

    @property
    def is_china_region(self) -> bool:
        """Hong Kong, Macao or Taiwan: a region of China, not a country."""
        return self.code in CHINA_REGIONS

    @property
    def in_sco(self) -> bool:
        return self.code in SCO_MEMBERS


def name_key(name: str) -> str:
    """How names are compared: width folded, case and spaces, dots and brackets' width ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in ".'’")


@cache
def _zh() -> gettext.NullTranslations:
    """pycountry's Chinese names of the ISO 3166-1 entries."""
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])


@cache
def places() -> dict[str, Place]:
    """Every ISO 3166-1 entry but China itself, by alpha-2 code."""
    zh = _zh()
    out: dict[str, Place] = {}
    for c in pycountry.countries:
        if c.alpha_2 == CHINA:
            continue
        en = _EN.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        out[c.alpha_2] = Place(c.alpha_2, _ZH.get(c.alpha_2) or zh.gettext(c.name), en)
    return out


@cache
def _names() -> dict[str, str]:
    """Every accepted spelling (as ``name_key``) → alpha-2 code."""
    zh = _zh()
    out: dict[str, str] = {}
    for c in pycountry.countries:
        if c.alpha_2 == CHINA:
            continue
        written = [c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)]
        for name in [*written, *(zh.gettext(n) for n in written if n), c.alpha_2, c.alpha_3]:
            if name:
                out.setdefault(name_key(name), c.alpha_2)
    for code, place in places().items():
        out[name_key(place.zh)] = code
        out[name_key(place.en)] = code
    out |= {name_key(name): code for name, code in _ALIASES.items()}
    return out


def find(name: str) -> Place | None:
    """The place ``name`` stands for (any accepted spelling), None if none."""
    code = _names().get(name_key(name))
    return places()[code] if code else None


def by_zh(name: str) -> Place:
    """The place of a name the check has normalised (``Proposal.partner_countries`` holds these)."""
    place = find(name)
    if place is None:
        raise KeyError(name)
    return place


def suggestion(name: str) -> Place | None:
    """The place an unknown ``name`` most likely means (a "did you mean"), None if none is close."""
    key = name_key(name)
    for region in CHINA_REGIONS:  # 台湾国, 香港地区, Taiwan ROC …: the region whose name is inside
        place = places()[region]
        if any(
            part in key
            for part in (
                name_key(place.zh.removeprefix("中国")),
                name_key(place.en.split(",")[0].split(" ")[0]),
            )
        ):
            return place
    names = _names()
    guesses = difflib.get_close_matches(key, list(names), n=1, cutoff=0.5)
    return places()[names[guesses[0]]] if guesses else None


def is_china(name: str) -> bool:
    """中国, China, CN …: the applicant's own country, never a partner."""
    spellings = ("中国", "中华人民共和国", "中國", "China", "CN", "CHN", "People's Republic of China")
    return name_key(name) in {name_key(s) for s in spellings}


def sco_members_text() -> str:
    """俄罗斯、哈萨克斯坦 …: the SCO member states other than China, in Chinese."""
    return "、".join(places()[c].zh for c in SCO_MEMBER_LIST if c != CHINA)


def pinyin_key(zh: str) -> str:
    """A Chinese name's sort key in a list for readers: its pinyin (俄罗斯 → e luo si)."""
    from pypinyin import lazy_pinyin  # loads its dictionary: only when a list is sorted

    return " ".join(lazy_pinyin(zh))


def sorted_places(places_: Iterable[Place]) -> list[Place]:
    """Countries by pinyin, then Hong Kong, Macao and Taiwan in that order (regions of China, apart)."""

    def key(p: Place) -> tuple[int, str]:
        if p.is_china_region:
            return 1, str(CHINA_REGION_ORDER.index(p.code))
        return 0, pinyin_key(p.zh)

    return sorted(places_, key=key)
