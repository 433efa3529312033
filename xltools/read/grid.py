"""Open a workbook safely and hand back each sheet as a grid of cached values and merged ranges.

python-calamine reads the values (fast); formula cells saved without a cached value (files written
by openpyxl) are computed with the `formulas` package. Files that are not workbooks, damaged,
encrypted, old .xls, zip or XML bombs are refused with a Chinese message before any parser runs.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from xltools.errors import Fault, reading
from xltools.read.container import SheetCensus, census, open_package, refuse
from xltools.read.sheetxml import SheetExtras, scan_sheet, worth_scanning

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from xltools.read.locate import Anchor

MAX_CELLS = 5_000_000  # cells held in memory, all sheets together
FAR_GAP = 10_000  # empty rows after which a sheet's further cells are strays, not tables


@dataclass
class SheetGrid:
    """One sheet: values row by row from A1 (None or '' for empty), and merged ranges as 1-based
    (first row, first col, last row, last col)."""

    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    visible: bool = True
    hidden_numbers: set[tuple[int, int]] = field(default_factory=set)  # hidden cells that held numbers

    def hide(self, rows: set[int], cols: set[int]) -> bool:
        """Blank the cells of hidden rows and columns: what is hidden is not printed or published.
        Remembers the hidden cells that held numbers; returns whether any cell was blanked."""
        blanked = False
        for r, row in enumerate(self.rows, 1):
            whole = r in rows
            for c in range(1, len(row) + 1) if whole else (c for c in cols if c <= len(row)):
                v = row[c - 1]
                if v is None or v == "":
                    continue
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    self.hidden_numbers.add((r, c))
                row[c - 1] = None
                blanked = True
        return blanked

    def value(self, row: int, col: int) -> object:
        """The value at 1-based (row, col), None outside the grid."""
        if 0 < row <= len(self.rows):
            r = self.rows[row - 1]
            if 0 < col <= len(r):
                v = r[col - 1]
                return None if v == "" else v
        return None

    @classmethod
    def of_worksheet(cls, ws: Worksheet) -> SheetGrid:
        """An openpyxl worksheet held in memory (one just filled, say) as a grid, merges included."""
        rows: list[list[object]] = [list(r) for r in ws.iter_rows(values_only=True)]
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        grid = cls(ws.title, rows, merges, visible=ws.sheet_state == "visible")
        hidden_rows = {r for r, d in ws.row_dimensions.items() if d.hidden}
        hidden_cols: set[int] = set()
        for d in ws.column_dimensions.values():
            if d.hidden and d.min and d.max:
                hidden_cols.update(range(d.min, d.max + 1))
        grid.hide(hidden_rows, hidden_cols)
        return grid

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def _sheet_members(zf: zipfile.ZipFile) -> list[str]:
    """Worksheet part names in workbook order (via workbook.xml.rels)."""
    from defusedxml import ElementTree

    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", ns)}
    out = []
    for s in wb.findall("m:sheets/m:sheet", ns):
        target = targets.get(s.get(f"{{{ns['r']}}}id"), "")
        target = target.lstrip("/")
        out.append(target if target.startswith("xl/") else f"xl/{target}")
    return out


def load_grids(path: str | Path) -> list[SheetGrid]:
    """Every worksheet of the workbook at `path` as a SheetGrid; formula cells saved without a
    cached value are computed in the sheets that hold 公开 tables.

    Raises UnreadableWorkbook (with what, where and what to do, in Chinese) for anything that is not
    a readable .xlsx/.xlsm."""
    return load_with_anchors(path)[0]


def load_with_anchors(path: str | Path) -> tuple[list[SheetGrid], list[Anchor] | None]:
    """load_grids, and the tables' anchors it found on the way (None when computing formulas changed
    cells: find them again), so a reader need not scan every cell twice."""
    p = Path(path)
    with open_package(p) as zf:
        return Package(p, zf).load()


class Package:
    """An opened workbook: its parts censused (caps checked), its worksheets known, each sheet read into
    a grid only when asked for — a reader that knows the layout reads the table sheets alone."""

    def __init__(self, p: Path, zf: zipfile.ZipFile) -> None:
        import python_calamine

        self.path, self.zf = p, zf
        self.parts = census(zf, p)
        with reading(p, "xl/workbook.xml"):
            self.members = _sheet_members(zf)
        with reading(p):
            self.book = python_calamine.CalamineWorkbook.from_path(str(p))
        metadata = self.book.sheets_metadata
        self.indexes = [i for i, m in enumerate(metadata) if str(m.typ) == "SheetTypeEnum.WorkSheet"]
        self.names = tuple(
            (metadata[i].name, str(metadata[i].visible) == "SheetVisibleEnum.Visible") for i in self.indexes
        )
        self.cells = 0
        self._shared: list[str] | None = None

    def part(self, n: int) -> SheetCensus | None:
        """The census of the n-th worksheet's part (None when the workbook does not name it)."""
        index = self.indexes[n]
        return self.parts.get(self.members[index]) if index < len(self.members) else None

    def grid(self, n: int) -> SheetGrid:
        """The n-th worksheet as a grid, within MAX_CELLS for all sheets read so far."""
        with reading(self.path):
            return self._grid(n)

    def _grid(self, n: int) -> SheetGrid:
        index = self.indexes[n]
        name, visible = self.names[n]
        found = self.part(n)
        if found is None and any(c.area > MAX_CELLS for c in self.parts.values()):
            raise refuse(self.path, f"找不到工作表“{name}”的部件", Fault.DAMAGED)
        if found is not None and found.area > MAX_CELLS:  # a far stray cell: read only what is there
            self.cells += found.cells
            _cap(self.path, self.cells, name, found)
            from xltools.read.sparse import read_sparse, shared_strings

            if self._shared is None:
                self._shared = shared_strings(self.zf)
            rows = read_sparse(self.zf, found.part, self._shared, FAR_GAP)
            merges = found.merges
        else:
            self.cells += found.area if found else 0
            _cap(self.path, self.cells, name, found)
            sheet = self.book.get_sheet_by_index(index)
            rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))  # '' is an empty cell
            merges = _merges(sheet)
        rows = _near(rows)
        return SheetGrid(name, rows, _clip(merges, rows), visible=visible)

    def extras(self, n: int) -> SheetExtras | None:
        """The n-th sheet's uncached formulas and hidden rows/columns (None: it has neither)."""
        found = self.part(n)
        if found is None:
            return None
        data = found.data
        if data is None:
            with reading(self.path, found.part):
                data = self.zf.read(found.part)
        if not worth_scanning(data):
            return None
        try:
            extras = scan_sheet(data)
        except Exception as exc:  # calamine read it, our parser did not: say where
            what = f"工作表部件 {found.part} 的 XML 无法解析（{type(exc).__name__}）"
            raise refuse(self.path, what, Fault.DAMAGED) from exc
        return extras if extras.formulas or extras.hidden_rows or extras.hidden_cols else None

    def load(self) -> tuple[list[SheetGrid], list[Anchor] | None]:
        """Every worksheet as a grid, uncached formulas of the table sheets computed and their hidden
        rows and columns blanked; the anchors when no cell changed on the way, else None."""
        grids = [self.grid(n) for n in range(len(self.names))]
        with reading(self.path):
            return grids, self._compute_formulas(grids)

    def _compute_formulas(self, grids: list[SheetGrid]) -> list[Anchor] | None:
        """Find and compute the uncached formula cells of the sheets that hold 公开 tables only (a 校验
        sheet of IF/COUNTIF formulas, or a clerk's scratch sheet, would cost seconds for nothing), then
        blank their hidden rows and columns. Returns the anchors when no cell changed, else None."""
        from xltools.read.locate import find_anchors

        anchors = find_anchors(grids)
        tables = sorted({a.sheet for a in anchors})
        extras = {n: e for n in tables if (e := self.extras(n)) is not None}
        for n, e in extras.items():
            grids[n].formulas = e.formulas
        changed = any(g.formulas for g in grids)
        if changed:
            from xltools.read.compute import compute_uncached

            compute_uncached(self.path, grids, {grids[n].name for n in tables})
        for n, e in extras.items():
            if grids[n].hide(e.hidden_rows, e.hidden_cols):
                changed = True
        return None if changed else anchors


