"""Measure Chinese search approaches on the query set in tests/data/search_queries.yaml.

Builds the site once per approach (a copy of the project in bench/out/), runs every query in
headless Chromium through the search the site actually ships, and prints one Markdown table:
for each approach, the share of queries whose expected topic is the first result (hit@1), among
the first three (hit@3) and among the first ten (hit@10), and the mean reciprocal rank; overall
and by kind of query (a jieba word of the topic, a prefix of one, or a string that cuts across
jieba's segmentation).

    .venv/bin/python bench/search_compare.py [APPROACH ...]

The Material baselines need jieba (``.venv/bin/pip install jieba``: the site itself does not use
it any more); Pagefind needs ``pip install pagefind[extended]``, and is skipped when it is missing.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jieba
import yaml

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "bench" / "out" / "search"
QUERIES = PROJECT / "tests" / "data" / "search_queries.yaml"
INPUTS = ("mkdocs.yml", "call.yaml", "proposals", "content", "templates")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ZH_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"


# --- the approaches: a change to mkdocs.yml (and files) of a copy of the project ----------------


def _search_options(root: Path, options: str) -> None:
    """Replace the options of the search plugin in the copy's mkdocs.yml."""
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    old = "  - search:\n"
    start = text.index(old)
    end = text.index("\n  - callguide", start)
    cfg.write_text(text[:start] + old + options + text[end:], encoding="utf-8")


def _material_worker(root: Path) -> None:
    """Drop the theme override: Material's own search worker (lunr) searches the index."""
    cfg = root / "mkdocs.yml"
    lines = cfg.read_text(encoding="utf-8").splitlines(keepends=True)
    cfg.write_text("".join(line for line in lines if "custom_dir:" not in line), encoding="utf-8")


def material_jieba(root: Path) -> None:
    """Material's built-in search as documented for Chinese: jieba segments the index."""
    _material_worker(root)
    _search_options(root, "      lang: zh")


def callguide_bigrams(root: Path) -> None:
    """The site as configured: Material's UI, our worker (MiniSearch, CJK bigrams, AND)."""


def material_jieba_userdict(root: Path) -> None:
    """… plus a jieba user dictionary: the titles and key technology names, cut at connectives."""
    import json
    import re

    from callguide.guide import load_guide

    guide, _, _ = load_guide(root)
    words: set[str] = set()
    for t in guide.topics:
        for name in (t.title, *(k.name for k in t.key_technologies)):
            words.update(w for w in re.split(r"[与和及的、，—\s]+", name) if len(w) >= 2)
    _material_worker(root)
    (root / "userdict.txt").write_text("".join(f"{w} 100000\n" for w in sorted(words)), encoding="utf-8")
    _search_options(root, f"      lang: zh\n      jieba_dict_user: {json.dumps(str(root / 'userdict.txt'))}")


def material_chars(root: Path) -> None:
    """Material's search with a separator that also splits between any two Han characters."""
    sep = ZH_SEPARATOR + rf"|(?<=[{HAN}])(?=[{HAN}])"
    _material_worker(root)
    _search_options(root, f"      lang: zh\n      separator: '{sep}'")


def pagefind(root: Path) -> None:
    """Pagefind (extended: Chinese segmentation), indexing the article of every page."""
    material_jieba(root)


APPROACHES: dict[str, Callable[[Path], None]] = {
    "material-jieba": material_jieba,
    "material-jieba-userdict": material_jieba_userdict,
    "material-chars": material_chars,
    "pagefind": pagefind,
    "callguide-bigrams": callguide_bigrams,
}


def build(name: str) -> Path:
    root = OUT / name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for item in INPUTS:
        src = PROJECT / item
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / item)
    APPROACHES[name](root)
    env = {"CALLGUIDE_PDF": "false", "NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=env,
    )
    if run.returncode:
        raise SystemExit(f"{name}: mkdocs build failed\n{run.stderr}")
    if name != "callguide-bigrams":
        # the build leaves Material a stub index that only our worker knows to complete
        # (callguide.site.defer_search_index): the other approaches get the whole index back
        site = root / "site"
        shutil.copyfile(site / "search" / "search_data.json", site / "search" / "search_index.json")
    if name == "pagefind":
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]

        subprocess.run(
            [str(get_executable()), "--site", str(root / "site"), "--root-selector", "article"],
            check=True,
            capture_output=True,
        )
    return root / "site"


