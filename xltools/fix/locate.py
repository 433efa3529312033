"""Error localisation (Fellegi–Holt, as errorlocate does it): the fewest cells whose change can make
every violated relation hold while every relation that holds keeps holding. Genuine errors are not
changed: each is listed for a person, with the cells that appear in some minimal set."""

from __future__ import annotations

from decimal import Decimal

from xltools.fix.model import Review
from xltools.fix.system import HOLDS, Relation, System
from xltools.model import Cell


def localise(system: System, values: dict[Cell, Decimal]) -> list[Review]:
    """One Review per violated relation, naming its likeliest wrong cells."""
    violated = [r for r in system.relations if r.verdict(values) not in HOLDS]
    if not violated:
        return []
    cells = {c for r in violated for c in r.cells()}
    for _ in range(2):
        cells |= {c for r in system.touching(cells) for c in r.cells()}
    variables = sorted(c for c in cells if system.editable(c))
    size = _minimum(system, values, variables, None, None)
    suspects: set[Cell] = set()
    if size is not None:
        candidates = sorted({c for r in violated for c in r.cells() if c in set(variables)})
        suspects = {c for c in candidates if _minimum(system, values, variables, c, size) is not None}
    return [_review(system, values, r, suspects, size) for r in violated]


def _minimum(system: System, values: dict[Cell, Decimal], variables: list[Cell], forced: Cell | None,
             limit: int | None) -> int | None:
    """The fewest variables to change (with `forced` among them, at most `limit`), or None."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(variables)
    if n == 0:
        return None
    index = {c: i for i, c in enumerate(variables)}
    big = float(10 * max((abs(values[c]) for c in system.values), default=Decimal(1)) + 10)
    big += float(10 * max((abs(r.difference(values)) for r in system.relations), default=Decimal(0)))
    rows, lo, hi = [], [], []
    for r in system.touching(variables):
        row = np.zeros(2 * n)
        for c, k in r.coefs:
            if c in index:
                row[index[c]] = k
        # after the change every relation holds: within its rounding bound (a '>=' may fall short by it)
        diff, tol = float(r.difference(values)), float(r.tol)
        rows.append(row)
        lo.append(-diff - tol)
        hi.append(-diff + tol if r.relation == "=" else np.inf)
    for i in range(n):  # |δ_i| ≤ big · z_i
        for s in (1, -1):
            row = np.zeros(2 * n)
            row[i], row[n + i] = s, -big
            rows.append(row)
            lo.append(-np.inf)
            hi.append(0.0)
    if limit is not None:
        row = np.concatenate([np.zeros(n), np.ones(n)])
        rows.append(row)
        lo.append(0.0)
        hi.append(float(limit))
    lower = np.concatenate([np.full(n, -big), np.zeros(n)])
    upper = np.concatenate([np.full(n, big), np.ones(n)])
    if forced is not None:
        lower[n + index[forced]] = 1
    res = milp(np.concatenate([np.zeros(n), np.ones(n)]), integrality=np.concatenate([np.zeros(n), np.ones(n)]),
               bounds=Bounds(lower, upper), constraints=LinearConstraint(np.array(rows), lo, hi))
    if not res.success or res.x is None:
        return None
    return round(float(res.x[n:].sum()))


def _review(system: System, values: dict[Cell, Decimal], rel: Relation, suspects: set[Cell],
            size: int | None) -> Review:
    mine = tuple(c for c in rel.cells() if c in suspects)
    agreed = [c for c in rel.cells() if c not in suspects and system.editable(c)]
    verdict = rel.verdict(values)
    if size is None or not mine:
        reason = "找不到能使全部关系成立的少量改动，请人工核对"
    else:
        shown = "、".join(c.a1() for c in mine[:6]) + (f" 等 {len(mine)} 格" if len(mine) > 6 else "")
        reason = f"最少改动 {size} 个单元格即可使全部关系成立；最可能有误：{shown}"
        if agreed and len(agreed) <= 3:
            reason += f"（{'、'.join(c.a1() for c in agreed)} 与其他关系相互印证，不宜改动）"
    message = f"{rel.check.subject}：{rel.check.rule.text}；差额 {rel.difference(values):f}"
    return Review(rel.rule, verdict, rel.cells(), mine, message, reason)
