"""The build's working folders beside ``site/``, named after the process that owns them.

A build writes the new site into ``.site-build-<pid>-*``, the PDF process into ``.pdf-build-<pid>-*``,
and moves the old site aside as ``.site-old-<pid>`` for an instant. A build that was killed leaves
them behind; the next build removes every such folder whose process is gone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

SITE_WORK = ".site-build-"
PDF_WORK = ".pdf-build-"
OLD_SITE = ".site-old-"
_OWNED = re.compile(rf"^(?:{re.escape(SITE_WORK)}|{re.escape(PDF_WORK)}|{re.escape(OLD_SITE)})(\d+)(?:-|$)")


def new_folder(prefix: str, parent: Path) -> Path:
    """A fresh folder ``<prefix><our pid>-*`` in ``parent``."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(parent: Path) -> list[Path]:
    """Remove the working folders in ``parent`` whose build is no longer running; returns them."""
    removed = []
    for entry in sorted(parent.glob(".*")) if parent.is_dir() else ():
        match = _OWNED.match(entry.name)
        if match and entry.is_dir() and not entry.is_symlink() and not _alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
