"""The workbook's package, opened safely before any parser sees it.

In order: the path is a regular file of sane size (no folder, pipe or device is ever opened), it is
a zip and not an .xls, an encrypted or an .xlsb workbook, the archive is no bomb, and every XML part
is streamed once (so a damaged deflate stream or CRC shows here, with the part named) to refuse DTDs
anywhere in it, parts not in UTF-8, and cell references beyond Excel's grid, and to take each
worksheet's census: how far its cells reach and how large its merges are. Nothing is expanded cell by
cell before these caps are known.
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from xltools.errors import Fault, FileProblem, UnreadableWorkbook, reading
from xltools.io import check_input
from xltools.model import column_number

MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes, whole archive
MAX_RATIO = 200  # uncompressed / compressed, per member larger than 1 MiB
MAX_ROWS, MAX_COLS = 1_048_576, 16_384  # Excel's grid
CHUNK = 1 << 20
KEEP = 32 << 20  # a worksheet part up to this size is read in one piece and kept for later passes

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetCensus:
    """How far one worksheet part's cells reach: the last row and column with a cell, the number of
    cells, the largest merged range and the merged area in all."""

    part: str
    rows: int = 0
    cols: int = 0
    cells: int = 0
    merged: int = 0
    largest_merge: str = ""
    largest_size: int = 0
    farthest: str = ""
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first 10,000, 1-based
    crc: int = 0  # the part's CRC-32 as the zip directory states it (checked when it was read)
    data: bytes | None = field(default=None, repr=False)  # the part's XML, kept when under KEEP bytes

    @property
    def area(self) -> int:
        """Cells a dense reader would hold for this sheet (from A1 to the farthest cell)."""
        return self.rows * self.cols


def refuse(
    path: Path | str, message: str, fault: Fault, hint: str | None = None, **where: object
) -> FileProblem:
    return UnreadableWorkbook(message, path=str(path), fault=fault, hint=hint, **where)  # type: ignore[arg-type]


def open_package(path: Path) -> zipfile.ZipFile:
    """The workbook's zip archive, once it is known to be an .xlsx/.xlsm of sane size."""
    _check_file(path)
    with reading(path):
        try:
            zf = zipfile.ZipFile(path)
            infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise refuse(path, "压缩包目录已损坏或被截断", Fault.DAMAGED) from exc
    try:
        _check_members(path, infos)
    except FileProblem:
        zf.close()
        raise
    return zf


def _check_file(path: Path) -> None:
    """A regular file of sane size, and a zip — not an old .xls or an encrypted (OLE2) workbook."""
    check_input(path)
    with reading(path), path.open("rb") as fh:
        head = fh.read(4 * 1024 * 1024)
    if head.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in head:
            raise refuse(
                path,
                "工作簿设置了打开密码",
                Fault.ENCRYPTED,
                "请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx 再试",
            )
        raise refuse(
            path,
            "这是旧版 .xls（Excel 97-2003）文件",
            Fault.UNSUPPORTED,
            "请在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx）后再试",
        )
    if not head.startswith(b"PK") or not zipfile.is_zipfile(path):
        what = "文件是空的" if not head else "不是有效的 Excel 工作簿（.xlsx/.xlsm），文件可能已损坏或被截断"
        raise refuse(path, what, Fault.NOT_WORKBOOK, "请重新导出或从备份恢复该文件")


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """An Excel workbook inside, not .xlsb, and no zip bomb (total size, per-part ratio)."""
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        raise refuse(path, "这是 .xlsb 二进制工作簿", Fault.UNSUPPORTED)
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names or "ppt/presentation.xml" in names:
            raise refuse(path, "这是 Word/PowerPoint 文档", Fault.NOT_WORKBOOK)
        raise refuse(
            path,
            "压缩包中没有 Excel 工作簿内容（xl/workbook.xml）",
            Fault.NOT_WORKBOOK,
            "请确认这是 Excel 保存的 .xlsx 文件",
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise refuse(
            path,
            f"解压后 {total // 2**20} MiB，超过上限 {MAX_UNCOMPRESSED // 2**20} MiB（疑似压缩炸弹）",
            Fault.TOO_LARGE,
            "请确认文件来源；公开表工作簿通常不到 1 MiB",
        )
    for i in infos:
        ratio = i.file_size // max(i.compress_size, 1)
        if i.file_size > 2**20 and ratio > MAX_RATIO:
            raise refuse(
                path,
                f"部件 {i.filename} 压缩比异常（{ratio}:1，疑似压缩炸弹）",
                Fault.TOO_LARGE,
                "请确认文件来源",
            )


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"\$?([A-Za-z]+)\$?([0-9]+)\"")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"([0-9]+)\"")
# the form Excel, WPS, LibreOffice and openpyxl write (no prefix, r first): literal-led, several times faster
_PLAIN_CELL_REF = re.compile(rb'<c r="\$?([A-Za-z]+)\$?([0-9]+)"')
_PLAIN_ROW_REF = re.compile(rb'<row r="([0-9]+)"')
_MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"\$?([A-Za-z]+)\$?([0-9]+):\$?([A-Za-z]+)\$?([0-9]+)\""
)
_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
XML_PARTS = (".xml", ".rels", ".vml")


