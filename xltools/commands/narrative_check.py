"""`xltools narrative-check REPORT [BOOK.xlsx] [--inputs INPUTS] [--year 2021]`: check the amounts,
shares, rates and 类/款/项 headings of a written 情况说明 (.docx/.txt/.md, whole report or part three)
against the tables, and the figures that depend on inputs (prior year, 年初预算, 政府采购) against
the inputs file when one is given. Without a workbook the text is checked against itself alone
(its stated sums, rates and shares; 元 among 万元) — for reviewers and 绩效自评报告.

Exit codes (as `xltools check`): 0 no errors, 1 errors found, 2 a file could not be read or the
command line is wrong."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xltools.commands.narrative import add_inputs_arguments, load_args_inputs


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("report", metavar="情况说明", help="写好的决算报告或其第三部分（.docx/.txt/.md）")
    p.add_argument(
        "book",
        metavar="工作簿",
        nargs="?",
        help="同一单位的公开表工作簿（.xlsx/.xlsm）；不给时只按文字自身核对（所述合计、比率、占比、元与万元）",
    )
    add_inputs_arguments(
        p, "表外数据（.toml/.yaml，同 xltools narrative）：据此核对上年数、年初预算、政府采购等数字"
    )
    p.add_argument(
        "--format", choices=("text", "json", "junit"), default="text", help="输出格式（默认 text）"
    )
    p.add_argument("--output", "-o", metavar="文件", help="把结果写入文件（默认输出到屏幕）")
    p.add_argument("--all", action="store_true", help="同时列出核对通过的数字")


def run(args: argparse.Namespace) -> int:
    from xltools.narrative import check_narrative
    from xltools.narrative.inputs import with_year
    from xltools.read import read_report
    from xltools.rules.results import to_json, to_junit, to_text

    inputs = load_args_inputs(args)
    report = with_year(read_report(args.book), inputs) if args.book else None
    checked = check_narrative(report, args.report, inputs)
    result = checked.result(report, str(args.report), inputs.year)
    if args.format == "json":
        text = to_json([result], include_passes=args.all)
    elif args.format == "junit":
        text = to_junit([result])
    else:
        c = checked.counts()
        alone = (
            "" if report is not None else "  未给工作簿：仅按文字自身核对（所述合计、比率、占比、元与万元）\n"
        )
        text = (
            to_text([result], include_passes=args.all)
            + alone
            + (
                f"  共找到 {c['found']} 个数字与标题，定位核对 {c['placed']} 个，有问题 {c['flagged']} 个，"
                f"未能定位 {c['unplaced']} 个（N0）\n"
            )
        )
    if args.output:
        from xltools.io import write_text_atomic

        write_text_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return result.exit_code
