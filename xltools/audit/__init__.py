"""Audit a published report (PDF): rebuild its 公开 tables and check them with the workbook rules.

`audit_file(path)` is the entry: the text layer (pdfplumber) or OCR of scanned pages (when the
OCR extra is installed) hands Page/TableGrid/Line (audit/cells.py) to the one pipeline
(audit/pipeline.py: identify → rebuild → the reader and rule catalogue → findings with page and box)."""

from __future__ import annotations

from xltools.audit.files import audit_file

__all__ = ["audit_file"]
