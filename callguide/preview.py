"""What ``build.py serve`` adds while an editor works: a page in place of the site when the check or a
template fails (it reloads by itself), a stand-in for the PDF, and the lines on the console.

The preview never stops answering: a mistake shows as a page, and the next save brings the site back.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from html import escape
from pathlib import Path

from . import COMMAND
from .guide import DRAFT_NOTE
from .problems import Problem, format_text
from .render import environment

ERROR_TEMPLATE = "site/preview-error.md.j2"
RETRY_SECONDS = 3


def error_page(templates: Path, report: str) -> str:
    """The Markdown of the page shown at every address while the preview cannot be built."""
    return (
        environment(templates)
        .get_template(ERROR_TEMPLATE)
        .render(report=report, command=COMMAND, seconds=RETRY_SECONDS)
    )


def problems_text(problems: list[Problem], checked: int) -> str:
    """The check's report for the console: a draft's problems as one line per draft (a fresh
    ``build.py new`` file has twenty), every other problem in full."""
    drafts = Counter(p.file for p in problems if p.message.endswith(DRAFT_NOTE))
    others = [p for p in problems if p.file not in drafts]
    lines = [
        f"草稿 {file}：尚有 {n} 处待填写或修改（预览中不影响网站）" for file, n in sorted(drafts.items())
    ]
    if others:
        lines.append(format_text(others, checked).rstrip())
    return "\n".join(lines)


def say(text: str) -> None:
    """A line for the editor on the console where ``serve`` runs."""
    print(text, file=sys.stderr, flush=True)


@cache
def placeholder_pdf(title: str) -> bytes:
    """A one-page PDF standing in for the guide while previewing: laying the whole guide out on every
    save would slow each reload by the PDF's time."""
    from weasyprint import HTML

    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>预览</title>'
        "<style>@page{size:A4;margin:37mm 26mm}body{font-family:'Noto Serif CJK SC',serif;"
        "font-size:16pt;line-height:1.8}h1{font-family:'Noto Sans CJK SC',sans-serif;font-size:20pt}"
        "code{font-family:monospace;font-size:13pt}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>预览（build.py serve）中不生成指南全文 PDF。</p>"
        f"<p>生成完整的 PDF：在项目目录中运行</p><p><code>{escape(COMMAND)} pdf</code></p>"
        "<p>PDF 写入 site/ 目录，与正式发布时相同。</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())
