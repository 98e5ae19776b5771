"""``.venv/bin/python build.py diff BASE``: the change summary of a pull request, in a throwaway git repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import GIT_ENV, PROJECT, copy_project, run_build

from callguide import model as m
from callguide.diff import MASK, mask
from callguide.difftext import text_diff
from callguide.model import is_public

GOLDEN = Path(__file__).parent / "golden" / "diff"
BASE = (  # the proposals committed on main; the rest of the samples are left out
    "pem-electrolyzer-green-hydrogen.yaml",  # edited: public, private and key-technology fields
    "industrial-robot-rv-reducer-precision.yaml",  # draft -> accepted: added
    "waste-plastic-chemical-recycling-catalysis.yaml",  # deleted: removed
    "ultra-high-temperature-ceramic-coating.yaml",  # withdrawn: removed
    "silicon-photonics-optical-interconnect-chip.yaml",  # broken: invalid
    "solid-state-lithium-battery-electrolyte.yaml",  # untouched
)
NEW_FILE = "saline-alkali-tolerant-wheat-cultivation.yaml"  # not on main: added


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=os.environ | GIT_ENV)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the project with a few samples committed on ``main``."""
    root = copy_project(tmp_path / "repo")
    for path in (root / "proposals").iterdir():
        if path.name not in BASE:
            path.unlink()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def make_changes(root: Path) -> None:
    proposals = root / "proposals"
    pem = proposals / "pem-electrolyzer-green-hydrogen.yaml"
    edit(pem, "  - 澳大利亚\n", "  - 澳大利亚\n  - 挪威\n")
    edit(pem, "不少于3000小时的示范运行", "不少于5000小时的示范运行")  # overview: a long paragraph
    edit(pem, "5. 申请发明专利不少于6项", "5. 申请发明专利不少于8项")
    edit(pem, "provincial: 1000", "provincial: 800")
    edit(pem, "省财政资金支持不超过1000万元", "省财政资金支持不超过800万元")
    edit(pem, "trl_expected: 7", "trl_expected: 8")
    edit(pem, "降低阳极贵金属用量", "进一步降低阳极贵金属用量")  # key_technologies[0].description: private
    edit(pem, "name: 许文澜", "name: 许文兰")
    edit(pem, 'phone: "0532-86907315"', 'phone: "0532-86907316"')
    edit(pem, "  gaps: |", "  current_status: 国内已有多家企业开展PEM电解槽研制。\n  gaps: |")
    edit(proposals / "industrial-robot-rv-reducer-precision.yaml", "status: draft", "status: accepted")
    (proposals / "waste-plastic-chemical-recycling-catalysis.yaml").unlink()
    edit(proposals / "ultra-high-temperature-ceramic-coating.yaml", "status: accepted", "status: withdrawn")
    edit(
        proposals / "silicon-photonics-optical-interconnect-chip.yaml",
        'phone: "0531-82690473"',
        'phone: "12345"',
    )
    (proposals / NEW_FILE).write_bytes((PROJECT / "proposals" / NEW_FILE).read_bytes())


def proposer_values(*paths: Path) -> set[str]:
    values = set()
    for path in paths:
        proposer = yaml.safe_load(path.read_text(encoding="utf-8"))["proposer"]
        values |= {str(v) for v in proposer.values()}
    return values


def test_a_known_change_gives_the_expected_markdown(repo: Path, golden) -> None:
    make_changes(repo)
    result = run_build(repo, "diff", "main")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    golden(GOLDEN / "known-change.md", result.stdout)


def test_proposer_and_other_private_values_never_appear(repo: Path) -> None:
    before = {p.name: p.read_text(encoding="utf-8") for p in (repo / "proposals").iterdir()}
    make_changes(repo)
    result = run_build(repo, "diff", "main")
    assert result.returncode == 0, result.stderr
    secrets = proposer_values(*(repo / "proposals").iterdir())
    for text in before.values():
        secrets |= {str(v) for v in yaml.safe_load(text)["proposer"].values()}
    secrets |= {
        "进一步降低阳极贵金属用量",
        "国内已有多家企业开展PEM电解槽研制",
        "5600",
    }  # description, report, total
    assert "12345" in secrets and "许文澜" in secrets and "许文兰" in secrets
    leaked = sorted(s for s in secrets if s in result.stdout)
    assert leaked == []
    assert "**建议来源·建议人**：已修改（不公开，内容不显示）" in result.stdout
    assert "**第1项关键技术的技术描述**：已修改（不公开，内容不显示）" in result.stdout
    assert "**说明报告·发展现状**：已修改（不公开，内容不显示）" in result.stdout


