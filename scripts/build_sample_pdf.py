"""Build the bundled sample report PDF that `xltools audit --sample` audits: the demo department's
nine tables (as `xltools demo` fills them) printed by LibreOffice headless, followed by part three
(情况说明) as `xltools narrative` writes it, printed from Word format — the way a department
publishes. One planted mistake in the prose shows what a finding looks like.

Usage: python3 scripts/build_sample_pdf.py [OUT.pdf]   (needs soffice: LibreOffice Calc and Writer)
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.audit.sample import SAMPLE_PDF

if TYPE_CHECKING:
    from xltools.narrative import Narrative


def build(out: Path, keep: Path | None = None) -> Path:
    """Write the sample PDF to `out`; with `keep`, also its sources there (公开表.xlsx, 情况说明.docx)."""
    from xltools.fill import sample_data_path
    from xltools.fill.fill import fill
    from xltools.narrative import generate, write_docx
    from xltools.read import read_report

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("需要 LibreOffice（soffice）")
    with tempfile.TemporaryDirectory(prefix="xltools-sample-") as tmp:
        root = Path(tmp)
        book = root / "公开表.xlsx"
        filled = fill(sample_data_path(), "2021")
        for ws in filled.workbook.worksheets:
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
        filled.save(book)
        narrative = _plant(generate(read_report(book)))
        prose = root / "情况说明.docx"
        write_docx(narrative, prose)
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation={(root / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root),
                str(book),
                str(prose),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out.write_bytes(_merge([root / "公开表.pdf", root / "情况说明.pdf"]))
        if keep is not None:
            for source in (book, prose):
                shutil.copyfile(source, keep / source.name)
    return out


def _plant(narrative: Narrative) -> Narrative:
    """One amount of the first section miscopied (two digits swapped), as clerks do."""
    section = narrative.sections[0]
    for i, p in enumerate(section.paragraphs):
        m = re.search(r"\d[\d,]*\.(\d)(\d)", p.text)
        if m and m.group(1) != m.group(2):
            wrong = m.group(0)[:-2] + m.group(2) + m.group(1)
            section.paragraphs[i] = replace(p, text=p.text[: m.start()] + wrong + p.text[m.end() :])
            break
    return narrative


def _merge(parts: list[Path]) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(str(part))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_PDF
    print(build(target))
