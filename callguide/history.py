"""The guide after publication, read from git: which published topics changed, when, and how.

The guide as published is ``proposals/`` at the last commit of HEAD's first-parent line made on or
before the call's ``publish_date`` (Beijing time). Every later commit of that line that touched
``proposals/`` (a merged pull request counts once, dated when it was merged), then the working tree,
is compared with the state before it, topic by topic, each file read by the check itself:

- a published topic whose public content changed: ``revised``, with the public parts that changed
  (a change to private data, ``status`` aside, is no revision);
- a published topic set to another status: ``withdrawn``; set back to ``accepted``: ``restored``;
- a topic first accepted after publication: ``added``; a published topic's file deleted: ``deleted``
  (its address is lost: the check says to keep the file with ``status: withdrawn`` instead).

A file that does not pass the check at some commit is skipped there: a build of that commit failed,
so nothing was published from it. Without the history (not a git repository, a shallow clone, no
commit on or before the publication date) ``History.missing`` says why and no event is derived:
no revision list rather than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from . import model as m
from .call import BEIJING, date_cn
from .check import check_document
from .compare import changes, public_parts
from .gitsource import GitError, cat_blobs, git, tree_entries
from .loading import load

PROPOSALS = "proposals"
Kind = Literal["revised", "withdrawn", "restored", "added", "deleted"]
_COMMIT = re.compile(r"^([0-9a-f]{40}) (\d+)$")


@dataclass(frozen=True)
class Event:
    slug: str
    date: dt.date
    kind: Kind
    parts: tuple[str, ...] = ()  # the labels of the public parts that changed (``revised``)


@dataclass
class History:
    events: list[Event] = field(default_factory=list)
    published: set[str] = field(default_factory=set)  # slugs published at some time since publication
    missing: str | None = None  # why there is no history to read

    def of(self, slug: str) -> list[Event]:
        return [e for e in self.events if e.slug == slug]


def missing_notice(reason: str) -> str:
    """What the build says, once, when ``History.missing`` gives a reason."""
    return (
        f"提示：{reason}，无法得知指南发布后改了什么：本次不列出由 git 得出的修订记录，发布后撤回的专题也不保留页面"
        "（revisions 中写明的修订说明照常发布）。请在完整的 git 克隆中构建（GitHub 工作流已取完整历史）。"
    )


def _day(epoch: int) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, BEIJING).date()


class _Replay:
    """The published state, advanced one change at a time; records the events."""

    def __init__(self) -> None:
        self.history = History()
        self.last: dict[str, m.Proposal] = {}  # slug -> the last valid version
        self.live: set[str] = set()  # slugs published now

    def start(self, slug: str, proposal: m.Proposal) -> None:
        self.last[slug] = proposal
        if proposal.status == "accepted":
            self.live.add(slug)
            self.history.published.add(slug)

    def change(self, slug: str, proposal: m.Proposal, date: dt.date) -> None:
        before, was, now = self.last.get(slug), slug in self.live, proposal.status == "accepted"
        event: Event | None = None
        if was and now and before is not None:
            parts = public_parts(changes(before, proposal))
            if parts:
                event = Event(slug, date, "revised", parts)
        elif was and not now:
            event = Event(slug, date, "withdrawn")
            self.live.discard(slug)
        elif not was and now:
            event = Event(slug, date, "restored" if slug in self.history.published else "added")
            self.live.add(slug)
            self.history.published.add(slug)
        if event is not None:
            self.history.events.append(event)
        self.last[slug] = proposal

    def delete(self, slug: str, date: dt.date) -> None:
        if slug in self.live:
            self.history.events.append(Event(slug, date, "deleted"))
            self.live.discard(slug)
        self.last.pop(slug, None)


def _stem(name: str) -> str | None:
    base = os.path.basename(name)
    for suffix in (".yaml", ".yml"):
        if base.endswith(suffix) and "/" not in name.removeprefix(f"{PROPOSALS}/"):
            return base.removesuffix(suffix)
    return None


def _log(root: Path, base: str, prefix: str) -> list[tuple[dt.date, list[tuple[str, str, str]]]]:
    """The commits after ``base`` on the first-parent line: (date, [(status, path, new blob)]), the paths
    relative to ``root`` (the repository's top-level folder plus ``prefix``)."""
    out = git(
        root,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x00%H %ct",
        f"{base}..HEAD",
        "--",
        f"{PROPOSALS}/",
    ).decode("utf-8", "surrogateescape")
    commits: list[tuple[dt.date, list[tuple[str, str, str]]]] = []
    tokens = iter(out.split("\0"))
    for token in tokens:
        token = token.lstrip("\n")
        if not token:
            continue
        if found := _COMMIT.match(token):
            commits.append((_day(int(found.group(2))), []))
        elif token.startswith(":") and commits:
            meta = token.split()
            path = next(tokens, "")
            commits[-1][1].append((meta[4][0], path.removeprefix(prefix), meta[3]))
    return commits


def _listing(root: Path, commit: str) -> dict[str, str]:
    """``proposals/`` at ``commit``: {file name: blob} (symbolic links and subfolders left out)."""
    return {
        name: oid
        for mode, kind, oid, name in tree_entries(root, commit, PROPOSALS)
        if kind == "blob" and mode != "120000"
    }


class _Reader:
    """Blobs read by the check, each once (a file that does not pass gives None). A blob with the bytes
    of the working tree's file is that file, already checked: most of them, the rest of a guide being
    unchanged since publication."""

    def __init__(self, root: Path, folder: Path, current: Mapping[str, m.Proposal | None]):
        self.root, self.folder, self.current = root, folder, current
        self.seen: dict[tuple[str, str], m.Proposal | None] = {}

    def prefetch(self, wanted: set[tuple[str, str]]) -> None:
        todo = sorted(w for w in wanted if w not in self.seen)
        for (oid, name), data in zip(todo, cat_blobs(self.root, [oid for oid, _ in todo]), strict=True):
            slug = _stem(name)
            if slug is not None and slug in self.current and self._unchanged(name, data):
                self.seen[(oid, name)] = self.current[slug]
                continue
            path = self.folder / oid / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            self.seen[(oid, name)] = check_document(load(path)).proposal

    def _unchanged(self, name: str, data: bytes) -> bool:
        try:
            return (self.root / PROPOSALS / name).read_bytes() == data
        except OSError:
            return False

    def __call__(self, oid: str, name: str) -> m.Proposal | None:
        return self.seen.get((oid, name))


def read_history(
    root: Path, publish_date: dt.date, current: Mapping[str, m.Proposal | None], today: dt.date
) -> History:
    """The events since ``publish_date``; ``current``: the checked files of the working tree by slug
    (None: it does not pass the check), compared last and dated ``today`` (as is a file deleted there)."""
    try:
        if git(root, "rev-parse", "--is-shallow-repository").strip() == b"true":
            return History(missing="这是浅克隆（shallow clone），git 历史不完整")
        end = dt.datetime.combine(publish_date, dt.time(23, 59, 59), tzinfo=BEIJING)
        base = (
            git(root, "rev-list", "-1", "--first-parent", f"--before={end.isoformat()}", "HEAD")
            .decode()
            .strip()
        )
    except GitError as exc:
        reason = exc.message.splitlines()[0] if exc.message else ""
        if "not a git repository" in reason:
            reason = "不在 git 仓库中"
        return History(missing=f"读不到 git 历史（{reason}）")
    if not base:
        return History(missing=f"git 历史中没有发布日期（{date_cn(publish_date)}）当天或以前的提交")
    replay = _Replay()
    with tempfile.TemporaryDirectory(prefix="callguide-history-") as tmp:
        read = _Reader(root, Path(tmp), current)
        start = _listing(root, base)
        commits = _log(root, base, git(root, "rev-parse", "--show-prefix").decode().strip())
        read.prefetch(
            {(oid, name) for name, oid in start.items()}
            | {(oid, os.path.basename(path)) for _, files in commits for st, path, oid in files if st != "D"}
        )
        for name, oid in sorted(start.items()):
            if (slug := _stem(name)) is not None and (proposal := read(oid, name)) is not None:
                replay.start(slug, proposal)
        for date, files in commits:
            for status, path, oid in files:
                if (slug := _stem(path)) is None:
                    continue
                if status == "D":
                    replay.delete(slug, date)
                elif (proposal := read(oid, os.path.basename(path))) is not None:
                    replay.change(slug, proposal, date)
    folder = root / PROPOSALS
    for slug in sorted(set(replay.last) - set(current)):
        if not any((folder / f"{slug}{suffix}").exists() for suffix in (".yaml", ".yml")):
            replay.delete(slug, today)
    for slug, proposal in sorted(current.items()):
        if proposal is not None:
            replay.change(slug, proposal, today)
    return replay.history
