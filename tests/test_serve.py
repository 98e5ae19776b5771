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
    """The page at ``url`` (an error page's body too); None when nothing answers within 10 s."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return LIVERELOAD.sub("", response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return LIVERELOAD.sub("", exc.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command(root: Path, port: int) -> list[str]:
    return [
        sys.executable,
        str(PROJECT / "build.py"),
        "serve",
        "--root",
        str(root),
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]


@contextmanager
def serving(root: Path, console: Path | None = None) -> Iterator[str]:
    """``build.py serve`` on a free port; yields the URL the site is served under. ``console``: where
    what serve prints goes."""
    port = free_port()
    log = console.open("wb") if console else subprocess.DEVNULL
    server = subprocess.Popen(
        serve_command(root, port),
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=log,
        stderr=log,
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
        if console:
            log.close()  # type: ignore[union-attr]


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


def test_the_preview_survives_mistakes_and_says_where_they_are(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    guide = load_guide(root)[0]
    topic = guide.topics[0]
    source = root / "proposals" / f"{topic.slug}.yaml"
    page = f"topics/{topic.slug}.html"
    console = tmp_path / "console.txt"
    with serving(root, console) as base:
        assert f"预览地址：{base}" in console.read_text(encoding="utf-8")
        with urllib.request.urlopen(base + guide.call.pdf_filename, timeout=10) as response:
            assert response.headers["Content-Type"] == "application/pdf"
            assert response.read().startswith(b"%PDF-")  # a stand-in that says how to get the PDF

        # a full-width colon: the site gives way to a page that says where and what to do
        text = source.read_text(encoding="utf-8")
        line = text.splitlines().index(f"title: {topic.title}") + 1
        source.write_text(text.replace(f"title: {topic.title}", f"title：{topic.title}"), encoding="utf-8")
        broken = wait_for(base + page, "预览未更新")
        assert f"proposals/{topic.slug}.yaml:{line}:6: error yaml-fullwidth-colon" in broken
        assert "预览未更新" in (_get(base) or "") and "预览未更新" in (_get(base + "summary.html") or "")
        assert f"{topic.slug}.yaml:{line}:6" in console.read_text(encoding="utf-8")

        # fixed: the site is back
        source.write_text(text, encoding="utf-8")
        assert topic.title in wait_for(base + page, f"<title>{topic.number}. {topic.title}")
        assert "预览已更新" in console.read_text(encoding="utf-8")

        # a template error is a page too, never a hang
        template = root / "templates" / "site" / "topic.md.j2"
        original = template.read_text(encoding="utf-8")
        template.write_text(original + "\n{{ no_such_thing.at_all }}\n", encoding="utf-8")
        assert "topic.md.j2" in wait_for(base + page, "网站模板错误")
        template.write_text(original, encoding="utf-8")
        wait_for(base + page, f"<title>{topic.number}. {topic.title}")

        # a file just made by `build.py new` (a draft) does not stop the preview
        made = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), "new", "seawater-ro-membrane", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        deadline = time.monotonic() + 30
        while "草稿 proposals/seawater-ro-membrane.yaml" not in console.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, console.read_text(encoding="utf-8")
            time.sleep(0.2)
        assert "预览未更新" not in (_get(base + page) or "")

        # a second preview on the same port: one line that names --dev-addr
        port = base.split(":")[2].split("/")[0]
        second = subprocess.run(
            serve_command(root, int(port)),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2 and "--dev-addr" in second.stderr and "Traceback" not in second.stderr
