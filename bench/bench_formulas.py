"""Timings of the formula backend for the closing note: fill + checks + save, the 校验 sheet computed
by `formulas` and by LibreOffice, against a raw python-calamine read.

Usage: python bench/bench_formulas.py [RUNS]   (fastest of RUNS whole-process runs, default 5)
Every figure is a whole process except the one marked in-process; LibreOffice runs with a profile
created once beforehand (a fresh profile per call costs seconds that are not recalculation).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

FILL = """
from xltools.fill import sample_data_path
from xltools.fill.fill import fill
from xltools.rules.render_sheet import add_check_sheet, report_of
f = fill(sample_data_path(), "2021")
add_check_sheet(f.workbook, report_of(f.workbook))
f.save({path!r})
"""
FORMULAS = """
import sys; sys.path.insert(0, {tests!r})
from pathlib import Path
from engines.formulas_engine import sheet_values
sheet_values(Path({path!r}), {last})
"""
CALAMINE = """
import python_calamine
b = python_calamine.CalamineWorkbook.from_path({path!r})
for n in b.sheet_names: b.get_sheet_by_name(n).to_python()
"""


def _proc(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return min(times)


def _lo(paths: list[Path], out: Path, profile: Path) -> float:
    """One whole soffice process over `paths`, with a profile created and warmed once beforehand."""
    from engines.libreoffice import recalculate

    if not profile.exists():
        recalculate(paths[:1], out.with_name(out.name + "-warm"), profile=profile)
    t = time.perf_counter()
    recalculate(paths, out, profile=profile)
    return time.perf_counter() - t


def _std_in_process(tmp: Path) -> tuple[int, float]:
    """The 校验 sheet of reference report 000 (std layout) computed by `formulas` in this process."""
    from engines.formulas_engine import sheet_values
    from fixture_books import write_workbook
    from openpyxl import load_workbook

    from xltools.read import read_report
    from xltools.rules.render_sheet import add_check_sheet

    src = write_workbook("000", "std", tmp / "000_std.xlsx")
    wb = load_workbook(src)
    rows = add_check_sheet(wb, read_report(src))
    out = tmp / "000_std_checks.xlsx"
    wb.save(out)
    sheet_values(out, rows + 4)  # warm the imports
    t = time.perf_counter()
    sheet_values(out, rows + 4)
    return rows, time.perf_counter() - t


def main(runs: int) -> None:
    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "demo.xlsx"
        t_fill = _proc(FILL.format(path=str(book)), runs)
        rows = load_workbook(book)["校验"].max_row
        t_formulas = _proc(FORMULAS.format(tests=str(ROOT / "tests"), path=str(book), last=rows), runs)
        t_cal = _proc(CALAMINE.format(path=str(book)), runs)
        copies = []
        for i in range(10):
            copy = Path(tmp) / f"copy{i}.xlsx"
            copy.write_bytes(book.read_bytes())
            copies.append(copy)
        std_rows, t_std = _std_in_process(Path(tmp))
        profile = Path(tmp) / "lo-profile"
        t_lo1 = _lo(copies[:1], Path(tmp) / "lo1", profile)
        t_lo10 = _lo(copies, Path(tmp) / "lo10", profile)
    print(f"校验 sheet: {rows - 4} rows")
    print(f"fill + render checks + save (whole process):   {t_fill:6.2f} s")
    print(
        f"formulas 1.3.4, the 校验 sheet (process): {t_formulas:6.2f} s  ({t_formulas / t_cal:.0f}x calamine)"
    )
    print(f"formulas, reference report 000 ({std_rows} rows), in-process: {t_std:6.2f} s")
    print(f"LibreOffice headless, 1 file (process):         {t_lo1:6.2f} s  ({t_lo1 / t_cal:.0f}x calamine)")
    print(f"LibreOffice, 10 files in one call (process):    {t_lo10 / 10:6.2f} s a file")
    print(f"python-calamine raw read (process):            {t_cal:6.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
