"""A workbook holding two units (a 部门 and a 单位 side by side, tests/read/wild_kinds.py): the 校验
sheet of `xltools formulas` holds a block for each unit, and LibreOffice computes every row of both to
the Python evaluator's verdict; the text of `check` counts one file and two units."""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import libreoffice
from openpyxl import load_workbook
from read.wild_kinds import two_unit_book

from xltools.cli import main
from xltools.read import read_reports
from xltools.rules.engine import check_units, evaluate
from xltools.rules.render_sheet import FIRST, SHEET, UNIT, check_rows, workbook_probe
from xltools.rules.results import VERDICT_LABELS, to_text

NAMES = ["株洲市荷塘区行政审批服务局", "醴陵市行政审批服务局"]


@pytest.fixture(scope="module")
def pair(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """001 (the 部门) with 000 beside it, 000's 公开06 total F5 planted off: the second unit fails."""
    out = tmp_path_factory.mktemp("units")
    return two_unit_book(books["001_std"], books["000_std"], out / "units.xlsx", ("公开06", "F5"))


@pytest.fixture(scope="module")
def rendered(pair: Path) -> Path:
    out = pair.with_name("units_checked.xlsx")
    assert main(["formulas", str(pair), "-o", str(out)]) == 0
    return out


def _blocks(values: list[list[object]]) -> dict[str, list[list[object]]]:
    """The 校验 sheet's rows below the header, by the unit heading above them."""
    out: dict[str, list[list[object]]] = {}
    unit = ""
    for row in values[FIRST - 1 :]:
        head = row[0] if row else None
        if isinstance(head, str) and head.startswith(UNIT):
            unit = head.removeprefix(UNIT)
            out[unit] = []
        elif row and any(v not in (None, "") for v in row):
            out[unit].append(row)
    return out


def _expected(pair: Path) -> dict[str, list[str]]:
    probe = workbook_probe(load_workbook(pair))
    return {
        r.department or "": [VERDICT_LABELS[row.python] for row in check_rows(r, probe)]
        for r in read_reports(pair)
    }


def test_the_sheet_has_a_block_per_unit(pair: Path, rendered: Path) -> None:
    reports = read_reports(pair)
    assert [r.department for r in reports] == NAMES
    ws = load_workbook(rendered)[SHEET]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    blocks = _blocks(values)
    assert list(blocks) == NAMES
    for report in reports:
        rows = blocks[report.department or ""]
        n = len(check_rows(report))
        assert len(rows) == n
        relations = [f.rule for f in evaluate(report).findings]
        assert [r[0] for r in rows][:10] == relations[:10]


def test_libreoffice_computes_both_units_to_the_python_verdicts(pair: Path, rendered: Path) -> None:
    if libreoffice.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = libreoffice.recalculate([rendered], rendered.parent / "lo")[rendered]
    values = libreoffice.sheet_values(out, SHEET)
    got = {unit: [row[5] for row in rows] for unit, rows in _blocks(values).items()}
    expected = _expected(pair)
    assert list(got) == NAMES
    for unit in NAMES:
        wrong = [(i, e, g) for i, (e, g) in enumerate(zip(expected[unit], got[unit], strict=True)) if e != g]
        assert not wrong, (unit, wrong[:10])
    assert "不通过" not in expected[NAMES[0]] and "不通过" in expected[NAMES[1]]
    fails = sum(v.count("不通过") for v in expected.values())
    assert values[0][1] == f"不通过 {fails} 项"


def test_text_total_counts_one_file_and_two_units(pair: Path) -> None:
    results = check_units(pair)
    assert [r.department for r in results] == NAMES
    last = to_text(results).rstrip().splitlines()[-1]
    assert last.startswith("共 1 个文件、2 个单位（无法读取 0 个）"), last
