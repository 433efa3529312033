"""An open workbook (xlwings Book) as the library sees it, and the write-back helpers of the ribbon."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from xltools.rules.render_sheet import SHEET
from xltools.vocabulary import Verdict

if TYPE_CHECKING:
    from xltools.model import Cell, Report
    from xltools.read import SheetGrid

RESULT_SHEET = "校验结果"
NARRATIVE_SHEET = "情况说明"
FORMULA_SHEET = SHEET  # the sheet `xltools formulas` and 添加校验公式 write
CONFIG_SHEET = "xltools.conf"
# sheets the add-in writes itself: never read back as report tables
OWN_SHEETS = frozenset({RESULT_SHEET, NARRATIVE_SHEET, FORMULA_SHEET, CONFIG_SHEET})

# fills, as Excel's built-in "Bad / Neutral / Good" cell styles
COLOURS: dict[Verdict, str] = {
    Verdict.ERROR: "#FFC7CE",
    Verdict.TAIL: "#FFEB9C",
    Verdict.WARNING: "#FCE4D6",
    Verdict.FORMAT: "#FCE4D6",
}
CHANGED = "#C6EFCE"  # a cell the add-in wrote (fix)


class Edit(Protocol):
    """A change the library asks for: put `value` into `cell`, because `reason` (Chinese)."""

    @property
    def cell(self) -> Cell: ...

    @property
    def value(self) -> object: ...

    @property
    def reason(self) -> str: ...


def sheet_grid(sheet: Any) -> SheetGrid:
    """One sheet's values from A1 to the end of its used range (merged ranges are not sent by Excel's
    JSON payload; the reader works without them)."""
    from xltools.read import SheetGrid

    used = sheet.used_range
    last_row = used.row + used.rows.count - 1
    last_col = used.column + used.columns.count - 1
    values = sheet.range((1, 1), (last_row, last_col)).options(ndim=2).value
    rows = [list(r) for r in values] if values else []
    return SheetGrid(sheet.name, rows)


def book_grids(book: Any) -> list[SheetGrid]:
    """Every sheet of the book but the add-in's own (校验结果, 情况说明 …) as SheetGrids."""
    return [sheet_grid(s) for s in book.sheets if s.name not in OWN_SHEETS]


def read_book(book: Any) -> Report:
    """The open workbook read into a Report. Raises XltoolsError (no tables …)."""
    from xltools.read import read_grids

    return read_grids(book_grids(book), book.fullname)


def read_units(book: Any) -> list[Report]:
    """The open workbook read into one Report per unit (a 部门 and its 单位 side by side, say)."""
    from xltools.read import read_grid_reports

    return read_grid_reports(book_grids(book), book.fullname)


def book_verdicts(book: Any) -> dict[str, str]:
    """rule id → verdict text for the open workbook (CHECK_RULE)."""
    from xltools.rules.engine import evaluate
    from xltools.rules.functions import rule_verdicts

    return rule_verdicts(evaluate(read_book(book)).findings)


def cell_range(book: Any, cell: Cell) -> Any:
    return book.sheets[cell.sheet].range((cell.row, cell.col))


def mark(rng: Any, colour: str, reason: str | None) -> bool:
    """Colour a cell and note the reason on it. Returns False when this engine cannot add notes
    (Excel's JSON client): the colour is set and the reason stays in the result sheet."""
    rng.color = colour
    if not reason:
        return True
    try:
        note = rng.note
        if note is not None:
            note.text = reason
        else:
            rng.add_note(reason)
    except (NotImplementedError, AttributeError):
        return False
    return True


def apply_edits(book: Any, edits: Iterable[Edit]) -> int:
    """Write each edit's value, colour the cell green and note why. Returns how many were written."""
    n = 0
    for e in edits:
        rng = cell_range(book, e.cell)
        rng.value = e.value
        mark(rng, CHANGED, e.reason)
        n += 1
    return n


def output_sheet(book: Any, name: str) -> Any:
    """The sheet `name`, emptied, or a new one after the last sheet."""
    names = [s.name for s in book.sheets]
    if name in names:
        sheet = book.sheets[name]
        sheet.clear()
        return sheet
    return book.sheets.add(name, after=book.sheets[len(names) - 1])


def write_table(sheet: Any, rows: Sequence[Sequence[object]]) -> None:
    """Rows from A1, as one block."""
    if rows:
        width = max(len(r) for r in rows)
        sheet.range("A1").value = [list(r) + [None] * (width - len(r)) for r in rows]


def status(book: Any, message: str) -> None:
    """Tell the user: the status bar where Excel has one for us, else a message box."""
    try:
        book.app.status_bar = message
    except (NotImplementedError, AttributeError):
        book.app.alert(message, title="决算公开")
