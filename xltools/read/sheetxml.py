"""What calamine does not tell about a worksheet, read from its XML with a real (defused) parser:
the formula cells saved without a cached value, and the hidden rows and columns.

Only sheets that hold 公开 tables are scanned, and only when their bytes mention a formula or a hidden
row/column at all, so a plain workbook pays one substring search per table sheet."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from xltools.model import column_number

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_TRUE = ("1", "true")


@dataclass
class SheetExtras:
    """Uncached formulas {(row, col): '=…'}, hidden row numbers and hidden column numbers."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


# how a formula cell without a cached value ends in compact XML (Excel, openpyxl, LibreOffice write no
# whitespace between tags); anything else that may hide one (pretty-printed XML) is parsed too
_UNCACHED = (b"</f></c>", b"</f><v></v>", b"</f><v/>", b"/></c>", b"</f><v />")


def worth_scanning(data: bytes) -> bool:
    """Whether the sheet XML may hold an uncached formula or a hidden row/column: a few substring
    searches, so a workbook whose formulas all carry their values is not parsed twice."""
    if b"hidden=" in data:
        return True
    if b"<f" not in data and b":f>" not in data:
        return False
    return any(h in data for h in _UNCACHED) or b":f>" in data or b">\n" in data or b">\r" in data


def scan_sheet(data: bytes) -> SheetExtras:
    """The uncached formulas and hidden rows/columns of one worksheet part."""
    from defusedxml.ElementTree import iterparse

    out = SheetExtras()
    row = 0
    col = 0
    for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
        tag = el.tag.rsplit("}", 1)[-1]
        if event == "start":
            if tag == "row":
                row, col = int(el.get("r") or row + 1), 0
                if el.get("hidden") in _TRUE:
                    out.hidden_rows.add(row)
            continue
        if tag == "c":
            row, col = _position(el.get("r"), row, col)
            _formula(el, out, row, col)
            el.clear()
        elif tag == "row":
            el.clear()
        elif tag == "col" and el.get("hidden") in _TRUE:
            first, last = int(el.get("min", "0")), int(el.get("max", "0"))
            out.hidden_cols.update(range(first, min(last, 16384) + 1))
    return out


def _position(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """A cell's (row, column): its r attribute, else the next column of the current row."""
    m = _REF.match(ref or "")
    if m is None:
        return max(row, 1), col + 1
    return int(m.group(2)), column_number(m.group(1))


def _formula(el: object, out: SheetExtras, row: int, col: int) -> None:
    f = el.find(f"{_MAIN}f")  # type: ignore[attr-defined]
    if f is None or not (f.text or "").strip():
        return  # no formula, or a shared formula's follower (its text stands in the first cell)
    v = el.find(f"{_MAIN}v")  # type: ignore[attr-defined]
    if v is None or not (v.text or "").strip():
        out.formulas[(row, col)] = "=" + f.text.strip()
