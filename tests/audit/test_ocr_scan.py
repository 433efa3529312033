"""OCR of scanned reports: the ruled grid of each table, every amount at its cell, honest confidence.

OCR costs seconds a page, so these tests look at a few chosen pages (公开02: plain; 公开06: three
column groups and merged total cells; 公开04: the widest) of the session's audits of the scans
(conftest.scan_audits): every page is OCR'd once a session."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from scans import SKEW, TURNED, printed_amounts

from xltools.audit.ocr import INSTALL_HINT, available

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
if not available():  # the [ocr] extra is part of the test install; say so rather than skip quietly
    pytest.fail(INSTALL_HINT, pytrace=False)

from xltools.audit.cells import Cell, Page, TableGrid  # noqa: E402
from xltools.audit.ocr import SURE, engine  # noqa: E402
from xltools.audit.ocr.raster import page_images  # noqa: E402
from xltools.audit.ocr.review import Pages, confirmed, write_crop  # noqa: E402
from xltools.audit.pipeline import Audit  # noqa: E402
from xltools.text import parse_amount  # noqa: E402

P02, P04, P06 = 2, 4, 6  # pages of the report printed one table a page


@pytest.fixture(scope="module")
def read(scan_audits: dict[str, Audit]) -> dict[str, dict[int, Page]]:
    """The pages as OCR read them in the session's audits: kind → page → Page."""
    return {kind: {p.number: p for p in scan_audits[kind].pages} for kind in ("clean", "skewed", "flipped")}


def _misread(table: TableGrid, expected: dict[tuple[int, int], Decimal]) -> list[str]:
    wrong = []
    for (r, c), value in expected.items():
        cell = table.rows[r][c] if r < len(table.rows) and c < len(table.rows[r]) else None
        got = parse_amount(cell.text).value if cell is not None else None
        if got != value:
            wrong.append(f"({r},{c}) {value} read {cell.text if cell else None!r}")
    return wrong


@pytest.mark.parametrize("page", [P02, P06])
def test_clean_scan_every_amount_at_its_cell(read, plant_scans, page: int) -> None:
    scanned = read["clean"][page]
    assert len(scanned.tables) == 1
    expected = printed_amounts(plant_scans["plant.ruled"])[page - 1]
    assert len(expected) >= 10
    assert _misread(scanned.tables[0], expected) == []
    for row in scanned.tables[0].rows:
        for cell in row:
            assert cell is None or (
                cell.source == "ocr" and cell.confidence is not None and cell.page == page
            )


@pytest.mark.parametrize("kind", ["skewed", "flipped"])
def test_skewed_scan_amounts_right_or_unsure(read, plant_scans, kind: str) -> None:
    """On the skewed, noisy scans (each page +0.35° in one, −0.35° in the other) an amount is read
    right, or its confidence says it is not sure: a wrong amount is never a sure one."""
    expected = printed_amounts(plant_scans["plant.ruled"])
    total = wrong_but_sure = 0
    misread: list[str] = []
    for page in (P04, P06):
        table = read[kind][page].tables[0]
        for (r, c), value in expected[page - 1].items():
            cell = table.rows[r][c]
            assert cell is not None
            total += 1
            if parse_amount(cell.text).value != value:
                misread.append(f"p{page} ({r},{c}) {value} read {cell.text!r} at {cell.confidence:.2f}")
                wrong_but_sure += (cell.confidence or 0) >= SURE
    assert total >= 70
    assert len(misread) <= total * 0.03, misread
    assert wrong_but_sure == 0, misread


def test_merged_cells_and_shape_of_06(read) -> None:
    """公开06: 9 columns (three groups of code, name, amount); the total row's labels span columns,
    the slots they cover are None."""
    table = read["clean"][P06].tables[0]
    assert {len(row) for row in table.rows} == {9}
    last = table.rows[-1]
    assert last[0] is not None and "人员经费合计" in last[0].text and last[1] is None
    assert last[3] is not None and "公用经费合计" in last[3].text and last[4:8] == (None,) * 4
    assert parse_amount(last[8].text).value == Decimal("579.76")


def test_text_around_the_table(read) -> None:
    lines = [line.text for line in read["clean"][P02].lines]
    assert lines[0] == "收入决算表"
    assert any(t.startswith("部门") and "醴陵市行政审批服务局" in t for t in lines)
    assert any("单位" in t and "万元" in t for t in lines)
    assert any(t.startswith("注") for t in lines)


