"""The two reference reports as the reader sees them: the std workbooks built from
tests/fixtures/reports/r000.toml and r001.toml, read once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from xltools.model import Report

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def reports(books: dict[str, Path]) -> dict[str, Report]:
    """'r000', 'r001' → the Report read from books['000_std'], books['001_std'] (no year: the
    workbooks carry none, so prose asks for it unless an inputs file or --year gives it)."""
    from xltools.read import read_report

    return {f"r{n}": read_report(books[f"{n}_std"]) for n in ("000", "001")}