def census(zf: zipfile.ZipFile, path: Path) -> dict[str, SheetCensus]:
    """Stream every XML part once: refuse what no Excel file holds; the census of each worksheet."""
    out: dict[str, SheetCensus] = {}
    for info in zf.infolist():
        if not info.filename.lower().endswith(XML_PARTS):
            continue
        sheet = info.filename.startswith("xl/worksheets/") and info.filename.count("/") == 2
        found = SheetCensus(info.filename, crc=info.CRC)
        with reading(path, info.filename):
            if info.file_size <= KEEP:  # one decompression, kept: no second pass over the zip
                data = zf.read(info)
                _first(data, info, path)
                _scan(data, info.filename, path, found if sheet else None)
                found.data = data if sheet else None
            else:
                _stream(zf, info, path, found if sheet else None)
        if sheet:
            out[info.filename] = found
    return out


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, found: SheetCensus | None) -> None:
    rest = b""
    first = True
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            if first:
                _first(chunk, info, path)
            first = False
            data = rest + chunk
            cut = data.rfind(b">") + 1
            if cut == 0 and len(data) < 16 * CHUNK:
                rest = data
                continue
            body, rest = (data[:cut], data[cut:]) if cut else (data, b"")
            _scan(body, info.filename, path, found)
    if rest:
        _scan(rest, info.filename, path, found)


def _first(head: bytes, info: zipfile.ZipInfo, path: Path) -> None:
    if head.startswith(_UTF16):
        raise refuse(path, "XML 不是 UTF-8 编码（Excel 不会这样保存）", Fault.DAMAGED, part=info.filename)


def _scan(body: bytes, part: str, path: Path, found: SheetCensus | None) -> None:
    if b"<!" in body and _DOCTYPE.search(body):
        raise refuse(
            path,
            "含有 DTD 实体声明（疑似 XML 炸弹）",
            Fault.DAMAGED,
            "请确认文件来源，用 Excel 重新保存后再试",
            part=part,
        )
    if found is None:
        return
    rows, refs, cells = _refs(body)
    found.cells += cells
    if rows:
        row = max(map(int, rows))
        if row > MAX_ROWS:
            raise refuse(path, f"行号 {row} 超出 Excel 的范围", Fault.DAMAGED, part=part)
        found.rows = max(found.rows, row)
    if refs:
        _reach_all(found, refs, path, part)
    for c1, r1, c2, r2 in _MERGE.findall(body):
        top, left = _reach(c1, r1, path, part)
        bottom, right = _reach(c2, r2, path, part)
        size = (abs(bottom - top) + 1) * (abs(right - left) + 1)
        found.merged += size
        if len(found.merges) < 10_000:
            found.merges.append((top, left, bottom, right))
        if size > 1 and size > found.largest_size:
            found.largest_merge, found.largest_size = (c1 + r1 + b":" + c2 + r2).decode(), size


def _refs(body: bytes) -> tuple[list[bytes], list[tuple[bytes, bytes]], int]:
    """Row numbers, cell references and the number of cells in one chunk of worksheet XML: by the
    plain form when every row and cell is written so, else by the general patterns."""
    if b":c" not in body and b":row" not in body:
        cells = body.count(b"<c ") + body.count(b"<c>") + body.count(b"<c/>")
        rows = _PLAIN_ROW_REF.findall(body)
        refs = _PLAIN_CELL_REF.findall(body)
        if len(refs) == cells and len(rows) == body.count(b"<row ") + body.count(b"<row>"):
            return rows, refs, cells
    return _ROW_REF.findall(body), _CELL_REF.findall(body), len(_CELL_TAG.findall(body))


def _reach_all(found: SheetCensus, refs: list[tuple[bytes, bytes]], path: Path, part: str) -> None:
    """Extend the census to the cells referenced in one chunk: per distinct column letters and the
    extreme row numbers, not per cell (a sheet of a few thousand cells is censused in C speed)."""
    rows = [int(r) for _, r in refs]
    top, bottom = min(rows), max(rows)
    for r in (top, bottom):
        if r < 1 or r > MAX_ROWS:
            col = next(c for c, x in refs if int(x) == r)
            _reach(col, str(r).encode(), path, part)
    cols = {c: _reach(c, b"1", path, part)[1] for c in {c for c, _ in refs}}
    right = max(cols.values())
    found.rows, found.cols = max(found.rows, bottom), max(found.cols, right)
    if found.area > 1_000_000:  # worth naming the farthest cell, should the sheet be refused
        letters, digits = max(refs, key=lambda x: cols[x[0]] * int(x[1]))
        if cols[letters] * int(digits) >= _area(found.farthest):
            found.farthest = (letters + digits).decode()


def _area(ref: str) -> int:
    return _size(f"A1:{ref}") if ref else 0


def _size(ref: str) -> int:
    (c1, r1), (c2, r2) = (re.fullmatch(r"([A-Za-z]+)([0-9]+)", x).groups() for x in ref.split(":"))  # type: ignore[union-attr]
    return (abs(int(r2) - int(r1)) + 1) * (abs(column_number(c2.upper()) - column_number(c1.upper())) + 1)


@functools.lru_cache(maxsize=4096)
def _column(letters: bytes) -> int:
    return column_number(letters.decode().upper())


def _reach(col: bytes, row: bytes, path: Path, part: str) -> tuple[int, int]:
    """(row, column) of one cell reference, refused when beyond Excel's grid."""
    ref = (col + row).decode()
    if len(col) > 3 or len(row) > 7:
        raise refuse(path, f"单元格引用 {ref} 超出 Excel 的范围", Fault.DAMAGED, part=part)
    r, c = int(row), _column(col)
    if r > MAX_ROWS or c > MAX_COLS or r < 1:
        raise refuse(path, f"单元格引用 {ref} 超出 Excel 的范围", Fault.DAMAGED, part=part)
    return r, c
