"""The `xltools` command line: one small module per command under xltools/commands/."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

# command name → (module, one-line Chinese help). Modules are imported only when their command runs,
# so `xltools check` does not pay for python-docx or xlwings.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("xltools.commands.check", "校验公开表工作簿（文件或文件夹）"),
    "template": ("xltools.commands.template", "生成标准公开表模板"),
    "fill": ("xltools.commands.fill", "由数据文件填写公开表"),
    "formulas": ("xltools.commands.formulas", "在工作簿中添加（或刷新）校验公式"),
    "demo": ("xltools.commands.demo", "用内置示例单位生成并校验一套公开表"),
    "fix": ("xltools.commands.fix", "修正：文本数字、尾差、空合计等，写回工作簿"),
    "narrative": ("xltools.commands.narrative", "由公开表生成第三部分情况说明"),
    "narrative-check": ("xltools.commands.narrative_check", "核对已写好的情况说明"),
    "audit": ("xltools.commands.audit", "审阅公开的决算报告 PDF：重建公开表、校验并标注页码"),
    "addin": ("xltools.commands.addin", "构建、安装或卸载 Excel 加载项"),
}


def _available() -> dict[str, tuple[str, str]]:
    found = {}
    for name, (module, help_text) in COMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            found[name] = (module, help_text)
    return found


def build_parser(commands: dict[str, tuple[str, str]]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xltools", description="部门决算公开表工具：校验、填表、修正、情况说明。"
    )
    parser.add_argument("--version", action="store_true", help="显示版本")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name, (module, help_text) in commands.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from xltools.errors import XltoolsError

    args_list = list(sys.argv[1:] if argv is None else argv)
    commands = _available()
    # build only the parser of the command asked for: start-up stays fast
    wanted = {k: v for k, v in commands.items() if args_list and args_list[0] == k}
    parser = build_parser(wanted or commands)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse already printed its message
        return 2 if exc.code not in (0, None) else 0
    if args.version:
        from xltools import __version__

        print(f"xltools {__version__}")
        return 0
    if not args.command:
        parser.print_help()
        return 2
    module = importlib.import_module(commands[args.command][0])
    try:
        return int(module.run(args))
    except XltoolsError as exc:
        print(f"错误：{exc.render()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output was piped into `head` and so on: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (
        RuntimeError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        OSError,
        ArithmeticError,
        AssertionError,
    ) as exc:  # a fault of ours: a Chinese message, not a traceback
        import os

        if os.environ.get("XLTOOLS_DEBUG"):
            raise
        from xltools.errors import internal_error

        print(f"错误：{internal_error(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
