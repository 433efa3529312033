"""Open a workbook safely and hand back each sheet as a grid of cached values and merged ranges.

python-calamine reads the values (fast); formula cells saved without a cached value (files written
by openpyxl) are computed with the `formulas` package. Files that are not workbooks, damaged,
encrypted, old .xls, zip or XML bombs are refused with a Chinese message before any parser runs.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from xltools.errors import UnreadableWorkbook
from xltools.read.sheetxml import SheetExtras, scan_sheet, worth_scanning

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from xltools.read.locate import Anchor

MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes, whole archive
MAX_RATIO = 200  # uncompressed / compressed, per member larger than 1 MiB
MAX_CELLS = 5_000_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


def _refuse(path: Path, message: str, hint: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(message, path=str(path), hint=hint)


def _check_container(path: Path) -> zipfile.ZipFile:
    """The workbook's zip archive, once it is known to be an .xlsx/.xlsm of sane size; anything else
    is refused with what it is and what to do."""
    _check_file(path)
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, "工作簿压缩包已损坏", "请重新导出或从备份恢复该文件") from exc
    try:
        _check_members(path, infos)
    except UnreadableWorkbook:
        zf.close()
        raise
    return zf


def _check_file(path: Path) -> None:
    """Exists, is readable, and is a zip — not an old .xls or an encrypted (OLE2) workbook."""
    if not path.exists():
        raise _refuse(path, "文件不存在", "请检查路径是否正确")
    if path.is_dir():
        raise _refuse(path, "这是一个文件夹，不是工作簿", "请给出 .xlsx 文件")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _refuse(
            path, f"无法读取文件（{exc.strerror}）", "请检查文件权限，或关闭占用该文件的程序"
        ) from exc
    if head.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in path.read_bytes()[: 4 * 1024 * 1024]:
            raise _refuse(
                path,
                "工作簿已加密（设置了打开密码）",
                "请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx 再试",
            )
        raise _refuse(
            path,
            "这是旧版 .xls（Excel 97-2003）文件",
            "请在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx）后再试",
        )
    if not zipfile.is_zipfile(path):
        raise _refuse(
            path,
            "不是有效的 Excel 工作簿（.xlsx/.xlsm），文件可能已损坏或被截断",
            "请重新导出或从备份恢复该文件",
        )


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """An Excel workbook inside, not .xlsb, and no zip bomb (total size, per-part ratio)."""
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        raise _refuse(path, "这是 .xlsb 二进制工作簿", "请另存为 .xlsx 后再试")
    if "xl/workbook.xml" not in names:
        raise _refuse(path, "压缩包中没有 Excel 工作簿内容", "请确认这是 Excel 保存的 .xlsx 文件")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise _refuse(
            path,
            f"解压后大小 {total // 2**20} MiB 超过上限 {MAX_UNCOMPRESSED // 2**20} MiB（疑似压缩炸弹）",
            "请确认文件来源；公开表工作簿通常不到 1 MiB",
        )
    for i in infos:
        ratio = i.file_size // max(i.compress_size, 1)
        if i.file_size > 2**20 and ratio > MAX_RATIO:
            raise _refuse(path, f"部件 {i.filename} 压缩比异常（{ratio}:1，疑似压缩炸弹）", "请确认文件来源")


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _scan_xml(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse DTDs (billion laughs and external entities): OOXML never needs one."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with zf.open(info) as fh:
                head = fh.read(4096)
            if _DOCTYPE.search(head):
                raise _refuse(
                    path,
                    f"部件 {info.filename} 含有 DTD 实体声明（疑似 XML 炸弹）",
                    "请确认文件来源，用 Excel 重新保存后再试",
                )


def _sheet_extras(p: Path, zf: zipfile.ZipFile, sheet_paths: list[str]) -> dict[int, SheetExtras]:
    """Uncached formulas and hidden rows/columns, per index into `sheet_paths`."""
    out: dict[int, SheetExtras] = {}
    for index, member in enumerate(sheet_paths):
        try:
            data = zf.read(member)
        except KeyError:
            continue
        if worth_scanning(data):
            try:
                out[index] = scan_sheet(data)
            except Exception as exc:  # calamine read it, our parser did not: say where
                what = f"工作表部件 {member} 的 XML 无法解析（{type(exc).__name__}）"
                raise _refuse(p, what, "请用 Excel/WPS 打开后重新保存为 .xlsx") from exc
    return out


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
    import python_calamine

    p = Path(path)
    with _check_container(p) as zf:
        _scan_xml(zf, p)
        try:
            members = _sheet_members(zf)
        except Exception as exc:  # damaged workbook.xml: a clear message beats a parser trace
            raise _refuse(p, "工作簿结构（workbook.xml）已损坏", "请用 Excel/WPS 打开后重新保存") from exc
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(p))
        except Exception as exc:
            raise _refuse(
                p, f"工作簿无法解析（{type(exc).__name__}）", "请用 Excel/WPS 打开后重新保存为 .xlsx"
            ) from exc
        grids: list[SheetGrid] = []
        worksheets: list[int] = []  # workbook sheet index of each grid
        cells = 0
        for index, meta in enumerate(book.sheets_metadata):
            if str(meta.typ) != "SheetTypeEnum.WorkSheet":
                continue
            sheet = book.get_sheet_by_index(index)
            rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))  # '' is an empty cell
            cells += sum(len(r) for r in rows)
            if cells > MAX_CELLS:
                raise _refuse(
                    p, f"单元格数量超过上限（{MAX_CELLS:,}）", "请删除与公开表无关的大数据工作表后再试"
                )
            merges = [(a + 1, b + 1, c + 1, d + 1) for (a, b), (c, d) in (sheet.merged_cell_ranges or [])]
            visible = str(meta.visible) == "SheetVisibleEnum.Visible"
            grids.append(SheetGrid(meta.name, rows, merges, visible=visible))
            worksheets.append(index)
        anchors = _compute_formulas(p, zf, members, grids, worksheets)
    return grids, anchors


def _compute_formulas(
    p: Path, zf: zipfile.ZipFile, members: list[str], grids: list[SheetGrid], worksheets: list[int]
) -> list[Anchor] | None:
    """Find and compute the uncached formula cells of the sheets that hold 公开 tables only (a 校验
    sheet of IF/COUNTIF formulas, or a clerk's scratch sheet, would cost seconds for nothing), then
    blank their hidden rows and columns. Returns the anchors when no cell changed, else None."""
    from xltools.read.locate import find_anchors

    anchors = find_anchors(grids)
    tables = sorted({a.sheet for a in anchors})
    wanted = [members[worksheets[i]] if worksheets[i] < len(members) else "" for i in tables]
    extras = _sheet_extras(p, zf, wanted)
    for n, i in enumerate(tables):
        if n in extras:
            grids[i].formulas = extras[n].formulas
    changed = any(g.formulas for g in grids)
    if changed:
        from xltools.read.compute import compute_uncached

        compute_uncached(p, grids, {grids[i].name for i in tables})
    for n, i in enumerate(tables):
        if n in extras and grids[i].hide(extras[n].hidden_rows, extras[n].hidden_cols):
            changed = True
    return None if changed else anchors
