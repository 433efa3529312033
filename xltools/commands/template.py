"""`xltools template`: write the blank print-ready 公开 template of a format."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        dest="format_id",
        default="2021",
        metavar="格式",
        help="表格格式：2021（公开01–09，默认）、2018（公开01–08）或其变体",
    )
    parser.add_argument("-o", "--output", required=True, metavar="文件", help="输出的 .xlsx 文件")
    parser.add_argument("--department", default="", metavar="部门", help="预先填入的部门名称")
    parser.add_argument(
        "--year", type=int, default=None, metavar="年度", help="按该年度的科目名称列出类级科目"
    )


def run(args: argparse.Namespace) -> int:
    from xltools.errors import UsageError
    from xltools.fill.template import write_template

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应以 .xlsx 结尾：{out}")
    cells = write_template(args.format_id, out, year=args.year, department=args.department)
    print(f"已生成模板 {out}（{len(cells)} 张表）")
    return 0
