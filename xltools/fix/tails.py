"""Rounding tails resolved by ±1 in the last printed digit (Scholtus's scapegoat idea, made exact).

Every '=' check is Σ coef·cell = 0. Over the cells near the tails, find the fewest ±0.01 steps
x_c ∈ {−1, 0, 1} such that every tail relation becomes exactly zero, every relation that holds keeps
holding exactly as it does ('=' stays zero, '>=' stays ≥ 0) and no cell of a violated relation, no
formula and no blank moves. An integer programme (scipy.optimize.milp / HiGHS); ties go to the
larger amount, where a cent is the smallest relative change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xltools.fix.model import Change
from xltools.fix.system import Relation, System
from xltools.model import Cell
from xltools.vocabulary import HOLDS, ChangeKind, Verdict

NO_STEP = "只改 ±0.01 无法在不破坏其他关系的前提下消除（可能牵涉未解决的错误），请人工处理"


@dataclass(frozen=True)
class TailResult:
    changes: tuple[Change, ...]
    unresolved: tuple[str, ...]


def resolve_tails(system: System, values: dict[Cell, Decimal], frozen: set[Cell]) -> TailResult:
    """The tail changes for `values` (updated in place); tails that touch a violated relation or a
    frozen cell, or that no ±0.01 set resolves, are reported in `unresolved`."""
    verdicts = {id(r): r.verdict(values) for r in system.relations}
    bad = {c for r in system.relations if verdicts[id(r)] not in HOLDS for c in r.cells()}
    tails, unresolved = [], []
    for r in system.relations:
        if verdicts[id(r)] != Verdict.TAIL:
            continue
        if bad & set(r.cells()):
            unresolved.append(
                f"{r.rule}（{r.check.subject}）：与未解决的错误共用单元格，待其更正后再调整尾差"
            )
        else:
            tails.append(r)
    if not tails:
        return TailResult((), tuple(unresolved))
    blocked = bad | frozen | {c for c in system.amounts if not system.editable(c) or system.amounts[c].blank}
    changes: list[Change] = []
    for group in _components(system, tails, blocked):
        variables = sorted({c for r in group for c in _neighbourhood(system, [r], blocked)})
        solved = _single(system, values, variables, group) or _solve(system, values, variables, group)
        steps, zeroed = solved if solved is not None else ({}, [])
        unresolved.extend(f"{r.rule}（{r.check.subject}）：{NO_STEP}" for r in group if r not in zeroed)
        before = dict(values)
        for c, x in steps.items():
            values[c] += x * system.step(c)
        changes.extend(_explain(system, before, values, c, x) for c, x in sorted(steps.items()))
    return TailResult(tuple(changes), tuple(unresolved))


def _components(system: System, tails: list[Relation], blocked: set[Cell]) -> list[list[Relation]]:
    """The tails grouped so that groups share no candidate cell: each group is solved on its own."""
    groups: list[tuple[set[Cell], list[Relation]]] = []
    for r in tails:
        cells = set(_neighbourhood(system, [r], blocked))
        joined = [g for g in groups if g[0] & cells]
        for g in joined:
            groups.remove(g)
            cells |= g[0]
        groups.append((cells, [t for g in joined for t in g[1]] + [r]))
    return [sorted(g[1], key=system.relations.index) for g in groups]


def _neighbourhood(system: System, tails: list[Relation], blocked: set[Cell], hops: int = 2) -> list[Cell]:
    """Editable cells of the tail relations and of the relations within `hops` of them."""
    cells = {c for r in tails for c in r.cells()}
    for _ in range(hops):
        cells |= {c for r in system.touching(cells) for c in r.cells()}
    return sorted(c for c in cells if c not in blocked)


def _single(
    system: System, values: dict[Cell, Decimal], variables: list[Cell], group: list[Relation]
) -> tuple[dict[Cell, int], list[Relation]] | None:
    """The one-step solution, when one ±1 at one cell zeroes every tail of the group and keeps every
    other relation as it is (the common case, found without the solver): the largest such amount."""
    found: list[tuple[Decimal, Cell, int]] = []
    for c in variables:
        for x in (1, -1):
            d = x * system.step(c)
            if all(
                (r.difference(values) + r.coef(c) * d == 0)
                if r in group
                else (r.coef(c) == 0 or (r.relation != "=" and r.difference(values) + r.coef(c) * d >= 0))
                for r in system.touching([c])
            ) and all(r.coef(c) for r in group):
                found.append((-abs(values[c]), c, x))
    if not found:
        return None
    _, cell, x = min(found)
    return {cell: x}, list(group)


def _solve(
    system: System, values: dict[Cell, Decimal], variables: list[Cell], group: list[Relation]
) -> tuple[dict[Cell, int], list[Relation]] | None:
    """The steps (cell → ±1) and the tails of `group` they zero: as many tails as possible, then as few
    steps as possible. Variables: p_c, n_c ∈ {0, 1} (x_c = p_c − n_c), y_t ∈ {0, 1} per tail t."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, m = len(variables), len(group)
    index = {c: i for i, c in enumerate(variables)}
    unit = min((system.step(c) for c in variables), default=Decimal("0.01"))
    rows, lo, hi = [], [], []
    for r in system.touching(variables):
        row = np.zeros(2 * n + m)
        for c, k in r.coefs:
            if c in index:
                a = float(k * system.step(c) / unit)
                row[index[c]], row[n + index[c]] = a, -a
        diff = r.difference(values) / unit
        if r in group:  # Σ a·x = −diff·y: the tail becomes zero (y = 1) or stays as it is (y = 0)
            if diff != diff.to_integral_value():
                return None
            row[2 * n + group.index(r)] = float(diff)
            lo.append(0.0)
            hi.append(0.0)
        else:  # every other '=' keeps its difference; a '>=' keeps holding
            lo.append(0.0 if r.relation == "=" else -float(diff))
            hi.append(0.0 if r.relation == "=" else np.inf)
        rows.append(row)
    if not rows:
        return None
    rank = sorted(range(n), key=lambda i: (-abs(values[variables[i]]), variables[i]))
    weight = np.ones(n)
    for place, i in enumerate(rank):  # ties go to the larger amount
        weight[i] += (place + 1) / (4.0 * (n + 1))
    reward = float(4 * n + 1)  # one tail zeroed outweighs every step
    cost = np.concatenate([weight, weight, np.full(m, -reward)])
    res = milp(
        cost,
        integrality=np.ones(2 * n + m),
        bounds=Bounds(np.zeros(2 * n + m), np.ones(2 * n + m)),
        constraints=LinearConstraint(np.array(rows), np.array(lo), np.array(hi)),
    )
    if res.x is None or not res.success:
        return None
    x = np.round(res.x).astype(int)
    steps = {variables[i]: int(x[i] - x[n + i]) for i in range(n) if x[i] != x[n + i]}
    return steps, [t for j, t in enumerate(group) if x[2 * n + j] == 1]


