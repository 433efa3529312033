"""Numbers in prose: amounts in 万元, shares and rates rounded half up, and the range a ratio of
printed amounts can take."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from xltools.numbers import HUNDRED, ZERO, quantum, round_half_up
from xltools.numbers import percent as percent  # the prose and the worksheet functions round alike

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")  # a printed amount in 万元 stands for a value within ± half a cent


def money(value: Decimal) -> str:
    """2282.14 → '2282.14万元' (two decimals, no thousands separators, as the reports print)."""
    return f"{value.quantize(CENT, ROUND_HALF_UP)}万元"


def truncate(value: Decimal, decimals: int = 2) -> Decimal:
    return value.quantize(quantum(decimals), ROUND_DOWN)


def pct(value: Decimal) -> str:
    """97.49 → '97.49%'; 100.00 → '100%' and 0.00 → '0%', as the reports write whole numbers."""
    if value == value.to_integral_value():
        return f"{value.to_integral_value()}%"
    return f"{value}%"


def decimals_of(text: str) -> int:
    """'10.93' → 2, '80.0' → 1, '100' → 0."""
    return len(text.split(".", 1)[1]) if "." in text else 0


@dataclass(frozen=True)
class Ratio:
    """A ratio (in %) of printed amounts: its value and the range the true amounts allow."""

    value: Decimal
    low: Decimal
    high: Decimal

    def rounded(self, decimals: int) -> Decimal:
        return round_half_up(self.value, decimals)

    def allows(self, stated: Decimal, decimals: int) -> bool:
        """The stated figure is the ratio rounded half up, for some true values of the amounts."""
        return round_half_up(self.low, decimals) <= stated <= round_half_up(self.high, decimals)

    def truncated_to(self, stated: Decimal, decimals: int) -> bool:
        """The stated figure is the ratio cut off (not rounded) at its last digit."""
        return stated in (truncate(self.low, decimals), truncate(self.high, decimals)) and not self.allows(
            stated, decimals
        )


def _h(value: Decimal) -> Decimal:
    return ZERO if value == ZERO else HALF_CENT


def ratio(part: Decimal, whole: Decimal, addends: int = 1) -> Ratio | None:
    """part / whole × 100 with its range (`part` a sum of `addends` printed amounts); None for a
    zero (or negative) whole."""
    if whole <= ZERO:
        return None
    hp, hw = HALF_CENT * addends if part != ZERO else ZERO, _h(whole)
    low_whole = whole - hw if whole - hw > ZERO else whole
    return Ratio(
        part / whole * HUNDRED,
        (part - hp) / (whole + hw) * HUNDRED,
        (part + hp) / low_whole * HUNDRED,
    )


def growth(current: Decimal, change: Decimal, increase: bool) -> Ratio | None:
    """The rate of a change against the prior year (prior = current ∓ change); None when the prior
    value is zero or less (the rate is undefined)."""
    prior = current - change if increase else current + change
    if prior <= ZERO:
        return None
    hc, hx = _h(current), _h(change)
    if increase:  # rate = X / (T − X): grows with X, falls with T
        lo_den, hi_den = current + hc - (change - hx), current - hc - (change + hx)
    else:  # rate = X / (T + X)
        lo_den, hi_den = current + hc + change + hx, current - hc + change - hx
    hi_den = hi_den if hi_den > ZERO else prior
    return Ratio(
        change / prior * HUNDRED,
        (change - hx) / lo_den * HUNDRED,
        (change + hx) / hi_den * HUNDRED,
    )