def test_deskew_measures_the_skew(plant_scans) -> None:
    skewed = page_images(plant_scans["plant.skewed"], turn=0)
    clean = page_images(plant_scans["plant.clean"], turn=0)
    assert all(abs(abs(p.angle) - SKEW) < 0.06 for p in skewed)
    assert all(abs(p.angle) < 0.03 for p in clean)
    assert all(p.pixels.dtype == np.uint8 for p in skewed)


def test_second_pass_confirms_only_what_it_reads_again(read, plant_scans) -> None:
    table = read["clean"][P02].tables[0]
    pages = Pages(plant_scans["plant.clean"])
    total = next(c for c in table.rows[3] if c is not None and c.text == "2,267.91")
    assert confirmed(pages, [total])
    planted = Cell("2,276.91", total.page, total.bbox, source="ocr", confidence=0.99)
    assert not confirmed(pages, [planted])
    unsure = Cell(total.text, total.page, total.bbox, source="ocr", confidence=0.5)
    assert not confirmed(pages, [unsure])
    assert confirmed(pages, [Cell("1.00", 1, (0, 0, 1, 1))])  # a text layer is exact


def test_crop_of_the_cells(read, plant_scans, tmp_path: Path) -> None:
    import cv2

    table = read["clean"][P02].tables[0]
    cells = [c for c in table.rows[3] if c is not None and c.text]
    out = write_crop(Pages(plant_scans["plant.clean"]), cells, tmp_path / "crop.png")
    assert out is not None
    image = cv2.imdecode(np.frombuffer(out.read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[0] > 30 and image.shape[1] > 200
    red = (image[:, :, 2] > 200) & (image[:, :, 1] < 80) & (image[:, :, 0] < 80)
    assert red.sum() > 100  # the cells are boxed in red
    assert (
        write_crop(Pages(plant_scans["plant.clean"]), [Cell("1", 1, (0, 0, 1, 1))], tmp_path / "x.png")
        is None
    )


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("2,225,27", "2,225.27"),  # the decimal point read as a comma
        ("2.211.04", "2,211.04"),  # the thousands comma read as a point
        ("23:26", "23.26"),  # a speck by the point
        ("2,22527", "2,225.27"),  # the point dropped after a thousands group
        ("-1.022.32", "-1,022.32"),
        ("2,225.27", None),  # right already
        ("12,345", None),  # no decimals: not an amount's shape
        ("3010.6", None),  # a code misread, not an amount
        ("2021.12.31", None),  # a date
        ("20103", None),
    ],
)
def test_separators_set_right_by_the_amounts_shape(raw: str, fixed: str | None) -> None:
    assert engine.separators(raw) == fixed


def test_labels_lose_the_usual_slips() -> None:
    assert engine.label("、一般公共预算财政拨款收入") == "一般公共预算财政拨款收入"
    assert engine.label("其他政府办公厅(室）及相关机构事务") == "其他政府办公厅（室）及相关机构事务"
    assert engine.label("政府办公厅(室)及相关机构事务") == "政府办公厅(室)及相关机构事务"


def test_pages_fed_in_turned_round_are_read_upright(plant_scans, tmp_path: Path) -> None:
    """公开02 lying a quarter turn one way, 公开04 the other, 公开06 upside down (skewed, noisy): each
    is turned upright, its tables identified and every amount read at its cell; the PDF the crops
    and boxes are cut from is turned the same way."""
    from xltools.audit import audit_file

    audit = audit_file(plant_scans["plant.turned"])
    assert audit.table_ids == ["公开02", "公开04", "公开06"]
    assert [p.rotation for p in audit.pages] == list(TURNED.values())  # clockwise undoes anticlockwise
    expected = printed_amounts(plant_scans["plant.ruled"])
    for page, source in zip(audit.pages, TURNED, strict=True):
        assert page.width > page.height  # landscape tables, upright
        wrong = _misread(page.tables[0], expected[source - 1])
        assert len(wrong) <= 1, wrong  # as on any skewed page: at most a misreading, never a sure one
    assert audit.upright is not None
    images = Pages(audit.upright)
    assert all(images[p.number].pixels.shape[1] > images[p.number].pixels.shape[0] for p in audit.pages)
    cell = next(c for c in audit.pages[0].tables[0].rows[3] if c is not None and c.text == "2,267.91")
    assert confirmed(images, [cell])  # read again from the turned PDF: the same cell, the same amount


def test_a_blank_or_speckled_page_is_not_turned() -> None:
    from PIL import Image
    from scans import degrade

    from xltools.audit.ocr.orient import best_turn

    white = Image.new("L", (1240, 1754), 255)
    assert best_turn(np.asarray(white)) == 0
    assert best_turn(np.asarray(degrade(white, SKEW, seed=3))) == 0
