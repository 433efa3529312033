"""The cells a page gives, whatever read them: a text PDF's layer (pdfplumber) or OCR of a scan.

Both sources hand the same shapes to table identification and the workbook rebuild, so there is
one pipeline with two sources of cells. Coordinates are PDF points on the page turned upright,
origin top-left (pdfplumber's convention: x0, top, x1, bottom).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BBox = tuple[float, float, float, float]
Source = Literal["text", "ocr"]


@dataclass(frozen=True)
class Cell:
    """One table cell as printed: its text (uncleaned), where it is, and how sure the reading is."""

    text: str
    page: int  # 1-based page number in the file
    bbox: BBox
    source: Source = "text"
    confidence: float | None = None  # OCR only: 0..1; None for a text layer (exact)


@dataclass(frozen=True)
class TableGrid:
    """A ruled table found on one page: rectangular rows; None where a merged cell continues."""

    page: int
    bbox: BBox
    rows: tuple[tuple[Cell | None, ...], ...]


@dataclass(frozen=True)
class Line:
    """One line of prose on a page (for paragraph splitting by layout: short line ends, indent starts)."""

    text: str
    page: int
    bbox: BBox
    source: Source = "text"
    confidence: float | None = None


PageKind = Literal["table", "prose", "cover", "scan", "blank"]
PAGE_KIND_LABELS: dict[str, str] = {
    "table": "表格页",
    "prose": "文字页",
    "cover": "封面/目录",
    "scan": "扫描件",
    "blank": "空白页",
}


@dataclass(frozen=True)
class Page:
    """One page turned upright: what kind it is, its ruled tables and the text lines outside them.

    `rotation` is the clockwise turn (0/90/180/270) that made it upright; `unreadable` holds the
    titles of tables seen on the page that could not be read reliably (printed without borders and
    no column model), so nothing on them is checked."""

    number: int
    width: float
    height: float
    kind: PageKind
    tables: tuple[TableGrid, ...] = ()
    lines: tuple[Line, ...] = ()
    rotation: int = 0
    unreadable: tuple[str, ...] = ()