def _explain(
    system: System, before: dict[Cell, Decimal], after: dict[Cell, Decimal], cell: Cell, x: int
) -> Change:
    step = system.step(cell) / system.scales[cell]
    old_printed = system.printed(cell, before[cell]).quantize(step)
    fixed = [
        r
        for r in system.by_cell[cell]
        if r.verdict(before) == Verdict.TAIL and r.verdict(after) == Verdict.PASS
    ]
    kept = [r for r in system.by_cell[cell] if r not in fixed and r.verdict(after) == Verdict.PASS]
    sign = "+" if x > 0 else "−"
    kept_names = "、".join(dict.fromkeys(r.rule for r in kept))
    if fixed:
        text = f"尾差调整 {sign}{step:f}：{'、'.join(dict.fromkeys(r.rule for r in fixed))} 由尾差变为相符"
        text += f"；{kept_names} 仍相符" if kept else ""
    else:
        text = f"尾差调整 {sign}{step:f}：随相关单元格同步调整，使 {kept_names} 仍相符"
    rule = fixed[0].rule if fixed else system.by_cell[cell][0].rule
    a = system.amounts[cell]
    old = a.text if a.text is not None else old_printed
    return Change(ChangeKind.TAIL, cell, old, (old_printed + x * step).quantize(step), rule, text)
