"""Helpers of the fix tests: a macro-enabled copy of a workbook, and cell snapshots to compare."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_REL = (
    '<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
    'Target="vbaProject.bin"/>'
)


def vba_project() -> bytes:
    """The vbaProject.bin of the quickstart workbook xlwings ships (a real, Excel-written VBA project)."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as zf:
        return zf.read("xl/vbaProject.bin")


def make_xlsm(xlsx: Path, out: Path, project: bytes) -> Path:
    """Copy `xlsx` to `out` (.xlsm) with `project` as its VBA part."""
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                text = data.decode().replace(XLSX_MAIN, XLSM_MAIN)
                text = text.replace(
                    "</Types>",
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
                data = text.encode()
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb"</Relationships>", VBA_REL.encode() + b"</Relationships>", data)
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", project)
    return out


def vba_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/vbaProject.bin")


def snapshot(path: Path, skip: tuple[str, ...] = ("修正记录",)) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every cell of every sheet (but `skip`): value (formula text for formulas), number format and style."""
    from openpyxl import load_workbook

    wb = load_workbook(path, keep_vba=path.suffix == ".xlsm", rich_text=True)
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        for row in ws.iter_rows():
            for c in row:
                # the style array indexes the workbook's style tables, which openpyxl keeps in order
                out[(ws.title, c.coordinate)] = (
                    c.value,
                    c.number_format,
                    tuple(c._style),
                    c.comment.text if c.comment else None,
                )
        out[(ws.title, "#merges")] = (tuple(sorted(str(m) for m in ws.merged_cells.ranges)),)
        out[(ws.title, "#widths")] = (tuple(sorted((k, v.width) for k, v in ws.column_dimensions.items())),)
    return out
