"""The full build at scale, beside its two baselines on the same content.

    .venv/bin/python bench/run.py --topics 50,200,1000          # a table per N
    .venv/bin/python bench/run.py --topics 200 --json           # the same figures as a JSON list
    .venv/bin/python bench/run.py --topics 5 --no-baselines     # the project's build only (quick)
    .venv/bin/python bench/run.py --topics 200 --serve-reload   # also: mkdocs serve, edit, reloaded

For each N, N synthetic proposals (bench/synth.py) go into a temporary project, and then:

- project: ``.venv/bin/python build.py`` in a subprocess, into a new project (so the PDF is laid out), and
  then once more on the same inputs (``rebuild_s``: the PDF is taken from ``build/cache/pdf/``). Wall time; peak memory of its whole process tree
  (the build forks a process for the PDF): the summed RSS of the build and its descendants, and
  their summed PSS (shared pages counted once), polled from /proc every 50 ms; the stage times the
  build reports itself (``build.py --timings FILE``); the PDF's size and page count.
- baseline_mkdocs: ``mkdocs build`` of the same pages (the Markdown ``callguide.site`` generates
  and the hand-written ones) with a default mkdocs-material configuration: ``theme: material``,
  the default search plugin, no callguide plugin, no extensions.
- baseline_weasyprint: ``weasyprint.HTML(string=…).write_pdf()`` of the same PDF HTML
  (``callguide.pdf.render_html``) with the same print.css and fonts, nothing else.

Both baselines are timed as whole commands (interpreter start included), as the project is.
Run it alone on the machine: the figures are wall times on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import PROJECT, write

PYTHON = sys.executable
EPOCH = "1764028800"  # 2025-11-25: fixed, so that runs are comparable


# --- measuring a process tree -------------------------------------------------------------------


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree(pid: int) -> list[int]:
    children, out, todo = _children_of(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _kib(path: str, field: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measured(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 1800) -> dict:
    """Run ``cmd``: wall seconds, exit code, output, and the peak summed RSS and PSS (MiB) of its tree."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
        peak_rss = peak_pss = 0
        polls = 0
        while proc.poll() is None:
            if time.perf_counter() - start > timeout:
                proc.kill()
                raise TimeoutError(f"{cmd} took more than {timeout} s")
            pids = _tree(proc.pid)
            peak_rss = max(peak_rss, sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids))
            if polls % 5 == 0:  # smaps_rollup walks the page tables: every 250 ms
                peak_pss = max(peak_pss, sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            polls += 1
            time.sleep(0.05)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": wall,
            "returncode": proc.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
            "peak_rss_mb": round(peak_rss / 1024),
            "peak_pss_mb": round(peak_pss / 1024),
        }


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", **extra}


def _check(run: dict, what: str) -> dict:
    if run["returncode"] != 0:
        sys.exit(f"{what} failed ({run['returncode']}):\n{run['stdout'][-3000:]}\n{run['stderr'][-3000:]}")
    return run


def pdf_pages(path: Path) -> int:
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    except (OSError, subprocess.CalledProcessError, StopIteration):
        from pypdf import PdfReader

        return len(PdfReader(path).pages)


# --- the project --------------------------------------------------------------------------------


def project(root: Path) -> dict:
    timings = root / "timings.json"
    run = _check(
        measured(
            [PYTHON, str(PROJECT / "build.py"), "--quiet", "--timings", str(timings), "--root", str(root)],
            _env(),
            root,
        ),
        ".venv/bin/python build.py",
    )
    reported = json.loads(timings.read_text(encoding="utf-8"))
    stages = reported["stages_s"]
    pdf = next((root / "site").glob("*.pdf"))
    # the same inputs again: the PDF comes from build/cache/pdf/ (callguide.pdfcache)
    again = _check(
        measured([PYTHON, str(PROJECT / "build.py"), "--quiet", "--root", str(root)], _env(), root),
        ".venv/bin/python build.py (again)",
    )
    return {
        "topics": reported["topics"],
        "total_s": round(run["wall_s"], 2),
        "rebuild_s": round(again["wall_s"], 2),
        "rebuild_peak_rss_mb": again["peak_rss_mb"],
        "build_reported_s": reported["total_s"],
        "check_s": stages.get("check"),
        "site_s": stages.get("site"),
        "pdf_s": stages.get("pdf"),
        "pdf_wait_s": stages.get("pdf_wait"),
        "privacy_s": round(stages.get("privacy_site", 0) + stages.get("privacy_pdf", 0), 3),
        "privacy_site_s": stages.get("privacy_site"),
        "privacy_pdf_s": stages.get("privacy_pdf"),
        "exports_s": stages.get("exports"),
        "peak_rss_mb": run["peak_rss_mb"],
        "peak_pss_mb": run["peak_pss_mb"],
        "pdf_pages": pdf_pages(pdf),
        "pdf_bytes": pdf.stat().st_size,
    }


# --- the baselines ------------------------------------------------------------------------------

