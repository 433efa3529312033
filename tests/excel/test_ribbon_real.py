"""Every wired ribbon button on xlwings' own engine (xw.Book(json=...), the JSON Excel's VBA client
sends), over real fixture workbooks and the real library: the actions Excel would apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

from xltools.excel import ribbon
from xltools.read.grid import load_grids

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def licence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def _json(v: object) -> object:
    return v if isinstance(v, (int, float, str)) or v is None else str(v)


def payload_of(path: Path) -> dict[str, Any]:
    sheets = []
    for g in load_grids(path):
        width = max((len(r) for r in g.rows), default=1)
        values = [[_json(None if v == "" else v) for v in r] + [None] * (width - len(r)) for r in g.rows] or [
            [None]
        ]
        sheets.append({"name": g.name, "pictures": [], "tables": [], "values": values})
    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def actions(book: xw.Book, func: str) -> list[dict[str, Any]]:
    return [a for a in book.json()["actions"] if a["func"] == func]


def messages(book: xw.Book) -> str:
    return " ".join(str(a["args"][0]) for a in actions(book, "alert"))


def position(book: xw.Book, name: str) -> int:
    return [s.name for s in book.sheets].index(name)


def test_check_on_a_planted_error(planted: dict[str, Path]) -> None:
    book = xw.Book(json=payload_of(planted["g2_item_off"]))
    ribbon.run("check", book)
    table = actions(book, "setValues")[0]["values"]
    assert table[0] == ribbon.RESULT_HEADER
    g2 = [row for row in table if row[0] == "06-G2"]
    assert g2 and g2[0][2] == "不通过" and "'公开06'!F5" in g2[0][3]
    red = [(a["sheet_position"], a["start_row"], a["start_column"]) for a in actions(book, "setRangeColor")]
    assert (position(book, "公开06"), 4, 5) in red  # F5 (0-based in the JSON actions), the 302 total
    assert not actions(book, "save")


def test_fix_converts_text_and_levels_tails(books: dict[str, Path]) -> None:
    from xltools.fix import plan
    from xltools.read import read_report

    expected = plan(read_report(books["000_titles"])).applicable(accept_typos=False)
    book = xw.Book(json=payload_of(books["000_titles"]))
    ribbon.run("fix", book)
    written = actions(book, "setValues")
    assert len(written) == len(expected) > 100
    first = expected[0]
    assert any(
        a["sheet_position"] == position(book, first.cell.sheet)
        and a["start_row"] == first.cell.row - 1
        and a["start_column"] == first.cell.col - 1
        and a["values"] == [[float(first.new)]]
        for a in written
    )
    assert "已修正" in messages(book) and not actions(book, "save")


def test_narrative_sheet(books: dict[str, Path]) -> None:
    book = xw.Book(json=payload_of(books["001_std"]))
    ribbon.run("narrative", book)
    assert actions(book, "addSheet")[0]["args"][1] == "情况说明"
    text = " ".join(str(r[0]) for r in actions(book, "setValues")[0]["values"])
    assert "收、支总计1025.90万元" in text and "财政拨款收入1022.32万元" in text


def test_new_template_adds_the_nine_sheets(books: dict[str, Path]) -> None:
    book = xw.Book(
        json={
            "client": "VBA",
            "version": xw.__version__,
            "book": {"name": "新.xlsx", "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": [{"name": "Sheet1", "pictures": [], "tables": [], "values": [[None]]}],
        }
    )
    ribbon.run("new_template", book)
    added = [a["args"][1] for a in actions(book, "addSheet")]
    assert added == [f"公开0{i}" for i in range(1, 10)]
    assert "已新建 9 张表" in messages(book)


def test_fill_from_data_sheets_then_check_passes() -> None:
    import csv

    from xltools.fill import sample_data_path

    sheets = [{"name": "Sheet1", "pictures": [], "tables": [], "values": [[None]]}]
    for f in sorted(sample_data_path().glob("*.csv")):
        rows = list(csv.reader(f.open(encoding="utf-8")))
        width = max(len(r) for r in rows)
        sheets.append(
            {
                "name": f.stem,
                "pictures": [],
                "tables": [],
                "values": [[v or None for v in r] + [None] * (width - len(r)) for r in rows],
            }
        )
    book = xw.Book(
        json={
            "client": "VBA",
            "version": xw.__version__,
            "book": {"name": "填表.xlsx", "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": sheets,
        }
    )
    ribbon.run("fill", book)
    assert [a["args"][1] for a in actions(book, "addSheet")][:2] == ["公开01", "公开02"]
    assert "已填写 9 张公开表" in messages(book)
    from xltools.read import SheetGrid, read_grids
    from xltools.rules.engine import evaluate

    grids = [SheetGrid(a["args"][1], []) for a in actions(book, "addSheet")]
    for grid, values in zip(grids, [a["values"] for a in actions(book, "setValues")], strict=True):
        grid.rows.extend(values)
    result = evaluate(read_grids(grids, "filled"))
    assert result.count("error") == 0 and result.count("tail") == 0


def test_add_formulas_writes_the_check_sheet(books: dict[str, Path]) -> None:
    """The 校验 sheet the button writes is the one `xltools formulas` renders (tests/rules/test_parity.py
    proves those formulas compute to the Python verdicts in `formulas` and LibreOffice)."""
    book = xw.Book(json=payload_of(books["000_std"]))
    ribbon.run("add_formulas", book)
    assert actions(book, "addSheet")[0]["args"][1] == "校验"
    rows = actions(book, "setValues")[0]["values"]
    e1 = next(r for r in rows if r and r[0] == "05-E1")
    assert str(e1[2]).startswith("=") and str(e1[5]).startswith("=IFERROR(IF(")
    assert "已在“校验”工作表写入校验公式" in messages(book)


def test_an_internal_fault_is_a_chinese_message_box(
    books: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from xltools.rules import engine

    def broken(report: object) -> None:
        raise ZeroDivisionError("模拟")

    monkeypatch.delenv("XLTOOLS_DEBUG", raising=False)
    monkeypatch.setattr(engine, "evaluate", broken)
    book = xw.Book(json=payload_of(books["001_std"]))
    ribbon.run("check", book)
    assert "xltools 内部出错（ZeroDivisionError：模拟）" in messages(book)


def test_check_shows_every_unit(books: dict[str, Path], tmp_path: Path) -> None:
    """A 部门 and a 单位 side by side (000's 公开06 total planted off): a block per unit, each headed
    by its name, the 单位's error in its own block, its cell coloured."""
    from read.wild_kinds import two_unit_book

    path = two_unit_book(books["001_std"], books["000_std"], tmp_path / "units.xlsx", ("公开06", "F5"))
    book = xw.Book(json=payload_of(path))
    ribbon.run("check", book)
    table = actions(book, "setValues")[0]["values"]
    heads = [i for i, row in enumerate(table) if str(row[0] or "").startswith("单位：")]
    assert [table[i][0] for i in heads] == ["单位：株洲市荷塘区行政审批服务局", "单位：醴陵市行政审批服务局"]
    first, second = table[heads[0] : heads[1]], table[heads[1] :]
    assert first[1] == second[1] == ribbon.RESULT_HEADER
    assert not [r for r in first if r[2] == "不通过"]
    assert [r for r in second if r[0] == "06-G2" and r[2] == "不通过"]
    assert str(first[-2][0]).startswith("校验完成") and "不通过" not in str(first[-2][0])
    assert str(second[-1][0]).startswith("校验完成：不通过")
    assert actions(book, "setRangeColor") and not actions(book, "save")
