"""Benchmarks of `xltools check` (figures, not timed tests). Run: python bench/bench_check.py

Every figure is the fastest of several runs; every ratio compares like with like, measured in one run:
  1. in-process: `check` (read + judge, what `xltools check` does before printing) of one workbook ÷
     the raw python-calamine read of the same file, on the reference reports 000/001 and on the filled
     demo workbook (target ≤ 2×), and the reader's share (read_report alone). The figure is a layout
     seen before (read.recall: a batch of one template, a book re-checked); the first read of a layout
     (memory emptied before each run) is printed beside it;
  2. in-process: consolidated workbooks with 500…8,000 code rows (target ≤ 3× the raw read at 8,000,
     time per row flat);
  3. whole process: `xltools check one.xlsx` from start to exit (target ≤ 0.15 s; bytecode compiled,
     as pip installs it), beside a bare `python -c "import python_calamine"` start and the parts of
     the time measured in one process (numpy's import, xltools' imports, the first check).
The batch (--jobs) and LibreOffice figures are bench_batch.py and bench_libreoffice.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import ROOT, _env, best_of, demo_book, process_time, ratio, raw_read, xltools
from consolidated import consolidated

PARTS = """
import time
t0 = time.perf_counter()
import numpy
t1 = time.perf_counter()
import xltools.cli, xltools.commands.check, xltools.rules.engine, xltools.read
t2 = time.perf_counter()
from xltools.rules.engine import check_units
check_units(__import__("sys").argv[1], False)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def compile_bytecode() -> None:
    """Bytecode for every module, as `pip install` leaves it (a checkout run with
    PYTHONDONTWRITEBYTECODE would compile every module on every start)."""
    import compileall

    compileall.compile_dir(str(ROOT / "xltools"), quiet=1)


def process_parts(path: Path, runs: int = 10) -> str:
    import subprocess

    best = [float("inf")] * 3
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", PARTS, str(path)], capture_output=True, text=True, env=_env(), check=True
        )
        best = [min(b, float(x)) for b, x in zip(best, done.stdout.split(), strict=True)]
    numpy, imports, first = (x * 1e3 for x in best)
    return (
        f"导入 numpy {numpy:.0f} ms，导入 xltools {imports:.0f} ms，首次校验（读取 + 编译计划）{first:.0f} ms"
    )


def check(path: Path) -> None:
    """What `xltools check` does to a workbook before printing: read, judge, findings of what did not pass."""
    from xltools.rules.engine import check_units

    check_units(path, passes=False)


def read_only(path: Path) -> None:
    from xltools.read import read_report

    read_report(path)


def first_time(path: Path) -> None:
    """`check` of a layout never seen: the memory of layouts emptied first."""
    from xltools.read import recall

    recall.forget()
    check(path)


def in_process(name: str, path: Path, repeat: int = 30) -> None:
    raw = best_of(lambda: raw_read(path), repeat)
    full = best_of(lambda: check(path), repeat)
    read = best_of(lambda: read_only(path), repeat)
    cold = best_of(lambda: first_time(path), max(3, repeat // 3))
    print(
        f"  {name:<28} check {full * 1e3:8.2f} ms  calamine {raw * 1e3:7.2f} ms  = {ratio(full, raw):>6}"
        f"   (read_report alone {read * 1e3:7.2f} ms = {ratio(read, raw)};"
        f" 首次见到的版式 {cold * 1e3:6.1f} ms = {ratio(cold, raw)})"
    )


def scaling(tmp: Path, sizes: list[int]) -> None:
    print("2. 汇总工作簿（进程内，3 张表各 N 个编码行；目标：8,000 行 ≤ 3× 原始读取，每行耗时不随 N 增长）")
    for n in sizes:
        path = consolidated(n, tmp / f"c{n}.xlsx")
        repeat = 5 if n <= 2000 else 3
        raw = best_of(lambda p=path: raw_read(p), repeat)
        full = best_of(lambda p=path: check(p), repeat)
        print(
            f"  {n:>5} 行  check {full * 1e3:8.1f} ms  calamine {raw * 1e3:7.1f} ms  = {ratio(full, raw):>6}"
            f"   每行 {full / n * 1e6:6.1f} µs"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,1000,2000,4000,8000")
    args = parser.parse_args()
    from fixture_books import write_workbook

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        std0 = write_workbook("000", "std", tmp / "000_std.xlsx")
        std1 = write_workbook("001", "std", tmp / "001_std.xlsx")
        demo = demo_book(tmp)
        print("1. 单个工作簿（进程内，取最快一次；目标 ≤ 2× calamine 原始读取）")
        in_process("参考报告 000（std）", std0)
        in_process("参考报告 001（std）", std1)
        in_process("示例部门（含 454 行校验表）", demo)
        scaling(tmp, [int(s) for s in args.sizes.split(",")])
        compile_bytecode()
        whole = process_time(xltools("check", str(std0)))
        bare = process_time([sys.executable, "-c", "import python_calamine"])
        print(
            f"3. 整个进程 `xltools check 000_std.xlsx`：{whole:.3f} s（目标 ≤ 0.15 s；"
            f"对照：只启动 Python 并导入 calamine {bare:.3f} s）"
        )
        print(f"   其中（同一进程内分段计时，取最快）：{process_parts(std0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
