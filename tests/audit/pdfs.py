"""Published reports made the way departments make them: the fixture workbooks printed to PDF by
LibreOffice headless (A4 landscape, fit to width, CJK fonts from Debian), one soffice call for all,
then the traps: tables over pages with repeated headers, pages rotated both ways, a table without
borders, 部门 and 单位 on separate lines."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from fixture_books import read_manifest, write_workbook
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Border, Side
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from printing import to_pdf

# name → (report, layout, how to print it)
SOURCES = {
    "000_std": ("000", "std", "breaks"),  # 公开02/03/06 broken over pages, header rows repeated
    "001_std": ("001", "std", "plain"),
    "000_titles": ("000", "titles", "plain"),  # text numbers, '-' zeros, 部门 and 单位 in one cell
    "001_borderless": ("001", "std", "borderless"),  # 公开05 printed without cell borders
    "001_nolanci": ("001", "std", "nolanci"),  # …and without its 栏次 row: no column model
    "000_splithead": ("000", "std", "splithead"),  # '部门：' and the name apart, 单位 on the title line
    "001_stacked": ("001", "stacked", "plain"),  # all tables on one sheet: labels cut short in print
}
BROKEN = ("公开02", "公开03", "公开06")
BORDERLESS = "公开05"


def printable(src: Path, dst: Path, how: str) -> Path:
    """A copy of the workbook set up for printing: landscape A4, fit to width; `how` adds the trap."""
    manifest = read_manifest(src)
    wb = load_workbook(src)
    for tid, entry in manifest["tables"].items():
        ws = wb[entry["sheet"]]
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        rows = [_row_of(c) for c in entry["cells"].values()]
        first, last = min(rows), max(rows)
        if how == "breaks" and tid in BROKEN and last - first >= 4:
            ws.print_title_rows = f"1:{first - 1}"
            ws.row_breaks.append(Break(id=first + (last - first) // 2))
        _fit_columns(ws, _row_of(entry.get("department") or entry["title"]) + 1)
        if how == "nolanci" and tid == BORDERLESS:
            _clear_lanci(ws)
        if how == "splithead":
            _split_head(ws, entry)
        if not (how in ("borderless", "nolanci") and tid == BORDERLESS):
            _rule(ws, _row_of(entry.get("department") or entry["title"]) + 1, last)
    wb.save(dst)
    return dst


def _clear_lanci(ws: Worksheet) -> None:
    for row in ws.iter_rows():
        if any(c.value == "栏次" for c in row):
            for c in row:
                if not isinstance(c, MergedCell):
                    c.value = None


def _split_head(ws: Worksheet, entry: dict) -> None:
    """'部门：' in its cell and the name in the next; 单位：万元 moved up to the title line."""
    dept = ws[entry["department"]]
    text = str(dept.value)
    if text.startswith("部门：") and not isinstance(ws.cell(dept.row, dept.column + 1), MergedCell):
        dept.value = "部门："
        ws.cell(dept.row, dept.column + 1).value = text.removeprefix("部门：")
    unit = ws[entry["unit"]]
    target = ws.cell(_row_of(entry["title"]), unit.column)
    if not isinstance(target, MergedCell) and target.value is None:
        target.value, unit.value = unit.value, None


def _row_of(coordinate: str) -> int:
    return int("".join(ch for ch in coordinate if ch.isdigit()))


def _fit_columns(ws: Worksheet, top: int) -> None:
    """Columns as wide as their widest cell below the title lines (CJK characters count double),
    as a clerk sets them before printing; labels never run into the next cell."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=top):
        for cell in row:
            if cell.value is not None and not isinstance(cell, MergedCell):
                text = str(cell.value)
                w = sum(2.1 if ord(ch) > 0x2E7F else 1.1 for ch in text) + 2
                widths[cell.column] = max(widths.get(cell.column, 8.0), w)
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(w, 70)


