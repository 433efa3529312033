"""What `audit -o DIR` writes per report: the rebuilt workbook with its 校验 sheet, the PDF with every
error and tail boxed and numbered (pypdf annotations), and the list of findings."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.audit.unsure import listing as listing_of
from xltools.rules.results import Finding, to_text

if TYPE_CHECKING:
    from xltools.audit.pipeline import Audit

COLOURS = {
    "error": (0.85, 0.1, 0.1),
    "review": (0.6, 0.2, 0.75),  # 核对原件: a rule failing on amounts OCR read from a scan
    "tail": (0.95, 0.6, 0.0),
    "warning": (0.2, 0.4, 0.85),
}


def write_outputs(audit: Audit, out_dir: Path) -> dict[str, str]:
    """Write the files of one report into `out_dir`; label → file name of what was written."""
    from xltools.io import write_text_atomic

    stem = Path(audit.path).stem
    links: dict[str, str] = {}
    if audit.review and audit.upright is not None:  # a scan: crops of the cells to look at
        from xltools.audit.ocr.assist import write_crops

        crops = out_dir / f"{stem}.核对原件"
        audit.result.findings = write_crops(audit.result.findings, audit.review, audit.upright, crops)
        links["核对原件"] = crops.name
    if audit.rebuilt is not None and audit.report is not None:
        book = out_dir / f"{stem}.重建.xlsx"
        save_workbook(audit, book)
        links["重建工作簿"] = book.name
    if audit.upright is not None:
        marked = out_dir / f"{stem}.标注.pdf"
        marked.write_bytes(annotate(audit.upright, audit.result.failures))
        links["标注PDF"] = marked.name
    listing = out_dir / f"{stem}.问题清单.txt"
    unsure = listing_of(audit.unsure)
    write_text_atomic(listing, to_text([audit.result]) + unsure + _numbered(audit.result.failures))
    links["问题清单"] = listing.name
    return links


def save_workbook(audit: Audit, path: Path) -> None:
    """The rebuilt tables as a workbook with the 校验 sheet (the same formulas `xltools formulas` adds)."""
    from openpyxl import load_workbook

    from xltools.rules.render_sheet import add_check_sheet, report_of

    assert audit.rebuilt is not None
    buffer = io.BytesIO()
    audit.rebuilt.save(buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    add_check_sheet(wb, report_of(wb, str(path)))
    wb.save(path)


def marked(findings: list[Finding]) -> list[Finding]:
    """The findings that get a box: errors, tails and warnings that stand on a page."""
    return [f for f in findings if f.page is not None and f.bbox is not None and f.verdict in COLOURS]


def _numbered(findings: list[Finding]) -> str:
    boxed = marked(findings)
    if not boxed:
        return ""
    lines = ["标注 PDF 中的编号："]
    lines += [f"  [{i}] {f.where}：{f.message}" for i, f in enumerate(boxed, 1)]
    return "\n".join(lines) + "\n"


def annotate(pdf: bytes, findings: list[Finding]) -> bytes:
    """The PDF with a coloured, numbered box around every finding's cell (red error, orange tail,
    blue warning); the pages themselves untouched."""
    import pypdf
    from pypdf.annotations import FreeText, Rectangle

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    for i, f in enumerate(marked(findings), 1):
        assert f.page is not None and f.bbox is not None
        page = writer.pages[f.page - 1]
        left, _, _, top = (float(v) for v in page.mediabox)
        x0, t, x1, b = f.bbox
        rect = (left + x0 - 1, top - b - 1, left + x1 + 1, top - t + 1)
        colour = "{:02x}{:02x}{:02x}".format(*(int(255 * c) for c in COLOURS[f.verdict]))
        box = Rectangle(rect=rect)
        box[pypdf.generic.NameObject("/C")] = pypdf.generic.ArrayObject(
            [pypdf.generic.FloatObject(c) for c in COLOURS[f.verdict]]
        )
        box[pypdf.generic.NameObject("/Contents")] = pypdf.generic.TextStringObject(f"[{i}] {f.message}")
        writer.add_annotation(f.page - 1, box)
        label = FreeText(
            text=str(i),
            rect=(rect[2], rect[3] - 9, rect[2] + 16, rect[3]),
            font_size="7pt",
            font_color=colour,
            border_color=colour,
            background_color="ffffff",
        )
        writer.add_annotation(f.page - 1, label)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
