"""What the project asks of git: the commit a ref names, the files of a folder at a commit and their
contents (``build.py diff``, and the history since publication in ``history.py``)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import CallGuideError


class GitError(CallGuideError):
    """git could not answer: not a repository, or an unknown ref (a usage error: exit 2)."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message, stage="比较")


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("找不到 git 命令；请先安装 git") from exc
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return result.stdout


def resolve(root: Path, base: str) -> str:
    """The commit id of ``base``; raises GitError for a bad ref or outside a repository."""
    try:
        git(root, "rev-parse", "--git-dir")
    except GitError as exc:
        raise GitError(f"{root} 不在 git 仓库中（{exc}）") from exc
    if base.startswith("-"):
        raise GitError(f"“{base}”不是 git 版本")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"git 中找不到版本“{base}”（分支、标签或提交）") from None


def tree_entries(root: Path, commit: str, folder: str) -> list[tuple[str, str, str, str]]:
    """``folder`` at ``commit``: (mode, kind, object id, file name) of each entry, subfolders included."""
    listing = git(root, "ls-tree", "-z", commit, "--", f"{folder}/")
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        entries.append((mode, kind, oid, Path(os.fsdecode(path)).name))
    return entries


def write_tree(root: Path, commit: str, folder: str, target: Path) -> Path:
    """The files of ``folder`` as they were at ``commit``, written into ``target/folder`` (no subfolders)."""
    entries = tree_entries(root, commit, folder)
    blobs = [(mode, oid, name) for mode, kind, oid, name in entries if kind == "blob"]  # no subfolders
    contents = cat_blobs(root, [oid for _, oid, _ in blobs])
    out = target / folder
    out.mkdir(parents=True)
    for (mode, _, name), data in zip(blobs, contents, strict=True):
        file = out / name
        if mode == "120000":  # a symlink: the check reports it as such
            file.symlink_to(os.fsdecode(data))
        else:
            file.write_bytes(data)
    return out


def cat_blobs(root: Path, oids: list[str]) -> list[bytes]:
    if not oids:
        return []
    out = git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    contents, pos = [], 0
    for _ in oids:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        contents.append(out[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return contents
