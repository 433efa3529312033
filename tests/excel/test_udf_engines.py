"""Every UDF computes the same in Python, in the `formulas` package (inside a real workbook) and
through xlwings' own custom-function engine (xlwings.server.custom_functions_call)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import Workbook

from xltools.excel import udfs, udfs_server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# (function, cells of each argument as a column of values — a scalar is a one-cell range)
CASES: list[tuple[str, list[list[object]]]] = [
    ("CHECK_TOTAL", [[2282.14], [2267.91, 14.22]]),
    ("CHECK_TOTAL", [[579.76], [136.76, 6.88, 436.12]]),
    ("CHECK_TOTAL", [[100], [40, None, "60"]]),
    ("CHECK_TOTAL", [[1022.32], ["1, 022. 32"]]),
    ("CHECK_EQUAL", [[2225.27], [2225.26]]),
    ("CHECK_EQUAL", [[10], [12]]),
    ("CHECK_ROLLUP", [["201", "20103", "2010301", "2010302"], [975.48, 975.18, 376.62, 598.56], ["20103"]]),
    ("CHECK_ROLLUP", [["201", "2010301", "2010302"], [100, 60, 41], ["201"]]),
    ("WANYUAN", [[22110400]]),
    ("WANYUAN", [[12345]]),
    ("PCT", [[2211.04], [2267.91]]),
    ("PCT", [[0.24], [0]]),
]


def _python(name: str, args: list[list[object]]) -> object:
    values = [
        a if len(a) > 1 or (name.startswith("CHECK_ROLLUP") and i < 2) else a[0] for i, a in enumerate(args)
    ]
    if name in ("CHECK_TOTAL",):
        values[1] = args[1]
    return getattr(udfs, name)(*values)


def _server(name: str, args: list[list[object]]) -> object:
    data = {
        "func_name": name,
        "args": [[[v] for v in a] for a in args],
        "version": xw.__version__,
        "client": "Office.js",
        "caller_address": "Sheet1!Z1",
        "runtime": "1.4",
        "culture_info_name": "zh-CN",
        "date_format": "yyyy/m/d",
    }
    from xlwings.server import custom_functions_call

    return asyncio.run(custom_functions_call(data, udfs_server))[0][0]


def _formulas(tmp_path: Path) -> dict[int, Any]:
    """All cases in one workbook, each argument in its own column range, computed by `formulas`."""
    import formulas

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    col = 1
    cells: dict[int, str] = {}
    for i, (name, args) in enumerate(CASES):
        refs = []
        for a in args:
            for r, v in enumerate(a, 1):
                ws.cell(r, col, v)
            letter = ws.cell(1, col).column_letter
            refs.append(f"{letter}1:{letter}{len(a)}" if len(a) > 1 else f"{letter}1")
            col += 1
        ws.cell(20, i + 1, f"={name}({','.join(refs)})")
        cells[i] = f"{ws.cell(20, i + 1).coordinate}"
    path = tmp_path / "udfs.xlsx"
    wb.save(path)
    udfs.register_formulas_functions(str(path))
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for i, coordinate in cells.items():
        key = next(k for k in solution if k.upper().endswith(f"!{coordinate}"))
        v = solution[key].value[0][0]
        out[i] = v.item() if hasattr(v, "item") else v
    return out


def test_three_engines_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    computed = _formulas(tmp_path)
    for i, (name, args) in enumerate(CASES):
        python = _python(name, args)
        server = _server(name, args)
        assert python == server == computed[i], (name, args, python, server, computed[i])


def test_expected_values() -> None:
    assert _python("CHECK_TOTAL", [[2282.14], [2267.91, 14.22]]) == "尾差 0.01"
    assert _python("CHECK_EQUAL", [[10], [12]]) == "差额 -2.00"
    assert _python("WANYUAN", [[22110400]]) == 2211.04
    assert _python("PCT", [[2211.04], [2267.91]]) == "97.49%"
