"""公开07, the table of one row per row key (预算数, 决算数): its items across the columns, or — the
arrangement `down` of the format data — its items down the rows and the row keys across."""

from __future__ import annotations

from xltools.formats import TableSpec
from xltools.model import Row, Table
from xltools.read.layouts import header_rows, missing_columns, new_table
from xltools.read.region import Region, Unrecognised, assign_columns, read_amount
from xltools.text import label_key

Cells = dict[int, tuple[int, int]]  # spec column index → (row, column) of its amount


def parse_single(spec: TableSpec, region: Region, title: str) -> Table:
    readings = [(_across(spec, region), "across")]
    if "down" in spec.arrangements and readings[0][0][2] < len(spec.columns):
        readings.append((_down(spec, region), "down"))
    (found, data_row, _), _ = max(readings, key=lambda x: (x[0][2], x[1] == spec.arrangements[0]))
    if not found:
        raise Unrecognised(f"未找到{spec.id}的金额列（预算数、决算数）", region.cell(region.top, region.left))
    table = new_table(spec, region, title, data_row)
    missing_columns(region, table, {i: c for i, (_, c) in found.items()}, spec.columns)
    last = data_row
    for i, (r, c) in found.items():
        col = spec.columns[i]
        row_key = col.row or "row"
        row = table.rows.setdefault(row_key, Row(row_key, col.name.split()[0]))  # '预算数 合计' → 预算数
        row.values[col.key] = read_amount(region, r, c, table.scale)
        table.columns[f"{row_key}.{col.key}"] = c
        last = max(last, r)
    table.last_row = last
    table.notes = region.notes(last + 1)
    return table


def _across(spec: TableSpec, region: Region) -> tuple[Cells, int, int]:
    """Items across: the header (and 栏次) rows name the columns, the next row holds the amounts.
    Returns the cells, the data row, and how many columns header words placed."""
    lanci_row, lanci = region.lanci(region.rows())
    if lanci_row is not None:
        data_row = lanci_row + 1
        header_end = lanci_row
    else:
        data_row = next(
            (
                r
                for r in range(region.top + 1, region.bottom + 1)
                if any(isinstance(region.value(r, c), (int, float)) for c in region.cols())
            ),
            region.top + 1,
        )
        header_end = data_row
    headers = header_rows(region, region.top + 1, header_end, lanci_row)
    paths = region.paths(headers, region.cols())
    found = assign_columns(spec.columns, list(region.cols()), paths, {}, by_order=False)
    by_words = len(found)
    if by_words < len(spec.columns):
        found = assign_columns(spec.columns, list(region.cols()), paths, lanci)
    return {i: (data_row, c) for i, c in found.items()}, data_row, by_words


def _row_words(spec: TableSpec) -> dict[str, str]:
    """Row key → the header word its columns share ('budget' → '预算')."""
    out: dict[str, str] = {}
    for col in spec.columns:
        if col.row and col.headers and col.row not in out:
            out[col.row] = label_key(col.headers[0][0])
    return out


def _down(spec: TableSpec, region: Region) -> tuple[Cells, int, int]:
    """Items down: a header row whose cells name the row keys (预算数, 决算数), the item labels in
    the column before the first of them."""
    words = _row_words(spec)
    for h in range(region.top + 1, min(region.bottom, region.top + 12) + 1):
        keyed = [c for c in region.cols() if any(w in region.header_text(h, c) for w in words.values())]
        if len(keyed) < len(words):
            continue
        label_col = max(region.left, min(keyed) - 1)
        paths: dict[int, str] = {}
        for r in range(h + 1, region.bottom + 1):
            label = label_key(region.text(r, label_col))
            if label.startswith(("注", "说明")):
                break
            if label and label != "栏次":
                paths.update({r * 100_000 + c: region.header_text(h, c) + label for c in keyed})
        found = assign_columns(spec.columns, list(paths), paths, {}, by_order=False)
        if found:
            cells = {i: divmod(key, 100_000) for i, key in found.items()}
            return cells, h + 1, len(found)
    return {}, region.top + 1, 0
