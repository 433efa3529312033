"""The print-ready 公开 template of a format, and the TableWriter that fill uses to print each table."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.errors import WriteError
from xltools.fill.plan import SheetPlan, codes_plan, economic_plan, ledger_plan, presentation, single_plan
from xltools.fill.render import Placement, render
from xltools.formats import Format, get_format

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

CellMap = dict[str, dict[tuple[str, str], str]]  # table id → {(row key, column key): 'C12'}


def format_year(fmt: Format) -> int:
    """The year whose class names a format's template prints: its family when that is a year."""
    return int(fmt.family) if fmt.family.isdigit() else 2021


@cache
def economic_catalogue() -> tuple[tuple[str, str], ...]:
    """Every economic classification (code, name), 类 before its 款, in catalogue order."""
    from xltools.codes import load

    return tuple((e.code, e.name) for e in load().economic.values())


def notes_for(fmt: Format, table_id: str, *, empty: bool = False) -> list[str]:
    """The 注 lines printed under a table; with `empty`, the no-data sentence of tables that need one."""
    conf = presentation()
    notes = list(
        conf["notes"].get(fmt.family, {}).get(table_id) or conf["notes"]["default"].get(table_id, [])
    )
    if empty and fmt.tables[table_id].empty_note:
        sentence = conf["empty_notes"].get(fmt.family, {}).get(table_id) or conf["empty_notes"][
            "default"
        ].get(table_id, "本表无数据。")
        notes.append(sentence)
    return notes


class TableWriter:
    """Prints the tables of one format on worksheets, each from its format data and layout kind.

    `classes` are the 类 lines of the two-sided tables (default: the standard list of `year`)."""

    def __init__(
        self,
        fmt: Format | str,
        *,
        year: int | None = None,
        department: str = "",
        unit: str = "万元",
        classes: Sequence[tuple[str, str]] | None = None,
    ) -> None:
        self.format = get_format(fmt) if isinstance(fmt, str) else fmt
        self.year = year or format_year(self.format)
        self.stated_year = year  # printed on each table only when given
        self.department = department
        self.unit = unit
        if classes is None:
            from xltools.codes import classes_for_year

            classes = classes_for_year(self.year)
        self.classes = list(classes)

    def plan(self, table_id: str, codes: Sequence[tuple[str, str]] | None = None) -> SheetPlan:
        """The printed shape of a table; `codes` are the (code, name) rows of a code-row table
        (None: a template's blank rows)."""
        spec = self.format.tables[table_id]
        if spec.layout == "ledger":
            return ledger_plan(spec, self.classes)
        if spec.layout == "codes":
            return codes_plan(spec, codes)
        if spec.layout == "economic":
            return economic_plan(spec, economic_catalogue())
        return single_plan(spec)

    def write(
        self,
        ws: Worksheet,
        table_id: str,
        *,
        codes: Sequence[tuple[str, str]] | None = None,
        empty: bool = False,
    ) -> Placement:
        """Print one table on the empty worksheet `ws`; returns where its value cells are."""
        plan = self.plan(table_id, codes)
        notes = notes_for(self.format, table_id, empty=empty)
        return render(
            ws, plan, department=self.department, unit=self.unit, notes=notes, year=self.stated_year
        )

    def write_all(
        self,
        wb: Workbook,
        codes: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        empty: Sequence[str] = (),
    ) -> dict[str, Placement]:
        """One sheet per table of the format (公开01 …), replacing the workbook's default sheet."""
        if (
            len(wb.worksheets) == 1
            and wb.active is not None
            and wb.active.max_row == 1
            and wb.active["A1"].value is None
        ):
            wb.remove(wb.active)
        out = {}
        for tid in self.format.table_ids:
            ws = wb.create_sheet(tid)
            out[tid] = self.write(ws, tid, codes=(codes or {}).get(tid), empty=tid in empty)
        wb.active = 0
        return out


def cell_map(placements: dict[str, Placement]) -> CellMap:
    return {tid: dict(p.cells) for tid, p in placements.items()}


def write_template(
    fmt: Format | str,
    path_or_workbook: str | Path | Workbook,
    *,
    year: int | None = None,
    department: str = "",
) -> CellMap:
    """Write the blank print-ready template of `fmt` to a file (or into an openpyxl Workbook).

    Returns the cell map table id → {(row key, column key): 'C12'}. Raises WriteError when the file
    cannot be written; nothing is left half-written."""
    from openpyxl import Workbook

    writer = TableWriter(fmt, year=year, department=department)
    wb = path_or_workbook if isinstance(path_or_workbook, Workbook) else Workbook()
    placements = writer.write_all(wb)
    if not isinstance(path_or_workbook, Workbook):
        save_workbook(wb, Path(path_or_workbook))
    return cell_map(placements)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save through a temporary file in the same folder, then rename: never a half-written file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".xltools-", suffix=".xlsx", dir=folder)
    except OSError as exc:
        raise WriteError(
            f"无法在文件夹中写入：{exc.strerror or exc}", path=str(folder), hint="请确认文件夹存在且可写"
        ) from exc
    os.close(fd)
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)  # mkstemp makes the file private; the result should not be
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(
            f"无法保存：{exc.strerror or exc}",
            path=str(path),
            hint="如果文件正在 Excel 或 WPS 中打开，请先关闭后重试",
        ) from exc


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
