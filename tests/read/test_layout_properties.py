"""Property: any combination of the wild-layout transforms (tests/read/test_wild_layouts.py) applied to a
clean reference book reads to the same amounts, department and findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from xltools.read import read_report
from xltools.rules.engine import evaluate

from .test_wild_kinds import assert_found_at, judged, values
from .test_wild_layouts import TRANSFORMS
from .wild_kinds import KINDS, plant

# transforms written for the plain std book that undo or misplace each other's edits (fixed column
# letters, text codes, a unit cell in row 1) are not drawn together
EXCLUSIVE = [
    {"split_codes_05", "total_at_bottom"},
    {"marker_in_title_cell", "decorated_titles"},
    {"codes_as_numbers", "split_codes_05"},
    {"codes_as_numbers", "total_at_bottom"},
    {"shift_right", "swapped_columns_03"},
    {"shift_right", "split_codes_05"},
    {"shift_right", "total_at_bottom"},
    {"blank_rows_everywhere", "unit_in_header_only"},
    # the layouts of wild_kinds.py: one arrangement of sheets at a time; fixed columns do not move
    {"side_by_side_2", "side_by_side_3", "side_by_side_9"},
    {"shift_right", "hidden_stale", "transposed_07", "uncached_formulas", "stacked_ledgers"},
    {"swapped_columns_03", "hidden_stale"},
    {"codes_as_numbers", "uncached_formulas", "hidden_stale"},
    {"split_codes_05", "uncached_formulas", "hidden_stale"},
    {"total_at_bottom", "uncached_formulas"},
    {"no_lanci_no_merges", "transposed_07"},
    {"empty_without_total", "empty_total_with_remark"},
    # openpyxl's insert_rows leaves hidden flags behind; side_by_side copies values only
    {"blank_rows_everywhere", "hidden_stale"},
    {"side_by_side_2", "hidden_stale"},
    {"side_by_side_3", "hidden_stale"},
    {"side_by_side_9", "hidden_stale"},
    {"side_by_side_2", "uncached_formulas"},
    {"side_by_side_3", "uncached_formulas"},
    {"side_by_side_9", "uncached_formulas"},
]
ALL = {**TRANSFORMS, **KINDS}
NAMES = sorted(ALL)
# openpyxl moves no hidden flag when rows move: hide after the other edits
# nor any formula reference: write formulas after the rows moved, and never copy them elsewhere
LAST = (
    "hidden_stale",
    "blank_rows_everywhere",
    "uncached_formulas",
    "side_by_side_2",
    "side_by_side_3",
    "side_by_side_9",
)


def _order(name: str) -> tuple[int, int]:
    return (LAST.index(name) + 1 if name in LAST else 0, NAMES.index(name))


def _compatible(chosen: list[str]) -> bool:
    return all(len(group & set(chosen)) < 2 for group in EXCLUSIVE)


@pytest.fixture(scope="module")
def baselines(books: dict[str, Path]) -> dict[str, tuple[dict, dict]]:
    out = {}
    for name in ("000_std", "001_std"):
        out[name] = (values(books[name]), judged(evaluate(read_report(books[name]))))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    book=st.sampled_from(["000_std", "001_std"]),
    chosen=st.lists(st.sampled_from(NAMES), min_size=2, max_size=5, unique=True).filter(_compatible),
    planted=st.booleans(),
)
def test_any_combination_reads_the_same(
    books: dict[str, Path],
    baselines: dict,
    tmp_path_factory: pytest.TempPathFactory,
    book: str,
    chosen: list[str],
    planted: bool,
) -> None:
    wb = load_workbook(books[book])
    value = plant(wb, "公开05", "D10") if planted else None  # 2010301 行政运行 基本支出 in both books
    try:
        # openpyxl's insert_rows leaves merged ranges where they were: insert the blank rows last,
        # and gather tables side by side after every other edit
        for name in sorted(chosen, key=_order):
            ALL[name](wb)
    except (KeyError, StopIteration, ValueError, AttributeError):
        assume(False)  # a transform that finds nothing left to transform: not a layout to read
    path = tmp_path_factory.mktemp("combo") / "combo.xlsx"
    wb.save(path)
    if value is not None:
        assert_found_at(path, value)
        return
    amounts, summary = baselines[book]
    assert values(path) == amounts, chosen
    result = evaluate(read_report(path))
    assert judged(result) == summary, (chosen, [f.message for f in result.failures])
