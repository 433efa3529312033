"""Typing slips (deducorrect's correctTypos, on cells): a violated relation that one slip in one cell
explains — two adjacent digits swapped, one digit wrong, the decimal point shifted — while every
other relation using that cell keeps holding. Proposed only when no other slip explains as much."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xltools.fix.model import Change
from xltools.fix.system import Relation, System
from xltools.model import Cell
from xltools.vocabulary import HOLDS, ChangeKind, Verdict

SLIPS = {"swap": "相邻两位数字颠倒", "digit": "一位数字录错", "point": "小数点错位"}


@dataclass(frozen=True)
class Slip:
    cell: Cell
    new: Decimal  # printed unit
    how: str
    explains: frozenset[int]  # indexes of the violated relations it makes hold


def variants(printed: Decimal, places: int) -> Iterator[tuple[Decimal, str]]:
    """Every value one slip away from `printed` (shown with `places` decimals)."""
    text = f"{abs(printed):.{places}f}"
    sign = -1 if printed < 0 else 1
    chars = list(text)
    for i in range(len(chars) - 1):
        if chars[i].isdigit() and chars[i + 1].isdigit() and chars[i] != chars[i + 1]:
            swapped = [*chars[:i], chars[i + 1], chars[i], *chars[i + 2 :]]
            yield _number("".join(swapped), sign), "swap"
    for i, ch in enumerate(chars):
        if ch.isdigit():
            for d in "0123456789":
                if d != ch:
                    yield _number("".join([*chars[:i], d, *chars[i + 1 :]]), sign), "digit"
    for shift in (Decimal(10), Decimal(100), Decimal("0.1"), Decimal("0.01")):
        moved = printed * shift
        if moved == moved.quantize(Decimal(1).scaleb(-places)):
            yield moved.quantize(Decimal(1).scaleb(-places)), "point"


def _number(text: str, sign: int) -> Decimal:
    try:
        return sign * Decimal(text)
    except InvalidOperation:  # pragma: no cover - digits only
        return Decimal(0)


def find_slips(system: System, values: dict[Cell, Decimal]) -> list[Slip]:
    """The slips that explain violated relations, each explaining a set no rival slip matches."""
    violated = {i: r for i, r in enumerate(system.relations) if r.verdict(values) not in HOLDS}
    found: list[Slip] = []
    cells = sorted({c for r in violated.values() for c in r.cells() if system.editable(c)})
    for cell in cells:
        if system.amounts[cell].blank:
            continue
        found.extend(_slips_of(system, values, cell, violated))
    return [
        s
        for s in found
        if not any(
            o is not s and o.explains & s.explains and len(o.explains) >= len(s.explains) for o in found
        )
    ]


def _slips_of(
    system: System, values: dict[Cell, Decimal], cell: Cell, violated: dict[int, Relation]
) -> Iterator[Slip]:
    scale = system.scales[cell]
    places = max(0, -(system.step(cell) / scale).normalize().as_tuple().exponent)  # type: ignore[operator]
    old = values[cell]
    rels = system.by_cell[cell]
    index = {id(r): i for i, r in enumerate(system.relations)}
    before = {id(r): r.verdict(values) for r in rels}
    seen: set[Decimal] = set()
    for new, how in variants(system.printed(cell, old), places):
        if new in seen or new < 0 <= old:
            continue
        seen.add(new)
        values[cell] = new * scale
        after = {id(r): r.verdict(values) for r in rels}
        values[cell] = old
        if any(after[k] not in HOLDS for k in after) or any(
            before[k] == Verdict.PASS != after[k] for k in after
        ):
            continue
        explains = frozenset(index[k] for k in after if index[k] in violated)
        if explains:
            yield Slip(cell, new, how, explains)


def typo_changes(system: System, values: dict[Cell, Decimal], slips: list[Slip]) -> list[Change]:
    """The slips as changes of kind 'typo' (疑似录入错误)."""
    out = []
    for s in slips:
        rules = "、".join(dict.fromkeys(system.relations[i].rule for i in sorted(s.explains)))
        old_printed = system.printed(s.cell, values[s.cell])
        a = system.amounts[s.cell]
        old = a.text if a.text is not None else old_printed
        reason = (
            f"疑似录入错误（{SLIPS[s.how]}）：改为 {s.new:f} 后 {rules} 成立，其余关系仍成立；"
            "请核对原始凭证后确认（--accept-typos）"
        )
        out.append(
            Change(ChangeKind.TYPO, s.cell, old, s.new, system.relations[min(s.explains)].rule, reason)
        )
    return out
