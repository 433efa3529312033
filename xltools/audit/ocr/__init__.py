"""Scanned reports (pages as images, no text layer): the cells of their ruled tables and their lines
of text, read by OCR (the [ocr] extra: RapidOCR with its models in the wheel, OpenCV, pypdfium2).

Importing this package needs none of the extra; `available()` says whether it is installed, and the
modules below import it.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xltools.audit.cells import Page

SURE = 0.95  # a recogniser score at least this, agreed by the second pass, is a sure reading
INSTALL_HINT = '扫描件需要 OCR 组件才能核对，请安装：pip install "xltools[ocr]"'
_MODULES = ("rapidocr_onnxruntime", "cv2", "pypdfium2")


def available() -> bool:
    """Whether the [ocr] extra is installed."""
    try:
        return all(importlib.util.find_spec(m) is not None for m in _MODULES)
    except (ImportError, ValueError):  # a module blocked or half-installed
        return False


def ocr_pages(pdf: bytes, pages: list[Page]) -> tuple[list[Page], bytes]:
    """The audit's hook (xltools/audit/files.py): the pages with the scanned ones read by OCR, and
    the PDF with the pages OCR found lying sideways or upside down turned upright."""
    from xltools.audit.ocr.assist import ocr_pages as read

    return read(pdf, pages)
