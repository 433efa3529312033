"""One file in, one Audit out — a file that cannot be read gives an Audit with its error set, so a
batch goes on."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from xltools.audit.cells import Page
from xltools.audit.pipeline import Audit, audit_pages
from xltools.errors import XltoolsError
from xltools.rules.results import CheckResult

# A module that reads scanned pages: `ocr_pages(pdf: bytes, pages: list[Page]) -> (pages, pdf)`
# hands back the pages with the scanned ones read (source="ocr") and the PDF with the pages it
# found lying sideways or upside down turned upright; absent when not installed.
OCR_MODULE = "xltools.audit.ocr"


def audit_file(path: str | Path) -> Audit:
    """Audit the PDF at `path`; never raises for a bad file (the Audit says why, exit code 2)."""
    from xltools.audit.pdftext import read_pdf

    name = str(path)
    try:
        if Path(path).suffix.lower() == ".docx":
            return _audit_docx(Path(path))
        text = read_pdf(path)
        pages, upright = _read_scans(text.upright, text.pages)
        return audit_pages(name, pages, upright)
    except XltoolsError as exc:
        return Audit(name, [], CheckResult(name, None, None, None, error=exc.render()), status="无法读取")
    except Exception as exc:  # a fault of ours on this file: say so, and let the batch go on
        if os.environ.get("XLTOOLS_DEBUG"):
            raise
        from xltools.errors import user_message

        error = user_message(exc, name)
        return Audit(name, [], CheckResult(name, None, None, None, error=error), status="无法读取")


def _audit_docx(path: Path) -> Audit:
    """A report published as Word: the same pipeline; Word keeps no geometry, so no boxes."""
    from dataclasses import replace

    from xltools.audit.docx import read_docx
    from xltools.audit.intake import refuse_path

    refuse_path(path, word=True)
    audit = audit_pages(str(path), read_docx(path))
    audit.result.findings = [replace(f, bbox=None) for f in audit.result.findings]
    return audit


def _read_scans(pdf: bytes, pages: list[Page]) -> tuple[list[Page], bytes]:
    if not any(p.kind == "scan" for p in pages):
        return pages, pdf
    try:
        module = importlib.import_module(OCR_MODULE)
    except ImportError:
        return pages, pdf
    reader = getattr(module, "ocr_pages", None)
    if reader is None:
        return pages, pdf
    read, upright = reader(pdf, pages)
    return list(read), upright
