"""How long an editor waits under ``build.py serve``: edit one proposal, until the page served shows it.

    .venv/bin/python bench/serve_reload.py            # 200 topics, 3 edits
    .venv/bin/python bench/serve_reload.py 200 5      # N topics, k edits

Starts ``build.py serve`` (mkdocs serve with live reload) on a free 127.0.0.1 port over N synthetic
proposals, waits until the site is served, then k times: rewrites the first characters of one
topic's overview (same length) and polls that topic's page until it contains the new text. The
time runs from the write to the first response holding it: mkdocs' file watcher (it polls every
0.5 s), the rebuild, and the request. Target: under 2 s for 200 topics.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import PROJECT, write


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _home(url: str) -> str | None:
    """The URL the site is served under (mkdocs serve mounts it at site_url's path and redirects there)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.geturl()
    except (urllib.error.URLError, OSError):
        return None


def _edit(path: Path, marker: str) -> None:
    """Replace the overview's first characters by ``marker`` (same length: the file stays valid)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("overview:"):
            j = i + 1  # a block scalar: the text starts on the next line, indented
            text = lines[j]
            indent = len(text) - len(text.lstrip())
            lines[j] = text[:indent] + marker + text[indent + len(marker) :]
            break
    else:
        raise ValueError(f"{path}: no overview block")
    path.write_text("".join(lines), encoding="utf-8")


def measure(n: int = 200, edits: int = 3, timeout: float = 60) -> list[float]:
    """Seconds from each edit to the page served with it."""
    rng = random.Random(n)
    with tempfile.TemporaryDirectory(prefix=f"callguide-serve-{n}-") as tmp:
        root = write(n, Path(tmp))
        port = _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        with tempfile.TemporaryFile() as log:
            server = subprocess.Popen(
                [sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(root),
                 "--dev-addr", f"127.0.0.1:{port}"],
                env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                deadline = time.monotonic() + 600
                while (base := _home(f"http://127.0.0.1:{port}/")) is None:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError("serve did not start:\n" + log.read().decode()[-3000:])
                    time.sleep(0.2)
                times = []
                for k in range(edits):
                    slug = f"synthetic-{rng.randrange(1, n + 1):04d}"
                    marker = f"改稿{rng.randrange(10**6):06d}号"
                    url = f"{base.rsplit('/', 1)[0]}/topics/{slug}.html"
                    time.sleep(1.5)  # let the watcher settle after the previous edit
                    start = time.perf_counter()
                    _edit(root / "proposals" / f"{slug}.yaml", marker)
                    while marker not in (_get(url) or ""):
                        if time.perf_counter() - start > timeout:
                            log.seek(0)
                            raise RuntimeError(
                                f"edit {k} not served in {timeout} s:\n{log.read().decode()[-3000:]}"
                            )
                        time.sleep(0.02)
                    times.append(time.perf_counter() - start)
                return times
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("topics", nargs="?", type=int, default=200, metavar="N", help="topics (default 200)")
    p.add_argument("edits", nargs="?", type=int, default=3, metavar="K", help="edits timed (default 3)")
    args = p.parse_args(argv)
    n, edits = args.topics, args.edits
    times = measure(n, edits)
    print(f"serve, {n} topics: edit → page served with the edit: " + ", ".join(f"{t:.2f} s" for t in times))


if __name__ == "__main__":
    main(sys.argv[1:])
