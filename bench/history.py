"""How long reading the guide's history since publication takes: N synthetic topics published in one
commit, then C commits that each correct K topics; prints the seconds of ``read_history`` (best of 3)
and of the whole ``build.py check``.

    .venv/bin/python bench/history.py [N] [C] [K]      (default 1000 20 5)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write

from callguide.check import check_paths
from callguide.history import read_history

PROJECT = Path(__file__).resolve().parent.parent
GIT = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "Bench"}
GIT |= {
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = os.environ | GIT | ({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def repository(root: Path, n: int, commits: int, per_commit: int) -> None:
    write(n, root)
    shutil.copy2(PROJECT / "call.yaml", root / "call.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "published", date="2026-11-24T10:00:00+08:00")
    files = sorted((root / "proposals").glob("*.yaml"))
    for c in range(commits):
        for path in files[c * per_commit : (c + 1) * per_commit]:
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("guide:\n", "guide:\n  # corrected\n", 1).replace(
                    "  call_scope: ", "  call_scope: （修订）", 1
                ),
                encoding="utf-8",
            )
        git(root, "commit", "-qam", f"correction {c}", date=f"2026-12-{c % 28 + 1:02d}T10:00:00+08:00")


def main(argv: list[str]) -> int:
    n, commits, per_commit = (int(a) for a in (argv + ["1000", "20", "5"][len(argv) :])[:3])
    with tempfile.TemporaryDirectory(prefix="callguide-bench-history-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        repository(root, n, commits, per_commit)
        made = time.perf_counter() - start
        checked, _ = check_paths([root / "proposals"], root)
        current = {c.slug: c.proposal for c in checked}
        times, events = [], 0
        for _ in range(3):
            start = time.perf_counter()
            history = read_history(root, dt.date(2026, 11, 25), current, dt.date(2026, 12, 31))
            times.append(time.perf_counter() - start)
            events = len(history.events)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), "check", "--root", str(root)], capture_output=True
        )
        check = time.perf_counter() - start
    print(
        f"{n} topics, {commits} commits after publication × {per_commit} corrected topics (repository made in {made:.1f} s)"
    )
    print(f"read_history: {min(times):.2f} s (best of 3; {events} revision events)")
    print(f"build.py check (with the history): {check:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
