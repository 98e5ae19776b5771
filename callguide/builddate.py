"""The build's one date: every date written into the outputs (sitemap, PDF metadata, cover) comes from here.

``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else the latest commit's date,
else the call's publication date; two builds of the same commit are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .call import Call
from .errors import CallGuideError


def build_epoch(root: Path, call: Call) -> int:
    """Seconds since 1970 for the build of ``root``."""
    if value := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        try:
            return int(value)
        except ValueError:
            raise CallGuideError(f"SOURCE_DATE_EPOCH 应为 Unix 时间戳（秒），实际为 {value!r}") from None
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=30
        )
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return int(result.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return int(dt.datetime.combine(call.publish_date, dt.time(), tzinfo=dt.UTC).timestamp())


def as_datetime(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


@contextmanager
def source_date(epoch: int) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set while mkdocs builds (its sitemap reads the environment), then restored."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
