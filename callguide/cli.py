"""The command line: ``.venv/bin/python build.py [build] | check | new | pdf | serve | diff | schema``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from . import COMMAND
from . import problems as pr
from .call import CALL_FILE
from .check import Checked, check_call, check_paths
from .errors import CallGuideError, describe_os_error
from .problems import CheckFailed
from .skeleton import proposal_template

PROJECT = Path(__file__).resolve().parent.parent
COMMANDS = ("build", "check", "new", "pdf", "serve", "diff", "schema", "import", "export-forms")


def _rel(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def cmd_check(args: argparse.Namespace) -> int:
    call_file = args.root / CALL_FILE
    paths = [Path(p) for p in args.paths] or [_rel(args.root / "proposals"), _rel(call_file)]
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    calls = [p for p in paths if p.resolve() == call_file.resolve()]  # checked as the call, not a proposal
    checked, problems = check_paths([p for p in paths if p not in calls])
    for path in calls:
        problems = sorted(problems + check_call(path)[1])
    problems = sorted(problems + _revision_problems(args.root, checked))
    sys.stdout.write(pr.FORMATTERS[fmt](problems, len(checked) + len(calls), args.strict))
    return 1 if pr.failed(problems, args.strict) else 0


def _revision_problems(root: Path, checked: list[Checked]) -> list[pr.Problem]:
    """The revision notes of the checked files of ``root/proposals`` against the git history since
    publication (nothing when ``call.yaml`` does not pass: its own problems say why)."""
    from .guide import revision_check

    folder = (root / "proposals").resolve()
    ours = [c for c in checked if c.doc.path.resolve().parent == folder]
    call, _ = check_call(root / CALL_FILE)
    return revision_check(root, call, ours)[1] if call is not None and ours else []


def cmd_new(args: argparse.Namespace) -> int:
    from .model import SLUG_MAX, SLUG_RE

    slug: str = args.slug
    if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
        print(
            f"编号“{slug}”不合法：只能用小写字母、数字和连字符，以字母或数字开头，最多 {SLUG_MAX} 个字符。"
            f"例如：{COMMAND} new solid-state-battery-electrolyte",
            file=sys.stderr,
        )
        return 2
    target = args.root / "proposals" / f"{slug}.yaml"
    if target.exists() or target.is_symlink():
        print(f"{_rel(target)} 已存在；请换一个编号，或直接编辑该文件。", file=sys.stderr)
        return 2
    target.write_text(proposal_template(slug), encoding="utf-8")
    rel = _rel(target)
    print(f"已创建 {rel}。下一步：")
    print(f"  1. 按注释填写 {rel}（编辑器会根据 schema/proposal.schema.json 给出提示）；")
    print(f"  2. 运行 {COMMAND} check {rel}，改到没有错误为止；")
    print(
        f"  3. 运行 {COMMAND} 生成网站和 PDF（或 {COMMAND} serve 预览），然后提交并发起合并请求（pull request）。"
    )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMA_PATH, render_schema

    path = args.root / SCHEMA_PATH
    path.write_text(render_schema(), encoding="utf-8")
    print(f"已写入 {_rel(path)}")
    return 0


def _build(args: argparse.Namespace, site: bool) -> int:
    from .pipeline import build

    build(
        args.root,
        quiet=args.quiet,
        strict=args.strict,
        site=site,
        pdf=True,
        cache=not args.no_cache,
        timings=args.timings,
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    return _build(args, site=True)


def cmd_pdf(args: argparse.Namespace) -> int:
    return _build(args, site=False)


def cmd_serve(args: argparse.Namespace) -> int:
    import errno
    import logging

    from mkdocs.commands.serve import serve

    # mkdocs' own warnings and errors on the console (the preview's lines are printed by the plugin)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mkdocs：%(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    busy = _port_in_use(args.dev_addr)
    if busy:
        print(busy, file=sys.stderr)
        return 2
    print("· 正在生成预览 …", file=sys.stderr, flush=True)
    try:
        serve(str(args.root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(_busy_message(args.dev_addr), file=sys.stderr)
        return 2
    return 0


def _busy_message(dev_addr: str) -> str:
    return (
        f"预览地址 {dev_addr} 的端口已被占用（也许另一个预览还开着）；"
        f"请关掉它，或换一个端口：{COMMAND} serve --dev-addr 127.0.0.1:8001"
    )


def _port_in_use(dev_addr: str) -> str | None:
    """The message for a port another program holds (before the preview is built), else None."""
    import errno
    import socket

    host, _, port = dev_addr.rpartition(":")
    try:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            probe.bind((host or "127.0.0.1", int(port)))
    except ValueError:
        return f"--dev-addr 应写成 IP:端口，如 127.0.0.1:8000，这里是“{dev_addr}”"
    except OSError as exc:
        return _busy_message(dev_addr) if exc.errno == errno.EADDRINUSE else None
    return None


def cmd_import(args: argparse.Namespace) -> int:
    from .importcmd import import_command

    return import_command(args.root, [Path(p) for p in args.files], args.slug, args.force)


def cmd_export_forms(args: argparse.Namespace) -> int:
    from .importcmd import export_forms

    return export_forms(args.root)


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_command

    return diff_command(args.root, args.base)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=COMMAND,
        description="省级国际科技合作项目申报指南：检查指南建议，生成网站和 PDF。不带子命令时等同于 build。",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="只输出错误和最后的摘要")
    common.add_argument("--strict", action="store_true", help="警告也视为失败")
    common.add_argument("--root", type=Path, default=PROJECT, help="项目目录（默认为本仓库）")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", parents=[common], help="检查指南建议文件（默认 proposals/ 全部）")
    c.add_argument("paths", nargs="*", metavar="PATH", help="文件或目录")
    c.add_argument(
        "--format", choices=sorted(pr.FORMATTERS), help="输出格式（GITHUB_ACTIONS=true 时默认 github）"
    )
    c.set_defaults(func=cmd_check)

    n = sub.add_parser("new", parents=[common], help="按模板新建一个指南建议文件")
    n.add_argument("slug", metavar="SLUG", help="永久编号，如 solid-state-battery-electrolyte")
    n.set_defaults(func=cmd_new)

    fresh = argparse.ArgumentParser(add_help=False)
    fresh.add_argument(
        "--no-cache", action="store_true", help="重新排版 PDF，不用 build/cache/pdf/ 中相同输入的 PDF"
    )
    fresh.add_argument(
        "--timings", type=Path, metavar="FILE", help="把各阶段用时写入 FILE（JSON，供 bench/run.py）"
    )

    b = sub.add_parser("build", parents=[common, fresh], help="检查并生成网站（site/）和 PDF")
    b.set_defaults(func=cmd_build)

    f = sub.add_parser("pdf", parents=[common, fresh], help="只生成 PDF")
    f.set_defaults(func=cmd_pdf)

    s = sub.add_parser("serve", parents=[common], help="本地预览网站，修改后自动刷新")
    s.add_argument(
        "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help="预览地址（默认 127.0.0.1:8000）"
    )
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("diff", parents=[common], help="列出与某个 git 版本相比新增、删除和修改的专题")
    d.add_argument("base", metavar="BASE", help="git 引用，如 origin/main")
    d.set_defaults(func=cmd_diff)

    i = sub.add_parser("import", parents=[common], help="从附件1 Word 表格（.docx）导入一份指南建议")
    i.add_argument(
        "files", nargs="+", metavar="FILE", help="一个 .docx，或信息表和说明报告两个；或一个文件夹"
    )
    i.add_argument("--slug", help="编号（文件名）；默认按项目名称的拼音生成")
    i.add_argument("--force", action="store_true", help="覆盖已有的 proposals/SLUG.yaml")
    i.set_defaults(func=cmd_import)

    e = sub.add_parser(
        "export-forms", parents=[common], help="把每份建议写成附件1 表格（build/internal/forms/）"
    )
    e.set_defaults(func=cmd_export_forms)

    sc = sub.add_parser("schema", parents=[common], help="由模型重新生成 schema/proposal.schema.json")
    sc.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a in COMMANDS for a in argv) and not {"-h", "--help"} & set(argv):
        argv.insert(0, "build")  # no command: build
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    args.root = args.root.resolve()
    building = args.command in ("build", "pdf")
    untouched = "\nsite/ 保持不变。" if building else ""
    try:
        return int(args.func(args))
    except CheckFailed as exc:  # the problems go where the check prints them
        sys.stdout.write(exc.message + "\n")
        print(f"构建已停止。{untouched.strip()}" if building else "检查未通过。", file=sys.stderr)
        return exc.exit_code
    except CallGuideError as exc:
        print(f"{exc.stage}失败：{exc.message}{untouched}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the machine's: a full disk, a file that may not be written
        print(f"{'构建' if building else '命令'}失败：{describe_os_error(exc)}{untouched}", file=sys.stderr)
        return 1
    except Exception as exc:  # an internal error: still a clear message, and site/ untouched
        if os.environ.get("CALLGUIDE_DEBUG"):
            traceback.print_exc()
        print(
            f"失败（内部错误）：{type(exc).__name__}: {exc}{untouched}\n"
            "设置环境变量 CALLGUIDE_DEBUG=1 可查看详细信息。",
            file=sys.stderr,
        )
        return 1
