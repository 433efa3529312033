"""The `xltools` command line: one small module per command under xltools/commands/."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

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


# argparse's messages (Python 3.11+), in Chinese: pattern → replacement
_MESSAGES = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1（用 -h 查看可用的参数）"),
    (r"argument (.*?): expected one argument", r"参数 \1 后面缺少它的值"),
    (r"argument (.*?): expected at least one argument", r"参数 \1 后面至少要有一个值"),
    (r"argument (.*?): expected at most one argument", r"参数 \1 后面最多只能有一个值"),
    (r"argument (.*?): expected (\d+) arguments?", r"参数 \1 后面应有 \2 个值"),
    (r"argument (.*?): ignored explicit argument (.*)", r"参数 \1 不接受值 \2"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1 的取值 \2 无效，可选：\3"),
    (r"argument (.*?): not allowed with argument (.*)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (.*?): invalid int value: (.*)", r"参数 \1 应为整数，实为 \2"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"参数 \1 的值 \3 无效"),
    (r"one of the arguments (.*) is required", r"参数 \1 必须给出其中一个"),
    (r"ambiguous option: (.*?) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"argument (.*?): (.*)", r"参数 \1：\2"),
)


def chinese(message: str) -> str:
    """An argparse error message in Chinese (unknown ones are kept as they are)."""
    import re

    for pattern, replacement in _MESSAGES:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, replacement, message, count=1, flags=re.DOTALL)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse, speaking Chinese: usage, help and every error; errors exit 2 with the right form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{chinese(message)}\n用 {self.prog} -h 查看用法。\n")


def build_parser(commands: dict[str, tuple[str, str]]) -> argparse.ArgumentParser:
    parser = Parser(prog="xltools", description="部门决算公开表工具：校验、填表、修正、情况说明。")
    parser.add_argument("--version", action="store_true", help="显示版本")
    sub = parser.add_subparsers(dest="command", metavar="命令", title="命令")
    for name, (module, help_text) in commands.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    with _safe_streams():
        return _run(module, args)


def _run(module: Any, args: argparse.Namespace) -> int:
    """The one error boundary of every command: a typed Chinese message and exit 2 for what is wrong
    with the user's input, "内部出错" only for a defect of ours; never a traceback."""
    import os

    from xltools.errors import XltoolsError, printable, user_message

    try:
        return int(module.run(args))
    except XltoolsError as exc:
        print(f"错误：{printable(exc.render())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output was piped into `head` and so on: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("XLTOOLS_DEBUG"):
            raise
        print(f"错误：{user_message(exc, _input_of(args))}", file=sys.stderr)
        return 2
    except BaseException as exc:  # a reader's panic (pyo3 PanicException is no Exception)
        if isinstance(exc, SystemExit | GeneratorExit) or os.environ.get("XLTOOLS_DEBUG"):
            raise
        print(f"错误：{user_message(exc, _input_of(args))}", file=sys.stderr)
        return 2


def _input_of(args: argparse.Namespace) -> str | None:
    """The one input file the command was given, when there is one (to name it in a message)."""
    for key in ("book", "data", "report"):
        if getattr(args, key, None):
            return str(getattr(args, key))
    paths = getattr(args, "paths", None) or []
    return str(paths[0]) if len(paths) == 1 else None


class _SafeStream:
    """A text stream that never passes control characters (ESC sequences from a cell, NUL …) to the
    terminal and never fails on a character the console cannot encode (an emoji on a GBK console)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def write(self, text: str) -> int:
        from xltools.errors import printable

        text = printable(text)
        try:
            return int(self._raw.write(text))
        except UnicodeEncodeError:
            encoding = getattr(self._raw, "encoding", None) or "utf-8"
            return int(self._raw.write(text.encode(encoding, "replace").decode(encoding)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


@contextmanager
def _safe_streams() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


if __name__ == "__main__":
    sys.exit(main())
