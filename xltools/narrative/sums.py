"""Shares of one whole listed together add to 100% within the rounding of the parts (rule N7)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from xltools.model import Cell
from xltools.narrative.claims import Claim
from xltools.narrative.numbers import HUNDRED, ZERO, quantum
from xltools.rules.evaluate import tail_bound

HALF = Decimal("0.5")
TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True)
class Share:
    """A share checked in a paragraph: '占97.49%', its numerator and the whole it was taken of."""

    claim: Claim
    part: Claim
    whole: Decimal
    cells: tuple[Cell, ...]

    @property
    def part_value(self) -> Decimal:
        assert self.part.value is not None
        return self.part.value / TEN_THOUSAND if self.part.unit == "元" else self.part.value

    @property
    def slack(self) -> Decimal:
        """How far the printed share may be from the true one: half a unit of its last digit; none
        for 0% of a zero amount or 100% of the whole, which are exact."""
        stated = self.claim.value
        if (stated == ZERO and self.part_value == ZERO) or (
            stated == HUNDRED and self.part_value == self.whole
        ):
            return ZERO
        return HALF * quantum(max(self.claim.decimals, 0))


@dataclass(frozen=True)
class Breakdown:
    """Shares that divide one whole completely: their stated sum and the rounding it may carry."""

    shares: tuple[Share, ...]

    @property
    def total(self) -> Decimal:
        return sum((s.claim.value or ZERO for s in self.shares), ZERO)

    @property
    def allowance(self) -> Decimal:
        return sum((s.slack for s in self.shares), ZERO)

    @property
    def holds(self) -> bool:
        return abs(self.total - HUNDRED) <= self.allowance

    def passage(self) -> str:
        """The words listing the shares, first to last: '财政拨款收入2211.04万元,占97.49%;…;其他收入…'."""
        first, last = self.shares[0], self.shares[-1]
        if first.claim.sentence == last.claim.sentence:
            return _name(first.part) + first.claim.sentence[first.part.start : _end(last.claim)]
        head = _name(first.part) + first.claim.sentence[first.part.start : _end(first.claim)]
        return f"{head}…{_name(last.part)}{last.claim.sentence[last.part.start : _end(last.claim)]}"

    def message(self) -> str:
        """'所列占比97.49%+2.61%合计100.10%，应为100%（2个占比四舍五入的尾差至多±0.01%）'."""
        listed = "+".join(s.claim.text for s in self.shares)
        slack = f"{len(self.shares)}个占比四舍五入的尾差至多±{self.allowance.normalize():f}%"
        if self.holds:
            return f"所列占比{listed}合计{self.total}%（{slack}）"
        return f"所列占比{listed}合计{self.total}%，应为100%（{slack}）"


def _name(part: Claim) -> str:
    """What an amount is of: the last clause before it ('，其中：财政拨款收入' → '财政拨款收入')."""
    return re.split(r"[,;:]", part.window)[-1]


def _end(c: Claim) -> int:
    return c.start + len(c.text)


def breakdowns(shares: list[Share]) -> list[Breakdown]:
    """The shares of one paragraph grouped by the whole they are taken of, keeping only complete
    breakdowns: two or more shares whose stated parts add up to that whole (a partial list, such as
    one source of income alone, is not expected to reach 100%)."""
    groups: dict[tuple[str, Decimal], list[Share]] = {}
    for s in shares:
        groups.setdefault((s.claim.whole_name, s.whole), []).append(s)
    out = []
    for group in groups.values():
        parts = sum((s.part_value for s in group), ZERO)
        if len(group) >= 2 and abs(parts - group[0].whole) <= tail_bound(len(group) + 1):
            out.append(Breakdown(tuple(group)))
    return out
