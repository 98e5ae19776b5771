"""The one family of errors an editor sees: each says in which stage it stopped and why, in Chinese.

``cli.main`` catches ``CallGuideError`` once and exits with its ``exit_code``; every other exception
is an internal error and is reported as such. The machine's own failures (a full disk, a file that
may not be written) are named for what they are, with the path.
"""

from __future__ import annotations

import errno


class CallGuideError(Exception):
    """A failure with a message an editor can act on. ``stage``: where it happened, e.g. 检查, PDF."""

    exit_code = 1

    def __init__(self, message: str, stage: str = "构建"):
        super().__init__(message)
        self.message = message
        self.stage = stage


def describe_os_error(exc: OSError) -> str:
    """``OSError`` as the machine's problem, with the path: 磁盘空间不足, 没有权限, …"""
    where = f" {exc.filename}" if exc.filename is not None else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足，无法写入{where}；请清理磁盘后重试"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有权限写入或读取{where}；请检查该文件或目录的权限"
    return f"文件操作失败（{exc.strerror or exc}）{where}"
