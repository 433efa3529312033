"""`xltools audit` on reports printed by LibreOffice: every amount right with a box that prints it,
the same findings as `xltools check` on the workbook printed, planted errors found on their page."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from fixture_books import read_manifest
from openpyxl import load_workbook
from planted import PLANTS

from xltools.audit.pipeline import Audit
from xltools.rules.engine import check_path
from xltools.rules.results import Finding
from xltools.text import parse_amount

pytestmark = pytest.mark.libreoffice

TEXT_PDFS = ("000_std", "001_std", "000_titles", "000_rotated", "001_borderless", "000_splithead")


def _key(f: Finding) -> tuple[str, str, str, str, str]:
    return (f.rule, f.verdict, str(f.expected), str(f.actual), f.message.split("；")[0])


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_audit_equals_check_on_the_printed_workbook(name: str, printed: dict, audits: dict) -> None:
    _pdf, book = printed[name]
    audit: Audit = audits[name]
    assert audit.result.error is None and audit.status == ""
    assert audit.table_ids == [f"公开0{i}" for i in range(1, 10)]
    source = check_path(book)
    assert Counter(map(_key, audit.result.findings)) == Counter(map(_key, source.findings))
    assert audit.result.department == source.department


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_every_amount_exact_with_a_box_that_prints_it(name: str, printed: dict, audits: dict) -> None:
    pdf, book = printed[name]
    audit: Audit = audits[name]
    assert audit.report is not None and audit.rebuilt is not None
    manifest = read_manifest(book)
    wb = load_workbook(book, data_only=True)
    checked = 0
    with pdfplumber.open(pdf if name != "000_rotated" else _upright(audit, pdf.parent)) as doc:
        for tid, entry in manifest["tables"].items():
            table = audit.report.tables[tid]
            for key, coord in entry["cells"].items():
                row, col = key.split("|")
                printed_value = parse_amount(wb[entry["sheet"]][coord].value)
                amount = table.amount(row, col)
                if printed_value.blank or printed_value.value is None:
                    assert amount is None or amount.value == 0, (tid, key)
                    continue
                assert amount is not None, (name, tid, key)
                assert amount.value == printed_value.value, (name, tid, key, amount.value)
                page, bbox = audit.rebuilt.origin[amount.cell]
                text = doc.pages[page - 1].crop(bbox).extract_text()
                assert parse_amount(text).value == amount.value, (tid, key, text)
                checked += 1
    assert checked >= 100


def _upright(audit: Audit, folder: Path) -> Path:
    assert audit.upright is not None
    out = folder / "rotated_upright.pdf"
    out.write_bytes(audit.upright)
    return out


def test_tables_over_pages_are_joined_and_headers_dropped(audits: dict) -> None:
    audit: Audit = audits["000_std"]
    joined = {t.name(): [g.page for g in t.grids] for t in audit.found if len(t.grids) > 1}
    assert set(joined) == {"公开02", "公开03", "公开06"}
    assert all(pages == [pages[0], pages[0] + 1] for pages in joined.values())
    sheet = next(s for s in audit.rebuilt.sheets if s.name == "公开06")  # type: ignore[union-attr]
    headers = [r for r in sheet.rows if r and r[0] == "经济分类科目"]
    assert len(headers) <= 1


def test_rotated_pages_read_as_upright(audits: dict) -> None:
    rotated: Audit = audits["000_rotated"]
    assert [p.kind for p in rotated.pages] == [p.kind for p in audits["000_std"].pages]


def test_findings_name_their_page(audits: dict) -> None:
    audit: Audit = audits["000_std"]
    tails = [f for f in audit.result.findings if f.verdict == "tail"]
    assert tails and all(f.page and f.where.startswith(f"第{f.page}页 公开") for f in tails)
    g2 = next(f for f in audit.result.findings if f.rule == "06-G2")
    assert g2.where.startswith("第8页 公开06 302 商品和服务支出")
    assert g2.to_dict()["page"] == 8 and len(g2.to_dict()["bbox"]) == 4


@pytest.mark.parametrize("plant", [p for p in PLANTS if p.name in ("g2_item_off", "a2_grand_total")])
def test_planted_errors_found_on_their_page(plant: Any, printed: dict) -> None:
    from xltools.audit import audit_file

    pdf, book = printed[f"plant_{plant.name}"]
    audit = audit_file(pdf)
    source = check_path(book)
    assert Counter(map(_key, audit.result.findings)) == Counter(map(_key, source.findings))
    errors = [f for f in audit.result.findings if f.verdict == "error"]
    assert {f.rule for f in errors} >= set(plant.rules)
    table_page = next(t.grids[0].page for t in audit.found if t.name() == plant.table)
    assert all(f.page == table_page for f in errors if plant.table in f.message.split("：")[0])


def test_borderless_table_is_read_by_its_column_model(audits: dict) -> None:
    audit: Audit = audits["001_borderless"]
    table = next(t for t in audit.found if t.name() == "公开05")
    assert table.by == "unruled" and table.grids[0].page == 5


def test_borderless_table_without_column_model_is_refused_not_guessed(audits: dict, printed: dict) -> None:
    audit: Audit = audits["001_nolanci"]
    assert "公开05" not in audit.table_ids and audit.status == "部分表未能识别"
    refused = [f for f in audit.result.findings if "未能可靠识别" in f.message]
    assert len(refused) == 1 and refused[0].page == 5 and refused[0].verdict == "warning"
    assert not any("缺少公开05" in f.message for f in audit.result.findings)
    assert audit.result.count("error") == 0  # nothing invented
    source = check_path(printed["001_nolanci"][1])
    tails = {_key(f) for f in source.findings if f.verdict == "tail" and "公开05" not in f.message}
    assert tails and tails <= {_key(f) for f in audit.result.findings}


def test_split_numbers_are_read(printed: dict) -> None:
    from xltools.audit.rebuild import sheet_value

    assert sheet_value("1, 022. 32") == 1022.32
    assert sheet_value("975. 48") == 975.48
    assert sheet_value("60") == 60 and sheet_value("2010301") == 2010301
    assert sheet_value("—") == "—" and sheet_value("") is None
    assert Decimal(repr(sheet_value("1,038.84"))) == Decimal("1038.84")


@pytest.mark.parametrize("name", ["000_std", "001_std"])
def test_word_report_equals_check(name: str, printed: dict, tmp_path: Path) -> None:
    """A report published as .docx (tables pasted into Word, merged headers kept): the same
    pipeline, the same findings as the workbook; no boxes, since Word keeps no geometry."""
    from pdfs import to_docx

    from xltools.audit import audit_file

    book = printed[name][1]
    audit = audit_file(to_docx(book, tmp_path / f"{name}.docx"))
    assert audit.result.error is None and len(audit.table_ids) == 9
    assert Counter(map(_key, audit.result.findings)) == Counter(map(_key, check_path(book).findings))
    assert all(f.bbox is None for f in audit.result.findings)
    assert [p.number for p in audit.pages] == list(range(1, 10))


def test_not_a_word_file_is_refused(tmp_path: Path) -> None:
    from xltools.audit import audit_file

    fake = tmp_path / "报告.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    audit = audit_file(fake)
    assert audit.status == "无法读取" and "旧版 .doc" in (audit.result.error or "")


def test_one_pipeline_for_any_source(printed: dict) -> None:
    """The pipeline takes Page/TableGrid/Line whatever read them: the same cells marked as OCR'd
    (as audit/ocr hands them) give the same tables and the same relations found broken."""
    from dataclasses import replace

    from xltools.audit.cells import Page, TableGrid
    from xltools.audit.pdftext import read_pdf
    from xltools.audit.pipeline import audit_pages

    pdf = printed["plant_g2_item_off"][0]
    pages = read_pdf(pdf).pages

    def as_ocr(page: Page) -> Page:
        grids = tuple(
            TableGrid(
                g.page,
                g.bbox,
                tuple(
                    tuple(None if c is None else replace(c, source="ocr", confidence=0.97) for c in row)
                    for row in g.rows
                ),
            )
            for g in page.tables
        )
        return replace(page, tables=grids)

    text = audit_pages(str(pdf), pages)
    ocr = audit_pages(str(pdf), [as_ocr(p) for p in pages])
    assert ocr.table_ids == text.table_ids
    assert ocr.rebuilt is not None and text.rebuilt is not None
    assert [s.rows for s in ocr.rebuilt.sheets] == [s.rows for s in text.rebuilt.sheets]
    assert ocr.result.count("pass") == text.result.count("pass")
    assert {f.rule for f in ocr.result.findings if f.cells and f.verdict != "pass"} >= {"06-G2"}


def test_unnamed_borderless_page_is_reported_not_dropped(printed: dict) -> None:
    """A borderless page whose title and marker are missing (a table's second page, say): its amounts
    are not checked, and the audit says so on that page."""
    from dataclasses import replace

    from xltools.audit.pdftext import read_pdf
    from xltools.audit.pipeline import audit_pages
    from xltools.read.locate import match_marker, match_title

    pdf = printed["001_borderless"][0]
    pages = read_pdf(pdf).pages
    page5 = pages[4]
    kept = tuple(ln for ln in page5.lines if not (match_title(ln.text) or match_marker(ln.text)))
    pages[4] = replace(page5, lines=kept)
    audit = audit_pages(str(pdf), pages)
    said = [f for f in audit.result.findings if f.page == 5 and "未能认出是哪张公开表" in f.message]
    assert len(said) == 1 and said[0].verdict == "warning"
    assert "公开05" not in audit.table_ids and audit.result.count("error") == 0


def test_cells_that_print_no_amount_refuse_their_table() -> None:
    """'###' (a column too narrow for 元 amounts) or a label run into an amount: the table is refused,
    never judged with a guessed amount; codes with names and notes are not mistaken for them."""
    from xltools.audit.cells import Cell, TableGrid
    from xltools.audit.identify import FoundTable
    from xltools.audit.pipeline import garbled_cells

    def table(*texts: str) -> FoundTable:
        cells = tuple(Cell(t, 3, (0.0, 0.0, 1.0, 1.0)) for t in texts)
        return FoundTable(("支出决算表", 3), "marker", grids=[TableGrid(3, (0.0, 0.0, 1.0, 1.0), (cells,))])

    assert [c.text for c in garbled_cells(table("###", "1,022.32", "支 975.48"))] == ["###", "支 975.48"]
    assert garbled_cells(table("2010301 行政运行 12.00", "注：合计 1.00", "1,022.32", "-", "")) == []


def test_labels_cut_short_in_print_give_no_invented_error(audits: dict) -> None:
    """Tables stacked on one sheet print with narrow columns: labels cut short ('一、一般公共服'),
    labels run into amounts. Each is said (无法识别, 未能可靠识别) and no error is claimed from it."""
    audit: Audit = audits["001_stacked"]
    assert audit.result.count("error") == 0
    said = [f for f in audit.result.findings if f.rule == "F0" and f.page]
    assert any("无法识别" in f.message for f in said) and any("未能可靠识别" in f.message for f in said)
    doubtful = [f for f in audit.result.findings if "差额可能由此造成" in f.message]
    assert doubtful and all(f.verdict == "warning" and f.page for f in doubtful)
