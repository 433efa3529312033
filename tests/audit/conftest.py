"""Session fixtures for the audit tests: the fixture workbooks printed to PDF once per run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from printing import soffice

PLANTS = ("g2_item_off", "a2_grand_total", "f2_department", "x15_reception", "tail_06_item")


@pytest.fixture(scope="session")
def printed(
    tmp_path_factory: pytest.TempPathFactory, planted: dict[str, Path]
) -> dict[str, tuple[Path, Path]]:
    """name → (PDF, the workbook it was printed from): see pdfs.SOURCES, plus 'plant_<name>' copies
    with one planted error each and '000_rotated'."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from pdfs import build_pdfs

    chosen = {k: v for k, v in planted.items() if k in PLANTS}
    return build_pdfs(tmp_path_factory.mktemp("pdfs"), chosen)


@pytest.fixture(scope="session")
def audits(printed: dict[str, tuple[Path, Path]]) -> dict[str, object]:
    """Each printed PDF audited once."""
    from xltools.audit import audit_file

    return {name: audit_file(pdf) for name, (pdf, _) in printed.items()}


@pytest.fixture(scope="session")
def plant_scans(tmp_path_factory: pytest.TempPathFactory, planted: dict[str, Path]) -> dict[str, Path]:
    """The g2_item_off workbook printed ruled, one table a page, and scanned (tests/fixtures/scans.py):
    'plant.clean', 'plant.skewed', 'plant.flipped' (each page skewed the other way), 'plant.turned'
    (three pages fed in turned round) → image-only PDF; 'plant.book' → the workbook; 'plant.ruled' →
    the ruled copy that was printed."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from scans import scan_books

    out = tmp_path_factory.mktemp("plant_scans")
    book = out / "plant.xlsx"
    book.write_bytes(planted["g2_item_off"].read_bytes())
    found = scan_books([book], out)
    return {**found, "plant.book": book, "plant.ruled": out / "printed" / "plant.xlsx"}


SCANS = ("clean", "skewed", "flipped")


@pytest.fixture(scope="session")
def scan_audits(plant_scans: dict[str, Path]) -> dict[str, object]:
    """Each scan of the planted workbook audited once for the session (OCR costs seconds a page):
    'clean' / 'skewed' / 'flipped' → Audit; the OCR tests read its pages rather than OCR again."""
    from xltools.audit import audit_file

    return {kind: audit_file(plant_scans[f"plant.{kind}"]) for kind in SCANS}
