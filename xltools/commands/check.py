"""`xltools check PATH...`: judge workbooks (files or folders, recursive) with the whole catalogue.

Exit codes: 0 no errors, 1 errors found, 2 a file could not be read or the command line is wrong."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.errors import UsageError

if TYPE_CHECKING:
    from xltools.rules.results import CheckResult

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")  # .xls/.xlsb are listed so the user hears why they are refused


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="路径", help="工作簿文件或文件夹（递归查找 .xlsx/.xlsm）")
    p.add_argument(
        "--format", choices=("text", "json", "junit"), default="text", help="输出格式（默认 text）"
    )
    p.add_argument("--output", "-o", metavar="文件", help="把结果写入文件（默认输出到屏幕）")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="并行进程数（批量校验时）")
    p.add_argument("--all", action="store_true", help="同时列出通过的规则")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")


def collect(paths: list[str]) -> list[Path]:
    """Files named, and every .xlsx/.xlsm below folders named (temporary ~$ files skipped)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(
                sorted(
                    f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and not f.name.startswith("~$")
                )
            )
        else:
            out.append(p)
    if not out:
        raise UsageError("给出的文件夹中没有 .xlsx/.xlsm 工作簿", hint="请检查路径")
    return out


def _check_one(path: Path) -> list[CheckResult]:
    """The results of one workbook: one per unit it holds (nothing silently dropped)."""
    from xltools.rules.engine import check_units

    return check_units(path)


def _run_all(files: list[Path], jobs: int, progress: bool) -> Iterator[CheckResult]:
    if jobs <= 1 or len(files) < 4:
        for i, f in enumerate(files, 1):
            yield from _check_one(f)
            _progress(i, len(files), progress)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for i, results in enumerate(
            pool.map(_check_one, files, chunksize=max(1, len(files) // (jobs * 8))), 1
        ):
            yield from results
            _progress(i, len(files), progress)


def _progress(done: int, total: int, show: bool) -> None:
    if not show or total < 2:
        return
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r校验中 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from xltools.rules.results import to_json, to_junit, to_text

    files = collect(args.paths)
    show = not args.no_progress and sys.stderr.isatty()
    results = list(_run_all(files, max(1, args.jobs), show))
    if args.format == "json":
        text = to_json(results, include_passes=args.all)
    elif args.format == "junit":
        text = to_junit(results)
    else:
        text = to_text(results, include_passes=args.all)
    if args.output:
        from xltools.io import write_text_atomic

        write_text_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    for r in results:
        if r.error:
            print(f"错误：{r.error}", file=sys.stderr)
    return max((r.exit_code for r in results), default=0)
