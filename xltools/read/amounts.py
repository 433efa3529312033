"""A read value as the amount it prints: the one place a value is rounded (the full read, the read of a
remembered layout and the plan's vectorised cents all follow it)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from xltools.model import CENT, Amount, Cell


def printed_amount(
    value: Decimal,
    cell: Cell,
    scale: Decimal,
    text: str | None = None,
    blank: bool = False,
    formula: str | None = None,
) -> Amount:
    """A read value as the Amount it prints, in 万元."""
    return Amount(printed(value, scale), cell, text, blank, formula, CENT * scale)


def printed(value: Decimal, scale: Decimal) -> Decimal:
    """A read value as printed: to the cent, then in 万元."""
    return value.quantize(CENT, ROUND_HALF_UP) * scale
