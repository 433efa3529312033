"""Batch benchmark: `xltools check DIR --jobs 1` against `--jobs 2`, whole process, on copies of the
reference workbooks (every layout). Prints wall time and the parent's peak memory for each size, so
the break-even of the worker pool and flat memory can be read off.

Usage: python bench/bench_batch.py [--sizes 20,50,100,200,1000]
Targets: 1,000 books, --jobs 2 ≥ 1.6× faster than --jobs 1 and ≤ 10 s (2-core machine, idle)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import _env, xltools


def fill_folder(books: list[Path], count: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        shutil.copy(books[i % len(books)], folder / f"b{i:05d}.xlsx")
    return folder


def timed(folder: Path, jobs: int, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB, from GNU time) of one whole-process batch run."""
    cmd = xltools("check", str(folder), "--jobs", str(jobs), "--format", "json", "--output", str(out))
    rss = out.with_suffix(".rss")
    t = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss), *cmd], capture_output=True, env=_env())
    return time.perf_counter() - t, int(rss.read_text().split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20,50,100,200,1000")
    args = parser.parse_args()
    from fixture_books import build_all

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        books = list(build_all(tmp / "books").values())
        print("批量校验（整个进程，json 输出到文件）：")
        print("  文件数  --jobs 1  --jobs 2  加速比  峰值内存（j1 / j2）")
        for n in (int(s) for s in args.sizes.split(",")):
            folder = fill_folder(books, n, tmp / f"batch{n}")
            t1, m1 = timed(folder, 1, tmp / f"j1_{n}.json")
            t2, m2 = timed(folder, 2, tmp / f"j2_{n}.json")
            same = (tmp / f"j1_{n}.json").read_bytes() == (tmp / f"j2_{n}.json").read_bytes()
            print(
                f"  {n:>6}  {t1:7.2f} s  {t2:7.2f} s  {t1 / t2:5.2f}×"
                f"  {m1 / 1024:6.0f} / {m2 / 1024:4.0f} MiB"
                f"  {'结果相同' if same else '结果不同！'}"
            )
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
