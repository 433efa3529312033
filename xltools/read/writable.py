"""Load a workbook to write it back (fix, formulas), only when writing it back loses nothing.

openpyxl rewrites the whole package: what it does not model is dropped silently — text boxes and
other drawn shapes, customXml, threaded comments, x14 extensions (data validation lists, sparklines),
Excel 4.0 macro sheets, embedded objects, and the macros of an .xlsx that carries a vbaProject.bin.
Such a workbook is refused, naming what would be lost, before anything is written. Merged ranges
openpyxl expands cell by cell are capped first, as are references beyond Excel's grid (census)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.errors import Fault, reading
from xltools.read.container import census, open_package, refuse

if TYPE_CHECKING:
    from openpyxl import Workbook

MAX_MERGED = 200_000  # cells inside merged ranges, all sheets together (openpyxl makes an object of each)

# part-name prefix → what the user would lose
_LOST_PARTS = (
    ("customXml/", "自定义 XML 数据（customXml）"),
    ("xl/threadedComments/", "新式批注（threaded comments）"),
    ("xl/macrosheets/", "Excel 4.0 宏表"),
    ("xl/dialogsheets/", "对话框工作表"),
    ("xl/embeddings/", "嵌入的对象（OLE）"),
    ("xl/slicers/", "切片器"),
    ("xl/timelines/", "日程表"),
    ("xl/model/", "数据模型"),
    ("xl/richData/", "图像单元格等富数据"),
)
_MACRO_PARTS = (("xl/vbaProject.bin", "宏（vbaProject.bin）"), ("xl/activeX/", "ActiveX 控件"))
_SHAPE = re.compile(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)[\s>]")
_X14 = re.compile(rb"<(?:\w+:)?(dataValidations|conditionalFormattings|sparklineGroups|slicerList)[\s>]")
_X14_LABELS = {
    b"dataValidations": "扩展数据验证（x14）",
    b"conditionalFormattings": "扩展条件格式（x14）",
    b"sparklineGroups": "迷你图",
    b"slicerList": "切片器",
}


def lost_features(zf: zipfile.ZipFile, macros_kept: bool) -> list[str]:
    """What rewriting this package with openpyxl would drop, in Chinese ([] when nothing)."""
    names = zf.namelist()
    lost: list[str] = []
    rules = _LOST_PARTS if macros_kept else _LOST_PARTS + _MACRO_PARTS
    for prefix, label in rules:
        if any(n.startswith(prefix) for n in names) and label not in lost:
            lost.append(label)
    for n in names:
        if n.startswith("xl/drawings/") and n.endswith(".xml") and _SHAPE.search(zf.read(n)):
            lost.append(f"文本框或图形（{n}）")
            break
    for n in names:
        if n.startswith("xl/worksheets/") and n.endswith(".xml"):
            data = zf.read(n)
            ext = data.find(b"extLst")
            for m in _X14.finditer(data, ext if ext >= 0 else len(data)):
                label = _X14_LABELS[m.group(1)]
                if label not in lost:
                    lost.append(label)
    return lost


def load_for_writing(book: str | Path) -> Workbook:
    """The user's workbook as openpyxl loads it for writing back (macros kept for .xlsm).

    Raises UnreadableWorkbook (typed, Chinese) when the file is damaged, too large, or holds what
    writing it back would lose."""
    from openpyxl import load_workbook

    path = Path(book)
    macros = path.suffix.lower() == ".xlsm"
    with open_package(path) as zf:
        sheets = census(zf, path)
        merged = sum(c.merged for c in sheets.values())
        if merged > MAX_MERGED:
            largest = max(sheets.values(), key=lambda c: c.merged)
            raise refuse(
                path,
                f"合并单元格过大（如 {largest.largest_merge}，共 {merged:,} 个单元格）",
                Fault.TOO_LARGE,
                "请在 Excel 中取消这些多余的合并后另存再试",
                part=largest.part,
            )
        with reading(path):
            lost = lost_features(zf, macros)
    if lost:
        raise refuse(
            path,
            f"写回会丢失其中的{'、'.join(lost)}（未写入任何内容）",
            Fault.UNSUPPORTED,
            "xltools 写回时无法保留这些内容：请先另存一份删去它们的副本再修正，或只用 xltools check 校验"
            + ("；含宏的工作簿请另存为 .xlsm" if not macros and "宏（vbaProject.bin）" in lost else ""),
        )
    with reading(path):
        return load_workbook(path, keep_vba=macros, keep_links=True, rich_text=True)
