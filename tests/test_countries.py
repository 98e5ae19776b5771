"""The partners' countries and regions: ISO 3166-1 with the Chinese names in official use, Hong Kong,
Macao and Taiwan named as regions of China, and the English summaries' rules (``en:``).

The check cases take ``tests/data/valid/base.yaml`` (partner_countries: [丹麦, 德国], region
创新领先国家), change one thing and assert the problem's code, severity, line and hint.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callguide import countries
from callguide import model as m
from callguide.check import check_paths
from callguide.problems import Problem

BASE = (Path(__file__).parent / "data" / "valid" / "base.yaml").read_text(encoding="utf-8")
PARTNERS = "partner_countries: [丹麦, 德国]"


def check(tmp_path: Path, text: str) -> tuple[list[Problem], m.Proposal | None]:
    path = tmp_path / "topic.yaml"
    path.write_text(text, encoding="utf-8")
    checked, problems = check_paths([path])
    return problems, checked[0].proposal


def with_partners(partners: str, region: str | None = None) -> str:
    text = BASE.replace(PARTNERS, f"partner_countries: {partners}", 1)
    return text.replace("region: 创新领先国家", f"region: {region}", 1) if region else text


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code", "zh"),
    [
        ("俄罗斯", "RU", "俄罗斯"),
        ("俄罗斯联邦", "RU", "俄罗斯"),
        ("俄国", "RU", "俄罗斯"),
        ("Russia", "RU", "俄罗斯"),
        ("Russian Federation", "RU", "俄罗斯"),
        ("RU", "RU", "俄罗斯"),
        ("韩国", "KR", "韩国"),
        ("大韩民国", "KR", "韩国"),
        ("South Korea", "KR", "韩国"),
        ("英国", "GB", "英国"),
        ("United Kingdom", "GB", "英国"),
        ("美国", "US", "美国"),
        ("ＵＳＡ", "US", "美国"),  # full-width letters
        ("沙特阿拉伯", "SA", "沙特阿拉伯"),
        ("沙特", "SA", "沙特阿拉伯"),
        ("阿联酋", "AE", "阿联酋"),
        ("阿拉伯联合酋长国", "AE", "阿联酋"),
        ("吉尔吉斯坦", "KG", "吉尔吉斯斯坦"),
        ("中国香港", "HK", "中国香港"),
        ("香港", "HK", "中国香港"),
        ("香港特别行政区", "HK", "中国香港"),
        ("Hong Kong", "HK", "中国香港"),
        ("中国澳门", "MO", "中国澳门"),
        ("澳门", "MO", "中国澳门"),
        ("Macao", "MO", "中国澳门"),
        ("中国台湾", "TW", "中国台湾"),
        ("台湾", "TW", "中国台湾"),
        ("台湾地区", "TW", "中国台湾"),
        ("Taiwan", "TW", "中国台湾"),
    ],
)
def test_every_spelling_in_use_is_one_place(written: str, code: str, zh: str) -> None:
    place = countries.find(written)
    assert place is not None and (place.code, place.zh) == (code, zh)


def test_hong_kong_macao_and_taiwan_are_named_as_regions_of_china() -> None:
    names = {
        code: (countries.places()[code].zh, countries.places()[code].en) for code in countries.CHINA_REGIONS
    }
    assert names == {
        "HK": ("中国香港", "Hong Kong SAR, China"),
        "MO": ("中国澳门", "Macao SAR, China"),
        "TW": ("中国台湾", "Taiwan, China"),
    }
    assert all(countries.places()[code].is_china_region for code in names)
    assert "CN" not in countries.places()  # the applicant's own country is no partner


def test_every_place_has_a_chinese_and_an_english_name_and_a_code() -> None:
    places = countries.places()
    assert len(places) == 248  # ISO 3166-1 without China
    for code, place in places.items():
        assert place.code == code and len(code) == 2
        assert any("\u4e00" <= ch <= "\u9fff" for ch in place.zh), place
        assert place.en.isascii() or code in ("AX", "CI", "CW", "RE", "BL", "TR"), place
        assert countries.find(place.zh) == place and countries.find(place.en) == place


def test_the_sco_member_states_live_in_the_model_with_their_date() -> None:
    assert countries.SCO_AS_OF.isoformat() == "2024-07-04"
    assert {countries.places()[c].zh for c in countries.SCO_MEMBERS if c != "CN"} == {
        "俄罗斯",
        "哈萨克斯坦",
        "吉尔吉斯斯坦",
        "塔吉克斯坦",
        "乌兹别克斯坦",
        "印度",
        "巴基斯坦",
        "伊朗",
        "白俄罗斯",
    }


# --- the check ------------------------------------------------------------------------------------


def test_the_model_stores_the_normalised_names(tmp_path: Path) -> None:
    problems, proposal = check(tmp_path, with_partners("[俄罗斯联邦, South Korea, 香港]", "多边科技合作"))
    assert problems == []
    assert proposal is not None and proposal.partner_countries == ["俄罗斯", "韩国", "中国香港"]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("俄罗丝", "是否想写“俄罗斯”？"),
        ("德意志", "是否想写“德国”？"),
        ("台湾国", "是否想写“中国台湾”？"),
        ("Tailand", "是否想写“泰国”？"),
    ],
)
def test_an_unknown_name_is_an_error_with_a_did_you_mean(tmp_path: Path, written: str, hint: str) -> None:
    problems, _ = check(tmp_path, with_partners(f"[丹麦, {written}]"))
    assert [(p.code, p.severity, p.line, p.key, p.found, p.hint) for p in problems] == [
        ("country-unknown", "error", 7, "partner_countries[1]", written, hint)
    ]


def test_a_name_nothing_resembles_is_an_error_saying_what_to_write(tmp_path: Path) -> None:
    problems, _ = check(tmp_path, with_partners("[Xyzzy]"))
    assert [p.code for p in problems] == ["country-unknown"]
    assert "中文名称" in (problems[0].hint or "")


def test_china_itself_is_no_partner(tmp_path: Path) -> None:
    problems, _ = check(tmp_path, with_partners("[丹麦, 中国]"))
    assert [(p.code, p.key) for p in problems] == [("country-china", "partner_countries[1]")]
    assert "中国香港" in problems[0].message


def test_the_same_place_twice_is_an_error_also_when_spelt_differently(tmp_path: Path) -> None:
    problems, _ = check(tmp_path, with_partners("[德国, 丹麦, Germany]"))
    assert [(p.code, p.severity, p.key) for p in problems] == [
        ("duplicate-item", "error", "partner_countries[2]")
    ]
    assert "Germany" in problems[0].message and "德国" in problems[0].message


def test_hong_kong_macao_taiwan_region_with_a_partner_elsewhere_is_warned(tmp_path: Path) -> None:
    problems, _ = check(tmp_path, with_partners("[中国香港, 新加坡]", "港澳台地区"))
    assert [(p.code, p.severity, p.key, p.found) for p in problems] == [
        ("partner-outside-region", "warning", "partner_countries[1]", "新加坡")
    ]
    problems, _ = check(tmp_path, with_partners("[中国香港, 澳门, 台湾]", "港澳台地区"))
    assert problems == []


def test_sco_region_with_a_partner_outside_the_sco_is_warned_with_the_list_and_its_date(
    tmp_path: Path,
) -> None:
    problems, _ = check(tmp_path, with_partners("[俄罗斯, 白俄罗斯, 德国]", "上合组织成员国"))
    assert [(p.code, p.severity, p.key) for p in problems] == [
        ("partner-outside-region", "warning", "partner_countries[2]")
    ]
    assert "2024年7月4日" in problems[0].message and "白俄罗斯" in problems[0].message


# --- the English summary --------------------------------------------------------------------------

EN = """en:
  title: Joint development of offshore wind HVDC equipment
  summary: |
    Offshore wind farms far from the coast need HVDC links.
  keywords: [offshore wind, HVDC]
