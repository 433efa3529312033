"""The two-sided tables 公开01 and 公开04 (the 2018 公开01 too): income on the left, expenditure on the
right, each side its own 项目/行次/amount columns; rows by name alias in order, 类 lines by class name."""

from __future__ import annotations

import re
from functools import lru_cache

from xltools.formats import TableSpec
from xltools.model import Problem, Row, Table
from xltools.read.layouts import header_rows, missing_columns, new_table, row_has_value
from xltools.read.region import Region, Unrecognised, assign_columns, read_amount
from xltools.text import label_key, parse_amount
from xltools.vocabulary import Severity

_SIDE_WORDS = ({"项目", "收入项目", "支出项目"}, {"收入", "支出"}, {"行次"})

Block = tuple[int, int, int, int]  # one side's header row, first column, column past it, last row


def _across(region: Region, sides: int) -> list[Block] | None:
    """Both sides on one header row: two 项目 cells, else 收入/支出, else two 行次."""
    for words in _SIDE_WORDS:
        for r in range(region.top + 1, min(region.bottom, region.top + 14) + 1):
            cols = [
                c
                for c in region.cols()
                if region.header_text(r, c) in words and (r, c) not in region._merge_owner
            ]
            if len(cols) >= sides:
                starts = cols if "行次" not in words else [c - 1 for c in cols]
                stops = [*starts[1:], region.width + 1]
                return [(r, c, stop, region.bottom) for c, stop in zip(starts, stops, strict=False)]
    return None


def _stacked(region: Region, sides: int) -> list[Block] | None:
    """One side above the other, each block with its own 项目 header row."""
    heads = []
    for r in region.rows():
        cols = [c for c in region.cols() if region.header_text(r, c) in _SIDE_WORDS[0]]
        if len(cols) == 1 and (r, cols[0]) not in region._merge_owner:
            heads.append((r, cols[0]))
    if len(heads) < sides:
        return None
    heads = heads[:sides]
    lasts = [r - 1 for r, _ in heads[1:]] + [region.bottom]
    return [(r, c, region.width + 1, last) for (r, c), last in zip(heads, lasts, strict=True)]


_ARRANGEMENTS = {"across": _across, "stacked": _stacked}


def parse_ledger(spec: TableSpec, region: Region, title: str) -> Table:
    blocks = next(
        (b for b in (_ARRANGEMENTS[a](region, len(spec.sides)) for a in spec.arrangements) if b), None
    )
    if blocks is None:
        raise Unrecognised("未找到收入、支出两栏的表头（“项目”列）", region.cell(region.top, region.left))
    table: Table | None = None
    last = region.top
    for side_index, (header_row, start, stop, end) in enumerate(blocks[: len(spec.sides)]):
        lanci_row, lanci = region.lanci(range(header_row, min(header_row + 4, end + 1)))
        data_start = _data_start(region, header_row, lanci_row, start)
        if table is None:
            table = new_table(spec, region, title, data_start)
        header_top = region.top + 1 if side_index == 0 else header_row
        headers = header_rows(region, header_top, data_start, lanci_row)
        paths = region.paths(headers, region.cols())
        side = spec.sides[side_index]
        line_col = next((c for c in range(start, stop) if "行次" in paths.get(c, "")), None)
        candidates = [c for c in range(start + 1, stop) if c != line_col]
        cols = assign_columns(side.columns, candidates, paths, lanci)
        missing_columns(region, table, cols, side.columns)
        for i, c in cols.items():
            table.columns[side.columns[i].key] = c
        found = _ledger_rows(region, table, spec, side_index, start, line_col, cols, (data_start, end))
        last = max(last, found)
    assert table is not None
    table.last_row = last
    table.notes = region.notes(last + 1)
    return table


def _data_start(region: Region, header_row: int, lanci_row: int | None, start: int) -> int:
    """The first row after the header and 栏次 rows of the side starting at column `start`."""
    data_start = max(header_row, lanci_row or 0) + 1
    while (
        data_start <= region.bottom
        and region.header_text(data_start, start) in ("", "栏次")
        and not row_has_value(region, data_start)
    ):
        data_start += 1
    return data_start


