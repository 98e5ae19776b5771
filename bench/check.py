"""How long `.venv/bin/python build.py check` takes over N synthetic proposals.

    .venv/bin/python bench/check.py            # N = 1000
    .venv/bin/python bench/check.py 200 1000 5000

Prints one line per N: the wall time of the whole command (interpreter start included),
best of three runs. Target: 1,000 proposals in under 3 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import PROJECT, write


def time_check(root: Path, runs: int = 3) -> tuple[float, int]:
    best, code = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), "check", "-q", "--root", str(root)],
            capture_output=True,
            text=True,
        )
        best = min(best, time.perf_counter() - start)
        code = result.returncode
        if code != 0:
            sys.exit(f"check failed on synthetic data:\n{result.stdout[-2000:]}")
    return best, code


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sizes", nargs="*", type=int, default=[1000], metavar="N", help="proposals (default 1000)")
    for n in p.parse_args(argv).sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = write(n, Path(tmp))
            seconds, _ = time_check(root)
            print(f"check {n:>5} proposals: {seconds:.2f} s  ({seconds / n * 1000:.2f} ms per proposal)")


if __name__ == "__main__":
    main(sys.argv[1:])
