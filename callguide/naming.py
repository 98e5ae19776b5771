"""How Hong Kong, Macao and Taiwan are named: as regions of China, never as countries.

One list of the wordings official Chinese usage does not allow, each with the wording to use. The
check warns when an editor's public text has one (rule ``naming`` in ``callguide.rules``); the tests
scan every public output with the same list, and the labels where countries and regions can both
appear (合作国家（地区）) are the model's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_REGION = r"(?:中国)?(?:香港|澳门|台湾)(?:特别行政区|地区)?|港澳台(?:地区)?"


@dataclass(frozen=True)
class Wording:
    pattern: re.Pattern[str]
    fix: str


WORDINGS: tuple[Wording, ...] = (
    Wording(re.compile(r"台湾国|中华民国|台湾国家"), "台湾是中国的一部分：请写“中国台湾”"),
    Wording(re.compile(r"(?<!People's )\bRepublic of China\b"), "write “Taiwan, China”"),
    Wording(
        re.compile(r"\bTaiwan\b(?!,? China|,? Province of China| regions? of China)"),
        "write “Taiwan, China” (“Hong Kong SAR, China”, “Macao SAR, China”)",
    ),
    Wording(
        re.compile(rf"(?:{_REGION})(?:等|和|及|、)*国家(?!（地区）|\(地区\)|和地区|或地区|、地区|（区域）)"),
        "港澳台是中国的地区，不是国家：请写“国家（地区）”或“国家和地区”",
    ),
    Wording(
        re.compile(rf"国家[：:][^。；;\n]*?(?:{_REGION})"),
        "港澳台是中国的地区，不能列在“国家”之下：请写“国家（地区）：”",
    ),
)


def misnamed(text: str) -> Iterator[tuple[str, str]]:
    """(the wording found, what to write instead) for every wording of ``text`` that names Hong Kong,
    Macao or Taiwan as a country."""
    for wording in WORDINGS:
        for match in wording.pattern.finditer(text):
            yield match.group(), wording.fix
