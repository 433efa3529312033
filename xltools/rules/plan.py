"""Compile once, evaluate many: the concrete checks of one workbook layout as index arrays.

`expand` resolves every rule to concrete checks; `compile_plan` turns them into a Plan — for each
check the indexes of its operand cells with their signs (left and right side apart), its relation,
its tail bound and its verdict policy. Evaluation is then a gather and two `reduceat` sums over the
workbook's amounts in integer units of the finest printed precision (0.01 万元, or 0.000001 万元 for a
table printed in 元), exact for every amount the reader read (it keeps each at its printed precision).

A Plan depends only on the layout: the format, the tables with their unit, every row with its label
and every amount's position. Workbooks with the same layout (a batch of one template, the same book
re-checked) share it through `plan_for`'s cache; the values come from each workbook anew.

The Checks a plan keeps are those of the workbook that compiled it: their structure (cells, signs,
relation, subject) holds for every workbook of the layout, their Term values do not — evaluate with
`Plan.outcomes`, never from `Check` values.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from xltools.model import CENT, Cell, Report, Row
from xltools.read.amounts import printed
from xltools.read.recall import Replayed
from xltools.rules.catalogue import Rule
from xltools.rules.evaluate import VERDICT_CODES, tolerance, verdict_codes
from xltools.rules.expand import Check, Operand
from xltools.rules.kinds import expand, not_applicable
from xltools.text import parse_amount
from xltools.vocabulary import Severity, Verdict

CACHE_SIZE = 64


@dataclass(frozen=True)
class Side:
    """One side of every check: operand cell indexes and signs, segment starts for `reduceat`.
    Each segment opens with the zero slot (index 0), so a side with no printed cell sums to 0."""

    index: np.ndarray
    sign: np.ndarray
    starts: np.ndarray
    exponent: np.ndarray  # the Decimal exponent today's Σ of this side carries (min(0, operands'))

    def sums(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values[self.index] * self.sign, self.starts)


@dataclass(frozen=True)
class Outcomes:
    """Every check of a plan judged on one workbook: verdict codes and both sides in units."""

    codes: np.ndarray
    left: np.ndarray
    right: np.ndarray

    def verdicts(self) -> list[Verdict]:
        return [VERDICT_CODES[c] for c in self.codes.tolist()]


@dataclass(frozen=True, eq=False)
class Plan:
    checks: tuple[Check, ...]
    cells: tuple[Cell, ...]  # slot i + 1 ↔ cells[i]; slot 0 is zero
    slots: np.ndarray  # position of each amount of Report.amounts() → its slot (0: no check uses it)
    unit: int  # amounts are integers of 10**unit 万元
    left: Side
    right: Side
    equal: np.ndarray  # relation '=' (else '>=')
    tol2: np.ndarray  # twice the tail bound, in units
    soft: np.ndarray  # a soft rule (hard '>='): a positive difference beyond the bound is a warning
    strict: np.ndarray  # beyond the bound: an error (else a warning)
    tolerances: tuple[Decimal, ...]
    not_applicable: tuple[Rule, ...]

    def values(self, report: Report) -> np.ndarray:
        """The workbook's amounts in the plan's slots, as integers of the unit (object ints when
        an amount does not fit, exact either way)."""
        return _slot_values(self, [a.value for _, _, _, a in report.amounts()])

    def outcomes(self, values: np.ndarray) -> Outcomes:
        left, right = self.left.sums(values), self.right.sums(values)
        diff = left - right
        codes = verdict_codes(diff, self.equal, 2 * abs(diff) <= self.tol2, self.soft, self.strict)
        return Outcomes(np.asarray(codes), left, right)

    def amount(self, units: Any, exponent: int) -> Decimal:
        """Units → the Decimal today's evaluator writes (same value, same exponent)."""
        return Decimal(int(units)).scaleb(self.unit).quantize(Decimal(1).scaleb(exponent))


def layout_key(report: Report) -> Hashable:
    """What the checks of a report depend on: format, tables with unit and unread columns, rows with
    label, amount cells (and whether each was read)."""
    return (
        report.format.id,
        report.format.family,
        tuple(
            (t.id, t.scale, tuple(sorted(t.unread_columns)), tuple(map(_row_key, t.rows.values())))
            for t in report.tables.values()
        ),
    )


def _row_key(r: Row) -> Hashable:
    """A row's key, label and amount positions (an amount the reader could not read makes its rules n/a)."""
    return (
        r.key,
        r.label,
        tuple((k, a.cell.sheet, a.cell.row, a.cell.col, a.unread) for k, a in r.values.items()),
    )


_CACHE: OrderedDict[Hashable, Plan] = OrderedDict()


def plan_for(report: Report) -> Plan:
    """The plan of `report`'s layout: from the cache, or expanded and compiled now."""
    key = layout_key(report)
    plan = _CACHE.get(key)
    if plan is None:
        plan = _CACHE[key] = compile_plan(report, expand(report))
        if len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return plan


def compile_plan(report: Report, checks: Sequence[Check]) -> Plan:
    amounts = [a for _, _, _, a in report.amounts()]
    quanta = [a.quantum for a in amounts] or [CENT]
    unit = min(q.as_tuple().exponent for q in quanta)
    assert isinstance(unit, int)
    used: dict[Cell, int] = {}
    for check in checks:
        for c in check.cells:
            used.setdefault(c, len(used) + 1)
    slots = np.array([used.get(a.cell, 0) for a in amounts], dtype=np.int64)
    return Plan(
        checks=tuple(checks),
        cells=tuple(used),
        slots=slots,
        unit=unit,
        left=_side([c.left for c in checks], used),
        right=_side([c.right for c in checks], used),
        equal=np.array([c.relation == "=" for c in checks], dtype=bool),
        tol2=np.array([_tol2(c, unit) for c in checks], dtype=np.int64),
        soft=np.array([c.hard == ">=" for c in checks], dtype=bool),
        strict=np.array([c.rule.severity == Severity.ERROR or bool(c.hard) for c in checks], dtype=bool),
        tolerances=tuple(tolerance(c) for c in checks),
        not_applicable=tuple(not_applicable(report, list(checks))),
    )


