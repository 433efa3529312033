"""Templates and filling: print the 公开 tables from format data, fill them from a tidy data file.

Public API (imports are lazy so `xltools check` never pays for openpyxl writing):
    write_template(fmt, path_or_workbook) -> CellMap
    TableWriter(fmt, ...).write(ws, table_id, codes=...) -> Placement
    fill(data, fmt, unit) -> FilledWorkbook;  FilledWorkbook.save(path)
    sample_data_path() -> Path
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xltools.fill.fill import FilledWorkbook, fill, save
    from xltools.fill.render import Placement
    from xltools.fill.template import CellMap, TableWriter, write_template

__all__ = [
    "CellMap",
    "FilledWorkbook",
    "Placement",
    "TableWriter",
    "fill",
    "sample_data_path",
    "save",
    "write_template",
]

_LAZY = {
    "CellMap": "xltools.fill.template",
    "TableWriter": "xltools.fill.template",
    "write_template": "xltools.fill.template",
    "Placement": "xltools.fill.render",
    "FilledWorkbook": "xltools.fill.fill",
    "fill": "xltools.fill.fill",
    "save": "xltools.fill.fill",
}


def sample_data_path() -> Path:
    """The folder of the embedded sample department's data (CSV files, 元)."""
    return Path(__file__).resolve().parent / "sample"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