def _rule(ws: Worksheet, top: int, bottom: int) -> None:
    """Thin borders round every cell of rows top..bottom, as the templates print them."""
    side = Side(style="thin")
    box = Border(left=side, right=side, top=side, bottom=side)
    for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=ws.max_column):
        for cell in row:
            cell.border = box


def rotate_pages(src: Path, dst: Path) -> Path:
    """The PDF with its table pages turned: /Rotate 90 on one, /Rotate 270 on the next, and one
    page's content itself turned a quarter (a landscape table laid sideways on a portrait page)."""
    import pypdf
    from pypdf.generic import RectangleObject

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(src))
    for i, page in enumerate(writer.pages):
        if i % 3 == 0:
            page.rotate(90)
        elif i % 3 == 1:
            page.rotate(270)
        else:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            page.add_transformation((0, 1, -1, 0, y1, -x0))  # content a quarter anticlockwise
            page.mediabox = RectangleObject((0, 0, y1 - y0, x1 - x0))
            page.cropbox = RectangleObject((0, 0, y1 - y0, x1 - x0))
    out = io.BytesIO()
    writer.write(out)
    dst.write_bytes(out.getvalue())
    return dst


def build_pdfs(out_dir: Path, planted: dict[str, Path] | None = None) -> dict[str, tuple[Path, Path]]:
    """name → (PDF, the workbook it was printed from), the planted copies included."""
    out_dir.mkdir(parents=True, exist_ok=True)
    books: dict[str, Path] = {}
    for name, (report, layout, how) in SOURCES.items():
        src = write_workbook(report, layout, out_dir / f"src_{name}.xlsx")
        books[name] = printable(src, out_dir / f"{name}.xlsx", how)
        shutil.copyfile(src.with_name(src.stem + ".cells.json"), out_dir / f"{name}.cells.json")
    for plant, path in (planted or {}).items():
        books[f"plant_{plant}"] = printable(path, out_dir / f"plant_{plant}.xlsx", "plain")
    pdfs = to_pdf(list(books.values()), out_dir)
    out = {name: (pdfs[book], book) for name, book in books.items()}
    rotated = rotate_pages(out["000_std"][0], out_dir / "000_rotated.pdf")
    out["000_rotated"] = (rotated, books["000_std"])
    return out


def to_docx(book: Path, dst: Path) -> Path:
    """The workbook's tables pasted into Word, as departments that publish .docx do: the title,
    marker and 部门/单位 lines as paragraphs (部门 and 单位 apart by tabs), each table as a Word table
    with its merged header cells, the notes below, a page break after each table."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    manifest = read_manifest(book)
    wb = load_workbook(book)
    doc = Document()
    for entry in manifest["tables"].values():
        ws = wb[entry["sheet"]]
        top = _row_of(entry.get("department") or entry["title"]) + 1
        last = max(_row_of(c) for c in entry["cells"].values())
        for r in range(1, top):
            texts = [str(c.value) for c in ws[r] if c.value not in (None, "")]
            if texts:
                doc.add_paragraph("\t\t".join(texts))
        _word_table(doc, ws, top, last)
        for r in range(last + 1, ws.max_row + 1):
            texts = [str(c.value) for c in ws[r] if c.value not in (None, "")]
            if texts:
                doc.add_paragraph(" ".join(texts))
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.save(str(dst))
    return dst


def _word_table(doc: object, ws: Worksheet, top: int, last: int) -> None:
    width = ws.max_column
    table = doc.add_table(rows=last - top + 1, cols=width)  # type: ignore[attr-defined]
    for r in range(top, last + 1):
        for c in range(1, width + 1):
            value = ws.cell(r, c).value
            if value is not None and not isinstance(ws.cell(r, c), MergedCell):
                text = f"{value:,.2f}" if isinstance(value, float) else str(value)
                table.cell(r - top, c - 1).text = text
    for m in ws.merged_cells.ranges:
        if m.min_row >= top and m.max_row <= last:
            a = table.cell(m.min_row - top, m.min_col - 1)
            text = a.text
            merged = a.merge(table.cell(m.max_row - top, m.max_col - 1))
            merged.text = text
