"""Controlled rounding: round leaf amounts to the cent so that every total stays within a cent.

Each leaf is rounded down or up to the cent (never further). Totals are then computed from the
rounded leaves, so every "total = Σ parts" relation holds exactly; what the rounding controls is
that each total (an *aggregate*: a signed sum of leaves) also lands on the floor or the ceiling of
its true value. For one hierarchy, or a table with totals one way plus a hierarchy the other way,
such a rounding always exists (the constraints are totally unimodular); when several hierarchies
cross (fund × basic/project × function codes) it may not, and then the band around the true values
is widened cent by cent until a rounding exists: `Rounding.excess` says by how many cents, and
`proven` whether the search showed that no narrower band works.

The search is a depth-first search over the leaves whose value is not already a whole cent, taking
first the direction that keeps the running deviation of every aggregate the leaf belongs to small
(so the first path almost always succeeds), and pruning as soon as an aggregate can no longer land
in its band. Where crossing hierarchies defeat it (a wrong early choice only shows deep down, and
the search runs out of nodes) the same problem goes to an integer programme (scipy.optimize.milp /
HiGHS): the smallest excess first (proven), then within it the fewest aggregates off their band
and the rounding nearest the true values. Only if that fails too does the balanced greedy path
stand, unproven.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

CENT = Decimal("0.01")
DEFAULT_BUDGET = 200_000  # search nodes per band width before giving up on a proof


@dataclass(frozen=True)
class Aggregate:
    """A named signed sum of leaves: 'total' = Σ coefficient × leaf."""

    name: str
    terms: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Deviation:
    """An aggregate that ended outside the floor/ceiling of its true value."""

    name: str
    true: Decimal
    rounded: Decimal


@dataclass(frozen=True)
class Rounding:
    """Rounded leaves (multiples of `quantum`) and how well the aggregates fared.

    `excess` is 0 when every aggregate is on the floor or ceiling of its true value; otherwise the
    number of quanta by which the band had to be widened. `proven` is True when the search showed
    that no smaller excess is possible (always True when excess is 0)."""

    values: dict[str, Decimal]
    excess: int = 0
    proven: bool = True
    outside: tuple[Deviation, ...] = ()
    nodes: int = 0

    @property
    def exact(self) -> bool:
        return self.excess == 0


@dataclass
class _Problem:
    """The search state: variables are the leaves with a fractional part (in quanta)."""

    frac: list[float]
    var_aggs: list[list[tuple[int, int]]]
    lo0: list[int]
    hi0: list[int]
    pos_total: list[int]
    neg_total: list[int]
    names: list[str] = field(default_factory=list)


def _split(value: Decimal, quantum: Decimal) -> tuple[int, Decimal]:
    scaled = value / quantum
    whole = scaled.to_integral_value(rounding=ROUND_FLOOR)
    return int(whole), scaled - whole


def _floor(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_FLOOR))


def _ceil(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_CEILING))


def _build(
    values: Mapping[str, Decimal], aggregates: Sequence[Aggregate], quantum: Decimal
) -> tuple[_Problem, list[str], dict[str, int]]:
    floors: dict[str, int] = {}
    fracs: dict[str, Decimal] = {}
    for k, v in values.items():
        floors[k], fracs[k] = _split(v, quantum)
    var_keys = [k for k in values if fracs[k] != 0]
    index = {k: i for i, k in enumerate(var_keys)}
    prob = _Problem([float(fracs[k]) for k in var_keys], [[] for _ in var_keys], [], [], [], [])
    seen: set[tuple[tuple[tuple[int, int], ...], int, int]] = set()
    for agg in aggregates:
        true = sum((c * values[k] / quantum for k, c in agg.terms), Decimal(0))
        base = sum(c * floors[k] for k, c in agg.terms)
        free = tuple(sorted((index[k], c) for k, c in agg.terms if k in index and c))
        if not free or (len(free) == 1 and abs(free[0][1]) == 1):
            continue  # fixed, or a single leaf: always within its band
        lo, hi = _floor(true) - base, _ceil(true) - base
        sig = (free, lo, hi)
        if sig in seen:
            continue
        seen.add(sig)
        j = len(prob.lo0)
        prob.lo0.append(lo)
        prob.hi0.append(hi)
        prob.pos_total.append(sum(c for _, c in free if c > 0))
        prob.neg_total.append(sum(c for _, c in free if c < 0))
        prob.names.append(agg.name)
        for i, c in free:
            prob.var_aggs[i].append((j, c))
    return prob, var_keys, floors


class _Search:
    """Depth-first search for δ ∈ {0, 1}ⁿ with lo − k ≤ Σ c·δ ≤ hi + k on every aggregate."""

    def __init__(self, prob: _Problem, k: int) -> None:
        self.p = prob
        m = len(prob.lo0)
        self.lo = [x - k for x in prob.lo0]
        self.hi = [x + k for x in prob.hi0]
        self.cur = [0] * m
        self.pos = list(prob.pos_total)
        self.neg = list(prob.neg_total)
        self.dev = [0.0] * m

    def _apply(self, i: int, v: int, sign: int) -> bool:
        ok = True
        f = self.p.frac[i]
        for j, c in self.p.var_aggs[i]:
            self.cur[j] += sign * c * v
            if c > 0:
                self.pos[j] -= sign * c
            else:
                self.neg[j] -= sign * c
            self.dev[j] += sign * c * (v - f)
            if self.cur[j] + self.neg[j] > self.hi[j] or self.cur[j] + self.pos[j] < self.lo[j]:
                ok = False
        return ok

    def _order(self, i: int) -> list[int]:
        f = self.p.frac[i]

        def score(v: int) -> tuple[float, float]:
            return sum((self.dev[j] + c * (v - f)) ** 2 for j, c in self.p.var_aggs[i]), abs(v - f)

        return sorted((0, 1), key=score)

    def run(self, budget: int) -> tuple[list[int] | None, bool, int]:
        """(assignment or None, whether the search was exhaustive, nodes used)."""
        n = len(self.p.frac)
        choice = [0] * n
        options: list[list[int] | None] = [None] * n
        pos, nodes = 0, 0
        while pos < n:
            opts = options[pos]
            if opts is None:
                opts = options[pos] = self._order(pos)
            if not opts:
                options[pos] = None
                pos -= 1
                if pos < 0:
                    return None, True, nodes
                self._apply(pos, choice[pos], -1)
                continue
            v = opts.pop(0)
            nodes += 1
            if self._apply(pos, v, 1):
                choice[pos] = v
                pos += 1
            else:
                self._apply(pos, v, -1)
            if nodes > budget:
                return None, False, nodes
        return choice, True, nodes


def _greedy(prob: _Problem) -> list[int]:
    """The first path of the search without pruning: a complete rounding, however wide its band."""
    s = _Search(prob, 10**9)
    out = []
    for i in range(len(prob.frac)):
        v = s._order(i)[0]
        s._apply(i, v, 1)
        out.append(v)
    return out


def _excess(prob: _Problem, delta: list[int]) -> int:
    sums = [0] * len(prob.lo0)
    for i, v in enumerate(delta):
        for j, c in prob.var_aggs[i]:
            sums[j] += c * v
    return max(
        (max(lo - s, s - hi, 0) for s, lo, hi in zip(sums, prob.lo0, prob.hi0, strict=True)), default=0
    )


def _milp(prob: _Problem) -> tuple[list[int], int, bool] | None:
    """(δ, excess, proven) by integer programming: variables δ ∈ {0, 1}ⁿ and the excess k ≥ 0, with
    lo − k ≤ Σ c·δ ≤ hi + k on every aggregate; k is minimised first, then (k fixed) the number of
    aggregates outside their own band, then Σ |δ − frac|.
    None when the solver finds no rounding in its time."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array, hstack

    n, m = len(prob.frac), len(prob.lo0)
    rows, cols, coefs = [], [], []
    for i, members in enumerate(prob.var_aggs):
        for j, c in members:
            rows.append(j)
            cols.append(i)
            coefs.append(float(c))
    a = coo_array((coefs, (rows, cols)), shape=(m, n)).tocsr()
    ones = coo_array((np.ones(m), (np.arange(m), np.zeros(m, dtype=int))), shape=(m, 1)).tocsr()
    lo, hi = np.array(prob.lo0, dtype=float), np.array(prob.hi0, dtype=float)
    constraints = [  # Σ c·δ + k ≥ lo, Σ c·δ − k ≤ hi
        LinearConstraint(hstack([a, ones]).tocsr(), lo, np.inf),
        LinearConstraint(hstack([a, -ones]).tocsr(), -np.inf, hi),
    ]
    options = {"time_limit": 60.0}
    first = milp(
        np.concatenate([np.zeros(n), [1.0]]),
        integrality=np.ones(n + 1),
        bounds=Bounds(np.zeros(n + 1), np.concatenate([np.ones(n), [np.inf]])),
        constraints=constraints,
        options=options,
    )
    if first.x is None:
        return None
    k = int(np.rint(first.x[n]))
    proven = first.status == 0
    delta = [int(x) for x in np.rint(first.x[:n])]
    # then, with the band k wide: as few aggregates off their own band as possible (y_j = 1 lets
    # aggregate j use the k extra cents), ties to the rounding nearest the true values
    flags = coo_array((np.full(m, float(k)), (np.arange(m), np.arange(m))), shape=(m, m)).tocsr()
    nearest = milp(  # Σ |δ − f| = Σ f + Σ (1 − 2f)·δ
        np.concatenate([1.0 - 2.0 * np.array(prob.frac), np.full(m, 2.0 * n + 1.0)]),
        integrality=np.ones(n + m),
        bounds=Bounds(np.zeros(n + m), np.ones(n + m)),
        constraints=[
            LinearConstraint(hstack([a, flags]).tocsr(), lo, np.inf),
            LinearConstraint(hstack([a, -flags]).tocsr(), -np.inf, hi),
        ],
        options=options,
    )
    if nearest.x is not None:
        better = [int(x) for x in np.rint(nearest.x[:n])]
        if _excess(prob, better) <= k:
            delta = better
    excess = _excess(prob, delta)
    return delta, excess, proven and excess == k


