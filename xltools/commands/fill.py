"""`xltools fill`: fill the 公开 tables from a tidy data file (workbook or folder of CSV files)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data", metavar="数据", help="数据工作簿（.xlsx）或 CSV 文件夹，格式见 xltools/fill/README.md"
    )
    parser.add_argument("-o", "--output", required=True, metavar="文件", help="输出的 .xlsx 文件")
    parser.add_argument(
        "--format",
        dest="format_id",
        default="2021",
        metavar="格式",
        help="表格格式：2021（默认）、2018 或其变体",
    )
    parser.add_argument(
        "--unit",
        choices=("元", "万元"),
        default=None,
        help="数据文件中金额的单位（默认取“单位信息”表的金额单位，未写则为元）",
    )


def run(args: argparse.Namespace) -> int:
    from xltools.errors import UsageError
    from xltools.fill.fill import fill

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应以 .xlsx 结尾：{out}")
    filled = fill(args.data, args.format_id, args.unit)
    filled.save(out)
    for w in filled.warnings:
        print(f"提示：{w}", file=sys.stderr)
    print(f"已填写 {filled.department} {filled.year} 年度公开表 {len(filled.cells)} 张：{out}")
    return 0
