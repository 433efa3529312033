"""The summary of many audited reports: one row a department, as an HTML page and an .xlsx sheet a
finance bureau can sort and filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.vocabulary import Verdict

if TYPE_CHECKING:
    from xltools.audit.pipeline import Audit
    from xltools.audit.unsure import Unsure

HTML_NAME = "汇总.html"
XLSX_NAME = "汇总.xlsx"
COLUMNS = ("文件", "部门", "年度", "格式", "表", "错误", "尾差", "说明问题", "状态")


@dataclass(frozen=True)
class Row:
    """One audited file, as the summary shows it."""

    file: str
    department: str
    year: str
    format: str
    tables: str  # '9/9'
    errors: int
    tails: int
    prose: str  # narrative problems, or why the prose was not checked
    status: str  # 通过 / 有错误 / 扫描件 / 未找到公开表 / 无法读取
    links: dict[str, str] = field(default_factory=dict)  # label → file name in the output folder
    unsure: tuple[Unsure, ...] = ()  # a scan's table cells OCR read without sureness

    def cells(self) -> tuple[object, ...]:
        return (
            self.file,
            self.department,
            self.year,
            self.format,
            self.tables,
            self.errors,
            self.tails,
            self.prose,
            self.status,
        )


def row_of(audit: Audit, links: dict[str, str]) -> Row:
    r = audit.result
    narrative = [f for f in r.findings if f.rule.startswith("N") and f.verdict in ("error", "warning")]
    narrative_bad = [f for f in narrative if f.rule != "N0"]
    if audit.prose is not None and audit.prose.checked:
        prose = f"{len(narrative_bad)} 处" if narrative_bad else "无问题"
    else:
        prose = audit.prose.status if audit.prose else "未核对"
    table_errors = sum(1 for f in r.findings if f.verdict == "error" and not f.rule.startswith("N"))
    expected = len(audit.report.format.table_ids) if audit.report else 0
    status = "有错误" if r.count(Verdict.ERROR) else (audit.status or "通过")
    return Row(
        file=Path(audit.path).name,
        department=r.department or "",
        year=str(r.year or ""),
        format=r.format or "",
        tables=f"{len(audit.table_ids)}/{expected}" if expected else "0",
        errors=table_errors,
        tails=r.count(Verdict.TAIL),
        prose=prose,
        status=status,
        links=links,
        unsure=tuple(audit.unsure),
    )


def status_lines(rows: list[Row]) -> str:
    """One line a file for the text view: tables found and what became of the prose; under it, a
    scan's table cells OCR read without sureness."""
    from xltools.audit.unsure import listing

    return "".join(
        f"{r.file}：公开表 {r.tables}，情况说明 {r.prose}，{r.status}\n{listing(r.unsure)}" for r in rows
    )


_STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:24px;color:#222}
h1{font-size:20px} table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #bbb;padding:6px 8px;text-align:left} th{background:#eef2f7;cursor:pointer}
td.n{text-align:right} tr.bad td{background:#fdecea} tr.warn td{background:#fff6db}
tr.ok td{background:#eef8ee} .note{color:#666;font-size:13px}
"""
_SORT = """
document.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
 const tb=th.closest('table').tBodies[0];const rows=[...tb.rows];const asc=th.dataset.asc!=='1';
 rows.sort((a,b)=>{const x=a.cells[i].innerText,y=b.cells[i].innerText;
  const nx=parseFloat(x),ny=parseFloat(y);
  const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');return asc?c:-c});
 th.dataset.asc=asc?'1':'0';rows.forEach(r=>tb.appendChild(r));}));
"""


def to_html(rows: list[Row]) -> str:
    """The summary page: one row a department, its links, sortable by any column."""
    head = "".join(f"<th>{escape(c)}</th>" for c in (*COLUMNS, "查看"))
    body = "\n".join(_html_row(r) for r in rows)
    bad = sum(1 for r in rows if r.status != "通过")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>决算公开报告审阅汇总</title><style>{_STYLE}</style></head><body>\n"
        f"<h1>决算公开报告审阅汇总（{len(rows)} 份，需关注 {bad} 份）</h1>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>\n{_unsure_html(rows)}"
        '<p class="note">点击列名排序。错误：表内与表间勾稽不符；尾差：四舍五入造成，不算错误；'
        "说明问题：情况说明中与表不符的数字。</p>\n"
        f"<script>{_SORT}</script></body></html>\n"
    )


def _unsure_html(rows: list[Row]) -> str:
    """The scans' table cells OCR read without sureness, one table row a cell ('' when none)."""
    from xltools.audit.unsure import TITLE

    cells = [(r.file, u) for r in rows for u in r.unsure]
    if not cells:
        return ""
    head = "".join(f"<th>{c}</th>" for c in ("文件", "页", "表", "行", "列", "识别为", "置信度"))
    body = "\n".join(
        f'<tr><td>{escape(file)}</td><td class="n">{u.page}</td><td>{escape(u.table)}</td>'
        f"<td>{escape(u.row)}</td><td>{escape(u.column)}</td><td>{escape(u.text) or '（空白）'}</td>"
        f'<td class="n">{u.shown_confidence:.2f}</td></tr>'
        for file, u in cells
    )
    return (
        f'<h2 id="unsure">{escape(TITLE)}（{len(cells)} 个）</h2>\n'
        f'<table class="unsure"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>\n'
    )


def _html_row(r: Row) -> str:
    cls = "ok" if r.status == "通过" else "bad" if r.status in ("有错误", "无法读取") else "warn"
    tds = "".join(
        f'<td class="n">{v}</td>' if isinstance(v, int) else f"<td>{escape(str(v))}</td>" for v in r.cells()
    )
    links = " ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in r.links.items())
    return f'<tr class="{cls}">{tds}<td>{links}</td></tr>'


def write_summary(rows: list[Row], out_dir: Path) -> tuple[Path, Path]:
    """汇总.html and 汇总.xlsx in `out_dir`."""
    from xltools.io import write_text_atomic

    html = out_dir / HTML_NAME
    write_text_atomic(html, to_html(rows))
    xlsx = out_dir / XLSX_NAME
    _write_xlsx(rows, xlsx)
    return html, xlsx


def _write_xlsx(rows: list[Row], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    ws.append([*COLUMNS, "标注PDF", "问题清单"])
    for r in rows:
        ws.append([*r.cells(), r.links.get("标注PDF", ""), r.links.get("问题清单", "")])
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="EEF2F7")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS) + 2)}{len(rows) + 1}"
    for i, w in enumerate((28, 24, 8, 8, 8, 8, 8, 16, 12, 24, 24), start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    wb.save(path)
