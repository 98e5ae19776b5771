"""The restricted Markdown of proposal text → safe HTML.

Paragraphs, ordered and unordered lists, emphasis, tables and links (http,
https and mailto only). Raw HTML is shown as text; images, headings, code
blocks and the like are not part of the format and stay plain text.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_SCHEMES = ("http:", "https:", "mailto:")
_DISABLED = [
    "image",
    "heading",
    "lheading",
    "fence",
    "code",
    "blockquote",
    "hr",
    "html_block",
    "html_inline",
    "reference",
]
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\U00020000-\U0003134f]")


def link_allowed(url: str) -> bool:
    return url.strip().lower().startswith(ALLOWED_SCHEMES)


def _softbreak(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A line break inside a Chinese paragraph joins the lines without a space."""
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    if _CJK.match(before or " ") or _CJK.match(after or " "):
        return ""
    return "\n"


def _make() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.disable(_DISABLED)
    md.validateLink = link_allowed  # type: ignore[method-assign]
    md.add_render_rule("softbreak", _softbreak)
    return md


_MD = _make()
_INSPECT = MarkdownIt("js-default", {"html": True})
_INSPECT.validateLink = lambda url: True  # type: ignore[method-assign]
_SUSPECT = re.compile(r"<|\]\(|\]:")


def render(text: str | None) -> Markup:
    """Proposal text → HTML that cannot carry markup of its own."""
    if not text:
        return Markup("")
    return Markup(_MD.render(text).strip())


def unsafe_parts(text: str) -> list[tuple[str, str]]:
    """What in ``text`` will not render as written: ('link', url) and ('html', tag)."""
    if not _SUSPECT.search(text):
        return []
    found: list[tuple[str, str]] = []

    def walk(tokens: Sequence[Token]) -> None:
        for tok in tokens:
            if tok.type == "link_open":
                href = str(tok.attrGet("href") or "")
                if not link_allowed(href):
                    found.append(("link", href))
            elif tok.type in ("html_inline", "html_block"):
                found.append(("html", tok.content.strip()))
            if tok.children:
                walk(tok.children)

    walk(_INSPECT.parse(text))
    return found


def plain(text: str | None) -> str:
    """Proposal text as plain text (for summaries, CSV and search snippets)."""
    if not text:
        return ""
    html = re.sub(r"</?(?:strong|em|a|code|s)\b[^>]*>", "", str(render(text)))
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()