def test_a_proposer_value_in_a_public_field_fails_the_check_and_is_never_shown(repo: Path) -> None:
    pem = repo / "proposals" / "pem-electrolyzer-green-hydrogen.yaml"
    edit(pem, "call_scope: 面向全球张榜。", "call_scope: 面向全球张榜，联系许文澜（0532-86907315）。")
    result = run_build(repo, "diff", "main")
    assert result.returncode == 0, result.stderr
    assert "许文澜" not in result.stdout and "86907315" not in result.stdout
    assert "`proposer-in-public`（`guide.call_scope`）" in result.stdout


def test_a_proposer_value_that_reaches_the_report_is_masked() -> None:
    assert mask("联系许文澜（0532-86907315）", {"许文澜", "0532-86907315"}) == (f"联系{MASK}（{MASK}）", True)


def test_status_changes_count_as_added_and_removed(repo: Path) -> None:
    make_changes(repo)
    out = run_build(repo, "diff", "main").stdout
    assert "发布的专题：5 → 4（新增 2，删除 2，修改 1）" in out
    assert "：状态由 draft（草稿） 改为 accepted（采纳）" in out
    assert "：状态改为 withdrawn（撤回），不再发布" in out
    assert "：文件已删除" in out
    assert (
        "耐盐碱小麦种质创制与盐碱地绿色高效栽培技术合作**（现代高效农业，`proposals/"
        + NEW_FILE
        + "`）：新文件"
        in out
    )


def test_an_invalid_file_on_either_side_is_reported_not_fatal(repo: Path) -> None:
    broken = repo / "proposals" / "solid-state-lithium-battery-electrolyte.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken on main")
    broken.write_bytes((PROJECT / "proposals" / broken.name).read_bytes())  # fixed in the working tree
    (repo / "proposals" / "Bad Name.yml").write_text("title: x\n", encoding="utf-8")
    result = run_build(repo, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "### 未通过检查的文件（2）" in result.stdout
    assert (
        "- `proposals/solid-state-lithium-battery-electrolyte.yaml`：修改前未通过检查（`yaml-syntax`）；现在有效，accepted（采纳）"
        in result.stdout
    )
    assert "- `proposals/Bad Name.yml`：修改前无此文件；现在未通过检查（`file-extension`）" in result.stdout


def test_no_change(repo: Path) -> None:
    result = run_build(repo, "diff", "main")
    assert result.returncode == 0
    assert (
        result.stdout
        == "## 指南专题变更：`main` → 工作区\n\n发布的专题：5 → 5（新增 0，删除 0，修改 0）\n\n没有专题变更。\n"
    )


@pytest.mark.parametrize("ref", ["no-such-branch", "main~5", "main..HEAD", "main:proposals", ""])
def test_a_bad_ref_exits_2_with_a_message(repo: Path, ref: str) -> None:
    result = run_build(repo, "diff", ref)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "无法比较：" in result.stderr and ".venv/bin/python build.py diff BASE" in result.stderr


def test_outside_a_git_repository_exits_2(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "plain")
    result = run_build(root, "diff", "main")
    assert result.returncode == 2
    assert "不在 git 仓库中" in result.stderr


def test_public_fields_follow_the_spec() -> None:
    # the spec's "public?" column: yes for these, – for status and order, no or never for the rest
    public = {"title", "field", "field_other", "region", "partner_countries", "project_types"}
    public |= {"import_category", "overview", "key_technologies", "investment", "guide"}
    public |= {"revisions"}  # added by us: the official notes of corrections after publication
    public |= {"en"}  # added by us: the English summary for foreign partners
    assert {k for k in m.Proposal.model_fields if is_public((k,))} == public
    assert is_public(("investment", "provincial")) and not is_public(("investment", "total"))
    assert not any(is_public(("proposer", k)) for k in m.Proposer.model_fields)
    assert not any(is_public(("report", k)) for k in m.Report.model_fields)
    assert all(is_public(("guide", k)) for k in m.GUIDE_SECTIONS)
    tech = {k for k in m.KeyTechnology.model_fields if is_public(("key_technologies", 0, k))}
    assert tech == {"name", "trl_current", "trl_expected"}


def test_long_lines_are_wrapped_with_their_mark() -> None:
    lines = text_diff("甲" * 50 + "\n乙", "甲" * 50 + "\n丙")
    assert lines == [" " + "甲" * 40, " " + "甲" * 10, "-乙", "+丙"]
