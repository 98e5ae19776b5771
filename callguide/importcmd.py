"""``build.py import`` and ``build.py export-forms``: Word forms in, Word forms out.

Exit codes of ``import``: 0 the file was written and passes ``check``; 1 it was written but needs the
editor (the form's problems, then ``check``'s report); 2 nothing was written.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import COMMAND
from . import model as m
from .check import check_paths, load_call
from .docxtext import DocxRefused
from .errors import CallGuideError
from .forms import write_form
from .importer import read
from .problems import format_text
from .skeleton import filled_template

FORMS_DIR = Path("build") / "internal" / "forms"


def slug_for(title: str) -> str:
    """A slug proposed from the title: its pinyin, within the slug rule (海水淡化反渗透膜 → hai-shui-dan-hua-…)."""
    from pypinyin import lazy_pinyin

    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in lazy_pinyin(title)]
    slug = ""
    for word in filter(None, words):
        if len(slug) + len(word) + 1 > m.SLUG_MAX:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "imported-proposal"


@dataclass
class Outcome:
    source: str
    slug: str
    result: str  # 已写入 / 需核对 / 未写入
    code: int


def import_files(root: Path, paths: list[Path], slug: str | None, force: bool) -> Outcome:
    shown = " + ".join(p.name for p in paths)
    try:
        got = read(paths)
    except DocxRefused as exc:
        print(f"{shown}: {exc.message}", file=sys.stderr)
        return Outcome(shown, "", "未写入", 2)
    if not got.is_form:
        print(
            f"{shown}: 没有找到《指南建议信息表》（“产业领域”“项目名称”等栏目）；不是附件1 表格",
            file=sys.stderr,
        )
        return Outcome(shown, "", "未写入", 2)
    title = str(got.data.get("title") or "")
    chosen = slug or slug_for(title)
    if not m.SLUG_RE.match(chosen) or len(chosen) > m.SLUG_MAX:
        print(
            f"编号“{chosen}”不合法：只能用小写字母、数字和连字符，最多 {m.SLUG_MAX} 个字符", file=sys.stderr
        )
        return Outcome(shown, chosen, "未写入", 2)
    target = root / "proposals" / f"{chosen}.yaml"
    if (target.exists() or target.is_symlink()) and not force:
        print(f"proposals/{chosen}.yaml 已存在；换一个编号（--slug），或加 --force 覆盖", file=sys.stderr)
        return Outcome(shown, chosen, "未写入", 2)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(filled_template(chosen, got.data, got.notes, shown), encoding="utf-8")
    if slug is None:
        print(f"编号（按项目名称拼音）：{chosen}；要换一个编号，请改文件名或用 --slug 重新导入")
    for problem in got.problems:
        print(problem.text(shown))
    _, problems = check_paths([target], root)
    if got.problems or any(p.is_error for p in problems):
        sys.stdout.write(format_text(problems, 1))
        print(f"已写入 proposals/{chosen}.yaml，尚需核对：见上面的问题和文件中的“待核对”注释。")
        return Outcome(shown, chosen, "需核对", 1)
    print(f"已写入 proposals/{chosen}.yaml，检查通过。下一步：核对内容，补写 partner_countries，然后提交。")
    return Outcome(shown, chosen, "已写入", 0)


def import_command(root: Path, paths: list[Path], slug: str | None, force: bool) -> int:
    if len(paths) == 1 and paths[0].is_dir():
        files = sorted(
            p for p in paths[0].iterdir() if p.suffix.lower() in (".docx", ".doc", ".docm", ".wps")
        )
        if slug is not None:
            print("导入整个文件夹时不能指定 --slug（每份建议的编号按其项目名称生成）", file=sys.stderr)
            return 2
        outcomes = [import_files(root, [f], None, force) for f in files]
        print("\n文件 → 编号 → 结果")
        for o in outcomes:
            print(f"  {o.source} → {o.slug or '—'} → {o.result}")
        return max((o.code for o in outcomes), default=0)
    if len(paths) > 2:
        print(
            f"一份建议最多两个文件（信息表和说明报告）；导入多份请把它们放进一个文件夹：{COMMAND} import 文件夹/",
            file=sys.stderr,
        )
        return 2
    return import_files(root, paths, slug, force).code


def export_forms(root: Path) -> int:
    """``build/internal/forms/<slug>.docx`` for every valid proposal: internal, never under ``site/``."""
    call = load_call(root / "call.yaml")
    checked, _ = check_paths([root / "proposals"], root)
    out = root / FORMS_DIR
    written = 0
    for item in checked:
        if item.proposal is not None:
            write_form(item.proposal, call, out / f"{item.slug}.docx")
            written += 1
    skipped = [c.doc.display for c in checked if c.proposal is None]
    print(f"已写入 {written} 份附件1 表格到 {FORMS_DIR}/（内部文件，含建议人信息，不公开）。")
    if skipped:
        print("未通过检查、未写入：" + "、".join(skipped), file=sys.stderr)
        raise CallGuideError(f"{len(skipped)} 个文件未通过检查；运行 {COMMAND} check 查看", stage="导出表格")
    return 0
