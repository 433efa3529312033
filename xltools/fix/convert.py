"""Text numbers to numbers, and blank cells a relation determines (a total whose parts are printed,
a copy another table prints) to the value that makes the relation hold."""

from __future__ import annotations

from decimal import Decimal

from xltools.fix.model import Change
from xltools.fix.system import Relation, System
from xltools.model import Cell
from xltools.text import parse_amount
from xltools.vocabulary import HOLDS, ChangeKind


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
                ChangeKind.TEXT,
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

    A blank total or copy is derived first from relations whose other cells are all printed; only
    when none is left, from one whose other blank cells are parts (a blank part is a printed zero, as
    in 本年收入合计 = lines 1–8 with most lines empty), one fill at a time. A fill is kept only when,
    in the end, every relation using the cell holds (pass or tail)."""
    filled: dict[Cell, Relation] = {}
    while _fill_round(system, values, filled, lenient=False) or _fill_round(
        system, values, filled, lenient=True
    ):
        pass
    while broken := [c for c in filled if any(r.verdict(values) not in HOLDS for r in system.by_cell[c])]:
        for c in broken:  # undoing one fill can break another that leaned on it: repeat until none
            values[c] = system.values[c]
            del filled[c]
    return [
        _fill_change(system, values, c, _explaining(system, values, c, rel), set(filled))
        for c, rel in sorted(filled.items())
    ]


def _explaining(system: System, values: dict[Cell, Decimal], cell: Cell, used: Relation) -> Relation:
    """The relation to cite for a fill: a clerk sums the parts in the same table before copying from
    another, so a within-table relation that now holds exactly is named instead of a cross-table one."""
    if _one_table(used):
        return used
    return next(
        (
            r
            for r in system.by_cell[cell]
            if _one_table(r) and r.relation == "=" and _whole_side(r, cell) and r.difference(values) == 0
        ),
        used,
    )


def _one_table(rel: Relation) -> bool:
    return len({op.table for op in (*rel.check.left, *rel.check.right)}) == 1


def _fill_round(
    system: System, values: dict[Cell, Decimal], filled: dict[Cell, Relation], *, lenient: bool
) -> bool:
    progress = False
    for rel in system.violated(values):
        if rel.relation != "=" and rel.check.hard != ">=":
            continue
        blanks = [c for c in rel.cells() if c not in filled and _blank(system, c)]
        # the blank must be a total or a copy from another table — never one of several parts
        wholes = [c for c in blanks if _whole_side(rel, c)]
        if len(wholes) != 1 or (len(blanks) != 1 and not lenient):
            continue
        cell = wholes[0]
        k = rel.coef(cell)
        new = values[cell] - rel.difference(values) / k
        if new <= 0 or new % system.step(cell) != 0:
            continue
        old = values[cell]
        values[cell] = new
        if all(r.verdict(values) in HOLDS or _pending(system, r, filled, cell) for r in system.by_cell[cell]):
            filled[cell] = rel
            if lenient:
                return True  # one guess at a time: strict fills come first again
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


def _fill_change(
    system: System, values: dict[Cell, Decimal], cell: Cell, rel: Relation, filled: set[Cell]
) -> Change:
    new = system.printed(cell, values[cell])
    others = [c for c in rel.cells() if c != cell]
    printed = [c.a1() for c in others if c in filled or not _blank(system, c)]
    shown = "、".join(printed[:4]) + (f" 等 {len(printed)} 格" if len(printed) > 4 else "")
    if len(printed) < len(others):  # name only what is printed: 01-A1 has eight lines, mostly empty
        shown += f"（其余 {len(others) - len(printed)} 格为空，按 0 计）"
    else:
        shown += " "
    return Change(
        ChangeKind.BLANK,
        cell,
        system.amounts[cell].text,
        new.quantize(system.step(cell) / system.scales[cell]),
        rel.rule,
        f"该格为空（按 0 计）使 {rel.rule}（{rel.check.subject}）不成立；由 {shown}推得 {new:f}",
    )
