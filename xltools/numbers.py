"""Decimal rounding shared by the worksheet functions and the prose: half up, as the reports round."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def round_half_up(value: Decimal, decimals: int = 2) -> Decimal:
    return value.quantize(quantum(decimals), ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal, decimals: int = 2) -> Decimal | None:
    """part / whole in %, rounded half up; None when the whole is zero (no percentage exists)."""
    if whole == ZERO:
        return None
    return round_half_up(part / whole * HUNDRED, decimals)
