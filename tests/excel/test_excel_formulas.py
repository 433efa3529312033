"""The UDFs inside a real workbook, computed headlessly by the `formulas` package."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

formulas = pytest.importorskip("formulas")

from xltools.excel.udfs import register_formulas_functions  # noqa: E402


def compute(path: Path) -> dict[str, object]:
    register_formulas_functions()
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out: dict[str, object] = {}
    for key, value in solution.items():
        ref = key.split("!")[-1]
        if ":" not in ref:
            out[ref] = value.value[0, 0]
    return out


def test_udfs_compute_in_a_workbook(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "公开05"
    rows = [
        ["科目编码", "金额"],
        [201, 100],
        ["20101", 60],
        [2010101, 20],
        [2010102, 40],
        ["2010350", "40.00"],
        [205, "1, 022. 32"],
        [20502, 1022.33],
        [None, "-"],
    ]
    for r in rows:
        ws.append(r)
    ws["D1"] = "=CHECK_TOTAL(B2,B3:B6)"  # 100 vs 60 + 20 + 40 + 40 → 差额 -60.00
    ws["D2"] = "=CHECK_TOTAL(B3,B4:B5)"
    ws["D3"] = "=CHECK_EQUAL(B7,B8)"
    ws["D4"] = "=CHECK_ROLLUP(A2:A9,B2:B9,201)"
    ws["D5"] = "=CHECK_ROLLUP(A2:A9,B2:B9,A7)"
    ws["D6"] = "=WANYUAN(12345678)"
    ws["D7"] = "=PCT(B3,B2)"
    ws["D8"] = "=PCT(B3,B9)"
    ws["D9"] = "=CHECK_TOTAL(B2,B3:B9,0)"
    ws["D10"] = '=IF(CHECK_TOTAL(B3,B4:B5)="通过",1,0)'
    ws["D11"] = "=CHECK_TOTAL(1/0,B3)"
    path = tmp_path / "udfs.xlsx"
    wb.save(path)

    values = compute(path)
    assert values["D1"] == "差额 -60.00"
    assert values["D2"] == "通过"
    assert values["D3"] == "尾差 -0.01"
    assert values["D4"] == "通过"
    assert values["D5"] == "尾差 -0.01"
    assert values["D6"] == pytest.approx(1234.57)
    assert values["D7"] == "60.00%"
    assert values["D8"] == "—"
    assert values["D9"] == "差额 -2104.65"  # 100 − (60+20+40+40+1022.32+1022.33)
    assert values["D10"] == 1
    assert str(values["D11"]) == "#DIV/0!"


def test_reader_never_runs_check_rule(tmp_path: Path) -> None:
    """With the Excel functions registered (CHECK_RULE reads a whole workbook), the reader computes the
    pure functions of an uncached table sheet and leaves CHECK_RULE alone: reading never re-enters itself."""
    from xltools.excel import udfs
    from xltools.read.grid import load_grids

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "公开05"
    ws.append(["2021年度一般公共预算财政拨款支出决算表"])
    ws["H1"] = '=CHECK_RULE("05-E1")'
    ws["H2"] = "=CHECK_TOTAL(3,H3:H4)"
    ws["H3"], ws["H4"] = 1, 2
    path = tmp_path / "rule.xlsx"
    wb.save(path)
    udfs.register_formulas_functions(str(path))
    grid = load_grids(path)[0]
    assert grid.value(2, 8) == "通过"
    assert str(grid.value(1, 8)) == "#NAME?"  # as in Excel without the add-in: not computed
