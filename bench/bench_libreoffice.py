"""xltools against LibreOffice headless, whole process against whole process, on the same 20 workbooks.

Each workbook carries the 校验 sheet (`xltools formulas`): LibreOffice opens all 20 in one soffice call
(a profile created once and warmed beforehand, recalculation on load forced), recalculates every check
formula and saves; xltools reads and checks the same 20 files in one `xltools check` call. Both figures
are whole processes from start to exit, divided by 20. The verdicts LibreOffice computed are compared
with xltools' own, row by row.

Usage: python bench/bench_libreoffice.py      Target: ≥ 30× faster per file, verdicts identical."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import process_time, xltools

COUNT = 20


def checked_copies(tmp: Path) -> dict[Path, list[str]]:
    """20 workbooks (reference layouts and planted errors) with their 校验 sheet → xltools' verdict labels."""
    from fixture_books import build_all
    from planted import build_planted

    from xltools.read import read_report
    from xltools.read.writable import load_for_writing
    from xltools.rules.render_sheet import write_check_sheet
    from xltools.rules.results import VERDICT_LABELS

    sources = [*build_all(tmp / "books").values(), *build_planted(tmp / "planted").values()]
    out: dict[Path, list[str]] = {}
    folder = tmp / "checked"
    folder.mkdir()
    for i, src in enumerate(sources[:COUNT]):
        wb = load_for_writing(src)
        rows = write_check_sheet(wb, read_report(src))
        target = folder / f"{i:02d}_{src.name}"
        wb.save(target)
        out[target] = [VERDICT_LABELS[r.python] for r in rows]
    return out


def libreoffice(paths: list[Path], tmp: Path) -> tuple[float, dict[Path, Path]]:
    from engines.libreoffice import recalculate

    profile = tmp / "lo-profile"
    recalculate(paths[:1], tmp / "lo-warm", profile=profile)  # create and warm the profile once
    shutil.rmtree(tmp / "lo-warm")
    best, out = float("inf"), {}
    for _ in range(3):
        t = time.perf_counter()
        out = recalculate(paths, tmp / "lo-out", profile=profile)
        best = min(best, time.perf_counter() - t)
    return best, out


def disagreements(expected: dict[Path, list[str]], recalculated: dict[Path, Path]) -> int:
    from engines.libreoffice import sheet_values

    wrong = 0
    for path, labels in expected.items():
        values = sheet_values(recalculated[path], "校验")
        got = [values[i][5] if i < len(values) else None for i in range(4, 4 + len(labels))]
        wrong += sum(1 for e, g in zip(labels, got, strict=True) if e != g)
    return wrong


def main() -> int:
    from engines.libreoffice import soffice

    if soffice() is None:
        print("LibreOffice (soffice) 未安装，跳过")
        return 0
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        expected = checked_copies(tmp)
        paths = list(expected)
        ours = process_time(xltools("check", *map(str, paths), "--no-progress"), runs=5)
        lo, recalculated = libreoffice(paths, tmp)
        rows = sum(len(v) for v in expected.values())
        wrong = disagreements(expected, recalculated)
        print(
            f"{COUNT} 个工作簿（共 {rows} 条校验），整个进程对整个进程：LibreOffice headless 重算 {lo:.2f} s"
            f"（每个 {lo / COUNT * 1e3:.0f} ms），"
            f"xltools check {ours:.2f} s（每个 {ours / COUNT * 1e3:.1f} ms），"
            f"快 {lo / ours:.1f}×（目标 ≥ 30×）；结论{'全部一致' if not wrong else f'有 {wrong} 条不一致！'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
