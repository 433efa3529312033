"""`xltools audit` on scans: the OCR source plugged into the one pipeline.

A workbook with a planted error (公开06 办公费, 06-G2), printed ruled and scanned at 150 dpi: the
clean scan gives the findings `check` gives on the workbook; the skewed, noisy scan gives every
finding a confidence, reproduces the source's findings and reports no error the source lacks as a
confirmed one. Without the [ocr] extra a scan stays 扫描件 and says how to install it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from xltools.audit.pipeline import Audit
from xltools.rules.engine import check_path
from xltools.rules.results import Finding
from xltools.vocabulary import Verdict

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def _key(f: Finding) -> tuple[str, str, str, str, str]:
    """What must agree between a finding on the workbook and one on its scan (i11's comparison);
    bracket widths in a quoted label are one name (rules.md F5), OCR cannot tell them apart."""
    text = f.message.removeprefix("核对原件：").split("；")[0]
    return (f.rule, str(f.expected), str(f.actual), text.replace("（", "(").replace("）", ")"), f.verdict)


def _table_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.verdict != Verdict.PASS and not f.rule.startswith("N")]


def test_clean_scan_audit_equals_check(scan_audits: dict[str, Audit], plant_scans: dict[str, Path]) -> None:
    audit = scan_audits["clean"]
    source = check_path(plant_scans["plant.book"])
    assert audit.status == "" and audit.result.error is None
    assert audit.table_ids == [f"公开0{i}" for i in range(1, 10)]
    got = Counter(_key(f) for f in _table_findings(audit.result.findings))
    want = Counter(_key(f) for f in _table_findings(source.findings))
    assert got == want
    assert any(f.rule == "06-G2" and f.verdict == Verdict.ERROR for f in audit.result.findings)


@pytest.mark.parametrize("kind", ["clean", "skewed", "flipped"])
def test_every_finding_on_a_scan_says_ocr_and_how_sure(scan_audits: dict[str, Audit], kind: str) -> None:
    """JSON of every finding of an OCR'd report: source "ocr" and a confidence in 0..1."""
    findings = [f.to_dict() for f in scan_audits[kind].result.findings]
    assert findings
    assert all(d["source"] == "ocr" and 0 <= d["confidence"] <= 1 for d in findings), [
        d for d in findings if d.get("source") != "ocr" or d.get("confidence") is None
    ][:3]


@pytest.mark.parametrize("kind", ["skewed", "flipped"])
def test_skewed_scan_reproduces_and_confirms_nothing_new(
    scan_audits: dict[str, Audit], plant_scans: dict[str, Path], kind: str
) -> None:
    """Every page +0.35° or −0.35° with noise ('flipped': each page the other way, other noise):
    every finding of the source is there, and no error the source lacks is a confirmed one."""
    audit = scan_audits[kind]
    source = _table_findings(check_path(plant_scans["plant.book"]).findings)
    found = _table_findings(audit.result.findings)
    same = Counter(k[:4] for k in map(_key, found))
    missed = [k for k, n in Counter(k[:4] for k in map(_key, source)).items() if same[k] < n]
    assert missed == []
    known = {_key(f)[:4] for f in source if f.verdict == Verdict.ERROR}
    assert all(_key(f)[:4] in known for f in found if f.verdict == Verdict.ERROR)


def test_review_findings_get_a_crop(scan_audits: dict[str, Audit], tmp_path: Path) -> None:
    """-o DIR: every 核对原件 finding gets the PNG of its cells; the crop of the planted 06-G2
    relation (its total and its five items) is made the same way."""
    import cv2
    import numpy as np

    from xltools.audit.ocr.assist import _cells_of, ocr_cells, write_crops
    from xltools.audit.outputs import write_outputs

    audit = scan_audits["skewed"]
    write_outputs(audit, tmp_path)
    for f in audit.result.findings:
        if f.verdict == Verdict.REVIEW:
            assert f.crop is not None and Path(f.crop).stat().st_size > 500
            assert f.message.startswith("核对原件：") and f.to_dict()["source"] == "ocr"
    i, g2 = next((i, f) for i, f in enumerate(audit.result.findings) if f.rule == "06-G2")
    assert audit.rebuilt is not None and audit.upright is not None
    cells = tuple(c for c, _ in _cells_of(g2, audit.rebuilt, ocr_cells(audit.pages)))
    assert len(cells) == len(g2.cells) >= 5
    done = write_crops(audit.result.findings, {i: cells}, audit.upright, tmp_path / "crops")
    assert done[i].crop is not None
    image = cv2.imdecode(np.frombuffer(Path(done[i].crop).read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[0] > 5 * 15  # the six cells stand in rows one above the other


def test_unsure_cells_listed_in_text_html_and_json(scan_audits: dict[str, Audit]) -> None:
    """Every OCR'd table cell read below SURE is listed — page, table, row, column, text, confidence —
    in the text report, the HTML summary and the JSON result."""
    import json

    from xltools.audit.ocr import SURE
    from xltools.audit.summary import row_of, status_lines, to_html
    from xltools.commands.audit import _with_unsure
    from xltools.rules.results import to_json

    audit = scan_audits["skewed"]
    low = [
        c
        for p in audit.pages
        for t in p.tables
        for row in t.rows
        for c in row
        if c is not None and c.confidence is not None and c.confidence < SURE
    ]
    assert low and len(audit.unsure) == len(low)
    assert sorted(u.confidence for u in audit.unsure) == sorted(c.confidence for c in low)
    assert all(u.table.startswith("公开0") and (u.row or u.column) for u in audit.unsure)
    row = row_of(audit, {})
    text = status_lines([row])
    assert all(u.describe() in text for u in audit.unsure)
    assert "识别把握不大的单元格" in text and "置信度 0.9" in text
    html = to_html([row])
    assert html.count('<tr><td>plant.skewed.pdf</td><td class="n">') == len(low)
    doc = json.loads(_with_unsure(to_json([audit.result]), [row]))
    listed = doc["files"][0]["unsure_cells"]
    assert [d["text"] for d in listed] == [u.text for u in audit.unsure]
    assert set(listed[0]) == {"page", "table", "row", "column", "text", "confidence"}
    assert all(0 <= d["confidence"] < SURE for d in listed)


PROSE_PAGES = (11, 12, 13)  # the bundled sample's part three: 46 numbers quoted, one of them wrong


def test_scanned_prose_gives_the_text_pdfs_findings(tmp_path: Path) -> None:
    """Part three of the bundled sample, scanned skewed and noisy: OCR'd lines, joined into
    paragraphs by layout, give the narrative check the findings the text PDF gives (held against
    the same tables), the one planted mistake included; each claim carries its line's confidence."""
    from scans import scan_some

    from xltools.audit import audit_file
    from xltools.audit.ocr import ocr_pages
    from xltools.audit.pdftext import read_pdf
    from xltools.audit.prose import check_prose
    from xltools.audit.sample import SAMPLE_PDF

    text = audit_file(SAMPLE_PDF)
    scan = read_pdf(scan_some(SAMPLE_PDF, tmp_path / "prose.pdf", PROSE_PAGES))
    assert {p.kind for p in scan.pages} == {"scan"}
    pages, _ = ocr_pages(scan.upright, scan.pages)
    assert all(ln.source == "ocr" and ln.confidence is not None for p in pages for ln in p.lines)
    got = check_prose(pages, text.report)
    want = check_prose([p for p in text.pages if p.number in PROSE_PAGES], text.report)

    def key(f: Finding) -> tuple[str, str, str, str]:
        return (f.rule, f.verdict, str(f.actual), f.message.split("（“")[0])

    assert len(want.findings) > 40 and [f.verdict for f in want.findings].count(Verdict.ERROR) == 1
    assert Counter(map(key, got.findings)) == Counter(map(key, want.findings))
    assert got.status == want.status
    # the wrong claim's line, read again, says the same numbers; one number changed, it does not
    from dataclasses import replace

    from xltools.audit.ocr.assist import _prose_line
    from xltools.audit.ocr.review import Pages, line_agrees

    wrong = next(f for f in got.findings if f.verdict == Verdict.ERROR)
    line = _prose_line(wrong, pages)
    assert line is not None and str(wrong.actual) in line.text.replace(",", "")
    images = Pages(scan.upright)
    assert line_agrees(images, replace(line, confidence=0.99))
    changed = line.text.replace(str(wrong.actual), str(wrong.actual + 1), 1)
    assert not line_agrees(images, replace(line, text=changed, confidence=0.99))
    assert not line_agrees(images, replace(line, confidence=0.5))


_WITHOUT_OCR = """
import sys
sys.modules["rapidocr_onnxruntime"] = None  # an install without the [ocr] extra: the import fails
from xltools.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_without_the_extra_a_scan_says_how_to_install(plant_scans: dict[str, Path]) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.run(
        [sys.executable, "-c", _WITHOUT_OCR, "audit", "--no-progress", str(plant_scans["plant.clean"])],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert "扫描件" in out and 'pip install "xltools[ocr]"' in out, out
    assert proc.returncode == 2 and "Traceback" not in out
