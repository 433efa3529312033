"""`xltools check PATH...`: judge workbooks (files or folders, recursive) with the whole catalogue.

Exit codes: 0 no errors, 1 errors found, 2 a file could not be read or the command line is wrong.

A batch keeps, per workbook, only its piece of the output and its counts (`results.Rendered`), so
memory stays flat however many files it checks; output order is the order of the files. With
`--jobs N` the files are read and checked in N worker processes — only when the batch is large
enough to pay for starting them (BREAK_EVEN, measured with bench/bench_batch.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from xltools.errors import UsageError

if TYPE_CHECKING:
    from xltools.rules.results import Rendered

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")  # .xls/.xlsb are listed so the user hears why they are refused
T = TypeVar("T")
BREAK_EVEN = 48  # fewer files than this are checked faster in this process than by starting workers


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
        if not raw.strip():
            raise UsageError("路径为空", hint="请给出工作簿文件或文件夹的路径")
        p = Path(raw)
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.suffix.lower() in SUFFIXES and not f.name.startswith(("~$", ".~")) and not f.is_dir()
                )
            )
        else:
            out.append(p)
    if not out:
        raise UsageError("给出的文件夹中没有 .xlsx/.xlsm 工作簿", path="、".join(paths), hint="请检查路径")
    return out


def check_one(path: Path, output: str = "text", include_passes: bool = False) -> list[Rendered]:
    """Read, check and render one workbook (in this process or in a worker): one result per unit it
    holds (nothing silently dropped)."""
    from xltools.rules.engine import check_units
    from xltools.rules.results import render

    passes = include_passes or output == "junit"  # JUnit lists every check as a test case
    results = check_units(path, passes)
    return [render(r, output, include_passes, units=len(results)) for r in results]


def run_all(files: list[Path], jobs: int, output: str, include_passes: bool) -> Iterator[list[Rendered]]:
    """Every file's rendered results, in the order of `files`."""
    one = partial(check_one, output=output, include_passes=include_passes)
    if jobs <= 1 or len(files) < BREAK_EVEN:
        yield from map(one, files)
        return
    yield from in_workers(one, files, jobs, partial(died, output=output, include_passes=include_passes))


def in_workers(
    one: Callable[[Path], T], files: list[Path], jobs: int, dead: Callable[[Path], T]
) -> Iterator[T]:
    """`one` over `files` in `jobs` worker processes, in order. A worker that dies (a native crash,
    the kernel's OOM killer) breaks the pool: the files not yet done are then run one process each,
    and a file whose own process dies gives `dead(file)` — the batch goes on."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            for item in pool.map(one, files, chunksize=max(1, min(32, len(files) // (jobs * 8)))):
                done += 1
                yield item
            return
        except BrokenProcessPool:
            pass
    for path in files[done:]:
        with ProcessPoolExecutor(max_workers=1) as alone:
            try:
                item = alone.submit(one, path).result()
            except BrokenProcessPool:
                item = dead(path)
        yield item


def died(path: Path, output: str, include_passes: bool) -> list[Rendered]:
    """The result of a file whose worker process died while reading or checking it."""
    from xltools.errors import Fault, FileProblem
    from xltools.rules.engine import failed
    from xltools.rules.results import render

    problem = FileProblem("读取该文件的进程意外终止（内容过多或文件内容异常）", fault=Fault.DAMAGED)
    return [render(failed(path, problem), output, include_passes)]


def progress(items: Iterator[T], total: int, show: bool) -> Iterator[T]:
    """`items` with a progress bar on stderr (tqdm) when `show` and there is more than one."""
    if not show or total < 2:
        return items
    from tqdm import tqdm

    return iter(tqdm(items, total=total, desc="校验中", unit="个", file=sys.stderr, leave=False))


def run(args: argparse.Namespace) -> int:
    from xltools.errors import printable
    from xltools.rules.results import Tally, write_document

    files = collect(args.paths)
    show = not args.no_progress and sys.stderr.isatty()
    each = progress(run_all(files, max(1, args.jobs), args.format, args.all), len(files), show)
    pieces = (r for rendered in each for r in rendered)  # streamed: a batch of any size holds one result
    tally = Tally()
    if args.output:
        from xltools.io import write_atomic

        def write(tmp: Path) -> None:
            nonlocal tally
            with tmp.open("w", encoding="utf-8") as fh:
                tally = write_document(pieces, args.format, lambda s: fh.write(printable(s)))

        write_atomic(Path(args.output), write)
    else:
        tally = write_document(pieces, args.format, sys.stdout.write)
    for error in tally.errors:
        print(f"错误：{error}", file=sys.stderr)
    return tally.exit_code
