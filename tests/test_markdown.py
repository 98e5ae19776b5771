"""The restricted Markdown of proposal text, case by case (tests/fixtures/markdown.txt).

Each case is a title, the input and the expected HTML, separated by lines holding a single dot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from callguide.markdown import plain, render, unsafe_parts

FIXTURES = Path(__file__).parent / "fixtures" / "markdown.txt"


def cases() -> list[tuple[str, str, str]]:
    """(title, input, expected HTML), read with markdown-it-py's own fixture reader."""
    return [
        (title, source.rstrip("\n"), html.rstrip("\n"))
        for _, title, source, html in read_fixture_file(FIXTURES)
    ]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in cases()], ids=[c[0] for c in cases()])
def test_render(source: str, expected: str) -> None:
    assert str(render(source)) == expected


def test_the_fixture_file_has_every_case() -> None:
    assert len(cases()) == 16


def test_unsafe_parts_names_what_will_not_render() -> None:
    assert unsafe_parts("[x](javascript:alert(1)) <b>粗</b> [y](https://a.org)") == [
        ("link", "javascript:alert(1)"),
        ("html", "<b>"),
        ("html", "</b>"),
    ]
    assert unsafe_parts("普通文本，没有链接。") == []


def test_plain_text_for_summaries() -> None:
    assert plain("1. 研制**样机**；\n2. 示范。") == "研制样机； 示范。"
