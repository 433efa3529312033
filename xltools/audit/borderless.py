"""A table printed without cell borders: its column model from the 栏次 row and the right-aligned
amounts, or no table at all (the caller then reports it 未能可靠识别 and checks nothing on it).

Never a guessed amount: every amount on the table's rows must sit right-aligned in exactly one value
column that the 栏次 row numbers, or the whole table is refused."""

from __future__ import annotations

import re
from collections.abc import Sequence

from xltools.audit.cells import Cell, Line, TableGrid
from xltools.text import parse_code, squash

_AMOUNT = re.compile(r"^[-(]?[\d,，\s]*\d[.．]\s*\d{2}\)?$|^[-(]?\d[\d,，]*\)?$|^[-—－–]+$")
ALIGN = 2.5  # points: right edges of one column's amounts agree within this


def unruled_grid(lines: Sequence[Line], page: int) -> TableGrid | None:
    """The grid of a borderless table whose lines (below its title, 部门 and 单位 lines) are `lines`,
    or None when its columns cannot be known for sure."""
    rows = _rows(lines)
    lanci_at = next((i for i, r in enumerate(rows) if any(squash(x.text) == "栏次" for x in r)), None)
    if lanci_at is None:
        return None
    centres = _lanci_centres(rows[lanci_at])
    if not centres:
        return None
    body: list[list[Line]] = []
    for r in rows[lanci_at + 1 :]:
        if squash(r[0].text).startswith("注"):
            break
        body.append(r)
    if not body:
        return None
    split = _name_column(body, centres[0])
    grid_rows: list[tuple[Cell | None, ...]] = []
    for r in rows[: lanci_at + 1]:
        grid_rows.append(_header_row(r, centres, split, page))
    for r in body:
        placed = _data_row(r, centres, split, page)
        if placed is None:
            return None
        grid_rows.append(placed)
    if not _aligned(grid_rows[lanci_at + 1 :], len(centres)):
        return None
    return TableGrid(
        page, _bounds([x for r in rows[: lanci_at + 1 + len(body)] for x in r]), tuple(grid_rows)
    )


def _rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines grouped into printed rows (vertical centres within half a line), left to right."""
    out: list[list[Line]] = []
    for ln in sorted(lines, key=lambda line: ((line.bbox[1] + line.bbox[3]) / 2, line.bbox[0])):
        mid = (ln.bbox[1] + ln.bbox[3]) / 2
        if out:
            last = out[-1][0]
            if abs(mid - (last.bbox[1] + last.bbox[3]) / 2) < (last.bbox[3] - last.bbox[1]) / 2:
                out[-1].append(ln)
                continue
        out.append([ln])
    return [sorted(r, key=lambda line: line.bbox[0]) for r in out]


def _lanci_centres(row: list[Line]) -> list[float]:
    """The x-centres of the numbers 1, 2, … n printed on the 栏次 row (nothing else allowed)."""
    numbers = [x for x in row if squash(x.text) != "栏次"]
    texts = [squash(x.text) for x in numbers]
    if not numbers or texts != [str(i) for i in range(1, len(texts) + 1)]:
        return []
    return [(x.bbox[0] + x.bbox[2]) / 2 for x in numbers]


def _name_column(body: list[list[Line]], first_value: float) -> float:
    """The left edge of the name column: the leftmost label that is not a code (+∞ when none)."""
    lefts = [
        x.bbox[0]
        for r in body
        for x in r
        if x.bbox[2] < first_value and parse_code(squash(x.text))[0] is None and squash(x.text) != "合计"
    ]
    return min(lefts) - 1 if lefts else float("inf")


def _value_column(x: Line, centres: list[float]) -> int | None:
    """The value column (0-based) an amount stands in: its right edge past that column's centre
    and short of the next one's, its left edge past the previous one's."""
    right, left = x.bbox[2], x.bbox[0]
    for k, c in enumerate(centres):
        nxt = centres[k + 1] if k + 1 < len(centres) else float("inf")
        prev = centres[k - 1] if k else float("-inf")
        if c < right < nxt and left > prev:
            return k
    return None


def _header_row(r: list[Line], centres: list[float], split: float, page: int) -> tuple[Cell | None, ...]:
    cells: list[Cell | None] = [None] * (2 + len(centres))
    half = (centres[1] - centres[0]) / 2 if len(centres) > 1 else 40.0
    for x in r:
        mid = (x.bbox[0] + x.bbox[2]) / 2
        k = next((k for k, c in enumerate(centres) if abs(mid - c) <= half), None)
        j = 2 + k if k is not None else (0 if x.bbox[0] < split else 1)
        _put(cells, j, x, page)
    return tuple(cells)


def _data_row(r: list[Line], centres: list[float], split: float, page: int) -> tuple[Cell | None, ...] | None:
    cells: list[Cell | None] = [None] * (2 + len(centres))
    for x in r:
        if x.bbox[2] <= centres[0]:  # left of the first value column: a code or a name
            _put(cells, 0 if x.bbox[0] < split else 1, x, page)
            continue
        if not _AMOUNT.match(x.text.strip()):
            return None  # text among the amounts: the columns are not what the 栏次 row says
        k = _value_column(x, centres)
        if k is None or cells[2 + k] is not None:
            return None
        cells[2 + k] = Cell(x.text, page, x.bbox, x.source, x.confidence)
    return tuple(cells)


def _put(cells: list[Cell | None], j: int, x: Line, page: int) -> None:
    old = cells[j]
    text = x.text if old is None else f"{old.text}{x.text}"
    box = x.bbox if old is None else _bounds([x, Line(old.text, page, old.bbox)])
    cells[j] = Cell(text, page, box, x.source, x.confidence)


def _aligned(rows: list[tuple[Cell | None, ...]], n: int) -> bool:
    """Each value column's amounts share one right edge (they are right-aligned in one column)."""
    for k in range(n):
        rights = [r[2 + k].bbox[2] for r in rows if r[2 + k] is not None]  # type: ignore[union-attr]
        if rights and max(rights) - min(rights) > ALIGN:
            return False
    return True


def _bounds(lines: Sequence[Line]) -> tuple[float, float, float, float]:
    return (
        min(x.bbox[0] for x in lines),
        min(x.bbox[1] for x in lines),
        max(x.bbox[2] for x in lines),
        max(x.bbox[3] for x in lines),
    )
