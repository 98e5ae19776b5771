"""The benchmark keeps working: a tiny run prints every figure it promises (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import PROJECT

pytestmark = pytest.mark.slow

KEYS = (
    "topics",
    "total_s",
    "rebuild_s",
    "check_s",
    "site_s",
    "pdf_s",
    "privacy_s",
    "exports_s",
    "peak_rss_mb",
    "pdf_pages",
    "pdf_bytes",
    "baseline_mkdocs_s",
    "baseline_weasyprint_s",
)


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "run.py"), *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )


def test_json_has_one_object_per_size_with_every_key() -> None:
    result = bench("--topics", "3", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["topics"] for row in rows] == [3]
    row = rows[0]
    assert set(KEYS) <= row.keys()
    assert all(isinstance(row[key], int | float) and row[key] > 0 for key in KEYS), row
    assert row["baseline_pdf_pages"] == row["pdf_pages"]  # the baseline renders the same document


def test_table_without_baselines() -> None:
    result = bench("--topics", "2", "--no-baselines")
    assert result.returncode == 0, result.stderr
    assert "== 2 topics ==" in result.stdout and "total wall time" in result.stdout
    assert "baseline" not in result.stdout.split("peak memory:")[0].lower()


def test_the_history_benchmark_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "history.py"), "20", "3", "2"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "20 topics, 3 commits after publication × 2 corrected topics" in result.stdout
    assert "read_history:" in result.stdout and "(best of 3; 6 revision events)" in result.stdout
    assert "build.py check (with the history):" in result.stdout


def test_the_tagging_benchmark_prints_both_variants() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "pdf_tags.py"), "3"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "untagged: layout" in result.stdout and "tagged PDF/A-2a + UA-1: layout" in result.stdout
    assert "3 topics: tagging costs" in result.stdout
