"""`formulas` 1.3.4 as a test engine: compute the 校验 sheet of a workbook in-process, quietly."""

from __future__ import annotations

import contextlib
import io
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SHEET = "校验"


def sheet_values(path: Path, last_row: int, sheet: str = SHEET, cols: str = "ABCDEFG") -> list[list[object]]:
    """Rows 1..last_row of `sheet` (columns A–G) as `formulas` computes them (only the cells they need)."""
    import formulas

    rng = f"'[{path.name}]{sheet}'!A1:{cols[-1]}{last_row}"
    sink = io.StringIO()
    with contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
        model = formulas.ExcelModel().from_ranges(_with_dir(rng, path))
        solution = model.finish().calculate()
    values = {k.split("!")[-1].upper(): v for k, v in solution.items() if f"]{sheet}'!".upper() in k.upper()}
    out = []
    for r in range(1, last_row + 1):
        row = []
        for c in cols:
            v = values.get(f"{c}{r}")
            row.append(_scalar(v))
        out.append(row)
    return out


def _with_dir(rng: str, path: Path) -> str:
    return rng.replace("'[", f"'{path.parent.as_posix()}/[", 1)


def _scalar(v: object) -> object:
    value = getattr(v, "value", v)
    with contextlib.suppress(TypeError, IndexError, KeyError):
        value = value[0][0]  # type: ignore[index]
    if hasattr(value, "item"):
        value = value.item()
    return value


def many(jobs: list[tuple[Path, int]], workers: int = 2) -> list[list[list[object]]]:
    """sheet_values for many workbooks, in a process pool (formulas is single-threaded and slow to load)."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_one, jobs))


def _one(job: tuple[Path, int]) -> list[list[object]]:
    return sheet_values(*job)
