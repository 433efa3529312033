"""Find the 公开 tables in a workbook: by title, by the 公开NN表 marker or by sheet name, wherever
they stand — one a sheet, several stacked on one sheet, blank rows above."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from xltools.formats import Format, families
from xltools.read.grid import SheetGrid
from xltools.text import label_key

_MARKER = re.compile(r"^(?:部门)?公开0?([1-9])表?$|^公开0?([1-9])表")
_SHEET_NUMBER = re.compile(r"^(?:公开|表|附表|公开表)0?([1-9])(?:表)?$")
_CHINESE_DIGITS = "一二三四五六七八九"
MAX_TITLE_EXTRA = 40  # characters a title cell may carry besides the title (year, department)


@dataclass(frozen=True)
class Anchor:
    """Where a table starts: its sheet and row, the title text it was found by, and the number
    (1–9) a 公开NN marker or sheet name gave it."""

    sheet: int
    row: int
    col: int
    title: str | None  # the matched title alias (its label_key), None when found by number only
    number: int | None


@cache
def _title_index() -> list[tuple[str, str]]:
    """(title label_key, the same) for every title and alias of every format, longest first."""
    keys = {label_key(t) for f in _all_formats() for spec in f.tables.values() for t in spec.titles}
    return sorted(((k, k) for k in keys), key=lambda kv: -len(kv[0]))


def _all_formats() -> list[Format]:
    return [f for group in families().values() for f in group]


@lru_cache(maxsize=8192)
def match_title(text: str) -> str | None:
    """The title alias a cell's text names, allowing a year/department prefix: the longest alias
    the text ends with ('一般公共预算财政拨款支出决算表' is 公开05's, not 公开03's '支出决算表')."""
    s = label_key(text)
    if not s or s.startswith("注") or len(s) > 80:
        return None
    s = re.sub(r"[（(](?:公开)?0?[1-9]表?[)）]$", "", s)
    s = re.sub(r"公开0?[1-9]表?$", "", s)
    if "表" not in s[-8:]:  # every title ends in 表, give or take a short suffix such as （2021）
        return None
    for key, _ in _title_index():
        if s.endswith(key) and len(s) - len(key) <= MAX_TITLE_EXTRA:
            return key
        if (
            s.startswith(key)
            and len(s) - len(key) <= 6
            and re.fullmatch(r"[（(]?\d*[)）]?表?", s[len(key) :])
        ):
            return key
    return None


def match_marker(text: str) -> int | None:
    if len(text) > 24:  # '公开01表', '公开 01 表'; a title with its marker is match_title's
        return None
    s = label_key(text)
    m = _MARKER.search(s)
    if m:
        return int(m.group(1) or m.group(2))
    return None


def sheet_number(name: str) -> int | None:
    s = label_key(name)
    m = _SHEET_NUMBER.match(s)
    if m:
        return int(m.group(1))
    m = re.match(r"^[(（]?([一二三四五六七八九])[)）、]?", name.strip())
    if m and match_title(name[m.end() :]):
        return _CHINESE_DIGITS.index(m.group(1)) + 1
    return None


def find_anchors(grids: list[SheetGrid]) -> list[Anchor]:
    """Every title and marker cell, a marker folded into the title just above or below it; a sheet
    with neither takes its name as title or number."""
    anchors: list[Anchor] = []
    for index, grid in enumerate(grids):
        titles: list[Anchor] = []
        markers: list[Anchor] = []
        for r, row in enumerate(grid.rows, start=1):
            for c, v in enumerate(row, start=1):
                if not isinstance(v, str) or len(v) > 120 or ("表" not in v and "公开" not in v):
                    continue
                title = match_title(v)
                if title:
                    titles.append(Anchor(index, r, c, title, match_marker(v)))
                    continue
                number = match_marker(v)
                if number:
                    markers.append(Anchor(index, r, c, None, number))
        anchors.extend(_merge(titles, markers))
        if not titles and not markers:
            name_title = match_title(grid.name)
            number = sheet_number(grid.name)
            if (name_title or number) and grid.height:
                first = next(
                    (i for i, row in enumerate(grid.rows, 1) if any(v not in (None, "") for v in row)), 1
                )
                anchors.append(Anchor(index, first, 1, name_title, number))
        elif not any(a.sheet == index and a.number for a in anchors):
            number = sheet_number(grid.name)
            if number and len(titles) == 1:
                anchors = [
                    a if a is not titles[0] else Anchor(a.sheet, a.row, a.col, a.title, number)
                    for a in anchors
                ]
    return anchors


def _merge(titles: list[Anchor], markers: list[Anchor]) -> list[Anchor]:
    out: list[Anchor] = []
    used: set[int] = set()
    for t in titles:
        number = t.number
        near = [i for i, m in enumerate(markers) if i not in used and -2 <= m.row - t.row <= 4]
        if near and number is None:  # the nearest marker: tables may stand side by side
            i = min(near, key=lambda i: (markers[i].col < t.col, abs(markers[i].col - t.col)))
            number = markers[i].number
            used.add(i)
        out.append(Anchor(t.sheet, t.row, t.col, t.title, number))
    for i, m in enumerate(markers):
        if i not in used and not any(abs(m.row - t.row) <= 6 for t in titles):
            out.append(m)
    return out


def titles_of(fmt: Format) -> dict[str, list[str]]:
    """title label_key → the table ids of `fmt` that carry it (2018: two for 财政拨款总表)."""
    out: dict[str, list[str]] = {}
    for tid in fmt.table_ids:
        for t in fmt.tables[tid].titles:
            out.setdefault(label_key(t), []).append(tid)
    return out


def detect_family(anchors: list[Anchor]) -> Format:
    """The base format whose titles the anchors name best; 2018 when 财政拨款总表 comes twice
    and neither 收入支出决算总表 nor 公开09 appears."""
    bases = [group[0] for group in families().values()]
    found = [a.title for a in anchors if a.title]

    def score(fmt: Format) -> tuple[int, str]:
        index = titles_of(fmt)
        counts = Counter(t for t in found if t in index)
        return sum(min(len(index[t]), n) for t, n in counts.items()), fmt.id

    return max(bases, key=score)


def assign(anchors: list[Anchor], fmt: Format) -> dict[str, list[Anchor]]:
    """Table id → the anchors that may be it, in workbook order."""
    index = titles_of(fmt)
    out: dict[str, list[Anchor]] = {}
    seen: dict[str, int] = {}
    for a in anchors:
        ids = index.get(a.title or "", [])
        tid: str | None = None
        if a.number and 0 < a.number <= len(fmt.table_ids):
            by_number = fmt.table_ids[a.number - 1]
            if not ids or by_number in ids:
                tid = by_number
        if tid is None and ids:
            n = seen.get(a.title or "", 0)
            seen[a.title or ""] = n + 1
            tid = ids[min(n, len(ids) - 1)]
        if tid:
            out.setdefault(tid, []).append(a)
    return out


BAND_ROWS = 3  # titles of tables standing side by side are at most this many rows apart


@dataclass(frozen=True)
class Bounds:
    """A table's rectangle on its sheet, and how many rows above its title may carry its 部门 line."""

    top: int
    bottom: int
    left: int
    right: int | None
    above: int


