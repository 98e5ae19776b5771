"""The privacy scan's own parts: the one regular expression for every value, and the PDF's text read
in parallel page ranges. A miss here would let a leak through, so each is checked against the plain way."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from callguide.privacy import pattern, pdf_text, scan_file


def plain(values: set[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))


def test_every_value_is_found_and_the_longest_wins() -> None:
    found = pattern({"张三", "张三丰", "0531-88881234", "a.b*c", "济南"})
    assert found.search("联系人：张三丰，电话 0531-88881234").group() == "张三丰"
    assert found.search("联系人：张三。").group() == "张三"
    assert found.search("ab*c a.b*c").group() == "a.b*c"  # metacharacters are literal
    assert found.findall("济南张三0531-88881234") == ["济南", "张三", "0531-88881234"]


def test_no_values_match_nothing() -> None:
    assert pattern(set()).search("任何文字") is None
    assert pattern({""}).search("任何文字") is None


def test_the_trie_matches_exactly_what_a_plain_alternation_matches() -> None:
    rng = random.Random(7)
    alphabet = "张三丰李四王五01-"
    for _ in range(200):
        values = {"".join(rng.choices(alphabet, k=rng.randint(1, 5))) for _ in range(rng.randint(1, 12))}
        text = "".join(rng.choices(alphabet + "，。 ", k=80))
        assert pattern(values).findall(text) == plain(values).findall(text), (values, text)


def test_the_pdf_read_in_parallel_ranges_is_the_whole_pdf(site_dir: Path) -> None:
    pdf = site_dir / "guide.pdf"
    whole = subprocess.run(
        ["pdftotext", "-q", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    pages = whole.stdout.decode("utf-8").count("\f")
    assert pages > 20
    in_ranges = pdf_text(pdf, pages_per_part=10)  # two ranges on two processors
    assert in_ranges.startswith(whole.stdout.decode("utf-8"))
    assert pdf_text(pdf) == in_ranges
    assert "Title:" in in_ranges  # the metadata is read too


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("call.ics", "DESCRIPTION:联系人：张\r\n 晓明\\, 电话\r\n"),  # a folded line, an escaped comma
        ("feed.xml", "<summary>联系人：&#x5F20;晓明</summary>"),  # a character reference
        ("topics.json", '{"note": "\\u5f20\\u6653\\u660e"}'),
    ],
)
def test_the_scan_reads_a_file_as_its_reader_would(tmp_path: Path, name: str, data: str) -> None:
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    assert scan_file(path, tmp_path, {"张晓明"}) == [f"{name}: 张晓明"]
