"""Controlled rounding: every leaf and every total lands on the floor or ceiling of its true value.

Proven by property tests on hierarchical tables (function codes × money columns, with row and column
totals at every level) and on whole random departments; where the relations cannot all be met, a
brute force over every rounding shows the reported excess is the smallest possible.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xltools.fill.rounding import DEFAULT_BUDGET, Aggregate, controlled_round, within_band

CENT = Decimal("0.01")
amounts = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n) / 10000)  # 元 → 万元


def _check(values: dict[str, Decimal], aggs: list[Aggregate], budget: int = DEFAULT_BUDGET) -> None:
    r = controlled_round(values, aggs, budget=budget)
    assert r.exact and r.proven and not r.outside
    for k, v in values.items():
        assert within_band(v, r.values[k]) and r.values[k] == r.values[k].quantize(CENT)
    for a in aggs:
        true = sum(c * values[k] for k, c in a.terms)
        assert within_band(true, sum(c * r.values[k] for k, c in a.terms)), a.name


@st.composite
def hierarchical_tables(draw: st.DrawFn) -> tuple[dict[str, Decimal], list[Aggregate]]:
    """项 codes under 款 under 类, × money columns; every node × column, every row total."""
    n_cols = draw(st.integers(1, 5))
    items = draw(
        st.lists(
            st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4)),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )
    codes = [f"2{a:02d}{b:02d}{c:02d}" for a, b, c in items]
    values = {f"{code}|{j}": draw(amounts) for code in codes for j in range(n_cols)}
    prefixes = {"", *(c[:3] for c in codes), *(c[:5] for c in codes), *codes}
    aggs = []
    for p in prefixes:
        members = [c for c in codes if c.startswith(p)]
        for j in range(n_cols):
            aggs.append(Aggregate(f"{p or '合计'}|{j}", tuple((f"{c}|{j}", 1) for c in members)))
        aggs.append(
            Aggregate(f"{p or '合计'}|total", tuple((f"{c}|{j}", 1) for c in members for j in range(n_cols)))
        )
    return values, aggs


@settings(max_examples=150, deadline=None)
@given(hierarchical_tables())
def test_hierarchical_tables_round_exactly(table: tuple[dict[str, Decimal], list[Aggregate]]) -> None:
    _check(*table)
    _check(*table, budget=0)  # the integer programme alone finds the exact rounding too


@settings(max_examples=100, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=60))
def test_one_total_largest_remainder(parts: list[Decimal]) -> None:
    values = {f"x{i}": v for i, v in enumerate(parts)}
    _check(values, [Aggregate("total", tuple((k, 1) for k in values))])


def _brute_excess(values: dict[str, Decimal], aggs: list[Aggregate]) -> int:
    keys = list(values)
    floors = {k: (values[k] / CENT).to_integral_value(rounding="ROUND_FLOOR") * CENT for k in keys}
    best = None
    for bits in itertools.product((0, 1), repeat=len(keys)):
        rounded = {
            k: floors[k] + (CENT * b if values[k] != floors[k] else 0)
            for k, b in zip(keys, bits, strict=True)
        }
        worst = 0
        for a in aggs:
            true = sum(c * values[k] for k, c in a.terms) / CENT
            got = sum(c * rounded[k] for k, c in a.terms) / CENT
            lo, hi = (
                true.to_integral_value(rounding="ROUND_FLOOR"),
                true.to_integral_value(rounding="ROUND_CEILING"),
            )
            worst = max(worst, int(lo - got), int(got - hi), 0)
        best = worst if best is None else min(best, worst)
    assert best is not None
    return best


def test_impossible_relations_are_reported_with_the_least_excess() -> None:
    # three half cents, each pair must total exactly one cent: an odd cycle no rounding satisfies
    values = {k: Decimal("0.005") for k in "abc"}
    aggs = [Aggregate(f"{x}+{y}", ((x, 1), (y, 1))) for x, y in ("ab", "bc", "ca")]
    r = controlled_round(values, aggs)
    assert not r.exact and r.proven and r.excess == 1 == _brute_excess(values, aggs)
    assert len(r.outside) == 1 and r.outside[0].true == Decimal("0.010")
    r = controlled_round(values, aggs, budget=0)
    assert not r.exact and r.proven and r.excess == 1 and len(r.outside) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([Decimal("0.001"), Decimal("0.005"), Decimal("0.007"), Decimal("0.012")]),
        min_size=3,
        max_size=8,
    ),
    st.lists(st.lists(st.integers(0, 7), min_size=2, max_size=4, unique=True), min_size=1, max_size=8),
    st.lists(st.sampled_from([1, -1]), min_size=4, max_size=4),
)
def test_reported_excess_is_minimal(parts: list[Decimal], sets: list[list[int]], signs: list[int]) -> None:
    """Arbitrary crossing sums (no structure at all): the search is exact, the excess is optimal."""
    values = {f"x{i}": v for i, v in enumerate(parts)}
    aggs = [
        Aggregate(f"s{j}", tuple((f"x{i}", signs[n % 4]) for n, i in enumerate(s) if i < len(parts)))
        for j, s in enumerate(sets)
    ]
    aggs = [a for a in aggs if a.terms]
    best = _brute_excess(values, aggs)
    for budget in (DEFAULT_BUDGET, 0):  # 0: the search gives up at once, the integer programme decides
        r = controlled_round(values, aggs, budget=budget)
        assert r.proven
        assert r.excess == best
        assert len(r.outside) == 0 if best == 0 else r.outside
