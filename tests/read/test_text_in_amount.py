"""A cell where an amount belongs but that prints no amount ('###' of a too-narrow column, a label run
into the figure) is a reading problem at that cell — never a zero that the rules then call wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xltools.read import read_report
from xltools.rules.engine import check_path
from xltools.vocabulary import Verdict


@pytest.mark.parametrize("printed", ["###", "支 975.48", "见附表"])
def test_unreadable_amount_is_one_problem_and_no_error(
    books: dict[str, Path], tmp_path: Path, printed: str
) -> None:
    source = books["000_std"]
    report = read_report(source)
    table = report.table("公开05")
    assert table is not None
    row = next(r for r in table.code_rows() if len(r.key) == 7 and any(a.value for a in r.values.values()))
    col, amount = next((c, a) for c, a in row.values.items() if a.value)
    clean = check_path(source)
    book = load_workbook(source)
    book[amount.cell.sheet][amount.cell.coordinate].value = printed
    damaged = tmp_path / "damaged.xlsx"
    book.save(damaged)

    result = check_path(damaged)
    errors = {(f.rule, f.location) for f in result.findings if f.verdict == Verdict.ERROR}
    assert errors == {(f.rule, f.location) for f in clean.findings if f.verdict == Verdict.ERROR}
    problems = [f for f in result.findings if f.rule == "F0" and amount.cell.coordinate in f.message]
    assert len(problems) == 1 and "无法识别" in problems[0].message, col