def table_bounds(anchors: list[Anchor], grids: list[SheetGrid]) -> dict[Anchor, Bounds]:
    """Each anchor's rectangle: bounded by the next table to its right (at a blank separating column
    when there is one) and by the next table below it whose columns overlap its own."""
    out: dict[Anchor, Bounds] = {}
    by_sheet: dict[int, list[Anchor]] = {}
    for a in anchors:
        by_sheet.setdefault(a.sheet, []).append(a)
    for sheet, group in by_sheet.items():
        grid = grids[sheet]
        cols = _column_bounds(group, grid)
        for a in group:
            left, right = cols[a]
            under = [b.row for b in group if b.row > a.row and _overlap(cols[b], (left, right))]
            over = [b.row for b in group if b.row < a.row and _overlap(cols[b], (left, right))]
            bottom = min(under) - 1 if under else grid.height
            above = max(0, min(3, a.row - 1 - (max(over) if over else 0)))
            out[a] = Bounds(a.row, bottom, left, right, above)
    return out


def _overlap(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
    return a[0] <= (b[1] or 16384) and b[0] <= (a[1] or 16384)


def _column_bounds(group: list[Anchor], grid: SheetGrid) -> dict[Anchor, tuple[int, int | None]]:
    out: dict[Anchor, tuple[int, int | None]] = {a: (1, None) for a in group}
    for a in group:
        beside = [b for b in group if b.col > a.col and abs(b.row - a.row) <= BAND_ROWS]
        if not beside:
            continue
        b = min(beside, key=lambda x: x.col)
        top = min(a.row, b.row)
        below = [x.row for x in group if x.row > top + BAND_ROWS]
        gap = _last_blank_run(grid, top, min([top + 60, *(r - 1 for r in below)]), a.col + 1, b.col - 1)
        split_left, split_right = gap if gap else (b.col, b.col - 1)
        out[a] = (out[a][0], split_left - 1)
        out[b] = (split_right + 1, out[b][1])
    return out


def _last_blank_run(grid: SheetGrid, top: int, bottom: int, first: int, last: int) -> tuple[int, int] | None:
    """The last run of columns first..last that are blank on rows top..bottom (merges count as
    filled), as (first column of the run, last column of the run)."""
    filled: set[int] = set()
    for r in range(top, min(bottom, grid.height) + 1):
        row = grid.rows[r - 1]
        filled.update(c for c in range(first, min(last, len(row)) + 1) if row[c - 1] not in (None, ""))
    for r1, c1, r2, c2 in grid.merges:
        if r1 <= bottom and r2 >= top:
            filled.update(range(max(c1, first), min(c2, last) + 1))
    blank = [c for c in range(first, last + 1) if c not in filled]
    if not blank:
        return None
    end = start = blank[-1]
    while start - 1 in blank:
        start -= 1
    return start, end
