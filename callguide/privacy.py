"""The privacy scan: no public output may contain a proposer's name, organisation or phone.

A second line of defence beside the tests: the build reads every file it is
about to publish (pages, search index, JSON, CSV, sitemap, the PDF's text and
metadata, file names) and refuses to publish when a proposer value is found.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from .model import Proposer


def needles(proposers: Iterable[Proposer]) -> set[str]:
    """The strings that must never be published: name, organisation and phone (as written and digits only)."""
    found: set[str] = set()
    for p in proposers:
        found.update({p.name.strip(), p.organization.strip(), p.phone.strip()})
        digits = re.sub(r"\D", "", p.phone)
        if len(digits) >= 7:
            found.add(digits)
    return {n for n in found if len(n) >= 2}


def _pdf_text(path: Path) -> str:
    """The PDF's text and metadata, read by poppler-utils when installed, else by pypdf."""
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        text = subprocess.run(
            ["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        )
        info = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, check=True)
        return text.stdout.decode("utf-8", "replace") + info.stdout.decode("utf-8", "replace")
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
        return _pdf_text(path) + data.decode("latin-1")
    text = data.decode("utf-8", "replace")
    if path.suffix == ".json":
        with contextlib.suppress(ValueError):  # \uXXXX escapes would hide a Chinese name
            text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def scan_files(root: Path, values: set[str]) -> Iterator[str]:
    """``file: value`` for every public file under ``root`` that contains one of ``values``."""
    if not values:
        return
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if match := pattern.search(str(rel)):
            yield f"{rel}（文件名）: {match.group()}"
        if path.is_file() and not path.is_symlink() and (match := pattern.search(readable_text(path))):
            yield f"{rel}: {match.group()}"


def scan(site_dir: Path, guide: object, proposers: Iterable[Proposer] = ()) -> list[str]:
    """Leaks of any proposer (published or not) in ``site_dir``."""
    private = getattr(guide, "private", {})
    return list(scan_files(site_dir, needles([*private.values(), *proposers])))
