"""Text numbers to numbers, and blank cells a relation determines (a total whose parts are printed,
a copy another table prints) to the value that makes the relation hold."""

from __future__ import annotations

from decimal import Decimal

from xltools.fix.model import Change
from xltools.fix.system import HOLDS, Relation, System
from xltools.model import Cell
from xltools.text import parse_amount


def text_changes(system: System) -> list[Change]:
    """One change per amount stored as text ('　979.88', '1,022.32', full-width digits, '0.00').
    A '-' or other zero mark is a printed zero, not a number: it stays as typed."""
    out: list[Change] = []
    for cell in sorted(system.amounts):
        a = system.amounts[cell]
        if a.text is None or a.blank or a.formula is not None:
            continue
        value = parse_amount(a.text).value
        if value is None:
            continue
        out.append(
            Change(
                "text",
                cell,
                a.text,
                value,
                "文本数字",
                f"数字以文本存储（“{a.text}”），Excel/WPS 不会把它计入求和；改为数值 {value:f}",
            )
        )
    return out


def blank_fills(system: System, values: dict[Cell, Decimal]) -> list[Change]:
    """Fill blank cells that one violated '=' relation determines; `values` is updated in place.

    A fill is kept only when, in the end, every relation using the cell holds (pass or tail)."""
    filled: dict[Cell, Relation] = {}
    while True:
        step = _fill_round(system, values, filled)
        if not step:
            break
    broken = [c for c in filled if any(r.verdict(values) not in HOLDS for r in system.by_cell[c])]
    for c in broken:
        values[c] = system.values[c]
        del filled[c]
    return [_fill_change(system, values, c, rel) for c, rel in sorted(filled.items())]


def _fill_round(system: System, values: dict[Cell, Decimal], filled: dict[Cell, Relation]) -> bool:
    progress = False
    for rel in system.violated(values):
        if rel.relation != "=" and rel.check.hard != ">=":
            continue
        blanks = [c for c in rel.cells() if c not in filled and _blank(system, c)]
        if len(blanks) != 1:
            continue
        cell = blanks[0]
        if not _whole_side(rel, cell):  # a total, or a copy from another table — never one of several parts
            continue
        k = rel.coef(cell)
        new = values[cell] - rel.difference(values) / k
        if new <= 0 or new % system.step(cell) != 0:
            continue
        old = values[cell]
        values[cell] = new
        if all(r.verdict(values) in HOLDS or _pending(system, r, filled, cell) for r in system.by_cell[cell]):
            filled[cell] = rel
            progress = True
        else:
            values[cell] = old
    return progress


def _whole_side(rel: Relation, cell: Cell) -> bool:
    sides = (rel.check.left, rel.check.right)
    return any(len(side) == 1 and side[0].term.cells == (cell,) for side in sides)


def _blank(system: System, cell: Cell) -> bool:
    a = system.amounts.get(cell)
    return a is not None and a.blank and a.formula is None


def _pending(system: System, rel: Relation, filled: dict[Cell, Relation], cell: Cell) -> bool:
    """A relation broken only until another of its blank cells is filled too."""
    return any(c != cell and c not in filled and _blank(system, c) for c in rel.cells())


def _fill_change(system: System, values: dict[Cell, Decimal], cell: Cell, rel: Relation) -> Change:
    new = system.printed(cell, values[cell])
    others = [c.a1() for c in rel.cells() if c != cell]
    shown = "、".join(others[:4]) + (f" 等 {len(others)} 格" if len(others) > 4 else "")
    old = system.amounts[cell].text
    return Change(
        "blank",
        cell,
        old,
        new.quantize(system.step(cell) / system.scales[cell]),
        rel.rule,
        f"该格为空（按 0 计）使 {rel.rule}（{rel.check.subject}）不成立；由 {shown} 推得 {new:f}",
    )