def controlled_round(
    values: Mapping[str, Decimal],
    aggregates: Sequence[Aggregate],
    *,
    quantum: Decimal = CENT,
    budget: int = DEFAULT_BUDGET,
) -> Rounding:
    """Round every leaf of `values` down or up to a multiple of `quantum` so that each aggregate
    lands on the floor or ceiling of its true value, or as near as the structure allows.

    Raises KeyError when an aggregate names a leaf that `values` lacks."""
    prob, var_keys, floors = _build(values, aggregates, quantum)
    delta: list[int] | None = None
    excess, proven, nodes = 0, True, 0
    limit = len(var_keys)  # no band needs widening by more than the number of leaves
    while delta is None and excess <= limit:
        delta, exhaustive, used = _Search(prob, excess).run(budget)
        nodes += used
        if delta is None:
            proven = proven and exhaustive
            if not exhaustive:  # out of nodes: solve the whole problem as an integer programme
                solved = _milp(prob)
                if solved is None:  # no answer either: settle for the balanced greedy path, unproven
                    delta = _greedy(prob)
                    excess = _excess(prob, delta)
                else:
                    delta, excess, by_milp = solved
                    proven = by_milp
                break
            excess += 1
    if delta is None:
        delta = _greedy(prob)
        excess = _excess(prob, delta)
    chosen = dict(zip(var_keys, delta, strict=True))
    rounded = {k: (floors[k] + chosen.get(k, 0)) * quantum for k in values}
    outside = _outside(values, rounded, aggregates, quantum) if excess else ()
    return Rounding(rounded, excess, proven, outside, nodes)


def within_band(true: Decimal, rounded: Decimal, quantum: Decimal = CENT) -> bool:
    """Whether `rounded` is the floor or the ceiling of `true` to a multiple of `quantum`."""
    t = true / quantum
    return _floor(t) * quantum <= rounded <= _ceil(t) * quantum


def _outside(
    values: Mapping[str, Decimal],
    rounded: Mapping[str, Decimal],
    aggregates: Sequence[Aggregate],
    quantum: Decimal,
) -> tuple[Deviation, ...]:
    out = []
    for a in aggregates:
        true = sum((c * values[k] for k, c in a.terms), Decimal(0))
        got = sum((c * rounded[k] for k, c in a.terms), Decimal(0))
        if not within_band(true, got, quantum):
            out.append(Deviation(a.name, true, got))
    return tuple(out)
