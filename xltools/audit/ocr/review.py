"""After the rules: is a failing relation on OCR'd cells a confirmed error, or a call to look at the
original? The cells are read a second time from a differently prepared image; crops of the cells
are written as PNG for the look."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from xltools.audit.cells import BBox, Cell, TableGrid
from xltools.audit.ocr import SURE, engine
from xltools.audit.ocr.page import cell_crop
from xltools.audit.ocr.raster import PageImage, page_image
from xltools.text import squash

_MARGIN = 24  # px of context around the cells in a crop


class Pages:
    """The straightened page images of one scanned PDF turned upright (the audit's `upright`),
    rendered once each on demand."""

    def __init__(self, pdf: Path | bytes) -> None:
        self.pdf = pdf
        self._images: dict[int, PageImage] = {}
        self._sure: dict[tuple[int, BBox], bool] = {}

    def table_sure(self, table: TableGrid) -> bool:
        """Every code and amount of an OCR'd table read well (at least engine.REPAIRED: the cells
        of the relation itself must reach SURE), and the same by a second reading (once per
        table): a misread code elsewhere would drop a row from a sum."""
        key = (table.page, table.bbox)
        if key not in self._sure:
            digits = [c for row in table.rows for c in row if c is not None and engine.digitish(c.text)]
            surely = all(c.confidence is not None and c.confidence >= engine.REPAIRED for c in digits)
            self._sure[key] = surely and _agree(self, [c for c in digits if c.source == "ocr"])
        return self._sure[key]

    def __getitem__(self, page: int) -> PageImage:
        if page not in self._images:
            pdf = pdfium.PdfDocument(self.pdf if isinstance(self.pdf, bytes) else str(self.pdf))
            try:
                self._images[page] = page_image(pdf, page - 1, turn=0)  # turned upright already
            finally:
                pdf.close()
        return self._images[page]


def _pixels(image: PageImage, cell: Cell) -> tuple[int, int, int, int]:
    k = image.dpi / 72.0
    x0, y0, x1, y1 = cell.bbox
    return round(x0 * k), round(y0 * k), round(x1 * k), round(y1 * k)


def confirmed(pages: Pages, cells: Sequence[Cell], tables: Sequence[TableGrid] = ()) -> bool:
    """Whether a failing relation on OCR'd cells is a confirmed error: each of its cells scored at
    least SURE, and a second reading agrees with every code and amount of the tables it
    stands on (a misread code elsewhere drops a row from a sum). Text-layer cells are sure."""
    ocr = [c for c in cells if c.source == "ocr"]
    if any(c.confidence is None or c.confidence < SURE for c in ocr):
        return False
    return all(pages.table_sure(t) for t in tables) and _agree(pages, ocr)


def _agree(pages: Pages, cells: Sequence[Cell]) -> bool:
    if not cells:
        return True
    crops = [cell_crop(pages[c.page], _pixels(pages[c.page], c)) for c in cells]
    again = engine.read_cells(crops, second=True)
    return all(
        engine.agree(engine.Reading(c.text, c.confidence or 0.0, 1), r)
        for c, r in zip(cells, again, strict=True)
    )


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def line_agrees(pages: Pages, line: Cell) -> bool:
    """A printed line of prose read surely (at least SURE) and read again from a differently
    framed image with the same numbers in the same order."""
    if line.confidence is None or line.confidence < SURE:
        return False
    image = pages[line.page]
    x0, y0, x1, y1 = _pixels(image, line)
    crop = image.pixels[max(0, y0 - 2) : y1 + 2, max(0, x0 - 2) : x1 + 2]
    again = engine.read_cells([crop], second=True)
    return bool(again) and _numbers(again[0].text) == _numbers(line.text)


def _numbers(text: str) -> list[str]:
    return [n.replace(",", "") for n in _NUMBER.findall(squash(text))]


def write_crop(pages: Pages, cells: Iterable[Cell], out: Path) -> Path | None:
    """A PNG of the cells on the straightened scan, each boxed in red, pages stacked; None when
    no cell is an OCR'd one."""
    by_page: dict[int, list[Cell]] = {}
    for c in cells:
        if c.source == "ocr":
            by_page.setdefault(c.page, []).append(c)
    parts = [_crop(pages[p], cs) for p, cs in sorted(by_page.items())]
    if not parts:
        return None
    width = max(p.shape[1] for p in parts)
    padded = [
        cv2.copyMakeBorder(p, 0, 6, 0, width - p.shape[1], cv2.BORDER_CONSTANT, value=(255, 255, 255))
        for p in parts
    ]
    ok, png = cv2.imencode(".png", np.vstack(padded))
    if not ok:
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png.tobytes())
    return out


def _crop(image: PageImage, cells: list[Cell]) -> np.ndarray:
    boxes = [_pixels(image, c) for c in cells]
    h, w = image.pixels.shape
    x0 = max(0, min(b[0] for b in boxes) - _MARGIN)
    y0 = max(0, min(b[1] for b in boxes) - _MARGIN)
    x1 = min(w, max(b[2] for b in boxes) + _MARGIN)
    y1 = min(h, max(b[3] for b in boxes) + _MARGIN)
    view = cv2.cvtColor(image.pixels[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR)
    for bx0, by0, bx1, by1 in boxes:
        cv2.rectangle(view, (bx0 - x0 - 1, by0 - y0 - 1), (bx1 - x0, by1 - y0), (0, 0, 255), 2)
    return view
