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

from .test_wild_layouts import TRANSFORMS, _values

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
]
NAMES = sorted(TRANSFORMS)


def _compatible(chosen: list[str]) -> bool:
    return all(len(group & set(chosen)) < 2 for group in EXCLUSIVE)


@pytest.fixture(scope="module")
def baselines(books: dict[str, Path]) -> dict[str, tuple[dict, dict]]:
    out = {}
    for name in ("000_std", "001_std"):
        summary = evaluate(read_report(books[name])).summary
        out[name] = (_values(books[name]), {k: v for k, v in summary.items() if k != "passed"})
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    book=st.sampled_from(["000_std", "001_std"]),
    chosen=st.lists(st.sampled_from(NAMES), min_size=2, max_size=5, unique=True).filter(_compatible),
)
def test_any_combination_reads_the_same(
    books: dict[str, Path],
    baselines: dict,
    tmp_path_factory: pytest.TempPathFactory,
    book: str,
    chosen: list[str],
) -> None:
    wb = load_workbook(books[book])
    try:
        # openpyxl's insert_rows leaves merged ranges where they were: insert the blank rows last
        for name in sorted(chosen, key=lambda n: (n == "blank_rows_everywhere", NAMES.index(n))):
            TRANSFORMS[name](wb)
    except (KeyError, StopIteration, ValueError, AttributeError):
        assume(False)  # a transform that finds nothing left to transform: not a layout to read
    path = tmp_path_factory.mktemp("combo") / "combo.xlsx"
    wb.save(path)
    values, summary = baselines[book]
    assert _values(path) == values, chosen
    result = evaluate(read_report(path))
    got = {k: v for k, v in result.summary.items() if k != "passed"}
    assert got == summary, (chosen, [f.message for f in result.failures])
