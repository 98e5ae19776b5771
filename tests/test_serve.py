"""``build.py serve``: an edit is served after the reload, and the pages kept from the previous
build (callguide.servecache) are byte for byte the pages a fresh start serves."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import PROJECT, copy_project

from callguide.guide import load_guide

pytestmark = pytest.mark.slow
LIVERELOAD = re.compile(r"<script>[^<]*livereload\([^<]*</script>(?=</body>)")  # injected per request


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return LIVERELOAD.sub("", response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """``build.py serve`` on a free port; yields the URL the site is served under."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "serve",
            "--root",
            str(root),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    yield response.geturl().rsplit("/", 1)[0] + "/"
                    break
            except (urllib.error.URLError, OSError):
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str, text: str) -> str:
    deadline = time.monotonic() + 60
    while text not in (page := _get(url) or ""):
        assert time.monotonic() < deadline, f"{text} not served at {url}"
        time.sleep(0.1)
    return page


def test_reloads_serve_the_edit_and_the_same_pages_as_a_fresh_start(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    guide = load_guide(root)[0]
    field = next(g for g in guide.groups if len(g.topics) >= 2)
    edited, neighbour = field.topics[0], field.topics[1]
    elsewhere = next(g for g in guide.groups if g is not field).topics[0]
    source = root / "proposals" / f"{edited.slug}.yaml"
    pages = ["index.html", "summary.html", *(f"topics/{t.slug}.html" for t in guide.topics)]

    with serving(root) as base:
        untouched = _get(base + f"topics/{elsewhere.slug}.html")
        assert untouched and elsewhere.title in untouched
        text = source.read_text(encoding="utf-8")
        # the overview's text starts on the line after "overview: |"
        source.write_text(re.sub(r"(overview: \|\n\s+)", r"\g<1>改稿标记甲", text, count=1), encoding="utf-8")
        wait_for(base + f"topics/{edited.slug}.html", "改稿标记甲")
        assert _get(base + f"topics/{elsewhere.slug}.html") == untouched  # kept from the cache
        # a new title changes the navigation: the other topics of the field list it
        text = source.read_text(encoding="utf-8")
        source.write_text(
            text.replace(f"title: {edited.title}", f"title: {edited.title}改稿标记乙"), encoding="utf-8"
        )
        wait_for(base + f"topics/{neighbour.slug}.html", "改稿标记乙")
        served = {page: _get(base + page) for page in pages}

    with serving(root) as base:
        fresh = {page: _get(base + page) for page in pages}
    assert all(served.values())
    assert served == fresh
