"""Every ribbon entry point run on xlwings' own engine: a Book built from the JSON Excel sends
(xlwings' VBA client, Remote.bas), the handler run, the actions Excel would apply read back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import xlwings as xw

from xltools.excel import adapters, ribbon
from xltools.model import Cell

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def licence(monkeypatch: pytest.MonkeyPatch) -> None:
    # xw.Book(json=...) is in xlwings' PolyForm Noncommercial part, free for government institutions
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def payload(sheets: dict[str, list[list[object]]], name: str = "公开表.xlsx") -> dict[str, Any]:
    """The JSON xlwings' VBA client sends (addin/Remote.bas): book, names, sheets with values."""
    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": n, "pictures": [], "tables": [], "values": v} for n, v in sheets.items()],
    }


SMALL = {"公开05": [["科目编码", "合计"], [201, 100.0], [20101, "1, 022. 32"]]}


def actions(book: xw.Book, func: str | None = None) -> list[dict[str, Any]]:
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def alert_text(book: xw.Book) -> str:
    alerts = actions(book, "alert")
    assert alerts, book.json()
    return str(alerts[-1]["args"][0])


def test_help_and_settings() -> None:
    book = xw.Book(json=payload(SMALL))
    ribbon.run("help", book)
    assert "校验" in alert_text(book) and "不会自动保存" in alert_text(book)
    book = xw.Book(json=payload(SMALL))
    ribbon.run("settings", book)
    assert "xltools" in alert_text(book) and "xltools.conf" in alert_text(book)


def test_unknown_button() -> None:
    book = xw.Book(json=payload(SMALL))
    ribbon.run("nope", book)
    assert alert_text(book) == "未知按钮：nope"


def test_export_pdf_needs_a_saved_workbook() -> None:
    book = xw.Book(json=payload(SMALL))
    ribbon.run("export_pdf", book)
    assert "请先保存工作簿" in alert_text(book)
    assert not actions(book, "setValues")


@dataclass(frozen=True)
class Edit:
    cell: Cell
    value: object
    reason: str


def planned_fixes(report: object) -> tuple[list[Edit], int]:
    return [Edit(Cell("公开05", 3, 2), 1022.32, "文本数字转为数值")], 0


def test_fix_writes_colours_and_never_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("xltools.read")
    monkeypatch.setattr(adapters, "fix_edits", planned_fixes)
    monkeypatch.setattr(ribbon.wb, "read_book", lambda book: None)  # the plan above ignores the report
    book = xw.Book(json=payload(SMALL))
    ribbon.run("fix", book)
    set_values = actions(book, "setValues")
    assert [(a["sheet_position"], a["start_row"], a["start_column"], a["values"]) for a in set_values] == [
        (0, 2, 1, [[1022.32]])
    ]
    colours = actions(book, "setRangeColor")
    assert [(a["start_row"], a["start_column"], a["args"]) for a in colours] == [(2, 1, ["#C6EFCE"])]
    assert "已修正 1 个单元格" in alert_text(book)
    assert not actions(book, "save")


def test_narrative_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapters, "narrative_text", str)  # the "report" below is already the text
    monkeypatch.setattr(ribbon.wb, "read_book", lambda book: "一、收入支出决算总体情况\n\n二、收入决算情况\n")
    book = xw.Book(json=payload(SMALL))
    ribbon.run("narrative", book)
    assert actions(book, "addSheet")[0]["args"] == [1, "情况说明"]
    assert actions(book, "setValues")[0]["values"] == [["一、收入支出决算总体情况"], ["二、收入决算情况"]]


def test_reading_an_open_book_into_grids() -> None:
    pytest.importorskip("xltools.read")
    from xltools.excel.book import book_grids

    data = dict(SMALL)
    data["校验结果"] = [["旧结果"]]
    grids = book_grids(xw.Book(json=payload(data)))
    assert [g.name for g in grids] == ["公开05"]  # the add-in's own sheets are not tables
    assert grids[0].rows == [["科目编码", "合计"], [201, 100.0], [20101, "1, 022. 32"]]