_WEASYPRINT = """
import sys
from pathlib import Path
from weasyprint import HTML
html = Path(sys.argv[1]).read_text(encoding="utf-8")
HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""


def baseline_inputs(root: Path, work: Path) -> tuple[Path, Path]:
    """The baselines' inputs from ``root``: a docs folder with mkdocs.yml, and the PDF's HTML."""
    sys.path.insert(0, str(PROJECT))
    from callguide import pdf, site
    from callguide.content import content_pages
    from callguide.guide import load_guide

    guide = load_guide(root)[0]
    docs = work / "docs"
    docs.mkdir(parents=True)
    content = content_pages(root)
    for page in content:
        shutil.copy(root / "content" / page.path, docs / page.path)
    for path, text in site.pages(guide, root / "templates", content, directory_urls=True).items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    config = work / "mkdocs.yml"
    config.write_text(
        json.dumps({"site_name": guide.call.title, "theme": {"name": "material"}}, ensure_ascii=False),
        encoding="utf-8",
    )
    html = work / "guide.html"
    date = pdf.dt.datetime.fromtimestamp(int(EPOCH), pdf.dt.UTC)
    html.write_text(pdf.render_html(guide, root, date), encoding="utf-8")
    return config, html


def baselines(root: Path, work: Path) -> dict:
    config, html = baseline_inputs(root, work)
    mk = _check(
        measured(
            [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(work / "site")], _env(), work
        ),
        "baseline mkdocs build",
    )
    assets = (root / "templates" / "pdf").resolve().as_uri() + "/"
    out = work / "baseline.pdf"
    wp = _check(
        measured([PYTHON, "-c", _WEASYPRINT, str(html), assets, str(out)], _env(), work),
        "baseline WeasyPrint",
    )
    return {
        "baseline_mkdocs_s": round(mk["wall_s"], 2),
        "baseline_mkdocs_rss_mb": mk["peak_rss_mb"],
        "baseline_weasyprint_s": round(wp["wall_s"], 2),
        "baseline_weasyprint_rss_mb": wp["peak_rss_mb"],
        "baseline_pdf_pages": pdf_pages(out),
        "baseline_pdf_bytes": out.stat().st_size,
    }


# --- one N ----------------------------------------------------------------------------------------


def run_one(n: int, with_baselines: bool, serve_reload: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"callguide-bench-{n}-") as tmp:
        root = write(n, Path(tmp) / "project")
        result = project(root)
        if with_baselines:
            result |= baselines(root, Path(tmp) / "baseline")
            both = result["baseline_mkdocs_s"] + result["baseline_weasyprint_s"]
            result["baseline_sum_s"] = round(both, 2)
            result["ratio_total_to_baselines"] = round(result["total_s"] / both, 2)
            result["ratio_site_to_mkdocs"] = round(result["site_s"] / result["baseline_mkdocs_s"], 2)
            result["ratio_pdf_to_weasyprint"] = round(result["pdf_s"] / result["baseline_weasyprint_s"], 2)
        else:
            result |= {"baseline_mkdocs_s": None, "baseline_weasyprint_s": None}
    if serve_reload:
        from serve_reload import measure

        times = measure(n)
        result["serve_reload_s"] = [round(t, 2) for t in times]
        result["serve_reload_median_s"] = round(statistics.median(times), 2)
    return result


def table(r: dict) -> str:
    def f(key: str, unit: str = "s") -> str:
        v = r.get(key)
        return "—" if v is None else f"{v:.2f} {unit}" if isinstance(v, float) else f"{v} {unit}"

    rows = [
        ("check", f("check_s")),
        ("site: mkdocs pages, search, open data", f("site_s")),
        ("PDF (its own process, alongside the site)", f("pdf_s")),
        ("  waiting for the PDF after the site", f("pdf_wait_s")),
        ("privacy scan (site + PDF text)", f"{f('privacy_site_s')} + {f('privacy_pdf_s')}"),
        ("exports (汇总表)", f("exports_s")),
        ("total wall time (.venv/bin/python build.py)", f("total_s")),
        (
            "again, same inputs (PDF from build/cache/pdf/)",
            f"{f('rebuild_s')}, {r['rebuild_peak_rss_mb']} MiB",
        ),
        ("peak memory, process tree (RSS sum / PSS sum)", f"{r['peak_rss_mb']} / {r['peak_pss_mb']} MiB"),
        ("PDF", f"{r['pdf_bytes'] / 1e6:.2f} MB, {r['pdf_pages']} pages"),
    ]
    if r.get("baseline_mkdocs_s") is not None:
        rows += [
            ("baseline mkdocs build (default Material)", f("baseline_mkdocs_s")),
            (
                "baseline WeasyPrint (same HTML)",
                f"{f('baseline_weasyprint_s')} ({r['baseline_pdf_pages']} pages)",
            ),
            ("total / (baseline mkdocs + baseline WeasyPrint)", f"{r['ratio_total_to_baselines']:.2f}"),
            ("site / baseline mkdocs", f"{r['ratio_site_to_mkdocs']:.2f}"),
            ("PDF / baseline WeasyPrint", f"{r['ratio_pdf_to_weasyprint']:.2f}"),
        ]
    if "serve_reload_s" in r:
        rows.append(
            (
                "mkdocs serve: edit → page served with the edit",
                f"{r['serve_reload_median_s']:.2f} s (median of {r['serve_reload_s']})",
            )
        )
    width = max(len(k) for k, _ in rows)
    return "\n".join([f"== {r['topics']} topics ==", *(f"{k:<{width}}  {v}" for k, v in rows)])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--topics", default="50,200,1000", help="comma-separated numbers of topics (default 50,200,1000)"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per N")
    p.add_argument("--no-baselines", action="store_true", help="the project's build only")
    p.add_argument(
        "--serve-reload", action="store_true", help="also time an edit under mkdocs serve (each N)"
    )
    args = p.parse_args(argv)
    sizes = [int(x) for x in args.topics.split(",") if x.strip()]
    results = []
    for n in sizes:
        r = run_one(n, not args.no_baselines, args.serve_reload)
        results.append(r)
        if not args.json:
            print(table(r), flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print(
            "\npeak memory: summed over the build's process tree (RSS counts pages shared by the forked "
            "PDF process twice; PSS once), polled every 50 ms (PSS every 250 ms)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
