"""Write a Plan back into the workbook with openpyxl, keeping everything else: the write is atomic,
an in-place fix first leaves a timestamped backup, changed cells are coloured and commented, and the
sheet 修正记录 gets one row per change (appended on later runs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, cast

from xltools.fix.model import KIND_LABELS, Change, Plan
from xltools.io import backup, write_atomic
from xltools.vocabulary import ChangeKind

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import Cell as XlCell

LOG_SHEET = "修正记录"
LOG_HEADER = ("时间", "单元格", "原值", "新值", "类型", "规则", "原因")
FILL_COLOUR = "FFFFEB9C"  # Excel's light-yellow 'neutral' fill
GENERAL = ("General", "@")  # '@' (text) too: a number in a text-formatted cell turns back into text on edit
NUMBER_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Applied:
    """What `apply` did: the file written (None when there was nothing to write), the backup made
    before an in-place write, and the changes written."""

    out: Path | None
    backup: Path | None
    changes: tuple[Change, ...]


def apply(
    path: str | Path,
    plan: Plan,
    out: str | Path,
    *,
    accept_typos: bool = False,
    kinds: set[ChangeKind] | None = None,
    when: datetime | None = None,
) -> Applied:
    """Write the applicable changes of `plan` (typos only when `accept_typos`; only `kinds` when given)
    from the workbook at `path` into `out` (`out` == `path`: in place, after a backup).

    Nothing is written when no change applies. Raises WriteError (Chinese message, nothing written)
    when `out` is read-only, locked by Excel/WPS (~$ file) or its folder is not writable."""
    src, dst = Path(path), Path(out)
    changes = plan.applicable(accept_typos=accept_typos, kinds=kinds)
    if not changes:
        return Applied(None, None, ())
    in_place = dst.resolve() == src.resolve()
    stamp = (when or datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    made: list[Path] = []

    def write(tmp: Path) -> None:
        wb = _load(src)
        for change in changes:
            _write_cell(wb, change, stamp)
        _log(wb, changes, stamp)
        if in_place:
            made.append(backup(src))
        wb.save(tmp)

    write_atomic(dst, write)
    return Applied(dst, made[0] if made else None, changes)


def _load(path: Path) -> Workbook:
    from openpyxl import load_workbook

    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True, rich_text=True)
    for ws in wb.worksheets:
        # openpyxl names the comment shapes of a new sheet commentsDrawing<n>.vml, which can collide with
        # one it wrote earlier and kept with the macros: regenerate its own (they hold only comments)
        if ws.legacy_drawing and "commentsDrawing" in ws.legacy_drawing:
            ws.legacy_drawing = None
    return wb


def _write_cell(wb: Workbook, change: Change, stamp: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    cell = cast("XlCell", wb[change.cell.sheet].cell(row=change.cell.row, column=change.cell.col))
    cell.value = _number(change.new)
    if cell.number_format in GENERAL:
        cell.number_format = NUMBER_FORMAT
    cell.fill = PatternFill(fill_type="solid", fgColor=FILL_COLOUR, bgColor=FILL_COLOUR)
    was = _shown(change.old)
    note = f"xltools 修正（{stamp}，{change.label}）：原值 {was} → {change.new:f}。{change.reason}"
    previous = cell.comment.text + "\n" if cell.comment is not None else ""
    comment = Comment(previous + note, "xltools")
    comment.width, comment.height = 320, 120
    cell.comment = comment


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() and value.as_tuple().exponent == 0 else value


def _shown(old: object) -> str:
    if old is None:
        return "（空）"
    if isinstance(old, Decimal):
        return f"{old:f}"
    return f"“{old}”" if isinstance(old, str) else str(old)


def _log(wb: Workbook, changes: tuple[Change, ...], stamp: str) -> None:
    from openpyxl.styles import Font

    if LOG_SHEET in wb.sheetnames:
        ws = wb[LOG_SHEET]
    else:
        ws = wb.create_sheet(LOG_SHEET)
        ws.append(LOG_HEADER)
        for col, width in zip("ABCDEFG", (20, 26, 14, 14, 12, 10, 80), strict=True):
            ws.column_dimensions[col].width = width
        for c in ws[1]:
            c.font = Font(bold=True)
    for change in changes:
        ws.append(
            (
                stamp,
                change.cell.a1(),
                _shown(change.old),
                f"{change.new:f}",
                KIND_LABELS[change.kind],
                change.rule,
                change.reason,
            )
        )
