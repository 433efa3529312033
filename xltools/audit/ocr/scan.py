"""Read the scanned pages of a PDF: render, straighten, find the ruled tables, OCR them cell by cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pypdfium2 as pdfium

from xltools.audit.ocr.page import ScannedPage, read_page
from xltools.audit.ocr.raster import page_image


def read_scan(
    pdf_file: Path | bytes, pages: Sequence[int] | None = None, progress: Callable[[int], None] | None = None
) -> list[ScannedPage]:
    """OCR the given 1-based pages of a PDF (path or bytes; all pages when None); `progress(page)`
    after each."""
    pdf = pdfium.PdfDocument(pdf_file if isinstance(pdf_file, bytes) else str(pdf_file))
    try:
        wanted = list(pages) if pages is not None else list(range(1, len(pdf) + 1))
        out = []
        for page in wanted:
            out.append(read_page(page_image(pdf, page - 1)))
            if progress is not None:
                progress(page)
        return out
    finally:
        pdf.close()