# --- running the queries in Chromium -----------------------------------------------------------


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def material_results(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The result pages, in order, that Material's search shows for ``query``."""
    box = page.locator("input.md-search__input")
    box.click()
    # forget the previous result, so that the wait below is for this query's
    page.eval_on_selector(".md-search-result__meta", "m => { m.textContent = '' }")
    box.fill(query)
    box.press("End")  # Material listens to keyup
    page.wait_for_function(
        "q => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent !== '' && !/初始化|键入/.test(m.textContent) && document.querySelector('input.md-search__input').value === q }",
        arg=query,
    )
    time.sleep(0.15)
    return page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)"
    )


def pagefind_results(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """async q => {
            window.pf ||= await import('./pagefind/pagefind.js');
            const r = await window.pf.search(q);
            const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
            return data.map(d => new URL(d.url, location.href).href);
        }""",
        query,
    )


def slug_of(url: str) -> str | None:
    path = url.split("#")[0].split("?")[0]
    if "/topics/" not in path:
        return None
    return path.rsplit("/", 1)[-1].removesuffix(".html") or path.rstrip("/").rsplit("/", 1)[-1]


def run_queries(site: Path, engine: str, queries: list[str]) -> list[list[str]]:
    """For each query, the result pages (paths without anchors, best first, at most ten)."""
    from playwright.sync_api import sync_playwright

    out = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "trl.html")
        for q in queries:
            urls = (pagefind_results if engine == "pagefind" else material_results)(page, q)
            out.append(list(dict.fromkeys(u.split("#")[0].split("?")[0] for u in urls))[:10])
        browser.close()
    return out


# --- the kinds of query, and the table ---------------------------------------------------------


def kind(query: str, names: list[str]) -> str:
    tokens = [w for n in names for w in jieba.cut(n)]
    if query in tokens:
        return "word"
    if any(w.startswith(query) for w in tokens):
        return "prefix"
    return "cross"


def main(argv: list[str]) -> int:
    jieba.setLogLevel(logging.ERROR)
    sys.path.insert(0, str(PROJECT))
    from callguide.guide import load_guide

    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    queries, no_match = data["queries"], data["no_match"]
    guide, _, _ = load_guide(PROJECT)
    names = {t.slug: [t.title, *(k.name for k in t.key_technologies)] for t in guide.topics}
    kinds = [q.get("kind") or kind(q["query"], names[q["expect"]]) for q in queries]
    rows = []
    for name in argv or list(APPROACHES):
        if name == "pagefind":
            try:
                import pagefind_bin_extended  # type: ignore[import-not-found]  # noqa: F401
            except ImportError:
                print("pagefind: skipped (pip install 'pagefind[extended]')", file=sys.stderr)
                continue
        site = build(name)
        results = run_queries(
            site, name if name == "pagefind" else "material", [q["query"] for q in queries] + no_match
        )
        slugs = [[slug_of(u) for u in pages] for pages in results]
        r = [
            s.index(q["expect"]) + 1 if q["expect"] in s else None
            for q, s in zip(queries, slugs, strict=False)
        ]
        false_hits = sum(1 for s in slugs[len(queries) :] if any(s))
        size = sum(len(p) for p in results[: len(queries)]) / len(queries)
        rows.append((name, r, false_hits, size))
        misses = [q["query"] for q, x in zip(queries, r, strict=True) if x != 1]
        print(f"{name}: not first for {' '.join(misses) or '—'}", file=sys.stderr)

    def share(r: list[int | None], k: int, only: str | None = None) -> str:
        sel = [x for x, kd in zip(r, kinds, strict=True) if only is None or kd == only]
        return f"{sum(1 for x in sel if x is not None and x <= k)}/{len(sel)}"

    every = ("word", "prefix", "cross", "partial", "number", "english")
    counts = {k: kinds.count(k) for k in every}
    print(
        f"{len(queries)} queries ({counts['word']} jieba words of the topic, {counts['prefix']} prefixes of one, "
        f"{counts['cross']} across jieba's segmentation, {counts['partial']} of words not side by side, "
        f"{counts['number']} numbers with units, {counts['english']} English) "
        f"and {len(no_match)} strings that are in no topic\n"
    )
    print(
        "| approach | hit@1 | hit@3 | hit@10 | MRR | "
        + " | ".join(f"hit@1 {k}" for k in every)
        + " | pages per query | no-match queries answered |"
    )
    print("|---" * (len(every) + 7) + "|")
    for name, r, false_hits, size in rows:
        mrr = sum(1 / x for x in r if x) / len(r)
        print(
            f"| {name} | {share(r, 1)} | {share(r, 3)} | {share(r, 10)} | {mrr:.2f} | "
            + " | ".join(share(r, 1, k) for k in every)
            + f" | {size:.1f} | {false_hits}/{len(no_match)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
