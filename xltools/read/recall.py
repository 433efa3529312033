"""Read a workbook whose layout was seen before by cell coordinates, not by searching it again.

A full read finds the tables, their rows and columns and every amount cell. When it went cleanly (no
formula saved without its value, nothing hidden, every amount a plain number, a blank or a text), the
layout is remembered: the package's parts as they were, the table sheets' XML split at its `<v>`
values with the amount cells' values replaced by their class, and the Reports read.

A later package is read by the memory when every part other than the table sheets is the same (name,
size and CRC-32: the same workbook.xml, shared strings, styles, other sheets) and each table sheet's
XML is the same but for the values of the amount cells — a value may change within its class: empty
stays empty, zero stays zero, a negative number stays negative, a whole number that could read as a
栏次 (1–39) or a code (3, 5 or 7 digits) stays exactly itself, any other number may become any other
number. Those are all the reader's choices ever depend on, so the Reports are the remembered ones with
the new amounts: one pass over the zip, the table sheets only, no search. Any other difference — a
text, a row, a style, a hidden row — and the workbook is read in full (and remembered in turn).
tests/read/test_recall.py proves the equivalence with a full read on generated workbooks.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections import Counter, OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xltools.model import Amount, Report, Row, Table
from xltools.read.grid import Package, SheetGrid
from xltools.read.locate import Anchor
from xltools.read.region import printed_amount
from xltools.text import parse_amount

CACHE_SIZE = 16  # layouts remembered per process (a batch of one template needs one)

_V = re.compile(rb"<v>([^<]*)</v>")
_CELL_OR_V = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*?)(/?)>|<v>')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')

# the classes of an amount's value (NUL never occurs in XML, so no value reads as a class)
_EMPTY, _ZERO, _NEGATIVE, _NUMBER = b"\x00empty", b"\x00zero", b"\x00negative", b"\x00number"


def value_class(v: bytes) -> bytes:
    """What the reader may see of a numeric cell's value: a whole number that could be a 栏次 or a
    code is itself, any other value only its class."""
    try:
        x = float(v)
    except ValueError:
        return v
    if not math.isfinite(x):
        return v
    if x == 0:
        return _ZERO
    if x < 0:
        return _NEGATIVE
    if x.is_integer() and (x < 40 or len(str(int(x))) in (3, 5, 7)):
        return v
    return _NUMBER


@dataclass(frozen=True)
class _Part:
    member: str
    pieces: list[bytes]  # the XML split at <v> values, amount values as their class
    amounts: tuple[int, ...]  # the pieces that are amount values


@dataclass(frozen=True)
class _Slot:
    piece: int  # index into the recipe's flat list of amount values
    scale: Decimal


@dataclass(frozen=True)
class _Recipe:
    parts: tuple[_Part, ...]
    reports: tuple[Report, ...]
    slots: tuple[tuple[_Slot | None, ...], ...]  # per report, per amount: where its value is (None: kept)
    text_year: int | None  # the year the sheets state (None: from the file name, if at all)


# the package key (table parts; every other part's name, size and CRC) → the layouts seen under it, the
# most recent last (books of one template with the same sheet names share the key, not the layout)
_MEMORY: OrderedDict[tuple[Hashable, int], _Recipe] = OrderedDict()
HITS: Counter[str] = Counter()  # reads through the memory ('hit'), and not ('miss', 'differs')


_TABLE_PARTS: OrderedDict[tuple[str, ...], None] = OrderedDict()  # the table-sheet part lists seen


def _key(zf: zipfile.ZipFile, tables: tuple[str, ...]) -> Hashable:
    others = tuple(
        sorted((i.filename, i.file_size, i.CRC) for i in zf.infolist() if i.filename not in tables)
    )
    return tables, others


def recalled(path: Path, zf: zipfile.ZipFile) -> list[Report] | None:
    """The Reports of the package `zf` read through a remembered layout, or None when none fits."""
    for tables in reversed(_TABLE_PARTS):
        key = _key(zf, tables)
        for n in range(CACHE_SIZE + 1):
            recipe = _MEMORY.get((key, n))
            if recipe is None:
                continue
            found = _replay(recipe, path, zf)
            if found is not None:
                _MEMORY.move_to_end((key, n))
                HITS["hit"] += 1
                return found
            HITS["differs"] += 1
    HITS["miss"] += 1
    return None


def forget() -> None:
    """Forget every layout (tests: the next read is a full one)."""
    _MEMORY.clear()
    _TABLE_PARTS.clear()


def _replay(recipe: _Recipe, path: Path, zf: zipfile.ZipFile) -> list[Report] | None:
    values: list[bytes] = []
    for part in recipe.parts:
        try:
            pieces = _V.split(zf.read(part.member))
        except KeyError:
            return None
        if len(pieces) != len(part.pieces):
            return None
        for i in part.amounts:
            values.append(pieces[i])
            pieces[i] = value_class(pieces[i])
        if pieces != part.pieces:
            return None
    amounts: list[Amount | None] = [None] * len(values)
    year = recipe.text_year if recipe.text_year is not None else _name_year(path)
    out = []
    for template, slots in zip(recipe.reports, recipe.slots, strict=True):
        report = _instance(template, slots, values, amounts, str(path), year)
        if report is None:
            return None
        out.append(report)
    return out


def _instance(
    template: Report,
    slots: tuple[_Slot | None, ...],
    values: list[bytes],
    made: list[Amount | None],
    path: str,
    year: int | None,
) -> Report | None:
    it = iter(slots)
    tables: dict[str, Table] = {}
    for tid, t in template.tables.items():
        rows: dict[str, Row] = {}
        for key, row in t.rows.items():
            fresh: dict[str, Amount] = {}
            for col, a in row.values.items():
                slot = next(it)
                if slot is None:
                    fresh[col] = a
                    continue
                amount = made[slot.piece]
                if amount is None or amount.cell != a.cell:
                    parsed = parse_amount(float(values[slot.piece]))
                    if parsed.value is None:  # a value no full read takes as an amount either
                        return None
                    amount = made[slot.piece] = printed_amount(parsed.value, a.cell, slot.scale)
                fresh[col] = amount
            rows[key] = _copy(row, values=fresh)
        tables[tid] = _copy(
            t,
            rows=rows,
            notes=list(t.notes),
            lines=list(t.lines),
            unread_columns=set(t.unread_columns),
            columns=dict(t.columns),
        )
    report = Report(path, template.format, tables, year, list(template.problems), dict(template.unread))
    return report


def copy_report(report: Report) -> Report:
    """A copy of `report` that shares only immutable parts (amounts, cells, problems) with it."""
    copied = _instance(report, (None,) * sum(1 for _ in report.amounts()), [], [], report.path, report.year)
    assert copied is not None
    return copied


def _copy(obj: object, **changes: object) -> object:
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def _name_year(path: Path) -> int | None:
    from xltools.read import year_in_name

    return year_in_name(str(path))


def remember(
    package: Package,
    grids: list[SheetGrid],
    anchors: list[Anchor],
    reports: list[Report],
    text_year: int | None,
) -> None:
    """Keep the layout of a package read in full and cleanly (no uncached formula, nothing hidden:
    `anchors` found on the grids as loaded), when every amount is one the memory can replay."""
    tables = sorted({a.sheet for a in anchors})
    split: list[tuple[str, list[bytes]]] = []
    where: dict[tuple[str, int, int], tuple[int, int]] = {}  # numeric cell → (part, piece of its value)
    for i, n in enumerate(tables):
        found = package.part(n)
        cells = None if found is None or found.data is None else _numeric_cells(found.data)
        if found is None or found.data is None or cells is None:
            return
        split.append((found.part, _V.split(found.data)))
        where.update({(grids[n].name, r, c): (i, 2 * v + 1) for (r, c), v in cells.items()})
    grid_of = {grids[n].name: grids[n] for n in tables}
    chosen: set[tuple[int, int]] = set()
    found_slots: list[list[tuple[tuple[int, int], Decimal] | None]] = []
    for report in reports:
        slots: list[tuple[tuple[int, int], Decimal] | None] = []
        for table, _, _, a in report.amounts():
            grid = grid_of.get(a.cell.sheet)
            if grid is None or a.formula is not None:
                return
            raw = grid.value(a.cell.row, a.cell.col)
            if raw is None or isinstance(raw, str):
                slots.append(None)  # blank or text: the same bytes give the same Amount
                continue
            at = where.get((a.cell.sheet, a.cell.row, a.cell.col))
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or at is None:
                return
            chosen.add(at)
            slots.append((at, table.scale))
        found_slots.append(slots)
    order = sorted(chosen)  # parts in order, values in order: the order _replay collects them in
    index = {at: k for k, at in enumerate(order)}
    parts = []
    for i, (member, pieces) in enumerate(split):
        mine = tuple(p for j, p in order if j == i)
        for p in mine:
            pieces[p] = value_class(pieces[p])
        parts.append(_Part(member, pieces, mine))
    for report in reports:
        for t in report.tables.values():
            t.children("")  # the hierarchy index, worked out once for every instance
    slots_all = tuple(
        tuple(None if s is None else _Slot(index[s[0]], s[1]) for s in slots) for slots in found_slots
    )
    members = tuple(member for member, _ in split)
    key = _key(package.zf, members)
    n = next(n for n in range(CACHE_SIZE + 1) if (key, n) not in _MEMORY)
    _MEMORY[(key, n)] = _Recipe(tuple(parts), tuple(reports), slots_all, text_year)
    _TABLE_PARTS[members] = None
    _TABLE_PARTS.move_to_end(members)
    while len(_MEMORY) > CACHE_SIZE:
        _MEMORY.popitem(last=False)
    while len(_TABLE_PARTS) > CACHE_SIZE:
        _TABLE_PARTS.popitem(last=False)


def _numeric_cells(data: bytes) -> dict[tuple[int, int], int] | None:
    """(row, col) of every numeric cell with a value → the index of its <v> among the part's <v>
    elements; None when a cell is written in a form this does not follow (no r, a prefix)."""
    from xltools.model import column_number

    if b"<c>" in data or b":c " in data or b"<c/>" in data:
        return None
    out: dict[tuple[int, int], int] = {}
    current: tuple[int, int] | None = None
    numeric = False
    v = -1
    for m in _CELL_OR_V.finditer(data):
        if m.group(0) == b"<v>":
            v += 1
            if current is not None and numeric:
                out[current] = v
            current = None
            continue
        if m.group(4):  # <c …/>: no value
            current = None
            continue
        t = _TYPE.search(m.group(3))
        numeric = t is None or t.group(1) == b"n"
        current = (int(m.group(2)), column_number(m.group(1).decode()))
    if v + 1 != data.count(b"<v>"):
        return None
    return out
