"""Lighthouse (mobile, the default) on the built site, served on 127.0.0.1 only, in Debian Chromium:
prints the four scores and the audits that kept each below 100 for the home page, a topic, the summary
and the search page.

    npm ci --prefix bench/lighthouse          (once: Lighthouse itself, 114 packages)
    .venv/bin/python build.py && .venv/bin/python bench/lighthouse.py [SITE]
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = PROJECT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TOPIC = "topics/deep-sea-aquaculture-platform-mooring-feeding.html"
PAGES = {"home": "index.html", "topic": TOPIC, "summary": "summary.html", "search": "index.html?q=养殖"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def audit(url: str, out: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def below(report: dict, category: str) -> list[str]:
    """The audits of ``category`` that scored below 1 (their ids), heaviest first."""
    refs = report["categories"][category]["auditRefs"]
    failing = [
        (r.get("weight", 0), r["id"])
        for r in refs
        if (score := report["audits"][r["id"]].get("score")) is not None and score < 1
    ]
    return [name for _, name in sorted(failing, reverse=True)]


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else PROJECT / "site"
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: npm ci --prefix bench/lighthouse", file=sys.stderr)
        return 2
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print("| page | performance | accessibility | best practices | SEO | below 100 |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in PAGES.items():
            report = audit(base + path, Path(tmp) / f"{name}.json")
            scores = [round(100 * report["categories"][c]["score"]) for c in CATEGORIES]
            notes = "; ".join(
                f"{c}: {', '.join(below(report, c)[:4])}" for c in CATEGORIES if below(report, c)
            )
            print(f"| {name} | " + " | ".join(str(s) for s in scores) + f" | {notes} |")
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
