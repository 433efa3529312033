"""A bounded reader for a worksheet whose cells reach far (a stray value in XFD1048576, a used range of
a million rows): the dense reader would hold every cell from A1 to the farthest one, gigabytes for one
stray value. Here each row holds only up to its own last cell, so memory follows the cells present.

Values as the dense reader gives them for what 公开 tables hold: text, numbers (float), booleans and
error codes as text; date-formatted numbers stay numbers (no 公开 amount is a date)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from xltools.model import column_number

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def shared_strings(zf: zipfile.ZipFile, part: str = "xl/sharedStrings.xml") -> list[str]:
    """The workbook's shared strings, in order ([] when it has none)."""
    from defusedxml.ElementTree import iterparse

    if part not in zf.namelist():
        return []
    out: list[str] = []
    with zf.open(part) as fh:
        for _, el in iterparse(fh, events=("end",)):
            if _local(el.tag) == "si":
                out.append("".join(t.text or "" for t in el.iter() if _local(t.tag) == "t"))
                el.clear()
    return out


def _value(el: object, kind: str, shared: list[str]) -> object:
    if kind == "inlineStr":
        return "".join(t.text or "" for t in el.iter() if _local(t.tag) == "t")  # type: ignore[attr-defined]
    raw = next((v.text for v in el if _local(v.tag) == "v"), None)  # type: ignore[attr-defined]
    if raw is None:
        return ""
    if kind == "s":
        i = int(raw)
        return shared[i] if 0 <= i < len(shared) else ""
    if kind == "b":
        return raw.strip() == "1"
    if kind in ("str", "e", "d"):
        return raw
    return float(raw)


def _cells(zf: zipfile.ZipFile, part: str, shared: list[str]) -> Iterator[tuple[int, int, object]]:
    """(row, col, value) of each cell of the part that holds a value, 1-based."""
    from defusedxml.ElementTree import iterparse

    row, col = 0, 0
    with zf.open(part) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            name = _local(el.tag)
            if event == "start":
                if name == "row":
                    row = int(el.get("r") or row + 1)
                    col = 0
                continue
            if name != "c":
                if name == "row":
                    el.clear()
                continue
            ref = el.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = column_number(letters.upper())
            else:
                col += 1
            value = _value(el, el.get("t", "n"), shared)
            el.clear()
            if value != "":
                yield row, col, value


def read_sparse(zf: zipfile.ZipFile, part: str, shared: list[str], gap: int) -> list[list[object]]:
    """The sheet's rows from row 1, each only as long as its last cell ('' for an empty cell), up to
    the first run of `gap` empty rows (what lies beyond is a stray, not a table)."""
    rows: list[list[object]] = []
    for r, c, value in _cells(zf, part, shared):
        if r > len(rows) + gap:
            break
        while len(rows) < r:
            rows.append([])
        line = rows[r - 1]
        if len(line) < c:
            line.extend([""] * (c - len(line)))
        line[c - 1] = value
    return rows
