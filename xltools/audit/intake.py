"""What comes in: refuse what is not a readable report, and say what kind each page is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from xltools.audit.cells import Line, PageKind, TableGrid
from xltools.errors import XltoolsError
from xltools.text import squash

PDF_MAGIC = b"%PDF-"
_CONTENTS = re.compile(r"^目录$|^目\s*录$")
_DOT_LEADER = re.compile(r"[.…·]{4,}\s*\d+$")


class UnreadableReport(XltoolsError):
    """The file is not a report `audit` can read (not a PDF, damaged, encrypted, empty)."""


def refuse_path(path: Path, word: bool = False) -> Path:
    """`path`, once it is known to be an existing file that starts like a PDF (a zip for Word)."""
    if not path.exists():
        raise UnreadableReport("文件不存在", path=str(path), hint="请检查路径是否正确")
    if path.is_dir():
        raise UnreadableReport("这是一个文件夹，不是 PDF 文件", path=str(path), hint="请给出 .pdf 文件")
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise UnreadableReport(
            f"无法读取文件（{exc.strerror}）", path=str(path), hint="请检查文件权限"
        ) from exc
    if not head:
        raise UnreadableReport("文件是空的（0 字节）", path=str(path), hint="请重新下载或导出该文件")
    if word:
        if not head.startswith(b"PK"):
            raise UnreadableReport(
                "不是有效的 Word 文档（.docx），可能已损坏或是旧版 .doc",
                path=str(path),
                hint="请在 Word/WPS 中另存为 .docx 或导出为 PDF 后再试",
            )
        return path
    if PDF_MAGIC not in head:
        raise UnreadableReport(
            "不是 PDF 文件（文件内容不以 %PDF 开头），可能已损坏或只是改了扩展名",
            path=str(path),
            hint="请用 WPS/Excel/Word 重新“导出为 PDF”后再试",
        )
    return path


def classify(
    has_text: bool, has_images: bool, tables: Sequence[TableGrid], lines: Sequence[Line]
) -> PageKind:
    """table: it holds a ruled table; scan: images and no text layer; cover: a title page or the
    contents (目录, dot leaders); prose: anything else with text; blank: nothing at all."""
    if not has_text:
        return "scan" if has_images else "blank"
    if tables:
        return "table"
    texts = [squash(line.text) for line in lines]
    if any(_CONTENTS.match(t) for t in texts[:5]) or sum(bool(_DOT_LEADER.search(t)) for t in texts) >= 3:
        return "cover"
    if sum(len(t) for t in texts) < 60:
        return "cover"
    return "prose"
