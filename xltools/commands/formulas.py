"""`xltools formulas BOOK.xlsx -o OUT.xlsx`: add (or refresh) the 校验 sheet of worksheet formulas.

The user's cells are never changed: the workbook is loaded with openpyxl (macros kept for .xlsm), the
sheet “校验” and its conditional formats are replaced, and the result is written atomically to -o, or
over the input with --in-place after a timestamped backup. Exit codes: 0 written, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from xltools.errors import UsageError
from xltools.vocabulary import Verdict

SUFFIXES = (".xlsx", ".xlsm")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("book", metavar="工作簿", help="要添加校验公式的公开表工作簿（.xlsx/.xlsm）")
    p.add_argument("-o", "--output", metavar="文件", help="输出到新文件（原文件不变）")
    p.add_argument("--in-place", action="store_true", help="直接写回原文件（先自动备份为 .bak-时间戳）")


def _target(args: argparse.Namespace, book: Path) -> Path:
    if book.suffix.lower() not in SUFFIXES:
        raise UsageError(f"只支持 .xlsx/.xlsm 工作簿：{book}", hint="请先在 Excel/WPS 中另存为 .xlsx")
    if args.output and args.in_place:
        raise UsageError("-o 与 --in-place 只能选一个")
    if not args.output and not args.in_place:
        raise UsageError("请用 -o 指定输出文件，或用 --in-place 写回原文件（会先备份）")
    if args.in_place:
        return book
    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"-o 给出的是文件夹：{out}", hint=f"请写出文件名，如 -o {out / book.name}")
    if out.suffix.lower() != book.suffix.lower():
        raise UsageError(f"输出文件的扩展名应与原文件相同（{book.suffix}）：{out}")
    if out.exists() and out.resolve() == book.resolve():
        raise UsageError("输出文件就是原文件", hint="要写回原文件请用 --in-place（会先备份）")
    return out


def run(args: argparse.Namespace) -> int:
    from xltools.io import exclusive

    book = Path(args.book)
    target = _target(args, book)
    with exclusive(book) if args.in_place else nullcontext():
        rows, saved = _write(book, target, args.in_place)
    from xltools.rules.render_sheet import SHEET

    verdicts = [r.python for r in rows]
    print(
        f"已在 {target} 中添加校验表“{SHEET}”：{len(rows)} 行（不通过 {verdicts.count(Verdict.ERROR)} 项，"
        f"尾差 {verdicts.count(Verdict.TAIL)} 项，提示 {verdicts.count(Verdict.WARNING)} 项）"
    )
    if saved:
        print(f"原文件已备份为 {saved}")
    return 0


def _write(book: Path, target: Path, in_place: bool) -> tuple[list[Any], Path | None]:
    from xltools.io import backup, write_atomic
    from xltools.read import read_reports
    from xltools.read.writable import load_for_writing
    from xltools.rules.render_sheet import write_check_sheet

    reports = read_reports(book)  # a workbook of several units: a block of checks per unit
    wb = load_for_writing(book)
    rows = write_check_sheet(wb, reports)
    saved: list[Path] = []
    write_atomic(target, wb.save, (lambda: saved.append(backup(book))) if in_place else None)
    return rows, saved[0] if saved else None
