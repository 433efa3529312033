"""`xltools audit PATH... [-o DIR] [--format text|json|junit|html] [--jobs N]`: audit published
reports (PDF files or folders of them): rebuild the 公开 tables from the PDF, check them with the
workbook rules, check part three against them, and name the page of every finding.

With -o DIR: per PDF the rebuilt workbook (with its 校验 sheet), an annotated PDF and the findings;
for several PDFs also a summary (汇总.html, 汇总.xlsx), one row a department.

Exit codes: 0 no errors, 1 errors found, 2 a file could not be read (the batch goes on) or the
command line is wrong."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.errors import UsageError

if TYPE_CHECKING:
    from xltools.audit.summary import Row
    from xltools.rules.results import CheckResult

SUFFIXES = (".pdf", ".docx")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="路径", help="公开的决算报告 PDF，或包含 PDF 的文件夹（递归）")
    p.add_argument("--sample", action="store_true", help="审阅内置的示例报告（示例部门的公开表与情况说明）")
    p.add_argument("-o", "--output-dir", metavar="文件夹", help="写出重建的工作簿、标注的 PDF 和汇总表")
    p.add_argument(
        "--format",
        choices=("text", "json", "junit", "html"),
        default="text",
        help="屏幕输出格式（默认 text；html 为汇总页）",
    )
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="并行进程数（批量时）")
    p.add_argument("--all", action="store_true", help="同时列出通过的规则")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")


def collect(paths: list[str], sample: bool = False) -> list[Path]:
    """Files named (whatever they are: a wrong one gets its own result), every .pdf below folders
    named, and the bundled sample report when asked for."""
    from xltools.audit.sample import SAMPLE_PDF

    out: list[Path] = [SAMPLE_PDF] if sample else []
    if not paths and not sample:
        raise UsageError(
            "请给出要审阅的 PDF 文件或文件夹",
            hint="例如 xltools audit 报告.pdf；试用可运行 xltools audit --sample",
        )
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file()))
        else:
            out.append(p)
    if not out:
        raise UsageError("给出的文件夹中没有 PDF 或 Word（.docx）文件", hint="请检查路径")
    return out


def audit_one(job: tuple[Path, Path | None]) -> tuple[CheckResult, Row]:
    """Audit one file and write its outputs; only the compact result travels back from a worker."""
    from xltools.audit import audit_file
    from xltools.audit.summary import row_of

    path, out_dir = job
    audit = audit_file(path)
    links: dict[str, str] = {}
    if out_dir is not None:
        from xltools.audit.outputs import write_outputs

        links = write_outputs(audit, out_dir)
    return audit.result, row_of(audit, links)


def _run_all(
    jobs: list[tuple[Path, Path | None]], workers: int, show: bool
) -> Iterator[tuple[CheckResult, Row]]:
    from xltools.commands.check import progress

    return progress(_each(jobs, workers), len(jobs), show)


def _each(jobs: list[tuple[Path, Path | None]], workers: int) -> Iterator[tuple[CheckResult, Row]]:
    if workers <= 1 or len(jobs) < 2:
        yield from map(audit_one, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(audit_one, jobs)


def run(args: argparse.Namespace) -> int:
    from xltools.rules.results import to_json, to_junit, to_text

    _require_pdf_extra()
    files = collect(args.paths, args.sample)
    out_dir = Path(args.output_dir) if args.output_dir else None
    if out_dir is not None:
        _make_dir(out_dir)
    show = not args.no_progress and sys.stderr.isatty()
    if show:  # scanned pages: a bar per page while OCR reads them (workers inherit it)
        from xltools.audit.ocr import assist

        assist.SHOW_PROGRESS = True
    done = list(_run_all([(f, out_dir) for f in files], max(1, args.jobs), show))
    results = [r for r, _ in done]
    rows = [row for _, row in done]
    if out_dir is not None and len(files) > 1:
        from xltools.audit.summary import write_summary

        write_summary(rows, out_dir)
    if args.format == "json":
        text = _with_unsure(to_json(results, include_passes=args.all), rows)
    elif args.format == "junit":
        text = to_junit(results)
    elif args.format == "html":
        from xltools.audit.summary import to_html

        text = to_html(rows)
    else:
        from xltools.audit.summary import status_lines

        text = to_text(results, include_passes=args.all) + status_lines(rows)
    sys.stdout.write(text)
    for r in results:
        if r.error:
            print(f"错误：{r.error}", file=sys.stderr)
    return max((r.exit_code for r in results), default=0)


def _with_unsure(doc: str, rows: list[Row]) -> str:
    """The JSON result with each scan's table cells OCR read without sureness: `unsure_cells` of
    its file (page, table, row, column, text, confidence); unchanged when there are none."""
    if not any(r.unsure for r in rows):
        return doc
    import json

    data = json.loads(doc)
    for entry, row in zip(data["files"], rows, strict=True):
        if row.unsure:
            entry["unsure_cells"] = [u.to_dict() for u in row.unsure]
    return json.dumps(data, ensure_ascii=False, indent=2)


def _require_pdf_extra() -> None:
    import importlib.util

    missing = [m for m in ("pdfplumber", "pypdf") if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(
            f"审阅 PDF 需要的组件未安装（{'、'.join(missing)}）",
            hint='请运行 pip install "xltools[pdf]" 后再试',
        )


def _make_dir(out_dir: Path) -> None:
    from xltools.errors import WriteError

    if out_dir.exists() and not out_dir.is_dir():
        raise WriteError("输出位置已存在且不是文件夹", path=str(out_dir), hint="请用 -o 指定一个文件夹")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"无法创建输出文件夹（{exc.strerror}）", path=str(out_dir), hint="请检查权限"
        ) from exc
