"""Workbooks for the parity tests: reference books, planted errors, and plants of the kinds the planted
set misses (>= relations, the soft X15 as a warning, 08-H2 with its subtraction, F6, F8, text numbers,
元), each rendered with its 校验 sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from xltools.model import Report
from xltools.read import read_report
from xltools.rules.engine import evaluate
from xltools.rules.plan import plan_for
from xltools.rules.render import SheetRow
from xltools.rules.render_sheet import FIRST, add_check_sheet, check_rows
from xltools.rules.results import CheckResult

# (sheet, coordinate, new value) from the report of the base workbook and its openpyxl workbook
Edit = Callable[[Report, object], tuple[str, str, object]]


@dataclass(frozen=True)
class OwnPlant:
    name: str
    base: str
    edit: Edit
    rules: tuple[str, ...]  # rules that must read 不通过 / 提示 / 格式


def _amount(table: str, row: str, col: str, delta: float | None = None, value: object = None) -> Edit:
    def edit(report: Report, wb: object) -> tuple[str, str, object]:
        a = report.tables[table].amount(row, col)
        assert a is not None, (table, row, col)
        old = wb[a.cell.sheet][a.cell.coordinate].value  # type: ignore[index]
        new = value if delta is None else round(float(old or 0) + delta, 2)
        return a.cell.sheet, a.cell.coordinate, new

    return edit


def _line_gap(report: Report, wb: object) -> tuple[str, str, object]:
    _side, n, cell = sorted(report.tables["公开01"].lines)[3]
    return cell.sheet, cell.coordinate, n + 5


def _note(report: Report, wb: object) -> tuple[str, str, object]:
    _, cell = report.tables["公开08"].notes[-1]  # the note that explains the empty table
    return cell.sheet, cell.coordinate, "注：请见附件说明。"


OWN_PLANTS: tuple[OwnPlant, ...] = (
    OwnPlant("x6_opening", "000_std", _amount("公开01", "opening_balance", "amount", -100), ("X6",)),
    OwnPlant("x7_closing", "000_std", _amount("公开04", "closing_fiscal", "total", 100), ("X7",)),
    OwnPlant("x10_expense", "000_std", _amount("公开04", "expense_total", "total", 100), ("X10",)),
    OwnPlant("x15_warning", "000_std", _amount("公开07", "actual", "reception", 5), ("X15", "07-K3")),
    OwnPlant("h2_08_closing", "000_std", _amount("公开08", "total", "closing", value=3.0), ("08-H2", "X16")),
    OwnPlant("f6_line_gap", "000_std", _line_gap, ("F6",)),
    OwnPlant("f8_note", "000_std", _note, ("F8",)),
    OwnPlant(
        "text_number", "000_titles", _amount("公开05", "2010301", "total", value="1,959.07"), ("05-E1",)
    ),
    OwnPlant("yuan_off", "000_yuan", _amount("公开05", "2010301", "total", 1000), ("05-E1", "X13")),
    OwnPlant("h1_total_001", "001_std", _amount("公开03", "total", "basic", 0.02), ("H1",)),
)


def own_plant_names() -> list[str]:
    return [p.name for p in OWN_PLANTS]


def build_own_plants(books: dict[str, Path], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for plant in OWN_PLANTS:
        src = books[plant.base]
        wb = load_workbook(src)
        sheet, coord, value = plant.edit(read_report(src), wb)
        wb[sheet][coord].value = value
        path = out_dir / f"own_{plant.name}.xlsx"
        wb.save(path)
        out[plant.name] = path
    return out


@dataclass
class Case:
    """One workbook rendered: its 校验 rows and the Python result of the same report."""

    name: str
    path: Path
    rows: list[SheetRow]
    result: CheckResult
    relations: int

    @property
    def last_row(self) -> int:
        return FIRST + len(self.rows) - 1


def render_case(name: str, src: Path, out_dir: Path) -> Case:
    report = read_report(src)
    wb = load_workbook(src)
    add_check_sheet(wb, report)
    path = out_dir / f"{name}.xlsx"
    wb.save(path)
    return Case(name, path, check_rows(report), evaluate(report), len(plan_for(report).checks))


def render_demo(out_dir: Path) -> Case:
    """The demo workbook (fill the sample department, add the checks), as `xltools demo` writes it."""
    from xltools.fill import sample_data_path
    from xltools.fill.fill import fill
    from xltools.rules.render_sheet import report_of

    filled = fill(sample_data_path(), "2021")
    report = report_of(filled.workbook)
    add_check_sheet(filled.workbook, report)
    path = filled.save(out_dir / "demo.xlsx")
    return Case("demo", path, check_rows(report), evaluate(report), len(plan_for(report).checks))
