"""The part three of both reference reports checked against their tables: the mistakes
narrative.md describes are found, and nothing else is called an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from narrative_figures import report as figures_report

from xltools.model import Report
from xltools.narrative import NarrativeCheck, check_narrative

DATA = Path(__file__).parent / "data"

# (rule, verdict, the stated figure) — the findings that are not passes or N0 notes
EXPECTED = {
    "r000": {("N3", "warning", "15.97%")},
    "r001": {
        ("N2", "error", "10.93%"),  # 收支总计 sentence: 100.76 / 925.14 = 10.89%
        ("N3", "warning", "107.49%"),  # 107.496% cut, not rounded
        ("N6", "warning", "100%"),  # 公务接待费 增加0.24万元，100% on a prior year of 0
        ("N3", "warning", "1.49%"),  # 机关运行经费 比年初预算数减少12.11万元 → 1.497%
    },
}
ERRORS = {"r000": set(), "r001": {"一、收入支出决算总体情况说明"}}


def _flagged(result: NarrativeCheck) -> set[tuple[str, str, str]]:
    return {(o.rule, o.verdict, o.message.split(" ", 1)[0].split("：", 1)[0]) for o in result.flagged}


def _run(name: str, report: Report) -> NarrativeCheck:
    return check_narrative(report, DATA / f"{name}_part3.txt")


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_reference_findings_from_figures(name: str) -> None:
    result = _run(name, figures_report(name))
    assert _flagged(result) == EXPECTED[name]
    assert {o.location.split(" ")[1] for o in result.errors} == ERRORS[name]


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_reference_findings_from_workbooks(name: str, books: dict[str, Path]) -> None:
    from xltools.read import read_report

    result = _run(name, read_report(books[f"{name[1:]}_std"]))
    assert _flagged(result) == EXPECTED[name]
    assert len(result.errors) == len(ERRORS[name])


def test_the_wrong_rate_names_the_right_one() -> None:
    result = _run("r001", figures_report("r001"))
    (error,) = result.errors
    assert error.expected is not None and str(error.expected) == "10.89"
    assert "100.76万元/(1025.9万元−100.76万元)" in error.message


def test_headings_are_placed_on_their_items() -> None:
    result = _run("r001", figures_report("r001"))
    headings = [o for o in result.outcomes if o.rule == "N4"]
    assert [o.verdict for o in headings] == ["pass"] * 4
    assert [o.cells[0].row for o in headings] == sorted(o.cells[0].row for o in headings)


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_claim_counts(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The numbers the lead quotes: claims found, placed (on a cell or by arithmetic), flagged."""
    result = _run(name, figures_report(name))
    c = result.counts()
    with capsys.disabled():
        print(
            f"\n{name}: found {c['found']}, placed {c['placed']}, flagged {c['flagged']} "
            f"(errors {c['errors']}), unplaced (N0) {c['unplaced']}"
        )
    assert c["found"] == c["placed"] + c["unplaced"]
    assert c["placed"] >= 0.85 * c["found"]
    assert {o.rule for o in result.unplaced} == {"N0"}
