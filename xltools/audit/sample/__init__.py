"""The bundled sample report (built by scripts/build_sample_pdf.py): `xltools audit --sample`."""

from __future__ import annotations

from pathlib import Path

SAMPLE_PDF = Path(__file__).with_name("示例部门决算公开报告.pdf")
