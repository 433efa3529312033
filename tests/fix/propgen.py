"""Generated workbooks for the property test: small 公开06/07 books in random layouts, with random
text numbers, rounding tails and number formats; and the checks every fix must pass on them."""

from __future__ import annotations

import io
import posixpath
import random
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import make_xlsm, vba_of
from lxml import etree

from xltools.fix import plan
from xltools.fix.write import apply
from xltools.read import read_report
from xltools.rules.engine import evaluate

BASE_LAYOUTS = ("std", "titles", "export", "v7income")  # stacked puts every table on one sheet
FORMATS = ("General", "#,##0.00", "0.00", "@")
_BASES: dict[str, bytes] = {}
_AMOUNTS: dict[str, set[tuple[str, int, int]]] = {}


def amount_cells(layout: str) -> set[tuple[str, int, int]]:
    """(sheet, row, col) of every amount the reader finds in the base of `layout`."""
    if layout not in _AMOUNTS:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "base.xlsx"
            path.write_bytes(base(layout))
            report = read_report(path)
        _AMOUNTS[layout] = {(a.cell.sheet, a.cell.row, a.cell.col) for *_x, a in report.amounts()}
    return _AMOUNTS[layout]


def base(layout: str) -> bytes:
    """The 公开06 and 公开07 of report 001 in `layout`, as .xlsx bytes (built once)."""
    if layout not in _BASES:
        from layouts import build_workbook

        wb, manifest = build_workbook("001", layout)
        keep = {manifest["tables"][t]["sheet"] for t in ("公开06", "公开07")}
        for ws in list(wb.worksheets):
            if ws.title not in keep:
                wb.remove(ws)
        buf = io.BytesIO()
        wb.save(buf)
        _BASES[layout] = buf.getvalue()
    return _BASES[layout]


