"""Figures of `xltools fix`: plan and write time on the reference books, and the property test
(1,000 generated workbooks in two processes). Usage: python bench/bench_fix.py"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "fix"), str(ROOT / "tests" / "fixtures")]


def main() -> int:
    from fixture_books import build_all
    from test_property import run_all

    from xltools.fix import apply, plan
    from xltools.read import read_report

    with tempfile.TemporaryDirectory() as tmp:
        books = build_all(Path(tmp) / "books")
        print("book            changes  plan s  write s")
        for name, path in books.items():
            start = time.perf_counter()
            p = plan(read_report(path))
            mid = time.perf_counter()
            apply(path, p, Path(tmp) / f"out_{name}.xlsx")
            end = time.perf_counter()
            print(f"{name:<15} {len(p.changes):>7}  {mid - start:6.3f}  {end - mid:7.3f}")
        n, changes, xlsm, seconds = run_all(Path(tmp) / "prop")
        print(
            f"property test: {n} workbooks ({xlsm} .xlsm), {changes} changes, {seconds:.1f} s on 2 processes"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
