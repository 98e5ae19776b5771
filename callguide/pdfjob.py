"""The PDF in a second process, laid out while mkdocs renders the site.

WeasyPrint's layout is single-threaded and takes most of a build; on a machine
with two cores the site and the PDF are made at the same time. The child gets
the very guide the site is built from (forked; pickled where fork is not
safe), writes the PDF to a private temporary folder and reports back its
result or a message an editor can act on. While it works, the pages laid out so far
are counted in shared memory, for the parent to show as progress.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import datetime as dt
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import CallGuideError, describe_os_error
from .guide import PublishedGuide
from .pdf import PdfError, PdfResult
from .weasy import ProgressReport
from .workdirs import PDF_WORK, new_folder

_PREFIX = {
    "template": "PDF 模板错误：",
    "pdf": "PDF 生成失败：",
    "os": "PDF 生成失败：",
    "internal": "PDF 生成失败（内部错误）：",
}


class PdfFailed(CallGuideError):
    """The PDF process failed; the message says what failed and why. ``kind``: a key of ``_PREFIX``."""

    def __init__(self, kind: str, message: str):
        super().__init__(_PREFIX.get(kind, "") + message, stage="PDF")
        self.kind = kind


def _die_with(parent: int) -> None:
    """A PDF process whose build was killed stops too (Linux: the kernel sends SIGKILL), rather than
    lay out a PDF nobody will take."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


def _work(
    parent: int,
    guide: PublishedGuide,
    root: Path,
    out: Path,
    date: dt.datetime,
    cache_dir: Path | None,
    conn: Connection,
    pages: ctypes.c_int,
    writing: ctypes.c_byte,
) -> None:
    _die_with(parent)
    from jinja2 import TemplateError

    from .pdf import build_pdf
    from .render import describe_template_error

    def report(laid_out: int, now_writing: bool) -> None:
        pages.value = laid_out
        writing.value = int(now_writing)

    try:
        conn.send(("ok", build_pdf(guide, root, out, date, report, cache_dir)))
    except TemplateError as exc:
        conn.send(("template", describe_template_error(exc)))
    except PdfError as exc:
        conn.send(("pdf", str(exc)))
    except OSError as exc:
        conn.send(("os", describe_os_error(exc)))
    except BaseException as exc:
        detail = traceback.format_exc() if os.environ.get("CALLGUIDE_DEBUG") else ""
        conn.send(("internal", f"{type(exc).__name__}: {exc}\n{detail}".rstrip()))
    finally:
        conn.close()


class PdfJob:
    """``build_pdf`` running in another process; ``result()`` waits for it, ``cancel()`` stops it."""

    def __init__(
        self,
        guide: PublishedGuide,
        root: Path,
        filename: str,
        date: dt.datetime,
        workdir: Path | None = None,
        cache_dir: Path | None = None,
    ):
        self.folder = new_folder(PDF_WORK, workdir or Path(tempfile.gettempdir()))
        self.path = self.folder / filename
        fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        ctx = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
        for stream in (sys.stdout, sys.stderr):  # a forked child would print what is still buffered
            stream.flush()
        self._conn, child = ctx.Pipe(duplex=False)
        self._pages = ctx.Value("i", 0, lock=False)  # pages laid out so far
        self._writing = ctx.Value("b", 0, lock=False)  # 1 once WeasyPrint writes the file
        self.process = ctx.Process(
            target=_work,
            args=(os.getpid(), guide, root, self.path, date, cache_dir, child, self._pages, self._writing),
            daemon=True,
        )
        self.process.start()
        child.close()

    def result(self, report: ProgressReport | None = None) -> PdfResult:
        """Wait for the PDF; raises PdfFailed. The file stays at ``self.path`` until ``move_to``/``cancel``.

        ``report`` hears the child's progress (pages laid out, writing) about four times a second,
        and once more when the result is in.
        """
        try:
            while report is not None and not self._conn.poll(0.25):
                report(self._pages.value, bool(self._writing.value))
            kind, payload = self._conn.recv()
            if report is not None and kind == "ok":
                report(payload.pages, True)
        except EOFError:
            kind, payload = "internal", "PDF 进程意外退出"
        finally:
            self._conn.close()
            self.process.join()
        if kind != "ok":
            self.cancel()
            raise PdfFailed(kind, payload)
        return payload

    def move_to(self, target: Path, result: PdfResult) -> PdfResult:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(self.path), str(target))
        shutil.rmtree(self.folder, ignore_errors=True)
        return dataclasses.replace(result, path=target)

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)