def _cap(p: Path, cells: int, name: str, found: SheetCensus | None) -> None:
    if cells > MAX_CELLS:
        far = f"（最远的单元格 {found.farthest}）" if found and found.farthest else ""
        raise refuse(
            p,
            f"单元格数量超过上限 {MAX_CELLS:,}，工作表“{name}”{far}",
            Fault.TOO_LARGE,
            "请删除与公开表无关的大数据工作表或多余的行列后另存再试",
        )


def _near(rows: list[list[object]]) -> list[list[object]]:
    """The rows up to the first run of FAR_GAP empty rows: a stray value a million rows down
    (A1048576) is no part of a 公开 table, and walking the emptiness up to it costs minutes."""
    empty = 0
    for i, row in enumerate(rows):
        if row and any(v is not None and v != "" for v in row):
            if empty >= FAR_GAP:
                return rows[: i - empty]
            empty = 0
        else:
            empty += 1
    return rows[: len(rows) - empty] if empty >= FAR_GAP else rows


def _merges(sheet: object) -> list[tuple[int, int, int, int]]:
    ranges = getattr(sheet, "merged_cell_ranges", None) or []
    return [(a + 1, b + 1, c + 1, d + 1) for (a, b), (c, d) in ranges]


def _clip(
    merges: list[tuple[int, int, int, int]], rows: list[list[object]]
) -> list[tuple[int, int, int, int]]:
    """Merged ranges cut to the cells the grid holds: a merge over the whole sheet (A1:XFD1048576)
    is never walked cell by cell."""
    height, width = len(rows), max((len(r) for r in rows), default=0)
    out = []
    for r1, c1, r2, c2 in merges:
        r1, r2, c1, c2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
        if r1 <= height and c1 <= width:
            out.append((r1, c1, min(r2, height), min(c2, width)))
    return out