def _ledger_rows(
    region: Region,
    table: Table,
    spec: TableSpec,
    side_index: int,
    name_col: int,
    line_col: int | None,
    cols: dict[int, int],
    rows: tuple[int, int],
) -> int:
    """Read one side's rows (first, last) into `table`; returns the last row read."""
    side = _Side(region, table, spec, side_index, name_col, line_col, cols)
    data_start, end = rows
    last = data_start
    for r in range(data_start, end + 1):
        label = region.text(r, name_col).strip()
        key = label_key(label)
        if key.startswith(("注", "说明")):
            break
        side.note_line(r)
        if not key:
            side.unnamed(r)
            continue
        row_key = side.row_key(r, label, key)
        if row_key is not None and row_key not in table.rows:
            side.add(r, row_key, label)
            last = r
    side.missing()
    return last


class _Side:
    """One side of a ledger being read: which fixed rows are still to be found."""

    def __init__(
        self,
        region: Region,
        table: Table,
        spec: TableSpec,
        index: int,
        name_col: int,
        line_col: int | None,
        cols: dict[int, int],
    ) -> None:
        self.region, self.table, self.spec, self.index = region, table, spec, index
        self.name_col, self.line_col, self.cols = name_col, line_col, cols
        self.side = spec.sides[index]
        self.pending = [(s, frozenset(map(_loose, s.keys))) for s in self.side.rows]  # with loose keys
        self.matched: set[str] = set()

    def note_line(self, r: int) -> None:
        """Every 行次 printed on this side, named row or not (F6 looks for gaps)."""
        if self.line_col is None or self.region.value(r, self.line_col) is None:
            return
        n = parse_amount(self.region.value(r, self.line_col)).value
        if n is not None and n == n.to_integral_value():
            self.table.lines.append((self.index, int(n), self.region.cell(r, self.line_col)))

    def unnamed(self, r: int) -> None:
        if any(parse_amount(self.region.value(r, c)).value for c in self.cols.values()):
            message = f"{self.spec.id} 第 {r} 行{self.side.name}栏有金额但没有项目名称"
            self.region.problems.append(Problem("F0", message, self.region.cell(r, self.name_col)))

    def row_key(self, r: int, label: str, key: str) -> str | None:
        """The fixed row this label names (first not yet found), or — before 本年支出合计 on the
        expenditure side — the function 类 it names."""
        from xltools import codes

        loose = _loose(key)
        found = next((p for p in self.pending if key in p[0].keys or loose in p[1]), None)
        if found is not None:
            self.pending.remove(found)
            self.matched.add(found[0].key)
            return found[0].key
        if not self.side.class_lines or self.matched:  # 类 lines stand before the fixed rows
            return None
        code = codes.class_code_by_name(label)
        if code is None:
            message = f"{self.spec.id} 无法识别支出功能分类类名“{label}”"
            self.region.problems.append(Problem("F0", message, self.region.cell(r, self.name_col)))
        return code

    def add(self, r: int, row_key: str, label: str) -> None:
        region = self.region
        row = Row(
            row_key,
            label,
            region.cell(r, self.name_col),
            code=row_key if row_key.isdigit() else None,
            side=self.index,
        )
        if self.line_col is not None and region.value(r, self.line_col) is not None:
            n = parse_amount(region.value(r, self.line_col)).value
            if n is not None:
                row.line_no, row.line_cell = int(n), region.cell(r, self.line_col)
        for i, c in self.cols.items():
            row.values[self.side.columns[i].key] = read_amount(region, r, c, self.table.scale)
        self.table.rows[row_key] = row

    def missing(self) -> None:
        if not self.matched:  # not one fixed row of this side: its block was not made out
            where = self.region.cell(self.region.top, self.region.left)
            raise Unrecognised(
                f"{self.side.name}栏的固定行（如“{self.side.rows[-1].name}”）一行也没有找到", where
            )
        for s, _ in self.pending:
            if s.required:
                message = f"{self.spec.id} 缺少必需的行“{s.name}”（{self.side.name}栏）"
                self.region.problems.append(Problem("F0", message, self.region.top_left, Severity.ERROR))


@lru_cache(maxsize=4096)
def _loose(key: str) -> str:
    """A label without parenthesised remarks: '使用非财政拨款结余(含专用结余)' → '使用非财政拨款结余'."""
    return re.sub(r"\(.*?\)", "", key)
