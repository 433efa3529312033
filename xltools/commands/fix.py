"""`xltools fix BOOK -o OUT | --in-place`: convert text numbers, fill derivable blanks, resolve rounding
tails, propose typing slips, and write back without losing anything (--dry-run only prints the plan).

Exit codes: 0 nothing left for a person, 1 genuine errors listed as 需人工核实, 2 bad input or usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xltools.errors import UsageError
from xltools.vocabulary import ChangeKind

KIND_CHOICES = tuple(ChangeKind)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("book", metavar="工作簿", help="要修正的 .xlsx/.xlsm 工作簿")
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="文件", help="写入新文件（原文件不变）")
    where.add_argument(
        "--in-place", action="store_true", help="直接修改原文件（先在旁边留一份带时间戳的备份）"
    )
    p.add_argument("--dry-run", action="store_true", help="只列出修改计划，不写文件")
    p.add_argument(
        "--only",
        action="append",
        choices=KIND_CHOICES,
        metavar="类型",
        help="只做某类修改：text 文本数字、blank 空白补填、tail 尾差、typo 录入错误（可重复）",
    )
    p.add_argument("--accept-typos", action="store_true", help="同时更正疑似录入错误（默认只列出）")


def run(args: argparse.Namespace) -> int:
    from xltools.fix import plan
    from xltools.fix.render import to_table
    from xltools.fix.write import apply
    from xltools.read import read_report

    book = Path(args.book)
    if not args.dry_run and not args.output and not args.in_place:
        raise UsageError("请指定输出：-o 新文件，或 --in-place 修改原文件（或用 --dry-run 只看计划）")
    kinds = {ChangeKind(k) for k in args.only} if args.only else None
    the_plan = plan(read_report(book), accept_typos=args.accept_typos)
    chosen = the_plan.applicable(accept_typos=args.accept_typos, kinds=kinds)
    if args.dry_run:
        sys.stdout.write(to_table(the_plan, the_plan.only(kinds)))
        return 1 if the_plan.reviews else 0
    out = book if args.in_place else Path(args.output)
    done = apply(book, the_plan, out, accept_typos=args.accept_typos, kinds=kinds)
    sys.stdout.write(to_table(the_plan, chosen))
    if done.out is None:
        print("没有需要写入的修改，文件未改动。")
    else:
        print(f"已写入 {done.out}（{len(done.changes)} 处修改，已着色并加批注，见工作表“修正记录”）。")
    if done.backup is not None:
        print(f"原文件已备份为 {done.backup}")
    skipped = [c for c in the_plan.only(kinds) if c.kind == ChangeKind.TYPO and not args.accept_typos]
    if skipped:
        print(f"另有 {len(skipped)} 处疑似录入错误未更正；核对后可加 --accept-typos 更正。")
    return 1 if the_plan.reviews else 0
