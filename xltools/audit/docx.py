"""A report published as Word (.docx): its tables and paragraphs as the same Page/TableGrid/Line
shapes the PDF readers give, so the one pipeline judges them.

Word keeps no geometry, so boxes are synthetic (column j at x = j·COLUMN, lines stacked): they
only order things; findings from a .docx carry no bbox. Pages are counted by the page breaks Word
recorded (rendered and explicit ones)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from xltools.audit.cells import Cell, Line, Page, TableGrid
from xltools.audit.intake import UnreadableReport, classify

COLUMN = 100.0  # synthetic width of a table column
LINE = 12.0  # synthetic height of a line
_GAP = re.compile(r"\t+|\s{3,}|\u3000{2,}")


def read_docx(path: Path) -> list[Page]:
    """The pages of the Word report at `path`. Raises UnreadableReport."""
    from docx import Document

    try:
        doc = Document(str(path))
        blocks = list(doc.iter_inner_content())
    except Exception as exc:  # python-docx raises whatever a damaged package gives it
        raise UnreadableReport(
            f"Word 文件已损坏，无法读取（{type(exc).__name__}）", path=str(path), hint="请重新导出后再试"
        ) from exc
    builder = _Pages()
    for block in blocks:
        if hasattr(block, "rows"):
            builder.table(block)
        else:
            builder.paragraph(block)
    return builder.finish()


class _Pages:
    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.tables: list[TableGrid] = []
        self.lines: list[Line] = []
        self.y = 0.0
        self.width = 1  # columns of the last table: where right-aligned text goes

    @property
    def number(self) -> int:
        return len(self.pages) + 1

    def paragraph(self, p: Any) -> None:
        breaks = len(p.rendered_page_breaks) + len(p._p.xpath('.//w:br[@w:type="page"]'))
        for _ in range(breaks if p.text.strip() == "" else 0):
            self.new_page()
        text = p.text.strip()
        if text:
            chunks = [c for c in _GAP.split(text) if c.strip()]
            right = str(p.alignment) in ("RIGHT (2)", "2") or (
                p.alignment is not None and int(p.alignment) == 2
            )
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1 and (len(chunks) > 1 or right)
                x = (self.width - 1) * COLUMN + 1 if last else i * COLUMN / 2
                self.lines.append(
                    Line(chunk.strip(), self.number, (x, self.y, x + 10 * len(chunk), self.y + 10))
                )
            self.y += LINE
        for _ in range(breaks if text else 0):
            self.new_page()

    def table(self, t: Any) -> None:
        rows: list[tuple[Cell | None, ...]] = []
        above: list[Any] = []
        top = self.y
        for tr in t.rows:
            cells: list[Cell | None] = []
            seen: list[Any] = []
            for j, c in enumerate(tr.cells):
                tc = c._tc
                merged = any(tc is x for x in seen) or (j < len(above) and above[j] is tc)
                seen.append(tc)
                box = (j * COLUMN, self.y, (j + 1) * COLUMN - 1, self.y + LINE - 1)
                cells.append(None if merged else Cell(c.text.strip(), self.number, box))
            above = seen
            rows.append(tuple(cells))
            self.y += LINE
        width = max((len(r) for r in rows), default=1)
        self.width = width
        self.tables.append(TableGrid(self.number, (0.0, top, width * COLUMN, self.y), tuple(rows)))

    def new_page(self) -> None:
        self.pages.append(self._page())
        self.tables, self.lines, self.y = [], [], 0.0

    def _page(self) -> Page:
        kind = classify(bool(self.tables or self.lines), False, self.tables, self.lines)
        return Page(self.number, 0.0, self.y + LINE, kind, tuple(self.tables), tuple(self.lines))

    def finish(self) -> list[Page]:
        if self.tables or self.lines:
            self.pages.append(self._page())
        return self.pages
