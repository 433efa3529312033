"""The `xltools audit` command: a folder with good, corrupt, scanned and non-report PDFs gives one
result (and one summary row) each, never a traceback; -o writes the workbook, annotated PDF, summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xltools.cli import main

pytestmark = pytest.mark.libreoffice


def _scan(path: Path) -> Path:
    """An image-only PDF, as a scanner makes it."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(img).rectangle((100, 100, 1100, 600), outline=0, width=3)
    img.save(path, "PDF", resolution=150)
    return path


def _blank(path: Path) -> Path:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, printed: dict) -> Path:
    root = tmp_path_factory.mktemp("batch")
    shutil.copyfile(printed["000_std"][0], root / "醴陵.pdf")
    shutil.copyfile(printed["plant_g2_item_off"][0], root / "有错误.pdf")
    (root / "坏文件.pdf").write_bytes(b"this is not a pdf at all")
    (root / "截断.pdf").write_bytes(printed["001_std"][0].read_bytes()[:4000])
    _scan(root / "扫描.pdf")
    _blank(root / "空白.pdf")
    return root


def test_folder_gives_one_row_each_and_a_summary(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "out"
    code = main(["audit", str(folder), "-o", str(out), "--format", "json", "--jobs", "2"])
    assert code == 2  # unreadable files; the batch went on
    doc = json.loads(capsys.readouterr().out)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert set(by_name) == {"醴陵.pdf", "有错误.pdf", "坏文件.pdf", "截断.pdf", "扫描.pdf", "空白.pdf"}
    assert "不是 PDF 文件" in by_name["坏文件.pdf"]["error"]
    assert "损坏" in by_name["截断.pdf"]["error"]
    assert "扫描件" in by_name["扫描.pdf"]["error"]
    assert by_name["醴陵.pdf"]["error"] is None and by_name["醴陵.pdf"]["summary"]["errors"] == 0
    g2 = [f for f in by_name["有错误.pdf"]["findings"] if f["rule"] == "06-G2" and f["verdict"] == "error"]
    assert g2 and g2[0]["page"] == 6 and g2[0]["location"].startswith("第6页 公开06 302")
    rows = list(load_workbook(out / "汇总.xlsx").active.iter_rows(values_only=True))
    status = {r[0]: r[8] for r in rows[1:]}
    assert status == {
        "醴陵.pdf": "通过",
        "有错误.pdf": "有错误",
        "坏文件.pdf": "无法读取",
        "截断.pdf": "无法读取",
        "扫描.pdf": "扫描件",
        "空白.pdf": "未找到公开表",
    }
    html = (out / "汇总.html").read_text(encoding="utf-8")
    assert html.count("<tr class=") == 6 and "有错误.标注.pdf" in html
    assert (out / "有错误.重建.xlsx").exists() and (out / "有错误.标注.pdf").exists()


def test_annotated_pdf_boxes_each_error(folder: Path, tmp_path: Path) -> None:
    import pypdf

    assert main(["audit", str(folder / "有错误.pdf"), "-o", str(tmp_path)]) == 1
    reader = pypdf.PdfReader(tmp_path / "有错误.标注.pdf")
    boxes = [a.get_object() for a in reader.pages[5].get("/Annots", [])]
    squares = [a for a in boxes if a["/Subtype"] == "/Square"]
    assert squares and all("06-G2" in str(a["/Contents"]) or a["/Contents"] for a in squares)
    wb = load_workbook(tmp_path / "有错误.重建.xlsx")
    assert "校验" in wb.sheetnames and "公开06" in wb.sheetnames
    listing = (tmp_path / "有错误.问题清单.txt").read_text(encoding="utf-8")
    assert "第6页 公开06 302 商品和服务支出" in listing


def test_text_and_junit(folder: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["audit", str(folder / "醴陵.pdf")]) == 0
    text = capsys.readouterr().out
    assert "公开表 9/9" in text and "尾差" in text and "第" in text
    assert main(["audit", str(folder / "坏文件.pdf"), "--format", "junit"]) == 2
    assert "<testsuite" in capsys.readouterr().out


def test_sample_report_prose_equals_narrative_check(tmp_path: Path) -> None:
    """The bundled sample's builder: the audit's prose findings are narrative-check's on the .docx
    it was printed from, each on its page; its tables pass as the workbook does."""
    import importlib.util

    from xltools.audit import audit_file
    from xltools.narrative import check_narrative
    from xltools.read import read_report

    script = Path(__file__).parents[2] / "scripts" / "build_sample_pdf.py"
    spec = importlib.util.spec_from_file_location("build_sample_pdf", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pdf = module.build(tmp_path / "sample.pdf", keep=tmp_path)
    audit = audit_file(pdf)
    report = read_report(tmp_path / "公开表.xlsx")
    source = check_narrative(report, tmp_path / "情况说明.docx").findings()
    prose = [f for f in audit.result.findings if f.rule.startswith("N")]

    def key(f: object) -> tuple:
        return (f.rule, f.verdict, f.expected, f.actual, f.message)  # type: ignore[attr-defined]

    assert sorted(map(key, prose)) == sorted(map(key, source))
    assert [f.rule for f in prose if f.verdict == "error"] == ["N1"]
    assert all(f.page and f.page > 9 for f in prose if f.verdict == "error")
    assert audit.result.count("error") == 1 and audit.table_ids[-1] == "公开09"


def test_summary_page_in_headless_chromium(folder: Path, tmp_path: Path) -> None:
    """The summary as Chromium renders it: one row a file, the links, the colours of the statuses."""
    from browser import chromium, dom, screenshot
    from PIL import Image

    if chromium() is None:
        pytest.skip("chromium is not installed (scripts/install-test-deps.sh installs it)")
    out = tmp_path / "out"
    main(["audit", str(folder), "-o", str(out), "--no-progress"])
    page = out / "汇总.html"
    html = dom(page)
    assert html.count("<tr class=") == 6 and "需关注 5 份" in html
    assert 'href="有错误.标注.pdf"' in html
    png = screenshot(page, tmp_path / "summary.png")
    with Image.open(png) as img:
        colours = {img.getpixel((x, y)) for x in range(0, img.width, 7) for y in range(0, img.height, 7)}
    assert img.size == (1400, 520) and len(colours) > 20  # text and coloured rows, not a blank page


def test_report_without_tables_gets_the_text_only_check(tmp_path: Path) -> None:
    """A report of prose alone (a 绩效自评报告, say): no tables to rebuild, the prose checked against
    itself (narrative's text-only check), each finding on its page; never a crash, never a pass of tables."""
    import pypdf

    from xltools.audit import audit_file
    from xltools.audit.sample import SAMPLE_PDF

    reader = pypdf.PdfReader(SAMPLE_PDF)
    writer = pypdf.PdfWriter()
    for page in reader.pages[10:]:  # after the ten table pages
        writer.add_page(page)
    prose_only = tmp_path / "绩效自评.pdf"
    with prose_only.open("wb") as fh:
        writer.write(fh)
    audit = audit_file(prose_only)
    assert audit.status == "未找到公开表" and audit.prose is not None and audit.prose.checked
    assert "仅对照文字本身" in audit.prose.status
    narrative = [f for f in audit.result.findings if f.rule.startswith("N")]
    assert narrative and all(f.page for f in narrative)
    assert any(f.rule == "F0" and "未找到公开表" in f.message for f in audit.result.findings)
