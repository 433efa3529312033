"""`xltools narrative BOOK.xlsx [--inputs INPUTS] [--year 2021] -o 情况说明.docx`: write part three
(情况说明) from the tables, with prior-year figures, budgets and reasons from an inputs file.
The year: --year, else the inputs file's `year`, else the workbook's own.

Exit codes: 0 written, 2 the workbook or inputs file could not be read, or the output not written."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xltools.narrative import Inputs


def year_arg(text: str) -> int:
    """--year: a four-digit year (argparse refuses anything else with exit code 2)."""
    from xltools.errors import DataError
    from xltools.narrative.inputs import year_of

    try:
        return year_of(text, "--year")
    except DataError as exc:
        raise argparse.ArgumentTypeError(f"应为四位年份（如 2021），实为 {text!r}") from exc


def add_inputs_arguments(p: argparse.ArgumentParser, inputs_help: str) -> None:
    """--inputs and --year, shared by narrative and narrative-check."""
    p.add_argument("--inputs", "-i", metavar="数据文件", help=inputs_help)
    p.add_argument(
        "--year",
        "-y",
        type=year_arg,
        metavar="年度",
        help="决算年度（优先于数据文件中的 year，再其次才是工作簿中的年度）",
    )


def load_args_inputs(args: argparse.Namespace) -> Inputs:
    """The inputs file of --inputs (or none), with --year put over its year."""
    from xltools.narrative import Inputs, load_inputs

    inputs = load_inputs(args.inputs) if args.inputs else Inputs()
    return inputs if args.year is None else replace(inputs, year=args.year)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("book", metavar="工作簿", help="公开表工作簿（.xlsx/.xlsm）")
    add_inputs_arguments(
        p, "表外数据（.toml/.yaml）：年度、上年数、年初预算、数量、原因说明，见 xltools/narrative/README.md"
    )
    p.add_argument("--output", "-o", metavar="文件", help="输出文件（默认：工作簿同名的 情况说明.docx）")
    p.add_argument(
        "--format", choices=("docx", "md", "txt"), help="输出格式（默认按输出文件后缀，否则 docx）"
    )


KINDS = (".docx", ".md", ".txt")


def _output(args: argparse.Namespace) -> tuple[Path, str]:
    """The output file and its kind: -o checked before any work (a folder, or an extension that is
    not what is written, such as .pdf, is refused)."""
    from xltools.errors import UsageError

    fmt = args.format
    if not args.output:
        book = Path(args.book)
        return book.with_name(f"{book.stem}_情况说明.{fmt or 'docx'}"), fmt or "docx"
    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"-o 给出的是文件夹：{out}", hint=f"请写出文件名，如 -o {out / '情况说明.docx'}")
    suffix = out.suffix.lower()
    if suffix and suffix not in KINDS:
        raise UsageError(
            f"不能输出为 {out.suffix} 文件：{out}",
            hint="情况说明可输出为 .docx、.md 或 .txt；需要 PDF 请在 Word/WPS 中另存",
        )
    if fmt and suffix and suffix != f".{fmt}":
        raise UsageError(f"输出文件的扩展名 {out.suffix} 与 --format {fmt} 不一致", hint=f"请用 .{fmt} 结尾")
    return out, fmt or (suffix.lstrip(".") if suffix else "docx")


def run(args: argparse.Namespace) -> int:
    from xltools.io import write_atomic
    from xltools.narrative import generate, write
    from xltools.read import read_report

    out, kind = _output(args)
    report = read_report(args.book)
    inputs = load_args_inputs(args)
    narrative = generate(report, inputs)
    write_atomic(out, lambda tmp: write(narrative, tmp, kind))
    pending = narrative.pending()
    print(f"已生成情况说明：{out}（{len(narrative.sections)} 节）")
    if pending:
        print(f"有 {len(pending)} 段含【待补充】，请用 --inputs 提供表外数据或手工补写。", file=sys.stderr)
    return 0
