"""What tagging costs: the PDF of N synthetic topics written untagged and as tagged PDF/A-2a + UA-1
(``callguide/archival.py``); prints the seconds of layout and of writing for each, best of R runs.

    .venv/bin/python bench/pdf_tags.py [N] [R]      (default 200 1)
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import PROJECT, write

from callguide import archival, pdf, weasy
from callguide.guide import load_guide


def timed(html: str, assets: Path, out: Path, variant: str | None) -> tuple[float, float, int]:
    with weasy.cycle_collector_paused():
        start = time.perf_counter()
        document = weasy.render_document(html, assets)
        laid = time.perf_counter()
        options = {"pdf_variant": variant} if variant else {}
        document.write_pdf(out, pdf_identifier=True, **options)
        return laid - start, time.perf_counter() - laid, out.stat().st_size


def main(argv: list[str]) -> int:
    n, runs = (int(a) for a in (argv + ["200", "1"][len(argv) :])[:2])
    with tempfile.TemporaryDirectory(prefix="callguide-bench-tags-") as tmp:
        root = Path(tmp)
        write(n, root)
        for name in ("call.yaml", "content", "templates"):
            src = PROJECT / name
            if src.is_dir():
                shutil.copytree(src, root / name, dirs_exist_ok=True)
            else:
                shutil.copy2(src, root / name)
        guide = load_guide(root)[0]
        html = pdf.render_html(guide, root, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
        figures = {}
        for label, variant in (("untagged", None), ("tagged PDF/A-2a + UA-1", archival.register())):
            best = min(
                (timed(html, root / pdf.ASSETS, root / "out.pdf", variant) for _ in range(runs)),
                key=lambda t: t[0] + t[1],
            )
            figures[label] = best
            layout, writing, size = best
            print(
                f"{label}: layout {layout:.1f} s + writing {writing:.1f} s = {layout + writing:.1f} s, {size / 1024:.0f} KiB"
            )
    plain, tagged = (sum(figures[k][:2]) for k in figures)
    print(
        f"{len(guide.topics)} topics: tagging costs {100 * (tagged - plain) / plain:+.0f} % of the PDF's time"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
