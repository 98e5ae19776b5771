"""File-level rules: what may stand in proposals/, how it is read, and rules across files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from callguide.check import check_paths
from callguide.problems import Problem

BASE = (Path(__file__).parent / "data" / "valid" / "base.yaml").read_text(encoding="utf-8")


def codes(problems: list[Problem]) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in problems]


def check_dir(path: Path) -> list[Problem]:
    return check_paths([path])[1]


@pytest.fixture
def proposals(tmp_path: Path) -> Path:
    folder = tmp_path / "proposals"
    folder.mkdir()
    return folder


def test_a_yml_file_is_an_error_not_skipped(proposals: Path) -> None:
    (proposals / "topic.yml").write_text(BASE, encoding="utf-8")
    assert codes(check_dir(proposals)) == [("file-extension", 1, 1)]


def test_a_symlink_is_an_error(proposals: Path, tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(BASE, encoding="utf-8")
    (proposals / "topic.yaml").symlink_to(tmp_path / "real.yaml")
    assert codes(check_dir(proposals)) == [("file-symlink", 1, 1)]


def test_a_file_over_one_mebibyte_is_an_error(proposals: Path) -> None:
    (proposals / "topic.yaml").write_text(BASE + "#" * (1024 * 1024), encoding="utf-8")
    assert codes(check_dir(proposals)) == [("file-too-large", 1, 1)]


def test_non_utf8_bytes_are_an_error_with_their_position(proposals: Path) -> None:
    (proposals / "topic.yaml").write_bytes("status: accepted\ntitle: 风电\n".encode("gbk"))
    assert codes(check_dir(proposals)) == [("file-encoding", 2, 8)]


def test_a_nul_byte_is_an_error_with_its_position(proposals: Path) -> None:
    (proposals / "topic.yaml").write_bytes(b"status: accepted\ntitle: a\x00b\n")
    assert codes(check_dir(proposals)) == [("file-nul", 2, 9)]


@pytest.mark.parametrize(
    "name", ["Ocean-Platform.yaml", "-ocean.yaml", "ocean_platform.yaml", "a" * 65 + ".yaml"]
)
def test_a_bad_slug_is_an_error(proposals: Path, name: str) -> None:
    (proposals / name).write_text(BASE, encoding="utf-8")
    assert [p.code for p in check_dir(proposals)] == ["slug-invalid"]


def test_a_slug_of_64_characters_is_fine(proposals: Path) -> None:
    (proposals / ("a" * 64 + ".yaml")).write_text(BASE, encoding="utf-8")
    assert check_dir(proposals) == []


def test_bom_and_crlf_are_tolerated(proposals: Path) -> None:
    (proposals / "topic.yaml").write_bytes(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode("utf-8"))
    assert check_dir(proposals) == []


def test_positions_are_right_with_crlf(proposals: Path) -> None:
    text = BASE.replace("    trl_expected: 7", "    trl_expected: 3").replace("\n", "\r\n")
    (proposals / "topic.yaml").write_text(text, encoding="utf-8", newline="")
    assert codes(check_dir(proposals)) == [("trl-order", 16, 19)]


def test_other_files_and_folders_are_errors_hidden_ones_ignored(proposals: Path) -> None:
    (proposals / "notes.txt").write_text("x", encoding="utf-8")
    (proposals / "old").mkdir()
    (proposals / ".gitkeep").write_text("", encoding="utf-8")
    assert sorted(p.code for p in check_dir(proposals)) == ["file-extension", "file-unexpected"]


def test_an_alias_bomb_fails_fast(proposals: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (proposals / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    problems = check_dir(proposals)
    assert time.perf_counter() - start < 0.5
    assert codes(problems) == [("yaml-anchor", 1, 5)]


def test_an_alias_without_anchor_is_an_error(proposals: Path) -> None:
    (proposals / "topic.yaml").write_text("title: *missing\n", encoding="utf-8")
    assert [p.code for p in check_dir(proposals)] in (["yaml-alias"], ["yaml-syntax"])


def test_all_files_are_checked_before_reporting(proposals: Path) -> None:
    (proposals / "a.yaml").write_text(BASE.replace("field: 新能源", "field: 新能原"), encoding="utf-8")
    (proposals / "b.yaml").write_text(
        BASE.replace("title: 海上风电", "title: 陆上风电").replace("total: 4200", "total: 0"),
        encoding="utf-8",
    )
    (proposals / "c.yml").write_text(BASE, encoding="utf-8")
    problems = check_dir(proposals)
    assert {(Path(p.file).name, p.code) for p in problems} == {
        ("a.yaml", "enum"),
        ("b.yaml", "investment-positive"),
        ("c.yml", "file-extension"),
    }


def test_titles_are_unique_among_accepted_proposals(proposals: Path) -> None:
    (proposals / "a.yaml").write_text(BASE, encoding="utf-8")
    (proposals / "b.yaml").write_text(BASE, encoding="utf-8")
    (proposals / "c.yaml").write_text(BASE.replace("status: accepted", "status: withdrawn"), encoding="utf-8")
    assert [(Path(p.file).name, p.code, p.line) for p in check_dir(proposals)] == [
        ("b.yaml", "duplicate-title", 4)
    ]


def test_slugs_are_unique_across_the_paths_checked(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "topic.yaml").write_text(BASE.replace("海上", folder), encoding="utf-8")
    _, problems = check_paths([tmp_path / "one", tmp_path / "two"])
    assert [p.code for p in problems] == ["duplicate-slug"]


def test_unreadable_file_is_an_error_not_a_crash(proposals: Path) -> None:
    path = proposals / "topic.yaml"
    path.write_text(BASE, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything
            pytest.skip("running as root: every file is readable")
        assert [p.code for p in check_dir(proposals)] == ["file-unreadable"]
    finally:
        path.chmod(0o644)


# --- normalisation of enumerations (spec: "Values") ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "meaning"),
    [
        ("import_category: '\"卡脖子\"技术'", "“卡脖子”技术"),
        ("import_category: “卡脖子”技术", "“卡脖子”技术"),
        ("import_category: 卡脖子技术", "“卡脖子”技术"),
        ("import_category: ０－１颠覆性技术", "0-1颠覆性技术"),
        ("import_category: 0-1 颠覆性技术", "0-1颠覆性技术"),
    ],
)
def test_enumerations_are_normalised(tmp_path: Path, written: str, meaning: str) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(BASE.replace("import_category: “卡脖子”技术", written), encoding="utf-8")
    checked, problems = check_paths([path])
    assert problems == []
    assert checked[0].proposal is not None and checked[0].proposal.import_category == meaning


@pytest.mark.parametrize(
    ("written", "meaning"),
    [
        ("region: 一带一路共建国家", "“一带一路”共建国家"),
        ("region: '\"一带一路\"共建国家'", "“一带一路”共建国家"),
    ],
)
def test_region_quotes_are_normalised(tmp_path: Path, written: str, meaning: str) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(BASE.replace("region: 创新领先国家", written), encoding="utf-8")
    checked, problems = check_paths([path])
    assert problems == [] and checked[0].proposal is not None and checked[0].proposal.region == meaning


def test_project_types_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(
        BASE.replace("[引进来, 依托国际创新合作平台]", "[“引进来”, 依托国际创新合作平台]"), encoding="utf-8"
    )
    checked, problems = check_paths([path])
    assert problems == [] and checked[0].proposal is not None
    assert checked[0].proposal.project_types == ["引进来", "依托国际创新合作平台"]
