"""A PDF made earlier from the same inputs is reused (callguide.pdfcache); any change lays it out again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_project, run_build

from callguide import pdfcache

HTML = "<html><body><p>指南</p></body></html>"


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent.parent / "templates" / "pdf", root / "templates" / "pdf")
    return root


@pytest.mark.slow
def test_a_second_build_of_the_same_inputs_reuses_the_pdf(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    first = run_build(root, cache=True)
    assert first.returncode == 0, first.stderr
    made = (root / "site" / "guide.pdf").read_bytes()
    second = run_build(root, cache=True)
    assert second.returncode == 0, second.stderr
    assert "沿用 build/cache/pdf/" in second.stdout and "沿用" not in first.stdout
    assert (root / "site" / "guide.pdf").read_bytes() == made
    assert len(list((root / "build" / "cache" / "pdf").glob("*.pdf"))) == 1
    fresh = run_build(root, "pdf", "--no-cache", cache=True)
    assert fresh.returncode == 0 and "沿用" not in fresh.stdout
    assert (root / "site" / "guide.pdf").read_bytes() == made


def test_the_key_changes_with_the_text_and_the_print_assets(assets: Path) -> None:
    key = pdfcache.key(HTML, assets)
    assert pdfcache.key(HTML, assets) == key
    assert pdfcache.key(HTML.replace("指南", "指南。"), assets) != key
    css = assets / "templates" / "pdf" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    changed_css = pdfcache.key(HTML, assets)
    assert changed_css != key
    (assets / "templates" / "pdf" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    assert pdfcache.key(HTML, assets) != changed_css


def test_a_damaged_entry_is_not_used(tmp_path: Path) -> None:
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(b"%PDF-1.7 made earlier")
    pdfcache.store(tmp_path / "cache", "abc", pdf, 3)
    assert pdfcache.lookup(tmp_path / "cache", "abc") == (tmp_path / "cache" / "abc.pdf", 3)
    (tmp_path / "cache" / "abc.pdf").write_bytes(b"%PDF-1.7 cut sh")
    assert pdfcache.lookup(tmp_path / "cache", "abc") is None
    assert pdfcache.lookup(tmp_path / "cache", "unknown") is None


def test_only_the_latest_entries_are_kept(tmp_path: Path) -> None:
    pdf = tmp_path / "guide.pdf"
    for i in range(pdfcache.KEEP + 2):
        pdf.write_bytes(f"%PDF {i}".encode())
        pdfcache.store(tmp_path / "cache", f"k{i}", pdf, 1)
    kept = sorted(p.stem for p in (tmp_path / "cache").glob("*.pdf"))
    assert len(kept) == pdfcache.KEEP and "k0" not in kept and f"k{pdfcache.KEEP + 1}" in kept
    assert sorted(p.stem for p in (tmp_path / "cache").glob("*.json")) == kept


@pytest.mark.slow
def test_a_cache_that_cannot_be_written_does_not_fail_the_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "build" / "cache").mkdir(parents=True)
    (root / "build" / "cache" / "pdf").write_text(
        "a file where the cache's folder should be", encoding="utf-8"
    )
    result = run_build(root, "pdf", "-q", cache=True)
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "guide.pdf").stat().st_size > 100_000
