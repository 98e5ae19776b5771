"""The PDF of an earlier build, reused when nothing it is made from has changed.

Laying out the PDF is most of a build. Its bytes depend only on the document's HTML (which holds
every published text, the front matter and the date), the files under ``templates/pdf/``, the fonts
fontconfig offers, and the code that lays it out (WeasyPrint and the libraries under it, Pango,
HarfBuzz, ``callguide/pdf.py``); two builds of the same inputs are byte-identical (tested). So the
PDF is kept under ``build/cache/pdf/`` keyed on a digest of all of these, and a build whose key is
already there copies that file instead of laying the document out again.

``build.py --no-cache`` (mkdocs.yml: ``pdf_cache: false``) makes a build lay the PDF out afresh.
The cache holds the public PDF only, and lives outside ``site/``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import subprocess
import time
from functools import cache
from importlib import metadata
from pathlib import Path

FORMAT = "1"  # bump when what the key covers changes
KEEP = 4  # entries kept; the oldest go first
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pyphen", "pillow")


def folder(root: Path) -> Path:
    """Where the PDFs are kept for ``root``."""
    return root / "build" / "cache" / "pdf"


def key(html: str, root: Path) -> str:
    """The digest of everything the PDF's bytes depend on."""
    h = hashlib.sha256()
    for part in (FORMAT, _code(), _fonts(), _assets(root / "templates" / "pdf"), html):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def lookup(cache_dir: Path, digest: str) -> tuple[Path, int] | None:
    """The kept PDF for ``digest`` and its page count, if it is there and intact."""
    pdf, info = cache_dir / f"{digest}.pdf", cache_dir / f"{digest}.json"
    try:
        meta = json.loads(info.read_text(encoding="utf-8"))
        if hashlib.sha256(pdf.read_bytes()).hexdigest() != meta["sha256"]:
            return None
        _touch(pdf)  # recently used: kept longest
        return pdf, int(meta["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(cache_dir: Path, digest: str, pdf: Path, pages: int) -> None:
    """Keep a copy of ``pdf`` under ``digest``; drop the least recently used beyond ``KEEP``."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".{digest}.{os.getpid()}.tmp"
    shutil.copyfile(pdf, tmp)
    meta = {"pages": pages, "sha256": hashlib.sha256(tmp.read_bytes()).hexdigest()}
    (cache_dir / f"{digest}.json").write_text(json.dumps(meta), encoding="utf-8")
    tmp.replace(cache_dir / f"{digest}.pdf")
    _touch(cache_dir / f"{digest}.pdf")
    kept = sorted(cache_dir.glob("*.pdf"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def _touch(path: Path) -> None:
    """Mark ``path`` as used now, to the nanosecond (the file system's own clock may be coarser)."""
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def _assets(folder: Path) -> str:
    if not folder.is_dir():
        return ""
    lines = [
        f"{path.relative_to(folder).as_posix()} {hashlib.sha256(path.read_bytes()).hexdigest()}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]
    return "\n".join(lines)


@cache
def _fonts() -> str:
    """Every font fontconfig offers: file, version, family and style, with the file's size and time."""
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{file}|%{fontversion}|%{family}|%{style}\n"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "no fc-list"
    lines = []
    for line in sorted(set(out.splitlines())):
        try:
            st = os.stat(line.split("|", 1)[0])
            lines.append(f"{line}|{st.st_size}|{st.st_mtime_ns}")
        except OSError:
            lines.append(line)
    return "\n".join(lines)


@cache
def _code() -> str:
    """The versions of the code that lays the PDF out, and the source of ``callguide/pdf.py``."""
    parts = []
    for name in LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none")
    try:
        from weasyprint.text.ffi import pango

        parts.append(f"pango={pango.pango_version()}")
    except (ImportError, OSError, AttributeError):
        parts.append("pango=?")
    parts.append(f"harfbuzz={_harfbuzz()}")
    for module in ("pdf.py", "weasy.py", "archival.py"):  # how the document is written
        source = Path(__file__).with_name(module).read_bytes()
        parts.append(f"{module}={hashlib.sha256(source).hexdigest()}")
    return "\n".join(parts)


def _harfbuzz() -> str:
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
        lib.hb_version_string.restype = ctypes.c_char_p
        return lib.hb_version_string().decode("ascii")
    except (OSError, AttributeError):
        return "?"
