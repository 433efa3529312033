"""The workbook's package, opened safely before any parser sees it.

In order: the path is a regular file of sane size (no folder, pipe or device is ever opened), it is
a zip and not an .xls, an encrypted or an .xlsb workbook, the archive is no bomb, and every XML part
is streamed once (so a damaged deflate stream or CRC shows here, with the part named) to refuse DTDs
anywhere in it, parts not in UTF-8, and cell references beyond Excel's grid, and to take each
worksheet's census: how far its cells reach and how large its merges are. Nothing is expanded cell by
cell before these caps are known.
"""

from __future__ import annotations

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
    farthest: str = ""
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first 10,000, 1-based

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
        found = SheetCensus(info.filename)
        with reading(path, info.filename):
            _stream(zf, info, path, found if sheet else None)
        if sheet:
            out[info.filename] = found
    return out


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, found: SheetCensus | None) -> None:
    rest = b""
    first = True
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            if first and chunk.startswith(_UTF16):
                raise refuse(
                    path, "XML 不是 UTF-8 编码（Excel 不会这样保存）", Fault.DAMAGED, part=info.filename
                )
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


def _scan(body: bytes, part: str, path: Path, found: SheetCensus | None) -> None:
    if _DOCTYPE.search(body):
        raise refuse(
            path,
            "含有 DTD 实体声明（疑似 XML 炸弹）",
            Fault.DAMAGED,
            "请确认文件来源，用 Excel 重新保存后再试",
            part=part,
        )
    if found is None:
        return
    found.cells += len(_CELL_TAG.findall(body))
    for m in _ROW_REF.finditer(body):
        row = int(m.group(1))
        if row > MAX_ROWS:
            raise refuse(path, f"行号 {row} 超出 Excel 的范围", Fault.DAMAGED, part=part)
        found.rows = max(found.rows, row)
    for m in _CELL_REF.finditer(body):
        _reach(found, m.group(1), m.group(2), path, part)
    for m in _MERGE.finditer(body):
        r1, c1 = _reach(found, m.group(1), m.group(2), path, part, extend=False)
        r2, c2 = _reach(found, m.group(3), m.group(4), path, part, extend=False)
        size = (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
        found.merged += size
        if len(found.merges) < 10_000:
            found.merges.append((r1, c1, r2, c2))
        if size > 1 and (not found.largest_merge or size > _size(found.largest_merge)):
            found.largest_merge = b":".join(m.groups()[i] + m.groups()[i + 1] for i in (0, 2)).decode()


def _size(ref: str) -> int:
    (c1, r1), (c2, r2) = (re.fullmatch(r"([A-Za-z]+)([0-9]+)", x).groups() for x in ref.split(":"))  # type: ignore[union-attr]
    return (abs(int(r2) - int(r1)) + 1) * (abs(column_number(c2.upper()) - column_number(c1.upper())) + 1)


def _reach(
    found: SheetCensus, col: bytes, row: bytes, path: Path, part: str, *, extend: bool = True
) -> tuple[int, int]:
    ref = (col + row).decode()
    if len(col) > 3 or len(row) > 7:
        raise refuse(path, f"单元格引用 {ref} 超出 Excel 的范围", Fault.DAMAGED, part=part)
    r, c = int(row), column_number(col.decode().upper())
    if r > MAX_ROWS or c > MAX_COLS or r < 1:
        raise refuse(path, f"单元格引用 {ref} 超出 Excel 的范围", Fault.DAMAGED, part=part)
    if extend:
        if r * c >= found.rows * found.cols:
            found.farthest = ref
        found.rows, found.cols = max(found.rows, r), max(found.cols, c)
    return r, c
