"""The checks of a Report as a linear system over its cells: each compiled check is Σ coef·cell
compared with zero, so a planner can ask what a change to some cells does to every relation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from xltools.model import Amount, Cell, Report
from xltools.rules.evaluate import verdict
from xltools.rules.expand import Check
from xltools.rules.plan import plan_for
from xltools.vocabulary import HOLDS, Verdict


@dataclass(frozen=True)
class Relation:
    """One check as Σ coef·value (relation '=' or '>=' against zero)."""

    check: Check
    coefs: tuple[tuple[Cell, int], ...]
    tol: Decimal

    @property
    def rule(self) -> str:
        return self.check.rule_id

    @property
    def relation(self) -> str:
        return self.check.relation

    def cells(self) -> tuple[Cell, ...]:
        return tuple(c for c, _ in self.coefs)

    def coef(self, cell: Cell) -> int:
        return next((k for c, k in self.coefs if c == cell), 0)

    def difference(self, values: Mapping[Cell, Decimal]) -> Decimal:
        return sum((k * values[c] for c, k in self.coefs), Decimal(0))

    def verdict(self, values: Mapping[Cell, Decimal]) -> Verdict:
        """'pass', 'tail', 'warning' or 'error', exactly as the check engine judges it."""
        return verdict(self.check, self.difference(values), self.tol)


@dataclass
class System:
    """Every relation of a report, the value (万元) of every cell they use, and the amounts."""

    relations: list[Relation]
    values: dict[Cell, Decimal]
    amounts: dict[Cell, Amount]
    scales: dict[Cell, Decimal]
    by_cell: dict[Cell, list[Relation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rel in self.relations:
            for c in rel.cells():
                self.by_cell.setdefault(c, []).append(rel)

    def verdicts(self, values: Mapping[Cell, Decimal] | None = None) -> dict[int, Verdict]:
        v = self.values if values is None else values
        return {i: r.verdict(v) for i, r in enumerate(self.relations)}

    def violated(self, values: Mapping[Cell, Decimal] | None = None) -> list[Relation]:
        v = self.values if values is None else values
        return [r for r in self.relations if r.verdict(v) not in HOLDS]

    def touching(self, cells: Iterable[Cell]) -> list[Relation]:
        """The relations that use any of `cells`, each once, in catalogue order."""
        seen: dict[int, Relation] = {}
        for c in cells:
            for r in self.by_cell.get(c, []):
                seen.setdefault(id(r), r)
        return sorted(seen.values(), key=self.relations.index)

    def editable(self, cell: Cell) -> bool:
        """A cell a fix may write: a printed amount that is not a formula."""
        a = self.amounts.get(cell)
        return a is not None and a.formula is None

    def printed(self, cell: Cell, value: Decimal | None = None) -> Decimal:
        """The value in the cell's own unit (元 in a table kept in 元)."""
        v = self.values[cell] if value is None else value
        return (v / self.scales[cell]).quantize(self.step(cell) / self.scales[cell])

    def step(self, cell: Cell) -> Decimal:
        """One unit of the last printed digit, in 万元."""
        return self.amounts[cell].quantum


def build(report: Report) -> System:
    """The linear system of every compiled check of `report`."""
    amounts: dict[Cell, Amount] = {}
    scales: dict[Cell, Decimal] = {}
    for table, _row, _col, a in report.amounts():
        amounts[a.cell] = a
        scales[a.cell] = table.scale
    values = {c: a.value for c, a in amounts.items()}
    plan = plan_for(report)
    relations = [_relation(check, tol) for check, tol in zip(plan.checks, plan.tolerances, strict=True)]
    return System(relations, values, amounts, scales)


def _relation(check: Check, tol: Decimal) -> Relation:
    """A compiled check as Σ coef·cell: every operand is the sum of its printed cells."""
    coefs: dict[Cell, int] = {}
    for side, ops in ((1, check.left), (-1, check.right)):
        for op in ops:
            for c in op.term.cells:
                coefs[c] = coefs.get(c, 0) + side * op.sign
    return Relation(check, tuple((c, k) for c, k in coefs.items() if k), tol)
