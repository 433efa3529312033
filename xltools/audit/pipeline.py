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
from xltools.audit.unsure import Unsure, unsure_cells
from xltools.errors import XltoolsError
from xltools.rules.results import CheckResult, Finding
from xltools.text import label_key, squash
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
    unsure: list[Unsure] = field(default_factory=list)  # table cells OCR read without sureness

    @property
    def table_ids(self) -> list[str]:
        return list(self.report.tables) if self.report else []


def audit_pages(path: str, pages: list[Page], upright: bytes | None = None) -> Audit:
    """Judge the report whose pages are `pages` (any source of cells)."""
    from xltools.read import read_grids
    from xltools.rules.engine import evaluate

    scans = [p.number for p in pages if p.kind == "scan"]
    everything = identify(pages)
    garbled = {id(t): cells for t in everything if (cells := garbled_cells(t))}
    found = [t for t in everything if t.grids and id(t) not in garbled]
    unruled = [t for t in everything if not t.grids or id(t) in garbled]
    if not found:
        return _without_tables(path, pages, scans, upright)
    rebuilt = rebuild(found)
    try:
        report = read_grids(rebuilt.sheets, path)
    except XltoolsError:
        return _without_tables(path, pages, scans, upright)
    judged = evaluate(report)
    suspect = {c.sheet for f in judged.findings if f.rule == UNREADABLE_TABLE for c in f.cells}
    kept = [_doubtful(f, suspect) for f in judged.findings if not _missing(f, unruled)]
    findings = [locate(f, rebuilt) for f in kept]
    findings += _page_notes(pages, scans) + [_unreadable(t, garbled.get(id(t), [])) for t in unruled]
    findings += _unknown_tables(pages, everything)
    tabular = {ln.page for t in unruled for ln in t.head}
    prose = check_prose([p for p in pages if p.number not in tabular], report)
    findings += prose.findings
    findings, review = assess(findings, rebuilt, pages, upright)  # OCR'd cells: confidence, 核对原件
    result = replace(judged, findings=findings)
    status = "部分表未能识别" if unruled else ""
    return Audit(
        path,
        pages,
        result,
        found,
        rebuilt,
        report,
        prose,
        status=status,
        upright=upright,
        review=review,
        unsure=unsure_cells(found),
    )


def _without_tables(path: str, pages: list[Page], scans: list[int], upright: bytes | None) -> Audit:
    content = [p for p in pages if p.kind not in ("blank", "cover")]
    if content and len(scans) == len(content):
        message = (
            f"文件 {path}：扫描件，全部 {len(scans)} 页都是图片，没有文字层，未能校验；"
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


def _unreadable(t: FoundTable, cells: list[Cell]) -> Finding:
    page = t.head[0].page if t.head else (t.grids[0].page if t.grids else None)
    box: BBox | None
    if cells:
        shown = "、".join(f"第{c.page}页“{c.text}”" for c in cells[:3])
        why = f"有 {len(cells)} 个金额单元格无法读取（{shown}：列宽不够显示为 ###，或文字与金额挤在一格）"
        box = cells[0].bbox
        page = cells[0].page
    else:
        why = "表格没有边框，无法可靠确定各列"
        box = t.head[0].bbox if t.head else None
    return _warning(
        f"{t.name()} 未能可靠识别（{why}），本表未校验，请对照原件人工核对",
        location=f"第{page}页 {t.name()}" if page else t.name(),
        page=page,
        bbox=box,
    )


_GARBLED = re.compile(r"^#+$|^[^\d\s,.\-#(（]\S*\s*-?[\d,]+\.\d{2}$")


def garbled_cells(t: FoundTable) -> list[Cell]:
    """Cells that print no readable amount where one stands: '###' (the column too narrow), or a
    label run into an amount ('支 975.48'). A table with any is not judged: never a guessed amount."""
    out = []
    for g in t.grids:
        for row in g.rows:
            for c in row:
                text = c.text.replace("\n", " ").strip() if c is not None else ""
                if c is not None and _GARBLED.match(text) and not _LABEL_WITH_NUMBER.match(text):
                    out.append(c)
    return out


_LABEL_WITH_NUMBER = re.compile(r"^(?:注|其中)|^\d{3,7}\s*\D")  # '注：…12.00', '2010301 行政运行…'


_AMOUNT_LINE = re.compile(r"^-?[\d,]+\.\d{2}$")


def _unknown_tables(pages: list[Page], known: list[FoundTable]) -> list[Finding]:
    """Pages that print columns of amounts no 公开 table accounts for (a borderless page without its
    title, say): said, never dropped in silence."""
    used = {g.page for t in known for g in t.grids} | {ln.page for t in known for ln in t.head}
    out = []
    for p in pages:
        amounts = [ln for ln in p.lines if _AMOUNT_LINE.match(squash(ln.text))]
        if p.number not in used and p.kind in ("prose", "cover") and len(amounts) >= 5:
            out.append(
                _warning(
                    f"第{p.number}页印有 {len(amounts)} 个金额，像是没有边框的表格，"
                    "但未能认出是哪张公开表，未校验",
                    location=f"第{p.number}页",
                    page=p.number,
                    bbox=amounts[0].bbox,
                )
            )
    return out


def _missing(f: Finding, unruled: list[FoundTable]) -> bool:
    """F3's "缺少公开05" for a table that is printed but could not be read: it is not missing."""
    if f.rule != "F3":
        return False
    said = label_key(f.message)
    return any(f"缺少{t.name()}" in f.message or (t.key[0] and f"《{t.key[0]}》" in said) for t in unruled)


def _doubtful(f: Finding, suspect: set[str]) -> Finding:
    """An error on a table where the reader met a line it could not recognise (a label cut short
    in print, say) may come from that line: a warning asking for a look, not a confirmed error."""
    if f.verdict != Verdict.ERROR or not any(c.sheet in suspect for c in f.cells):
        return f
    note = "（本表有无法识别的行，差额可能由此造成，请对照原件核对）"
    return replace(f, verdict=Verdict.WARNING, message=f"{f.message}{note}")


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