"""


def with_en(block: str) -> str:
    return BASE.rstrip("\n") + "\n" + block


def test_an_english_summary_passes(tmp_path: Path) -> None:
    problems, proposal = check(tmp_path, with_en(EN))
    assert problems == []
    assert (
        proposal is not None and proposal.en is not None and proposal.en.keywords == ["offshore wind", "HVDC"]
    )


@pytest.mark.parametrize(
    ("change", "code", "key"),
    [
        (("  title: Joint development of offshore wind HVDC equipment\n", ""), "required", "en.title"),
        (("Joint development of offshore wind HVDC equipment", "x" * 201), "text-length", "en.title"),
        (("[offshore wind, HVDC]", "[offshore wind, " + "y" * 61 + "]"), "text-length", "en.keywords[1]"),
        (("[offshore wind, HVDC]", '[offshore wind, ""]'), "empty-text", "en.keywords[1]"),
        (
            ("Offshore wind farms far from the coast need HVDC links.", "word " * 301),
            "en-summary-length",
            "en.summary",
        ),
        (
            ("[offshore wind, HVDC]", "[" + ", ".join(f"k{i}" for i in range(11)) + "]"),
            "list-length",
            "en.keywords",
        ),
        (("  keywords:", "  tags: [a]\n  keywords:"), "unknown-key", "en.tags"),
    ],
)
def test_the_limits_of_the_english_summary_are_errors(
    tmp_path: Path, change: tuple[str, str], code: str, key: str
) -> None:
    problems, _ = check(tmp_path, with_en(EN.replace(*change)))
    assert [(p.code, p.severity, p.key) for p in problems] == [(code, "error", key)]


def test_an_english_summary_in_chinese_is_warned(tmp_path: Path) -> None:
    problems, _ = check(
        tmp_path,
        with_en(
            EN.replace(
                "Offshore wind farms far from the coast need HVDC links.", "深远海风电需要柔性直流送出。"
            )
        ),
    )
    assert [(p.code, p.severity, p.key, p.line) for p in problems] == [
        ("en-not-english", "warning", "en.summary", 44)
    ]


def test_an_english_summary_changed_after_publication_is_no_revision() -> None:
    assert "en" in m.OUTSIDE_REVISIONS and m.is_public(("en", "summary"))


def test_the_proposer_pasted_into_the_english_summary_is_caught_at_its_line(tmp_path: Path) -> None:
    problems, _ = check(tmp_path, with_en(EN.replace("need HVDC links.", "need HVDC links. Contact 测试甲.")))
    assert [(p.code, p.severity, p.key, p.line) for p in problems] == [
        ("proposer-in-public", "error", "en.summary", 45)  # the line it was pasted on
    ]
