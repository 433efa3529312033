"""The one audit pipeline: pages (from a text layer or OCR) → identified tables → rebuilt workbook →
the existing reader and rule catalogue → findings located on their page; prose → narrative check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from xltools.audit.cells import BBox, Cell, Page
from xltools.audit.identify import FoundTable, identify
from xltools.audit.ocr import INSTALL_HINT, available
from xltools.audit.ocr.assist import assess
from xltools.audit.prose import Prose, check_prose
from xltools.audit.rebuild import Rebuilt, rebuild
from xltools.errors import XltoolsError
from xltools.rules.results import CheckResult, Finding
from xltools.vocabulary import Severity, Verdict

if TYPE_CHECKING:
    from xltools.model import Report

UNREADABLE_TABLE = "F0"  # the catalogue's rule for a table structure that cannot be read


@dataclass
class Audit:
    """One published report audited: its pages, tables, the rebuilt workbook and the result."""

    path: str
    pages: list[Page]
    result: CheckResult
    found: list[FoundTable] = field(default_factory=list)
    rebuilt: Rebuilt | None = None
    report: Report | None = None
    prose: Prose | None = None
    status: str = ""  # '', '扫描件', '未找到公开表', '无法读取'
    upright: bytes | None = None  # the PDF turned upright (the geometry findings carry)
    review: dict[int, tuple[Cell, ...]] = field(default_factory=dict)  # 核对原件 finding → its OCR'd cells

    @property
    def table_ids(self) -> list[str]:
        return list(self.report.tables) if self.report else []


def audit_pages(path: str, pages: list[Page], upright: bytes | None = None) -> Audit:
    """Judge the report whose pages are `pages` (any source of cells)."""
    from xltools.read import read_grids
    from xltools.rules.engine import evaluate

    scans = [p.number for p in pages if p.kind == "scan"]
    everything = identify(pages)
    found = [t for t in everything if t.grids]
    unruled = [t for t in everything if not t.grids]
    if not found:
        return _without_tables(path, pages, scans, upright)
    rebuilt = rebuild(found)
    try:
        report = read_grids(rebuilt.sheets, path)
    except XltoolsError:
        return _without_tables(path, pages, scans, upright)
    judged = evaluate(report)
    findings = [locate(f, rebuilt) for f in judged.findings if not _missing(f, unruled)]
    findings += _page_notes(pages, scans) + [_unreadable(t) for t in unruled]
    prose = check_prose(pages, report)
    findings += prose.findings
    findings, review = assess(findings, rebuilt, pages, upright)  # OCR'd cells: confidence, 核对原件
    result = replace(judged, findings=findings)
    return Audit(path, pages, result, found, rebuilt, report, prose, upright=upright, review=review)


def _without_tables(path: str, pages: list[Page], scans: list[int], upright: bytes | None) -> Audit:
    content = [p for p in pages if p.kind not in ("blank", "cover")]
    if content and len(scans) == len(content):
        message = (
            f"扫描件：全部 {len(scans)} 页都是图片，没有文字层，未能校验；"
            "请向编制单位索取由 Excel/WPS 直接导出的 PDF" + _ocr_hint()
        )
        return Audit(
            path, pages, CheckResult(path, None, None, None, error=message), status="扫描件", upright=upright
        )
    prose = check_prose(pages, None)
    result = CheckResult(path, None, None, None, findings=[*_page_notes(pages, scans), *prose.findings])
    result.findings.append(
        _warning(
            "未找到公开表：没有找到带边框的公开表（按“公开01表”标记、表名或表头查找），表格未校验",
        )
    )
    return Audit(path, pages, result, prose=prose, status="未找到公开表", upright=upright)


def _ocr_hint() -> str:
    """How to have scans read, when the [ocr] extra is missing (else a scan page OCR could not read)."""
    return "" if available() else f"（{INSTALL_HINT}）"


def _warning(message: str, location: str = "", page: int | None = None, bbox: BBox | None = None) -> Finding:
    """A reading problem: one warning of the catalogue's table-structure rule, never an error."""
    return Finding(
        UNREADABLE_TABLE,
        Severity.WARNING,
        Verdict.WARNING,
        (),
        None,
        None,
        None,
        message,
        location,
        page,
        bbox,
    )


def _page_notes(pages: list[Page], scans: list[int]) -> list[Finding]:
    out = [
        _warning(
            f"第{n}页是扫描件（图片，没有文字层），其内容未校验{_ocr_hint()}",
            location=f"第{n}页",
            page=n,
        )
        for n in scans
    ]
    for p in pages:
        for title in p.unreadable:
            out.append(
                _warning(
                    f"{title} 未能可靠识别（表格无边框，无法确定各列），本表未校验",
                    location=f"第{p.number}页 {title}",
                    page=p.number,
                )
            )
    return out


def _unreadable(t: FoundTable) -> Finding:
    page = t.head[0].page if t.head else None
    return _warning(
        f"{t.name()} 未能可靠识别（表格没有边框，无法可靠确定各列），本表未校验，请对照原件人工核对",
        location=f"第{page}页 {t.name()}" if page else t.name(),
        page=page,
        bbox=t.head[0].bbox if t.head else None,
    )


def _missing(f: Finding, unruled: list[FoundTable]) -> bool:
    """F3's "缺少公开05" for a table that is printed but could not be read: it is not missing."""
    return f.rule == "F3" and any(f"缺少{t.name()}" in f.message for t in unruled)


_SUBJECT = re.compile(r"^(公开\d\d[^：]*)：")


def locate(f: Finding, rebuilt: Rebuilt) -> Finding:
    """The finding with the page and box of its first printed cell, and a location that names
    them: '第6页 公开06 301 工资福利支出 决算数'."""
    for cell in f.cells:
        where = rebuilt.where(cell)
        if where is None:
            continue
        page, bbox = where
        m = _SUBJECT.match(f.message)
        subject = m.group(1) if m else cell.sheet
        return replace(f, location=f"第{page}页 {subject}", page=page, bbox=bbox)
    return f
