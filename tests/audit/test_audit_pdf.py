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

TEXT_PDFS = ("000_std", "001_std", "000_titles", "000_rotated")


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


def test_borderless_table_is_refused_not_guessed(audits: dict, printed: dict) -> None:
    audit: Audit = audits["001_borderless"]
    assert "公开05" not in audit.table_ids
    refused = [f for f in audit.result.findings if "未能可靠识别" in f.message]
    assert len(refused) == 1 and refused[0].page == 5 and refused[0].verdict == "warning"
    assert not any("缺少公开05" in f.message for f in audit.result.findings)
    assert audit.result.count("error") == 0  # nothing invented
    source = check_path(printed["001_borderless"][1])
    others = {_key(f) for f in source.findings if "公开05" not in f.message and f.verdict != "n/a"}
    assert {_key(f) for f in audit.result.findings if f.verdict not in ("n/a",)} >= {
        k for k in others if k[1] == "pass" and not k[0].startswith(("X", "F"))
    }


def test_split_numbers_are_read(printed: dict) -> None:
    from xltools.audit.rebuild import sheet_value

    assert sheet_value("1, 022. 32") == 1022.32
    assert sheet_value("975. 48") == 975.48
    assert sheet_value("60") == 60 and sheet_value("2010301") == 2010301
    assert sheet_value("—") == "—" and sheet_value("") is None
    assert Decimal(repr(sheet_value("1,038.84"))) == Decimal("1038.84")
