"""Every page of the built site through the Nu HTML checker (vnu.jar, the W3C's validator): no error
from our own markup. The theme's (Material 9.8) are listed below, each with its reason; anything
else fails. Runs where npm and Java are installed (scripts/setup.sh installs the checker then)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT

pytestmark = pytest.mark.slow

VNU = PROJECT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (message, the markup it is about, why it is the theme's and left)
THEME_ERRORS = [
    (
        r"^Attribute “autocomplete” is only allowed when the input type is",
        r'<input class="md-toggle"[^>]*type="checkbox"[^>]*autocomplete="off"',
        "Material's drawer and search toggles are check boxes with autocomplete=off, so that Firefox does "
        "not restore an open drawer on going back; the attribute is harmless on a check box",
    ),
    (
        r"^Bad value “” for attribute “tabindex” on element “label”",
        r'<label class="md-nav__link"[^>]*tabindex=""',
        'Material\'s navigation writes tabindex="" on the labels of sections a page is not in (it means: '
        "no tabindex); browsers ignore the empty value",
    ),
]


def theirs(message: dict) -> bool:
    extract = message.get("extract", "")
    return any(
        re.search(text, message["message"]) and re.search(markup, extract) for text, markup, _ in THEME_ERRORS
    )


@pytest.fixture(scope="module")
def messages(site_dir: Path) -> list[dict]:
    if shutil.which("java") is None or not VNU.exists():
        pytest.skip("the Nu HTML checker is not installed here (needs npm and java; see scripts/setup.sh)")
    pages = sorted(str(p) for p in site_dir.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stderr)["messages"]


def test_our_markup_has_no_html_error(messages: list[dict], site_dir: Path) -> None:
    ours = [
        f"{Path(m['url'].removeprefix('file:')).relative_to(site_dir)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" and not theirs(m)
    ]
    assert ours == []


def test_every_allowed_theme_error_still_occurs(messages: list[dict]) -> None:
    """An allow-list entry the theme no longer needs is removed, not kept for later."""
    for text, markup, _ in THEME_ERRORS:
        assert any(
            re.search(text, m["message"]) and re.search(markup, m.get("extract", "")) for m in messages
        ), text
