"""Error localisation (Fellegi–Holt, as errorlocate does it): the fewest cells whose change can make
every violated relation hold while every relation that holds keeps holding. Genuine errors are not
changed: each is listed for a person, with the cells that appear in some minimal set."""

from __future__ import annotations

from decimal import Decimal

from xltools.fix.model import Review
from xltools.fix.system import Relation, System
from xltools.model import Cell
from xltools.vocabulary import HOLDS


def localise(system: System, values: dict[Cell, Decimal]) -> list[Review]:
    """One Review per violated relation, naming its likeliest wrong cells. Violated relations that
    share cells (through one relation) are localised together."""
    violated = [r for r in system.relations if r.verdict(values) not in HOLDS]
    reviews: dict[int, Review] = {}
    for group, variables in _groups(system, violated):
        size = _minimum(system, values, variables, group, None, None)
        suspects: set[Cell] = set()
        if size is not None:
            candidates = sorted({c for r in group for c in r.cells()} & set(variables))
            suspects = {
                c for c in candidates if _minimum(system, values, variables, group, c, size) is not None
            }
        for r in group:
            reviews[id(r)] = _review(system, values, r, suspects, size)
    return [reviews[id(r)] for r in violated]


def _groups(system: System, violated: list[Relation]) -> list[tuple[list[Relation], list[Cell]]]:
    found: list[tuple[list[Relation], set[Cell]]] = []
    for r in violated:
        cells = set(r.cells())
        cells |= {c for t in system.touching(cells) for c in t.cells()}
        cells = {c for c in cells if system.editable(c)}
        joined = [g for g in found if g[1] & cells]
        for g in joined:
            found.remove(g)
            cells |= g[1]
        found.append(([t for g in joined for t in g[0]] + [r], cells))
    return [(sorted(g, key=system.relations.index), sorted(cells)) for g, cells in found]


def _minimum(
    system: System,
    values: dict[Cell, Decimal],
    variables: list[Cell],
    group: list[Relation],
    forced: Cell | None,
    limit: int | None,
) -> int | None:
    """The fewest variables to change (with `forced` among them, at most `limit`), or None. Changes
    δ are whole units of the last printed digit; z marks a changed cell (|δ| ≤ M·z)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(variables)
    if n == 0:
        return None
    index = {c: i for i, c in enumerate(variables)}
    unit = min(system.step(c) for c in variables)
    # M bounds one change by the violations themselves: a bigger M would let the solver hide a
    # change inside its integrality tolerance
    big = float(2 * sum((abs(r.difference(values)) + r.tol for r in group), Decimal(0)) / unit) + 2
    rows, lo, hi = [], [], []
    for r in system.touching(variables):  # afterwards every relation holds, within its rounding bound
        row = np.zeros(2 * n)
        for c, k in r.coefs:
            if c in index:
                row[index[c]] = float(k * system.step(c) / unit)
        diff, tol = float(r.difference(values) / unit), float(r.tol / unit)
        rows.append(row)
        lo.append(-diff - tol)
        hi.append(-diff + tol if r.relation == "=" else np.inf)
    for i in range(n):  # |δ_i| ≤ M·z_i
        for s in (1, -1):
            row = np.zeros(2 * n)
            row[i], row[n + i] = s, -big
            rows.append(row)
            lo.append(-np.inf)
            hi.append(0.0)
    if limit is not None:
        rows.append(np.concatenate([np.zeros(n), np.ones(n)]))
        lo.append(0.0)
        hi.append(float(limit))
    lower = np.concatenate([np.full(n, -big), np.zeros(n)])
    upper = np.concatenate([np.full(n, big), np.ones(n)])
    if forced is not None:
        lower[n + index[forced]] = 1
    res = milp(
        np.concatenate([np.zeros(n), np.ones(n)]),
        integrality=np.ones(2 * n),
        bounds=Bounds(lower, upper),
        constraints=LinearConstraint(np.array(rows), lo, hi),
    )
    if not res.success or res.x is None:
        return None
    return sum(round(float(z)) for z in res.x[n:])


def _review(
    system: System, values: dict[Cell, Decimal], rel: Relation, suspects: set[Cell], size: int | None
) -> Review:
    mine = tuple(c for c in rel.cells() if c in suspects)
    agreed = [c for c in rel.cells() if c not in suspects and system.editable(c)]
    if size is None or not mine:
        reason = "找不到能使全部关系成立的少量改动，请人工核对"
    else:
        shown = "、".join(c.a1() for c in mine[:6]) + (f" 等 {len(mine)} 格" if len(mine) > 6 else "")
        reason = f"最少改动 {size} 个单元格即可使相关关系全部成立；最可能有误：{shown}"
        if agreed and len(agreed) <= 3:
            reason += f"（{'、'.join(c.a1() for c in agreed)} 与其他关系相互印证，不宜改动）"
    message = f"{rel.check.subject}：{rel.check.rule.text}；差额 {rel.difference(values):f}"
    return Review(rel.rule, rel.verdict(values), rel.cells(), mine, message, reason)
