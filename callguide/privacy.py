"""The privacy scan: no public output may contain a proposer's name, organisation or phone.

A second line of defence beside the tests: the build reads every file it is
about to publish (pages, search index, JSON, CSV, sitemap, the PDF's text and
metadata, file names) and refuses to publish when a proposer value is found.

Thousands of values are searched at once with one regular expression built as a
trie (values that share a prefix share a branch), so each position of a file is
tried against a handful of first characters instead of every value in turn.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .model import SECRET_VALUES, Proposer


def needles(proposers: Iterable[Proposer]) -> set[str]:
    """The strings that must never be published: the model's ``SECRET_VALUES`` of every proposer
    (name, organisation, phone), as written, and a phone's digits alone."""
    found: set[str] = set()
    for p in proposers:
        for key in SECRET_VALUES:
            value = getattr(p, key)
            if isinstance(value, str):
                found.add(value.strip())
                digits = re.sub(r"\D", "", value)
                if key == "phone" and len(digits) >= 7:
                    found.add(digits)
    return {n for n in found if len(n) >= 2}


def pattern(values: Iterable[str]) -> re.Pattern[str]:
    """A regular expression matching exactly ``values`` (the longest one where several start at a position)."""
    trie: dict[str, dict] = {}
    for value in filter(None, values):
        node = trie
        for ch in value:
            node = node.setdefault(ch, {})
        node[""] = {}  # a value ends here

    def branch(node: dict[str, dict]) -> str:
        ends = "" in node
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if ends:  # greedy: the longer value first, this one when it does not continue
            return f"(?:{body})?" if len(alternatives) == 1 else body + "?"
        return body

    if not trie:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(branch(trie))


def pdf_text(path: Path, pages_per_part: int = 200) -> str:
    """The PDF's text and metadata, read by poppler-utils when installed, else by pypdf.

    ``pdftotext`` runs on page ranges in parallel, one per processor, each of at least
    ``pages_per_part`` pages.
    """
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, check=True)
        meta = info.stdout.decode("utf-8", "replace")
        count = re.search(r"^Pages:\s*(\d+)", meta, re.M)
        pages = int(count.group(1)) if count else 0
        parts = max(1, min(os.cpu_count() or 1, pages // pages_per_part))
        size = -(-pages // parts) if pages else 0
        ranges = [(1 + i * size, min(pages, (i + 1) * size)) for i in range(parts)] if pages else [(0, 0)]
        with contextlib.ExitStack() as stack:
            outputs = [stack.enter_context(tempfile.TemporaryFile()) for _ in ranges]  # pipes: one at a time
            procs = [
                subprocess.Popen(
                    ["pdftotext", "-q", "-enc", "UTF-8"]
                    + (["-f", str(first), "-l", str(last)] if first else [])
                    + [str(path), "-"],
                    stdout=out,
                )
                for (first, last), out in zip(ranges, outputs, strict=True)
            ]
            texts = []
            for proc, out in zip(procs, outputs, strict=True):
                if proc.wait():
                    raise subprocess.CalledProcessError(proc.returncode, proc.args)
                out.seek(0)
                texts.append(out.read().decode("utf-8", "replace"))
        return "".join(texts) + meta
    from pypdf import PdfReader

    reader = PdfReader(path)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return meta + "".join(page.extract_text() or "" for page in reader.pages)


def readable_text(path: Path) -> str:
    """Everything a reader of ``path`` could see, as text."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if path.suffix == ".pdf":
        return pdf_text(path) + data.decode("latin-1")
    text = data.decode("utf-8", "replace")
    if path.suffix == ".json":
        with contextlib.suppress(ValueError):  # \uXXXX escapes would hide a Chinese name
            text += json.dumps(json.loads(text), ensure_ascii=False)
    elif path.suffix in (".html", ".xml"):  # &#x5F20; is a character too
        text += html.unescape(text)
    elif path.suffix == ".ics":  # lines folded every 75 bytes, \, and \; escaped (RFC 5545)
        text += re.sub(r"\r?\n[ \t]", "", text).replace("\\,", ",").replace("\\;", ";")
    return text


def _leaks(path: Path, rel: Path, found: re.Pattern[str], read: bool = True) -> Iterator[str]:
    """``file: value`` for a value in the file's name and, with ``read``, in what it says."""
    if match := found.search(str(rel)):
        yield f"{rel}（文件名）: {match.group()}"
    if read and path.is_file() and not path.is_symlink() and (match := found.search(readable_text(path))):
        yield f"{rel}: {match.group()}"


def scan_files(root: Path, values: set[str], skip: Iterable[Path] = ()) -> Iterator[str]:
    """``file: value`` for every public file under ``root`` that contains one of ``values``.

    Files in ``skip`` are read on their own later (the PDF, once written): only their names are checked.
    """
    if not values:
        return
    found = pattern(values)
    skipped = {Path(p).resolve() for p in skip}
    for path in sorted(root.rglob("*")):
        yield from _leaks(path, path.relative_to(root), found, read=path.resolve() not in skipped)


def scan_file(path: Path, root: Path, values: set[str]) -> list[str]:
    """Leaks of ``values`` in the one file ``path`` (shown relative to ``root``)."""
    return list(_leaks(path, path.relative_to(root), pattern(values))) if values else []
