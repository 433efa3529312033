"""Which 公开 table each ruled table is — by its 公开NN marker or title printed above it, else by its
header; never by where it stands — and which tables continue on the next page.

Whatever read the cells (text layer or OCR), the pages come here as Page/TableGrid/Line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from xltools.audit.cells import Line, Page, TableGrid
from xltools.formats import Format, families
from xltools.read.locate import match_marker, match_title
from xltools.text import label_key, squash

_HEAD_START = re.compile(r"^(?:编制)?(?:部门|单位)[:：]|^\d{4}\s*年度?$|公开0?[1-9]表")
PAGE_NUMBER = re.compile(r"^[-—－\s第]*\d+[-—－\s页]*$|^第\d+页(?:共\d+页)?$")
HEADER_ROWS = 5  # the rows of a table that may hold its header


@dataclass
class FoundTable:
    """One 公开 table as printed: the lines above it, its ruled grids (several when it runs over
    pages), the notes below it, and how it was known."""

    key: tuple[str | None, int | None]  # (title alias, marker number)
    by: str  # 'marker', 'title', 'header' or 'continued'
    head: list[Line] = field(default_factory=list)
    grids: list[TableGrid] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    title: str | None = None  # a title the header gave, when none was printed

    @property
    def pages(self) -> list[int]:
        return sorted({g.page for g in self.grids} | {line.page for line in self.head})

    def name(self) -> str:
        title, number = self.key
        if number:
            return f"公开{number:02d}"
        return self.title or title or "未命名表"


def identify(pages: Sequence[Page]) -> list[FoundTable]:
    """Every table of the report in printed order, continued tables joined."""
    found: list[FoundTable] = []
    for page in pages:
        if page.kind != "table":
            unruled = _unruled(page)
            if unruled is not None:
                found.append(unruled)
            continue
        grids = sorted(page.tables, key=lambda g: g.bbox[1])
        lines = sorted(page.lines, key=lambda line: (line.bbox[1], line.bbox[0]))
        top = 0.0
        for i, grid in enumerate(grids):
            bottom = grids[i + 1].bbox[1] if i + 1 < len(grids) else page.height + 1
            between = [ln for ln in lines if top <= ln.bbox[1] and ln.bbox[3] <= grid.bbox[1] + 1]
            after = [ln for ln in lines if grid.bbox[3] - 1 <= ln.bbox[1] and ln.bbox[3] <= bottom]
            _place(found, grid, between, first_on_page=i == 0)
            found[-1].notes.extend(_notes(after, last=i + 1 == len(grids)))
            top = grid.bbox[3] - 1
    return found


_AMOUNT = re.compile(r"^-?[\d,]+\.\d{2}$")


def _unruled(page: Page) -> FoundTable | None:
    """A table printed without cell borders: its title or marker at the top of a page of amounts.
    Its grid comes from the column model (audit/borderless.py); without one it is known (so it is
    not reported missing) but has no grid, and nothing on it is checked."""
    from xltools.audit.borderless import unruled_grid

    ordered = sorted(page.lines, key=lambda line: (line.bbox[1], line.bbox[0]))
    head: list[Line] = []
    for ln in ordered[:8]:
        if not (_HEAD_START.search(squash(ln.text)) or match_title(ln.text) or match_marker(ln.text)):
            break
        head.append(ln)
    key, by = _key(head, TableGrid(page.number, (0, 0, 0, 0), ()))
    amounts = sum(1 for ln in page.lines if _AMOUNT.match(squash(ln.text)))
    if by not in ("marker", "title") or amounts < 3:
        return None
    grid = unruled_grid(ordered[len(head) :], page.number)
    if grid is None:
        return FoundTable(key, "unruled", head=head)
    below = [ln for ln in ordered[len(head) :] if ln.bbox[1] >= grid.bbox[3] - 1]
    return FoundTable(key, "unruled", head=head, grids=[grid], notes=_notes(below, last=True))


def _notes(lines: list[Line], last: bool) -> list[Line]:
    """The lines under a table that belong to it (注：…), not the head of the next one nor a page number."""
    out: list[Line] = []
    for ln in lines:
        text = squash(ln.text)
        if PAGE_NUMBER.match(text):
            continue
        if not last and (_HEAD_START.search(text) or match_title(ln.text)):
            break
        out.append(ln)
    return out


def _place(found: list[FoundTable], grid: TableGrid, head: list[Line], first_on_page: bool) -> None:
    key, by = _key(head, grid)
    prev = found[-1] if found else None
    if prev is not None and first_on_page and prev.grids and _continues(prev, grid, key, by):
        prev.grids.append(grid)
        return
    table = FoundTable(key, by, head=head, grids=[grid])
    if by == "header":
        table.title = key[0]
    found.append(table)


def _continues(prev: FoundTable, grid: TableGrid, key: tuple[str | None, int | None], by: str) -> bool:
    """The same id again means "continued"; a grid with no id at all continues the table before it
    when it has as many columns."""
    if prev.grids[-1].page != grid.page - 1:
        return False
    if by in ("marker", "title", "header"):
        return _same(prev.key, key)
    return by == "none" and width(prev.grids[-1]) == width(grid)


def _same(a: tuple[str | None, int | None], b: tuple[str | None, int | None]) -> bool:
    if a[1] and b[1]:
        return a[1] == b[1]
    return a[0] is not None and a[0] == b[0]


def width(grid: TableGrid) -> int:
    return max((len(r) for r in grid.rows), default=0)


def _key(head: list[Line], grid: TableGrid) -> tuple[tuple[str | None, int | None], str]:
    title: str | None = None
    number: int | None = None
    inside = [c.text for row in grid.rows[:3] for c in row if c is not None and c.text]  # title ruled in
    for text in [ln.text for ln in head] + inside:
        title = title or match_title(text)
        number = number or match_marker(text) or _marker_in(text)
    if number:
        return (title, number), "marker"
    if title:
        return (title, None), "title"
    by_header = header_title(grid)
    if by_header:
        return (by_header, None), "header"
    return (None, None), "none"


def _marker_in(text: str) -> int | None:
    m = re.search(r"公开\s*0?([1-9])\s*表", squash(text))
    return int(m.group(1)) if m else None


def header_title(grid: TableGrid) -> str | None:
    """The title of the one table whose column headers the grid's first rows print, or None when
    no table (or more than one) fits: at least three of its columns named, more than any other."""
    words = label_key("".join(c.text for row in grid.rows[:HEADER_ROWS] for c in row if c is not None))
    scores = sorted(
        ((_score(spec_headers, words), t) for t, spec_headers in _headers().items()), reverse=True
    )
    if not scores or scores[0][0] < 3 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return label_key(scores[0][1])


def _score(columns: Iterable[tuple[tuple[str, ...], ...]], words: str) -> int:
    return sum(any(all(label_key(w) in words for w in alt) for alt in alts) for alts in columns)


@cache
def _headers() -> dict[str, tuple[tuple[tuple[str, ...], ...], ...]]:
    """Title → the header alternatives of its columns, over the base formats."""
    out: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {}
    for fmt in _bases():
        for spec in fmt.tables.values():
            out.setdefault(spec.titles[0], tuple(c.headers for c in spec.all_columns()))
    return out


def _bases() -> list[Format]:
    return [group[0] for group in families().values()]
