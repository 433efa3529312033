"""Compute formula cells that were saved without a cached value, with the `formulas` package."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xltools.read.grid import SheetGrid

_KEY = re.compile(r"^'?\[[^\]]*\](.*?)'?!([A-Z]+)([0-9]+)$")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def compute_uncached(path: Path, grids: list[SheetGrid]) -> None:
    """Fill each grid's uncached formula cells with the value `formulas` computes; a cell it cannot
    compute stays None (and keeps its formula in grid.formulas, so the reader can say so)."""
    import formulas

    wanted = {g.name.upper(): g for g in grids if g.formulas}
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            model = formulas.ExcelModel().loads(str(path)).finish()
            solution = model.calculate()
    except Exception:  # an unparsable formula fails the whole load: leave the cells empty
        return
    for key, value in solution.items():
        m = _KEY.match(str(key))
        if not m:
            continue
        grid = wanted.get(m.group(1).upper())
        if grid is None:
            continue
        cell = (int(m.group(3)), _col(m.group(2)))
        if cell not in grid.formulas:
            continue
        raw = getattr(value, "value", value)
        try:
            v = raw[0][0] if hasattr(raw, "__getitem__") and not isinstance(raw, str) else raw
        except (IndexError, TypeError):
            continue
        if isinstance(v, (int, float, str)) and not isinstance(v, bool):
            row, col = cell
            while len(grid.rows) < row:
                grid.rows.append([])
            r = grid.rows[row - 1]
            while len(r) < col:
                r.append(None)
            r[col - 1] = float(v) if not isinstance(v, str) else v
