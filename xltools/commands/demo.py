"""`xltools demo [-o DIR]`: fill the 2021 tables from the embedded sample department, add the 校验
sheet, check the saved workbook again, and write the workbook and the check report into DIR.

Exit codes: 0 done, 2 the folder cannot be written."""

from __future__ import annotations

import argparse
from pathlib import Path

WORKBOOK = "示例部门决算公开表.xlsx"
REPORT_TXT = "校验报告.txt"
REPORT_JSON = "校验报告.json"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        default="xltools-demo",
        metavar="文件夹",
        help="输出文件夹（默认 ./xltools-demo，不存在则新建）",
    )


def build(out_dir: Path) -> tuple[Path, Path, Path, str]:
    """Fill, add checks, save, re-read and check. Returns (workbook, text report, JSON report, summary)."""
    from xltools.fill import sample_data_path
    from xltools.fill.fill import fill
    from xltools.read import read_report
    from xltools.rules.engine import evaluate
    from xltools.rules.render_sheet import add_check_sheet, report_of
    from xltools.rules.results import to_json, to_text

    out_dir.mkdir(parents=True, exist_ok=True)
    filled = fill(sample_data_path(), "2021")
    book = out_dir / WORKBOOK
    rows = add_check_sheet(filled.workbook, report_of(filled.workbook, str(book)))
    filled.save(book)
    result = evaluate(read_report(book))
    txt, js = out_dir / REPORT_TXT, out_dir / REPORT_JSON
    from xltools.io import write_text_atomic

    write_text_atomic(txt, to_text([result], include_passes=True))
    write_text_atomic(js, to_json([result], include_passes=True))
    s = result.summary
    verdict = "全部通过" if s["errors"] == 0 else f"不通过 {s['errors']} 项"
    summary = (
        f"{filled.department} {filled.year} 年度部门决算公开表（9 张表）已生成，校验表 {rows} 行；"
        f"校验结果：{verdict}（尾差 {s['tails']} 项，提示 {s['warnings']} 项，格式 {s['format']} 项，"
        f"通过 {s['passed']} 项）"
    )
    return book, txt, js, summary


def run(args: argparse.Namespace) -> int:
    from xltools.errors import WriteError

    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        raise WriteError("输出位置已存在且不是文件夹", path=str(out_dir), hint="请用 -o 指定一个文件夹")
    book, txt, js, summary = build(out_dir)
    print(summary)
    print(f"工作簿：{book}")
    print(f"校验报告：{txt}")
    print(f"　　　　　{js}")
    print("用 Excel、WPS 或 LibreOffice 打开工作簿，“校验”表中的公式会随数据修改自动重算。")
    return 0