def _tol2(check: Check, unit: int) -> int:
    return int((2 * tolerance(check)).scaleb(-unit))


def _side(sides: list[tuple[Operand, ...]], used: dict[Cell, int]) -> Side:
    index: list[int] = []
    sign: list[int] = []
    starts: list[int] = []
    exponent: list[int] = []
    for ops in sides:
        starts.append(len(index))
        index.append(0)
        sign.append(1)
        for op in ops:
            for c in op.term.cells:
                index.append(used[c])
                sign.append(op.sign)
        exps = [op.term.value.as_tuple().exponent for op in ops]
        exponent.append(min(0, *(e for e in exps if isinstance(e, int))))
    return Side(
        np.array(index, dtype=np.int64),
        np.array(sign, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(exponent, dtype=np.int64),
    )


LIMIT = 1 << 62  # a sum that could pass this might overflow int64: keep Python ints then


@dataclass(frozen=True)
class _Wiring:
    """How one unit of a remembered layout reaches a plan's slots: fixed units (texts, blanks, the
    same in every workbook of the layout), and the slots that take a value (its index among the
    values, and the factor from cents to the plan's unit)."""

    fixed: np.ndarray
    slots: np.ndarray
    sources: np.ndarray
    multipliers: np.ndarray


_WIRINGS: OrderedDict[tuple[int, int, int], tuple[object, Plan, _Wiring]] = OrderedDict()


_PLANS: OrderedDict[tuple[int, int], tuple[object, Plan]] = OrderedDict()


def replayed_plan(report: Report, replayed: Replayed, unit: int) -> Plan:
    """plan_for a Report of a remembered layout: the same plan for every workbook of it, looked up
    without walking the report again."""
    key = (id(replayed.recipe), unit)
    found = _PLANS.get(key)
    if found is not None and found[0] is replayed.recipe:
        return found[1]
    kept = replayed.extra[unit] if unit < len(replayed.extra) else None
    plan = kept if isinstance(kept, Plan) else plan_for(report)
    _PLANS[key] = (replayed.recipe, plan)
    if len(_PLANS) > CACHE_SIZE:
        _PLANS.popitem(last=False)
    return plan


def replayed_values(plan: Plan, replayed: Replayed, unit: int) -> np.ndarray | None:
    """The amounts of unit `unit` of a workbook read through a remembered layout, in `plan`'s slots
    as integers of the plan's unit — straight from the cell values, no Decimal made — exactly as
    `plan.values` gives them from the Report. None when an amount is too wide for int64 sums."""
    wiring = _wiring(plan, replayed, unit)
    out = wiring.fixed.copy()
    if len(wiring.slots):
        f = replayed.floats[wiring.sources]
        cents = np.rint(f * 100)
        near = (np.abs(f * 100 - cents) <= 0.25) & (np.abs(cents) < 2.0**50)
        units = cents.astype(np.int64)
        for k in np.flatnonzero(~near).tolist():  # more decimals than a cent, or very large: exactly
            value = parse_amount(float(replayed.raw[int(wiring.sources[k])])).value
            assert value is not None  # recall let no value through that reads as no amount
            units[k] = int(printed(value, Decimal(1)).scaleb(2))
        out[wiring.slots] = units * wiring.multipliers
    widest = int(np.abs(out).max()) if len(out) else 0
    if widest >= 2**52 or widest * (len(plan.left.index) + len(plan.right.index)) >= LIMIT:
        return None
    return out


def _wiring(plan: Plan, replayed: Replayed, unit: int) -> _Wiring:
    key = (id(replayed.recipe), unit, id(plan))
    found = _WIRINGS.get(key)
    if found is not None and found[0] is replayed.recipe and found[1] is plan:
        return found[2]
    fixed = [0] * (len(plan.cells) + 1)
    taking: dict[int, tuple[int, int]] = {}  # slot → (value index, multiplier)
    for slot, (a, index, scale) in zip(plan.slots.tolist(), replayed.positions(unit), strict=True):
        if not slot:
            continue
        if index < 0:
            fixed[slot] = int(a.value.scaleb(-plan.unit))
        else:
            taking[slot] = (index, int(scale.scaleb(-plan.unit - 2)))
    slots = sorted(taking)
    wiring = _Wiring(
        np.array(fixed, dtype=np.int64),
        np.array(slots, dtype=np.int64),
        np.array([taking[s][0] for s in slots], dtype=np.int64),
        np.array([taking[s][1] for s in slots], dtype=np.int64),
    )
    _WIRINGS[key] = (replayed.recipe, plan, wiring)
    if len(_WIRINGS) > CACHE_SIZE:
        _WIRINGS.popitem(last=False)
    return wiring


def _slot_values(plan: Plan, values: list[Decimal]) -> np.ndarray:
    out: list[int] = [0] * (len(plan.cells) + 1)
    for slot, v in zip(plan.slots.tolist(), values, strict=True):
        if slot:
            n = v.scaleb(-plan.unit)
            i = int(n)
            if i != n:  # the reader keeps every amount at its printed precision: a fault of ours
                raise ValueError(f"amount {v} is finer than the plan's unit 1e{plan.unit}")
            out[slot] = i
    widest = max(map(abs, out))
    if widest * (len(plan.left.index) + len(plan.right.index)) >= LIMIT:
        return np.array(out, dtype=object)
    return np.array(out, dtype=np.int64)
