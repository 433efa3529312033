"""Benchmarks of `xltools check` (figures, not timed tests). Run: python bench/bench_check.py

Reports, on the reference workbooks built by tests/fixtures/fixture_books.py:
  1. in-process check of one standard workbook against the raw python-calamine read of the same file;
  2. whole-process `xltools check one.xlsx` (median wall time);
  3. 1,000 workbooks with --jobs 2;
  4. consolidated workbooks with 500…4,000 code rows: time per row (linear growth);
  5. LibreOffice headless recalculating the same checks (the 校验 sheet) on the same workbook.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))


def best_of(fn: Callable[[], object], repeat: int = 30) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def raw_read(path: Path) -> None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for i in range(len(book.sheet_names)):
        book.get_sheet_by_index(i).to_python()


def openpyxl_structure(path: Path) -> float:
    """What reading the same values and merged ranges costs with openpyxl (the alternative engine)."""
    from openpyxl import load_workbook

    def read() -> None:
        wb = load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            list(ws.iter_rows(values_only=True))
            list(ws.merged_cells.ranges)

    return best_of(read, repeat=10)


def in_process(path: Path) -> tuple[float, float]:
    from xltools.read import read_report
    from xltools.rules.engine import evaluate

    raw = best_of(lambda: raw_read(path))
    full = best_of(lambda: evaluate(read_report(path)))
    return raw, full


def whole_process(path: Path, runs: int = 10) -> float:
    cmd = [sys.executable, "-m", "xltools.cli", "check", str(path)]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def batch(books: dict[str, Path], count: int, jobs: int, tmp: Path) -> float:
    folder = tmp / "batch"
    folder.mkdir()
    names = [n for n in books if not n.endswith("yuan")]
    for i in range(count):
        shutil.copy(books[names[i % len(names)]], folder / f"b{i:04d}.xlsx")
    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "xltools.cli",
            "check",
            str(folder),
            "--jobs",
            str(jobs),
            "--format",
            "json",
            "--output",
            str(tmp / "batch.json"),
        ],
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - t


def consolidated(rows: int, path: Path) -> Path:
    """A workbook whose 公开02/03/05 carry `rows` consistent code rows each (类 → 款 → 项)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    specs = {
        "公开02": (
            "收入决算表",
            [
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上缴收入",
                "其他收入",
            ],
        ),
        "公开03": (
            "支出决算表",
            ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
        ),
        "公开05": ("一般公共预算财政拨款支出决算表", ["小计", "基本支出", "项目支出"]),
    }
    codes = _codes(rows)
    for sheet, (title, headers) in specs.items():
        ws = wb.create_sheet(sheet)
        ws.append([title])
        ws.append(["部门：汇总单位", None, "单位：万元"])
        ws.append(["功能分类科目编码", "科目名称", *headers])
        n = len(headers)
        leaf = {c: (1 + int(c[-2:])) for c in codes if len(c) == 7}
        total = sum(leaf.values())
        ws.append(["合计", None, *_row(total, n)])
        for c in codes:
            v = sum(x for k, x in leaf.items() if k.startswith(c))
            ws.append([c, f"科目{c}", *_row(v, n)])
    wb.save(path)
    return path


def _row(v: int, n: int) -> list[float]:
    if n == 3:
        return [float(v), float(v), 0.0]
    return [float(v), float(v)] + [0.0] * (n - 2)


def _codes(rows: int) -> list[str]:
    out: list[str] = []
    for cls in range(201, 240):
        for kuan in range(1, 100):
            if kuan == 1:
                out.append(f"{cls}")
            out.append(f"{cls}{kuan:02d}")
            for item in range(1, 10):
                out.append(f"{cls}{kuan:02d}{item:02d}")
                if len(out) >= rows:
                    return out
    return out


def with_check_sheet(path: Path, out: Path) -> Path:
    """`path` with the 校验 sheet of worksheet formulas added (what LibreOffice recalculates)."""
    subprocess.run(
        [sys.executable, "-m", "xltools.cli", "formulas", str(path), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def libreoffice(path: Path, tmp: Path) -> float | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    profile = tmp / "lo-profile"
    out = tmp / "lo-out"
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--calc",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(path),
    ]
    subprocess.run(cmd, capture_output=True, check=False, timeout=180)  # warm the profile
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False, timeout=180)
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()
    from fixture_books import build_all

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        books = build_all(tmp / "books")
        std = books["000_std"]
        raw, full = in_process(std)
        print(
            f"1. 单个标准工作簿（进程内）：校验 {full * 1000:.2f} ms，calamine 原始读取 {raw * 1000:.2f} ms，"
            f"比值 {full / raw:.1f}×"
        )
        subprocess.run(
            [sys.executable, "-m", "xltools.cli", "demo", "-o", str(tmp / "demo")],
            check=True,
            capture_output=True,
        )
        demo = tmp / "demo" / "示例部门决算公开表.xlsx"
        raw_d, full_d = in_process(demo)
        print(
            f"   示例部门（填好的标准模板，含 454 行“校验”公式表）：校验 {full_d * 1000:.2f} ms，"
            f"calamine 原始读取 {raw_d * 1000:.2f} ms，比值 {full_d / raw_d:.1f}×"
        )
        opx = openpyxl_structure(std)
        print(
            f"   读取引擎：calamine 读值与合并单元格 {raw * 1000:.2f} ms，"
            f"openpyxl 同样内容 {opx * 1000:.1f} ms"
            f"（{opx / raw:.0f}×），故读取全部用 calamine，openpyxl 只用于写回"
        )
        print(f"2. 整个进程 `xltools check one.xlsx`：{whole_process(std):.3f} s（中位数，10 次）")
        print(f"3. {args.batch} 个工作簿 --jobs 2：{batch(books, args.batch, 2, tmp):.1f} s")
        from xltools.read import read_report
        from xltools.rules.engine import evaluate

        for n in (500, 1000, 2000, 4000):
            path = consolidated(n, tmp / f"c{n}.xlsx")
            t = best_of(lambda p=path: evaluate(read_report(p)), repeat=3)
            print(f"4. 汇总工作簿 {n} 个编码行×3 表：{t * 1000:.0f} ms，每行 {t / n * 1e6:.0f} µs")
        if not args.no_libreoffice:
            checked = with_check_sheet(std, tmp / "000_std_checked.xlsx")
            ours = best_of(lambda: evaluate(read_report(checked)), repeat=10)
            lo = libreoffice(checked, tmp)
            if lo is not None:
                print(
                    f"5. 同一工作簿（含“校验”公式表）：LibreOffice headless 重算 {lo:.2f} s，"
                    f"xltools check {ours * 1000:.1f} ms，快 {lo / ours:.0f}×"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