def generate(seed: int, folder: Path, project: bytes) -> Path:
    """One workbook: a random layout; random amounts stored as text; random cents moved (tails);
    random number formats; half of them .xlsm with a VBA project."""
    from openpyxl import load_workbook

    rnd = random.Random(seed)
    layout = rnd.choice(BASE_LAYOUTS)
    wb = load_workbook(io.BytesIO(base(layout)))
    cells = amount_cells(layout)
    numbers = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, (int, float)) and (ws.title, c.row, c.column) in cells
    ]
    for c in rnd.sample(numbers, k=min(len(numbers), rnd.randint(0, 6))):
        c.value = rnd.choice(["{:,.2f}", "\u3000{:.2f}", "{:.2f} "]).format(c.value)
    for c in rnd.sample(numbers, k=min(len(numbers), rnd.randint(0, 3))):
        if isinstance(c.value, float) and c.value > 1:
            c.value = float(Decimal(repr(c.value)) + rnd.choice([Decimal("0.01"), Decimal("-0.01")]))
    for c in rnd.sample(numbers, k=min(len(numbers), 5)):
        c.number_format = rnd.choice(FORMATS)
    path = folder / f"g{seed}.xlsx"
    wb.save(path)
    if rnd.random() < 0.5:
        xlsm = make_xlsm(path, folder / f"g{seed}.xlsm", project)
        path.unlink()
        return xlsm
    return path


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def xml_snapshot(path: Path, skip: str = "修正记录") -> dict[tuple[str, str], tuple[Any, ...]]:
    """What helpers.snapshot compares, read from the package XML (a tenth of openpyxl's load time, which
    the 1,000 examples cannot afford): per cell its value, formula, resolved style (number format, font,
    fill, border, alignment) and comment; per sheet its merges and column widths."""

    def xml(name: str) -> Any:
        return etree.fromstring(zf.read(name))

    def rels(part: str) -> dict[str, str]:
        folder, name = posixpath.split(part)
        rel = posixpath.join(folder, "_rels", name + ".rels")
        if rel not in names:
            return {}
        out = {}
        for r in xml(rel).iter(RELS + "Relationship"):
            target = r.get("Target")  # relative to the part, or absolute from the package root
            full = (
                target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            )
            out[r.get("Type").rsplit("/", 1)[-1] + ":" + r.get("Id")] = full
        return out

    def text(el: Any) -> str:
        return etree.tostring(el, encoding="unicode")

    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        strings = [text(si) for si in xml("xl/sharedStrings.xml")] if "xl/sharedStrings.xml" in names else []
        styles = xml("xl/styles.xml")
        formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(MAIN + "numFmt")}
        parts = {k: [text(e) for e in styles.find(MAIN + k)] for k in ("fonts", "fills", "borders")}
        xfs = []
        for xf in styles.find(MAIN + "cellXfs"):
            fid = xf.get("numFmtId", "0")
            ids = (xf.get("fontId", "0"), xf.get("fillId", "0"), xf.get("borderId", "0"))
            own = [text(child) for child in xf]
            xfs.append(
                (formats.get(fid, fid), *(parts[k][int(i)] for k, i in zip(parts, ids, strict=True)), *own)
            )
        book_rels = rels("xl/workbook.xml")
        for sheet in xml("xl/workbook.xml").iter(MAIN + "sheet"):
            title = sheet.get("name")
            if title == skip:
                continue
            part = book_rels["worksheet:" + sheet.get(DOC_REL)]
            notes: dict[str, str] = {}
            for key, target in rels(part).items():
                if key.startswith("comments:"):
                    for c in xml(target).iter(MAIN + "comment"):
                        notes[c.get("ref")] = "".join(c.itertext())
            ws = xml(part)
            for c in ws.iter(MAIN + "c"):
                ref, kind = c.get("r"), c.get("t", "n")
                v, f, inline = c.find(MAIN + "v"), c.find(MAIN + "f"), c.find(MAIN + "is")
                value: Any = v.text if v is not None else None
                if kind == "s" and value is not None:
                    value, kind = strings[int(value)], "str"
                elif kind == "inlineStr" and inline is not None:
                    value, kind = text(inline).replace("<is", "<si").replace("</is>", "</si>"), "str"
                out[(title, ref)] = (
                    kind,
                    value,
                    f.text if f is not None else None,
                    xfs[int(c.get("s", "0"))],
                    notes.get(ref),
                )
            out[(title, "#merges")] = tuple(sorted(m.get("ref") for m in ws.iter(MAIN + "mergeCell")))
            out[(title, "#widths")] = tuple(text(col) for col in ws.iter(MAIN + "col"))
    return out


def check_one(path: Path) -> dict[str, Any]:
    """Fix `path`; every property must hold. Returns figures for the report."""
    p = plan(read_report(path))
    out = path.with_name("out_" + path.name)
    done = apply(path, p, out)
    target = out if done.out else path
    after = read_report(target)
    result = evaluate(after)
    # what still fails is exactly what the plan left for a person (two random cents on one relation can
    # make a genuine error); every tail is resolved or listed
    failing = sorted(f.rule for f in result.findings if f.verdict in ("error", "warning"))
    assert failing == sorted(r.rule for r in p.reviews), path
    assert result.count("tail") == len(p.unresolved), (path, p.unresolved)
    assert plan(after).changes == (), path  # idempotent
    if done.out:
        before, now = xml_snapshot(path), xml_snapshot(out)
        changed = {(c.cell.sheet, c.cell.coordinate) for c in p.changes}
        assert {k for k in before.keys() | now.keys() if before.get(k) != now.get(k)} == changed, path
        final = {c.cell: c.new for c in p.changes}  # a text number may also take a tail cent: last wins
        for cell, new in final.items():
            kind, value = now[(cell.sheet, cell.coordinate)][:2]
            assert kind == "n" and Decimal(repr(float(value))) == new  # openpyxl writes %.16g
        if path.suffix == ".xlsm":
            assert vba_of(out) == vba_of(path)
    return {"changes": len(p.changes), "xlsm": path.suffix == ".xlsm"}
