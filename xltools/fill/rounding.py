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
in its band.
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
            if not exhaustive:  # no proof either way: settle for the balanced greedy path
                delta = _greedy(prob)
                excess = _excess(prob, delta)
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
